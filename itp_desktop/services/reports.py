"""Report use-cases: build a patient's report context, render a document, audit the export.

`ReportService` is given everything it needs (a repository-like `get`, an `assess` callable
that applies the knowledge pack and any suppressions, the pack, the site, the clock and the
audit log's `record_event`), so the CLI, the GUI and the tests wire it the same way. `write`
renders into a temporary file next to the target, records the ``report`` audit event, and only
then moves the file into place atomically: a PDF never exists on disk without its audit entry,
and a failed render never leaves a half-written file. `render` returns the PDF bytes for a
preview without writing anything; `record_print` audits a print of a previewed document.

May import: core, reports, stdlib. Never Qt.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from itp_desktop.core.clock import Clock
from itp_desktop.core.errors import EnvironmentProblem, ReportError
from itp_desktop.core.models.assessment import Assessment
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.models.patient import Patient
from itp_desktop.core.models.records import AuditAction
from itp_desktop.reports import Paper, ReportContext, ReportKind, SiteInfo, build_context
from itp_desktop.reports import render_report as _render_report
from itp_desktop.reports.context import context_digest


class RecordEvent(Protocol):
    """The audit log's ``record_event`` (see `PatientRepository.record_event`)."""

    def __call__(
        self, action: AuditAction, entity: str, entity_id: str | None, details: Any = None
    ) -> object:
        """Append one event to the audit log."""
        ...


@dataclass(frozen=True)
class RenderedReport:
    """A rendered document kept in memory (preview, print).

    Attributes:
        patient_id: whose document it is.
        kind: clinician, patient, card or vaccines.
        paper: a4 or letter.
        pdf: the PDF bytes.
        context: the context it was rendered from (what was printed).
    """

    patient_id: str
    kind: ReportKind
    paper: Paper
    pdf: bytes
    context: ReportContext


class ReportService:
    """Builds, renders, writes and audits the printed care plans.

    Args:
        get: loads a patient by id (raises NotFound).
        assess: assesses a patient on a date with the service's pack and suppressions.
        pack: the knowledge pack the assessments use (labels, citations, texts).
        site: the department printed in every header.
        clock: supplies "today" (default as-of date) and the generated-at time.
        record_event: appends an event to the audit log.
        language: catalogue language of the patient-facing documents.
        renderer: renders a context (injected by tests; defaults to `render_report`).
    """

    def __init__(
        self,
        get: Callable[[str], Patient],
        assess: Callable[[Patient, dt.date], Assessment],
        pack: KnowledgePack,
        site: SiteInfo,
        clock: Clock,
        record_event: RecordEvent,
        *,
        language: str = "en",
        renderer: Callable[[ReportContext, ReportKind, Paper, Any], None] = _render_report,
    ) -> None:
        self._get = get
        self._assess = assess
        self._pack = pack
        self._site = site
        self._clock = clock
        self._record_event = record_event
        self._language = language
        self._renderer = renderer

    def context(self, patient_id: str, *, as_of: dt.date | None = None) -> ReportContext:
        """Build the report context of a patient (as of today unless `as_of` is given)."""
        patient = self._get(patient_id)
        day = as_of if as_of is not None else self._clock.today()
        assessment = self._assess(patient, day)
        return build_context(
            patient, assessment, self._pack, self._site, self._clock.now(), self._language
        )

    def render(
        self, patient_id: str, kind: ReportKind, paper: Paper, *, as_of: dt.date | None = None
    ) -> RenderedReport:
        """Render a document in memory (for a preview); nothing is written or audited."""
        context = self.context(patient_id, as_of=as_of)
        buffer = io.BytesIO()
        self._renderer(context, kind, paper, buffer)
        return RenderedReport(patient_id, kind, paper, buffer.getvalue(), context)

    def write(
        self,
        patient_id: str,
        kind: ReportKind,
        paper: Paper,
        out_path: Path,
        *,
        as_of: dt.date | None = None,
    ) -> Path:
        """Render a document to `out_path` atomically and record a ``report`` audit event.

        Returns:
            The absolute path written.

        Raises:
            NotFound: unknown patient.
            ReportError: bad kind or paper, a missing output folder, a layout failure.
            EnvironmentProblem: the folder is not writable or the disk is full.
        """
        target = Path(out_path).expanduser().absolute()
        if not target.parent.is_dir():
            raise ReportError(f"output: the folder {target.parent} does not exist")
        if target.is_dir():
            raise ReportError(f"output: {target} is a folder; give a file name ending in .pdf")
        context = self.context(patient_id, as_of=as_of)
        temp = self._render_to_temp(context, kind, paper, target)
        try:
            digest = hashlib.sha256(temp.read_bytes()).hexdigest()
            self._record_event(
                "report",
                "patient",
                patient_id,
                self._details(context, kind, paper, str(target), digest),
            )
            os.replace(temp, target)
        except OSError as exc:
            raise EnvironmentProblem(
                f"The report could not be saved as {target}: {exc.strerror or exc}",
                detail=repr(exc),
            ) from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        return target

    def record_print(self, report: RenderedReport, printer: str = "") -> None:
        """Record that a previewed document was sent to a printer."""
        details = self._details(
            report.context,
            report.kind,
            report.paper,
            "",
            hashlib.sha256(report.pdf).hexdigest(),
        )
        details["printer"] = printer
        self._record_event("print", "patient", report.patient_id, details)

    def _render_to_temp(
        self, context: ReportContext, kind: ReportKind, paper: Paper, target: Path
    ) -> Path:
        try:
            handle, name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".part", dir=target.parent
            )
        except OSError as exc:
            raise EnvironmentProblem(
                f"The folder {target.parent} is not writable: {exc.strerror or exc}",
                detail=repr(exc),
            ) from exc
        temp = Path(name)
        try:
            with os.fdopen(handle, "wb") as stream:
                self._renderer(context, kind, paper, stream)
                stream.flush()
                os.fsync(stream.fileno())
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise EnvironmentProblem(
                f"The report could not be written to {target.parent}: {exc.strerror or exc}",
                detail=repr(exc),
            ) from exc
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return temp

    @staticmethod
    def _details(
        context: ReportContext, kind: ReportKind, paper: Paper, path: str, digest: str
    ) -> dict[str, Any]:
        stamp = context.stamp
        return {
            "kind": kind,
            "paper": paper,
            "path": path,
            "snapshot": stamp.snapshot_sha256,
            "as_of": stamp.as_of.isoformat(),
            "knowledge_base": stamp.pack + (f" + {stamp.overrides}" if stamp.overrides else ""),
            "language": context.language,
            "generated_at": context.generated_at.isoformat(),
            "pdf_sha256": digest,
            # Hash of the frozen context: exactly what was printed, reproducible later.
            "context_sha256": context_digest(context),
        }

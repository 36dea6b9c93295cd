"""ReportService: atomic writes, audit events, as-of handling and failure paths."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from itp_desktop.core.clock import FixedClock
from itp_desktop.core.errors import EnvironmentProblem, NotFound, ReportError, StorageError
from itp_desktop.core.models.assessment import Assessment
from itp_desktop.core.models.patient import Patient
from itp_desktop.reports import render_report
from itp_desktop.services import reports as reports_module
from itp_desktop.services.reports import ReportService
from tests.unit.reports.report_fixtures import (
    AS_OF,
    SITE,
    SNAPSHOT,
    make_assessment,
    make_pack,
    make_patient,
)

NOW = dt.datetime(2026, 11, 23, 8, 15, tzinfo=dt.UTC)


class Harness:
    """A patient store, an assess stub and an audit log in memory."""

    def __init__(self) -> None:
        self.patient = make_patient()
        self.events: list[tuple[str, str, str | None, Any]] = []
        self.assessed: list[dt.date] = []
        self.fail_audit = False

    def get(self, patient_id: str) -> Patient:
        if patient_id != self.patient.id:
            raise NotFound(f"No patient with id {patient_id}")
        return self.patient

    def assess(self, patient: Patient, as_of: dt.date) -> Assessment:
        self.assessed.append(as_of)
        return make_assessment(patient, as_of=as_of)

    def record_event(self, action: str, entity: str, entity_id: str | None, details: Any) -> None:
        if self.fail_audit:
            raise StorageError("The audit log is locked")
        self.events.append((action, entity, entity_id, details))

    def service(self, **kw: Any) -> ReportService:
        return ReportService(
            self.get,
            self.assess,
            make_pack(),
            SITE,
            FixedClock(NOW),
            self.record_event,
            **kw,
        )


@pytest.fixture
def harness() -> Harness:
    return Harness()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_write_renders_atomically_and_audits(harness: Harness, tmp_path: Path):
    target = tmp_path / "plan.pdf"
    written = harness.service().write("pt-1", "clinician", "letter", target)
    assert written == target.absolute()
    data = target.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert round(float(reader.pages[0].mediabox.width)) == 612
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Generated 23 Nov 2026 08:15 UTC" in text
    assert "Assessment as of 23 Nov 2026" in text  # today from the clock
    assert harness.assessed == [NOW.date()]
    assert _leftovers(tmp_path) == []
    [(action, entity, entity_id, details)] = harness.events
    assert (action, entity, entity_id) == ("report", "patient", "pt-1")
    assert details["kind"] == "clinician"
    assert details["paper"] == "letter"
    assert details["path"] == str(target.absolute())
    assert details["snapshot"] == SNAPSHOT
    assert details["as_of"] == "2026-11-23"
    assert details["knowledge_base"] == "test-pack 1.2.3 + site-demo 2.0.0"
    assert details["pdf_sha256"] == hashlib.sha256(data).hexdigest()
    assert len(details["context_sha256"]) == 64


def test_write_uses_the_given_as_of_and_replaces_an_old_file(harness: Harness, tmp_path: Path):
    target = tmp_path / "card.pdf"
    target.write_bytes(b"old")
    harness.service().write("pt-1", "card", "a4", target, as_of=AS_OF)
    assert harness.assessed == [AS_OF]
    assert target.read_bytes().startswith(b"%PDF-")
    assert harness.events[0][3]["as_of"] == "2026-11-22"


def test_failed_audit_leaves_no_file_and_keeps_the_old_one(harness: Harness, tmp_path: Path):
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"previous report")
    harness.fail_audit = True
    with pytest.raises(StorageError):
        harness.service().write("pt-1", "patient", "a4", target)
    assert target.read_bytes() == b"previous report"
    assert _leftovers(tmp_path) == []


def test_failed_render_leaves_nothing_and_audits_nothing(harness: Harness, tmp_path: Path):
    def broken(context: Any, kind: Any, paper: Any, out: Any) -> None:
        out.write(b"%PDF-half")
        raise ReportError("layout failed")

    with pytest.raises(ReportError, match="layout failed"):
        harness.service(renderer=broken).write("pt-1", "vaccines", "a4", tmp_path / "v.pdf")
    assert list(tmp_path.iterdir()) == []
    assert harness.events == []


def test_bad_targets_and_unknown_patient(harness: Harness, tmp_path: Path):
    service = harness.service()
    with pytest.raises(ReportError, match="does not exist"):
        service.write("pt-1", "card", "a4", tmp_path / "missing" / "card.pdf")
    with pytest.raises(ReportError, match="is a folder"):
        service.write("pt-1", "card", "a4", tmp_path)
    with pytest.raises(ReportError, match="kind"):
        service.write("pt-1", "leaflet", "a4", tmp_path / "x.pdf")  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        service.write("nobody", "card", "a4", tmp_path / "x.pdf")
    assert harness.events == []
    assert list(tmp_path.iterdir()) == []


def test_full_disk_is_an_environment_problem(
    harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    def no_space(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(reports_module.tempfile, "mkstemp", no_space)
    with pytest.raises(EnvironmentProblem, match="No space left on device"):
        harness.service().write("pt-1", "card", "a4", tmp_path / "card.pdf")
    assert harness.events == []


def test_render_for_preview_then_record_print(harness: Harness):
    service = harness.service(renderer=render_report)
    report = service.render("pt-1", "patient", "a4", as_of=AS_OF)
    assert report.pdf.startswith(b"%PDF-")
    assert report.context.stamp.as_of == AS_OF
    assert harness.events == []
    service.record_print(report, printer="Ward 3 LaserJet")
    [(action, entity, entity_id, details)] = harness.events
    assert (action, entity, entity_id) == ("print", "patient", "pt-1")
    assert details["printer"] == "Ward 3 LaserJet"
    assert details["kind"] == "patient"
    assert details["pdf_sha256"] == hashlib.sha256(report.pdf).hexdigest()

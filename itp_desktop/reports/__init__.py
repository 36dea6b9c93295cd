"""PDF documents rendered with reportlab from a frozen report context.

`build_context` (in `context`) gathers everything a document shows; `render_report` lays out
one document kind — the clinician care plan, the patient plan, the emergency wallet card or
the vaccination record — on A4 or US Letter and writes it to a path or a binary stream.
reportlab is imported only when a document is rendered, so importing this package (and
building contexts) stays light for the CLI and services.

May import: core, stdlib, pydantic, reportlab. Never Qt, storage, engine or knowledge.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from itp_desktop.core.errors import ReportError
from itp_desktop.reports.context import (
    PAPERS,
    REPORT_KINDS,
    Paper,
    ReportContext,
    ReportKind,
    SiteInfo,
    build_context,
)

__all__ = [
    "PAPERS",
    "REPORT_KINDS",
    "Paper",
    "ReportContext",
    "ReportKind",
    "SiteInfo",
    "build_context",
    "render_report",
]


def render_report(
    context: ReportContext,
    kind: ReportKind,
    paper: Paper,
    out: Path | BinaryIO,
) -> None:
    """Render one document of `context` as a PDF.

    Args:
        context: built by `build_context`.
        kind: ``clinician``, ``patient``, ``card`` or ``vaccines``.
        paper: ``a4`` or ``letter``.
        out: a file path (created or replaced) or a writable binary stream.

    Raises:
        ReportError: unknown kind or paper, or a layout that cannot be completed.
    """
    if kind not in REPORT_KINDS:
        raise ReportError(f"kind: must be one of {', '.join(REPORT_KINDS)} (got {kind!r})")
    if paper not in PAPERS:
        raise ReportError(f"paper: must be one of {', '.join(PAPERS)} (got {paper!r})")
    # Imported here so that reportlab loads only when a document is actually rendered.
    if kind == "clinician":
        from itp_desktop.reports import clinician as module
    elif kind == "patient":
        from itp_desktop.reports import patient_plan as module  # type: ignore[no-redef]
    elif kind == "card":
        from itp_desktop.reports import card as module  # type: ignore[no-redef]
    else:
        from itp_desktop.reports import vaccines as module  # type: ignore[no-redef]
    module.render(context, paper, out)

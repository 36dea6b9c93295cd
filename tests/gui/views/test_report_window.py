"""The report window: preview renders pages, save writes an audited PDF, print is audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from itp_desktop.gui.operations.context import OperationContext
from itp_desktop.gui.views import report_view
from itp_desktop.gui.views.report_view import ReportWindow

PATIENT = "demo-08-bleeding-now-rescue"


def audit_actions(ctx: OperationContext) -> list[str]:
    repository = ctx.services.base.store_handle.repository()
    return [entry.action for entry in repository.audit_log(PATIENT)]


def open_window(qtbot: QtBot, ctx: OperationContext) -> ReportWindow:
    assert ctx.services.reports is not None
    window = ReportWindow(ctx, ctx.services.reports, PATIENT, "SCHÄFER, Margarethe")
    qtbot.addWidget(window)
    return window


def test_preview_renders_every_page_and_enables_print(qtbot: QtBot, ctx: OperationContext) -> None:
    window = open_window(qtbot, ctx)
    assert not window.print_button.isEnabled()
    window.render_preview()
    assert window.preview is not None
    pages = [window.pages.itemAt(i).widget() for i in range(window.pages.count())]
    assert len(pages) >= 2
    assert all(isinstance(page, QLabel) and not page.pixmap().isNull() for page in pages)
    assert window.status.text().startswith("Clinician summary: ")
    assert window.print_button.isEnabled()
    # Choosing another document renders it (the preview itself is not audited).
    window.kind_combo.setCurrentIndex(window.kind_combo.findData("card"))
    assert window.preview.kind == "card"
    assert "report" not in audit_actions(ctx)


def test_save_writes_an_audited_pdf(
    qtbot: QtBot, ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.pdf"
    monkeypatch.setattr(
        report_view.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)")
    )
    window = open_window(qtbot, ctx)
    window.save_button.click()
    assert target.read_bytes().startswith(b"%PDF")
    assert audit_actions(ctx)[-1] == "report"


def test_print_sends_the_previewed_pages_and_audits_it(
    qtbot: QtBot, ctx: OperationContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    printed = tmp_path / "printed.pdf"

    class AcceptingPrintDialog:
        """Stands in for the system print dialog: prints to a PDF file."""

        def __init__(self, printer: QPrinter, _parent: object) -> None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(printed))

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(report_view, "QPrintDialog", AcceptingPrintDialog)
    window = open_window(qtbot, ctx)
    window.render_preview()
    window.print_button.click()
    assert printed.read_bytes().startswith(b"%PDF")
    assert audit_actions(ctx)[-1] == "print"

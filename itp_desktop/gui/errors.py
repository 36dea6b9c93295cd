"""Error presentation: one function for expected errors, one crash dialog for bugs.

`show_error(parent, exc)` turns an `ItpError` into a message box (plain message, technical
detail folded away); anything else is a bug and goes to `show_crash`. The crash dialog shows the
traceback in a read-only box with "Copy details" and "Open log folder" buttons; only one crash
dialog is open at a time, so a cascade of errors cannot bury the user in dialogs (the rest are
still logged). Nothing is sent anywhere: the app is offline.
May import: PySide6, core.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from itp_desktop.core.errors import EnvironmentProblem, ItpError

log = logging.getLogger(__name__)

_crash_dialog_open = False


def build_error_box(parent: QWidget | None, exc: ItpError) -> QMessageBox:
    """The message box `show_error` shows for an expected error (built, not shown)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    if isinstance(exc, EnvironmentProblem):
        box.setWindowTitle("ITP Desktop — problem with the computer or the store")
    else:
        box.setWindowTitle("ITP Desktop")
    box.setText(exc.message)
    if exc.detail:
        box.setDetailedText(exc.detail)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def show_error(parent: QWidget | None, exc: BaseException, log_file: Path | None = None) -> None:
    """Show an error: a message box for `ItpError`, the crash dialog for anything else."""
    if isinstance(exc, ItpError):
        log.info("Shown to the user: %s", exc.message)
        build_error_box(parent, exc).exec()
        return
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    show_crash(parent, details, log_file)


class CrashDialog(QDialog):
    """Says that something unexpected happened, with copyable details and the log folder."""

    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("ITP Desktop — unexpected error")
        self._details = details
        self._log_file = log_file
        where = f"<br>The details were written to the log file:<br><code>{log_file}</code>"
        text = QLabel(
            "<b>ITP Desktop hit an unexpected problem.</b><br>"
            "Data saved before this message is safe in the store; a change that was being "
            "saved when the problem happened was not written."
            + (where if log_file else "")
            + "<br>Please give the details below to your IT support."
        )
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_box = QPlainTextEdit(details)
        self.details_box.setReadOnly(True)
        self.details_box.setMinimumSize(560, 220)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy details")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        if log_file is not None:
            open_button = QPushButton("Open log folder")
            buttons.addButton(open_button, QDialogButtonBox.ButtonRole.ActionRole)
            open_button.clicked.connect(self._on_open_button_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.details_box)
        layout.addWidget(buttons)

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self._details)
        self.copy_button.setText("Copied")

    def _on_open_button_clicked(self) -> None:
        if self._log_file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._log_file.parent)))


def show_crash(parent: QWidget | None, details: str, log_file: Path | None) -> None:
    """Show the crash dialog unless one is already open (then the error is only logged)."""
    global _crash_dialog_open  # one dialog per process, by design
    if _crash_dialog_open:
        return
    _crash_dialog_open = True
    try:
        CrashDialog(details, log_file, parent).exec()
    finally:
        _crash_dialog_open = False

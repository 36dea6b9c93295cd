"""`AboutDialog`: version, knowledge pack, store location and the clinical disclaimer.

May import: PySide6, services.api, core.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from itp_desktop.services.api import AppInfo


class AboutDialog(QDialog):
    """Read-only facts about the installation; the disclaimer is always shown in full."""

    def __init__(self, info: AppInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About ITP Desktop")
        self.text_label = QLabel(self._html(info))
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.RichText)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text_label.setMinimumWidth(460)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text_label)
        layout.addWidget(buttons)

    @staticmethod
    def _html(info: AppInfo) -> str:
        status = ""
        if info.knowledge_status != "approved":
            status = (
                f"<p><b>The knowledge pack is a {escape(info.knowledge_status)} and has not "
                "been approved by your department.</b></p>"
            )
        return (
            f"<h3>ITP Desktop {escape(info.version)}</h3>"
            "<p>Offline assistant for clinics that treat immune thrombocytopenia (ITP).</p>"
            f"<p>Knowledge pack: {escape(info.knowledge_pack)}<br>"
            f"Patient store: {escape(info.store_path)}<br>"
            f"Log files: {escape(info.log_dir)}</p>"
            f"{status}"
            f"<p><i>{escape(info.disclaimer)}</i></p>"
        )

"""`SettingsDialog`: the typed `Settings` model (units, site, paper, backups, large font).

The data folders are shown read-only with how to change them (the data folder is chosen when the
program starts, with ``--data-dir`` or ``ITP_DESKTOP_DATA_DIR``, so that one installation can
never silently switch stores). Backup folder and retention take effect at the next start.
May import: PySide6, core, settings, services API, gui.dialogs, gui.widgets.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from itp_desktop.core.codes import PlateletUnit
from itp_desktop.core.units import UNIT_LABELS
from itp_desktop.gui.dialogs.base import ModelDialog
from itp_desktop.gui.dialogs.patient_dialog import enum_combo
from itp_desktop.services.desktop_api import DataFolders
from itp_desktop.settings import Settings

PAPER_LABELS = {"a4": "A4", "letter": "US Letter"}


class SettingsDialog(ModelDialog[Settings]):
    """Edit the user settings."""

    model_type = Settings

    def __init__(
        self, settings: Settings, folders: DataFolders, parent: QWidget | None = None
    ) -> None:
        super().__init__("Settings", parent)
        self._settings = settings
        self.site_edit = QLineEdit(settings.site_name)
        self.phone_edit = QLineEdit(settings.clinic_phone)
        self.unit_combo = enum_combo(
            {unit.value: UNIT_LABELS[unit] for unit in PlateletUnit},
            settings.platelet_display_unit,
        )
        self.paper_combo = enum_combo(PAPER_LABELS, settings.paper_size)
        self.backup_edit = QLineEdit(settings.backup_dir or "")
        self.backup_edit.setPlaceholderText(f"Default: {folders.backup_dir}")
        browse = QPushButton("Choose…")
        browse.setAccessibleName("Choose backup folder")
        browse.clicked.connect(self._on_browse_clicked)
        backup_row = QWidget()
        row = QHBoxLayout(backup_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.backup_edit, 1)
        row.addWidget(browse)
        self.keep_spin = QSpinBox()
        self.keep_spin.setRange(1, 365)
        self.keep_spin.setValue(settings.backup_keep)
        self.large_check = QCheckBox("Larger text everywhere (also Ctrl+Shift+F)")
        self.large_check.setChecked(settings.large_font)
        self.add_field("site_name", "&Site name", self.site_edit, "Printed on care plans.")
        self.add_field("clinic_phone", "Clinic &phone", self.phone_edit)
        self.add_field(
            "platelet_display_unit",
            "Platelet &unit shown",
            self.unit_combo,
            "Counts are stored as entered; this only changes how they are shown.",
        )
        self.add_field("paper_size", "&Paper", self.paper_combo)
        self.add_field(
            "backup_dir",
            "&Backup folder",
            backup_row,
            "Takes effect at the next start.",
        )
        self.add_field("backup_keep", "Backups &kept", self.keep_spin, "Per kind of backup.")
        self.add_field("large_font", "Text size", self.large_check)
        box = QGroupBox("Data folders (read-only)")
        column = QVBoxLayout(box)
        info = QLabel(
            f"Data folder: {folders.data_dir}\nStore: {folders.store_path}\n"
            f"Logs: {folders.log_dir}\nReports: {folders.reports_dir}\n\n"
            "To use another data folder, start ITP Desktop with --data-dir FOLDER or set "
            "ITP_DESKTOP_DATA_DIR."
        )
        info.setWordWrap(True)
        info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(info)
        self.form.addRow(box)
        self.site_edit.setFocus()

    def collect(self) -> dict[str, Any]:
        data = self._settings.model_dump()
        data.update(
            site_name=self.site_edit.text().strip(),
            clinic_phone=self.phone_edit.text().strip(),
            platelet_display_unit=self.unit_combo.currentData(),
            paper_size=self.paper_combo.currentData(),
            backup_dir=self.backup_edit.text().strip() or None,
            backup_keep=self.keep_spin.value(),
            large_font=self.large_check.isChecked(),
        )
        return data

    def _on_browse_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Backup folder", self.backup_edit.text())
        if folder:
            self.backup_edit.setText(folder)

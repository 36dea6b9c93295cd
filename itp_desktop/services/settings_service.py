"""`SettingsService`: reads and saves the one typed `Settings` model, and the recent patients.

Saving validates the whole model (pydantic) and writes the JSON file atomically; the GUI gets a
`ChangeSet` with ``settings=True`` and re-reads what it shows. Settings that are read when the
store is opened (backup folder and retention) take effect at the next start; the dialog says so.
May import: core, settings, paths, services, stdlib.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from itp_desktop.core.changes import ChangeSet
from itp_desktop.core.errors import ValidationFailed
from itp_desktop.core.validation import problems_from_pydantic
from itp_desktop.paths import AppPaths
from itp_desktop.services.desktop_api import DataFolders
from itp_desktop.settings import Settings, save_settings

RECENT_KEPT = 10


class SettingsService:
    """The settings in force.

    Args:
        paths: folders of the installation (the settings file lives in its config folder).
        initial: the settings read at start-up.
        backup_dir: the backup folder actually in use (settings may have moved it).
    """

    def __init__(self, paths: AppPaths, initial: Settings, backup_dir: str | None = None) -> None:
        self._paths = paths
        self._settings = initial
        self._backup_dir = backup_dir or str(paths.backup_dir)

    def current(self) -> Settings:
        """The settings in force."""
        return self._settings

    def save(self, settings: Settings | dict[str, Any]) -> ChangeSet:
        """Validate and save settings.

        Raises:
            ValidationFailed: naming each invalid field.
        """
        try:
            model = Settings.model_validate(
                settings.model_dump() if isinstance(settings, Settings) else settings
            )
        except ValidationError as exc:
            raise ValidationFailed(problems_from_pydantic(exc), context="Settings") from None
        save_settings(self._paths.settings_path, model)
        self._settings = model
        return ChangeSet(settings=True)

    def remember_patient(self, patient_id: str) -> Settings:
        """Put a patient first in the recent-patients list (at most `RECENT_KEPT`) and save."""
        recent = [patient_id, *(p for p in self._settings.recent_patients if p != patient_id)]
        if recent[:RECENT_KEPT] != self._settings.recent_patients:
            self.save(self._settings.model_copy(update={"recent_patients": recent[:RECENT_KEPT]}))
        return self._settings

    def folders(self) -> DataFolders:
        """Folders of the installation (shown read-only: the data folder is chosen at start)."""
        paths = self._paths
        return DataFolders(
            data_dir=str(paths.data_dir),
            store_path=str(paths.store_path),
            backup_dir=self._backup_dir,
            log_dir=str(paths.log_dir),
            reports_dir=str(paths.reports_dir),
            settings_path=str(paths.settings_path),
        )

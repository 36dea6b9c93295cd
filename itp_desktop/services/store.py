"""`StoreService`: backups, restore and integrity checks of the patient store.

Restore closes the store, lets the storage layer verify the backup file (integrity, known
schema, intact audit chain) and swap it in while keeping the replaced store as a backup; the
next service call reopens the store. May import: core, storage (protocol), services, stdlib.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from itp_desktop.core.errors import NotFound
from itp_desktop.core.models.records import BackupInfo, VerifyReport
from itp_desktop.services.store_handle import StoreHandle


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did.

    Attributes:
        restored_from: the backup file that is now the store.
        replaced_backup: the backup of the replaced store (None when there was no store).
    """

    restored_from: Path
    replaced_backup: BackupInfo | None


Restorer = Callable[[Path], BackupInfo | None]
"""restore(file) -> backup of the replaced store (None when there was none)."""


class StoreService:
    """Backup, restore, verify.

    Args:
        store: the store handle.
        restorer: verifies a backup file and swaps it in (store closed meanwhile).
    """

    def __init__(self, store: StoreHandle, restorer: Restorer) -> None:
        self._store = store
        self._restorer = restorer

    @property
    def path(self) -> Path:
        """The store file."""
        return self._store.path

    @property
    def exists(self) -> bool:
        """True when the store file exists."""
        return self._store.exists

    def require_store(self) -> None:
        """Raise `NotFound` with a helpful message when there is no store yet."""
        if not self._store.exists:
            raise NotFound(
                f"No patient store at {self._store.path}. Create the demo store with "
                "`itp-desktop demo`, or import patients with `itp-desktop import FILE`."
            )

    def backup(self) -> BackupInfo:
        """Write a backup now (SQLite online backup; the store stays usable).

        Raises:
            NotFound: there is no store.
            StorageError: the backup could not be written.
        """
        self.require_store()
        return self._store.repository().backup("manual")

    def list_backups(self) -> list[BackupInfo]:
        """Backups on disk, newest first (empty when there is no store)."""
        if not self._store.exists:
            return []
        return self._store.repository().list_backups()

    def verify(self) -> VerifyReport:
        """Check the store's integrity, its backups and the audit hash chain.

        Raises:
            NotFound: there is no store.
        """
        self.require_store()
        return self._store.repository().verify()

    def restore(self, backup_file: Path) -> RestoreResult:
        """Replace the store with a verified backup; the replaced store is kept as a backup.

        Raises:
            NotFound: the file does not exist.
            IntegrityProblem: the file failed verification (the store is unchanged).
        """
        if not backup_file.is_file():
            raise NotFound(f"Backup file not found: {backup_file}")
        self._store.close()
        replaced = self._restorer(backup_file)
        return RestoreResult(restored_from=backup_file, replaced_backup=replaced)

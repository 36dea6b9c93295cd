"""`StoreHandle`: opens the patient store on first use and closes it when asked.

Services hold the handle, not an open store: commands that never touch patient data (``schema``,
``assess``, ``kb``) never open or create a store, and ``restore`` can close the store, replace
the file and let the next call reopen it. May import: core, storage (protocol), stdlib.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from itp_desktop.storage.repository import PatientRepository


class StoreHandle:
    """Lazily opened store.

    Args:
        path: the store file.
        opener: opens (creating and migrating if needed) the store at `path`.
    """

    def __init__(self, path: Path, opener: Callable[[], PatientRepository]) -> None:
        self.path = path
        self._opener = opener
        self._repository: PatientRepository | None = None

    @property
    def exists(self) -> bool:
        """True when the store file exists on disk."""
        return self.path.exists()

    @property
    def is_open(self) -> bool:
        """True while the store is open."""
        return self._repository is not None

    def repository(self) -> PatientRepository:
        """The open store (opened on first call).

        Raises:
            StoreInUse, StorageError: the store cannot be opened.
        """
        if self._repository is None:
            self._repository = self._opener()
        return self._repository

    def close(self) -> None:
        """Close the store if it is open (idempotent)."""
        repository, self._repository = self._repository, None
        if repository is not None:
            repository.close()

"""`DemoService`: builds the curated demo store and large synthetic stores for benchmarks.

A store is always built in a temporary file next to the real one and swapped in only when it is
complete, so a failure (or Ctrl+C) half-way through a 100,000-patient build leaves the existing
store untouched. A store that already holds patients is replaced only with ``force``, and then
through the storage layer's restore, which keeps the replaced store as a backup. Demo patients
are validated like any other record (pack units, no future results) before they are saved.
May import: core, demo, storage (protocol), services, stdlib.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from itp_desktop.core.clock import Clock
from itp_desktop.core.errors import ItpError
from itp_desktop.core.models.patient import Patient
from itp_desktop.core.models.records import BackupInfo
from itp_desktop.services.patients import PatientService
from itp_desktop.services.store import Restorer
from itp_desktop.services.store_handle import StoreHandle
from itp_desktop.storage.repository import PatientRepository

Progress = Callable[[int, int], None]
"""progress(done, total)."""

BATCH = 2_000


@dataclass(frozen=True)
class DemoResult:
    """A built store.

    Attributes:
        store_path: the store file.
        patients: number of patients in it.
        replaced_backup: backup of the store it replaced, if any.
    """

    store_path: Path
    patients: int
    replaced_backup: BackupInfo | None


class DemoService:
    """Builds demo and synthetic stores.

    Args:
        store: the store handle.
        patients: validates records like any save.
        clock: the demo's "today".
        open_store: opens (creating) a store at a given path.
        restorer: swaps a complete store file in, keeping the replaced one as a backup.
    """

    def __init__(
        self,
        store: StoreHandle,
        patients: PatientService,
        clock: Clock,
        open_store: Callable[[Path], PatientRepository],
        restorer: Restorer,
    ) -> None:
        self._store = store
        self._patients = patients
        self._clock = clock
        self._open_store = open_store
        self._restorer = restorer

    def build_demo_store(self, *, force: bool = False) -> DemoResult:
        """Create the store with the curated demo patients (about 25).

        Raises:
            ItpError: the store already holds patients and `force` is False.
            ValidationFailed: a demo patient does not validate (a bug in the demo data).
        """
        from itp_desktop.demo.curated import build_demo_patients  # only this command needs it

        today = self._clock.today()
        patients = [
            self._patients.validate(p, context=f"demo patient {p.mrn}")
            for p in build_demo_patients(today)
        ]
        return self._build(patients, len(patients), force=force, progress=None)

    def build_synthetic_store(
        self,
        count: int,
        *,
        seed: int = 1,
        force: bool = False,
        progress: Progress | None = None,
    ) -> DemoResult:
        """Create a store of `count` generated patients (benchmarks, large-store trials).

        Raises:
            ItpError: the store already holds patients and `force` is False.
        """
        from itp_desktop.demo.synthetic import generate_patients  # only this command needs it

        generated = generate_patients(count, seed=seed, today=self._clock.today())
        return self._build(generated, count, force=force, progress=progress)

    # ------------------------------------------------------------------ helpers
    def _check_replace(self, force: bool) -> None:
        if not self._store.exists or force:
            return
        held = self._store.repository().count(include_archived=True)
        if held:
            raise ItpError(
                f"The store at {self._store.path} already holds {held:,} patients. "
                "Use --force to replace it (the current store is kept as a backup), or "
                "choose another folder with --data-dir."
            )

    def _build(
        self,
        patients: Iterable[Patient],
        total: int,
        *,
        force: bool,
        progress: Progress | None,
    ) -> DemoResult:
        self._check_replace(force)
        target = self._store.path
        target.parent.mkdir(parents=True, exist_ok=True)
        building = target.with_name(f".{target.stem}-building{target.suffix}")
        _remove_store_files(building)
        try:
            repository = self._open_store(building)
            try:
                done = 0
                iterator = iter(patients)
                while batch := list(itertools.islice(iterator, BATCH)):
                    repository.save_many(batch, action="import")
                    done += len(batch)
                    if progress is not None:
                        progress(done, total)
            finally:
                repository.close()
            self._store.close()
            replaced = self._install(building, target)
        finally:
            _remove_store_files(building)
        return DemoResult(store_path=target, patients=done, replaced_backup=replaced)

    def _install(self, building: Path, target: Path) -> BackupInfo | None:
        if target.exists():
            # The storage layer verifies the new file and keeps the replaced store as a backup.
            return self._restorer(building)
        building.replace(target)
        return None


def _remove_store_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()

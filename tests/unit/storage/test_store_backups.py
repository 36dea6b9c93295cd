"""Backups: daily rotation, manual backups, owner-only files, verified restore."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from itp_desktop.core.errors import IntegrityProblem, NotFound, StorageError, StoreInUse
from itp_desktop.core.models.patient import Patient
from itp_desktop.storage import backups
from itp_desktop.storage.sqlite_store import SqliteStore

PatientFactory = Callable[..., Patient]
StoreFactory = Callable[..., SqliteStore]
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _mrns(path: Path) -> list[str]:
    with closing(backups.open_read_only(path)) as raw:
        return [row[0] for row in raw.execute("SELECT mrn FROM patients ORDER BY mrn")]


def test_daily_backup_once_per_day_and_rotated(
    open_store: StoreFactory, clock: Any, store_path: Path
) -> None:
    def listed() -> list[Any]:
        return backups.list_backups(store_path.parent / "backups", store_path.stem)

    open_store(keep_backups=3).close()  # creates the store: nothing to back up yet
    assert listed() == []
    for _day in range(5):
        open_store(keep_backups=3).close()
        open_store(keep_backups=3).close()  # second open the same day: no new backup
        clock.advance(days=1)
    daily = listed()
    assert [b.reason for b in daily] == ["daily"] * 3
    assert [b.created.day for b in daily] == [26, 25, 24]
    assert all(b.size_bytes > 0 for b in daily)


def test_manual_backup_is_complete_audited_and_private(
    store: SqliteStore, make_patient: PatientFactory
) -> None:
    store.save(make_patient(mrn="M-1"))
    info = store.backup()
    path = Path(info.path)
    assert info.reason == "manual"
    assert path.name.endswith("-manual.sqlite3")
    assert "20261122T090000" in path.name
    assert _mrns(path) == ["M-1"]
    assert not Path(f"{path}-wal").exists()  # one self-contained file
    assert backups.verify_file(path).ok
    assert store.audit_log()[-1].action == "backup"
    if os.name == "posix":
        assert _mode(path) == 0o600
    second = store.backup()  # same instant: a distinct name
    assert second.path != info.path
    assert second.path.endswith("-manual-2.sqlite3")
    assert [b.path for b in store.list_backups()] == [second.path, info.path]


def test_unknown_backup_reason_is_refused(store: SqliteStore) -> None:
    with pytest.raises(StorageError, match="pre-restore"):
        store.backup("weekly")


@posix_only
def test_store_files_are_owner_only(
    store: SqliteStore, make_patient: PatientFactory, store_path: Path
) -> None:
    store.save(make_patient())
    files = [store_path, Path(f"{store_path}-wal"), Path(f"{store_path}-shm")]
    assert all(f.exists() for f in files)
    assert [_mode(f) for f in files] == [0o600] * 3
    assert _mode(store_path.parent) == 0o700


def test_restore_replaces_store_and_keeps_the_old_one(
    open_store: StoreFactory, make_patient: PatientFactory, store_path: Path, clock: Any
) -> None:
    store = open_store()
    store.save(make_patient(mrn="BEFORE"))
    backup = Path(store.backup().path)
    store.save(make_patient(mrn="AFTER"))
    store.close()
    clock.advance(minutes=5)

    kept = SqliteStore.restore(store_path, backup, clock=clock, user="tester")

    assert kept is not None
    assert kept.reason == "pre-restore"
    assert _mrns(Path(kept.path)) == ["AFTER", "BEFORE"]
    restored = open_store()
    assert [s.mrn for s in restored.search("")] == ["BEFORE"]
    last = restored.audit_log()[-1]
    assert last.action == "restore"
    assert last.after["source"] == str(backup)
    assert restored.verify().ok


def _corrupt(path: Path) -> Path:
    path.write_bytes(b"this is not a database" * 100)
    return path


@pytest.mark.parametrize("damage", ["garbage", "chain", "revision", "not_a_store"])
def test_restore_refuses_bad_files_and_changes_nothing(
    open_store: StoreFactory,
    make_patient: PatientFactory,
    store_path: Path,
    tmp_path: Path,
    damage: str,
) -> None:
    store = open_store()
    store.save(make_patient(mrn="KEEP"))
    candidate = Path(store.backup().path)
    store.close()
    if damage == "garbage":
        _corrupt(candidate)
        expected = "not a readable"
    else:
        with closing(sqlite3.connect(candidate, isolation_level=None)) as raw:
            if damage == "chain":
                raw.execute("DROP TRIGGER audit_log_no_update")
                raw.execute("UPDATE audit_log SET user_name = 'mallory' WHERE seq = 1")
                expected = "audit chain"
            elif damage == "revision":
                raw.execute("UPDATE alembic_version SET version_num = '9999'")
                expected = "schema version"
            else:
                candidate = tmp_path / "other.sqlite3"
                raw.execute(f"ATTACH '{candidate}' AS other")
                raw.execute("CREATE TABLE other.things (x)")
                expected = "schema version"
    before = store_path.read_bytes()
    backups_before = sorted(p.name for p in store_path.parent.joinpath("backups").iterdir())

    with pytest.raises(IntegrityProblem, match=expected):
        SqliteStore.restore(store_path, candidate)

    assert store_path.read_bytes() == before
    assert sorted(p.name for p in store_path.parent.joinpath("backups").iterdir()) == backups_before
    assert not any(p.name.endswith(".restoring") for p in store_path.parent.iterdir())


def test_restore_while_store_is_open_elsewhere_is_refused(
    open_store: StoreFactory, make_patient: PatientFactory, store_path: Path
) -> None:
    store = open_store()
    store.save(make_patient(mrn="KEEP"))
    backup = Path(store.backup().path)
    store.save(make_patient(mrn="NEWER"))
    with pytest.raises(StoreInUse):
        SqliteStore.restore(store_path, backup, busy_timeout=0.2)
    assert [b.reason for b in store.list_backups()] == ["manual"]
    assert store.count() == 2
    assert store.verify().ok


def test_restore_of_missing_file(store_path: Path, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        SqliteStore.restore(store_path, tmp_path / "nothing.sqlite3")


def test_restore_into_an_empty_folder(
    open_store: StoreFactory, make_patient: PatientFactory, tmp_path: Path, clock: Any
) -> None:
    store = open_store()
    store.save(make_patient(mrn="ONLY"))
    backup = Path(store.backup().path)
    target = tmp_path / "new-home" / "itp-desktop.sqlite3"
    assert SqliteStore.restore(target, backup, clock=clock) is None
    moved = open_store(path=target)
    assert [s.mrn for s in moved.search("")] == ["ONLY"]


def test_verify_checks_backup_files(store: SqliteStore, make_patient: PatientFactory) -> None:
    store.save(make_patient())
    good = store.backup()
    bad = store.backup()
    _corrupt(Path(bad.path))
    report = store.verify()
    assert not report.ok
    by_name = {c.name: c for c in report.checks}
    assert by_name[f"backup {Path(good.path).name}"].ok
    assert not by_name[f"backup {Path(bad.path).name}"].ok
    assert report.first_broken_audit_seq is None

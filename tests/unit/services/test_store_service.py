"""StoreService: backup, restore (keeps the replaced store), verify, missing store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from itp_desktop.core.errors import IntegrityProblem, NotFound
from itp_desktop.services.container import Services
from tests.unit.services.service_helpers import record


def test_without_a_store_backup_and_verify_say_how_to_create_one(services: Services) -> None:
    with pytest.raises(NotFound, match="itp-desktop demo"):
        services.store.backup()
    with pytest.raises(NotFound, match="No patient store"):
        services.store.verify()
    assert services.store.list_backups() == []
    assert not services.store.exists  # asking did not create an empty store


def test_backup_then_restore_brings_back_the_old_data(services: Services) -> None:
    services.patients.create(record("KEEP"))
    backup = services.store.backup()
    assert Path(backup.path).is_file()
    assert backup.reason == "manual"
    services.patients.create(record("LATER"))
    assert services.patients.count() == 2
    result = services.store.restore(Path(backup.path))
    assert [r.mrn for r in services.patients.search("")] == ["KEEP"]  # reopened lazily
    assert result.replaced_backup is not None
    assert result.replaced_backup.reason == "pre-restore"
    listed = {b.path for b in services.store.list_backups()}
    assert {backup.path, result.replaced_backup.path} <= listed


def test_restore_refuses_a_file_that_is_not_a_store(services: Services, tmp_path: Path) -> None:
    services.patients.create(record("KEEP"))
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(IntegrityProblem):
        services.store.restore(junk)
    assert [r.mrn for r in services.patients.search("")] == ["KEEP"]


def test_restore_of_a_missing_file(services: Services, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        services.store.restore(tmp_path / "nope.sqlite3")


def test_verify_passes_then_reports_a_tampered_audit_entry(services: Services) -> None:
    services.patients.create(record("A"))
    services.patients.create(record("B"))
    report = services.store.verify()
    assert report.ok
    services.close()
    with sqlite3.connect(services.store.path) as conn:
        triggers = conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall()
        for (name,) in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute("UPDATE audit_log SET user_name = 'mallory' WHERE seq = 2")
    conn.close()
    report = services.store.verify()
    assert not report.ok
    assert report.first_broken_audit_seq == 2

"""Every store call is one transaction: injected failures leave nothing; locks give StoreInUse."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from itp_desktop.core.errors import StoreInUse
from itp_desktop.core.models.patient import Patient
from itp_desktop.storage import sqlite_store
from itp_desktop.storage.sqlite_store import SqliteStore

PatientFactory = Callable[..., Patient]


def _fail(*_args: Any, **_kwargs: Any) -> Any:
    raise RuntimeError("injected failure after the patient rows were written")


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as raw:
        return raw.execute(sql).fetchall()


def test_failure_mid_save_leaves_nothing(
    store: SqliteStore,
    make_patient: PatientFactory,
    store_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sqlite_store, "chain_rows", _fail)
    with pytest.raises(RuntimeError, match="injected"):
        store.save(make_patient())
    assert _rows(store_path, "SELECT count(*) FROM patients") == [(0,)]
    assert _rows(store_path, "SELECT count(*) FROM audit_log") == [(0,)]
    assert store.search("muller") == []


def test_failure_mid_update_keeps_old_version(
    store: SqliteStore,
    make_patient: PatientFactory,
    store_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved = store.save(make_patient())
    assert saved.id is not None
    monkeypatch.setattr(sqlite_store, "chain_rows", _fail)
    with pytest.raises(RuntimeError):
        store.save(saved.model_copy(update={"family_name": "Changed"}))
    monkeypatch.undo()
    assert store.get(saved.id) == saved
    assert _rows(store_path, "SELECT version, family_name FROM patients") == [(1, "Müller")]
    assert store.verify().ok


def test_failure_mid_bulk_import_leaves_nothing(
    store: SqliteStore, make_patient: PatientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_store, "chain_rows", _fail)
    with pytest.raises(RuntimeError):
        store.save_many([make_patient(mrn=f"B-{i}") for i in range(50)])
    monkeypatch.undo()
    assert store.count() == 0
    assert store.audit_log() == []


def test_second_store_sees_first_stores_writes(
    open_store: Callable[..., SqliteStore], make_patient: PatientFactory
) -> None:
    first, second = open_store(), open_store()
    saved = first.save(make_patient())
    assert saved.id is not None
    assert second.get(saved.id) == saved
    second.save(saved.model_copy(update={"given_name": "Anne"}))
    assert first.get(saved.id).given_name == "Anne"
    assert first.verify().ok


def test_held_write_lock_raises_store_in_use(
    open_store: Callable[..., SqliteStore], make_patient: PatientFactory, store_path: Path
) -> None:
    first = open_store()
    saved = first.save(make_patient())
    second = open_store(busy_timeout=0.2)
    with closing(sqlite3.connect(store_path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        with pytest.raises(StoreInUse) as info:
            second.save(make_patient(mrn="OTHER"))
        assert time.monotonic() - started < 3
        assert "in use by another ITP Desktop window or program" in info.value.message
        with pytest.raises(StoreInUse):
            second.record_event("print", "report", saved.id)
        # WAL: reading goes on while another program writes.
        assert second.count() == 1
        other.execute("ROLLBACK")
    second.save(make_patient(mrn="OTHER"))
    assert first.count() == 2
    assert first.verify().ok

"""Schema migrations: revisions, schema at head, upgrading a 0001 store with data, refusals."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, insert

from itp_desktop.core.errors import IntegrityProblem, StorageError
from itp_desktop.core.models.patient import Patient
from itp_desktop.storage import backups, migrate
from itp_desktop.storage.audit import (
    DIGEST_KEY,
    GENESIS_HASH,
    PendingEntry,
    chain_rows,
    sha256_text,
)
from itp_desktop.storage.connection import make_engine, transaction
from itp_desktop.storage.derived import derived_columns
from itp_desktop.storage.schema import (
    AUDIT_HEAD_KEY,
    FTS_TABLE,
    HEAD_REVISION,
    KNOWN_REVISIONS,
    audit_log,
    metadata,
    store_meta,
)
from itp_desktop.storage.sqlite_store import SqliteStore

PatientFactory = Callable[..., Patient]


@contextmanager
def _connection(path: Path, *, write: bool = True) -> Iterator[Connection]:
    engine = make_engine(path, 5.0)
    try:
        with transaction(engine, path, write=write) as conn:
            yield conn
    finally:
        engine.dispose()


def _store_at_0001(path: Path, patients: list[Patient], *, document: str | None = None) -> None:
    """A store as version 0001 of the program wrote it, with patients and their audit entries."""
    path.parent.mkdir(parents=True, exist_ok=True)
    at = "2025-01-01T08:00:00.000000+00:00"
    with _connection(path) as conn:
        migrate.upgrade(conn, "0001")
        pending = []
        for number, patient in enumerate(patients, start=1):
            text = document if document is not None else patient.model_dump_json()
            conn.exec_driver_sql(
                "INSERT INTO patients (pk, id, mrn, family_name, given_name, birth_date, "
                "archived, created_at, updated_at, version, document) "
                "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, 1, ?)",
                (
                    number,
                    patient.id,
                    patient.mrn,
                    patient.family_name,
                    patient.given_name,
                    patient.birth_date.isoformat(),
                    at,
                    at,
                    text,
                ),
            )
            after = {**json.loads(patient.model_dump_json()), DIGEST_KEY: sha256_text(text)}
            pending.append(PendingEntry("create", "patient", patient.id, None, after))
        rows = chain_rows(pending, head_seq=0, head_hash=GENESIS_HASH, at=at, user="old-version")
        if rows:
            conn.execute(insert(audit_log), rows)
            conn.execute(
                insert(store_meta).values(
                    key=AUDIT_HEAD_KEY, value=f"{rows[-1]['seq']}:{rows[-1]['hash']}"
                )
            )


def _old_patients(make_patient: PatientFactory) -> list[Patient]:
    course = {
        "id": "t1",
        "agent": "romiplostim",
        "start_date": "2026-06-01",
        "dose_steps": [
            {"effective_date": "2026-06-01", "amount": 1, "unit": "mcg/kg", "frequency": "weekly"}
        ],
    }
    first = make_patient(mrn="OLD-1", family_name="Núñez", given_name="José", courses=[course])
    second = make_patient(mrn="OLD-2", family_name="Øvergaard", given_name="Søren", counts=())
    return [
        Patient.model_validate(
            {
                **p.model_dump(),
                "id": f"old{i}",
                "platelet_counts": [
                    {**c.model_dump(), "id": f"c{k}"} for k, c in enumerate(p.platelet_counts)
                ],
            }
        )
        for i, p in enumerate((first, second))
    ]


def test_revision_constants_match_the_scripts() -> None:
    assert migrate.script_revisions() == list(KNOWN_REVISIONS)
    assert KNOWN_REVISIONS[-1] == HEAD_REVISION


def test_migrated_schema_equals_the_table_definitions(store: SqliteStore) -> None:
    with _connection(store.path, write=False) as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    # The FTS index is run-time managed and alembic's own table is not ours to describe.
    ignored = {FTS_TABLE, "alembic_version"}
    real = [
        d
        for d in diff
        if not (
            d[0] == "remove_table" and (d[1].name in ignored or d[1].name.startswith(FTS_TABLE))
        )
    ]
    assert real == []


def test_store_at_0001_with_data_is_migrated_on_open(
    store_path: Path,
    make_patient: PatientFactory,
    open_store: Callable[..., SqliteStore],
    clock: Any,
) -> None:
    old = _old_patients(make_patient)
    _store_at_0001(store_path, old)

    store = open_store()

    assert store.schema_revision() == HEAD_REVISION
    assert [store.get(p.id or "") for p in old] == old
    pre = [b for b in store.list_backups() if b.reason == "pre-migration"]
    assert len(pre) == 1
    with closing(backups.open_read_only(Path(pre[0].path))) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert raw.execute("SELECT count(*) FROM patients").fetchone() == (2,)
    # Backfilled search keys and summaries, as the current code computes them.
    assert [s.id for s in store.search("nunez")] == ["old0"]
    assert [s.id for s in store.search("ergaa")] == ["old1"]
    with closing(sqlite3.connect(store_path)) as raw:
        row = raw.execute(
            "SELECT count_n, latest_count_e9, latest_count_date, active_agents, summary_as_of "
            "FROM patients WHERE id = 'old0'"
        ).fetchone()
    expected = derived_columns(old[0], clock.today())
    assert row == (
        expected["count_n"],
        expected["latest_count_e9"],
        expected["latest_count_date"].isoformat(),
        "romiplostim",
        "2026-11-22",
    )
    migrated = store.audit_log()[-1]
    assert migrated.action == "migrate"
    assert migrated.after["from"] == "0001"
    assert migrated.after["to"] == HEAD_REVISION
    assert store.verify().ok
    store.close()
    assert [b.reason for b in open_store().list_backups()].count("pre-migration") == 1


def test_failed_migration_leaves_the_old_store(
    store_path: Path, make_patient: PatientFactory, open_store: Callable[..., SqliteStore]
) -> None:
    _store_at_0001(store_path, _old_patients(make_patient)[:1], document="{not json")
    with pytest.raises(ValueError, match="Expecting property name"):
        open_store()
    with closing(sqlite3.connect(store_path)) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        columns = [r[1] for r in raw.execute("PRAGMA table_info(patients)")]
        assert "name_norm" not in columns
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "suppressions" not in tables


def test_downgrade_and_upgrade_again(store: SqliteStore, make_patient: PatientFactory) -> None:
    saved = store.save(make_patient())
    path = store.path
    store.close()
    with _connection(path) as conn:
        migrate.downgrade(conn, "0001")
    with _connection(path, write=False) as conn:
        assert migrate.current_revision(conn) == "0001"
    with _connection(path) as conn:
        migrate.upgrade(conn, "head", today=dt.date(2026, 11, 22))
    reopened = SqliteStore(path, daily_backup=False)
    try:
        assert [s.id for s in reopened.search("müll")] == [saved.id]
    finally:
        reopened.close()


def test_newer_store_is_refused_untouched(
    store: SqliteStore, open_store: Callable[..., SqliteStore]
) -> None:
    path = store.path
    store.close()
    with closing(sqlite3.connect(path)) as raw, raw:
        raw.execute("UPDATE alembic_version SET version_num = '0099'")
    before = path.read_bytes()
    with pytest.raises(StorageError, match="newer version"):
        open_store()
    assert path.read_bytes() == before


def test_other_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(path)) as raw, raw:
        raw.execute("CREATE TABLE notes (text)")
    with pytest.raises(StorageError, match="not an ITP Desktop store"):
        SqliteStore(path)


def test_garbage_file_is_reported_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    with pytest.raises(IntegrityProblem, match="damaged"):
        SqliteStore(path)

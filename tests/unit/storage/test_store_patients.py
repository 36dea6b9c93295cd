"""Saving, loading, archiving and validating patients in the SQLite store."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from itp_desktop.core.codes import PlateletUnit
from itp_desktop.core.errors import ConcurrentChange, NotFound, ValidationFailed
from itp_desktop.core.models.patient import Patient, PlateletCount
from itp_desktop.storage.repository import PatientRepository
from itp_desktop.storage.sqlite_store import SqliteStore

PatientFactory = Callable[..., Patient]


def _course(agent: str, start: str, stop: str | None = None) -> dict[str, object]:
    return {
        "agent": agent,
        "start_date": start,
        "stop_date": stop,
        "dose_steps": [{"effective_date": start, "amount": 50, "unit": "mg", "frequency": "daily"}],
    }


def test_save_assigns_ids_and_round_trips(store: SqliteStore, make_patient: PatientFactory) -> None:
    stored = store.save(make_patient(courses=[_course("eltrombopag", "2026-09-01")]))

    assert stored.id is not None
    assert re.fullmatch(r"[0-9a-f]{32}", stored.id)
    ids = [c.id for c in stored.platelet_counts] + [c.id for c in stored.courses]
    assert all(i is not None and re.fullmatch(r"[0-9a-f]{12}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert store.get(stored.id) == stored


def test_given_ids_are_kept(store: SqliteStore, make_patient: PatientFactory) -> None:
    patient = make_patient().model_copy(update={"id": "P-42"})
    counts = [
        c.model_copy(update={"id": f"count-{i}"}) for i, c in enumerate(patient.platelet_counts)
    ]
    stored = store.save(patient.model_copy(update={"platelet_counts": counts}))
    assert stored.id == "P-42"
    assert [c.id for c in store.get("P-42").platelet_counts] == ["count-0", "count-1"]


def test_duplicate_entry_ids_name_the_field(
    store: SqliteStore, make_patient: PatientFactory
) -> None:
    patient = make_patient()
    counts = [c.model_copy(update={"id": "same"}) for c in patient.platelet_counts]
    with pytest.raises(ValidationFailed) as info:
        store.save(patient.model_copy(update={"platelet_counts": counts}))
    assert info.value.problems[0].path == "platelet_counts[1].id"
    assert store.count() == 0


def test_duplicate_mrn_is_refused_naming_mrn(
    store: SqliteStore, make_patient: PatientFactory
) -> None:
    store.save(make_patient(mrn="X-1"))
    with pytest.raises(ValidationFailed) as info:
        store.save(make_patient(mrn="X-1", family_name="Other"))
    assert [p.path for p in info.value.problems] == ["mrn"]
    assert "X-1" in info.value.message
    assert store.count() == 1
    assert len(store.audit_log()) == 1


def test_save_many_duplicate_mrn_in_batch_names_record(
    store: SqliteStore, make_patient: PatientFactory
) -> None:
    with pytest.raises(ValidationFailed) as info:
        store.save_many([make_patient(mrn="A"), make_patient(mrn="B"), make_patient(mrn="A")])
    assert info.value.context == "record 3"
    assert info.value.problems[0].path == "mrn"
    assert store.count() == 0


def test_save_many_is_all_or_nothing(store: SqliteStore, make_patient: PatientFactory) -> None:
    store.save(make_patient(mrn="TAKEN"))
    batch = [make_patient(mrn=f"N-{i}") for i in range(5)] + [make_patient(mrn="TAKEN")]
    with pytest.raises(ValidationFailed) as info:
        store.save_many(batch)
    assert info.value.context == "record 6"
    assert store.count() == 1
    assert [e.action for e in store.audit_log()] == ["create"]


def test_invalid_model_is_revalidated(store: SqliteStore, make_patient: PatientFactory) -> None:
    bad_count = PlateletCount.model_construct(date=dt.date(2026, 1, 1), value=-5.0)
    patient = make_patient().model_copy(update={"platelet_counts": [bad_count]})
    with pytest.raises(ValidationFailed) as info:
        store.save(patient)
    assert info.value.problems[0].path.startswith("platelet_counts[0]")


def test_actions_and_unchanged_save(store: SqliteStore, make_patient: PatientFactory) -> None:
    first = store.save(make_patient(mrn="A"))
    store.save_many([make_patient(mrn="B")])
    store.save(first)  # unchanged: no entry
    store.save(first.model_copy(update={"weight_kg": 70.0}))
    assert [e.action for e in store.audit_log()] == ["create", "import", "update"]


def test_get_unknown_raises_not_found(store: SqliteStore) -> None:
    with pytest.raises(NotFound, match="nope"):
        store.get("nope")


def test_archive_hides_from_search_but_keeps_record(
    store: SqliteStore, make_patient: PatientFactory
) -> None:
    patient = store.save(make_patient())
    assert patient.id is not None
    archived = store.set_archived(patient.id, True)
    assert archived.archived
    assert store.search("müller") == []
    assert store.count() == 0
    assert [s.id for s in store.search("müller", include_archived=True)] == [patient.id]
    assert store.all_ids() == []
    assert store.all_ids(include_archived=True) == [patient.id]
    assert store.set_archived(patient.id, True) == archived  # no-op
    store.set_archived(patient.id, False)
    assert [e.action for e in store.audit_log(patient.id)] == ["create", "archive", "unarchive"]
    with pytest.raises(NotFound):
        store.set_archived("missing", True)


def test_row_version_and_summary_columns(
    store: SqliteStore, make_patient: PatientFactory, store_path: Path
) -> None:
    patient = store.save(
        make_patient(
            counts=((dt.date(2026, 10, 1), 12.0), (dt.date(2026, 11, 1), 35.0)),
            courses=[
                _course("eltrombopag", "2026-09-01"),
                _course("avatrombopag", "2026-01-01", "2026-03-01"),
            ],
        )
    )
    counts = [
        *patient.platelet_counts,
        PlateletCount(date=dt.date(2026, 11, 20), value=45000, unit=PlateletUnit.per_ul),
    ]
    store.save(patient.model_copy(update={"platelet_counts": counts}))
    with closing(sqlite3.connect(store_path)) as raw:
        row = raw.execute(
            "SELECT version, count_n, latest_count_e9, latest_count_date, active_agents, "
            "summary_as_of, name_norm, mrn_norm FROM patients"
        ).fetchone()
    assert row == (2, 3, 45.0, "2026-11-20", "eltrombopag", "2026-11-22", "muller anna", "MRN-0001")


def test_stored_document_is_json_of_the_model(
    store: SqliteStore, make_patient: PatientFactory, store_path: Path
) -> None:
    patient = store.save(make_patient())
    with closing(sqlite3.connect(store_path)) as raw:
        (document,) = raw.execute("SELECT document FROM patients").fetchone()
    assert Patient.model_validate_json(document) == patient


def test_closed_store_refuses_calls(store: SqliteStore) -> None:
    store.close()
    store.close()  # idempotent
    with pytest.raises(Exception, match="closed"):
        store.count()


def test_store_satisfies_the_repository_protocol(store: SqliteStore) -> None:
    repository: PatientRepository = store  # checked by mypy
    assert repository.count() == 0
    assert repository.search("") == []


def test_save_with_a_stale_expected_record_is_refused_and_writes_nothing(
    store: SqliteStore, make_patient: PatientFactory
) -> None:
    original = store.save(make_patient())
    assert original.id is not None
    # Window A opened the record; window B then added a count and saved first.
    count = {"date": dt.date(2026, 11, 20), "value": 50.0}
    data_b = original.model_dump(mode="json")
    data_b["platelet_counts"].append(count)
    store.save(Patient.model_validate(data_b), expected=original)
    entries = len(store.audit_log())
    edited_a = original.model_copy(update={"weight_kg": 70.0})
    with pytest.raises(ConcurrentChange, match=r"changed .* after you opened it"):
        store.save(edited_a, expected=original)
    stored = store.get(original.id)
    assert len(stored.platelet_counts) == 3  # window B's count survived
    assert stored.weight_kg is None
    assert len(store.audit_log()) == entries
    # Against the current record the same edit goes through.
    store.save(stored.model_copy(update={"weight_kg": 70.0}), expected=stored)
    assert store.get(original.id).weight_kg == 70.0

"""The hash-chained, append-only audit log: entries, diffs, suppressions and tamper detection."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itp_desktop.core.errors import NotFound
from itp_desktop.core.models.patient import Patient, PlateletCount
from itp_desktop.core.models.records import Suppression
from itp_desktop.storage.audit import (
    DIGEST_KEY,
    GENESIS_HASH,
    ORDER_KEY,
    canonical_json,
    diff_documents,
    entry_hash,
)
from itp_desktop.storage.sqlite_store import SqliteStore

PatientFactory = Callable[..., Patient]


def _execute(path: Path, *statements: str) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as raw:
        for statement in statements:
            raw.execute(statement)


def _spec_hash(entry: dict[str, Any]) -> str:
    """The hash exactly as the issue defines it, computed independently of the store."""
    payload = {k: entry[k] for k in ("seq", "at", "user", "action", "entity", "entity_id",
                                     "before", "after", "prev_hash")}  # fmt: skip
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _three_entries(store: SqliteStore, make_patient: PatientFactory) -> Patient:
    saved = store.save(make_patient())
    store.save(saved.model_copy(update={"weight_kg": 60.0}))
    store.record_event("print", "report", saved.id, {"pages": 2})
    return saved


def test_chain_links_and_hashes_follow_the_definition(
    store: SqliteStore, make_patient: PatientFactory
) -> None:
    _three_entries(store, make_patient)
    entries = store.audit_log()
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS_HASH
    for earlier, later in itertools.pairwise(entries):
        assert later.prev_hash == earlier.hash
    for entry in entries:
        data = entry.model_dump(mode="json")
        data["at"] = entry.at.isoformat(timespec="microseconds")
        assert _spec_hash(data) == entry.hash
        assert entry.user == "tester"
        assert entry.at == dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=60, deadline=None)
@given(before=json_values, after=json_values, user=st.text(), entity_id=st.none() | st.text())
def test_assembled_hash_equals_canonical_dict_hash(
    before: Any, after: Any, user: str, entity_id: str | None
) -> None:
    entry = {
        "seq": 7,
        "at": "2026-11-22T09:00:00.000000+00:00",
        "user": user,
        "action": "update",
        "entity": "patient",
        "entity_id": entity_id,
        "before": before,
        "after": after,
        "prev_hash": "ab" * 32,
    }
    assembled = entry_hash(
        seq=7,
        at=entry["at"],
        user=user,
        action="update",
        entity="patient",
        entity_id=entity_id,
        before_json=canonical_json(before),
        after_json=canonical_json(after),
        prev_hash=entry["prev_hash"],
    )
    assert assembled == _spec_hash(entry)


def test_corrected_count_shows_old_and_new_value(
    store: SqliteStore, make_patient: PatientFactory
) -> None:
    saved = store.save(make_patient())
    first = saved.platelet_counts[0]
    fixed = first.model_copy(update={"value": 21.0})
    store.save(saved.model_copy(update={"platelet_counts": [fixed, *saved.platelet_counts[1:]]}))
    entry = store.audit_log(saved.id)[-1]
    assert entry.action == "update"
    assert entry.before == {"platelet_counts": {first.id: {"value": 12.0}}}
    assert entry.after["platelet_counts"] == {first.id: {"value": 21.0}}
    assert set(entry.after) == {"platelet_counts", DIGEST_KEY}


def test_create_entry_holds_the_whole_record(
    store: SqliteStore, make_patient: PatientFactory
) -> None:
    saved = store.save(make_patient())
    entry = store.audit_log(saved.id)[0]
    assert entry.before is None
    restored = {k: v for k, v in entry.after.items() if k != DIGEST_KEY}
    assert Patient.model_validate(restored) == saved


def test_list_diff_added_removed_changed_and_reordered() -> None:
    old = {
        "platelet_counts": [
            {"id": "a", "value": 1},
            {"id": "b", "value": 2},
            {"id": "c", "value": 3},
        ]
    }
    new = {
        "platelet_counts": [
            {"id": "c", "value": 3},
            {"id": "a", "value": 5},
            {"id": "d", "value": 4},
        ],
        "notes": "x",
    }
    before, after = diff_documents({**old, "notes": ""}, new)
    assert before == {
        "notes": "",
        "platelet_counts": {"b": {"id": "b", "value": 2}, "a": {"value": 1}, ORDER_KEY: ["a", "c"]},
    }
    assert after == {
        "notes": "x",
        "platelet_counts": {"a": {"value": 5}, "d": {"id": "d", "value": 4}, ORDER_KEY: ["c", "a"]},
    }
    assert diff_documents(old, old) == ({}, {})


def test_heavy_record_edit_is_stored_compactly(
    store: SqliteStore, make_patient: PatientFactory
) -> None:
    counts = tuple((dt.date(2020, 1, 1) + dt.timedelta(days=i), 30.0 + i % 7) for i in range(500))
    saved = store.save(make_patient(counts=counts))
    last = saved.platelet_counts[-1]
    edited = [*saved.platelet_counts[:-1], last.model_copy(update={"notes": "haemolysed"})]
    store.save(saved.model_copy(update={"platelet_counts": edited}))
    entry = store.audit_log(saved.id)[-1]
    assert len(canonical_json(entry.before)) + len(canonical_json(entry.after)) < 300


def test_record_event_details_become_json(store: SqliteStore) -> None:
    entry = store.record_event("export", "patient", "p1", {"on": dt.date(2026, 1, 2), "n": (1, 2)})
    assert entry.after == {"on": "2026-01-02", "n": [1, 2]}
    assert store.audit_log("p1") == [entry]


def test_audit_log_filters_and_limits(store: SqliteStore, make_patient: PatientFactory) -> None:
    saved = _three_entries(store, make_patient)
    store.record_event("export", "patient", "someone-else")
    assert [e.seq for e in store.audit_log(saved.id)] == [1, 2, 3]
    assert [e.seq for e in store.audit_log(limit=2)] == [3, 4]


def test_database_refuses_to_change_audit_rows(
    store: SqliteStore, make_patient: PatientFactory, store_path: Path
) -> None:
    _three_entries(store, make_patient)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        _execute(store_path, "UPDATE audit_log SET user_name = 'mallory' WHERE seq = 2")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        _execute(store_path, "DELETE FROM audit_log WHERE seq = 2")
    assert store.verify().ok


def test_verify_reports_altered_entry(
    store: SqliteStore, make_patient: PatientFactory, store_path: Path
) -> None:
    _three_entries(store, make_patient)
    _execute(
        store_path,
        "DROP TRIGGER audit_log_no_update",
        """UPDATE audit_log SET after = '{"weight_kg":61.0}' WHERE seq = 2""",
    )
    report = store.verify()
    assert not report.ok
    assert report.first_broken_audit_seq == 2
    chain = next(c for c in report.checks if c.name == "audit chain")
    assert not chain.ok
    assert "entry 2" in chain.detail


@pytest.mark.parametrize(("deleted", "reported"), [(1, 1), (2, 2), (3, 3)])
def test_verify_reports_deleted_entry(
    store: SqliteStore,
    make_patient: PatientFactory,
    store_path: Path,
    deleted: int,
    reported: int,
) -> None:
    _three_entries(store, make_patient)
    _execute(
        store_path,
        "DROP TRIGGER audit_log_no_delete",
        f"DELETE FROM audit_log WHERE seq = {deleted}",
    )
    report = store.verify()
    assert not report.ok
    assert report.first_broken_audit_seq == reported


def test_verify_reports_document_changed_behind_the_program(
    store: SqliteStore, make_patient: PatientFactory, store_path: Path
) -> None:
    saved = store.save(make_patient())
    assert store.verify().ok
    document = saved.model_copy(
        update={"platelet_counts": [PlateletCount(id="x", date=dt.date(2026, 1, 1), value=400)]}
    ).model_dump_json()
    with closing(sqlite3.connect(store_path)) as raw, raw:
        raw.execute("UPDATE patients SET document = ?", (document,))
    report = store.verify()
    check = next(c for c in report.checks if c.name.startswith("patient records"))
    assert not check.ok
    assert saved.id is not None
    assert saved.id in check.detail
    assert report.first_broken_audit_seq is None


def test_suppressions_are_stored_and_audited(
    store: SqliteStore, make_patient: PatientFactory, clock: Any
) -> None:
    saved = store.save(make_patient())
    assert saved.id is not None
    suppression = Suppression(
        patient_id=saved.id,
        finding_key="platelets_below_10_untreated",
        rule="PIT_OBS_LOW@0.1.0",
        reason="Count repeated in citrate tube: pseudo-thrombocytopenia",
        user="dr.x",
        at=clock.now(),
    )
    store.add_suppression(suppression)
    assert store.suppressions(saved.id) == [suppression]
    replaced = suppression.model_copy(update={"reason": "Reviewed again"})
    store.add_suppression(replaced)
    assert store.suppressions(saved.id) == [replaced]
    store.remove_suppression(saved.id, suppression.finding_key)
    assert store.suppressions(saved.id) == []
    entries = [e for e in store.audit_log(saved.id) if e.entity == "suppression"]
    assert [e.action for e in entries] == ["suppress", "suppress", "unsuppress"]
    assert entries[0].before is None
    assert entries[0].after["reason"].startswith("Count repeated")
    assert entries[1].before["reason"].startswith("Count repeated")
    assert entries[2].after is None
    with pytest.raises(NotFound):
        store.remove_suppression(saved.id, suppression.finding_key)
    with pytest.raises(NotFound):
        store.add_suppression(suppression.model_copy(update={"patient_id": "missing"}))
    assert store.verify().ok

"""ExchangeService: all-or-nothing import, loss-less export, audited exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from itp_desktop.core.clock import FixedClock
from itp_desktop.core.errors import NotFound, ValidationFailed
from itp_desktop.paths import AppPaths
from itp_desktop.services.container import Services, build_services
from itp_desktop.settings import Settings
from tests.unit.interop.full_patient import build_full_patient
from tests.unit.services.service_helpers import record, write_file


def test_import_is_all_or_nothing_across_files(services: Services, tmp_path: Path) -> None:
    good = write_file(tmp_path / "good.json", record("A-1"), record("A-2"))
    bad_record = record("B-2")
    bad_record["courses"][0]["stop_date"] = "2026-09-01"  # before the start 2026-10-02
    bad = write_file(tmp_path / "bad.json", record("B-1"), bad_record)
    with pytest.raises(ValidationFailed) as exc:
        services.exchange.import_files([good, bad])
    message = exc.value.message
    assert str(bad) in message
    assert "record 2 of 2 (MRN B-2)" in message
    assert "patients[1].courses[0].stop_date" in message
    assert services.patients.count(include_archived=True) == 0


def test_import_then_reimport_updates(services: Services, tmp_path: Path) -> None:
    path = write_file(tmp_path / "one.json", record("A-1", id="fixed-a"))
    first = services.exchange.import_files([path])
    assert (first.created, first.updated) == (1, 0)
    assert first.changes.created == {"fixed-a"}
    second = services.exchange.import_files([path])
    assert (second.created, second.updated) == (0, 1)
    assert second.changes.created == frozenset()
    assert services.patients.count() == 1


def test_import_refuses_an_mrn_held_by_another_patient(services: Services, tmp_path: Path) -> None:
    services.exchange.import_files([write_file(tmp_path / "a.json", record("SAME", id="one"))])
    clash = write_file(tmp_path / "b.json", record("OK"), record("SAME", id="two"))
    with pytest.raises(ValidationFailed) as exc:
        services.exchange.import_files([clash])
    assert exc.value.problems[0].path == "patients[1].mrn"
    assert "record 2 of 2 (MRN SAME)" in exc.value.message
    assert services.patients.count() == 1  # "OK" was not imported either


def test_import_refuses_the_same_mrn_in_two_files(services: Services, tmp_path: Path) -> None:
    first = write_file(tmp_path / "1.json", record("DUP"))
    second = write_file(tmp_path / "2.json", record("DUP"))
    with pytest.raises(ValidationFailed, match="same mrn as") as exc:
        services.exchange.import_files([first, second])
    assert str(second) in exc.value.message


def test_import_applies_store_rules_future_results(services: Services, tmp_path: Path) -> None:
    future = record(platelet_counts=[{"date": "2027-01-01", "value": 30}])
    with pytest.raises(ValidationFailed) as exc:
        services.exchange.import_files([write_file(tmp_path / "f.json", future)])
    assert exc.value.problems[0].path == "patients[0].platelet_counts[0].date"


def test_missing_file_is_not_found(services: Services, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        services.exchange.import_files([tmp_path / "nope.json"])


def test_export_import_export_is_byte_identical_apart_from_exported_at(
    services: Services, tmp_path: Path
) -> None:
    full = build_full_patient()
    services.patients.create(full)
    first = services.exchange.export_patients([full.id or ""], tmp_path / "first.json")
    other_paths = AppPaths.from_base(tmp_path / "second-store")
    later = FixedClock(dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC))
    other = build_services(other_paths, Settings(), later)
    try:
        other.exchange.import_files([first])
        second = other.exchange.export_patients([full.id or ""], tmp_path / "second.json")
    finally:
        other.close()
    one = first.read_text(encoding="utf-8")
    two = second.read_text(encoding="utf-8")
    assert one != two
    assert one.replace("2026-11-22T10:00:00Z", "T") == two.replace("2026-11-23T08:00:00Z", "T")
    assert services.patients.get(full.id or "") == full


def test_export_is_audited(services: Services, tmp_path: Path) -> None:
    (pid,) = services.patients.create(record()).created
    out = services.exchange.export_patients([pid], tmp_path / "e.json")
    entries = services.store_handle.repository().audit_log(pid)
    assert [e.action for e in entries] == ["create", "export"]
    assert entries[-1].after["file"] == str(out.resolve())


def test_resolve_patient_by_id_or_mrn(services: Services) -> None:
    (pid,) = services.patients.create(record("MRN-77")).created
    assert services.exchange.resolve_patient(pid) == pid
    assert services.exchange.resolve_patient("MRN-77") == pid
    with pytest.raises(NotFound, match="No patient with id or MRN"):
        services.exchange.resolve_patient("MRN-7")

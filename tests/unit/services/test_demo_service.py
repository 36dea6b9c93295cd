"""DemoService: demo and synthetic stores are built aside and swapped in whole."""

from __future__ import annotations

import pytest

from itp_desktop.core.errors import ItpError
from itp_desktop.services.container import Services
from tests.unit.services.service_helpers import record


def test_demo_store_holds_the_curated_patients(services: Services) -> None:
    result = services.demo.build_demo_store()
    assert result.patients >= 25
    assert result.replaced_backup is None
    assert services.patients.count(include_archived=True) == result.patients
    assert services.store.verify().ok
    leftovers = [p.name for p in services.paths.data_dir.iterdir() if "building" in p.name]
    assert leftovers == []


def test_existing_patients_are_not_replaced_without_force(services: Services) -> None:
    services.patients.create(record("MINE"))
    with pytest.raises(ItpError, match="already holds 1 patients"):
        services.demo.build_demo_store()
    assert [r.mrn for r in services.patients.search("")] == ["MINE"]


def test_force_keeps_the_replaced_store_as_a_backup(services: Services) -> None:
    services.patients.create(record("MINE"))
    result = services.demo.build_synthetic_store(12, seed=3, force=True)
    assert result.patients == 12
    assert result.replaced_backup is not None
    assert result.replaced_backup.reason == "pre-restore"
    assert services.patients.find_by_mrn("MINE") is None
    assert services.patients.count() == 12


def test_synthetic_store_reports_progress_and_is_deterministic(services: Services) -> None:
    seen: list[tuple[int, int]] = []
    services.demo.build_synthetic_store(
        5, seed=9, progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(5, 5)]
    first = [r.model_dump() for r in services.patients.search("", limit=10)]
    services.demo.build_synthetic_store(5, seed=9, force=True)
    assert [r.model_dump() for r in services.patients.search("", limit=10)] == first


def test_a_failure_half_way_leaves_the_store_untouched(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.patients.create(record("MINE"))

    def fail(done: int, total: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("itp_desktop.services.demo.BATCH", 2)
    with pytest.raises(KeyboardInterrupt):
        services.demo.build_synthetic_store(6, seed=1, force=True, progress=fail)
    assert [r.mrn for r in services.patients.search("")] == ["MINE"]
    leftovers = [p.name for p in services.paths.data_dir.iterdir() if "building" in p.name]
    assert leftovers == []

"""Fixtures for the store tests: a steppable clock, small stores and patient factories."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from itp_desktop.core.models.patient import Patient
from itp_desktop.storage.sqlite_store import SqliteStore

START = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


class StepClock:
    """A clock the test moves forward by hand."""

    def __init__(self, instant: dt.datetime = START) -> None:
        self.instant = instant

    def now(self) -> dt.datetime:
        return self.instant

    def today(self) -> dt.date:
        return self.instant.date()

    def advance(self, **delta: float) -> None:
        self.instant += dt.timedelta(**delta)


PatientFactory = Callable[..., Patient]
StoreFactory = Callable[..., SqliteStore]


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "itp-desktop.sqlite3"


@pytest.fixture
def open_store(store_path: Path, clock: StepClock) -> Iterator[StoreFactory]:
    opened: list[SqliteStore] = []

    def factory(**options: Any) -> SqliteStore:
        options.setdefault("clock", clock)
        options.setdefault("user", "tester")
        store = SqliteStore(options.pop("path", store_path), **options)
        opened.append(store)
        return store

    yield factory
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: StoreFactory) -> SqliteStore:
    return open_store()


@pytest.fixture
def make_patient() -> PatientFactory:
    def factory(
        mrn: str = "MRN-0001",
        family_name: str = "Müller",
        given_name: str = "Anna",
        birth_date: dt.date = dt.date(1980, 1, 2),
        counts: tuple[tuple[dt.date, float], ...] = (
            (dt.date(2026, 10, 1), 12.0),
            (dt.date(2026, 11, 1), 35.0),
        ),
        **extra: Any,
    ) -> Patient:
        data: dict[str, Any] = {
            "mrn": mrn,
            "family_name": family_name,
            "given_name": given_name,
            "birth_date": birth_date,
            "platelet_counts": [{"date": day, "value": value} for day, value in counts],
            **extra,
        }
        return Patient.model_validate(data)

    return factory

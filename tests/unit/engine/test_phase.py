"""Phase by calendar months from diagnosis (contract: Definitions → Phase)."""

from __future__ import annotations

import datetime as dt

import pytest

from itp_desktop.core.codes import Phase
from itp_desktop.engine.phase import chronic_from, phase_of, phase_on
from itp_desktop.engine.timeline import add_months
from tests.strategies import d, make_patient

NEW, PERSISTENT, CHRONIC = Phase.newly_diagnosed, Phase.persistent, Phase.chronic


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2026-01-15", NEW),  # the diagnosis day itself
        ("2026-04-14", NEW),  # day before D + 3 months
        ("2026-04-15", PERSISTENT),  # exactly 3 months
        ("2027-01-14", PERSISTENT),  # day before D + 12 months
        ("2027-01-15", CHRONIC),  # exactly 12 months is chronic
        ("2030-01-01", CHRONIC),
    ],
)
def test_phase_boundaries_full_date(as_of, expected):
    patient = make_patient(diagnosis="2026-01-15")
    assert phase_of(patient, d(as_of)) is expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2026-04-29", NEW),  # "2026-01" resolves to 31 Jan; + 3 months clamps to 30 Apr
        ("2026-04-30", PERSISTENT),
        ("2027-01-30", PERSISTENT),
        ("2027-01-31", CHRONIC),
    ],
)
def test_year_month_diagnosis_uses_the_month_end(as_of, expected):
    patient = make_patient(diagnosis="2026-01")
    assert phase_of(patient, d(as_of)) is expected


@pytest.mark.parametrize(
    ("diagnosed", "as_of", "expected"),
    [
        ("2025-11-30", "2026-02-27", NEW),
        ("2025-11-30", "2026-02-28", PERSISTENT),  # 30 Nov + 3 months = 28 Feb
        ("2023-11-30", "2024-02-28", NEW),
        ("2023-11-30", "2024-02-29", PERSISTENT),  # leap year: 29 Feb
        ("2024-02-29", "2025-02-27", PERSISTENT),
        ("2024-02-29", "2025-02-28", CHRONIC),  # 29 Feb + 12 months = 28 Feb
    ],
)
def test_month_addition_clamps_to_month_end(diagnosed, as_of, expected):
    assert phase_on(d(diagnosed), d(as_of)) is expected


def test_no_diagnosis_gives_none():
    assert phase_of(make_patient(diagnosis=None), d("2026-01-01")) is None
    assert chronic_from(make_patient(diagnosis=None)) is None


def test_diagnosis_after_as_of_is_newly_diagnosed():
    patient = make_patient(diagnosis="2026-06-01")
    assert phase_of(patient, d("2026-05-01")) is NEW


def test_chronic_from_is_twelve_months_later():
    assert chronic_from(make_patient(diagnosis="2025-08")) == d("2026-08-31")


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2026-01-31", 1, "2026-02-28"),
        ("2026-12-15", 1, "2027-01-15"),
        ("2026-03-31", -1, "2026-02-28"),
        ("2026-01-15", -13, "2024-12-15"),
        ("2026-05-10", 0, "2026-05-10"),
        ("2026-08-31", 24, "2028-08-31"),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(d(start), months) == dt.date.fromisoformat(expected)

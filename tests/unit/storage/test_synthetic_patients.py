"""The synthetic patient generator: deterministic, varied, valid, fast."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

import pytest

from itp_desktop.core.codes import AgentCode
from itp_desktop.core.models.patient import Patient
from itp_desktop.core.validation import check_against_catalogue, check_not_in_future
from itp_desktop.demo.synthetic import generate_patients, make_heavy_patient
from itp_desktop.knowledge.loader import load_default_pack
from itp_desktop.storage.audit import LIST_FIELDS
from itp_desktop.storage.derived import fold_text

# Allowed dose units per agent, from the default knowledge pack the app validates against.
ALLOWED = load_default_pack().allowed_units()
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def cohort() -> list[Patient]:
    return list(generate_patients(1500, seed=11, today=TODAY))


def _problems(patient: Patient, today: dt.date) -> list[str]:
    found = check_against_catalogue(patient, ALLOWED) + check_not_in_future(patient, today)
    return [p.render() for p in found]


def test_same_seed_same_patients_and_prefix_property(cohort: list[Patient]) -> None:
    again = list(generate_patients(40, seed=11, today=TODAY))
    assert again == cohort[:40]
    other = list(generate_patients(40, seed=12, today=TODAY))
    assert [p.family_name for p in other] != [p.family_name for p in again]


@pytest.mark.parametrize("today", [TODAY, dt.date(2027, 6, 1), dt.date(2025, 2, 28)])
def test_every_patient_is_valid(today: dt.date) -> None:
    patients = list(generate_patients(400, seed=today.toordinal(), today=today))
    bad = {p.mrn: _problems(p, today) for p in patients if _problems(p, today)}
    assert bad == {}


def test_cohort_is_varied_and_plausible(cohort: list[Patient]) -> None:
    counts = [len(p.platelet_counts) for p in cohort]
    courses = [len(p.courses) for p in cohort]
    assert min(counts) >= 5
    assert max(counts) <= 60
    assert len(set(counts)) > 40
    assert set(courses) == {1, 2, 3, 4, 5, 6}
    assert len({p.mrn for p in cohort}) == len(cohort) == len({p.id for p in cohort})
    assert any(fold_text(p.family_name) != p.family_name.lower() for p in cohort)  # accents
    ages = [p.age_years(TODAY) for p in cohort]
    assert min(ages) < 18
    assert max(ages) >= 80
    agents = Counter(c.agent for p in cohort for c in p.courses)
    assert {AgentCode.romiplostim, AgentCode.eltrombopag, AgentCode.avatrombopag} <= set(agents)
    assert sum(bool(p.bleeding) for p in cohort) > 200
    assert sum(bool(p.immunizations) for p in cohort) > 100
    assert any(p.procedures for p in cohort)
    assert any(c.stop_date is None for p in cohort for c in p.courses)  # ongoing therapy
    units = Counter(c.unit for p in cohort for c in p.platelet_counts)
    assert len(units) == 3
    for patient in cohort[:200]:
        for field in LIST_FIELDS:
            ids = [entry.id for entry in getattr(patient, field)]
            assert None not in ids
            assert len(set(ids)) == len(ids)
        assert patient.diagnosis is not None
        assert all(
            c.date >= patient.diagnosis.effective_date.replace(day=1)
            for c in patient.platelet_counts
        )


def test_generation_is_fast() -> None:
    started = time.perf_counter()
    patients = list(generate_patients(1000, seed=3, today=TODAY))
    assert len(patients) == 1000
    # ~0.5 ms each on the reference machine (100,000 in under a minute); generous for CI.
    assert time.perf_counter() - started < 8


def test_heavy_patient() -> None:
    heavy = make_heavy_patient(TODAY)
    assert len(heavy.platelet_counts) == 2000
    assert len(heavy.courses) == 40
    assert _problems(heavy, TODAY) == []
    assert heavy.platelet_counts[-1].date == TODAY
    assert make_heavy_patient(TODAY) == heavy
    small = make_heavy_patient(TODAY, counts=50, courses=5)
    assert len(small.platelet_counts) == 50
    assert len(small.courses) == 5

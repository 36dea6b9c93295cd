"""Rescue plan for severe bleeding (contract: rescue; reference 3d and worked example 10.5)."""

from __future__ import annotations

import datetime as dt

import pytest

from itp_desktop.core.models.patient import BleedingAssessment, Patient, RiskFactors
from itp_desktop.engine import assess
from tests.strategies import bleed, d, make_patient

AS_OF = "2026-11-22"


def rescue_for(pack, *, as_of=AS_OF, bleeding=None, birth_date=None, **extra):
    bleeding = bleeding if bleeding is not None else [bleed("2026-11-20", who=3)]
    patient = make_patient(bleeding=bleeding, **extra)
    if birth_date is not None:
        patient = Patient.model_validate({**patient.model_dump(), "birth_date": birth_date})
    return assess(patient, pack, d(as_of)).rescue


def born(years_before: int, *, days: int = 0) -> dt.date:
    """A birth date `years_before` years before AS_OF (minus `days` more)."""
    return d(AS_OF).replace(year=d(AS_OF).year - years_before) - dt.timedelta(days=days)


def test_no_rescue_without_severe_bleeding(pack):
    assert rescue_for(pack, bleeding=[bleed("2026-11-20", who=2)]) is None
    assert rescue_for(pack, bleeding=[]) is None


def test_worked_example_10_5(pack, ref):
    rescue = rescue_for(pack, weight_kg=74.5)
    assert rescue is not None
    assert rescue.ivig_g_per_kg == 1.0
    assert rescue.ivig_total_g == 74.5
    assert rescue.methylprednisolone_mg_per_day == 1000
    assert rescue.methylprednisolone_days == 3
    assert rescue.tranexamic_acid is True
    assert rescue.platelet_transfusion == "not_routine"
    assert rescue.rule == ref("RESCUE_DOSES")
    assert {"ICR2019", "ASH2011", "LBL-IVIG"} <= set(rescue.sources)
    assert rescue.triggered_by == ["bleeding assessment on 2026-11-20: WHO grade 3"]


@pytest.mark.parametrize(("weight", "total"), [(74.45, 74.5), (74.44, 74.4), (68.0, 68.0)])
def test_ivig_total_rounds_half_up(pack, weight, total):
    assert rescue_for(pack, weight_kg=weight).ivig_total_g == total


def test_missing_weight_gives_null_total_and_a_note(pack):
    rescue = rescue_for(pack, weight_kg=None)
    assert rescue.ivig_total_g is None
    assert rescue.methylprednisolone_mg_per_day == 1000  # the adult dose needs no weight
    assert any("Weight is not recorded" in note for note in rescue.notes)


@pytest.mark.parametrize(
    ("weight", "dose"), [(20.0, 600.0), (40.0, 1000.0), (33.35, 1000.0), (33.3, 999.0)]
)
def test_child_methylprednisolone_30_mg_per_kg_capped(pack, weight, dose):
    rescue = rescue_for(pack, weight_kg=weight, birth_date=born(7))
    assert rescue.methylprednisolone_mg_per_day == dose
    assert rescue.age_years == 7
    assert any("mark M" in note for note in rescue.notes)


def test_child_without_weight_has_no_methylprednisolone_dose(pack):
    rescue = rescue_for(pack, weight_kg=None, birth_date=born(7))
    assert rescue.methylprednisolone_mg_per_day is None


@pytest.mark.parametrize(("days", "dose"), [(0, 1000.0), (-1, 510.0)])
def test_eighteenth_birthday_is_adult(pack, days, dose):
    # days=0: 18 on as_of (adult dose); days=-1: 18 tomorrow (17 today: 30 mg/kg × 17 kg).
    rescue = rescue_for(pack, weight_kg=17.0, birth_date=born(18, days=days))
    assert rescue.methylprednisolone_mg_per_day == dose


def test_adult_note_carries_mark_s(pack):
    notes = rescue_for(pack).notes
    assert any("Methylprednisolone 1,000 mg/day" in n and "mark S" in n for n in notes)


@pytest.mark.parametrize(
    ("bleeding", "verdict"),
    [
        ([BleedingAssessment(date=d("2026-11-16"), life_threatening=True)], "indicated"),
        (
            [
                BleedingAssessment(date=d("2026-11-14"), life_threatening=True),
                bleed("2026-11-20", who=3),
            ],
            "not_routine",  # the life-threatening one is 8 days old: outside the range
        ),
        (
            [
                bleed("2026-11-20", who=3),
                BleedingAssessment(date=d("2026-11-21"), who_grade=1, life_threatening=True),
            ],
            "indicated",
        ),
    ],
)
def test_transfusion_indicated_only_for_life_threatening_in_range(pack, bleeding, verdict):
    rescue = rescue_for(pack, bleeding=bleeding)
    assert rescue.platelet_transfusion == verdict
    expected = "transfuse platelets now" if verdict == "indicated" else "not routine"
    assert any(expected in note for note in rescue.notes)


def test_ivig_risk_and_antithrombotic_notes(pack):
    rescue = rescue_for(
        pack,
        birth_date=born(70),
        risk_factors=RiskFactors(prior_thrombosis=True, antithrombotic_therapy=True),
    )
    assert any("age 70 years (over 65), prior thrombosis" in n for n in rescue.notes)
    assert any("antiplatelet or anticoagulant" in n for n in rescue.notes)


def test_triggered_by_lists_every_qualifying_assessment_oldest_first(pack):
    bleeding = [
        bleed("2026-11-21", who=4),
        bleed("2026-11-16", who=3, itpbat_mucosa=2),
        bleed("2026-11-18", who=1),
    ]
    rescue = rescue_for(pack, bleeding=bleeding)
    assert rescue.triggered_by == [
        "bleeding assessment on 2026-11-16: WHO grade 3, ITP-BAT M 2",
        "bleeding assessment on 2026-11-21: WHO grade 4",
    ]

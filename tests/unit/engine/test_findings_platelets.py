"""Findings platelets_below_10_untreated and active_bleeding (contract: fixed finding codes)."""

from __future__ import annotations

import pytest

from itp_desktop.core.models.patient import BleedingAssessment
from itp_desktop.engine import assess
from tests.strategies import bleed, count, counts, course, d, make_patient

AS_OF = "2026-11-22"


def run(pack, patient, as_of=AS_OF):
    return assess(patient, pack, d(as_of))


def found(assessment, code):
    return [f for f in assessment.findings if f.code == code]


# ---------------------------------------------------------------- platelets_below_10_untreated


@pytest.mark.parametrize(("value", "fires"), [(9.9, True), (10, False), (0, True), (10.1, False)])
def test_below_10_boundary(pack, value, fires):
    result = run(pack, make_patient(platelet_counts=counts(("2026-11-20", value))))
    assert bool(found(result, "platelets_below_10_untreated")) is fires


def test_below_10_message_why_rule_and_key(pack, ref):
    result = run(pack, make_patient(platelet_counts=counts(("2026-11-01", 8))))
    (finding,) = found(result, "platelets_below_10_untreated")
    assert finding.severity == "critical"
    assert finding.why == [
        "latest platelet count 8 ×10⁹/L on 2026-11-01",
        "no platelet-raising course active on 2026-11-22",
    ]
    assert finding.rule == ref("PIT_OBS_LOW")
    assert finding.key == "platelets_below_10_untreated:count:2026-11-01"
    assert {"Hato2020", "Neunert2015"} <= set(finding.sources)
    assert "8 ×10⁹/L" in finding.message
    assert finding.needs_review is False


def test_below_10_in_per_microlitre_units(pack):
    patient = make_patient(platelet_counts=[count("2026-11-20", 9_900, "/uL")])
    assert found(run(pack, patient), "platelets_below_10_untreated")


def test_only_the_latest_count_matters(pack):
    patient = make_patient(platelet_counts=counts(("2026-11-01", 5), ("2026-11-20", 12)))
    assert not found(run(pack, patient), "platelets_below_10_untreated")


def test_counts_after_as_of_are_ignored(pack):
    patient = make_patient(platelet_counts=counts(("2026-11-20", 40), ("2026-11-23", 4)))
    assert not found(run(pack, patient), "platelets_below_10_untreated")


@pytest.mark.parametrize(
    ("ivig_start", "fires"),
    [
        ("2026-10-25", False),  # as_of = start + 28: IVIG still active (evaluation period 28 days)
        ("2026-10-24", True),  # start + 29: no longer active
    ],
)
def test_an_active_course_counts_as_treatment(pack, ivig_start, fires):
    ivig = course("ivig", ivig_start, stop=ivig_start, amount=1, unit="g/kg", frequency="once")
    patient = make_patient(platelet_counts=counts(("2026-11-21", 6)), courses=[ivig])
    assert bool(found(run(pack, patient), "platelets_below_10_untreated")) is fires


def test_ongoing_course_counts_as_treatment(pack):
    romi = course("romiplostim", "2025-06-02", amount=5, unit="mcg/kg", frequency="weekly")
    patient = make_patient(platelet_counts=counts(("2026-11-21", 6)), courses=[romi])
    assert not found(run(pack, patient), "platelets_below_10_untreated")


def test_a_planned_course_is_not_treatment(pack):
    planned = course("prednisone", "2026-11-25", amount=70)
    patient = make_patient(platelet_counts=counts(("2026-11-21", 6)), courses=[planned])
    assert found(run(pack, patient), "platelets_below_10_untreated")


def test_no_count_no_finding(pack):
    assert not found(run(pack, make_patient()), "platelets_below_10_untreated")


# ---------------------------------------------------------------- active_bleeding


@pytest.mark.parametrize(
    ("on", "fires"),
    [("2026-11-15", True), ("2026-11-14", False), ("2026-11-22", True), ("2026-11-23", False)],
)
def test_active_bleeding_window_is_seven_days(pack, on, fires):
    result = run(pack, make_patient(bleeding=[bleed(on, who=3)]))
    assert bool(found(result, "active_bleeding")) is fires
    assert (result.rescue is not None) is fires


@pytest.mark.parametrize(("who", "fires"), [(2, False), (3, True), (4, True)])
def test_active_bleeding_needs_who_3(pack, who, fires):
    result = run(pack, make_patient(bleeding=[bleed("2026-11-20", who=who)]))
    assert bool(found(result, "active_bleeding")) is fires


def test_life_threatening_flag_alone_fires(pack):
    flagged = BleedingAssessment(date=d("2026-11-20"), life_threatening=True)
    result = run(pack, make_patient(bleeding=[flagged]))
    (finding,) = found(result, "active_bleeding")
    assert "indicated" in finding.message


def test_itp_bat_grades_alone_do_not_trigger_rescue(pack):
    smog = bleed("2026-11-20", who=None, itpbat_organ=4)
    assert not found(run(pack, make_patient(bleeding=[smog])), "active_bleeding")


def test_active_bleeding_detail(pack, ref):
    assessment = BleedingAssessment(id="b7", date=d("2026-11-20"), who_grade=3)
    result = run(pack, make_patient(bleeding=[assessment]))
    (finding,) = found(result, "active_bleeding")
    assert finding.severity == "critical"
    assert finding.key == "active_bleeding:bleeding:b7"
    assert finding.rule == ref("RESCUE_ACTIVE_BLEEDING")
    assert finding.why[0] == "bleeding assessment on 2026-11-20: WHO grade 3"
    assert "70 g" in finding.message  # IVIG 1 g/kg × 70 kg

"""Corticosteroid dependence (contract: steroid_dependent)."""

from __future__ import annotations

import pytest

from itp_desktop.engine.refractory import steroid_dependence
from tests.strategies import counts, course, d, make_patient, step


def dependent(pack, courses, pairs, as_of, **patient_fields):
    patient = make_patient(courses=courses, platelet_counts=counts(*pairs), **patient_fields)
    return steroid_dependence(patient, pack, d(as_of))


def tapered_prednisone(stop="2026-03-10"):
    steps = [step("2026-01-01", 60), step("2026-02-01", 30), step("2026-03-01", 10)]
    return course("prednisone", "2026-01-01", stop=stop, steps=steps)


def test_low_count_after_a_taper_step_in_a_long_period(pack, ref):
    result = dependent(pack, [tapered_prednisone()], [("2026-03-05", 25)], "2026-04-01")
    assert result.value is True
    assert result.why == [
        "corticosteroids (prednisone) from 2026-01-01 through 2026-03-10 (69 days)",
        "prednisone dose reduced on 2026-03-01 (30 → 10 mg/day)",
        "platelet count 25 ×10⁹/L on 2026-03-05, 4 days later",
    ]
    assert result.rules == [ref("DEF_STEROID_DEP")]


def test_no_low_count_means_not_dependent(pack):
    result = dependent(pack, [tapered_prednisone()], [("2026-03-05", 30)], "2026-04-01")
    assert result.value is False  # exactly 30 is not < 30
    assert "no count < 30" in result.why[0]


@pytest.mark.parametrize(
    ("second_start", "expected"), [("2026-02-24", True), ("2026-02-25", False)]
)
def test_courses_join_when_fewer_than_14_days_separate_them(pack, second_start, expected):
    first = course("prednisone", "2026-01-01", stop="2026-02-10", amount=60)
    second = course("dexamethasone", second_start, stop="2026-03-05", amount=40)
    # 13 days without a corticosteroid (11–23 Feb) join them: 1 Jan–5 Mar = 64 days.
    result = dependent(pack, [first, second], [("2026-03-10", 20)], "2026-04-01")
    assert result.value is expected


@pytest.mark.parametrize(("stop", "expected"), [("2026-02-28", False), ("2026-03-01", True)])
def test_period_must_last_60_days(pack, stop, expected):
    prednisone = course("prednisone", "2026-01-01", stop=stop, amount=40)
    result = dependent(pack, [prednisone], [("2026-03-05", 20)], "2026-04-01")
    assert result.value is expected  # the count after the final stop may fall after the period


@pytest.mark.parametrize(("count_on", "expected"), [("2026-03-03", True), ("2026-03-04", False)])
def test_count_up_to_30_days_after_a_reduction(pack, count_on, expected):
    ongoing = course(
        "prednisone", "2026-01-01", steps=[step("2026-01-01", 60), step("2026-02-01", 30)]
    )
    result = dependent(pack, [ongoing], [("2026-01-15", 40), (count_on, 25)], "2026-04-30")
    assert result.value is expected


def test_ongoing_period_runs_to_as_of(pack):
    ongoing = course(
        "prednisone", "2026-01-01", steps=[step("2026-01-01", 60), step("2026-01-20", 20)]
    )
    assert dependent(pack, [ongoing], [("2026-01-25", 20)], "2026-03-01").value is True
    assert dependent(pack, [ongoing], [("2026-01-25", 20)], "2026-02-28").value is False


def test_counts_after_as_of_are_ignored(pack):
    result = dependent(pack, [tapered_prednisone()], [("2026-03-05", 25)], "2026-03-04")
    assert result.value is False


def test_dose_increase_is_not_a_reduction(pack):
    rising = course(
        "prednisone", "2026-01-01", steps=[step("2026-01-01", 20), step("2026-02-01", 60)]
    )
    assert dependent(pack, [rising], [("2026-02-05", 15)], "2026-04-30").value is False


def test_reduction_across_units_uses_weight(pack):
    switched = course(
        "prednisone",
        "2026-01-01",
        steps=[step("2026-01-01", 1, "mg/kg"), step("2026-02-01", 50, "mg")],
    )
    pairs = [("2026-02-10", 20)]
    assert dependent(pack, [switched], pairs, "2026-04-30", weight_kg=70).value is True
    # Without a weight the two steps cannot be compared: no reduction is assumed.
    assert dependent(pack, [switched], pairs, "2026-04-30", weight_kg=None).value is False


def test_planned_and_other_courses_do_not_count(pack):
    planned = course("prednisone", "2026-05-01", stop="2026-07-31", amount=60)
    eltrombopag = course("eltrombopag", "2026-01-01", stop="2026-03-31", amount=50)
    result = dependent(pack, [planned, eltrombopag], [("2026-04-01", 10)], "2026-04-30")
    assert result.value is False
    assert result.why == ["no corticosteroid period of ≥ 60 days (longest 0 days)"]


def test_methylprednisolone_pulses_inside_a_period_count(pack):
    prednisone = course("prednisone", "2026-01-01", stop="2026-02-15", amount=60)
    pulses = course(
        "methylprednisolone",
        "2026-02-20",
        stop="2026-03-05",
        steps=[step("2026-02-20", 1000, "mg", "once"), step("2026-03-05", 1000, "mg", "once")],
    )
    result = dependent(pack, [prednisone, pulses], [("2026-03-20", 12)], "2026-04-30")
    assert result.value is True
    assert "methylprednisolone stopped on 2026-03-05" in result.why

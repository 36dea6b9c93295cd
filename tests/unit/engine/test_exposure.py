"""Days at a dose and course duration (contract: Definitions → Days at a dose)."""

from __future__ import annotations

import pytest

from itp_desktop.core.codes import DoseUnit
from itp_desktop.engine.adequacy import days_at_or_above, dose_level, longest_dosed_run
from itp_desktop.engine.timeline import (
    administration_count,
    course_duration_days,
    dose_dates,
    exposure_end,
    step_spans,
)
from tests.strategies import course, d, make_patient, step

MCG_KG = DoseUnit.mcg_per_kg
MG = DoseUnit.mg


def weekly_romiplostim(stop=None, extra_steps=()):
    steps = [step("2026-03-02", 5, "mcg/kg", "weekly"), step("2026-03-09", 10, "mcg/kg", "weekly")]
    return course("romiplostim", "2026-03-02", stop=stop, steps=[*steps, *extra_steps])


@pytest.mark.parametrize(
    ("stop", "extra", "as_of", "days"),
    [
        ("2026-03-30", (), "2026-05-01", 28),  # doses 9, 16, 23, 30 March
        (None, (step("2026-04-06", 9, "mcg/kg", "weekly"),), "2026-05-01", 28),  # next step
        ("2026-03-29", (), "2026-05-01", 21),  # 30 March not in force
        (None, (), "2026-03-30", 28),  # ongoing, judged up to as_of
        (None, (), "2026-03-29", 21),
        ("2026-04-30", (), "2026-03-30", 28),  # stop after as_of: through as_of
    ],
)
def test_weekly_exposure_counts_seven_days_per_dose(stop, extra, as_of, days):
    patient = make_patient()
    exposure = days_at_or_above(
        weekly_romiplostim(stop, extra), patient, d(as_of), 10, MCG_KG, "administration"
    )
    assert exposure.reached
    assert exposure.days == days


def test_daily_exposure_counts_calendar_days_through_the_stop():
    prednisone = course("prednisone", "2026-03-01", stop="2026-03-14", amount=35)
    assert course_duration_days(prednisone, d("2026-05-01")) == 14


def test_a_step_is_in_force_until_the_day_before_the_next():
    prednisone = course(
        "prednisone",
        "2026-03-01",
        stop="2026-03-20",
        steps=[step("2026-03-01", 60), step("2026-03-14", 30)],
    )
    first, second = step_spans(prednisone, d("2026-05-01"))
    assert (first.first, first.last, first.exposure_days) == (d("2026-03-01"), d("2026-03-13"), 13)
    assert (second.first, second.last, second.exposure_days) == (
        d("2026-03-14"),
        d("2026-03-20"),
        7,
    )
    assert course_duration_days(prednisone, d("2026-05-01")) == 20


def test_once_steps_count_administrations_not_days():
    rituximab = course(
        "rituximab",
        "2026-02-02",
        stop="2026-02-09",
        steps=[step("2026-02-02", 375, "mg/m2", "once"), step("2026-02-09", 375, "mg/m2", "once")],
    )
    spans = step_spans(rituximab, d("2026-03-01"))
    assert [span.exposure_days for span in spans] == [0, 0]
    assert [span.administrations for span in spans] == [1, 1]
    assert course_duration_days(rituximab, d("2026-03-01")) == 0
    assert administration_count(rituximab, d("2026-03-01")) == 2
    assert dose_dates(rituximab, d("2026-03-01")) == [d("2026-02-02"), d("2026-02-09")]


def test_longest_run_of_consecutive_steps_is_summed():
    eltrombopag = course(
        "eltrombopag",
        "2026-01-01",
        stop="2026-03-31",
        steps=[
            step("2026-01-01", 75),  # 10 days
            step("2026-01-11", 100),  # 10 days
            step("2026-01-21", 50),  # breaks the run
            step("2026-02-01", 75),  # 59 days
        ],
    )
    exposure = days_at_or_above(eltrombopag, make_patient(), d("2026-04-30"), 75, MG, "day")
    assert exposure.days == 59
    short = days_at_or_above(eltrombopag, make_patient(), d("2026-02-10"), 75, MG, "day")
    assert short.days == 20  # the first two steps (10 + 10) beat 1–10 Feb (10 days)


def test_per_day_normalises_twice_daily_doses():
    fostamatinib = course("fostamatinib", "2026-01-01", amount=150, frequency="twice_daily")
    exposure = days_at_or_above(fostamatinib, make_patient(), d("2026-01-10"), 300, MG, "day")
    assert exposure.reached
    assert exposure.days == 10


@pytest.mark.parametrize(("amount", "reached"), [(680, True), (679, False)])
def test_absolute_doses_convert_with_weight(amount, reached):
    romiplostim = course("romiplostim", "2026-01-05", amount=amount, unit="mcg", frequency="weekly")
    patient = make_patient(weight_kg=68)
    exposure = days_at_or_above(romiplostim, patient, d("2026-02-01"), 10, MCG_KG, "administration")
    assert exposure.reached is reached


def test_missing_weight_counts_as_not_reaching_and_says_so():
    romiplostim = course("romiplostim", "2026-01-05", amount=680, unit="mcg", frequency="weekly")
    patient = make_patient(weight_kg=None)
    exposure = days_at_or_above(romiplostim, patient, d("2026-02-01"), 10, MCG_KG, "administration")
    assert not exposure.reached
    assert exposure.days == 0
    assert exposure.highest is None
    assert "weight is missing" in exposure.not_compared[0]


def test_same_unit_needs_no_weight():
    romiplostim = course("romiplostim", "2026-01-05", amount=10, unit="mcg/kg", frequency="weekly")
    exposure = days_at_or_above(
        romiplostim, make_patient(weight_kg=None), d("2026-01-12"), 10, MCG_KG, "administration"
    )
    assert exposure.reached
    assert exposure.days == 14


def test_planned_course_has_no_exposure():
    planned = course("prednisone", "2026-06-01", amount=60)
    assert step_spans(planned, d("2026-05-01")) == []
    assert course_duration_days(planned, d("2026-05-01")) == 0
    assert exposure_end(planned, d("2026-05-01")) == d("2026-05-01")


def test_steps_after_as_of_are_not_in_force():
    prednisone = course(
        "prednisone", "2026-03-01", steps=[step("2026-03-01", 60), step("2026-03-20", 30)]
    )
    spans = step_spans(prednisone, d("2026-03-10"))
    assert len(spans) == 1
    assert spans[0].last == d("2026-03-10")


def test_dose_dates_of_weekly_and_daily_steps():
    romiplostim = weekly_romiplostim(stop="2026-03-17")
    assert dose_dates(romiplostim, d("2026-04-01")) == [
        d("2026-03-02"),
        d("2026-03-09"),
        d("2026-03-16"),
    ]
    daily = course("eltrombopag", "2026-03-01", stop="2026-03-03", amount=50)
    assert dose_dates(daily, d("2026-04-01")) == [
        d("2026-03-01"),
        d("2026-03-02"),
        d("2026-03-03"),
    ]


def test_twice_weekly_administrations_round_up_per_started_half_week():
    avatrombopag = course(
        "avatrombopag", "2026-03-01", stop="2026-03-08", amount=20, frequency="twice_weekly"
    )
    (span,) = step_spans(avatrombopag, d("2026-04-01"))
    assert span.days_in_force == 8
    assert span.exposure_days == 8  # calendar days, like every non-weekly schedule
    assert span.administrations == 3


def test_cycle_runs_need_consecutive_calendar_days():
    days = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"]
    pulses = course(
        "dexamethasone", days[0], stop=days[-1], steps=[step(day, 40, "mg", "once") for day in days]
    )
    run = longest_dosed_run(pulses, make_patient(), d("2026-04-01"), 40, MG, "day")
    assert run.days == 4
    weekly = course(
        "dexamethasone",
        "2026-03-01",
        stop="2026-03-22",
        steps=[step(day, 40, "mg", "once") for day in ("2026-03-01", "2026-03-08", "2026-03-15")],
    )
    assert longest_dosed_run(weekly, make_patient(), d("2026-04-01"), 40, MG, "day").days == 1


def test_dose_level_of_a_once_step_is_its_single_amount():
    patient = make_patient(weight_kg=80)
    assert dose_level(step("2026-01-01", 1, "g/kg", "once"), DoseUnit.g, "day", patient) == 80
    assert dose_level(step("2026-01-01", 10, "mg", "twice_daily"), MG, "day", patient) == 20
    assert dose_level(step("2026-01-01", 70, "IU/kg", "once"), MG, "day", patient) is None

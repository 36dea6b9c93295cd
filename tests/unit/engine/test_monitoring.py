"""Monitoring plan: schedules of the pack per active agent, after stopping, before starting and
before procedures (reference 3e; docs/ASSESSMENT.md "monitoring")."""

from __future__ import annotations

import datetime as dt

import pytest

from itp_desktop.core.codes import MonitoringCode, ProcedureKind
from itp_desktop.core.models.patient import MonitoringRecord, Procedure
from itp_desktop.engine import assess
from tests.strategies import count, counts, course, d, make_patient, step

AS_OF = "2026-11-22"


def run(pack, patient, as_of=AS_OF):
    return assess(patient, pack, d(as_of))


def items(assessment, code=None, agent=None):
    return [
        m
        for m in assessment.monitoring
        if (code is None or m.code == code) and (agent is None or m.agent == agent)
    ]


def days_before(n: int) -> dt.date:
    return d(AS_OF) - dt.timedelta(days=n)


def romiplostim(*steps_):
    return course("romiplostim", steps_[0].effective_date, steps=list(steps_))


@pytest.mark.parametrize(("last_count_days_ago", "overdue"), [(7, False), (8, True)])
def test_weekly_counts_while_titrating(pack, ref, last_count_days_ago, overdue):
    romi = romiplostim(
        step("2026-09-07", 3, "mcg/kg", "weekly"), step(days_before(10), 4, "mcg/kg", "weekly")
    )
    patient = make_patient(
        courses=[romi], platelet_counts=[count(days_before(last_count_days_ago), 60)]
    )
    (item,) = items(run(pack, patient), "cbc", "romiplostim")
    assert item.due == days_before(last_count_days_ago) + dt.timedelta(days=7)
    assert item.overdue is overdue
    assert item.last_done == days_before(last_count_days_ago)
    assert item.rule == ref("MON_ROMI")
    assert "titrating (dose changed on" in item.reason


def test_monthly_counts_when_stable(pack):
    romi = romiplostim(step("2026-06-01", 3, "mcg/kg", "weekly"))
    patient = make_patient(courses=[romi], platelet_counts=counts((days_before(3), 90)))
    (item,) = items(run(pack, patient), "cbc", "romiplostim")
    assert item.due == days_before(3) + dt.timedelta(days=28)
    assert "titrating" not in item.reason


def test_low_count_means_titrating(pack):
    romi = romiplostim(step("2026-06-01", 3, "mcg/kg", "weekly"))
    patient = make_patient(courses=[romi], platelet_counts=counts((days_before(3), 40)))
    (item,) = items(run(pack, patient), "cbc", "romiplostim")
    assert item.due == days_before(3) + dt.timedelta(days=7)
    assert "is below 50" in item.reason


@pytest.mark.parametrize(("low_days_ago", "weekly"), [(27, True), (28, False)])
def test_a_low_count_within_4_weeks_keeps_titrating(pack, low_days_ago, weekly):
    # LBL-Nplate: stable = ≥ 50 for ≥ 4 weeks without a dose change.
    romi = romiplostim(step("2026-06-01", 3, "mcg/kg", "weekly"))
    patient = make_patient(
        courses=[romi],
        platelet_counts=counts((days_before(low_days_ago), 45), (days_before(1), 90)),
    )
    (item,) = items(run(pack, patient), "cbc", "romiplostim")
    assert (item.due - days_before(1)).days == (7 if weekly else 28)
    if weekly:
        assert "is below 50" in item.reason
        assert "within the last 28 days" in item.reason


@pytest.mark.parametrize(("changed_days_ago", "weekly"), [(27, True), (28, False)])
def test_titration_lookback_is_28_days(pack, changed_days_ago, weekly):
    romi = romiplostim(
        step("2026-06-01", 3, "mcg/kg", "weekly"),
        step(days_before(changed_days_ago), 4, "mcg/kg", "weekly"),
    )
    patient = make_patient(courses=[romi], platelet_counts=counts((days_before(1), 90)))
    (item,) = items(run(pack, patient), "cbc", "romiplostim")
    assert (item.due - days_before(1)).days == (7 if weekly else 28)


def test_never_done_is_due_at_course_start(pack):
    elt = course("eltrombopag", days_before(20), amount=50)
    (liver,) = items(run(pack, make_patient(courses=[elt])), "liver_tests", "eltrombopag")
    assert liver.due == days_before(20)
    assert liver.overdue is True
    assert liver.last_done is None


def test_liver_tests_from_monitoring_records(pack):
    elt = course("eltrombopag", days_before(20), amount=50)
    record = MonitoringRecord(code=MonitoringCode.liver_tests, date=days_before(5), result="ALT 30")
    patient = make_patient(courses=[elt], monitoring=[record])
    (liver,) = items(run(pack, patient), "liver_tests", "eltrombopag")
    assert liver.due == days_before(5) + dt.timedelta(days=14)
    assert liver.overdue is False


def test_recorded_cbc_satisfies_platelet_count(pack):
    ava = course("avatrombopag", "2026-06-01", amount=20)
    cbc = MonitoringRecord(code=MonitoringCode.cbc, date=days_before(2))
    patient = make_patient(
        courses=[ava], monitoring=[cbc], platelet_counts=counts(("2026-10-01", 90))
    )
    (item,) = items(run(pack, patient), "platelet_count", "avatrombopag")
    assert item.last_done == days_before(2)


@pytest.mark.parametrize(
    ("agent", "stopped_days_ago", "listed"),
    [("romiplostim", 7, True), ("romiplostim", 15, False), ("avatrombopag", 21, True)],
)
def test_weekly_counts_after_stopping(pack, ref, agent, stopped_days_ago, listed):
    unit, frequency, amount = (
        ("mcg/kg", "weekly", 3) if agent == "romiplostim" else ("mg", "daily", 20)
    )
    tpo = course(
        agent,
        "2026-06-01",
        stop=days_before(stopped_days_ago),
        amount=amount,
        unit=unit,
        frequency=frequency,
    )
    found = [m for m in items(run(pack, make_patient(courses=[tpo]))) if "stopped" in m.reason]
    assert bool(found) is listed
    if listed:
        assert found[0].rule == ref("MON_TPO_STOP")
        assert found[0].due == days_before(stopped_days_ago) + dt.timedelta(days=7)


def test_planned_ivig_needs_renal_function_before_start(pack):
    ivig = course("ivig", "2026-12-01", stop="2026-12-01", amount=1, unit="g/kg", frequency="once")
    (item,) = items(run(pack, make_patient(courses=[ivig])), "renal_function")
    assert item.due == d("2026-12-01")
    done = MonitoringRecord(code=MonitoringCode.renal_function, date=days_before(1))
    assert not items(run(pack, make_patient(courses=[ivig], monitoring=[done])), "renal_function")


def test_fostamatinib_blood_pressure_every_two_weeks_while_titrating(pack):
    fosta = course("fostamatinib", days_before(10), amount=100, frequency="twice_daily")
    (bp,) = items(run(pack, make_patient(courses=[fosta])), "blood_pressure", "fostamatinib")
    assert bp.due == days_before(10)  # never measured: due at the course start
    assert "every 14 days" in bp.reason


def test_procedure_needs_a_count_the_day_before(pack, ref):
    procedure = Procedure(kind=ProcedureKind.minor_surgery, date=d("2026-11-30"))
    patient = make_patient(procedures=[procedure], platelet_counts=counts(("2026-11-20", 80)))
    (item,) = [m for m in run(pack, patient).monitoring if m.agent is None]
    assert (item.code, item.due, item.overdue) == ("platelet_count", d("2026-11-29"), False)
    assert item.rule == ref("FIND_PROCEDURE_THRESHOLD")


def test_stopped_courses_have_no_running_schedule(pack):
    elt = course("eltrombopag", "2026-01-05", stop="2026-03-02", amount=50)
    assert not run(pack, make_patient(courses=[elt])).monitoring


def test_sorted_by_due_then_code(pack):
    courses = [
        course("eltrombopag", days_before(20), amount=50),
        course("fostamatinib", days_before(40), amount=100, frequency="twice_daily"),
    ]
    monitoring = run(pack, make_patient(courses=courses)).monitoring
    keys = [(m.due, m.code) for m in monitoring]
    assert keys == sorted(keys)
    assert len({(m.agent, m.code) for m in monitoring}) == len(monitoring)

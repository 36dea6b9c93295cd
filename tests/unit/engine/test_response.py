"""IWG response of a course: window, baseline, confirming pairs, rescue exclusion, loss, TTR.

Vignettes follow ITP_REFERENCE.md worked examples 10.1 (eltrombopag response) and 10.3
(rituximab window); boundaries come from the contract's Definitions.
"""

from __future__ import annotations

import pytest

from itp_desktop.core.codes import AgentCode, ResponseCode
from itp_desktop.core.errors import RuleError
from itp_desktop.core.models.assessment import CountRef, EvaluationWindow
from itp_desktop.engine.response import earliest_pair, evaluate_courses, evaluate_response
from itp_desktop.engine.timeline import (
    CountPoint,
    active_on,
    course_status,
    latest_count,
    rescue_intervals,
)
from tests.strategies import bleed, count, counts, course, d, make_patient, weekly_doses

CR, R, NR, NE = ResponseCode.CR, ResponseCode.R, ResponseCode.NR, ResponseCode.not_evaluable

# Worked example 10.1: eltrombopag from 3 Aug 2026, count 14 on the start date.
EXAMPLE_COUNTS = (
    ("2026-08-03", 14),
    ("2026-08-17", 26),
    ("2026-08-24", 33),
    ("2026-08-28", 36),
    ("2026-08-31", 41),
)


def eltrombopag(start="2026-08-03", **kwargs):
    return course("eltrombopag", start, amount=50, **kwargs)


def one_course(*pairs, bleeding=(), start="2026-08-03", **kwargs):
    return make_patient(
        platelet_counts=counts(*pairs), courses=[eltrombopag(start, **kwargs)], bleeding=bleeding
    )


# ---------------------------------------------------------------- worked example 10.1


def test_worked_example_response_confirmed_on_31_august(assess_courses, ref):
    (result,) = assess_courses(one_course(*EXAMPLE_COUNTS), "2026-09-01")
    assert result.response is R
    assert result.time_to_response_days == 21  # 3 Aug → 24 Aug, first count of the pair
    assert result.confirmed_on == d("2026-08-31")
    assert result.baseline == CountRef(date=d("2026-08-03"), value=14)
    assert result.loss_of_response is False
    assert result.counts_in_window == 4  # the start-date count is not inside the window
    assert result.window == EvaluationWindow(start=d("2026-08-03"), end=d("2026-09-01"))
    assert result.status == "active"
    for rule_id in ("RESP_WINDOW", "RESP_R", "RESP_TTR", "RESP_LOSS", "ADQ_ELT"):
        assert ref(rule_id) in result.rules


def test_worked_example_before_the_pair_completes_is_nr(assess_courses):
    (result,) = assess_courses(one_course(*EXAMPLE_COUNTS), "2026-08-30")
    assert result.response is NR  # 24/28 Aug are only 4 days apart
    assert result.time_to_response_days is None
    assert result.confirmed_on is None


def test_worked_example_bleeding_between_the_counts_prevents_the_pair(assess_courses):
    patient = one_course(*EXAMPLE_COUNTS, bleeding=[bleed("2026-08-27", who=None, itpbat_mucosa=1)])
    (result,) = assess_courses(patient, "2026-09-01")
    assert result.response is NR
    assert result.time_to_response_days is None


def test_worked_example_higher_baseline_gives_nr(assess_courses):
    pairs = (("2026-08-03", 20), *EXAMPLE_COUNTS[1:])
    (result,) = assess_courses(one_course(*pairs), "2026-09-01")
    assert result.response is NR


def test_worked_example_later_complete_response(assess_courses, ref):
    pairs = (*EXAMPLE_COUNTS, ("2026-10-12", 104), ("2026-10-19", 118))
    (result,) = assess_courses(one_course(*pairs), "2026-10-20")
    assert result.response is CR
    assert result.confirmed_on == d("2026-10-19")
    assert result.time_to_response_days == 21  # earliest pair of ANY response: R on 24/31 Aug
    assert ref("RESP_CR") in result.rules
    assert ref("RESP_R") not in result.rules


def test_worked_example_loss_of_response_after_r(assess_courses):
    pairs = (*EXAMPLE_COUNTS, ("2026-11-02", 25), ("2026-11-04", 23))
    (result,) = assess_courses(one_course(*pairs), "2026-11-05")
    assert result.response is R
    assert result.loss_of_response is True


# ---------------------------------------------------------------- R and CR boundaries


@pytest.mark.parametrize(
    ("baseline", "value", "expected"),
    [
        (20, 40, R),  # exactly 2× baseline passes
        (20.5, 40.9, NR),  # just under 2× baseline
        (10, 30, R),  # exactly 30 passes
        (10, 29.9, NR),
        (60, 100, CR),  # CR needs no doubling
        (60, 99.9, NR),  # ≥ 30 but < 2× baseline (120) and < 100
    ],
)
def test_response_thresholds(assess_courses, baseline, value, expected):
    patient = one_course(("2026-08-03", baseline), ("2026-08-10", value), ("2026-08-17", value))
    (result,) = assess_courses(patient, "2026-08-20")
    assert result.response is expected


@pytest.mark.parametrize(("second", "expected"), [("2026-08-16", NR), ("2026-08-17", R)])
def test_pair_needs_seven_days(assess_courses, second, expected):
    patient = one_course(("2026-08-03", 10), ("2026-08-10", 50), (second, 50))
    (result,) = assess_courses(patient, "2026-08-20")
    assert result.response is expected


def test_counts_between_the_pair_do_not_matter(assess_courses):
    patient = one_course(
        ("2026-08-03", 10), ("2026-08-10", 50), ("2026-08-12", 12), ("2026-08-17", 50)
    )
    (result,) = assess_courses(patient, "2026-08-20")
    assert result.response is R
    assert result.time_to_response_days == 7


def test_cr_beats_r_and_ttr_tie_goes_to_the_earlier_first_count(assess_courses):
    # R pair (5 Aug, 17 Aug) and CR pair (10 Aug, 17 Aug) share their second count.
    patient = one_course(
        ("2026-08-01", 10),
        ("2026-08-06", 40),
        ("2026-08-11", 120),
        ("2026-08-18", 130),
        start="2026-08-01",
    )
    (result,) = assess_courses(patient, "2026-08-20")
    assert result.response is CR
    assert result.confirmed_on == d("2026-08-18")
    assert result.time_to_response_days == 5


@pytest.mark.parametrize(
    ("bleeding_on", "who", "expected"),
    [
        ("2026-08-10", 1, NR),  # on the first count's date
        ("2026-08-17", 1, NR),  # on the second count's date
        ("2026-08-13", 1, NR),  # between
        ("2026-08-09", 1, R),  # the day before the first count
        ("2026-08-18", 1, R),  # the day after the second count (a later pair counts)
        ("2026-08-13", 0, R),  # WHO 0 is not bleeding
    ],
)
def test_bleeding_on_or_between_pair_dates_blocks_it(assess_courses, bleeding_on, who, expected):
    patient = one_course(
        ("2026-08-03", 10),
        ("2026-08-10", 50),
        ("2026-08-17", 50),
        bleeding=[bleed(bleeding_on, who=who)],
    )
    (result,) = assess_courses(patient, "2026-08-17")
    assert result.response is expected


def test_a_new_pair_after_bleeding_confirms(assess_courses):
    patient = one_course(
        ("2026-08-03", 10),
        ("2026-08-10", 50),
        ("2026-08-17", 50),
        ("2026-08-24", 50),
        bleeding=[bleed("2026-08-12", who=None, itpbat_skin=2)],
    )
    (result,) = assess_courses(patient, "2026-08-30")
    assert result.response is R
    assert result.confirmed_on == d("2026-08-24")
    assert result.time_to_response_days == 14


def test_bleeding_after_as_of_is_ignored(assess_courses):
    patient = one_course(
        ("2026-08-03", 10),
        ("2026-08-10", 50),
        ("2026-08-17", 50),
        bleeding=[bleed("2026-08-15")],
    )
    (result,) = assess_courses(patient, "2026-08-17")
    assert result.response is NR
    (later,) = assess_courses(patient.model_copy(update={"bleeding": []}), "2026-08-17")
    assert later.response is R


# ---------------------------------------------------------------- baseline


def test_without_baseline_cr_is_still_confirmed(assess_courses):
    patient = one_course(("2026-08-10", 150), ("2026-08-17", 160))
    (result,) = assess_courses(patient, "2026-08-20")
    assert result.response is CR
    assert result.baseline is None


def test_without_baseline_r_is_not_evaluable(assess_courses, ref):
    patient = one_course(("2026-08-10", 50), ("2026-08-17", 60))
    (result,) = assess_courses(patient, "2026-08-20")
    assert result.response is NE
    assert result.time_to_response_days is None
    assert ref("RESP_NR") not in result.rules


def test_baseline_is_the_last_count_on_or_before_start_later_entry_wins(assess_courses):
    patient = make_patient(
        platelet_counts=[
            count("2026-08-01", 40),
            count("2026-08-03", 18),
            count("2026-08-03", 12),  # same day, entered later
            count("2026-08-10", 30),
            count("2026-08-17", 30),
        ],
        courses=[eltrombopag()],
    )
    (result,) = assess_courses(patient, "2026-08-20")
    assert result.baseline == CountRef(date=d("2026-08-03"), value=12)
    assert result.response is R  # 30 ≥ 2 × 12


# ---------------------------------------------------------------- NR and not evaluable


def test_single_count_is_not_evaluable(assess_courses):
    (result,) = assess_courses(one_course(("2026-08-03", 10), ("2026-08-10", 12)), "2026-08-20")
    assert result.response is NE
    assert result.counts_in_window == 1


def test_two_same_day_counts_are_two_counts_for_nr(assess_courses):
    patient = one_course(("2026-08-03", 10), ("2026-08-10", 12), ("2026-08-10", 14))
    (result,) = assess_courses(patient, "2026-08-20")
    assert result.response is NR
    assert result.counts_in_window == 2


def test_counts_after_as_of_are_ignored(assess_courses):
    patient = one_course(("2026-08-03", 10), ("2026-08-10", 50), ("2026-08-17", 50))
    (result,) = assess_courses(patient, "2026-08-16")
    assert result.response is NE
    assert result.counts_in_window == 1


def test_planned_course_is_not_evaluable_and_never_active(assess_courses, pack, ref):
    patient = one_course(("2026-08-03", 10), start="2026-09-01")
    (result,) = assess_courses(patient, "2026-08-20")
    assert result.response is NE
    assert result.status == "planned"
    assert result.window is None
    assert result.adequate_trial is None
    assert result.rules == [ref("RESP_WINDOW"), ref("ADQ_ELT")]
    planned = patient.courses[0]
    assert not active_on(planned, pack, d("2026-08-20"), d("2026-08-20"))
    assert not active_on(planned, pack, d("2026-08-20"), d("2026-09-02"))


# ---------------------------------------------------------------- loss of response


def test_loss_needs_two_failing_counts_on_different_days(assess_courses):
    base = (*EXAMPLE_COUNTS, ("2026-11-02", 25))
    (one,) = assess_courses(one_course(*base), "2026-11-05")
    assert one.loss_of_response is False
    (same_day,) = assess_courses(one_course(*base, ("2026-11-02", 22)), "2026-11-05")
    assert same_day.loss_of_response is False
    (next_day,) = assess_courses(one_course(*base, ("2026-11-03", 22)), "2026-11-05")
    assert next_day.loss_of_response is True


def test_loss_after_r_by_falling_below_twice_baseline(assess_courses):
    # baseline 20: counts of 35 are ≥ 30 but < 40.
    pairs = (
        ("2026-08-03", 20),
        ("2026-08-10", 45),
        ("2026-08-17", 50),
        ("2026-08-24", 35),
        ("2026-08-31", 38),
    )
    (result,) = assess_courses(one_course(*pairs), "2026-09-01")
    assert result.response is R
    assert result.loss_of_response is True


def test_loss_after_cr_uses_the_cr_threshold(assess_courses):
    pairs = (
        ("2026-08-03", 20),
        ("2026-08-10", 120),
        ("2026-08-17", 130),
        ("2026-08-24", 95),
        ("2026-08-31", 90),
    )
    (result,) = assess_courses(one_course(*pairs), "2026-09-01")
    assert result.response is CR
    assert result.loss_of_response is True
    (kept,) = assess_courses(one_course(*pairs[:4], ("2026-08-31", 100)), "2026-09-01")
    assert kept.loss_of_response is False


def test_loss_by_later_bleeding_inside_the_window(assess_courses):
    patient = one_course(*EXAMPLE_COUNTS, bleeding=[bleed("2026-09-05", who=2)])
    (result,) = assess_courses(patient, "2026-09-10")
    assert result.response is R
    assert result.loss_of_response is True


def test_bleeding_on_confirmation_date_blocks_the_pair_not_a_loss(assess_courses):
    patient = one_course(*EXAMPLE_COUNTS, bleeding=[bleed("2026-08-31")])
    (result,) = assess_courses(patient, "2026-09-10")
    assert result.response is NR
    assert result.loss_of_response is False


def test_bleeding_after_the_window_end_is_not_a_loss(assess_courses):
    patient = one_course(*EXAMPLE_COUNTS, stop="2026-09-01", bleeding=[bleed("2026-09-05")])
    (result,) = assess_courses(patient, "2026-09-10")
    assert result.window.end == d("2026-09-01")  # eltrombopag has no evaluation period
    assert result.loss_of_response is False


def test_failing_counts_before_confirmation_are_not_a_loss(assess_courses):
    (result,) = assess_courses(one_course(*EXAMPLE_COUNTS), "2026-09-01")
    assert result.loss_of_response is False  # 26 on 17 Aug precedes confirmation


# ---------------------------------------------------------------- rescue exclusion

ROMI_START = "2026-03-01"
IVIG_START = "2026-03-10"


def rescue_patient(*extra_courses, ivig_start=IVIG_START):
    return make_patient(
        platelet_counts=counts(
            ("2026-03-01", 15),
            ("2026-03-05", 20),
            ("2026-03-12", 80),  # inside the IVIG range 10–24 Mar
            ("2026-03-20", 90),  # inside
            ("2026-04-01", 22),
        ),
        courses=[
            course("romiplostim", ROMI_START, amount=1, unit="mcg/kg", frequency="weekly"),
            course("ivig", ivig_start, stop=ivig_start, amount=1, unit="g/kg", frequency="once"),
            *extra_courses,
        ],
    )


def test_rescue_counts_do_not_confirm_a_concurrent_tpo_ra(assess_courses, ref):
    romi, ivig = assess_courses(rescue_patient(), "2026-04-02")
    assert romi.response is NR  # 80 and 90 excluded; 20 and 22 remain
    assert romi.counts_in_window == 2
    assert ref("RESP_RESCUE_EXCLUSION") in romi.rules
    # The IVIG's own window (28 days) still uses them; baseline 20 on 5 Mar.
    assert ivig.response is R
    assert ivig.confirmed_on == d("2026-03-20")
    assert ivig.baseline == CountRef(date=d("2026-03-05"), value=20)
    assert ivig.window == EvaluationWindow(start=d("2026-03-10"), end=d("2026-04-02"))
    assert ref("RESP_RESCUE_EXCLUSION") not in ivig.rules


def test_rescue_count_may_serve_as_baseline(assess_courses):
    patient = rescue_patient(course("eltrombopag", "2026-03-15", amount=50))
    *_, elt = assess_courses(patient, "2026-04-02")
    assert elt.baseline == CountRef(date=d("2026-03-12"), value=80)
    assert elt.counts_in_window == 1  # 20 Mar excluded, 1 Apr kept


@pytest.mark.parametrize(("day", "excluded"), [("2026-03-24", True), ("2026-03-25", False)])
def test_rescue_range_ends_fourteen_days_after_start(assess_courses, day, excluded):
    patient = make_patient(
        platelet_counts=counts(("2026-03-01", 10), ("2026-03-05", 12), (day, 14)),
        courses=[
            course("eltrombopag", "2026-03-01", amount=50),
            course("methylprednisolone", IVIG_START, stop="2026-03-12", amount=1000),
        ],
    )
    elt, _ = assess_courses(patient, "2026-04-01")
    assert elt.counts_in_window == (1 if excluded else 2)


def test_planned_rescue_excludes_nothing(assess_courses, pack):
    patient = rescue_patient(ivig_start="2026-04-15")
    assert rescue_intervals(patient, pack, d("2026-04-02")) == []
    romi, ivig = assess_courses(patient, "2026-04-02")
    assert romi.response is R
    assert ivig.status == "planned"


# ---------------------------------------------------------------- evaluation windows


def rituximab_patient(*pairs):
    rtx = weekly_doses("rituximab", "2026-02-02", [375] * 4, "mg/m2")
    return make_patient(platelet_counts=counts(*pairs), courses=[rtx])


def test_rituximab_is_evaluated_to_day_84_after_its_last_infusion(assess_courses, pack):
    patient = rituximab_patient(
        ("2026-02-02", 11),
        ("2026-03-09", 18),
        ("2026-04-06", 24),
        ("2026-04-13", 26),
        ("2026-04-27", 27),  # day 84: inside
        ("2026-04-28", 60),  # day 85: outside
        ("2026-05-05", 65),
    )
    (result,) = assess_courses(patient, "2026-06-01")
    assert result.stop_date == d("2026-02-23")
    assert result.window == EvaluationWindow(start=d("2026-02-02"), end=d("2026-04-27"))
    assert result.counts_in_window == 4
    assert result.response is NR  # worked example 10.3: no count ≥ 30 by day 84
    assert result.status == "stopped"
    rtx = patient.courses[0]
    assert course_status(rtx, pack, d("2026-04-27")) == "active"
    assert course_status(rtx, pack, d("2026-04-28")) == "stopped"
    assert active_on(rtx, pack, d("2026-06-01"), d("2026-04-27"))
    assert not active_on(rtx, pack, d("2026-06-01"), d("2026-04-28"))
    assert not active_on(rtx, pack, d("2026-06-01"), d("2026-02-01"))


def test_window_is_capped_at_as_of(assess_courses):
    patient = rituximab_patient(("2026-02-02", 11), ("2026-03-09", 18))
    (result,) = assess_courses(patient, "2026-03-20")
    assert result.window.end == d("2026-03-20")
    assert result.status == "active"


def test_course_without_period_is_evaluated_to_its_stop(assess_courses, pack):
    patient = one_course(
        ("2026-08-03", 10), ("2026-08-10", 12), ("2026-08-20", 60), stop="2026-08-15"
    )
    (result,) = assess_courses(patient, "2026-09-01")
    assert result.window.end == d("2026-08-15")
    assert result.counts_in_window == 1
    assert result.status == "stopped"
    elt = patient.courses[0]
    assert course_status(elt, pack, d("2026-08-15")) == "active"


def test_stop_after_as_of_is_still_ongoing(assess_courses):
    patient = one_course(("2026-08-03", 10), stop="2026-12-31")
    (result,) = assess_courses(patient, "2026-09-01")
    assert result.window.end == d("2026-09-01")
    assert result.status == "active"


# ---------------------------------------------------------------- helpers


def test_latest_count_ignores_future_and_normalises_units():
    patient = make_patient(
        platelet_counts=[
            count("2026-05-01", 40),
            count("2026-05-03", 23000, unit="/uL"),
            count("2026-05-10", 90),
        ]
    )
    assert latest_count(patient, d("2026-05-09")) == CountRef(date=d("2026-05-03"), value=23)
    assert latest_count(patient, d("2026-04-30")) is None


def test_latest_count_same_day_takes_the_later_entry():
    patient = make_patient(platelet_counts=[count("2026-05-01", 8), count("2026-05-01", 35)])
    assert latest_count(patient, d("2026-05-01")) == CountRef(date=d("2026-05-01"), value=35)


def test_earliest_pair_directly():
    points = [CountPoint(d(day), value, i) for i, (day, value) in enumerate(EXAMPLE_COUNTS)]
    pair = earliest_pair(points[1:], 30, [])
    assert (pair.first, pair.second) == (d("2026-08-24"), d("2026-08-31"))
    assert earliest_pair(points[1:], 30, [d("2026-08-27")]) is None


def test_evaluate_response_alone_matches_the_batch(assess_courses, pack):
    patient = rescue_patient()
    batch = assess_courses(patient, "2026-04-02")
    single = evaluate_response(0, patient, pack, d("2026-04-02"))
    assert single.response is batch[0].response
    assert single.excluded == 2


def test_overlapping_rescue_ranges_are_merged(assess_courses):
    patient = make_patient(
        platelet_counts=counts(
            ("2026-03-01", 10),
            ("2026-03-05", 12),
            ("2026-03-12", 90),  # IVIG range 10–24 Mar
            ("2026-03-27", 95),  # anti-D range 15–29 Mar
            ("2026-03-30", 14),
        ),
        courses=[
            course("eltrombopag", "2026-03-01", amount=50),
            course(
                "ivig", "2026-03-10", stop="2026-03-10", amount=1, unit="g/kg", frequency="once"
            ),
            course(
                "anti_d",
                "2026-03-15",
                stop="2026-03-15",
                amount=50,
                unit="mcg/kg",
                frequency="once",
            ),
        ],
    )
    elt, _, _ = assess_courses(patient, "2026-04-01")
    assert elt.counts_in_window == 2  # 5 and 30 March
    assert elt.response is NR


def test_pack_without_a_response_rule_is_a_rule_error(pack):
    rules = {key: value for key, value in pack.rules.items() if key != "RESP_WINDOW"}
    broken = pack.model_copy(update={"rules": rules})
    with pytest.raises(RuleError, match="RESP_WINDOW"):
        evaluate_courses(one_course(("2026-08-03", 10)), broken, d("2026-08-20"))


def test_pack_without_the_agent_is_a_rule_error(pack):
    agents = {key: value for key, value in pack.agents.items() if key is not AgentCode.eltrombopag}
    broken = pack.model_copy(update={"agents": agents})
    with pytest.raises(RuleError, match="no catalogue entry for eltrombopag"):
        evaluate_courses(one_course(("2026-08-03", 10)), broken, d("2026-08-20"))

"""IWG 2009 response of each therapy course, and `evaluate_courses` for the assessment.

Implements the contract's courses[] members (../shared/specs/assessment.md: Evaluation
window, Baseline, Confirming pair, response, time_to_response_days, loss_of_response, Active)
and joins them with the adequacy verdicts of `itp_desktop.engine.adequacy`. Thresholds of
the response codes are IWG 2009's and fixed by the contract (CR ≥ 100; R ≥ 30 and ≥ 2×
baseline; pairs ≥ 7 days apart); the rescue-exclusion length comes from the pack's
thresholds. Edge-case decisions (same-day counts, bleeding on a pair's dates, baseline
ties) are documented on the functions and in docs/dev/ENGINE_COURSES.md. Pure functions; may
import: core, engine.timeline, engine.adequacy, stdlib.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from itp_desktop.core.codes import ResponseCode
from itp_desktop.core.models.assessment import CourseAssessment, EvaluationWindow
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.models.patient import Patient, TherapyCourse
from itp_desktop.engine.adequacy import assess_adequacy
from itp_desktop.engine.timeline import (
    CountPoint,
    bleeding_dates,
    counts_until,
    course_status,
    evaluation_window,
    last_count_on_or_before,
    rescue_intervals,
    rule_ref,
)

CR_MIN = 100.0
"""RESP_CR: both counts of a confirming pair ≥ 100 ×10⁹/L."""
R_MIN = 30.0
"""RESP_R: both counts ≥ 30 ×10⁹/L ..."""
R_BASELINE_FACTOR = 2.0
"""... and ≥ 2× the baseline count."""
PAIR_MIN_DAYS = 7
"""Counts of a confirming pair are at least 7 days apart."""

_COUNT_TOL = 1e-9


def count_floor(limit: float) -> float:
    """Lowest value taken as ``≥ limit``: tolerates float noise of unit conversion (1e-9)."""
    return limit - _COUNT_TOL * max(1.0, abs(limit))


@dataclass(frozen=True, slots=True)
class Pair:
    """A confirming pair: the dates of its first and second count."""

    first: dt.date
    second: dt.date

    def order(self) -> tuple[dt.date, dt.date]:
        """Sort key: the earliest pair has the earliest second count, then first count."""
        return (self.second, self.first)


def earliest_pair(
    points: list[CountPoint],
    floor: float,
    bleeding: list[dt.date],
) -> Pair | None:
    """The earliest confirming pair among `points` (sorted by date), or None.

    A pair is two qualifying counts (value ≥ `floor`, see `count_floor`) ≥ 7 days apart
    (counts between them do not matter) with no bleeding assessment dated between them, both
    dates included. The earliest pair is the one whose second count is earliest; ties go to
    the earlier first count. Two counts on the same date are never a pair (0 days apart).
    Runs in O(n log n): for each second count, the earliest usable first count is the first
    qualifying count after the latest bleeding.
    """
    qualifying = [point.date for point in points if point.value >= floor]
    for second in qualifying:
        latest_bleed = bisect.bisect_right(bleeding, second)
        lower = 0
        if latest_bleed:
            lower = bisect.bisect_right(qualifying, bleeding[latest_bleed - 1])
        if lower < len(qualifying):
            first = qualifying[lower]
            if (second - first).days >= PAIR_MIN_DAYS:
                return Pair(first, second)
    return None


@dataclass(frozen=True)
class ResponseResult:
    """Response of one course (contract: courses[] response members).

    Attributes:
        response: CR, R, NR or not_evaluable.
        time_to_response_days: start → first count of the earliest pair of any response.
        loss_of_response: loss judged after `confirmed_on` against the best response.
        confirmed_on: second count of the earliest pair confirming the best response.
        baseline: last count dated on or before the start (any count, even in a rescue range).
        window: the evaluation window, None for a planned course.
        counts_in_window: counts inside the window after rescue exclusion.
        excluded: counts inside the window left out because of another course's rescue range.
        rules: rule ids (not refs) the result rests on.
    """

    response: ResponseCode
    time_to_response_days: int | None
    loss_of_response: bool
    confirmed_on: dt.date | None
    baseline: CountPoint | None
    window: EvaluationWindow | None
    counts_in_window: int
    excluded: int
    rules: list[str]


def _window_points(
    points: list[CountPoint],
    window: EvaluationWindow,
    excluded_ranges: list[tuple[dt.date, dt.date]],
) -> tuple[list[CountPoint], int]:
    low = bisect.bisect_right(points, window.start, key=lambda point: point.date)
    high = bisect.bisect_right(points, window.end, key=lambda point: point.date)
    inside = points[low:high]
    if not excluded_ranges:
        return inside, 0
    merged: list[tuple[dt.date, dt.date]] = []
    for first, last in sorted(excluded_ranges):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    # Both lists are sorted by date: one sweep keeps this linear for long ongoing courses.
    kept: list[CountPoint] = []
    ranges = iter(merged)
    current = next(ranges, None)
    for point in inside:
        while current is not None and current[1] < point.date:
            current = next(ranges, None)
        if current is None or point.date < current[0]:
            kept.append(point)
    return kept, len(inside) - len(kept)


def _loss(
    after: list[CountPoint],
    floor: float,
    bleeding: list[dt.date],
    confirmed_on: dt.date,
    window_end: dt.date,
) -> bool:
    """Whether the response confirmed on `confirmed_on` was lost.

    Lost: two counts on different dates after confirmation below the response's count
    criterion (`floor`: 100 after CR; 30 or 2× baseline, whichever is higher, after R), or a
    later bleeding assessment inside the window. Two failing counts on the SAME date are one
    observation: IWG asks for counts ≥ 1 day apart.
    """
    bad_dates = {point.date for point in after if point.value < floor}
    if len(bad_dates) >= 2:
        return True
    position = bisect.bisect_right(bleeding, confirmed_on)
    return position < len(bleeding) and bleeding[position] <= window_end


def evaluate_response(
    index: int,
    patient: Patient,
    pack: KnowledgePack,
    as_of: dt.date,
    *,
    points: list[CountPoint] | None = None,
    bleeding: list[dt.date] | None = None,
    rescue: list[tuple[int, dt.date, dt.date]] | None = None,
) -> ResponseResult:
    """IWG response of ``patient.courses[index]`` judged on `as_of`.

    Counts in the window: dated after the start, up to and including the window end, minus
    counts inside another rescue course's range (ivig/anti_d/methylprednisolone start through
    start + 14 days). CR: a confirming pair ≥ 100. R (needs a baseline): a pair ≥ 30 and ≥ 2×
    baseline. NR: at least two counts in the window (two counts, even on the same date, as
    the contract counts counts) and neither CR nor R. not_evaluable: fewer than two counts,
    a planned course, or no baseline and no CR. The optional keyword arguments let
    `evaluate_courses` share the sorted counts, bleeding dates and rescue ranges.
    """
    course = patient.courses[index]
    points = counts_until(patient, as_of) if points is None else points
    bleeding = bleeding_dates(patient, as_of) if bleeding is None else bleeding
    rescue = rescue_intervals(patient, pack, as_of) if rescue is None else rescue
    window = evaluation_window(course, pack, as_of)
    if window is None:
        return ResponseResult(
            ResponseCode.not_evaluable, None, False, None, None, None, 0, 0, ["RESP_WINDOW"]
        )
    baseline = last_count_on_or_before(points, course.start_date)
    others = [(first, last) for owner, first, last in rescue if owner != index]
    inside, excluded = _window_points(points, window, others)
    rules = ["RESP_WINDOW"]
    if excluded:
        rules.append("RESP_RESCUE_EXCLUSION")

    # R needs both ≥ 30 and ≥ 2× baseline, i.e. at least the higher of the two.
    cr_floor = count_floor(CR_MIN)
    r_floor = cr_floor
    r_pair = None
    if baseline is not None:
        r_floor = max(count_floor(R_MIN), count_floor(R_BASELINE_FACTOR * baseline.value))
        r_pair = earliest_pair(inside, r_floor, bleeding)
    cr_pair = earliest_pair(inside, cr_floor, bleeding)
    any_pairs = [pair for pair in (cr_pair, r_pair) if pair is not None]
    ttr = None
    if any_pairs:
        first_pair = min(any_pairs, key=Pair.order)
        ttr = (first_pair.first - course.start_date).days
        rules.append("RESP_TTR")

    best: Pair | None = None
    floor = cr_floor
    if cr_pair is not None:
        response, best = ResponseCode.CR, cr_pair
        rules.append("RESP_CR")
    elif r_pair is not None:
        response, best, floor = ResponseCode.R, r_pair, r_floor
        rules.append("RESP_R")
    else:
        enough = len(inside) >= 2 and baseline is not None
        response = ResponseCode.NR if enough else ResponseCode.not_evaluable
        if enough:
            rules.append("RESP_NR")

    loss = False
    if best is not None:
        after = [point for point in inside if point.date > best.second]
        loss = _loss(after, floor, bleeding, best.second, window.end)
        rules.append("RESP_LOSS")
    return ResponseResult(
        response=response,
        time_to_response_days=ttr,
        loss_of_response=loss,
        confirmed_on=None if best is None else best.second,
        baseline=baseline,
        window=window,
        counts_in_window=len(inside),
        excluded=excluded,
        rules=rules,
    )


def _assess_course(
    index: int,
    course: TherapyCourse,
    patient: Patient,
    pack: KnowledgePack,
    as_of: dt.date,
    shared: tuple[list[CountPoint], list[dt.date], list[tuple[int, dt.date, dt.date]]],
) -> CourseAssessment:
    points, bleeding, rescue = shared
    result = evaluate_response(
        index, patient, pack, as_of, points=points, bleeding=bleeding, rescue=rescue
    )
    adequacy = assess_adequacy(course, patient, pack, as_of)
    rules = [rule_ref(pack, rule_id) for rule_id in result.rules]
    if adequacy.rule is not None:
        rules.append(adequacy.rule)
    return CourseAssessment(
        agent=course.agent,
        response=result.response,
        time_to_response_days=result.time_to_response_days,
        loss_of_response=result.loss_of_response,
        adequate_trial=adequacy.adequate,
        inadequacy=adequacy.inadequacy,
        course_id=course.id,
        start_date=course.start_date,
        stop_date=course.stop_date,
        status=course_status(course, pack, as_of),
        window=result.window,
        baseline=None if result.baseline is None else result.baseline.ref(),
        confirmed_on=result.confirmed_on,
        counts_in_window=result.counts_in_window,
        adequacy_reasons=adequacy.reasons,
        rules=rules,
    )


def evaluate_courses(
    patient: Patient, pack: KnowledgePack, as_of: dt.date
) -> list[CourseAssessment]:
    """Assess every therapy course on `as_of`, in the same order as ``patient.courses``.

    Raises:
        RuleError: the pack lacks a rule or catalogue entry the evaluation needs.
    """
    shared = (
        counts_until(patient, as_of),
        bleeding_dates(patient, as_of),
        rescue_intervals(patient, pack, as_of),
    )
    return [
        _assess_course(index, course, patient, pack, as_of, shared)
        for index, course in enumerate(patient.courses)
    ]

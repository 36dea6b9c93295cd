"""Dates, counts and course timelines shared by the course-evaluation rules.

What lives here: calendar-month arithmetic; the platelet counts and bleeding assessments the
engine may see on an as-of date; a course's status (planned / active / stopped), evaluation
window and "active on a date" test; the dose steps in force and their exposure in days
(contract ../shared/specs/assessment.md, Definitions → Dates, Days at a dose, Evaluation window,
Active); and `rule_ref`, which prints ``rule-id@version`` from the pack. Edge-case decisions are
written down in docs/dev/ENGINE_COURSES.md. Pure functions of their arguments: no I/O and no
clock (``as_of`` is always passed in). May import: core, stdlib.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

from itp_desktop.core.codes import ADMINISTRATIONS_PER_WEEK, RESCUE_AGENTS, AgentCode, Frequency
from itp_desktop.core.errors import RuleError
from itp_desktop.core.models.assessment import CountRef, EvaluationWindow
from itp_desktop.core.models.knowledge import AgentInfo, KnowledgePack
from itp_desktop.core.models.patient import DoseStep, Patient, TherapyCourse

CourseStatus = Literal["planned", "active", "stopped"]

ONE_DAY = dt.timedelta(days=1)


# ---------------------------------------------------------------- calendar


def add_months(day: dt.date, months: int) -> dt.date:
    """Add calendar months, clamping to the month's last day (30 Nov + 3 months = 28/29 Feb).

    Args:
        day: the date to start from.
        months: number of months to add (may be negative).

    Returns:
        The same day of the month `months` later, or that month's last day when it is shorter.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def days_inclusive(first: dt.date, last: dt.date) -> int:
    """Number of calendar days from `first` through `last` (0 when `last` is before `first`)."""
    return max(0, (last - first).days + 1)


# ---------------------------------------------------------------- counts and bleeding


@dataclass(frozen=True, slots=True)
class CountPoint:
    """A platelet count normalised for rules.

    Attributes:
        date: the count's date.
        value: the count in ×10⁹/L.
        index: position in ``Patient.platelet_counts`` (keeps same-day counts in input order).
    """

    date: dt.date
    value: float
    index: int

    def ref(self) -> CountRef:
        """This count as the output's ``{date, value}``."""
        return CountRef(date=self.date, value=self.value)


def counts_until(patient: Patient, as_of: dt.date) -> list[CountPoint]:
    """Counts dated on or before `as_of`, sorted by date, same-day counts in input order.

    Counts dated after `as_of` are ignored (contract: Dates).
    """
    points = [
        CountPoint(date=count.date, value=count.value_e9, index=index)
        for index, count in enumerate(patient.platelet_counts)
        if count.date <= as_of
    ]
    points.sort(key=lambda point: (point.date, point.index))
    return points


def last_count_on_or_before(points: list[CountPoint], day: dt.date) -> CountPoint | None:
    """The last count dated on or before `day` in sorted `points` (the later-entered on ties)."""
    position = bisect.bisect_right(points, day, key=lambda point: point.date)
    return points[position - 1] if position else None


def latest_count(patient: Patient, as_of: dt.date) -> CountRef | None:
    """Most recent count on or before `as_of` (contract: ``latest_platelet_count``).

    Several counts on the latest date: the one entered last wins, because input order is the
    only record of the time of day (a later draw is listed after an earlier one).
    """
    point = last_count_on_or_before(counts_until(patient, as_of), as_of)
    return None if point is None else point.ref()


def bleeding_dates(patient: Patient, as_of: dt.date) -> list[dt.date]:
    """Sorted dates of bleeding assessments that show bleeding, dated on or before `as_of`.

    Bleeding = WHO grade ≥ 1 or any ITP-BAT SMOG grade ≥ 1 (or flagged life-threatening),
    see ``BleedingAssessment.is_bleeding``.
    """
    return sorted(item.date for item in patient.bleeding if item.is_bleeding and item.date <= as_of)


# ---------------------------------------------------------------- course status and window


def rule_ref(pack: KnowledgePack, rule_id: str) -> str:
    """``rule-id@version`` of a pack rule.

    Raises:
        RuleError: the pack has no rule with this id (a malformed pack, not a patient problem).
    """
    rule = pack.rules.get(rule_id)
    if rule is None:
        raise RuleError(
            f"knowledge pack {pack.meta.id} {pack.meta.version} has no rule {rule_id!r}, "
            "which the course evaluation needs"
        )
    return rule.ref


def is_planned(course: TherapyCourse, as_of: dt.date) -> bool:
    """A course starting after `as_of` is planned (contract: Dates)."""
    return course.start_date > as_of


def exposure_end(course: TherapyCourse, as_of: dt.date) -> dt.date:
    """Last day the course's doses can be in force when judged on `as_of`.

    The stop date when it is on or before `as_of`; otherwise `as_of` (an ongoing course, or
    a stop recorded for a date after `as_of`). Before the start date for a planned course.
    """
    if course.stop_date is not None and course.stop_date <= as_of:
        return course.stop_date
    return as_of


def agent_info(pack: KnowledgePack, agent: AgentCode) -> AgentInfo:
    """The pack's catalogue entry of an agent.

    Raises:
        RuleError: the pack has no entry for the agent (a validated pack has all of them).
    """
    info = pack.agents.get(agent)
    if info is None:
        raise RuleError(f"knowledge pack {pack.meta.id} has no catalogue entry for {agent}")
    return info


def evaluation_period_days(course: TherapyCourse, pack: KnowledgePack) -> int:
    """The agent's evaluation period from the pack (rituximab 84, ivig 28, … in itp-facts)."""
    return agent_info(pack, course.agent).evaluation_period_days


def window_end(course: TherapyCourse, pack: KnowledgePack, as_of: dt.date) -> dt.date | None:
    """Last day of the course's evaluation window, or None for a planned course.

    Contract: the later of the stop date and start + evaluation period, never after `as_of`;
    an ongoing course runs to `as_of`.
    """
    if is_planned(course, as_of):
        return None
    if course.stop_date is None:
        return as_of
    period_end = course.start_date + dt.timedelta(days=evaluation_period_days(course, pack))
    return min(max(course.stop_date, period_end), as_of)


def evaluation_window(
    course: TherapyCourse, pack: KnowledgePack, as_of: dt.date
) -> EvaluationWindow | None:
    """Counts dated after ``start`` up to and including ``end`` are evaluated; None if planned."""
    end = window_end(course, pack, as_of)
    return None if end is None else EvaluationWindow(start=course.start_date, end=end)


def course_status(course: TherapyCourse, pack: KnowledgePack, as_of: dt.date) -> CourseStatus:
    """``planned`` (starts after `as_of`), ``active`` (`as_of` inside its window) or ``stopped``.

    An ongoing course is always active; a stopped rituximab course stays active for 84 days
    from its start, an IVIG course for 28 (the evaluation periods of the pack).
    """
    end = window_end(course, pack, as_of)
    if end is None:
        return "planned"
    return "active" if end >= as_of else "stopped"


def active_on(course: TherapyCourse, pack: KnowledgePack, as_of: dt.date, on: dt.date) -> bool:
    """Whether the course is active on the date `on`, judged with the data known on `as_of`.

    Active = `on` falls inside the evaluation window (start date to window end, both
    inclusive). A planned course is never active; dates after `as_of` are never active
    because the window never runs past `as_of`.
    """
    end = window_end(course, pack, as_of)
    return end is not None and course.start_date <= on <= end


def rescue_intervals(
    patient: Patient, pack: KnowledgePack, as_of: dt.date
) -> list[tuple[int, dt.date, dt.date]]:
    """Rescue exclusion ranges: ``(course index, first day, last day)``, sorted by first day.

    Counts dated from an ivig, anti_d or methylprednisolone course's start through start +
    `thresholds.rescue_exclusion_days` never confirm another course's response. Planned
    rescue courses (starting after `as_of`) exclude nothing.
    """
    length = dt.timedelta(days=pack.thresholds.rescue_exclusion_days)
    ranges = [
        (index, course.start_date, course.start_date + length)
        for index, course in enumerate(patient.courses)
        if course.agent in RESCUE_AGENTS and not is_planned(course, as_of)
    ]
    ranges.sort(key=lambda item: (item[1], item[0]))
    return ranges


# ---------------------------------------------------------------- dose steps and exposure


@dataclass(frozen=True, slots=True)
class StepSpan:
    """One dose step while it is in force (contract: Days at a dose).

    Attributes:
        index: position of the step in ``course.dose_steps``.
        step: the dose step.
        first: its effective date.
        last: the last day in force: the day before the next step, or the course's stop date,
            or `as_of` for an ongoing course.
        days_in_force: calendar days from `first` through `last`.
        exposure_days: daily-type schedules: `days_in_force`; ``weekly``: 7 × doses in force;
            ``once``: 0.
        administrations: ``once``: 1; otherwise the doses in force when the first is given on
            the effective date and the rest are evenly spaced (weekly: one every 7 days).
    """

    index: int
    step: DoseStep
    first: dt.date
    last: dt.date
    days_in_force: int
    exposure_days: int
    administrations: int


def _administrations(frequency: Frequency, days_in_force: int) -> int:
    if frequency is Frequency.once:
        return 1
    # A dose on the effective date and then evenly spaced: weekly → one per started week
    # (9, 16, 23, 30 March in force through 30 March → 4), daily → one per day.
    return math.ceil(days_in_force * ADMINISTRATIONS_PER_WEEK[frequency] / 7)


def step_spans(course: TherapyCourse, as_of: dt.date) -> list[StepSpan]:
    """The course's dose steps that are in force on or before `as_of`, in order.

    Steps dated after the exposure end (see `exposure_end`) are not in force and are left out;
    a planned course has none.
    """
    end = exposure_end(course, as_of)
    spans: list[StepSpan] = []
    steps = course.dose_steps
    for index, step in enumerate(steps):
        first = step.effective_date
        if first > end:
            break
        last = end
        if index + 1 < len(steps):
            last = min(end, steps[index + 1].effective_date - ONE_DAY)
        days = days_inclusive(first, last)
        administrations = _administrations(step.frequency, days)
        if step.frequency is Frequency.once:
            exposure = 0
        elif step.frequency is Frequency.weekly:
            exposure = 7 * administrations
        else:
            exposure = days
        spans.append(StepSpan(index, step, first, last, days, exposure, administrations))
    return spans


def course_duration_days(course: TherapyCourse, as_of: dt.date) -> int:
    """A course's total duration: the exposure days summed over all its steps.

    Used for "total course ≥ 84 days" (fostamatinib) and "a corticosteroid course whose
    duration exceeds 42 days" (ongoing courses are counted up to `as_of`).
    """
    return sum(span.exposure_days for span in step_spans(course, as_of))


def administration_count(course: TherapyCourse, as_of: dt.date) -> int:
    """Number of administrations given up to `as_of` (see `StepSpan.administrations`)."""
    return sum(span.administrations for span in step_spans(course, as_of))


def dose_dates(course: TherapyCourse, as_of: dt.date) -> list[dt.date]:
    """Dates on which a dose of the course was given, up to `as_of`.

    ``once`` steps: the effective date; ``weekly``: the effective date and every 7 days in
    force; any other schedule: every calendar day in force (the weekday of a twice-weekly dose
    is not recorded, so every day in force is taken as a possible dose day).
    """
    result: list[dt.date] = []
    for span in step_spans(course, as_of):
        if span.step.frequency is Frequency.once:
            result.append(span.first)
            continue
        stride = 7 if span.step.frequency is Frequency.weekly else 1
        result.extend(
            span.first + dt.timedelta(days=offset)
            for offset in range(0, span.days_in_force, stride)
        )
    return result

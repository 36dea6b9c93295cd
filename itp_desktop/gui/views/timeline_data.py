"""What the ITP timeline draws and lists, prepared from a `Patient` (no Qt, no clinical rules).

`timeline_events` flattens the record into dated events (counts, course start / dose change /
stop, bleeding, vaccines, procedures, work-up, monitoring) for the table beside the chart and the
record lists; `course_bars` gives one bar per dose step on one lane per course, with lanes shared
by courses that never overlap; `concurrent_courses` names the courses that overlap each course
(combination therapy). Display preparation only. May import: core, services.display, stdlib.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from itp_desktop.core.models.patient import Patient, TherapyCourse
from itp_desktop.core.units import UNIT_LABELS, fmt_count, fmt_number
from itp_desktop.services.display import (
    MONITORING_LABELS,
    PROCEDURE_LABELS,
    STOP_REASON_LABELS,
    TEST_RESULT_LABELS,
    VACCINE_LABELS,
    WORKUP_LABELS,
    Labels,
    dose_text,
)

EventKind = Literal[
    "count", "course", "dose", "stop", "bleeding", "vaccine", "procedure", "workup", "monitoring"
]
KIND_LABELS: dict[str, str] = {
    "count": "Platelet count",
    "course": "Therapy started",
    "dose": "Dose change",
    "stop": "Therapy stopped",
    "bleeding": "Bleeding assessment",
    "vaccine": "Vaccine",
    "procedure": "Procedure",
    "workup": "Work-up",
    "monitoring": "Monitoring",
}
RECORD_KINDS = frozenset({"bleeding", "vaccine", "procedure", "workup", "monitoring"})


class TimelineEvent(BaseModel):
    """One dated line of the timeline table."""

    model_config = ConfigDict(frozen=True)

    date: dt.date
    kind: EventKind
    label: str
    detail: str = ""
    value_e9: float | None = None
    entry_id: str | None = None
    planned: bool = False
    no_bleeding: bool = False  # an assessment that found no bleeding: drawn hollow


class CourseBar(BaseModel):
    """One dose step of one course, drawn as a bar on a lane."""

    model_config = ConfigDict(frozen=True)

    lane: int
    course_id: str | None
    agent_label: str
    start: dt.date
    end: dt.date
    dose: str
    amount: float
    unit: str
    first_step: bool
    ongoing: bool
    planned: bool
    stop_reason: str = ""


def timeline_events(patient: Patient, labels: Labels, today: dt.date) -> list[TimelineEvent]:
    """Every dated entry of the record, newest first."""
    events: list[TimelineEvent] = []
    for count in patient.platelet_counts:
        entered = (
            ""
            if count.unit.value == "10^9/L"
            else (f" (entered {fmt_number(count.value)} {UNIT_LABELS[count.unit]})")
        )
        events.append(
            TimelineEvent(
                date=count.date,
                kind="count",
                label=fmt_count(count.value_e9),
                detail=f"{count.notes}{entered}".strip(),
                value_e9=count.value_e9,
                entry_id=count.id,
            )
        )
    for course in patient.courses:
        events += _course_events(course, labels, today)
    for bleed in patient.bleeding:
        events.append(
            TimelineEvent(
                date=bleed.date,
                kind="bleeding",
                label=bleeding_text(
                    bleed.who_grade,
                    bleed.itpbat_skin,
                    bleed.itpbat_mucosa,
                    bleed.itpbat_organ,
                    bleed.life_threatening,
                ),
                detail=bleed.notes,
                entry_id=bleed.id,
                no_bleeding=not bleed.is_bleeding,
            )
        )
    for vaccine in patient.immunizations:
        product = f" — {vaccine.product}" if vaccine.product else ""
        events.append(
            TimelineEvent(
                date=vaccine.date,
                kind="vaccine",
                label=f"{VACCINE_LABELS[vaccine.vaccine]}{product}",
                detail=vaccine.notes,
                entry_id=vaccine.id,
            )
        )
    for procedure in patient.procedures:
        planned = procedure.date > today
        events.append(
            TimelineEvent(
                date=procedure.date,
                kind="procedure",
                label=PROCEDURE_LABELS[procedure.kind] + (" (planned)" if planned else ""),
                detail=procedure.notes,
                entry_id=procedure.id,
                planned=planned,
            )
        )
    for result in patient.workup:
        if result.date is None:
            continue
        events.append(
            TimelineEvent(
                date=result.date,
                kind="workup",
                label=f"{WORKUP_LABELS[result.test]}: {TEST_RESULT_LABELS[result.result]}",
                detail=result.notes,
                entry_id=result.id,
            )
        )
    for record in patient.monitoring:
        events.append(
            TimelineEvent(
                date=record.date,
                kind="monitoring",
                label=MONITORING_LABELS[record.code],
                detail=record.result,
                entry_id=record.id,
            )
        )
    events.sort(key=lambda e: (e.date, e.kind), reverse=True)
    return events


def bleeding_text(
    who: int | None, skin: int | None, mucosa: int | None, organ: int | None, life: bool
) -> str:
    """``WHO 3 · ITP-BAT S2 M0 O3 · life-threatening``."""
    parts = []
    if who is not None:
        parts.append(f"WHO {who}")
    smog = " ".join(
        f"{name}{grade}"
        for name, grade in (("S", skin), ("M", mucosa), ("O", organ))
        if grade is not None
    )
    if smog:
        parts.append(f"ITP-BAT {smog}")
    if life:
        parts.append("life-threatening")
    return " · ".join(parts) or "assessed"


def _course_events(course: TherapyCourse, labels: Labels, today: dt.date) -> list[TimelineEvent]:
    name = labels.agent_short(course.agent)
    events = []
    for index, step in enumerate(course.dose_steps):
        planned = step.effective_date > today
        events.append(
            TimelineEvent(
                date=step.effective_date,
                kind="course" if index == 0 else "dose",
                label=f"{name} {dose_text(step)}" + (" (planned)" if planned else ""),
                detail=step.notes or (course.notes if index == 0 else ""),
                entry_id=course.id,
                planned=planned,
            )
        )
    if course.stop_date is not None:
        reason = STOP_REASON_LABELS[course.stop_reason] if course.stop_reason else ""
        events.append(
            TimelineEvent(
                date=course.stop_date,
                kind="stop",
                label=f"{name} stopped",
                detail=reason,
                entry_id=course.id,
            )
        )
    return events


def course_end(course: TherapyCourse, today: dt.date) -> dt.date:
    """The last day a course is drawn to: its stop date, else today (or its start if later)."""
    if course.stop_date is not None:
        return course.stop_date
    return max(today, course.start_date)


def course_lanes(courses: Sequence[TherapyCourse], today: dt.date) -> list[int]:
    """A lane per course: the same agent reuses its lane; overlapping courses get their own."""
    lanes: list[int] = []
    lane_ends: list[tuple[str, dt.date]] = []
    for course in courses:
        end = course_end(course, today)
        chosen = None
        for index, (agent, lane_end) in enumerate(lane_ends):
            if agent == course.agent.value and lane_end < course.start_date:
                chosen = index
                break
        if chosen is None:
            chosen = len(lane_ends)
            lane_ends.append((course.agent.value, end))
        else:
            lane_ends[chosen] = (course.agent.value, end)
        lanes.append(chosen)
    return lanes


def course_bars(patient: Patient, labels: Labels, today: dt.date) -> list[CourseBar]:
    """One bar per dose step, on the course's lane."""
    bars: list[CourseBar] = []
    lanes = course_lanes(patient.courses, today)
    for course, lane in zip(patient.courses, lanes, strict=True):
        end = course_end(course, today)
        steps = course.dose_steps
        reason = STOP_REASON_LABELS[course.stop_reason] if course.stop_reason else ""
        for index, step in enumerate(steps):
            step_end = steps[index + 1].effective_date if index + 1 < len(steps) else end
            bars.append(
                CourseBar(
                    lane=lane,
                    course_id=course.id,
                    agent_label=labels.agent_lane(course.agent),
                    start=step.effective_date,
                    end=max(step_end, step.effective_date),
                    dose=dose_text(step),
                    amount=step.amount,
                    unit=step.unit.value,
                    first_step=index == 0,
                    ongoing=course.stop_date is None,
                    planned=step.effective_date > today,
                    stop_reason=reason,
                )
            )
    return bars


def concurrent_courses(
    courses: Sequence[TherapyCourse], labels: Labels, today: dt.date
) -> list[list[str]]:
    """For each course, the names of the other courses given at the same time."""
    spans = [(c.start_date, course_end(c, today)) for c in courses]
    result = []
    for index, (start, end) in enumerate(spans):
        names = [
            labels.agent_short(courses[other].agent)
            for other, (o_start, o_end) in enumerate(spans)
            if other != index and o_start <= end and start <= o_end
        ]
        result.append(names)
    return result

"""Steroid dependence, splenectomy failure and multi-refractory disease.

Implements the contract's ``steroid_dependent`` and ``multi_refractory`` members and its
"Splenectomy failure" definition (../shared/specs/assessment.md), with thresholds from the
pack (`Thresholds.steroid_dependence_*`, `splenectomy_failure_*`). Each function returns a
`RefractoryVerdict` whose `why` lists the facts behind the verdict in plain language, so the
findings and reports can show them. Edge-case decisions are documented on the functions and
in docs/dev/ENGINE_COURSES.md. Pure functions; may import: core, engine.timeline,
engine.adequacy, stdlib.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from dataclasses import dataclass, field

from itp_desktop.core.codes import (
    CORTICOSTEROIDS,
    TPO_RAS,
    AgentCode,
    Frequency,
    ProcedureKind,
    ResponseCode,
)
from itp_desktop.core.models.assessment import CourseAssessment
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.models.patient import DoseStep, Patient, TherapyCourse
from itp_desktop.core.units import fmt_count, fmt_number, per_administration, per_day
from itp_desktop.engine.adequacy import REL_TOL, unit_label
from itp_desktop.engine.labels import agent_word
from itp_desktop.engine.timeline import (
    CountPoint,
    counts_until,
    days_inclusive,
    exposure_end,
    is_planned,
    last_count_on_or_before,
    rule_ref,
    step_spans,
)

CORTICOSTEROID = "corticosteroid"
TPO_RA = "tpo_ra"
RITUXIMAB = "rituximab"
SYK_BTK = "fostamatinib_rilzabrutinib"
SPLENECTOMY = "splenectomy"

REFRACTORY_CLASSES: tuple[str, ...] = (CORTICOSTEROID, TPO_RA, RITUXIMAB, SYK_BTK, SPLENECTOMY)
"""Classes of the multi-refractory rule, in the order they are reported."""

CLASS_LABELS: dict[str, str] = {
    CORTICOSTEROID: "corticosteroid",
    TPO_RA: "TPO receptor agonist",
    RITUXIMAB: "rituximab",
    SYK_BTK: "fostamatinib/rilzabrutinib",
    SPLENECTOMY: "splenectomy",
}


@dataclass(frozen=True)
class RefractoryVerdict:
    """A yes/no verdict with its reasons.

    Attributes:
        value: the verdict.
        why: plain-language facts behind it (with dates and values), for true and for false.
        failed_classes: for `multi_refractory` and `splenectomy_failure`, the classes with a
            failed adequate trial, in `REFRACTORY_CLASSES` order; empty otherwise.
        rules: ``rule-id@version`` of the definitions used.
    """

    value: bool
    why: list[str] = field(default_factory=list)
    failed_classes: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


def refractory_class(agent: AgentCode) -> str | None:
    """The multi-refractory class of an agent, or None when it belongs to none."""
    if agent in CORTICOSTEROIDS:
        return CORTICOSTEROID
    if agent in TPO_RAS:
        return TPO_RA
    if agent is AgentCode.rituximab:
        return RITUXIMAB
    if agent in (AgentCode.fostamatinib, AgentCode.rilzabrutinib):
        return SYK_BTK
    return None


# ---------------------------------------------------------------- steroid dependence


@dataclass
class _Period:
    first: dt.date
    last: dt.date
    courses: list[TherapyCourse]


def _steroid_periods(patient: Patient, as_of: dt.date, gap_days: int) -> list[_Period]:
    """Corticosteroid courses joined when fewer than `gap_days` days without one separate them.

    A course runs from its start through its stop date, or through `as_of` when ongoing (or
    stopped after `as_of`). Planned courses do not count.
    """
    spans = sorted(
        (
            (course.start_date, exposure_end(course, as_of), index)
            for index, course in enumerate(patient.courses)
            if course.agent in CORTICOSTEROIDS and not is_planned(course, as_of)
        ),
    )
    periods: list[_Period] = []
    for first, last, index in spans:
        course = patient.courses[index]
        if periods and (first - periods[-1].last).days - 1 < gap_days:
            periods[-1].last = max(periods[-1].last, last)
            periods[-1].courses.append(course)
        else:
            periods.append(_Period(first, last, [course]))
    return periods


def _daily_amount(step: DoseStep, unit_of: DoseStep, patient: Patient) -> float | None:
    """A step's per-day amount in the unit of `unit_of` (a once step: its single amount)."""
    weight, bsa = patient.weight_kg, patient.bsa_m2
    if step.frequency is Frequency.once:
        return per_administration(
            step.amount, step.unit, unit_of.unit, weight_kg=weight, bsa_m2=bsa
        )
    return per_day(
        step.amount, step.unit, step.frequency, unit_of.unit, weight_kg=weight, bsa_m2=bsa
    )


def _events(course: TherapyCourse, patient: Patient, as_of: dt.date) -> list[tuple[dt.date, str]]:
    """Dose reductions and the stop of a course, up to `as_of`, with a description.

    A dose reduction is a step whose per-day amount, in the previous step's unit, is lower than
    the previous step's; when the two cannot be compared (mg vs mg/kg without a weight) the
    step is not counted as a reduction.
    """
    events: list[tuple[dt.date, str]] = []
    spans = step_spans(course, as_of)
    for before, after in itertools.pairwise(spans):
        old = _daily_amount(before.step, before.step, patient)
        new = _daily_amount(after.step, before.step, patient)
        if old is None or new is None or new >= old * (1.0 - REL_TOL):
            continue
        unit = unit_label(before.step.unit)
        events.append(
            (
                after.first,
                f"{course.agent} dose reduced on {after.first} "
                f"({fmt_number(old)} → {fmt_number(new)} {unit}/day)",
            )
        )
    if course.stop_date is not None and course.stop_date <= as_of:
        events.append((course.stop_date, f"{course.agent} stopped on {course.stop_date}"))
    return events


def _low_count_after(
    points: list[CountPoint], event: dt.date, days: int, below: float
) -> CountPoint | None:
    start = bisect.bisect_left(points, event, key=lambda point: point.date)
    end = event + dt.timedelta(days=days)
    for point in points[start:]:
        if point.date > end:
            return None
        if point.value < below:
            return point
    return None


def steroid_dependence(patient: Patient, pack: KnowledgePack, as_of: dt.date) -> RefractoryVerdict:
    """IWG corticosteroid dependence as the contract defines ``steroid_dependent``.

    Corticosteroid courses (prednisone, dexamethasone, methylprednisolone) are joined into one
    period when fewer than 14 days without a corticosteroid separate them; the period must
    last ≥ 60 days from its first start through its last stop (or `as_of`), counted inclusively
    with the gaps; and a count < 30 must be dated from a dose reduction or a stop inside the
    period (the final stop included) through 30 days after it — the count may fall after the
    period ends, but not after `as_of`. Numbers come from `pack.thresholds`.
    """
    limits = pack.thresholds
    rules = [rule_ref(pack, "DEF_STEROID_DEP")]
    periods = _steroid_periods(patient, as_of, limits.steroid_dependence_gap_days)
    long_periods = [
        period
        for period in periods
        if days_inclusive(period.first, period.last) >= limits.steroid_dependence_min_days
    ]
    if not long_periods:
        longest = max((days_inclusive(p.first, p.last) for p in periods), default=0)
        reason = (
            f"no corticosteroid period of ≥ {limits.steroid_dependence_min_days} days "
            f"(longest {longest} days)"
        )
        return RefractoryVerdict(False, [reason], rules=rules)
    points = counts_until(patient, as_of)
    why: list[str] = []
    for period in long_periods:
        agents = ", ".join(dict.fromkeys(agent_word(course.agent) for course in period.courses))
        described = (
            f"corticosteroids ({agents}) from {period.first} through {period.last} "
            f"({days_inclusive(period.first, period.last)} days)"
        )
        events = sorted(
            (event for course in period.courses for event in _events(course, patient, as_of)),
            key=lambda item: item[0],
        )
        for day, text in events:
            low = _low_count_after(
                points,
                day,
                limits.steroid_dependence_after_reduction_days,
                limits.steroid_dependence_count_below,
            )
            if low is not None:
                why = [
                    described,
                    text,
                    f"platelet count {fmt_count(low.value)} on {low.date}, "
                    f"{(low.date - day).days} days later",
                ]
                return RefractoryVerdict(True, why, rules=rules)
        why.append(
            f"{described}, but no count < {fmt_number(limits.steroid_dependence_count_below)} "
            f"within {limits.steroid_dependence_after_reduction_days} days after a dose "
            "reduction or stop"
        )
    return RefractoryVerdict(False, why, rules=rules)


# ---------------------------------------------------------------- splenectomy failure


def splenectomy_failure(patient: Patient, pack: KnowledgePack, as_of: dt.date) -> RefractoryVerdict:
    """A splenectomy done ≥ 30 days before `as_of` with the latest count < 30.

    It counts as an adequate, failed trial of the class ``splenectomy``. The contract's words
    are applied literally ("the latest count < 30"); when that count predates the operation the
    `why` says so, so the clinician can confirm it with a post-operative count (see
    docs/dev/ENGINE_COURSES.md). With several splenectomy records the earliest done one is used.
    """
    limits = pack.thresholds
    rules = [rule_ref(pack, "DEF_SPLEN_FAILURE")]
    done = sorted(
        procedure.date
        for procedure in patient.procedures
        if procedure.kind is ProcedureKind.splenectomy and procedure.date <= as_of
    )
    if not done:
        return RefractoryVerdict(False, ["no splenectomy done"], rules=rules)
    operated = done[0]
    elapsed = (as_of - operated).days
    if elapsed < limits.splenectomy_failure_min_days:
        why = [
            f"splenectomy on {operated}, {elapsed} days before {as_of} "
            f"(fewer than {limits.splenectomy_failure_min_days})"
        ]
        return RefractoryVerdict(False, why, rules=rules)
    latest = last_count_on_or_before(counts_until(patient, as_of), as_of)
    if latest is None:
        why = [f"splenectomy on {operated}; no platelet count recorded"]
        return RefractoryVerdict(False, why, rules=rules)
    why = [
        f"splenectomy on {operated}, {elapsed} days before {as_of}",
        f"latest platelet count {fmt_count(latest.value)} on {latest.date}",
    ]
    if latest.date <= operated:
        why.append("the latest count predates the splenectomy: confirm with a post-operative count")
    failed = latest.value < limits.splenectomy_failure_count_below
    return RefractoryVerdict(failed, why, [SPLENECTOMY] if failed else [], rules)


# ---------------------------------------------------------------- multi-refractory


def multi_refractory(
    patient: Patient,
    pack: KnowledgePack,
    as_of: dt.date,
    courses: list[CourseAssessment],
) -> RefractoryVerdict:
    """NR or loss of response after an adequate trial of a corticosteroid and ≥ 2 other classes.

    Classes: TPO-RA (romiplostim, eltrombopag, avatrombopag), rituximab,
    fostamatinib/rilzabrutinib (one class), splenectomy (`splenectomy_failure`). A course
    counts when its `adequate_trial` is true and its response is NR or it lost its response;
    stop reasons do not matter. Steroid dependence alone is not a corticosteroid failure here
    (the contract names only NR or loss of response).

    Args:
        patient: the patient.
        pack: the knowledge pack.
        as_of: the assessment date.
        courses: `evaluate_courses` output, in the same order as ``patient.courses``.
    """
    failures: dict[str, list[str]] = {}
    for course, assessed in zip(patient.courses, courses, strict=True):
        klass = refractory_class(course.agent)
        if klass is None or assessed.adequate_trial is not True:
            continue
        if assessed.response is ResponseCode.NR:
            outcome = "no response (NR)"
        elif assessed.loss_of_response:
            outcome = f"loss of response after {assessed.response.value}"
        else:
            continue
        failures.setdefault(klass, []).append(
            f"{course.agent} from {course.start_date}: {outcome} after an adequate trial"
        )
    spleen = splenectomy_failure(patient, pack, as_of)
    if spleen.value:
        failures[SPLENECTOMY] = [*spleen.why]
    failed = [klass for klass in REFRACTORY_CLASSES if klass in failures]
    others = [klass for klass in failed if klass != CORTICOSTEROID]
    value = CORTICOSTEROID in failures and len(others) >= 2
    why = [text for klass in failed for text in failures[klass]]
    if CORTICOSTEROID not in failures:
        why.append("no failed adequate corticosteroid trial")
    if len(others) < 2:
        named = ", ".join(CLASS_LABELS[klass] for klass in others) or "none"
        why.append(f"failed adequate trials of other classes: {named} (2 needed)")
    rules = [rule_ref(pack, "DEF_REFRACTORY_KB"), *spleen.rules]
    return RefractoryVerdict(value, why, failed, rules)

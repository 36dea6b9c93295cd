"""Adequate-trial verdicts of therapy courses and the dose comparisons behind them.

Implements the contract's "Adequacy rules" with the knowledge pack's `AdequacyRule` kinds
(``days_at_dose``, ``dose_reached_and_total_days``, ``regimen``, ``cycle``) and the public
exposure helper `days_at_or_above` ("N days at dose X" = the longest run of consecutive dose
steps at or above X, their exposure days summed). Doses are compared after normalising units
with `itp_desktop.core.units` against the patient's current weight and body-surface area; a
step whose conversion needs a missing weight or BSA counts as NOT reaching the dose and the
reasons say which measurement is missing. Comparisons allow a 1e-9 relative float tolerance;
only regimen rules (rituximab) use their own ±tolerance. Edge-case decisions are listed in
docs/dev/ENGINE_COURSES.md. Pure functions; may import: core, engine.timeline, stdlib.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from itp_desktop.core.codes import DoseUnit, Frequency, InadequacyCode
from itp_desktop.core.errors import RuleError
from itp_desktop.core.models.knowledge import AdequacyRegimen, AdequacyRule, KnowledgePack
from itp_desktop.core.models.patient import DoseStep, Patient, TherapyCourse
from itp_desktop.core.units import fmt_number, per_administration, per_day
from itp_desktop.engine.timeline import (
    ONE_DAY,
    StepSpan,
    agent_info,
    course_duration_days,
    days_inclusive,
    is_planned,
    rule_ref,
    step_spans,
)

Per = Literal["administration", "day"]

REL_TOL = 1e-9
"""Relative tolerance of dose comparisons: absorbs float noise of unit conversion only."""

_PER_KG = frozenset({DoseUnit.mg_per_kg, DoseUnit.g_per_kg, DoseUnit.mcg_per_kg})
_CODE_ORDER = {code: position for position, code in enumerate(InadequacyCode)}


# ---------------------------------------------------------------- dose normalisation


def unit_label(unit: DoseUnit) -> str:
    """Display form of a dose unit (``mg/m2`` → ``mg/m²``)."""
    return "mg/m²" if unit is DoseUnit.mg_per_m2 else unit.value


def fmt_dose(dose: float, unit: DoseUnit, per: Per) -> str:
    """``0.5 mg/kg/day`` or ``10 mcg/kg per dose``."""
    if per == "day":
        return f"{fmt_number(dose)} {unit_label(unit)}/day"
    return f"{fmt_number(dose)} {unit_label(unit)} per dose"


def reaches(value: float, dose: float) -> bool:
    """``value ≥ dose`` with a 1e-9 relative tolerance for float noise."""
    return value >= dose * (1.0 - REL_TOL)


def dose_level(step: DoseStep, unit: DoseUnit, per: Per, patient: Patient) -> float | None:
    """A step's amount in `unit`, per administration or per day.

    A ``once`` step has no daily rate; its single amount is what is given on that day, so it is
    used for both. Returns None when the conversion needs a missing weight or BSA, or is not
    defined (IU/kg to mass).
    """
    weight, bsa = patient.weight_kg, patient.bsa_m2
    if per == "administration" or step.frequency is Frequency.once:
        return per_administration(step.amount, step.unit, unit, weight_kg=weight, bsa_m2=bsa)
    return per_day(step.amount, step.unit, step.frequency, unit, weight_kg=weight, bsa_m2=bsa)


def missing_basis(step_unit: DoseUnit, target: DoseUnit, patient: Patient) -> str:
    """Why a dose in `step_unit` cannot be expressed in `target`, in plain language."""
    units = {step_unit, target}
    if units & _PER_KG and patient.weight_kg is None:
        return "weight is missing"
    if DoseUnit.mg_per_m2 in units and patient.bsa_m2 is None:
        return "weight or height is missing, so the body-surface area is unknown"
    return f"{unit_label(step_unit)} cannot be converted to {unit_label(target)}"


def _not_compared(step: DoseStep, target: str, patient: Patient, unit: DoseUnit) -> str:
    return (
        f"{missing_basis(step.unit, unit, patient)}: the dose of "
        f"{fmt_number(step.amount)} {unit_label(step.unit)} from {step.effective_date} "
        f"could not be compared with {target} and counts as not reaching it"
    )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


@dataclass(frozen=True)
class ExposureAtDose:
    """Exposure of a course at or above a dose (contract: Days at a dose).

    Attributes:
        days: the longest run of consecutive steps at or above the dose, exposure days summed.
        reached: whether any step in force reached the dose.
        highest: the highest comparable step amount in the rule's unit (None if none compared).
        not_compared: plain-language notes on steps whose dose could not be converted.
    """

    days: int
    reached: bool
    highest: float | None
    not_compared: list[str] = field(default_factory=list)


def days_at_or_above(
    course: TherapyCourse,
    patient: Patient,
    as_of: dt.date,
    dose: float,
    unit: DoseUnit,
    per: Per = "day",
) -> ExposureAtDose:
    """Days the course spent at or above `dose` `unit` (per administration or per day).

    Steps in force up to `as_of` are walked in order; each run of consecutive steps at or
    above the dose sums their exposure days (weekly: 7 × doses in force; once: 0); the
    longest run is returned. A step that cannot be compared (missing weight/BSA) breaks a run.

    Example:
        Weekly 10 mcg/kg doses on 9, 16, 23 and 30 March, stopped 30 March → 28 days.
    """
    target = fmt_dose(dose, unit, per)
    best = run = 0
    reached = False
    highest: float | None = None
    notes: list[str] = []
    for span in step_spans(course, as_of):
        level = dose_level(span.step, unit, per, patient)
        if level is None:
            notes.append(_not_compared(span.step, target, patient, unit))
            run = 0
            continue
        highest = level if highest is None else max(highest, level)
        if reaches(level, dose):
            reached = True
            run += span.exposure_days
            best = max(best, run)
        else:
            run = 0
    return ExposureAtDose(days=best, reached=reached, highest=highest, not_compared=notes)


def longest_dosed_run(
    course: TherapyCourse,
    patient: Patient,
    as_of: dt.date,
    dose: float,
    unit: DoseUnit,
    per: Per = "day",
) -> ExposureAtDose:
    """Longest run of consecutive CALENDAR days on which at least `dose` was given.

    Used by ``cycle`` rules (a 4-day dexamethasone cycle of 40 mg/day): a daily-type step
    counts every day in force at its daily amount; a ``once`` step counts its own date at its
    single amount; the days between ``once`` administrations are not dosed. Consecutive
    ``once`` steps on consecutive days therefore form a cycle, weekly pulses do not.
    """
    target = fmt_dose(dose, unit, per)
    runs: list[tuple[dt.date, dt.date]] = []
    reached = False
    highest: float | None = None
    notes: list[str] = []
    for span in step_spans(course, as_of):
        level = dose_level(span.step, unit, per, patient)
        if level is None:
            notes.append(_not_compared(span.step, target, patient, unit))
            continue
        highest = level if highest is None else max(highest, level)
        if not reaches(level, dose):
            continue
        reached = True
        last = span.first if span.step.frequency is Frequency.once else span.last
        if runs and runs[-1][1] + ONE_DAY == span.first:
            runs[-1] = (runs[-1][0], last)
        else:
            runs.append((span.first, last))
    best = max((days_inclusive(first, last) for first, last in runs), default=0)
    return ExposureAtDose(days=best, reached=reached, highest=highest, not_compared=notes)


# ---------------------------------------------------------------- verdicts


@dataclass(frozen=True)
class AdequacyVerdict:
    """Adequacy of one course.

    Attributes:
        adequate: True/False, or None when the pack has no rule for the agent or the course
            is planned.
        inadequacy: codes in the order of `InadequacyCode`; empty when adequate or None.
        reasons: plain-language sentences with the numbers behind the verdict.
        rule: ``rule-id@version`` of the adequacy rule used, or None.
    """

    adequate: bool | None
    inadequacy: list[InadequacyCode]
    reasons: list[str]
    rule: str | None = None


def _sorted_codes(codes: Iterable[InadequacyCode]) -> list[InadequacyCode]:
    return sorted(set(codes), key=_CODE_ORDER.__getitem__)


def _dose_of(rule: AdequacyRule) -> tuple[float, DoseUnit]:
    if rule.dose is None or rule.unit is None:
        raise RuleError(f"adequacy rule {rule.rule} ({rule.kind}) needs a dose and a unit")
    return rule.dose, rule.unit


def _never_reached(rule: AdequacyRule, exposure: ExposureAtDose) -> list[str]:
    dose, unit = _dose_of(rule)
    target = fmt_dose(dose, unit, rule.per)
    if exposure.highest is None:
        return [f"{target} never reached: no dose could be compared"]
    highest = fmt_dose(exposure.highest, unit, rule.per)
    return [f"{target} never reached (highest dose {highest})"]


def _days_at_dose(
    course: TherapyCourse, patient: Patient, as_of: dt.date, rule: AdequacyRule
) -> tuple[list[InadequacyCode], list[str], list[str]]:
    dose, unit = _dose_of(rule)
    if rule.kind == "cycle":
        exposure = longest_dosed_run(course, patient, as_of, dose, unit, rule.per)
        what = "consecutive days"
    else:
        exposure = days_at_or_above(course, patient, as_of, dose, unit, rule.per)
        what = "days"
    if not exposure.reached:
        return [rule.below_dose_code], _never_reached(rule, exposure), exposure.not_compared
    summary = (
        f"{exposure.days} {what} at ≥ {fmt_dose(dose, unit, rule.per)} ({rule.min_days} needed)"
    )
    if exposure.days < rule.min_days:
        return [InadequacyCode.duration_too_short], [summary], exposure.not_compared
    return [], [summary], exposure.not_compared


def _dose_and_total(
    course: TherapyCourse, patient: Patient, as_of: dt.date, rule: AdequacyRule
) -> tuple[list[InadequacyCode], list[str], list[str]]:
    dose, unit = _dose_of(rule)
    exposure = days_at_or_above(course, patient, as_of, dose, unit, rule.per)
    if not exposure.reached:
        return [rule.below_dose_code], _never_reached(rule, exposure), exposure.not_compared
    total = course_duration_days(course, as_of)
    reasons = [
        f"{fmt_dose(dose, unit, rule.per)} reached",
        f"course total {total} days ({rule.min_days} needed)",
    ]
    codes = [InadequacyCode.duration_too_short] if total < rule.min_days else []
    return codes, reasons, exposure.not_compared


def regimen_label(regimen: AdequacyRegimen) -> str:
    """``375 mg/m² × 4 (±10 %)``."""
    tolerance = fmt_number(regimen.tolerance * 100)
    return (
        f"{fmt_number(regimen.dose)} {unit_label(regimen.unit)} × {regimen.administrations} "
        f"(±{tolerance} %)"
    )


@dataclass(frozen=True)
class _RegimenCount:
    regimen: AdequacyRegimen
    at_or_above: int
    above_range: int
    within: int
    notes: list[str]


def _count_regimen(
    spans: list[StepSpan], patient: Patient, regimen: AdequacyRegimen
) -> _RegimenCount:
    lower = regimen.dose * (1.0 - regimen.tolerance) * (1.0 - REL_TOL)
    upper = regimen.dose * (1.0 + regimen.tolerance) * (1.0 + REL_TOL)
    target = f"{fmt_number(regimen.dose)} {unit_label(regimen.unit)}"
    at_or_above = above = within = 0
    notes: list[str] = []
    for span in spans:
        amount = per_administration(
            span.step.amount,
            span.step.unit,
            regimen.unit,
            weight_kg=patient.weight_kg,
            bsa_m2=patient.bsa_m2,
        )
        if amount is None:
            notes.append(_not_compared(span.step, target, patient, regimen.unit))
            continue
        if amount >= lower:
            at_or_above += span.administrations
            if amount > upper:
                above += span.administrations
            else:
                within += span.administrations
    return _RegimenCount(regimen, at_or_above, above, within, notes)


def _regimen(
    course: TherapyCourse, patient: Patient, as_of: dt.date, rule: AdequacyRule
) -> tuple[list[InadequacyCode], list[str], list[str]]:
    if not rule.regimens:
        raise RuleError(f"adequacy rule {rule.rule} (regimen) lists no regimens")
    spans = step_spans(course, as_of)
    total = sum(span.administrations for span in spans)
    counts = [_count_regimen(spans, patient, regimen) for regimen in rule.regimens]
    notes = _unique(note for count in counts for note in count.notes)
    complete = [c for c in counts if c.at_or_above >= c.regimen.administrations]
    if complete:
        done = complete[0]
        reasons = [
            f"{done.at_or_above} of {done.regimen.administrations} administrations at "
            f"{regimen_label(done.regimen)}: regimen complete"
        ]
        if done.above_range:
            reasons.append(
                f"{done.above_range} administration(s) above the standard dose range, "
                "counted as at least the standard dose"
            )
        return [], reasons, notes
    best = max(counts, key=lambda c: c.at_or_above / c.regimen.administrations)
    if best.at_or_above == 0:
        standard = " or ".join(regimen_label(r) for r in rule.regimens)
        reasons = [f"{total} administration(s), none at a standard dose ({standard})"]
        if rule.low_dose is not None:
            low = _count_regimen(spans, patient, rule.low_dose)
            if low.within:
                reasons.append(
                    f"{low.within} administration(s) of the low-dose regimen "
                    f"{regimen_label(rule.low_dose)}"
                )
        return [InadequacyCode.dose_below_standard], reasons, notes
    codes: list[InadequacyCode] = []
    reasons = [
        f"{best.at_or_above} of {best.regimen.administrations} administrations at "
        f"{regimen_label(best.regimen)}"
    ]
    if total < best.regimen.administrations:
        codes.append(InadequacyCode.incomplete_course)
    if total > best.at_or_above:
        codes.append(InadequacyCode.dose_below_standard)
        reasons.append(
            f"{total - best.at_or_above} administration(s) below "
            f"{fmt_number(best.regimen.dose)} {unit_label(best.regimen.unit)}"
        )
    return codes, reasons, notes


def assess_adequacy(
    course: TherapyCourse, patient: Patient, pack: KnowledgePack, as_of: dt.date
) -> AdequacyVerdict:
    """Judge whether the course was an adequate trial (contract: courses[].adequate_trial).

    Codes: dose below the rule's dose → the rule's `below_dose_code` (max_dose_not_reached for
    TPO-RAs and fostamatinib, dose_below_standard otherwise), and then nothing else; too few
    days → duration_too_short; fewer administrations than a regimen → incomplete_course.
    An ongoing course is judged up to `as_of`. A planned course and an agent without a rule
    give None.
    """
    rule = agent_info(pack, course.agent).adequacy
    if rule is None:
        return AdequacyVerdict(
            None, [], [f"the knowledge pack has no adequate-trial rule for {course.agent}"]
        )
    ref = rule_ref(pack, rule.rule)
    if is_planned(course, as_of):
        return AdequacyVerdict(
            None,
            [],
            [
                f"planned course (starts {course.start_date}, after {as_of}): adequacy is "
                "judged once it has started"
            ],
            ref,
        )
    if rule.kind == "regimen":
        codes, reasons, notes = _regimen(course, patient, as_of, rule)
    elif rule.kind == "dose_reached_and_total_days":
        codes, reasons, notes = _dose_and_total(course, patient, as_of, rule)
    else:
        codes, reasons, notes = _days_at_dose(course, patient, as_of, rule)
    if course.stop_date is None or course.stop_date > as_of:
        reasons.append(f"course ongoing: judged up to {as_of}")
    reasons.extend(_unique(notes))
    return AdequacyVerdict(not codes, _sorted_codes(codes), reasons, ref)

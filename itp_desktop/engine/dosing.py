"""Label-defined dose suggestions (reference 2.3, 3g PIT_ELT_ASIAN_LIVER, 5.1 THR_*_TPO).

- Romiplostim weekly titration from the latest count (LBL-Nplate): < 50 → +1 mcg/kg up to
  10; 50–200 → same dose; > 200 for 2 consecutive weeks → −1 mcg/kg; > 400 → hold, check
  weekly, restart 1 mcg/kg lower once < 200. Weight-based doses use the recorded weight (the
  label uses the actual body weight at initiation: the text says so).
- Eltrombopag start dose (LBL-Promacta), when eltrombopag is planned or proposed at rank 1–3:
  50 mg daily; 25 mg with East/South-East Asian ancestry or hepatic impairment; consider
  12.5 mg with both; 25 mg for children aged 1–5.

Suggestions are advice with their rule and sources; the clinician decides. Pure. May import:
core, stdlib, the engine's rescue (template filling) and options modules; `Situation` only for
type checking.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from itp_desktop.core.codes import AgentCode, DoseUnit, OptionCode
from itp_desktop.core.models.assessment import DoseSuggestion, Option
from itp_desktop.core.units import fmt_count, fmt_number, per_administration
from itp_desktop.engine.rescue import fill
from itp_desktop.engine.timeline import CountPoint

if TYPE_CHECKING:
    from itp_desktop.engine.assess import Situation

ROMI_RULE = "DOSE_ROMI_TITRATION"
ELT_RULE = "DOSE_ELT_START"
ROMI_MAX = 10.0
ROMI_STEP = 1.0
ROMI_LOW = 50.0
ROMI_HIGH = 200.0
ROMI_HOLD = 400.0
ROMI_CONSECUTIVE_DAYS = 7
"""Two weekly counts > 200 at least 7 days apart make "2 consecutive weeks"."""
STALE_COUNT_DAYS = 7
ELT_STANDARD_MG = 50.0
ELT_REDUCED_MG = 25.0
ELT_BOTH_MG = 12.5
ELT_YOUNG_CHILD_AGE = 6
PROPOSED_RANK = 3
"""An eltrombopag option ranked 1–3 gets a start-dose suggestion."""


def _high_run_days(counts: Sequence[CountPoint], limit: float) -> int:
    """Days spanned by the run of consecutive counts above `limit` ending at the latest one."""
    start = None
    for count in reversed(counts):
        if count.value <= limit:
            break
        start = count.date
    return 0 if start is None else (counts[-1].date - start).days


def _romiplostim(sit: Situation) -> list[DoseSuggestion]:
    views = [v for v in sit.courses_of(AgentCode.romiplostim) if v.active and v.ongoing(sit.as_of)]
    if not views:
        return []
    view = views[-1]
    step = [s for s in view.course.dose_steps if s.effective_date <= sit.as_of][-1]
    weight = sit.patient.weight_kg
    dose = per_administration(
        step.amount, step.unit, DoseUnit.mcg_per_kg, weight_kg=weight, bsa_m2=sit.patient.bsa_m2
    )
    rule = sit.rule(ROMI_RULE)
    why = [
        view.describe(),
        f"current dose {fmt_number(step.amount)} {step.unit.value} {step.frequency.value}"
        f" since {step.effective_date}",
    ]
    if dose is None:
        why.append("no weight recorded: the dose cannot be expressed in mcg/kg")
        text = sit.text("engine.dose.romi.no_weight")
        return [
            DoseSuggestion(
                agent=view.agent,
                code="weekly_titration",
                text=text,
                why=why,
                sources=list(rule.citations),
                rule=rule.ref,
            )
        ]
    why.append(sit.latest_text())
    latest = sit.latest
    if latest is None:
        key, new = "engine.dose.romi.no_count", dose
    else:
        age = (sit.as_of - latest.date).days
        if age > STALE_COUNT_DAYS:
            why.append(f"the latest count is {age} days old: check a count before the next dose")
        if latest.value > ROMI_HOLD:
            key, new = "engine.dose.romi.hold", max(dose - ROMI_STEP, 0.0)
        elif (
            latest.value > ROMI_HIGH
            and _high_run_days(sit.counts, ROMI_HIGH) >= ROMI_CONSECUTIVE_DAYS
        ):
            key, new = "engine.dose.romi.decrease", max(dose - ROMI_STEP, 0.0)
        elif latest.value > ROMI_HIGH:
            key, new = "engine.dose.romi.high_once", dose
        elif latest.value >= ROMI_LOW:
            key, new = "engine.dose.romi.same", dose
        elif dose >= ROMI_MAX - 1e-9:
            key, new = "engine.dose.romi.at_max", dose
        else:
            key, new = "engine.dose.romi.increase", min(dose + ROMI_STEP, ROMI_MAX)
    facts = {
        "dose": fmt_number(round(dose, 2)),
        "new": fmt_number(round(new, 2)),
        # Shown only when the weight is known: "(272 mcg at 68 kg)".
        "in_mcg": (
            f" ({fmt_number(round(new * weight, 1))} mcg at {fmt_number(weight)} kg)"
            if weight is not None
            else ""
        ),
        "count": fmt_count(latest.value) if latest is not None else "—",
        "max": fmt_number(ROMI_MAX),
    }
    return [
        DoseSuggestion(
            agent=view.agent,
            code="weekly_titration",
            text=fill(sit.text(key), facts),
            why=why,
            sources=list(rule.citations),
            rule=rule.ref,
        )
    ]


def _eltrombopag(sit: Situation, options: Sequence[Option]) -> list[DoseSuggestion]:
    elt = sit.courses_of(AgentCode.eltrombopag)
    planned = [v for v in elt if v.planned]
    # Only options near the top of the list ask for a start dose (as pre_rituximab does for
    # rituximab): a start dose for every option down the list would be noise.
    proposed = [
        o
        for o in options
        if o.rank <= PROPOSED_RANK
        and (
            o.code == AgentCode.eltrombopag.value
            or (o.code == OptionCode.switch_tpo_ra.value and not elt)
        )
    ]
    if not planned and not proposed:
        return []
    asian = sit.patient.east_southeast_asian_ancestry
    liver = sit.patient.risk_factors.hepatic_impairment
    why = [f"planned {v.describe()}" for v in planned]
    why += [f"option {o.code} proposed (rank {o.rank})" for o in proposed]
    why.append("East/South-East Asian ancestry: " + ("yes" if asian else "no"))
    why.append("hepatic impairment: " + ("yes" if liver else "no"))
    if asian and liver:
        key, dose = "engine.dose.elt.both", ELT_BOTH_MG
    elif asian or liver:
        key, dose = "engine.dose.elt.reduced", ELT_REDUCED_MG
    elif sit.age_years < ELT_YOUNG_CHILD_AGE:
        key, dose = "engine.dose.elt.young_child", ELT_REDUCED_MG
        why.append(f"age {sit.age_years} years")
    else:
        key, dose = "engine.dose.elt.standard", ELT_STANDARD_MG
    rule = sit.rule(ELT_RULE)
    return [
        DoseSuggestion(
            agent=AgentCode.eltrombopag,
            code="start_dose",
            text=fill(sit.text(key), {"dose": fmt_number(dose)}),
            why=why,
            sources=list(rule.citations),
            rule=rule.ref,
        )
    ]


def build_dose_suggestions(sit: Situation, options: Sequence[Option]) -> list[DoseSuggestion]:
    """Dose suggestions for the patient on `as_of` (romiplostim titration, eltrombopag start).

    Args:
        sit: the patient's situation on `as_of`.
        options: the ranked options (a proposed eltrombopag asks for its start dose).

    Returns:
        Suggestions ordered by agent.
    """
    return [*_eltrombopag(sit, options), *_romiplostim(sit)]

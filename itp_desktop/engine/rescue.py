"""Rescue therapy for severe or life-threatening bleeding (contract: rescue; reference 3d, 10.5).

`rescue_triggers` finds the bleeding assessments that make rescue non-null (WHO grade ≥ 3 or
life-threatening, dated from `as_of` − 7 days through `as_of`); `build_rescue` computes the
doses (IVIG 1 g/kg rounded half up to one decimal; methylprednisolone 1000 mg/day in adults,
30 mg/kg/day capped at 1000 mg under 18 years; 3 days), the transfusion verdict and the notes.
Pure. May import: core, stdlib; `Situation` only for type checking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from itp_desktop.core.models.assessment import Rescue
from itp_desktop.core.models.knowledge import Thresholds
from itp_desktop.core.models.patient import BleedingAssessment
from itp_desktop.core.units import fmt_number, round_half_up

if TYPE_CHECKING:
    from itp_desktop.engine.assess import Situation

RESCUE_RULE = "RESCUE_DOSES"
TRANSFUSION_RULE = "RESCUE_TRANSFUSION"
IVIG_RISK_AGE = 65
"""IVIG renal and thrombosis risk rises above this age (LBL-IVIG; reference 2.4)."""


def rescue_triggers(
    bleeding: Iterable[BleedingAssessment], thresholds: Thresholds, as_of: dt.date
) -> list[BleedingAssessment]:
    """Bleeding assessments that make rescue non-null, oldest first.

    Contract: an assessment dated on or after `as_of` − 7 days (and not after `as_of`) with
    WHO grade ≥ 3 or the `life_threatening` flag. ITP-BAT grades alone do not trigger rescue.
    """
    start = as_of - dt.timedelta(days=thresholds.rescue_lookback_days)
    return sorted(
        (
            b
            for b in bleeding
            if start <= b.date <= as_of
            and (b.life_threatening or (b.who_grade is not None and b.who_grade >= 3))
        ),
        key=lambda b: b.date,
    )


def describe_bleeding(assessment: BleedingAssessment) -> str:
    """``bleeding assessment on 2026-11-20: WHO grade 3, life-threatening``."""
    parts = []
    if assessment.who_grade is not None:
        parts.append(f"WHO grade {assessment.who_grade}")
    smog = [
        f"{name} {grade}"
        for name, grade in (
            ("S", assessment.itpbat_skin),
            ("M", assessment.itpbat_mucosa),
            ("O", assessment.itpbat_organ),
        )
        if grade is not None
    ]
    if smog:
        parts.append("ITP-BAT " + " ".join(smog))
    if assessment.life_threatening:
        parts.append("life-threatening")
    return f"bleeding assessment on {assessment.date}: {', '.join(parts)}"


def _methylprednisolone(sit: Situation) -> float | None:
    th = sit.th
    if not sit.child:
        return th.rescue_methylprednisolone_adult_mg
    weight = sit.patient.weight_kg
    if weight is None:
        return None
    per_kg = round_half_up(th.rescue_methylprednisolone_child_mg_per_kg * weight, 1)
    return min(per_kg, th.rescue_methylprednisolone_adult_mg)


def _ivig_risks(sit: Situation) -> list[str]:
    risks = []
    if sit.age_years > IVIG_RISK_AGE:
        risks.append(f"age {sit.age_years} years (over {IVIG_RISK_AGE})")
    if sit.patient.risk_factors.prior_thrombosis:
        risks.append("prior thrombosis")
    return risks


def _notes(
    sit: Situation,
    ivig_total: float | None,
    mp_dose: float | None,
    transfusion: Literal["indicated", "not_routine"],
) -> list[str]:
    th = sit.th
    facts = {
        "ivig_g_per_kg": fmt_number(th.rescue_ivig_g_per_kg),
        "ivig_total_g": fmt_number(ivig_total) if ivig_total is not None else "—",
        "mp_mg": fmt_number(mp_dose) if mp_dose is not None else "—",
        "mp_days": str(th.rescue_methylprednisolone_days),
        "mp_child_mg_per_kg": fmt_number(th.rescue_methylprednisolone_child_mg_per_kg),
        "mp_max_mg": fmt_number(th.rescue_methylprednisolone_adult_mg),
        "age": str(sit.age_years),
        "risks": ", ".join(_ivig_risks(sit)),
    }
    keys = ["engine.rescue.ivig"]
    if _ivig_risks(sit):
        keys.append("engine.rescue.ivig_risk")
    if sit.patient.weight_kg is None:
        keys.append("engine.rescue.weight_missing")
    keys.append("engine.rescue.mp_child" if sit.child else "engine.rescue.mp_adult")
    keys.append(
        "engine.rescue.transfusion_indicated"
        if transfusion == "indicated"
        else "engine.rescue.transfusion_not_routine"
    )
    keys.append("engine.rescue.tranexamic_acid")
    if sit.patient.risk_factors.antithrombotic_therapy:
        keys.append("engine.rescue.antithrombotics")
    keys.append("engine.rescue.next_steps")
    return [fill(sit.text(key), facts) for key in keys]


def build_rescue(sit: Situation) -> Rescue | None:
    """Rescue doses and notes while a qualifying bleeding assessment is recent, else None."""
    if not sit.rescue_triggers:
        return None
    th = sit.th
    weight = sit.patient.weight_kg
    ivig_total = None if weight is None else round_half_up(th.rescue_ivig_g_per_kg * weight, 1)
    mp_dose = _methylprednisolone(sit)
    transfusion: Literal["indicated", "not_routine"] = (
        "indicated" if any(b.life_threatening for b in sit.rescue_triggers) else "not_routine"
    )
    doses = sit.rule(RESCUE_RULE)
    transfusion_rule = sit.rule(TRANSFUSION_RULE)
    return Rescue(
        ivig_g_per_kg=th.rescue_ivig_g_per_kg,
        ivig_total_g=ivig_total,
        methylprednisolone_mg_per_day=mp_dose,
        methylprednisolone_days=th.rescue_methylprednisolone_days,
        platelet_transfusion=transfusion,
        tranexamic_acid=True,
        weight_kg=weight,
        age_years=sit.age_years,
        triggered_by=[describe_bleeding(b) for b in sit.rescue_triggers],
        notes=_notes(sit, ivig_total, mp_dose, transfusion),
        sources=sorted({*doses.citations, *transfusion_rule.citations}),
        rule=doses.ref,
    )


class _Facts(dict[str, str]):
    """Template facts; an unknown template field is left as written instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, facts: dict[str, str]) -> str:
    """Fill the ``{fields}`` of a pack template with facts.

    A department pack may rewrite messages; a template field the engine does not know, or a
    malformed template, must not break the assessment, so the template is then shown as written
    (unknown fields stay visible for the pack's author to notice).
    """
    try:
        return template.format_map(_Facts(facts))
    except (ValueError, IndexError, AttributeError, KeyError):
        return template

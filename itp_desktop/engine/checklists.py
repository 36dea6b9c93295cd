"""The five fixed checklists (contract: Checklists fixed; reference 3a–3d, 3f, 10.4).

Always listed in this order: ``splenectomy_immunizations``, ``pre_rituximab``,
``secondary_causes``, ``refractoriness``, ``bleeding_rescue``. A checklist that does not apply is
still listed with every item ``not_applicable``. ``due_by`` is null on items that are done or not
applicable. Item labels come from the pack (vaccine and secondary-cause items carry their own;
the others use ``engine.checklist.*`` texts). Pure. May import: core, stdlib, the engine's rescue
module (template filling); `Situation` only for type checking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from itp_desktop.core.codes import (
    AgentCode,
    ChecklistStatus,
    InadequacyCode,
    StopReason,
    TestResult,
    VaccineCode,
    WorkupTest,
)
from itp_desktop.core.models.assessment import Checklist, ChecklistItem, Option, Rescue
from itp_desktop.core.models.knowledge import RuleMeta
from itp_desktop.core.units import fmt_number
from itp_desktop.engine.options import contains
from itp_desktop.engine.rescue import RESCUE_RULE, TRANSFUSION_RULE, fill

if TYPE_CHECKING:
    from itp_desktop.engine.assess import CourseView, Situation

SPLENECTOMY = "splenectomy_immunizations"
PRE_RITUXIMAB = "pre_rituximab"
SECONDARY_CAUSES = "secondary_causes"
REFRACTORINESS = "refractoriness"
BLEEDING_RESCUE = "bleeding_rescue"
CHECKLIST_ORDER = (SPLENECTOMY, PRE_RITUXIMAB, SECONDARY_CAUSES, REFRACTORINESS, BLEEDING_RESCUE)

_RULES = {
    SPLENECTOMY: "CHK_SPLEN_VACCINES",
    PRE_RITUXIMAB: "CHK_PRE_RTX",
    SECONDARY_CAUSES: "CHK_SECONDARY_CAUSES",
    REFRACTORINESS: "CHK_REFRACTORINESS",
    BLEEDING_RESCUE: "CHK_BLEEDING_RESCUE",
}
PRE_RTX_ITEMS = ("hbv_serology", "vaccinations_before_rituximab")
_PRE_RTX_ITEM_RULES = {
    "hbv_serology": "RTX_HBV",
    "vaccinations_before_rituximab": "PIT_RTX_VACCINE",
}
RESCUE_ITEMS = (
    "ivig",
    "methylprednisolone",
    "platelet_transfusion",
    "tranexamic_acid",
    "stop_antithrombotics",
)
PRE_RTX_OPTION_RANK = 3
"""pre_rituximab applies when an option containing rituximab is ranked 1–3 (contract)."""

_TEST_LABELS = {
    WorkupTest.hbsag: "HBsAg",
    WorkupTest.anti_hbc: "anti-HBc",
    WorkupTest.hcv: "HCV",
    WorkupTest.hiv: "HIV",
    WorkupTest.h_pylori: "H. pylori",
    WorkupTest.ana: "ANA",
    WorkupTest.antiphospholipid: "antiphospholipid antibodies",
    WorkupTest.immunoglobulins: "immunoglobulins",
}


def test_label(test: WorkupTest) -> str:
    """Display name of a work-up test."""
    return _TEST_LABELS[test]


def _item(
    code: str,
    status: ChecklistStatus,
    due_by: dt.date | None,
    *,
    sources: Sequence[str],
    label: str,
    detail: str = "",
    rule: str = "",
) -> ChecklistItem:
    # The contract: due_by is null on items that are done or not applicable.
    if status in (ChecklistStatus.done, ChecklistStatus.not_applicable):
        due_by = None
    return ChecklistItem(
        code=code,
        status=status,
        due_by=due_by,
        sources=sorted(set(sources)),
        label=label,
        detail=detail,
        rule=rule,
    )


def _checklist(
    sit: Situation, code: str, items: list[ChecklistItem], applicable: bool
) -> Checklist:
    rule = sit.rule(_RULES[code])
    return Checklist(code=code, items=items, title=rule.title, applicable=applicable, rule=rule.ref)


def _due_status(as_of: dt.date, due_by: dt.date | None) -> ChecklistStatus:
    if due_by is not None and as_of > due_by:
        return ChecklistStatus.overdue
    return ChecklistStatus.due


def splenectomy_due_by(sit: Situation) -> dt.date | None:
    """Due date of missing splenectomy vaccines, or None when no splenectomy is on record.

    A splenectomy already done takes precedence (the patient is asplenic now): done date + 14
    days. Otherwise the earliest planned splenectomy − 14 days (reference 3b, 10.4).
    """
    lead = dt.timedelta(days=sit.th.splenectomy_vaccine_lead_days)
    if sit.splenectomies_done:
        return sit.splenectomies_done[0][1].date + lead
    if sit.splenectomies_planned:
        return sit.splenectomies_planned[0][1].date - lead
    return None


def _splenectomy_immunizations(sit: Situation) -> Checklist:
    applicable = bool(sit.splenectomies_done or sit.splenectomies_planned)
    due_by = splenectomy_due_by(sit)
    items = []
    for vaccine in sit.pack.splenectomy_vaccines:
        rule = sit.rule(vaccine.rule)
        doses = [v for _, v in sit.immunizations if v.vaccine in vaccine.accepts]
        details = [f"Schedule: {vaccine.schedule}"]
        if doses:
            shown = ", ".join(f"{d.date}" + (f" ({d.product})" if d.product else "") for d in doses)
            details.insert(0, f"On record: {shown}.")
        elif VaccineCode.pneumococcal_conjugate in vaccine.accepts and any(
            v.vaccine is VaccineCode.pneumococcal_polysaccharide for _, v in sit.immunizations
        ):
            details.insert(0, sit.text("engine.checklist.ppsv23_only"))
        if not applicable:
            status = ChecklistStatus.not_applicable
        elif doses:
            status = ChecklistStatus.done
        else:
            status = _due_status(sit.as_of, due_by)
        items.append(
            _item(
                vaccine.code,
                status,
                due_by,
                sources=rule.citations,
                label=vaccine.label,
                detail=" ".join(details),
                rule=rule.ref,
            )
        )
    return _checklist(sit, SPLENECTOMY, items, applicable)


def _pre_rituximab(sit: Situation, options: Sequence[Option]) -> Checklist:
    courses = [v for v in sit.courses_of(AgentCode.rituximab) if v.active or v.planned]
    proposed = [
        o
        for o in options
        if o.rank <= PRE_RTX_OPTION_RANK and contains(sit, o.code, AgentCode.rituximab)
    ]
    applicable = bool(courses or proposed)
    planned = sorted(v.course.start_date for v in courses if v.planned)
    due_by = planned[0] if planned else None
    hbs, hbc = sit.recorded(WorkupTest.hbsag), sit.recorded(WorkupTest.anti_hbc)
    pcv = [v for _, v in sit.immunizations if v.vaccine is VaccineCode.pneumococcal_conjugate]
    done = {"hbv_serology": bool(hbs and hbc), "vaccinations_before_rituximab": bool(pcv)}
    details = {
        "hbv_serology": "; ".join(
            [
                f"{test_label(r.test)} {r.result.value}" + (f" ({r.date})" if r.date else "")
                for r in (*hbs, *hbc)
            ]
            or [sit.text("engine.checklist.hbv_serology.none")]
        ),
        "vaccinations_before_rituximab": (
            f"Pneumococcal conjugate on record: {', '.join(str(v.date) for v in pcv)}."
            if pcv
            else sit.text("engine.checklist.vaccinations_before_rituximab.none")
        ),
    }
    items = []
    for code in PRE_RTX_ITEMS:
        rule = sit.rule(_PRE_RTX_ITEM_RULES[code])
        if not applicable:
            status = ChecklistStatus.not_applicable
        else:
            status = ChecklistStatus.done if done[code] else ChecklistStatus.due
        items.append(
            _item(
                code,
                status,
                due_by,
                sources=rule.citations,
                label=sit.text(f"engine.checklist.{code}"),
                detail=details[code],
                rule=rule.ref,
            )
        )
    return _checklist(sit, PRE_RITUXIMAB, items, applicable)


def _secondary_causes(sit: Situation) -> Checklist:
    items = []
    for cause in sit.pack.secondary_causes:
        rule = sit.rule(cause.rule)
        results = [r for test in cause.tests for r in sit.recorded(test)]
        parts = []
        for result in results:
            text = f"{test_label(result.test)} {result.result.value}"
            if result.date is not None:
                text += f" ({result.date})"
            parts.append(text)
        if any(r.result is TestResult.positive for r in results):
            parts.append(sit.text("engine.checklist.secondary_positive"))
        status = ChecklistStatus.done if results else ChecklistStatus.due
        items.append(
            _item(
                cause.code,
                status,
                None,
                sources=rule.citations,
                label=cause.label,
                detail="; ".join(parts),
                rule=rule.ref,
            )
        )
    return _checklist(sit, SECONDARY_CAUSES, items, True)


def _nuance_rule(sit: Situation, view: CourseView) -> RuleMeta | None:
    """The adequacy rule whose message carries a nuance this course must show, if any.

    Contract "known tensions": low-dose rituximab flagged ``dose_below_standard`` still has
    similar initial response rates (Zaja2010); mycophenolate's 84-day trial is DrOracle2025's
    and ANZ2022 expects most responses by 4–6 weeks. The pack's ADQ_RTX and ADQ_MMF messages
    say so; the engine shows them next to the verdict.
    """
    low_dose = view.agent is AgentCode.rituximab and any(
        code is InadequacyCode.dose_below_standard for code in view.result.inadequacy
    )
    if not (low_dose or view.agent is AgentCode.mycophenolate):
        return None
    adequacy = sit.pack.agents[view.agent].adequacy
    return None if adequacy is None else sit.rule(adequacy.rule)


def nuance_notes(sit: Situation, view: CourseView) -> list[str]:
    """Notes that show where the reference records a different view of an adequacy rule."""
    rule = _nuance_rule(sit, view)
    return [rule.message] if rule is not None and rule.message else []


def nuance_sources(sit: Situation, view: CourseView) -> list[str]:
    """Citation keys of the notes `nuance_notes` adds for this course."""
    rule = _nuance_rule(sit, view)
    return list(rule.citations) if rule is not None else []


def _refractoriness(sit: Situation, secondary: Checklist) -> Checklist:
    chk_rule = sit.rule(_RULES[REFRACTORINESS])
    items = []
    seen: set[AgentCode] = set()
    for view in sit.courses:
        if view.agent in seen or not view.stopped_for(StopReason.no_response, sit.as_of):
            continue
        seen.add(view.agent)
        adequacy = sit.pack.agents[view.agent].adequacy
        rule = sit.rule(adequacy.rule) if adequacy is not None else chk_rule
        verdict = view.result.adequate_trial
        status = {
            True: ChecklistStatus.done,
            False: ChecklistStatus.due,
            None: ChecklistStatus.unknown,
        }[verdict]
        reasons = list(view.result.adequacy_reasons)
        if verdict is None:
            reasons.append(sit.text("engine.checklist.no_adequacy_rule"))
        reasons += nuance_notes(sit, view)
        items.append(
            _item(
                f"adequate_trial:{view.agent.value}",
                status,
                None,
                sources=[*rule.citations, *nuance_sources(sit, view)],
                label=fill(
                    sit.text("engine.checklist.adequate_trial"),
                    {"agent": view.word, "course": view.describe()},
                ),
                detail=" ".join(reasons),
                rule=rule.ref,
            )
        )
    complete = all(i.status is ChecklistStatus.done for i in secondary.items)
    missing = [i.label for i in secondary.items if i.status is not ChecklistStatus.done]
    items.append(
        _item(
            "secondary_causes_excluded",
            ChecklistStatus.done if complete else ChecklistStatus.due,
            None,
            sources=sit.rule(_RULES[SECONDARY_CAUSES]).citations,
            label=sit.text("engine.checklist.secondary_causes_excluded"),
            detail="" if complete else "Missing: " + ", ".join(missing) + ".",
            rule=sit.rule(_RULES[SECONDARY_CAUSES]).ref,
        )
    )
    return _checklist(sit, REFRACTORINESS, items, True)


def _given_since(sit: Situation, agent: AgentCode, since: dt.date) -> list[CourseView]:
    return [v for v in sit.courses_of(agent) if since <= v.course.start_date <= sit.as_of]


def _bleeding_rescue(sit: Situation, rescue: Rescue | None) -> Checklist:
    doses = sit.rule(RESCUE_RULE)
    transfusion_rule = sit.rule(TRANSFUSION_RULE)
    if rescue is None:
        items = [
            _item(
                code,
                ChecklistStatus.not_applicable,
                None,
                sources=doses.citations,
                label=sit.text(f"engine.checklist.rescue.{code}"),
                rule=doses.ref,
            )
            for code in RESCUE_ITEMS
        ]
        return _checklist(sit, BLEEDING_RESCUE, items, False)
    since = sit.rescue_triggers[0].date
    due, done, na = ChecklistStatus.due, ChecklistStatus.done, ChecklistStatus.not_applicable
    facts = {
        "ivig_total_g": fmt_number(rescue.ivig_total_g) if rescue.ivig_total_g is not None else "—",
        "ivig_g_per_kg": fmt_number(rescue.ivig_g_per_kg),
        "mp_mg": (
            fmt_number(rescue.methylprednisolone_mg_per_day)
            if rescue.methylprednisolone_mg_per_day is not None
            else "—"
        ),
        "mp_days": str(rescue.methylprednisolone_days),
    }
    statuses = {
        # IVIG or methylprednisolone counts as given when a course of it starts on or after the
        # first qualifying bleeding assessment of the rescue window.
        "ivig": done if _given_since(sit, AgentCode.ivig, since) else due,
        "methylprednisolone": (
            done if _given_since(sit, AgentCode.methylprednisolone, since) else due
        ),
        "platelet_transfusion": due if rescue.platelet_transfusion == "indicated" else na,
        # No record type exists for tranexamic acid: it stays due while rescue applies.
        "tranexamic_acid": due,
        "stop_antithrombotics": due if sit.patient.risk_factors.antithrombotic_therapy else na,
    }
    items = []
    for code in RESCUE_ITEMS:
        rule = transfusion_rule if code == "platelet_transfusion" else doses
        detail_key = f"engine.checklist.rescue.{code}.detail"
        if code == "platelet_transfusion":
            detail_key += f".{rescue.platelet_transfusion}"
        items.append(
            _item(
                code,
                statuses[code],
                sit.as_of,
                sources=rule.citations,
                label=sit.text(f"engine.checklist.rescue.{code}"),
                detail=fill(sit.text(detail_key), facts),
                rule=rule.ref,
            )
        )
    return _checklist(sit, BLEEDING_RESCUE, items, True)


def build_checklists(
    sit: Situation, options: Sequence[Option], rescue: Rescue | None
) -> list[Checklist]:
    """The five fixed checklists, in the contract's order.

    Args:
        sit: the patient's situation on `as_of`.
        options: the ranked options (``pre_rituximab`` applies when rituximab is ranked 1–3).
        rescue: the rescue plan, or None (``bleeding_rescue`` applies only while it exists).

    Returns:
        ``splenectomy_immunizations``, ``pre_rituximab``, ``secondary_causes``,
        ``refractoriness``, ``bleeding_rescue``.
    """
    secondary = _secondary_causes(sit)
    return [
        _splenectomy_immunizations(sit),
        _pre_rituximab(sit, options),
        secondary,
        _refractoriness(sit, secondary),
        _bleeding_rescue(sit, rescue),
    ]

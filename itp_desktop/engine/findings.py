"""Findings: the 16 fixed alert codes of the contract plus the project's pitfall findings.

Each rule function returns zero or more `Finding`s: the message is the pack rule's template
filled with the facts, `why` lists the input facts with dates and values, `sources` are the
rule's citation keys, `rule` is ``rule-id@version`` and `key` is the stable subject key used
for suppression (``<code>:patient``, ``<code>:course:<id>`` or ``<code>:course:[index]``,
``<code>:immunization:…``, ``<code>:procedure:…``, ``<code>:count:<date>``,
``<code>:bleeding:…``; see docs/ASSESSMENT.md). Fixed codes keep the contract's severity;
a rule marked M or U never produces a critical finding and sets ``needs_review``. The list is
sorted by severity (critical, warning, info), then code, then key. Pure. May import: core,
stdlib, the engine's own modules (part A's phase helper, checklists, options, rescue);
`Situation` only for type checking.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from itp_desktop.core.codes import (
    CORTICOSTEROIDS,
    SEVERITY_ORDER,
    TPO_RAS,
    AgentCode,
    ChecklistStatus,
    DoseUnit,
    Frequency,
    Phase,
    ProcedureKind,
    RhD,
    Severity,
    StopReason,
    VaccineCode,
    VerificationMark,
    WorkupTest,
)
from itp_desktop.core.models.assessment import Checklist, Finding, Option, Rescue
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.units import fmt_count, fmt_number, per_administration, per_day
from itp_desktop.engine.checklists import (
    SECONDARY_CAUSES,
    SPLENECTOMY,
    nuance_notes,
    nuance_sources,
    test_label,
)
from itp_desktop.engine.labels import inadequacy_words, option_word
from itp_desktop.engine.options import contains
from itp_desktop.engine.phase import phase_of
from itp_desktop.engine.rescue import describe_bleeding, fill
from itp_desktop.engine.timeline import dose_dates

if TYPE_CHECKING:
    from itp_desktop.engine.assess import CourseView, Situation

FIXED_SEVERITY: dict[str, Severity] = {
    "platelets_below_10_untreated": Severity.critical,
    "active_bleeding": Severity.critical,
    "rituximab_vaccine_response": Severity.warning,
    "rituximab_after_failure": Severity.warning,
    "tpo_ra_failure_below_max": Severity.warning,
    "inadequate_trial": Severity.warning,
    "hbv_screen_missing": Severity.critical,
    "hbv_rituximab_risk": Severity.critical,
    "splenectomy_vaccines_incomplete": Severity.critical,
    "eltrombopag_start_dose": Severity.warning,
    "tpo_ra_thrombosis_risk": Severity.warning,
    "fostamatinib_hypertension": Severity.warning,
    "prolonged_corticosteroids": Severity.warning,
    "anti_d_contraindicated": Severity.critical,
    "secondary_causes_incomplete": Severity.warning,
    "procedure_threshold": Severity.warning,
}
"""The contract's fixed finding codes and their severities."""

RITUXIMAB_VACCINES = frozenset(
    {
        VaccineCode.pneumococcal_conjugate,
        VaccineCode.pneumococcal_polysaccharide,
        VaccineCode.meningococcal_acwy,
        VaccineCode.meningococcal_b,
        VaccineCode.hib,
    }
)
ELTROMBOPAG_REDUCED_START_MG = 25.0
ELTROMBOPAG_BOTH_START_MG = 12.5
IVIG_RISK_AGE = 65
PREGNANCY_RISK_AGENTS = frozenset(
    {AgentCode.fostamatinib, AgentCode.rilzabrutinib, AgentCode.rituximab} | TPO_RAS
)
WEIGHT_UNITS = frozenset(
    {DoseUnit.mg_per_kg, DoseUnit.g_per_kg, DoseUnit.mcg_per_kg, DoseUnit.iu_per_kg}
)
_UNCERTAIN = (VerificationMark.M, VerificationMark.U)
_VERDICT_TEXT = {True: "yes", False: "no", None: "not judged (no rule for this agent)"}
_EPSILON = 1e-9


class _Context:
    """Inputs of the finding rules besides the situation."""

    def __init__(
        self,
        sit: Situation,
        checklists: Sequence[Checklist],
        options: Sequence[Option],
        rescue: Rescue | None,
    ) -> None:
        self.sit = sit
        self.checklists = {c.code: c for c in checklists}
        self.options = list(options)
        self.rescue = rescue

    def make(
        self,
        code: str,
        rule_id: str,
        key: str,
        why: list[str],
        facts: dict[str, str] | None = None,
        *,
        severity: Severity | None = None,
        extra_sources: Sequence[str] = (),
        notes: Sequence[str] = (),
    ) -> Finding:
        """Build one finding from its rule's template and the facts."""
        rule = self.sit.rule(rule_id)
        chosen = severity or FIXED_SEVERITY.get(code) or rule.severity or Severity.info
        uncertain = rule.verification in _UNCERTAIN
        if uncertain and chosen is Severity.critical:
            chosen = Severity.warning  # M/U facts are never hard rules (reference 0.2)
        message = fill(rule.message or rule.title, facts or {})
        if notes:
            message = " ".join([message, *notes])
        return Finding(
            code=code,
            severity=chosen,
            message=message,
            why=why,
            sources=sorted({*rule.citations, *extra_sources}),
            rule=rule.ref,
            verification=rule.verification,
            key=f"{code}:{key}",
            needs_review=uncertain,
        )


def _count_facts(sit: Situation) -> dict[str, str]:
    if sit.latest is None:
        return {"count": "—", "count_date": "—"}
    return {"count": fmt_count(sit.latest.value), "count_date": str(sit.latest.date)}


def _platelets_below_10(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    threshold = sit.th.untreated_platelets_below
    if sit.latest is None or sit.latest.value >= threshold:
        return []
    if any(view.active for view in sit.courses):
        return []
    why = [sit.latest_text(), f"no platelet-raising course active on {sit.as_of}"]
    facts = {**_count_facts(sit), "threshold": fmt_number(threshold)}
    return [
        ctx.make(
            "platelets_below_10_untreated", "PIT_OBS_LOW", f"count:{sit.latest.date}", why, facts
        )
    ]


def _active_bleeding(ctx: _Context) -> list[Finding]:
    sit, rescue = ctx.sit, ctx.rescue
    if rescue is None:
        return []
    last = sit.rescue_triggers[-1]
    key = f"bleeding:{last.id}" if last.id else f"bleeding:{last.date}"
    facts = {
        "transfusion": rescue.platelet_transfusion.replace("_", " "),
        "date": str(last.date),
        "ivig_total_g": fmt_number(rescue.ivig_total_g) if rescue.ivig_total_g is not None else "—",
    }
    why = [describe_bleeding(b) for b in sit.rescue_triggers]
    why.append(f"on or after {sit.as_of - dt.timedelta(days=sit.th.rescue_lookback_days)}")
    return [ctx.make("active_bleeding", "RESCUE_ACTIVE_BLEEDING", key, why, facts)]


def latest_dose_before(views: Sequence[CourseView], day: dt.date, as_of: dt.date) -> dt.date | None:
    """The latest administration of these courses dated before `day` (and not after `as_of`).

    Administration dates come from engine part A's `dose_dates` (contract: Days at a dose).
    """
    best: dt.date | None = None
    for view in views:
        dates = dose_dates(view.course, as_of)
        index = bisect.bisect_left(dates, day)
        if index and (best is None or dates[index - 1] > best):
            best = dates[index - 1]
    return best


def _rituximab_vaccine(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    rituximab = sit.courses_of(AgentCode.rituximab)
    if not rituximab:
        return []
    window = sit.th.rituximab_vaccine_window_days
    found = []
    for index, vaccine in sit.immunizations:
        if vaccine.vaccine not in RITUXIMAB_VACCINES:
            continue
        dose = latest_dose_before(rituximab, vaccine.date, sit.as_of)
        if dose is None or (vaccine.date - dose).days > window:
            continue
        days = (vaccine.date - dose).days
        why = [
            f"{vaccine.vaccine.value.replace('_', ' ')} vaccine on {vaccine.date}"
            + (f" ({vaccine.product})" if vaccine.product else ""),
            f"last rituximab dose before it on {dose} ({days} days earlier; limit {window} days)",
        ]
        facts = {
            "vaccine": vaccine.vaccine.value.replace("_", " "),
            "vaccine_date": str(vaccine.date),
            "dose_date": str(dose),
            "days": str(days),
        }
        key = f"immunization:{vaccine.id}" if vaccine.id else f"immunization:[{index}]"
        found.append(ctx.make("rituximab_vaccine_response", "PIT_RTX_VACCINE", key, why, facts))
    return found


def _rituximab_after_failure(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    rituximab = sit.courses_of(AgentCode.rituximab)
    found = []
    for later in rituximab:
        failed = [
            earlier
            for earlier in rituximab
            if earlier.nr and earlier.course.start_date < later.course.start_date
        ]
        if not failed:
            continue
        why = [f"earlier {f.describe()}: response NR" for f in failed]
        why.append(("planned " if later.planned else "") + later.describe())
        facts = {
            "start": str(later.course.start_date),
            "failed_start": str(failed[0].course.start_date),
        }
        found.append(ctx.make("rituximab_after_failure", "PIT_RTX_RETREAT", later.key, why, facts))
    return found


def _adequacy_why(pack: KnowledgePack, view: CourseView) -> list[str]:
    why = [view.describe()]
    result = view.result
    verdict = _VERDICT_TEXT[result.adequate_trial]
    why.append(f"response {result.response.value}; adequate trial: {verdict}")
    if result.inadequacy:
        why.append("not adequate: " + inadequacy_words(pack, result.inadequacy))
    why += result.adequacy_reasons
    return why


def _adequacy_sources(sit: Situation, view: CourseView) -> list[str]:
    # Only called for courses whose adequacy was judged, so the agent has an adequacy rule.
    adequacy = sit.pack.agents[view.agent].adequacy
    return list(sit.rule(adequacy.rule).citations) if adequacy is not None else []


def _tpo_below_max(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    found = []
    for view in sit.courses_of(TPO_RAS):
        if not view.stopped_for(StopReason.no_response, sit.as_of):
            continue
        if view.result.adequate_trial is True:
            continue
        facts = {
            "agent": view.word,
            "stop": str(view.course.stop_date),
            "inadequacy": inadequacy_words(sit.pack, view.result.inadequacy) or "not adequate",
        }
        found.append(
            ctx.make(
                "tpo_ra_failure_below_max",
                "PIT_TPO_UNDERDOSE",
                view.key,
                _adequacy_why(sit.pack, view),
                facts,
                extra_sources=_adequacy_sources(sit, view),
            )
        )
    return found


def _inadequate_trial(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    found = []
    for view in sit.courses:
        if not view.stopped_for(StopReason.no_response, sit.as_of):
            continue
        if view.result.adequate_trial is not False:
            continue
        facts = {
            "agent": view.word,
            "stop": str(view.course.stop_date),
            "inadequacy": inadequacy_words(sit.pack, view.result.inadequacy) or "not adequate",
        }
        found.append(
            ctx.make(
                "inadequate_trial",
                "FIND_INADEQUATE_TRIAL",
                view.key,
                _adequacy_why(sit.pack, view),
                facts,
                extra_sources=[*_adequacy_sources(sit, view), *nuance_sources(sit, view)],
                notes=nuance_notes(sit, view),
            )
        )
    return found


def _current_rituximab(sit: Situation) -> list[CourseView]:
    return [v for v in sit.courses_of(AgentCode.rituximab) if v.active or v.planned]


def _course_line(view: CourseView) -> str:
    state = "planned" if view.planned else "active"
    return f"{state} {view.describe()}"


def _hbv_screen_missing(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    missing = [t for t in (WorkupTest.hbsag, WorkupTest.anti_hbc) if not sit.recorded(t)]
    if not missing:
        return []
    found = []
    for view in _current_rituximab(sit):
        why = [_course_line(view), *(f"{test_label(t)} not recorded" for t in missing)]
        facts = {"missing": " and ".join(test_label(t) for t in missing)}
        found.append(ctx.make("hbv_screen_missing", "PIT_RTX_HBV", view.key, why, facts))
    return found


def _hbv_rituximab_risk(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    positives = sit.hbv_positive
    if not positives:
        return []
    found = []
    for view in _current_rituximab(sit):
        why = [_course_line(view)]
        why += [
            f"{test_label(r.test)} positive" + (f" ({r.date})" if r.date else "") for r in positives
        ]
        facts = {"positive": " and ".join(test_label(r.test) for r in positives)}
        found.append(ctx.make("hbv_rituximab_risk", "RTX_HBV", view.key, why, facts))
    return found


def _splenectomy_vaccines(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    if not sit.splenectomies_planned:
        return []
    checklist = ctx.checklists[SPLENECTOMY]
    missing = [i for i in checklist.items if i.status is not ChecklistStatus.done]
    if not missing:
        return []
    found = []
    for index, procedure in sit.splenectomies_planned:
        why = [f"splenectomy planned on {procedure.date}"]
        why += [
            f"{item.label or item.code}: {item.status.value}"
            + (f" (due by {item.due_by})" if item.due_by else "")
            for item in missing
        ]
        facts = {
            "date": str(procedure.date),
            "missing": ", ".join(item.label or item.code for item in missing),
        }
        key = f"procedure:{procedure.id}" if procedure.id else f"procedure:[{index}]"
        found.append(ctx.make("splenectomy_vaccines_incomplete", "PIT_SPLEN_VACC", key, why, facts))
    return found


def first_step_mg_per_day(sit: Situation, view: CourseView) -> float | None:
    """The first dose step of a course in mg/day (a ``once`` step counts as one day's dose)."""
    step = view.course.dose_steps[0]
    if step.frequency is Frequency.once:
        return per_administration(
            step.amount,
            step.unit,
            DoseUnit.mg,
            weight_kg=sit.patient.weight_kg,
            bsa_m2=sit.patient.bsa_m2,
        )
    return per_day(
        step.amount,
        step.unit,
        step.frequency,
        DoseUnit.mg,
        weight_kg=sit.patient.weight_kg,
        bsa_m2=sit.patient.bsa_m2,
    )


def eltrombopag_start_mg(sit: Situation) -> float | None:
    """Label start dose for this patient's ancestry and liver function, or None when standard."""
    asian = sit.patient.east_southeast_asian_ancestry
    liver = sit.patient.risk_factors.hepatic_impairment
    if asian and liver:
        return ELTROMBOPAG_BOTH_START_MG
    if asian or liver:
        return ELTROMBOPAG_REDUCED_START_MG
    return None


def _eltrombopag_start(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    if eltrombopag_start_mg(sit) is None:
        return []
    reasons = []
    if sit.patient.east_southeast_asian_ancestry:
        reasons.append("East/South-East Asian ancestry recorded")
    if sit.patient.risk_factors.hepatic_impairment:
        reasons.append("hepatic impairment recorded")
    found = []
    for view in sit.courses_of(AgentCode.eltrombopag):
        dose = first_step_mg_per_day(sit, view)
        if dose is None or dose <= ELTROMBOPAG_REDUCED_START_MG + _EPSILON:
            continue
        why = [
            view.describe(),
            f"first dose step {fmt_number(dose)} mg/day from {view.course.start_date}",
            *reasons,
        ]
        facts = {
            "dose": fmt_number(dose),
            "recommended": fmt_number(ELTROMBOPAG_REDUCED_START_MG),
            "both": fmt_number(ELTROMBOPAG_BOTH_START_MG),
        }
        found.append(
            ctx.make("eltrombopag_start_dose", "PIT_ELT_ASIAN_LIVER", view.key, why, facts)
        )
    return found


def _proposed(ctx: _Context, component: str) -> list[Option]:
    return [o for o in ctx.options if contains(ctx.sit, o.code, component)]


def _tpo_thrombosis(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    if not sit.patient.risk_factors.prior_thrombosis:
        return []
    courses = [v for v in sit.courses_of(TPO_RAS) if v.active or v.planned]
    proposed = _proposed(ctx, "tpo_ra")
    if not courses and not proposed:
        return []
    why = ["prior thrombosis recorded", *(_course_line(v) for v in courses)]
    why += [f"option {option_word(sit.pack, o.code)} proposed (rank {o.rank})" for o in proposed]
    facts = {
        "what": ", ".join(
            [*(v.word for v in courses), *(option_word(sit.pack, o.code) for o in proposed)]
        )
    }
    return [ctx.make("tpo_ra_thrombosis_risk", "FIND_TPO_THROMBOSIS", "patient", why, facts)]


def _fostamatinib_hypertension(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    if not sit.patient.risk_factors.hypertension:
        return []
    courses = [v for v in sit.courses_of(AgentCode.fostamatinib) if v.active]
    proposed = _proposed(ctx, AgentCode.fostamatinib)
    if not courses and not proposed:
        return []
    why = ["hypertension recorded", *(_course_line(v) for v in courses)]
    why += [f"option {option_word(sit.pack, o.code)} proposed (rank {o.rank})" for o in proposed]
    facts = {
        "what": ", ".join(
            [*(v.word for v in courses), *(option_word(sit.pack, o.code) for o in proposed)]
        )
    }
    return [ctx.make("fostamatinib_hypertension", "FIND_FOSTA_HTN", "patient", why, facts)]


def _prolonged_corticosteroids(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    limit = sit.th.prolonged_corticosteroid_days
    found = []
    for view in sit.courses_of(CORTICOSTEROIDS):
        if view.total_days <= limit:
            continue
        until = "ongoing" if view.ongoing(sit.as_of) else "stopped"
        why = [
            view.describe(),
            f"{view.total_days} days of treatment ({until}; limit {limit} days)",
        ]
        facts = {"agent": view.word, "days": str(view.total_days), "limit": str(limit)}
        found.append(
            ctx.make("prolonged_corticosteroids", "PIT_STEROID_LONG", view.key, why, facts)
        )
    return found


def _anti_d(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    patient = sit.patient
    found = []
    for view in sit.courses_of(AgentCode.anti_d):
        reasons = []
        if patient.rh_d is RhD.negative:
            reasons.append("Rh(D)-negative")
        spleen = [
            p
            for _, p in sit.procedures
            if p.kind is ProcedureKind.splenectomy and p.date < view.course.start_date
        ]
        if spleen:
            reasons.append(f"splenectomy on {spleen[0].date}, before the course started")
        hb = patient.haemoglobin_g_dl
        if hb is not None and hb < sit.th.anti_d_min_haemoglobin_g_dl:
            reasons.append(
                f"haemoglobin {fmt_number(hb)} g/dL (below "
                f"{fmt_number(sit.th.anti_d_min_haemoglobin_g_dl)} g/dL)"
            )
        if not reasons:
            continue
        facts = {"reasons": "; ".join(reasons)}
        found.append(
            ctx.make(
                "anti_d_contraindicated", "PIT_ANTID", view.key, [view.describe(), *reasons], facts
            )
        )
    return found


def _secondary_causes(ctx: _Context) -> list[Finding]:
    checklist = ctx.checklists[SECONDARY_CAUSES]
    missing = [i for i in checklist.items if i.status is not ChecklistStatus.done]
    if not missing:
        return []
    why = [f"{item.label or item.code}: no result recorded" for item in missing]
    facts = {"missing": ", ".join(item.label or item.code for item in missing)}
    return [ctx.make("secondary_causes_incomplete", "FIND_SECONDARY_CAUSES", "patient", why, facts)]


def _procedures(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    horizon = sit.as_of + dt.timedelta(days=sit.th.procedure_window_days)
    found = []
    for index, procedure in sit.procedures:
        if not sit.as_of < procedure.date <= horizon:
            continue
        target = sit.th.procedure_targets.get(procedure.kind)
        if target is None:
            continue
        key = f"procedure:{procedure.id}" if procedure.id else f"procedure:[{index}]"
        facts = {
            **_count_facts(sit),
            "kind": procedure.kind.value.replace("_", " "),
            "date": str(procedure.date),
            "target": fmt_count(target),
            "days": str((procedure.date - sit.as_of).days),
        }
        why = [f"{facts['kind']} planned on {procedure.date} (in {facts['days']} days)"]
        if sit.latest is None:
            why.append(sit.latest_text())
            found.append(
                ctx.make("procedure_count_missing", "FIND_PROCEDURE_NO_COUNT", key, why, facts)
            )
        elif sit.latest.value < target:
            why += [sit.latest_text(), f"target for {facts['kind']}: {facts['target']}"]
            found.append(
                ctx.make("procedure_threshold", "FIND_PROCEDURE_THRESHOLD", key, why, facts)
            )
    return found


# ----------------------------------------------------------------- project findings


def _steroid_dependent(ctx: _Context) -> list[Finding]:
    verdict = ctx.sit.steroid_dependent
    if not verdict.value:
        return []
    return [ctx.make("steroid_dependent", "PIT_STEROID_DEP", "patient", list(verdict.why))]


def _diagnosis_recheck(ctx: _Context) -> list[Finding]:
    verdict = ctx.sit.multi_refractory
    if not verdict.value:
        return []
    return [ctx.make("diagnosis_recheck", "PIT_DIAGNOSIS", "patient", list(verdict.why))]


def _splenectomy_early(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    if sit.patient.diagnosis is None:
        return []
    found = []
    for index, procedure in sit.splenectomies_planned:
        if phase_of(sit.patient, procedure.date) is Phase.chronic:
            continue
        why = [
            f"splenectomy planned on {procedure.date}",
            f"ITP diagnosed {sit.patient.diagnosis.date}: less than 12 months before",
        ]
        key = f"procedure:{procedure.id}" if procedure.id else f"procedure:[{index}]"
        facts = {"date": str(procedure.date), "diagnosis": sit.patient.diagnosis.date}
        found.append(ctx.make("splenectomy_before_12_months", "PIT_SPLEN_EARLY", key, why, facts))
    return found


def _ivig_risk(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    risks = []
    if sit.age_years > IVIG_RISK_AGE:
        risks.append(f"age {sit.age_years} years")
    if sit.patient.risk_factors.prior_thrombosis:
        risks.append("prior thrombosis")
    if not risks:
        return []
    uses = [_course_line(v) for v in sit.courses_of(AgentCode.ivig) if v.active or v.planned]
    uses += [f"option {o.code} proposed (rank {o.rank})" for o in _proposed(ctx, AgentCode.ivig)]
    if ctx.rescue is not None:
        uses.append("rescue IVIG for active bleeding")
    if not uses:
        return []
    facts = {"risks": ", ".join(risks)}
    return [
        ctx.make(
            "ivig_renal_thrombosis_risk", "PIT_IVIG_RENAL_THROMB", "patient", [*risks, *uses], facts
        )
    ]


def _pregnancy(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    if not sit.patient.risk_factors.pregnancy_or_planning:
        return []
    found = []
    risky = [v for v in sit.courses if v.agent in PREGNANCY_RISK_AGENTS and (v.active or v.planned)]
    if risky:
        why = ["pregnancy or planned pregnancy recorded", *(_course_line(v) for v in risky)]
        facts = {"agents": ", ".join(sorted({v.word for v in risky}))}
        found.append(ctx.make("pregnancy_drug_risk", "PIT_PREG_DRUGS", "patient", why, facts))
    dex = [v for v in sit.courses_of(AgentCode.dexamethasone) if v.active or v.planned]
    if dex:
        why = ["pregnancy or planned pregnancy recorded", *(_course_line(v) for v in dex)]
        found.append(ctx.make("pregnancy_dexamethasone", "PIT_DEX_PREG", "patient", why))
    return found


def _tpo_stop(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    found = []
    for view in sit.courses_of(TPO_RAS):
        if not view.stopped_by(sit.as_of) or view.course.stop_date is None:
            continue
        info = sit.pack.agents.get(view.agent)
        spans = [
            m.duration_days
            for m in (info.monitoring if info is not None else [])
            if m.when == "after_stop" and m.duration_days is not None
        ]
        if not spans:
            continue
        until = view.course.stop_date + dt.timedelta(days=max(spans))
        if sit.as_of > until:
            continue
        why = [view.describe(), f"weekly counts advised through {until}"]
        facts = {"agent": view.word, "stop": str(view.course.stop_date), "until": str(until)}
        found.append(ctx.make("tpo_ra_stop_follow_up", "PIT_TPO_STOP", view.key, why, facts))
    return found


def _weight_missing(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    if sit.patient.weight_kg is not None:
        return []
    why = ["no weight recorded"]
    weighted = [
        v
        for v in sit.courses
        if (v.active or v.planned) and any(s.unit in WEIGHT_UNITS for s in v.course.dose_steps)
    ]
    why += [f"weight-based doses: {_course_line(v)}" for v in weighted]
    if ctx.rescue is not None:
        why.append("rescue doses (IVIG g/kg) cannot be computed")
    severity = Severity.warning if ctx.rescue is not None or weighted else Severity.info
    return [ctx.make("weight_missing", "FIND_WEIGHT_MISSING", "patient", why, severity=severity)]


def _diagnosis_missing(ctx: _Context) -> list[Finding]:
    if ctx.sit.patient.diagnosis is not None:
        return []
    why = ["no ITP diagnosis date recorded: the phase cannot be computed"]
    return [ctx.make("diagnosis_date_missing", "FIND_DIAGNOSIS_MISSING", "patient", why)]


def _anti_d_checks(ctx: _Context) -> list[Finding]:
    sit = ctx.sit
    found = []
    for view in sit.courses_of(AgentCode.anti_d):
        if not (view.active or view.planned):
            continue
        gaps = []
        if sit.patient.rh_d is RhD.unknown:
            gaps.append("Rh(D) status not recorded")
        if sit.patient.haemoglobin_g_dl is None:
            gaps.append("haemoglobin not recorded")
        if gaps:
            facts = {"gaps": "; ".join(gaps)}
            found.append(
                ctx.make(
                    "anti_d_checks_incomplete",
                    "FIND_ANTID_CHECKS",
                    view.key,
                    [_course_line(view), *gaps],
                    facts,
                )
            )
    return found


RULES: tuple[Callable[[_Context], list[Finding]], ...] = (
    _platelets_below_10,
    _active_bleeding,
    _rituximab_vaccine,
    _rituximab_after_failure,
    _tpo_below_max,
    _inadequate_trial,
    _hbv_screen_missing,
    _hbv_rituximab_risk,
    _splenectomy_vaccines,
    _eltrombopag_start,
    _tpo_thrombosis,
    _fostamatinib_hypertension,
    _prolonged_corticosteroids,
    _anti_d,
    _secondary_causes,
    _procedures,
    _steroid_dependent,
    _diagnosis_recheck,
    _splenectomy_early,
    _ivig_risk,
    _pregnancy,
    _tpo_stop,
    _weight_missing,
    _diagnosis_missing,
    _anti_d_checks,
)
"""Every finding rule, fixed codes first; the output is sorted afterwards."""


def sort_key(finding: Finding) -> tuple[int, str, str]:
    """Severity (critical first), then code, then key."""
    return (SEVERITY_ORDER[finding.severity], finding.code, finding.key)


def build_findings(
    sit: Situation,
    checklists: Sequence[Checklist],
    options: Sequence[Option],
    rescue: Rescue | None,
) -> list[Finding]:
    """All findings for the patient on `as_of`, sorted by severity, code and key.

    Args:
        sit: the patient's situation on `as_of`.
        checklists: the fixed checklists (splenectomy vaccines and secondary causes are read).
        options: the ranked options (TPO-RA, fostamatinib and IVIG proposals are read).
        rescue: the rescue plan, or None.

    Returns:
        The findings, not yet marked for suppression.
    """
    ctx = _Context(sit, checklists, options, rescue)
    found = [finding for rule in RULES for finding in rule(ctx)]
    return sorted(found, key=sort_key)

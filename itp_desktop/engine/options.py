"""Ranked next-line options (contract: Option codes fixed, ordering principles; reference 4.1–4.5).

The algorithm has three steps (documented in docs/ASSESSMENT.md, "Options"):

1. **Candidates.** Stage lists give each candidate a base score (lower ranks higher): first
   line (corticosteroids, IVIG for a fast rise, anti-D), second line (TPO-RAs or
   ``switch_tpo_ra``, fostamatinib, rituximab, rilzabrutinib, splenectomy from 12 months), and
   for multi-refractory disease DrOracle2025's sequence (splenectomy → fostamatinib →
   mycophenolate → ciclosporin → dexamethasone pulses → ``rituximab+cyclophosphamide`` /
   ``danazol+atra``) plus the combinations whose contract conditions hold.
2. **Patient factors** (reference 4.3) add rationale and caution codes and move scores:
   prior thrombosis, hepatic impairment, hypertension, wish for treatment-free remission,
   pregnancy, needle aversion, HBV exposure, age under 18, East/South-East Asian ancestry.
3. **Hard ordering rules** of the contract are then enforced on the sorted list (fostamatinib
   above every TPO-RA option with prior thrombosis; romiplostim above eltrombopag with hepatic
   impairment; fostamatinib → mycophenolate → ciclosporin for non-candidates; splenectomy first
   for multi-refractory chronic adult candidates and never first before 12 months), the list is
   cut to at most `MAX_OPTIONS` (options the contract requires are never cut) and ranked 1..n.

Pure. May import: core, stdlib; `Situation` only for type checking.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from itp_desktop.core.codes import (
    CORTICOSTEROIDS,
    TPO_RAS,
    AgentCode,
    Candidacy,
    OptionCode,
    Phase,
    RhD,
    StopReason,
)
from itp_desktop.core.errors import RuleError
from itp_desktop.core.models.assessment import Explanation, Option
from itp_desktop.core.models.knowledge import KnowledgePack

if TYPE_CHECKING:
    from itp_desktop.engine.assess import CourseView, Situation

MAX_OPTIONS = 8
"""Keep the list focused; options the contract requires are kept even beyond this."""

TPO_ORDER = (AgentCode.romiplostim, AgentCode.eltrombopag, AgentCode.avatrombopag)
ORAL_AGENTS = frozenset(
    {AgentCode.eltrombopag, AgentCode.avatrombopag, AgentCode.fostamatinib, AgentCode.rilzabrutinib}
)
ADULT_ONLY = frozenset({AgentCode.fostamatinib, AgentCode.rilzabrutinib})
SEVERE_BLEEDING_WHO = 2
"""Severe disease: a WHO grade ≥ 2 bleed in the last 90 days (contract: Definitions)."""
OBSERVE_FROM = 30.0
"""ASH2019: newly diagnosed adults with ≥ 30 ×10⁹/L and no or minor bleeding are observed."""
RECENT_BLEEDING_DAYS = 28
ANTI_D_FULL_DOSE_HB = 10.0
"""Haemoglobin 8–10 g/dL: reduced anti-D dose (LBL-WinRho)."""

# Option components (class words of OptionInfo.components) that stand for several agents.
_CLASS_WORDS: dict[str, frozenset[str]] = {
    "tpo_ra": frozenset(TPO_RAS),
    "immunosuppressant": frozenset({AgentCode.mycophenolate, AgentCode.ciclosporin}),
}


@dataclass
class _Candidate:
    code: str
    score: float
    rationale: list[str] = field(default_factory=list)
    cautions: list[str] = field(default_factory=list)
    required: bool = False


class _Options:
    """Candidate list under construction (one entry per option code)."""

    def __init__(self, sit: Situation) -> None:
        self.sit = sit
        self.items: dict[str, _Candidate] = {}
        self._parts: dict[str, frozenset[str]] = {}

    def parts(self, code: str) -> frozenset[str]:
        """`components` of an option, computed once per assessment."""
        found = self._parts.get(code)
        if found is None:
            found = self._parts[code] = components(self.sit, code)
        return found

    def add(self, code: str, score: float, *rationale: str, required: bool = False) -> None:
        code = str(code)  # AgentCode / OptionCode members become their plain string value
        item = self.items.get(code)
        if item is None:
            item = self.items[code] = _Candidate(code, score)
        item.score = min(item.score, score)
        item.required = item.required or required
        for reason in rationale:
            if reason not in item.rationale:
                item.rationale.append(reason)

    def has(self, code: str) -> bool:
        return code in self.items

    def containing(self, component: str) -> list[_Candidate]:
        """Candidates whose components include `component` (an agent or class word)."""
        wanted = _CLASS_WORDS.get(component, frozenset({component}))
        return [c for c in self.items.values() if self.parts(c.code) & wanted]

    def caution(self, code: str, caution: str, demote: float = 0.0) -> None:
        item = self.items.get(code)
        if item is None:
            return
        if caution not in item.cautions:
            item.cautions.append(caution)
            item.score += demote

    def favour(self, code: str, reason: str, promote: float = 0.0) -> None:
        item = self.items.get(code)
        if item is None:
            return
        if reason not in item.rationale:
            item.rationale.append(reason)
            item.score -= promote


def option_components(pack: KnowledgePack) -> dict[str, frozenset[str]]:
    """Agent codes (and ``splenectomy``) each pack option contains, class words expanded."""
    expanded: dict[str, frozenset[str]] = {}
    for code, info in pack.options.items():
        parts: set[str] = set()
        for part in info.components:
            parts |= _CLASS_WORDS.get(part, frozenset({part}))
        expanded[code] = frozenset(parts)
    return expanded


def components(sit: Situation, option_code: str) -> frozenset[str]:
    """Agent codes an option contains (computed once per assessment, see `Situation`)."""
    return sit.option_components.get(option_code, frozenset({option_code}))


def contains(sit: Situation, option_code: str, component: str) -> bool:
    """Whether an option contains an agent, or any agent of a class word (``tpo_ra``)."""
    wanted = _CLASS_WORDS.get(component, frozenset({component}))
    return bool(components(sit, option_code) & wanted)


@dataclass(frozen=True)
class _Facts:
    """Derived facts the option rules read."""

    phase: Phase | None
    multi_refractory: bool
    candidacy: Candidacy
    child: bool
    active: frozenset[AgentCode]
    failed: frozenset[AgentCode]
    intolerant: frozenset[AgentCode]
    rituximab_nr: bool
    severe: bool
    fast_rise: bool
    steroid_class_failed: bool
    steroid_ever: bool


def _facts(sit: Situation) -> _Facts:
    failed: set[AgentCode] = set()
    for view in sit.courses:
        # An adequate course that ended in NR bars the agent as monotherapy (contract). Loss of
        # response after an adequate trial counts as failure too, except for rituximab: a
        # responder who relapses may be re-treated (PIT_RTX_RETREAT is about non-responders).
        if view.failed_adequate_nr or (
            view.failed_adequate and view.agent is not AgentCode.rituximab
        ):
            failed.add(view.agent)
    intolerant = {v.agent for v in sit.courses if v.stopped_for(StopReason.intolerance, sit.as_of)}
    since = sit.as_of - dt.timedelta(days=sit.th.severe_disease_lookback_days)
    severe = sit.multi_refractory.value or any(
        b.date >= since
        and (b.life_threatening or (b.who_grade is not None and b.who_grade >= SEVERE_BLEEDING_WHO))
        for b in sit.bleeding
    )
    return _Facts(
        phase=sit.phase,
        multi_refractory=sit.multi_refractory.value,
        candidacy=sit.patient.risk_factors.splenectomy_candidate,
        child=sit.child,
        active=sit.active_agents,
        failed=frozenset(failed),
        intolerant=frozenset(intolerant),
        rituximab_nr=any(v.nr for v in sit.courses_of(AgentCode.rituximab)),
        severe=severe,
        fast_rise=bool(sit.rescue_triggers) or _procedure_needs_rise(sit),
        steroid_class_failed=bool(failed & CORTICOSTEROIDS) or sit.steroid_dependent.value,
        steroid_ever=bool(sit.courses_of(CORTICOSTEROIDS)),
    )


def _procedure_needs_rise(sit: Situation) -> bool:
    horizon = sit.as_of + dt.timedelta(days=sit.th.procedure_window_days)
    for _, procedure in sit.procedures:
        if sit.as_of < procedure.date <= horizon:
            target = sit.th.procedure_targets.get(procedure.kind)
            if target is not None and (sit.latest is None or sit.latest.value < target):
                return True
    return False


def _offerable(facts: _Facts, agent: AgentCode) -> bool:
    """An agent may be listed as monotherapy: not active, not failed, adult-only respected."""
    if agent in facts.active or agent in facts.failed:
        return False
    return not (facts.child and agent in ADULT_ONLY)


def _first_line(opts: _Options, facts: _Facts) -> None:
    sit = opts.sit
    newly = facts.phase in (None, Phase.newly_diagnosed)
    # Beyond 3 months, a patient never given a corticosteroid may still start with one, but
    # after the TPO-RAs of the second-line backbone.
    base = 20.0 if newly else 44.0
    if not facts.steroid_class_failed:
        for agent, offset in ((AgentCode.prednisone, 0.0), (AgentCode.dexamethasone, 1.0)):
            if _offerable(facts, agent) and (newly or not facts.steroid_ever):
                opts.add(agent, base + offset, "first_line_corticosteroid")
        if facts.child:
            opts.favour(AgentCode.prednisone, "child_prednisone", 0.0)
            opts.caution(AgentCode.dexamethasone, "child_dexamethasone", 3.0)
        else:
            opts.favour(AgentCode.dexamethasone, "dexamethasone_fast", 0.0)
    if newly and _offerable(facts, AgentCode.ivig):
        opts.add(AgentCode.ivig, 30.0, "fast_rise")
    rh_ok = sit.patient.rh_d is RhD.positive and not sit.splenectomies_done
    hb = sit.patient.haemoglobin_g_dl
    hb_ok = hb is not None and hb >= sit.th.anti_d_min_haemoglobin_g_dl
    if newly and rh_ok and hb_ok and _offerable(facts, AgentCode.anti_d):
        opts.add(AgentCode.anti_d, 34.0, "anti_d_eligible")
        opts.caution(AgentCode.anti_d, "anti_d_haemolysis")
        if hb is not None and hb < ANTI_D_FULL_DOSE_HB:
            opts.caution(AgentCode.anti_d, "anti_d_reduced_dose")


def _tpo_group(opts: _Options, facts: _Facts, base: float, *reasons: str) -> None:
    gone = {a for a in TPO_RAS if a in facts.failed or a in facts.intolerant}
    if any(a in facts.active and a not in gone for a in TPO_RAS):
        return  # a TPO-RA is working or still being titrated: it is the current therapy
    remaining = [a for a in TPO_ORDER if a not in gone and a not in facts.active]
    if gone:
        if remaining:
            opts.add(OptionCode.switch_tpo_ra, base - 1.0, "tpo_ra_switch", *reasons)
        return
    for offset, agent in enumerate(remaining):
        opts.add(agent, base + offset, "second_line_tpo_ra", *reasons)


def _second_line(opts: _Options, facts: _Facts) -> None:
    reasons = ("steroid_dependent",) if opts.sit.steroid_dependent.value else ()
    _tpo_group(opts, facts, 40.0, *reasons)
    if _offerable(facts, AgentCode.fostamatinib):
        opts.add(AgentCode.fostamatinib, 50.0, "destruction_mechanism", *reasons)
    if _offerable(facts, AgentCode.rituximab) and not facts.rituximab_nr:
        opts.add(AgentCode.rituximab, 55.0, "second_line_rituximab", *reasons)
    if facts.phase in (Phase.persistent, Phase.chronic) and _offerable(
        facts, AgentCode.rilzabrutinib
    ):
        opts.add(AgentCode.rilzabrutinib, 60.0, "rilzabrutinib_option", *reasons)
    if facts.phase is Phase.chronic and not facts.child and not opts.sit.splenectomies_done:
        if facts.candidacy is Candidacy.yes:
            opts.add(OptionCode.splenectomy, 62.0, "splenectomy_durable")
        elif facts.candidacy is Candidacy.unknown:
            opts.add(OptionCode.splenectomy, 68.0, "splenectomy_durable")


def _multi_refractory(opts: _Options, facts: _Facts) -> None:
    sit = opts.sit
    seq = "multi_refractory_sequence"
    splen_ok = not sit.splenectomies_done and facts.candidacy is not Candidacy.no
    if splen_ok and facts.candidacy is Candidacy.yes and facts.phase is Phase.chronic:
        if facts.child:
            opts.add(OptionCode.splenectomy, 92.0, "splenectomy_durable", seq)
            opts.caution(OptionCode.splenectomy, "child_splenectomy")
        else:
            opts.add(OptionCode.splenectomy, 0.0, "multi_refractory_splenectomy_first")
    elif splen_ok and facts.candidacy is Candidacy.yes and facts.phase is Phase.persistent:
        opts.add(OptionCode.splenectomy, 90.0, "splenectomy_durable", seq)
        opts.caution(OptionCode.splenectomy, "early_splenectomy")
    elif splen_ok and facts.phase is Phase.chronic and not facts.child:
        opts.add(OptionCode.splenectomy, 22.0, "splenectomy_durable", seq)
    _tpo_group(opts, facts, 18.0, seq)
    non_candidate = facts.candidacy is Candidacy.no
    extra = ("splenectomy_not_candidate",) if non_candidate else ()
    # Contract: a non-candidate is offered fostamatinib, mycophenolate and ciclosporin unless
    # the agent failed an adequate trial or is active; they are then required (never cut).
    for agent, score, reason in (
        (AgentCode.fostamatinib, 20.0, "destruction_mechanism"),
        (AgentCode.mycophenolate, 30.0, "mmf_trial_length"),
        (AgentCode.ciclosporin, 32.0, "ciclosporin_option"),
    ):
        if _offerable(facts, agent):
            opts.add(agent, score, seq, reason, *extra, required=non_candidate)
    if _offerable(facts, AgentCode.rilzabrutinib):
        opts.add(AgentCode.rilzabrutinib, 23.0, "rilzabrutinib_option")
    if _offerable(facts, AgentCode.rituximab) and not facts.rituximab_nr:
        opts.add(AgentCode.rituximab, 28.0, "second_line_rituximab")
    if _offerable(facts, AgentCode.dexamethasone):
        opts.add(AgentCode.dexamethasone, 40.0, seq, "dex_pulse_bridge")
        opts.caution(AgentCode.dexamethasone, "steroid_exposure")
    if not facts.rituximab_nr:
        opts.add(OptionCode.rituximab_cyclophosphamide, 45.0, seq, "combo_rtx_cyc")
        opts.caution(OptionCode.rituximab_cyclophosphamide, "fertility")
        opts.caution(OptionCode.rituximab_cyclophosphamide, "low_evidence")
    opts.add(OptionCode.danazol_atra, 46.0, seq, "combo_dan_atra")
    opts.caution(OptionCode.danazol_atra, "low_evidence")


def _combinations(opts: _Options, facts: _Facts) -> None:
    sit = opts.sit
    fosta = sit.courses_of(AgentCode.fostamatinib)
    tpo = sit.courses_of(TPO_RAS)

    def stopped_nr(views: list[CourseView]) -> bool:
        return any(v.stopped_by(sit.as_of) and v.nr for v in views)

    def ongoing(views: list[CourseView]) -> bool:
        return any(v.active for v in views)

    pair = (
        (stopped_nr(fosta) and ongoing(tpo))
        or (stopped_nr(tpo) and ongoing(fosta))
        or (any(v.nr for v in fosta) and any(v.nr for v in tpo))
    )
    if pair:
        score = 15.0 if facts.multi_refractory else 32.0
        opts.add(OptionCode.fostamatinib_tpo_ra, score, "combo_fosta_tpo", required=True)
        if facts.child:
            opts.caution(OptionCode.fostamatinib_tpo_ra, "adult_only_agent")
    tpo_nr = any(v.nr for v in tpo)
    ivig_nr = any(v.nr for v in sit.courses_of(AgentCode.ivig))
    if tpo_nr and ivig_nr and facts.severe:
        score = 16.0 if facts.multi_refractory else 33.0
        opts.add(OptionCode.tpo_ra_immunosuppressant_ivig, score, "combo_triple", required=True)


def _previous_courses(opts: _Options, facts: _Facts) -> None:
    """Mark agents tried before: an inadequate trial may be completed; others need review."""
    sit = opts.sit
    for view in sit.courses:
        code = view.agent.value
        if not opts.has(code):
            continue
        tried_nr = view.nr or view.stopped_for(StopReason.no_response, sit.as_of)
        if tried_nr and view.result.adequate_trial is False:
            opts.favour(code, "complete_adequate_trial")
        elif tried_nr and view.result.adequate_trial is None:
            opts.caution(code, "previous_no_response", 5.0)
        if view.agent in facts.intolerant:
            opts.caution(code, "previous_intolerance", 10.0)


def _patient_factors(opts: _Options, facts: _Facts) -> None:  # noqa: PLR0912
    sit = opts.sit
    risk = sit.patient.risk_factors
    tpo_options = [c.code for c in opts.containing("tpo_ra")]
    fosta_options = [c.code for c in opts.containing(AgentCode.fostamatinib)]
    rtx_options = [c.code for c in opts.containing(AgentCode.rituximab)]
    if risk.prior_thrombosis:
        for code in tpo_options:
            opts.caution(code, "thrombosis_risk", 30.0)
        opts.favour(AgentCode.fostamatinib, "thrombosis_favoured", 10.0)
        opts.favour(AgentCode.rituximab, "thrombosis_favoured", 5.0)
        opts.caution(AgentCode.ivig, "ivig_thrombosis_renal")
        opts.caution(OptionCode.tpo_ra_immunosuppressant_ivig, "ivig_thrombosis_renal")
        opts.caution(OptionCode.splenectomy, "splenectomy_vte")
        opts.caution(OptionCode.danazol_atra, "danazol_thrombosis", 5.0)
    elif sit.age_years > 65:
        opts.caution(AgentCode.ivig, "ivig_thrombosis_renal")
    if risk.hepatic_impairment:
        opts.caution(AgentCode.eltrombopag, "hepatotoxicity", 10.0)
        opts.caution(AgentCode.eltrombopag, "reduced_start_dose")
        for code in (AgentCode.romiplostim, AgentCode.avatrombopag):
            opts.favour(code, "liver_safe_tpo", 2.0)
        for code in (*fosta_options, AgentCode.rilzabrutinib, OptionCode.danazol_atra):
            opts.caution(code, "hepatotoxicity", 5.0)
    elif sit.patient.east_southeast_asian_ancestry:
        opts.caution(AgentCode.eltrombopag, "reduced_start_dose")
    if risk.hypertension:
        for code in fosta_options:
            opts.caution(code, "hypertension", 10.0)
        for code in (AgentCode.ciclosporin, OptionCode.tpo_ra_immunosuppressant_ivig):
            opts.caution(code, "ciclosporin_bp", 5.0)
    if risk.prefers_treatment_free_remission:
        opts.favour(AgentCode.rituximab, "treatment_free_remission", 15.0)
        opts.favour(OptionCode.splenectomy, "treatment_free_remission", 10.0)
    if risk.pregnancy_or_planning:
        _pregnancy(opts, facts, tpo_options, fosta_options, rtx_options)
    if risk.needle_averse:
        opts.caution(AgentCode.romiplostim, "injection", 10.0)
        for agent in ORAL_AGENTS:
            opts.favour(agent, "oral_agent", 3.0)
    if sit.hbv_positive:
        for code in rtx_options:
            opts.caution(code, "hbv_reactivation", 25.0)
        for agent in TPO_ORDER:
            opts.favour(agent, "hbv_safe", 3.0)
    if facts.child:
        for agent in TPO_ORDER:
            opts.favour(agent, "child_tpo_ra", 5.0)
        opts.caution(AgentCode.rituximab, "child_rituximab", 5.0)


def _pregnancy(
    opts: _Options,
    facts: _Facts,
    tpo_options: list[str],
    fosta_options: list[str],
    rtx_options: list[str],
) -> None:
    # Reference 4.3 "Pregnancy planned soon": prednisone/prednisolone and IVIG are preferred;
    # the others carry their label's pregnancy caution and move down the list.
    for agent, score in ((AgentCode.ivig, 5.0), (AgentCode.prednisone, 6.0)):
        if _offerable(facts, agent) and not (
            agent is AgentCode.prednisone and AgentCode.prednisone in facts.failed
        ):
            opts.add(agent, score, "pregnancy_preferred")
    for code in (*fosta_options, AgentCode.rilzabrutinib, AgentCode.mycophenolate):
        opts.caution(code, "embryo_fetal_toxicity", 40.0)
    for code in rtx_options:
        opts.caution(code, "rituximab_pregnancy", 20.0)
    for code in tpo_options:
        opts.caution(code, "tpo_ra_pregnancy", 20.0)
    opts.caution(AgentCode.dexamethasone, "dexamethasone_pregnancy", 15.0)
    opts.caution(OptionCode.splenectomy, "splenectomy_pregnancy", 20.0)
    opts.caution(OptionCode.danazol_atra, "embryo_fetal_toxicity", 30.0)
    if facts.multi_refractory and _offerable(facts, AgentCode.azathioprine):
        opts.add(AgentCode.azathioprine, 35.0, "pregnancy_later_line")


def _observation(opts: _Options, facts: _Facts) -> None:
    """Newly diagnosed with no significant bleeding: observation may suit (ASH2019, ASH2011)."""
    sit = opts.sit
    if facts.phase is not Phase.newly_diagnosed or sit.rescue_triggers or facts.fast_rise:
        return
    recent = sit.bleeding_since(RECENT_BLEEDING_DAYS)
    if facts.child:
        calm = not any(
            b.life_threatening
            or (b.who_grade is not None and b.who_grade >= SEVERE_BLEEDING_WHO)
            or (b.itpbat_mucosa or 0) >= 1
            or (b.itpbat_organ or 0) >= 1
            for b in recent
        )
    else:
        calm = (
            sit.latest is not None
            and sit.latest.value >= OBSERVE_FROM
            and not any(
                b.life_threatening
                or (b.who_grade is not None and b.who_grade >= SEVERE_BLEEDING_WHO)
                for b in recent
            )
        )
    if calm:
        for code in (
            AgentCode.prednisone,
            AgentCode.dexamethasone,
            AgentCode.ivig,
            AgentCode.anti_d,
        ):
            opts.caution(code, "observation_first")


def _order(opts: _Options, facts: _Facts) -> list[_Candidate]:
    sit = opts.sit
    ranked = sorted(opts.items.values(), key=lambda c: (c.score, c.code))
    constraints: list[tuple[str, str]] = []
    if sit.patient.risk_factors.prior_thrombosis:
        constraints += [(AgentCode.fostamatinib, c.code) for c in opts.containing("tpo_ra")]
    if sit.patient.risk_factors.hepatic_impairment:
        constraints.append((AgentCode.romiplostim, AgentCode.eltrombopag))
    if facts.multi_refractory and facts.candidacy is Candidacy.no:
        constraints += [
            (AgentCode.fostamatinib, AgentCode.mycophenolate),
            (AgentCode.mycophenolate, AgentCode.ciclosporin),
            (AgentCode.fostamatinib, AgentCode.ciclosporin),
        ]
    ranked = _enforce(ranked, constraints)
    first = [c for c in ranked if "multi_refractory_splenectomy_first" in c.rationale]
    if first:
        ranked = first + [c for c in ranked if c not in first]
    return _cut(not_first_before_12_months(ranked, facts.phase))


def not_first_before_12_months(ranked: list[_Candidate], phase: Phase | None) -> list[_Candidate]:
    """Contract: splenectomy is never ranked first before 12 months from diagnosis.

    The scores already keep it low outside the chronic phase; this guard makes the rule hold
    whatever the scores: a first-placed splenectomy swaps with the next option, and is dropped
    when it is the only one.
    """
    if not ranked or ranked[0].code != OptionCode.splenectomy or phase is Phase.chronic:
        return ranked
    return [*ranked[1:2], ranked[0], *ranked[2:]] if len(ranked) > 1 else []


def _enforce(ranked: list[_Candidate], constraints: list[tuple[str, str]]) -> list[_Candidate]:
    """Reorder so that every (above, below) pair present holds, staying close to `ranked`.

    A stable topological sort: each position takes the best-ranked remaining option whose
    required predecessors are already placed. The engine's constraints never form a cycle;
    if one ever appeared, the options caught in it would follow in their score order.
    """
    present = {item.code for item in ranked}
    before: dict[str, set[str]] = {item.code: set() for item in ranked}
    for above, below in constraints:
        if above in present and below in present and above != below:
            before[below].add(above)
    placed: list[_Candidate] = []
    done: set[str] = set()
    remaining = list(ranked)
    while remaining:
        index = next((i for i, c in enumerate(remaining) if before[c.code] <= done), 0)
        item = remaining.pop(index)
        placed.append(item)
        done.add(item.code)
    return placed


def _cut(ranked: list[_Candidate]) -> list[_Candidate]:
    """Keep every required option and the best optional ones, at most `MAX_OPTIONS` in all."""
    budget = MAX_OPTIONS - sum(item.required for item in ranked)
    kept = []
    for item in ranked:
        if item.required:
            kept.append(item)
        elif budget > 0:
            kept.append(item)
            budget -= 1
    return kept


def _explanations(
    sit: Situation, item: _Candidate, built: dict[str, Explanation]
) -> list[Explanation]:
    explained = []
    for kind, codes in (("rationale", item.rationale), ("caution", item.cautions)):
        for code in codes:
            if code in built:  # the same reason often explains several options
                explained.append(built[code])
                continue
            reason = sit.pack.reasons.get(code)
            if reason is None:
                raise RuleError(
                    f"knowledge pack {sit.pack.meta.id} {sit.pack.meta.version} has no "
                    f"reasons.{code}, which option {item.code} needs"
                )
            built[code] = Explanation(
                code=code,
                kind="rationale" if kind == "rationale" else "caution",
                text=reason.text,
                sources=list(reason.citations),
                verification=reason.verification,
            )
            explained.append(built[code])
    return explained


def build_options(sit: Situation) -> list[Option]:
    """Ranked next-line options for the patient on `as_of` (rank 1 = first to consider).

    Args:
        sit: the patient's situation on `as_of`.

    Returns:
        Options ranked 1..n without ties.

    Raises:
        RuleError: the pack lacks an option or reason text the engine needs.
    """
    facts = _facts(sit)
    opts = _Options(sit)
    second = (
        facts.phase in (Phase.persistent, Phase.chronic)
        or facts.steroid_class_failed
        or facts.multi_refractory
    )
    _first_line(opts, facts)
    if second:
        _second_line(opts, facts)
    if facts.multi_refractory:
        _multi_refractory(opts, facts)
    _combinations(opts, facts)
    if facts.fast_rise and _offerable(facts, AgentCode.ivig):
        opts.add(AgentCode.ivig, 5.0, "fast_rise")
    if opts.has(OptionCode.splenectomy):
        # Contract "known tensions": guidelines frame splenectomy as a shared decision.
        opts.favour(OptionCode.splenectomy, "splenectomy_shared_decision")
    _previous_courses(opts, facts)
    _patient_factors(opts, facts)
    _observation(opts, facts)
    ranked = _order(opts, facts)
    built: dict[str, Explanation] = {}
    result = []
    for rank, item in enumerate(ranked, start=1):
        info = sit.pack.options.get(item.code)
        if info is None:
            raise RuleError(
                f"knowledge pack {sit.pack.meta.id} {sit.pack.meta.version} has no "
                f"options.{item.code}"
            )
        rule = sit.rule(info.rule)
        explained = _explanations(sit, item, built)
        sources = {key for e in explained for key in e.sources} | set(rule.citations)
        result.append(
            Option(
                code=item.code,
                rank=rank,
                rationale=list(item.rationale),
                cautions=list(item.cautions),
                sources=sorted(sources),
                label=info.label,
                explanations=explained,
                rule=rule.ref,
            )
        )
    return result

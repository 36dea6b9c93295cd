"""Assembly of the assessment: `assess()` and the `Situation` every rule family reads.

`assess(patient, pack, as_of)` evaluates the courses (engine part A), gathers the facts of the
day into one immutable `Situation` (sorted counts, course views, work-up results, vaccines,
procedures, the rescue trigger), then runs the rule families in dependency order: rescue →
options → checklists (pre_rituximab looks at the options) → findings (they look at checklists,
options and rescue) → monitoring → dose suggestions, applies suppressions and returns one
`Assessment`. Pure: no I/O, no clock. May import: core, stdlib and the engine's own modules;
never `itp_desktop.knowledge` (the pack is passed in).

The builder modules import `Situation` only for type checking, so there is no import cycle at
run time; everything they need from it is an attribute or a method.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from itp_desktop.core.codes import (
    CORTICOSTEROIDS,
    AgentCode,
    Phase,
    ProcedureKind,
    ResponseCode,
    StopReason,
    TestResult,
    WorkupTest,
)
from itp_desktop.core.errors import RuleError
from itp_desktop.core.models.assessment import (
    Assessment,
    CountRef,
    CourseAssessment,
    Finding,
    KnowledgeBaseRef,
    PackRef,
)
from itp_desktop.core.models.knowledge import KnowledgePack, RuleMeta, Thresholds
from itp_desktop.core.models.patient import (
    BleedingAssessment,
    Immunization,
    Patient,
    PlateletCount,
    Procedure,
    TherapyCourse,
    WorkupResult,
)
from itp_desktop.core.models.records import Suppression
from itp_desktop.core.units import fmt_count
from itp_desktop.engine import checklists, dosing, findings, monitoring, options, rescue
from itp_desktop.engine.labels import agent_word
from itp_desktop.engine.phase import phase_of
from itp_desktop.engine.refractory import (
    RefractoryVerdict,
    multi_refractory,
    splenectomy_failure,
    steroid_dependence,
)
from itp_desktop.engine.response import evaluate_courses
from itp_desktop.engine.timeline import CountPoint, counts_until, course_duration_days

ENGINE_VERSION = "0.1.0"
"""Version of the engine code; printed in every assessment next to the pack version."""


def entry_key(kind: str, entry_id: str | None, index: int) -> str:
    """Stable subject key of an input entry: ``kind:<id>``, or ``kind:[index]`` without an id."""
    return f"{kind}:{entry_id}" if entry_id else f"{kind}:[{index}]"


@dataclass(frozen=True, slots=True)
class CourseView:
    """One therapy course with its evaluation and stable subject key.

    Attributes:
        index: position in ``patient.courses`` (0-based).
        course: the course as entered.
        result: its `CourseAssessment` (engine part A).
        key: ``course:<id>`` or ``course:[index]``.
        total_days: the course's total duration (contract: Days at a dose) through `as_of`.
        agent: the course's agent (a field, not a property: rules read it very often).
    """

    index: int
    course: TherapyCourse
    result: CourseAssessment
    key: str
    total_days: int
    agent: AgentCode

    @property
    def planned(self) -> bool:
        """Starts after `as_of` (never active, never evaluated)."""
        return self.result.status == "planned"

    @property
    def active(self) -> bool:
        """`as_of` lies inside the course's evaluation window (contract: Active)."""
        return self.result.status == "active"

    def stopped_by(self, as_of: dt.date) -> bool:
        """The course has a stop date on or before `as_of`."""
        return self.course.stop_date is not None and self.course.stop_date <= as_of

    def stopped_for(self, reason: StopReason, as_of: dt.date) -> bool:
        """The course stopped on or before `as_of` with `reason`."""
        return self.stopped_by(as_of) and self.course.stop_reason is reason

    def ongoing(self, as_of: dt.date) -> bool:
        """Started on or before `as_of` and not stopped by then (the drug is still given)."""
        return self.course.start_date <= as_of and not self.stopped_by(as_of)

    @property
    def failed_adequate_nr(self) -> bool:
        """An adequate trial whose response is NR (contract: ended in NR)."""
        return self.result.adequate_trial is True and self.result.response is ResponseCode.NR

    @property
    def failed_adequate(self) -> bool:
        """An adequate trial with NR or loss of response (a failed adequate trial)."""
        return self.result.adequate_trial is True and (
            self.result.response is ResponseCode.NR or self.result.loss_of_response
        )

    @property
    def nr(self) -> bool:
        """The course's response is NR (adequate or not)."""
        return self.result.response is ResponseCode.NR

    @property
    def word(self) -> str:
        """The agent as a word for messages (``anti-D``, ``IVIG``, ``romiplostim``)."""
        return agent_word(self.agent)

    def describe(self) -> str:
        """Plain-language name of the course, e.g. ``romiplostim course started 2026-01-05``."""
        text = f"{agent_word(self.agent)} course started {self.course.start_date}"
        if self.course.stop_date is not None:
            text += f", stopped {self.course.stop_date}"
            if self.course.stop_reason is not None:
                text += f" ({self.course.stop_reason.value.replace('_', ' ')})"
        return text


@dataclass(frozen=True)
class Situation:
    """Everything the rule families read, computed once per assessment.

    Lists are filtered to what is known on `as_of` (results dated after it are ignored) and
    sorted by date (ties keep input order), so rules can scan them without sorting again.
    """

    patient: Patient
    pack: KnowledgePack
    as_of: dt.date
    latest: CountRef | None
    phase: Phase | None
    courses: tuple[CourseView, ...]
    steroid_dependent: RefractoryVerdict
    multi_refractory: RefractoryVerdict
    splenectomy_failure: RefractoryVerdict
    bleeding: tuple[BleedingAssessment, ...]
    rescue_triggers: tuple[BleedingAssessment, ...]
    immunizations: tuple[tuple[int, Immunization], ...]
    procedures: tuple[tuple[int, Procedure], ...]
    workup: dict[WorkupTest, tuple[WorkupResult, ...]] = field(default_factory=dict)

    @cached_property
    def counts(self) -> tuple[CountPoint, ...]:
        """Counts dated on or before `as_of`, sorted by date (same-day counts in input order).

        Built only when a rule needs the series (romiplostim titration): most assessments only
        need the latest count, which `build_situation` finds in one pass.
        """
        return tuple(counts_until(self.patient, self.as_of))

    @cached_property
    def option_components(self) -> dict[str, frozenset[str]]:
        """What each option of the pack contains (agents; class words expanded)."""
        return options.option_components(self.pack)

    @property
    def th(self) -> Thresholds:
        """The pack's thresholds."""
        return self.pack.thresholds

    @cached_property
    def age_years(self) -> int:
        """Completed years of age on `as_of`."""
        return self.patient.age_years(self.as_of)

    @property
    def child(self) -> bool:
        """Younger than the pack's child age (18 years) on `as_of`."""
        return self.age_years < self.th.child_age_years

    def rule(self, rule_id: str) -> RuleMeta:
        """The pack's rule `rule_id`.

        Raises:
            RuleError: the pack has no such rule (a broken or outdated pack).
        """
        try:
            return self.pack.rules[rule_id]
        except KeyError:
            raise RuleError(
                f"knowledge pack {self.pack.meta.id} {self.pack.meta.version} has no rule "
                f"{rule_id!r}, which the engine {ENGINE_VERSION} needs"
            ) from None

    def text(self, key: str) -> str:
        """The pack's user-facing text `key`.

        Raises:
            RuleError: the pack has no such text.
        """
        try:
            return self.pack.texts[key]
        except KeyError:
            raise RuleError(
                f"knowledge pack {self.pack.meta.id} {self.pack.meta.version} has no text "
                f"{key!r}, which the engine {ENGINE_VERSION} needs"
            ) from None

    @cached_property
    def active_agents(self) -> frozenset[AgentCode]:
        """Agents with a course active on `as_of`."""
        return frozenset(view.agent for view in self.courses if view.active)

    @cached_property
    def _by_agent(self) -> dict[AgentCode, list[CourseView]]:
        grouped: dict[AgentCode, list[CourseView]] = {}
        for view in self.courses:
            grouped.setdefault(view.agent, []).append(view)
        return grouped

    def courses_of(self, agents: frozenset[AgentCode] | AgentCode) -> list[CourseView]:
        """Courses of one agent or of a set of agents, in input order."""
        if isinstance(agents, AgentCode):
            return list(self._by_agent.get(agents, ()))
        return [view for view in self.courses if view.agent in agents]

    def recorded(self, test: WorkupTest) -> tuple[WorkupResult, ...]:
        """Results of `test` that are recorded (positive or negative) and known on `as_of`."""
        return self.workup.get(test, ())

    def positive(self, test: WorkupTest) -> WorkupResult | None:
        """The latest positive result of `test`, if any."""
        hits = [r for r in self.recorded(test) if r.result is TestResult.positive]
        return hits[-1] if hits else None

    @cached_property
    def hbv_positive(self) -> list[WorkupResult]:
        """Positive HBsAg or anti-HBc results (HBV exposure)."""
        hits = [self.positive(WorkupTest.hbsag), self.positive(WorkupTest.anti_hbc)]
        return [hit for hit in hits if hit is not None]

    @cached_property
    def splenectomies_done(self) -> list[tuple[int, Procedure]]:
        """Splenectomies dated on or before `as_of`."""
        return [
            (i, p)
            for i, p in self.procedures
            if p.kind is ProcedureKind.splenectomy and p.date <= self.as_of
        ]

    @cached_property
    def splenectomies_planned(self) -> list[tuple[int, Procedure]]:
        """Splenectomies dated after `as_of` (planned), earliest first."""
        return [
            (i, p)
            for i, p in self.procedures
            if p.kind is ProcedureKind.splenectomy and p.date > self.as_of
        ]

    def count_text(self, count: CountRef) -> str:
        """``8 ×10⁹/L on 2026-11-01``."""
        return f"{fmt_count(count.value)} on {count.date}"

    def latest_text(self) -> str:
        """Why-line for the latest count (or its absence)."""
        if self.latest is None:
            return f"no platelet count on or before {self.as_of}"
        return f"latest platelet count {self.count_text(self.latest)}"

    def bleeding_since(self, days: int) -> list[BleedingAssessment]:
        """Bleeding assessments dated from `as_of` − `days` through `as_of`."""
        start = self.as_of - dt.timedelta(days=days)
        return [b for b in self.bleeding if b.date >= start]


def _recorded_workup(
    patient: Patient, as_of: dt.date
) -> dict[WorkupTest, tuple[WorkupResult, ...]]:
    # A result is "recorded" when it is positive or negative; "not_done" records that the test
    # is still missing. Undated results count (they were entered as known facts); results dated
    # after as_of are ignored (contract: Dates).
    by_test: dict[WorkupTest, list[WorkupResult]] = {}
    dated = sorted(
        (r for r in patient.workup if r.result is not TestResult.not_done),
        key=lambda r: r.date or dt.date.min,
    )
    for result in dated:
        if result.date is not None and result.date > as_of:
            continue
        by_test.setdefault(result.test, []).append(result)
    return {test: tuple(results) for test, results in by_test.items()}


def build_situation(patient: Patient, pack: KnowledgePack, as_of: dt.date) -> Situation:
    """Evaluate the courses and gather the facts every rule family reads.

    Args:
        patient: the validated patient record.
        pack: the knowledge pack (base pack with any department overrides applied).
        as_of: the injected "today".

    Returns:
        The `Situation` of the patient on `as_of`.
    """
    results = evaluate_courses(patient, pack, as_of)
    views = tuple(
        CourseView(
            index=i,
            course=course,
            result=result,
            key=entry_key("course", course.id, i),
            # Only corticosteroid durations are read (prolonged_corticosteroids); skip the rest.
            total_days=(
                course_duration_days(course, as_of) if course.agent in CORTICOSTEROIDS else 0
            ),
            agent=course.agent,
        )
        for i, (course, result) in enumerate(zip(patient.courses, results, strict=True))
    )
    latest: PlateletCount | None = None
    for entry in patient.platelet_counts:
        # ">=": on the latest date the count entered last wins (engine part A's latest_count).
        if entry.date <= as_of and (latest is None or entry.date >= latest.date):
            latest = entry
    bleeding = tuple(sorted((b for b in patient.bleeding if b.date <= as_of), key=lambda b: b.date))
    return Situation(
        patient=patient,
        pack=pack,
        as_of=as_of,
        latest=None if latest is None else CountRef(date=latest.date, value=latest.value_e9),
        phase=phase_of(patient, as_of),
        courses=views,
        steroid_dependent=steroid_dependence(patient, pack, as_of),
        multi_refractory=multi_refractory(patient, pack, as_of, results),
        splenectomy_failure=splenectomy_failure(patient, pack, as_of),
        bleeding=bleeding,
        rescue_triggers=tuple(rescue.rescue_triggers(bleeding, pack.thresholds, as_of)),
        immunizations=tuple(
            sorted(
                ((i, v) for i, v in enumerate(patient.immunizations) if v.date <= as_of),
                key=lambda item: item[1].date,
            )
        ),
        procedures=tuple(sorted(enumerate(patient.procedures), key=lambda item: item[1].date)),
        workup=_recorded_workup(patient, as_of),
    )


def canonical_sha256(patient: Patient) -> str:
    """SHA-256 of the patient's compact JSON in schema field order (``model_dump_json()``).

    The validated record has one serialisation (pydantic's serializer, fields in model order,
    no whitespace), so equal records give equal hashes; it is about 2.5× faster than a
    sorted-keys ``json.dumps`` of ``model_dump()``, which matters at ~2 ms per assessment.
    """
    return hashlib.sha256(patient.model_dump_json().encode("utf-8")).hexdigest()


def apply_suppressions(
    found: Sequence[Finding], suppressions: Sequence[Suppression]
) -> list[Finding]:
    """Mark findings whose key and ``rule-id@version`` match a suppression.

    A suppression recorded against an older rule version no longer matches, so the finding
    shows again when the rule changes. When several suppressions match, the first one's
    reason is shown.
    """
    by_key: dict[tuple[str, str], Suppression] = {}
    for suppression in suppressions:
        by_key.setdefault((suppression.finding_key, suppression.rule), suppression)
    marked = []
    for finding in found:
        match = by_key.get((finding.key, finding.rule))
        if match is None:
            marked.append(finding)
        else:
            marked.append(
                finding.model_copy(update={"suppressed": True, "suppression_reason": match.reason})
            )
    return marked


def assess(
    patient: Patient,
    pack: KnowledgePack,
    as_of: dt.date,
    *,
    suppressions: Sequence[Suppression] = (),
) -> Assessment:
    """Assess one patient on one date with one knowledge pack.

    Pure and deterministic: the same patient, pack, date and suppressions give a
    byte-identical ``model_dump_json()``.

    Args:
        patient: the validated patient record.
        pack: the knowledge pack (base pack with any department overrides applied).
        as_of: the injected "today"; data dated after it is ignored or treated as planned.
        suppressions: the patient's finding suppressions (matched by key and rule@version).

    Returns:
        The assessment (binding contract: ../shared/specs/assessment.md).

    Raises:
        RuleError: the pack lacks a rule or text the engine needs.
    """
    sit = build_situation(patient, pack, as_of)
    rescue_plan = rescue.build_rescue(sit)
    proposed = options.build_options(sit)
    lists = checklists.build_checklists(sit, proposed, rescue_plan)
    found = findings.build_findings(sit, lists, proposed, rescue_plan)
    return Assessment(
        as_of=as_of,
        knowledge_base=KnowledgeBaseRef(
            id=pack.meta.id,
            version=pack.meta.version,
            overrides=[PackRef(id=o.id, version=o.version) for o in pack.overrides],
        ),
        phase=sit.phase,
        latest_platelet_count=sit.latest,
        courses=[view.result for view in sit.courses],
        steroid_dependent=sit.steroid_dependent.value,
        multi_refractory=sit.multi_refractory.value,
        findings=apply_suppressions(found, suppressions),
        checklists=lists,
        rescue=rescue_plan,
        options=proposed,
        monitoring=monitoring.build_monitoring(sit),
        engine_version=ENGINE_VERSION,
        input_sha256=canonical_sha256(patient),
        dose_suggestions=dosing.build_dose_suggestions(sit, proposed),
        disclaimer=pack.texts.get("disclaimer", ""),
    )

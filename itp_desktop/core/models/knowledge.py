"""The knowledge pack: versioned clinical data with citations (ITP_REFERENCE.md).

These models describe what the `itp_desktop.knowledge` package loads from TOML files and what
the engine reads. They live in `core` so that the engine, the reports and the GUI can use them
without importing the loader. Every rule carries its id, version, citation keys, verification
mark (V/S/M/U) and review date; facts marked M or U never produce critical findings.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from itp_desktop.core.codes import (
    AgentCode,
    DoseUnit,
    InadequacyCode,
    MechanismCategory,
    MonitoringCode,
    ProcedureKind,
    Severity,
    VaccineCode,
    VerificationMark,
    WorkupTest,
)


class _KB(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PackMeta(_KB):
    """Pack metadata: id, version, approval date and status."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    version: str = Field(pattern=r"^\d+\.\d+\.\d+([+-][0-9A-Za-z.-]+)?$")
    title: str
    status: Literal["draft", "approved", "retired"]
    approval_date: dt.date | None = None
    approved_by: str = ""
    description: str = ""


class Citation(_KB):
    """A source registry entry (ITP_REFERENCE.md section 9)."""

    key: str
    reference: str
    locator: str = Field(default="", description="URL, DOI or where the source was read")


class RuleMeta(_KB):
    """Metadata of one rule: what fires it, what it says, where it comes from.

    `message` may contain ``{field}`` templates that the engine fills in; a department pack may
    override `message` and `summary` but not the logic.
    """

    id: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    title: str
    family: str = Field(description="Rule family, e.g. response, adequacy, finding, checklist")
    citations: list[str] = Field(min_length=1)
    verification: VerificationMark
    verification_note: str = ""
    review_date: dt.date
    fires_when: str = Field(description="Plain-language condition, for docs/RULES.md")
    message: str = ""
    severity: Severity | None = None
    finding_code: str | None = None

    @property
    def ref(self) -> str:
        """``rule-id@version`` as printed in findings."""
        return f"{self.id}@{self.version}"

    @model_validator(mode="after")
    def _uncertain_is_never_critical(self) -> Self:
        if self.severity is Severity.critical and self.verification in (
            VerificationMark.M,
            VerificationMark.U,
        ):
            raise ValueError(
                f"rule {self.id} is marked {self.verification}: M and U facts cannot be critical"
            )
        return self


class AdequacyRegimen(_KB):
    """One acceptable fixed regimen (e.g. rituximab 375 mg/m² × 4)."""

    dose: float
    unit: DoseUnit
    administrations: int = Field(ge=1)
    tolerance: float = Field(default=0.10, ge=0, le=0.5)


class AdequacyRule(_KB):
    """Adequate-trial rule of one agent (contract: Adequacy rules).

    Kinds:
        ``days_at_dose``: at least `min_days` days (contract: Days at a dose) at or above
            `dose` `unit`, measured `per` administration or per day.
        ``dose_reached_and_total_days``: `dose` reached at some step, and the whole course
            lasts at least `min_days` days.
        ``regimen``: one of `regimens` completed; fewer administrations →
            ``incomplete_course``; a `low_dose` regimen → ``dose_below_standard``.
        ``cycle``: at least `min_days` days or ``once`` administrations at or above `dose`
            per day (a dexamethasone 4-day cycle).
    """

    rule: str = Field(description="Rule id of the adequacy rule in `rules`")
    kind: Literal["days_at_dose", "dose_reached_and_total_days", "regimen", "cycle"]
    dose: float | None = None
    unit: DoseUnit | None = None
    per: Literal["administration", "day"] = "day"
    min_days: int = 0
    below_dose_code: InadequacyCode = InadequacyCode.dose_below_standard
    regimens: list[AdequacyRegimen] = Field(default_factory=list)
    low_dose: AdequacyRegimen | None = None


class MonitoringRule(_KB):
    """A monitoring schedule entry for an agent (ITP_REFERENCE.md 3e)."""

    code: MonitoringCode
    label: str
    when: Literal["titration", "stable", "after_stop", "always", "start"]
    interval_days: int = Field(ge=1)
    duration_days: int | None = Field(
        default=None, description="For after_stop: how long after stopping the schedule runs"
    )
    rule: str


class AgentInfo(_KB):
    """One entry of the agent catalogue (ITP_REFERENCE.md 2.1–2.4)."""

    code: AgentCode
    name: str
    brand_names: list[str] = Field(default_factory=list)
    drug_class: str
    mechanism: MechanismCategory
    secondary_mechanisms: list[MechanismCategory] = Field(default_factory=list)
    allowed_units: list[DoseUnit] = Field(min_length=1)
    start_dose: str
    max_dose: str = ""
    titration: str = ""
    evaluation_period_days: int = Field(ge=0)
    adequacy: AdequacyRule | None = None
    monitoring: list[MonitoringRule] = Field(default_factory=list)
    cautions: list[str] = Field(default_factory=list)
    patient_instructions: str = Field(default="", description="Plain language, for patients")
    citations: list[str] = Field(min_length=1)
    verification: VerificationMark
    rule: str = Field(description="Rule id of the catalogue entry (e.g. DRUG_ROMI)")


class VaccineItem(_KB):
    """An item of the splenectomy immunization checklist (ITP_REFERENCE.md 3b)."""

    code: str
    label: str
    accepts: list[VaccineCode] = Field(min_length=1)
    schedule: str = Field(description="Series and boosters, shown as information")
    rule: str


class SecondaryCauseItem(_KB):
    """An item of the secondary-causes checklist (ITP_REFERENCE.md 3f)."""

    code: str
    label: str
    tests: list[WorkupTest] = Field(min_length=1)
    rule: str


class ReasonText(_KB):
    """Text and sources of a rationale or caution code used by options."""

    code: str
    kind: Literal["rationale", "caution"]
    text: str
    citations: list[str] = Field(min_length=1)
    verification: VerificationMark


class OptionInfo(_KB):
    """A next-line option the engine may propose."""

    code: str
    label: str
    components: list[str] = Field(
        description="Agent codes or class words (tpo_ra, immunosuppressant) it contains"
    )
    rule: str


class BleedingBand(_KB):
    """A bleeding-risk band of platelet counts (ITP_REFERENCE.md 5.3)."""

    code: str
    lower: float
    upper: float | None = Field(default=None, description="Exclusive upper bound; None = open")
    meaning: str


class Thresholds(_KB):
    """Numeric thresholds; a department pack may override any of them."""

    untreated_platelets_below: float = 10
    procedure_targets: dict[ProcedureKind, float]
    procedure_window_days: int = 14
    bleeding_bands: list[BleedingBand] = Field(default_factory=list)
    treatment_target: float = 50
    prolonged_corticosteroid_days: int = 42
    rituximab_vaccine_window_days: int = 183
    splenectomy_vaccine_lead_days: int = 14
    rescue_lookback_days: int = 7
    rescue_ivig_g_per_kg: float = 1.0
    rescue_methylprednisolone_adult_mg: float = 1000
    rescue_methylprednisolone_child_mg_per_kg: float = 30
    rescue_methylprednisolone_days: int = 3
    child_age_years: int = 18
    steroid_dependence_gap_days: int = 14
    steroid_dependence_min_days: int = 60
    steroid_dependence_count_below: float = 30
    steroid_dependence_after_reduction_days: int = 30
    splenectomy_failure_min_days: int = 30
    splenectomy_failure_count_below: float = 30
    severe_disease_lookback_days: int = 90
    rescue_exclusion_days: int = 14
    anti_d_min_haemoglobin_g_dl: float = 8.0
    splenectomy_min_months_from_diagnosis: int = 12


class KnowledgePack(_KB):
    """A complete, validated knowledge pack (base pack with any overrides applied)."""

    meta: PackMeta
    overrides: list[PackMeta] = Field(default_factory=list)
    citations: dict[str, Citation]
    rules: dict[str, RuleMeta]
    agents: dict[AgentCode, AgentInfo]
    splenectomy_vaccines: list[VaccineItem]
    secondary_causes: list[SecondaryCauseItem]
    options: dict[str, OptionInfo]
    reasons: dict[str, ReasonText]
    thresholds: Thresholds
    texts: dict[str, str] = Field(
        default_factory=dict, description="Other user-facing texts (disclaimer, labels)"
    )

    def rule(self, rule_id: str) -> RuleMeta:
        """Return a rule's metadata; raises KeyError for an unknown id."""
        return self.rules[rule_id]

    def allowed_units(self) -> dict[AgentCode, frozenset[DoseUnit]]:
        """Dose units each agent allows (used to validate patient records)."""
        return {code: frozenset(info.allowed_units) for code, info in self.agents.items()}

    @model_validator(mode="after")
    def _references_resolve(self) -> Self:
        problems: list[str] = []
        for rule in self.rules.values():
            problems += [
                f"rules.{rule.id}.citations: unknown citation key {key!r}"
                for key in rule.citations
                if key not in self.citations
            ]
        missing_agents = sorted(set(AgentCode) - set(self.agents))
        if missing_agents:
            problems.append(f"agents: missing catalogue entries for {', '.join(missing_agents)}")
        for code, agent in self.agents.items():
            problems += self._agent_problems(code, agent)
        linked: list[tuple[str, str]] = [
            *((f"splenectomy_vaccines.{v.code}", v.rule) for v in self.splenectomy_vaccines),
            *((f"secondary_causes.{s.code}", s.rule) for s in self.secondary_causes),
            *((f"options.{o.code}", o.rule) for o in self.options.values()),
        ]
        problems += [
            f"{where}: unknown rule id {rule_id!r}"
            for where, rule_id in linked
            if rule_id not in self.rules
        ]
        for reason in self.reasons.values():
            problems += [
                f"reasons.{reason.code}.citations: unknown citation key {key!r}"
                for key in reason.citations
                if key not in self.citations
            ]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _agent_problems(self, code: AgentCode, agent: AgentInfo) -> list[str]:
        problems = [
            f"agents.{code}.citations: unknown citation key {key!r}"
            for key in agent.citations
            if key not in self.citations
        ]
        if agent.code != code:
            problems.append(f"agents.{code}.code: is {agent.code!r}")
        rule_ids = [agent.rule]
        if agent.adequacy is not None:
            rule_ids.append(agent.adequacy.rule)
        rule_ids += [m.rule for m in agent.monitoring]
        problems += [
            f"agents.{code}: unknown rule id {rule_id!r}"
            for rule_id in rule_ids
            if rule_id not in self.rules
        ]
        return problems

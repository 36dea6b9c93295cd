"""The engine's output: an `Assessment` (binding contract: ../shared/specs/assessment.md).

Members named in the contract keep their names, codes and meanings exactly. Extra members
(labels, explanations, evaluation windows, rule ids) are this project's and are documented in
docs/ASSESSMENT.md. Every list is produced in a stable order so that the same patient, pack
and date serialise to byte-identical JSON.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from itp_desktop.core.codes import (
    AgentCode,
    ChecklistStatus,
    InadequacyCode,
    Phase,
    ResponseCode,
    Severity,
    VerificationMark,
)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PackRef(_Out):
    """Identifies a knowledge pack: ``{id, version}``."""

    id: str
    version: str


class KnowledgeBaseRef(PackRef):
    """The pack that produced the assessment, with any department override applied."""

    overrides: list[PackRef] = Field(
        default_factory=list, description="Department packs applied over the base pack"
    )


class CountRef(_Out):
    """A platelet count reference: date and value in ×10⁹/L."""

    date: dt.date
    value: float


class EvaluationWindow(_Out):
    """Counts dated after `start` up to and including `end` are evaluated."""

    start: dt.date
    end: dt.date


class CourseAssessment(_Out):
    """Assessment of one therapy course (same order as the input courses)."""

    # --- contract members
    agent: AgentCode
    response: ResponseCode
    time_to_response_days: int | None
    loss_of_response: bool
    adequate_trial: bool | None
    inadequacy: list[InadequacyCode]
    # --- project members
    course_id: str | None = None
    start_date: dt.date
    stop_date: dt.date | None = None
    status: Literal["planned", "active", "stopped"] = Field(
        description="planned: starts after as_of; active: as_of inside its evaluation window"
    )
    window: EvaluationWindow | None = None
    baseline: CountRef | None = None
    confirmed_on: dt.date | None = Field(
        default=None, description="Second count of the earliest pair confirming the best response"
    )
    counts_in_window: int = 0
    adequacy_reasons: list[str] = Field(
        default_factory=list, description="Plain-language explanation of the adequacy verdict"
    )
    rules: list[str] = Field(default_factory=list, description="rule-id@version used")


class Finding(_Out):
    """An alert with its reasons, sources and rule."""

    code: str
    severity: Severity
    message: str
    why: list[str] = Field(description="The input facts that fired the rule")
    sources: list[str] = Field(description="Citation keys of the knowledge base")
    rule: str = Field(description="rule-id@version")
    verification: VerificationMark = VerificationMark.V
    key: str = Field(description="Stable subject key, used to suppress this finding")
    suppressed: bool = False
    suppression_reason: str | None = None
    needs_review: bool = Field(
        default=False, description="Rests on M/U facts: information for clinician review only"
    )


class ChecklistItem(_Out):
    """One checklist item."""

    code: str
    status: ChecklistStatus
    due_by: dt.date | None
    sources: list[str]
    label: str = ""
    detail: str = ""
    rule: str = ""


class Checklist(_Out):
    """A checklist; listed even when it does not apply (all items not_applicable)."""

    code: str
    items: list[ChecklistItem]
    title: str = ""
    applicable: bool = True
    rule: str = ""


class Rescue(_Out):
    """Rescue therapy for severe or life-threatening bleeding (contract: rescue)."""

    ivig_g_per_kg: float = 1.0
    ivig_total_g: float | None = Field(description="1.0 × weight, rounded; null without weight")
    methylprednisolone_mg_per_day: float | None
    methylprednisolone_days: int = 3
    platelet_transfusion: Literal["indicated", "not_routine"]
    tranexamic_acid: bool = True
    weight_kg: float | None = None
    age_years: int | None = None
    triggered_by: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    rule: str = ""


class Explanation(_Out):
    """Text and sources behind one rationale or caution code of an option."""

    code: str
    kind: Literal["rationale", "caution"]
    text: str
    sources: list[str]
    verification: VerificationMark = VerificationMark.V


class Option(_Out):
    """A ranked next-line option."""

    code: str
    rank: int = Field(ge=1)
    rationale: list[str]
    cautions: list[str]
    sources: list[str]
    label: str = ""
    explanations: list[Explanation] = Field(default_factory=list)
    rule: str = ""


class MonitoringItem(_Out):
    """A test due, with the agent or finding that asks for it."""

    code: str
    due: dt.date
    reason: str
    label: str = ""
    agent: AgentCode | None = None
    last_done: dt.date | None = None
    overdue: bool = False
    sources: list[str] = Field(default_factory=list)
    rule: str = ""


class DoseSuggestion(_Out):
    """A label-defined dose suggestion (e.g. romiplostim weekly titration step)."""

    agent: AgentCode
    code: str
    text: str
    why: list[str]
    sources: list[str]
    rule: str


class Assessment(_Out):
    """The assessment of one patient on one date by one knowledge pack."""

    # --- contract members
    as_of: dt.date
    knowledge_base: KnowledgeBaseRef
    phase: Phase | None = Field(description="null only when no diagnosis date is recorded")
    latest_platelet_count: CountRef | None
    courses: list[CourseAssessment]
    steroid_dependent: bool
    multi_refractory: bool
    findings: list[Finding]
    checklists: list[Checklist]
    rescue: Rescue | None
    options: list[Option]
    monitoring: list[MonitoringItem]
    # --- project members
    engine_version: str = ""
    input_sha256: str = Field(default="", description="Hash of the canonical patient JSON")
    dose_suggestions: list[DoseSuggestion] = Field(default_factory=list)
    disclaimer: str = ""

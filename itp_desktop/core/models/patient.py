"""The patient record: everything ../shared/specs/assessment.md lists under "Inputs".

Models are frozen pydantic v2 models with ``extra="forbid"`` so that a typo in an exchange
file is an error naming the field, not silently dropped data. Cross-field rules that need
no outside knowledge (stop ≥ start, dose steps inside the course, a plausible platelet value
for its unit) are validated here; rules that need the knowledge pack (allowed dose units) or
the clock (no results dated in the future) live in `itp_desktop.core.validation`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from itp_desktop.core.codes import (
    AgentCode,
    Candidacy,
    DoseUnit,
    Frequency,
    ItpType,
    MonitoringCode,
    PlateletUnit,
    ProcedureKind,
    RhD,
    Sex,
    StopReason,
    TestResult,
    VaccineCode,
    WorkupTest,
)
from itp_desktop.core.units import bsa_mosteller, platelet_problem, platelet_to_e9

_PARTIAL_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")

EntryId = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=4000)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _check_partial_date(value: str) -> str:
    match = _PARTIAL_DATE.match(value)
    if match is None:
        raise ValueError("must be a date YYYY-MM-DD, or YYYY-MM when the day is unknown")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError("month must be 01–12")
    if match.group(3) is not None:
        dt.date(year, month, int(match.group(3)))  # raises ValueError for 2026-02-30
    return value


PartialDate = Annotated[str, AfterValidator(_check_partial_date)]


def resolve_partial_date(value: str) -> dt.date:
    """Resolve ``YYYY-MM-DD`` or ``YYYY-MM`` to a date; a missing day is the month's last day.

    Contract (Definitions → Phase): "a missing day of month falls back to the month's last day".
    """
    match = _PARTIAL_DATE.match(value)
    if match is None:
        raise ValueError(f"not a partial date: {value!r}")
    year, month = int(match.group(1)), int(match.group(2))
    if match.group(3) is not None:
        return dt.date(year, month, int(match.group(3)))
    return dt.date(year, month, calendar.monthrange(year, month)[1])


class Diagnosis(_Model):
    """ITP diagnosis: date (day optional), primary or secondary, free-text notes."""

    date: PartialDate = Field(description="Diagnosis date, YYYY-MM-DD or YYYY-MM")
    type: ItpType = ItpType.primary
    notes: LongText = ""

    @property
    def effective_date(self) -> dt.date:
        """The diagnosis date with a missing day resolved to the month's last day."""
        return resolve_partial_date(self.date)


class RiskFactors(_Model):
    """Patient factors used by the decision framework (ITP_REFERENCE.md 4.3)."""

    prior_thrombosis: bool = False
    hepatic_impairment: bool = False
    hypertension: bool = False
    pregnancy_or_planning: bool = False
    antithrombotic_therapy: bool = Field(
        default=False, description="On an antiplatelet or anticoagulant drug"
    )
    splenectomy_candidate: Candidacy = Candidacy.unknown
    prefers_treatment_free_remission: bool = False
    needle_averse: bool = False


class WorkupResult(_Model):
    """One serology / work-up result."""

    id: EntryId | None = None
    test: WorkupTest
    result: TestResult
    date: dt.date | None = Field(default=None, description="Date of the sample, if known")
    notes: ShortText = ""


class PlateletCount(_Model):
    """One platelet count as entered; `value_e9` is the value in ×10⁹/L."""

    id: EntryId | None = None
    date: dt.date
    unit: PlateletUnit = PlateletUnit.e9_per_l
    value: float = Field(description="The number as reported by the laboratory")
    notes: ShortText = ""

    @field_validator("value")
    @classmethod
    def _plausible(cls, value: float, info: ValidationInfo) -> float:
        unit = info.data.get("unit")
        if unit is None:  # the unit itself failed validation; that error is reported
            return value
        problem = platelet_problem(value, unit)
        if problem is not None:
            raise ValueError(problem)
        return value

    @property
    def value_e9(self) -> float:
        """The count in ×10⁹/L."""
        return platelet_to_e9(self.value, self.unit)


class DoseStep(_Model):
    """A dose in force from `effective_date` until the next step (or the course's end)."""

    effective_date: dt.date
    amount: float = Field(gt=0, le=1_000_000, description="Amount per administration")
    unit: DoseUnit
    frequency: Frequency
    notes: ShortText = ""


class TherapyCourse(_Model):
    """One course of one agent; concurrent courses are separate records."""

    id: EntryId | None = None
    agent: AgentCode
    start_date: dt.date
    stop_date: dt.date | None = Field(default=None, description="Open (null) while ongoing")
    stop_reason: StopReason | None = None
    dose_steps: list[DoseStep] = Field(min_length=1)
    notes: LongText = ""

    @field_validator("stop_date")
    @classmethod
    def _stop_after_start(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("start_date")
        if value is not None and start is not None and value < start:
            raise ValueError(f"stop date {value} is before the start date {start}")
        return value

    @field_validator("stop_reason")
    @classmethod
    def _reason_needs_stop(
        cls, value: StopReason | None, info: ValidationInfo
    ) -> StopReason | None:
        if value is not None and info.data.get("stop_date") is None and "stop_date" in info.data:
            raise ValueError("a stop reason is given but the course has no stop date")
        return value

    @field_validator("dose_steps")
    @classmethod
    def _steps_inside_course(cls, steps: list[DoseStep], info: ValidationInfo) -> list[DoseStep]:
        start = info.data.get("start_date")
        stop = info.data.get("stop_date")
        if start is not None and steps and steps[0].effective_date != start:
            raise ValueError(
                f"the first dose step must start on the course start date {start} "
                f"(dose_steps[0].effective_date is {steps[0].effective_date})"
            )
        for index in range(1, len(steps)):
            if steps[index].effective_date <= steps[index - 1].effective_date:
                raise ValueError(
                    f"dose_steps[{index}].effective_date {steps[index].effective_date} must be "
                    f"after the previous step's date {steps[index - 1].effective_date}"
                )
        if stop is not None and steps and steps[-1].effective_date > stop:
            raise ValueError(
                f"dose_steps[{len(steps) - 1}].effective_date {steps[-1].effective_date} "
                f"is after the stop date {stop}"
            )
        return steps


class BleedingAssessment(_Model):
    """A bleeding assessment: WHO grade and/or ITP-BAT SMOG grades (ITPBAT2013, WHO-bleed)."""

    id: EntryId | None = None
    date: dt.date
    who_grade: int | None = Field(default=None, ge=0, le=4)
    itpbat_skin: int | None = Field(default=None, ge=0, le=5)
    itpbat_mucosa: int | None = Field(default=None, ge=0, le=5)
    itpbat_organ: int | None = Field(default=None, ge=0, le=5)
    life_threatening: bool = False
    notes: LongText = ""

    @model_validator(mode="after")
    def _has_a_grade(self) -> Self:
        grades = (self.who_grade, self.itpbat_skin, self.itpbat_mucosa, self.itpbat_organ)
        if all(g is None for g in grades) and not self.life_threatening:
            raise ValueError(
                "a bleeding assessment needs a WHO grade or at least one ITP-BAT grade"
            )
        return self

    @property
    def is_bleeding(self) -> bool:
        """WHO grade ≥ 1 or any ITP-BAT SMOG grade ≥ 1 (contract: Definitions → Bleeding)."""
        grades = (self.who_grade, self.itpbat_skin, self.itpbat_mucosa, self.itpbat_organ)
        return self.life_threatening or any(g is not None and g >= 1 for g in grades)


class Immunization(_Model):
    """One vaccine dose given."""

    id: EntryId | None = None
    vaccine: VaccineCode
    date: dt.date
    product: ShortText = Field(default="", description="Brand or product, e.g. PCV20")
    notes: ShortText = ""


class Procedure(_Model):
    """A procedure; dated after `as_of` it is planned, otherwise done (contract: Dates)."""

    id: EntryId | None = None
    kind: ProcedureKind
    date: dt.date
    notes: ShortText = ""


class MonitoringRecord(_Model):
    """A monitoring test or check done (liver tests, blood pressure, …) with its result text.

    Platelet counts are recorded as `PlateletCount`; they also satisfy ``platelet_count`` and
    ``cbc`` monitoring.
    """

    id: EntryId | None = None
    code: MonitoringCode
    date: dt.date
    result: ShortText = Field(default="", description="Result as text, e.g. 'ALT 35 U/L'")


class Patient(_Model):
    """A patient's ITP record.

    `id` is the stable identifier (the store assigns one when absent); `mrn` is the hospital's
    medical record number. Lists keep input order; the engine's output follows it.
    """

    id: EntryId | None = None
    mrn: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    family_name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
    ]
    given_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""
    birth_date: dt.date
    sex: Sex = Sex.unknown
    weight_kg: float | None = Field(default=None, ge=0.5, le=400)
    height_cm: float | None = Field(default=None, ge=30, le=250)
    east_southeast_asian_ancestry: bool = False
    rh_d: RhD = RhD.unknown
    haemoglobin_g_dl: float | None = Field(default=None, ge=1, le=25)
    diagnosis: Diagnosis | None = None
    risk_factors: RiskFactors = RiskFactors()
    workup: list[WorkupResult] = []
    platelet_counts: list[PlateletCount] = []
    courses: list[TherapyCourse] = []
    bleeding: list[BleedingAssessment] = []
    immunizations: list[Immunization] = []
    procedures: list[Procedure] = []
    monitoring: list[MonitoringRecord] = []
    notes: LongText = ""
    archived: bool = False

    @field_validator("birth_date")
    @classmethod
    def _birth_date_plausible(cls, value: dt.date) -> dt.date:
        if value.year < 1900:
            raise ValueError("birth date must be in 1900 or later")
        return value

    @model_validator(mode="after")
    def _after_birth(self) -> Self:
        if self.diagnosis is not None and self.diagnosis.effective_date < self.birth_date:
            # A YYYY-MM diagnosis in the birth month resolves to the month's end: still fine.
            raise ValueError(
                f"diagnosis.date {self.diagnosis.date} is before the birth date {self.birth_date}"
            )
        return self

    @property
    def bsa_m2(self) -> float | None:
        """Body-surface area by Mosteller, or None without weight and height."""
        if self.weight_kg is None or self.height_cm is None:
            return None
        return bsa_mosteller(self.weight_kg, self.height_cm)

    @property
    def display_name(self) -> str:
        """``FAMILY, Given`` for lists and headers."""
        return f"{self.family_name.upper()}, {self.given_name}".rstrip(", ")

    def age_years(self, on: dt.date) -> int:
        """Completed years of age on `on`."""
        years = on.year - self.birth_date.year
        if (on.month, on.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class PatientSummary(_Model):
    """One row of the patient registry (search results)."""

    id: str
    mrn: str
    family_name: str
    given_name: str
    birth_date: dt.date
    archived: bool = False
    latest_count_e9: float | None = Field(
        default=None, description="Latest platelet count in ×10⁹/L (registry hint)"
    )
    latest_count_date: dt.date | None = None
    active_agents: list[str] = Field(
        default_factory=list, description="Agents running on the day of the last save (a hint)"
    )

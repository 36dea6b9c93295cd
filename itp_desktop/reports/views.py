"""The frozen view models of a report context (what every printed document shows).

Each model holds display-ready text, dates and numbers; `itp_desktop.reports.context` builds
them from a patient and its assessment, and the renderers only lay them out. They are frozen
pydantic models so a context can be compared, hashed and serialised (the logo as base64).

May import: stdlib, pydantic, core.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from itp_desktop.core.codes import ChecklistStatus, Severity, VerificationMark

ReportKind = Literal["clinician", "patient", "card", "vaccines"]
Paper = Literal["a4", "letter"]

REPORT_KINDS: tuple[ReportKind, ...] = ("clinician", "patient", "card", "vaccines")
PAPERS: tuple[Paper, ...] = ("a4", "letter")


class _Ctx(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_bytes="base64")


class SiteInfo(_Ctx):
    """The department printed in every header (from the department configuration).

    Attributes:
        name: hospital or clinic name.
        department: department or service, e.g. "Haematology".
        phone: the number patients and emergency teams call.
        logo_path: optional PNG logo; a missing or unreadable file is reported, not fatal.
    """

    name: str = Field(min_length=1, max_length=200)
    department: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=60)
    logo_path: Path | None = None


class Header(_Ctx):
    """Site and patient identifiers printed at the top of every page."""

    site_name: str
    site_department: str
    site_phone: str
    logo_png: bytes | None
    patient_name: str
    mrn: str
    birth_text: str
    age_text: str


class Stamp(_Ctx):
    """Traceability footer: which pack, which day, which data, when printed."""

    pack: str
    overrides: str
    as_of: dt.date
    as_of_text: str
    snapshot: str = Field(description="First 12 hex digits of the data-snapshot hash")
    snapshot_sha256: str = Field(description="The full hash (assessment.input_sha256)")
    generated_text: str
    engine_version: str
    disclaimer: str

    def line(self) -> str:
        """The stamp as one line of text."""
        pack = self.pack + (f" + {self.overrides}" if self.overrides else "")
        return (
            f"Knowledge pack {pack} · Assessment as of {self.as_of_text} · "
            f"Data snapshot {self.snapshot} · Generated {self.generated_text}"
        )


class PatientView(_Ctx):
    """Demographics and diagnosis as printed on the clinician plan."""

    name: str
    mrn: str
    birth_text: str
    age_years: int
    age_text: str
    sex_text: str
    weight_text: str
    height_text: str
    bsa_text: str
    rh_text: str
    haemoglobin_text: str
    diagnosis_text: str
    risk_factors: list[str]
    is_child: bool


class RescueView(_Ctx):
    """The engine's rescue block (present only while rescue applies)."""

    lines: list[str]
    triggered_by: list[str]
    notes: list[str]
    sources: list[str]
    rule: str


class StatusView(_Ctx):
    """Phase and current status."""

    phase_text: str
    phase_detail: str
    latest_count_text: str
    latest_band_text: str
    active_therapy: list[str]
    planned_therapy: list[str]
    steroid_dependent: bool
    multi_refractory: bool
    asplenia_text: str
    splenectomised: bool
    latest_bleeding_text: str


class CountPoint(_Ctx):
    """One platelet count on the timeline (×10⁹/L)."""

    day: dt.date
    value: float


class Bar(_Ctx):
    """One course on a therapy lane."""

    start: dt.date
    end: dt.date
    ongoing: bool
    planned: bool
    ticks: list[dt.date] = Field(description="Dose-change dates after the first step")


class Lane(_Ctx):
    """One agent's row of therapy bars."""

    label: str
    group: Literal["steroid", "tpo", "rituximab", "rescue", "other"]
    bars: list[Bar]


class Marker(_Ctx):
    """A dated event drawn above the therapy lanes."""

    day: dt.date
    kind: Literal["bleeding", "vaccine", "procedure"]
    label: str
    strong: bool = False
    planned: bool = False


class Timeline(_Ctx):
    """Data of the ITP timeline chart."""

    start: dt.date
    end: dt.date
    as_of: dt.date
    log_scale: bool
    counts: list[CountPoint]
    bands: list[float]
    lanes: list[Lane]
    markers: list[Marker]
    notes: list[str]


class CourseRow(_Ctx):
    """One row of the therapy history table."""

    agent: str
    dates_text: str
    dose_text: str
    response_text: str
    ttr_text: str
    adequacy_text: str
    adequacy_reasons: list[str]
    adequacy_rules: list[str]
    adequacy_note: str = Field(
        default="", description="The adequacy rule's message when the verdict needs its nuance"
    )
    needs_review: bool = False
    stop_text: str


class FindingView(_Ctx):
    """A finding with everything that justifies it."""

    severity: Severity
    message: str
    why: list[str]
    sources: list[str]
    rule: str
    mark: VerificationMark
    needs_review: bool
    suppression_reason: str | None = None


class ChecklistItemView(_Ctx):
    """One checklist line."""

    label: str
    status: ChecklistStatus
    status_text: str
    due_text: str
    detail: str
    sources: list[str]


class ChecklistView(_Ctx):
    """A checklist and its items."""

    title: str
    applicable: bool
    rule: str
    items: list[ChecklistItemView]


class ReasonView(_Ctx):
    """A rationale or caution of an option, with its sources and mark."""

    text: str
    sources: list[str]
    mark: VerificationMark | None


class OptionView(_Ctx):
    """A ranked next-line option."""

    rank: int
    label: str
    rationale: list[ReasonView]
    cautions: list[ReasonView]
    sources: list[str]
    rule: str
    needs_review: bool


class MonitoringView(_Ctx):
    """A test due."""

    due: dt.date
    due_text: str
    label: str
    reason: str
    last_done_text: str
    overdue: bool
    sources: list[str]
    rule: str


class DoseSuggestionView(_Ctx):
    """A label-defined dose suggestion."""

    agent: str
    text: str
    why: list[str]
    sources: list[str]
    rule: str


class ReferenceView(_Ctx):
    """A full citation of a source key."""

    key: str
    reference: str
    locator: str


class MedicineView(_Ctx):
    """A medicine the patient takes now, in plain language."""

    name: str
    dose_text: str
    how_text: str
    since_text: str


class DatedLine(_Ctx):
    """A dated line of the patient plan (a test, an appointment, a vaccine)."""

    date_text: str
    text: str
    overdue: bool = False


class PatientPlan(_Ctx):
    """The plain-language patient plan."""

    plain_name: str = Field(description="Given name first, as a patient writes it")
    issued_text: str
    latest_text: str
    target_text: str
    medicines: list[MedicineView]
    tests: list[DatedLine]
    appointments: list[DatedLine]
    vaccines_due: list[DatedLine]
    splenectomised: bool
    missing: list[str]


class CardView(_Ctx):
    """The emergency wallet card."""

    name: str
    birth_text: str
    usual_range_text: str
    therapy_lines: list[str]
    asplenia_text: str
    antibiotic_text: str
    rescue_lines: list[str]
    sources_text: str
    clinic_name: str
    clinic_phone: str
    issued_text: str


class VaccineItemView(_Ctx):
    """One vaccine of the splenectomy immunization checklist."""

    label: str
    status: ChecklistStatus
    status_text: str
    due_text: str
    doses_text: str
    schedule: str
    rule: str


class VaccineDoseView(_Ctx):
    """One vaccine dose on record."""

    date_text: str
    vaccine: str
    product: str
    notes: str


class VaccineRecord(_Ctx):
    """The vaccination record for asplenia / pre-splenectomy."""

    applicable: bool
    status_text: str
    items: list[VaccineItemView]
    doses: list[VaccineDoseView]
    notes: list[str]
    references: list[ReferenceView]


class ReportContext(_Ctx):
    """Everything the four documents print; built once by `build_context`."""

    language: str
    generated_at: dt.datetime
    header: Header
    stamp: Stamp
    patient: PatientView
    status: StatusView
    rescue: RescueView | None
    timeline: Timeline
    courses: list[CourseRow]
    findings: list[FindingView]
    suppressed: list[FindingView]
    checklists: list[ChecklistView]
    options: list[OptionView]
    monitoring: list[MonitoringView]
    dose_suggestions: list[DoseSuggestionView]
    references: list[ReferenceView]
    review: list[str] = Field(description="Items that need clinician review (marks M/U, unknown)")
    missing: list[str] = Field(description="Data the documents could not show, and why")
    patient_plan: PatientPlan
    card: CardView
    vaccine_record: VaccineRecord

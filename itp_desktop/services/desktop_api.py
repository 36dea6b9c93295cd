"""What the desktop window may ask of the services: protocols and plain result models.

The GUI imports this module (and `itp_desktop.services.api`) only, never the concrete services:
those import the store, the engine and the knowledge loader, which import-linter forbids the GUI
even indirectly. `itp_desktop.services.desktop.DesktopServicesImpl` satisfies `DesktopServices`
structurally; GUI tests pass the real implementation over a temporary store or small fakes.
Result models here are frozen pydantic models holding display-ready facts; no rule is computed
in the GUI. May import: core, settings, pydantic, stdlib.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from itp_desktop.core.changes import ChangeSet
from itp_desktop.core.codes import Phase, StopReason
from itp_desktop.core.models.assessment import Assessment, Checklist, CountRef, Finding, Rescue
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.models.patient import (
    BleedingAssessment,
    DoseStep,
    Immunization,
    MonitoringRecord,
    Patient,
    PatientSummary,
    PlateletCount,
    Procedure,
    TherapyCourse,
    WorkupResult,
)
from itp_desktop.core.models.records import BackupInfo, VerifyReport
from itp_desktop.services.api import AppInfo
from itp_desktop.settings import Settings

Progress = Callable[[int, int], None]
"""progress(done, total), called from the worker thread."""
Cancelled = Callable[[], bool]
"""Returns True once the user asked to cancel; long loops poll it."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PatientOverview(_Frozen):
    """One registry row's clinical summary, computed from the patient's assessment.

    Attributes:
        patient_id: the patient.
        phase: IWG phase, or None without a diagnosis date.
        latest_count: latest platelet count (×10⁹/L) on or before today.
        active_therapy: plain-language names of the courses active today.
        top_finding: the most severe finding that is not suppressed, if any.
        open_findings: how many findings are not suppressed.
        rescue: True while a recent bleeding assessment calls for rescue therapy.
        problem: why the summary could not be computed (the row still shows the patient).
    """

    patient_id: str
    phase: Phase | None = None
    latest_count: CountRef | None = None
    active_therapy: list[str] = Field(default_factory=list)
    top_finding: Finding | None = None
    open_findings: int = 0
    rescue: bool = False
    problem: str | None = None


class RescuePlan(_Frozen):
    """What the bleeding-rescue screen shows for one patient at one moment.

    Attributes:
        patient_id: the patient.
        computed_at: when the plan was computed (the clock's now).
        recorded: True when the qualifying bleeding assessment is already in the record; False
            when the plan was computed from the draft assessment the screen passed in.
        bleeding: the qualifying bleeding assessment (recorded or draft).
        rescue: doses, transfusion rule and notes from the assessment (None when the draft does
            not qualify: WHO grade below 3 and not life-threatening).
        checklist: the ``bleeding_rescue`` checklist of the same assessment.
        weight_kg: the weight the doses were computed with.
        latest_count: the latest platelet count.
        citations: full references of the rescue sources, keyed by citation key.
    """

    patient_id: str
    computed_at: dt.datetime
    recorded: bool
    bleeding: BleedingAssessment | None
    rescue: Rescue | None
    checklist: Checklist | None
    weight_kg: float | None
    latest_count: CountRef | None
    citations: dict[str, str] = Field(default_factory=dict)


class RescueStepRecord(_Frozen):
    """A rescue checklist step ticked on the screen, as written to the audit log."""

    patient_id: str
    step: str
    label: str
    at: dt.datetime


WorklistKind = Literal["monitoring", "vaccine", "lost_to_follow_up", "checklist", "problem"]


class WorklistItem(_Frozen):
    """One thing due or overdue for one patient.

    Attributes:
        patient_id: the patient.
        mrn: medical record number.
        name: ``FAMILY, Given``.
        kind: monitoring test, vaccine before splenectomy, lost to follow-up, another checklist
            item, or a patient whose assessment failed (`problem`).
        code: the test, checklist item or reason code (shown with `label`).
        label: plain-language description of what is due.
        due: due date, if any.
        overdue: True when `due` has passed.
        detail: why it is due (agent, last done, schedule).
        rule: ``rule-id@version`` that asks for it (empty for the worklist's own rule).
    """

    patient_id: str
    mrn: str
    name: str
    kind: WorklistKind
    code: str
    label: str
    due: dt.date | None = None
    overdue: bool = False
    detail: str = ""
    rule: str = ""


class Worklist(_Frozen):
    """The worklist across all patients on one day."""

    as_of: dt.date
    items: list[WorklistItem]
    patients_checked: int
    cancelled: bool = False


class RestoreSummary(_Frozen):
    """What a restore did: the file now in use and the backup of the store it replaced."""

    restored_from: str
    replaced_backup: str | None


class DataFolders(_Frozen):
    """Folders of the installation, shown in the settings dialog."""

    data_dir: str
    store_path: str
    backup_dir: str
    log_dir: str
    reports_dir: str
    settings_path: str


class PatientAccess(Protocol):
    """The patient registry: search, read, create, update, archive."""

    def search(
        self,
        query: str = "",
        *,
        limit: int = 100,
        offset: int = 0,
        include_archived: bool = False,
    ) -> list[PatientSummary]:
        """Patients matching a name fragment, MRN or birth date, in registry order."""
        ...

    def count(self, query: str = "", *, include_archived: bool = False) -> int:
        """How many patients `search` would return without a limit."""
        ...

    def get(self, patient_id: str) -> Patient:
        """One patient's full record. Raises NotFound."""
        ...

    def create(self, data: Patient | dict[str, Any]) -> ChangeSet:
        """Validate and store a new patient. Raises ValidationFailed."""
        ...

    def update(self, data: Patient | dict[str, Any], *, base: Patient | None = None) -> ChangeSet:
        """Validate and replace a patient's record; with `base`, refuse if it changed since.

        Raises ValidationFailed, NotFound, ConcurrentChange.
        """
        ...

    def archive(self, patient_id: str) -> ChangeSet:
        """Hide a patient from the registry (never deleted)."""
        ...

    def unarchive(self, patient_id: str) -> ChangeSet:
        """Bring an archived patient back."""
        ...


class RecordAccess(Protocol):
    """Adds and corrects entries of one patient's record (each call one audited save)."""

    def add_count(self, patient_id: str, count: PlateletCount) -> ChangeSet:
        """Add a platelet count."""
        ...

    def correct_count(self, patient_id: str, count: PlateletCount) -> ChangeSet:
        """Replace the count with the same id (the audit log keeps the old value)."""
        ...

    def add_course(self, patient_id: str, course: TherapyCourse) -> ChangeSet:
        """Add a therapy course."""
        ...

    def change_dose(self, patient_id: str, course_id: str, step: DoseStep) -> ChangeSet:
        """Add a dose step (titration) to a course."""
        ...

    def stop_course(
        self, patient_id: str, course_id: str, stop_date: dt.date, reason: StopReason
    ) -> ChangeSet:
        """Stop a course on a date with a reason."""
        ...

    def add_bleeding(self, patient_id: str, bleeding: BleedingAssessment) -> ChangeSet:
        """Add a bleeding assessment."""
        ...

    def add_immunization(self, patient_id: str, immunization: Immunization) -> ChangeSet:
        """Add a vaccine dose."""
        ...

    def add_workup(self, patient_id: str, result: WorkupResult) -> ChangeSet:
        """Add a work-up (serology) result."""
        ...

    def add_procedure(self, patient_id: str, procedure: Procedure) -> ChangeSet:
        """Add a procedure (done or planned)."""
        ...

    def add_monitoring(self, patient_id: str, record: MonitoringRecord) -> ChangeSet:
        """Add a monitoring test result (liver tests, blood pressure, …)."""
        ...

    def set_weight(self, patient_id: str, weight_kg: float) -> ChangeSet:
        """Record a newly measured weight (kg)."""
        ...


class AssessmentAccess(Protocol):
    """Assessments and finding suppressions."""

    def assess(self, patient_id: str, as_of: dt.date | None = None) -> Assessment:
        """Assess a stored patient (default today) with their suppressions."""
        ...

    def suppress(self, patient_id: str, finding_key: str, rule: str, reason: str) -> ChangeSet:
        """Suppress a finding with a written reason (audited)."""
        ...

    def unsuppress(self, patient_id: str, finding_key: str) -> ChangeSet:
        """Show a suppressed finding again (audited)."""
        ...


class OverviewAccess(Protocol):
    """Registry summaries."""

    def overview(self, patient_id: str) -> PatientOverview:
        """Phase, latest count, active therapy and most severe open finding of a patient."""
        ...


class RescueAccess(Protocol):
    """The bleeding-rescue screen."""

    def plan(
        self,
        patient_id: str,
        draft: BleedingAssessment | None = None,
        weight_kg: float | None = None,
    ) -> RescuePlan:
        """The rescue plan from the recorded episode, or from `draft` when none is recorded."""
        ...

    def record_step(self, patient_id: str, step: str, label: str) -> RescueStepRecord:
        """Write a ticked step with the clock's time to the audit log."""
        ...

    def record_episode(
        self, patient_id: str, bleeding: BleedingAssessment, weight_kg: float | None = None
    ) -> ChangeSet:
        """Save the episode's bleeding assessment (and a newly measured weight)."""
        ...


class WorklistAccess(Protocol):
    """The cross-patient worklist."""

    def compute(
        self, progress: Progress | None = None, cancelled: Cancelled | None = None
    ) -> Worklist:
        """What is due or overdue across all patients (slow: run in a background task)."""
        ...


class StoreAccess(Protocol):
    """Backups and integrity checks."""

    def backup(self) -> BackupInfo:
        """Write a backup now."""
        ...

    def list_backups(self) -> list[BackupInfo]:
        """Backups on disk, newest first."""
        ...

    def verify(self) -> VerifyReport:
        """Check the store, its backups and the audit chain."""
        ...

    def restore(self, backup_file: Path) -> RestoreSummary:
        """Replace the store with a verified backup (the replaced store is kept)."""
        ...


class SettingsAccess(Protocol):
    """The typed user settings."""

    def current(self) -> Settings:
        """The settings in force."""
        ...

    def save(self, settings: Settings) -> ChangeSet:
        """Validate and save settings atomically."""
        ...

    def remember_patient(self, patient_id: str) -> Settings:
        """Put a patient first in the recent-patients list and save."""
        ...

    def folders(self) -> DataFolders:
        """Folders of the installation."""
        ...


ReportKindName = Literal["clinician", "patient", "card", "vaccines"]
PaperName = Literal["a4", "letter"]


class ReportPreview(_Frozen):
    """A report rendered in memory for the preview (nothing written yet).

    Attributes:
        token: identifies the rendering when its printing is audited.
        patient_id: whose report it is.
        kind: clinician, patient, card or vaccines.
        paper: a4 or letter.
        pdf: the PDF bytes.
    """

    token: str
    patient_id: str
    kind: ReportKindName
    paper: PaperName
    pdf: bytes


class ReportAccess(Protocol):
    """Printed care plans."""

    def write(
        self, patient_id: str, kind: ReportKindName, paper: PaperName, out_path: Path
    ) -> Path:
        """Render one report to `out_path` (atomic) and audit it."""
        ...

    def preview(self, patient_id: str, kind: ReportKindName, paper: PaperName) -> ReportPreview:
        """Render one report in memory for the preview."""
        ...

    def record_print(self, token: str, printer: str) -> None:
        """Audit that a previewed report was sent to a printer."""
        ...


class DesktopServices(Protocol):
    """Everything the desktop window uses."""

    @property
    def patients(self) -> PatientAccess:
        """The patient registry."""
        ...

    @property
    def records(self) -> RecordAccess:
        """Entry-level changes to a patient's record."""
        ...

    @property
    def assessment(self) -> AssessmentAccess:
        """Assessments and suppressions."""
        ...

    @property
    def overview(self) -> OverviewAccess:
        """Registry summaries."""
        ...

    @property
    def rescue(self) -> RescueAccess:
        """Bleeding rescue."""
        ...

    @property
    def worklist(self) -> WorklistAccess:
        """The worklist."""
        ...

    @property
    def store(self) -> StoreAccess:
        """Backups, restore, verify."""
        ...

    @property
    def settings(self) -> SettingsAccess:
        """User settings."""
        ...

    @property
    def reports(self) -> ReportAccess | None:
        """Printed reports, or None when the report service is not installed."""
        ...

    def app_info(self) -> AppInfo:
        """Version, store path and knowledge pack in use."""
        ...

    def pack(self) -> KnowledgePack:
        """The knowledge pack in use (labels, agent names, full citations)."""
        ...

    def today(self) -> dt.date:
        """Today from the injected clock."""
        ...

    def now(self) -> dt.datetime:
        """Now (UTC) from the injected clock."""
        ...

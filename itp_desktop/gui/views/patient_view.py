"""`PatientView`: the open patient's chart (header and tabs) and the controller keeping it current.

Opening a patient reads the record and its assessment through the services (a few milliseconds,
measured; kept on the GUI thread) and hands them to every tab: timeline, therapy lines, counts,
bleeding & vaccines, and the assessment panel. `AppEvents.data_changed` for this patient reloads
both, so the assessment panel refreshes after every save. Requests from the tabs go to
`gui.operations`; this view holds no clinical rule. May import: PySide6, core, services API,
services.display, gui.*.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from itp_desktop.core.changes import ChangeSet
from itp_desktop.core.codes import PlateletUnit, VaccineCode, WorkupTest
from itp_desktop.core.errors import ItpError, NotFound
from itp_desktop.core.models.assessment import Assessment, Finding
from itp_desktop.core.models.patient import Patient, PlateletCount, TherapyCourse
from itp_desktop.gui.operations import assessment as assessment_ops
from itp_desktop.gui.operations import records
from itp_desktop.gui.operations.context import OperationContext
from itp_desktop.gui.views.assessment_view import AssessmentView
from itp_desktop.gui.views.counts_view import CountsView
from itp_desktop.gui.views.patient_header import PatientHeader
from itp_desktop.gui.views.record_view import RecordView
from itp_desktop.gui.views.therapy_view import TherapyView
from itp_desktop.gui.views.timeline_view import TimelineView
from itp_desktop.services.display import Labels

log = logging.getLogger(__name__)

TAB_TIMELINE = 0
TAB_THERAPY = 1
TAB_COUNTS = 2
TAB_RECORD = 3


class PatientView(QWidget):
    """The open patient's chart.

    Signals:
        patient_loaded(str): a patient was (re)loaded; payload is the id.
        closed(): the open patient is gone (archived or missing after a restore).
    """

    patient_loaded = Signal(str)
    closed = Signal()

    def __init__(
        self,
        ctx: OperationContext,
        assessment_view: AssessmentView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._assessment_view = assessment_view
        self._labels = Labels(ctx.services.pack())
        self.patient: Patient | None = None
        self.assessment: Assessment | None = None
        today = ctx.services.today()
        self.header = PatientHeader()
        self.empty_hint = QLabel("Open a patient from the registry (Ctrl+1) to see the chart.")
        self.timeline = TimelineView(self._labels)
        self.therapy = TherapyView(self._labels)
        self.counts = CountsView(today)
        self.record = RecordView(self._labels)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.timeline, "&1 Timeline")
        self.tabs.addTab(self.therapy, "&2 Therapy lines")
        self.tabs.addTab(self.counts, "&3 Counts")
        self.tabs.addTab(self.record, "&4 Bleeding, vaccines, work-up")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.tabs, 1)
        self._set_open(False)
        self.therapy.add_requested.connect(self.add_course)
        self.therapy.dose_requested.connect(self._on_therapy_dose_requested)
        self.therapy.stop_requested.connect(self._on_therapy_stop_requested)
        self.counts.count_entered.connect(self._on_counts_count_entered)
        self.counts.correct_requested.connect(self._on_counts_correct_requested)
        self.record.add_requested.connect(self.add_entry)
        assessment_view.suppress_requested.connect(self._on_suppress_requested)
        assessment_view.unsuppress_requested.connect(self._on_unsuppress_requested)
        assessment_view.vaccine_requested.connect(self._on_vaccine_requested)
        assessment_view.workup_requested.connect(self._on_workup_requested)
        ctx.events.data_changed.connect(self._on_data_changed)
        ctx.events.settings_changed.connect(self._on_settings_changed)
        ctx.events.store_replaced.connect(self.reload)

    # ------------------------------------------------------------------ public API
    @property
    def patient_id(self) -> str | None:
        return self.patient.id if self.patient is not None else None

    def open_patient(self, patient_id: str) -> bool:
        """Load and show a patient; False (with the error shown) when it cannot be read."""
        try:
            patient = self._ctx.services.patients.get(patient_id)
        except ItpError as exc:
            self._ctx.show_error(exc)
            return False
        self.patient = patient
        self._assess_and_show()
        self.patient_loaded.emit(patient_id)
        return True

    def reload(self) -> None:
        """Read the open patient again (after a change or a restore)."""
        if self.patient is None or self.patient.id is None:
            return
        try:
            self.patient = self._ctx.services.patients.get(self.patient.id)
        except NotFound:
            self.close_patient()
            return
        except ItpError as exc:
            self._ctx.events.status_message.emit(exc.message)
            return
        self._assess_and_show()

    def close_patient(self) -> None:
        self.patient = None
        self.assessment = None
        self._set_open(False)
        self._assessment_view.show_assessment(None, "Open a patient to see their assessment.")
        self.closed.emit()

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        if index == TAB_COUNTS:
            self.counts.focus_entry()

    # ------------------------------------------------------------------ requests
    def add_course(self) -> None:
        if self.patient_id:
            records.add_course(self._ctx, self.patient_id)

    def change_dose(self) -> None:
        course = self.therapy.ongoing_course()
        if self.patient_id and course is not None and course.stop_date is None:
            records.change_dose(self._ctx, self.patient_id, course)
        else:
            self.show_tab(TAB_THERAPY)
            self._ctx.events.status_message.emit("Select the ongoing course to change its dose.")

    def stop_course(self) -> None:
        course = self.therapy.ongoing_course()
        if self.patient_id and course is not None and course.stop_date is None:
            records.stop_course(self._ctx, self.patient_id, course)
        else:
            self.show_tab(TAB_THERAPY)
            self._ctx.events.status_message.emit("Select the ongoing course to stop.")

    def add_entry(self, kind: str) -> None:
        """Open the entry dialog of one kind (bleeding, vaccine, workup, procedure, monitoring)."""
        patient_id = self.patient_id
        if not patient_id:
            return
        openers: dict[str, Callable[[OperationContext, str], object]] = {
            "bleeding": records.add_bleeding,
            "vaccine": records.add_immunization,
            "workup": records.add_workup,
            "procedure": records.add_procedure,
            "monitoring": records.add_monitoring,
        }
        openers[kind](self._ctx, patient_id)

    # ------------------------------------------------------------------ helpers
    def _set_open(self, is_open: bool) -> None:
        self.header.setVisible(is_open)
        self.tabs.setVisible(is_open)
        self.empty_hint.setVisible(not is_open)

    def _display_unit(self) -> PlateletUnit:
        return PlateletUnit(self._ctx.services.settings.current().platelet_display_unit)

    def _assess_and_show(self) -> None:
        patient = self.patient
        if patient is None or patient.id is None:
            return
        services = self._ctx.services
        today = services.today()
        problem = ""
        try:
            self.assessment = services.assessment.assess(patient.id)
        except ItpError as exc:
            # The record stays usable even when the knowledge pack cannot assess it.
            self.assessment = None
            problem = f"The assessment could not be computed: {exc.message}"
            log.warning("Assessment failed for %s: %s", patient.id, exc.message)
        self._set_open(True)
        self.header.show_patient(patient, self.assessment, self._labels, today)
        self.timeline.show_patient(patient, today)
        self.therapy.show_patient(patient, self.assessment, today)
        self.counts.show_patient(patient, self._display_unit())
        self.record.show_patient(patient, today)
        self._assessment_view.show_assessment(self.assessment, problem)

    # ------------------------------------------------------------------ slots
    def _on_data_changed(self, changes: ChangeSet) -> None:
        patient_id = self.patient_id
        if patient_id is None:
            return
        if patient_id in changes.removed:
            self.close_patient()
        elif patient_id in changes.patients:
            self.reload()

    def _on_settings_changed(self, _settings: object) -> None:
        if self.patient is not None:
            self.counts.show_patient(self.patient, self._display_unit())

    def _on_therapy_dose_requested(self, course: TherapyCourse) -> None:
        if self.patient_id:
            records.change_dose(self._ctx, self.patient_id, course)

    def _on_therapy_stop_requested(self, course: TherapyCourse) -> None:
        if self.patient_id:
            records.stop_course(self._ctx, self.patient_id, course)

    def _on_counts_count_entered(self, count: PlateletCount) -> None:
        patient_id = self.patient_id
        if not patient_id:
            return

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ItpError):
                self.counts.show_error(exc.message)
            else:
                self._ctx.show_error(exc)

        records.save_count(
            self._ctx,
            patient_id,
            count,
            on_done=lambda _changes: self.counts.entry_saved(),
            on_error=failed,
        )

    def _on_counts_correct_requested(self, count: PlateletCount) -> None:
        if self.patient_id:
            records.correct_count(self._ctx, self.patient_id, count)

    def _on_suppress_requested(self, finding: Finding) -> None:
        if self.patient_id:
            assessment_ops.suppress(self._ctx, self.patient_id, finding)

    def _on_unsuppress_requested(self, finding: Finding) -> None:
        if self.patient_id:
            assessment_ops.unsuppress(self._ctx, self.patient_id, finding)

    def _on_vaccine_requested(self, vaccine: VaccineCode | None) -> None:
        if self.patient_id:
            records.add_immunization(self._ctx, self.patient_id, vaccine)

    def _on_workup_requested(self, test: WorkupTest | None) -> None:
        if self.patient_id:
            records.add_workup(self._ctx, self.patient_id, test)

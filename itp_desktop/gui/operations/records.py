"""Record operations: counts, therapy courses, bleeding, vaccines, work-up, procedures, monitoring.

Each function opens the entry dialog (pre-filled when a checklist item asks for a specific
vaccine or test) and saves the result through `RecordAccess`; or, for the inline count entry,
saves a ready `PlateletCount` and reports back so the entry row can keep its content on failure.
May import: PySide6, core, services API, gui.dialogs, gui.operations.
"""

from __future__ import annotations

from itp_desktop.core.codes import AgentCode, MonitoringCode, ProcedureKind, VaccineCode, WorkupTest
from itp_desktop.core.models.patient import Patient, PlateletCount, TherapyCourse
from itp_desktop.gui.dialogs.bleeding_dialog import BleedingDialog
from itp_desktop.gui.dialogs.count_dialog import CountDialog
from itp_desktop.gui.dialogs.course_dialog import CourseDialog
from itp_desktop.gui.dialogs.dose_change_dialog import DoseChangeDialog
from itp_desktop.gui.dialogs.entry_dialogs import (
    ImmunizationDialog,
    MonitoringDialog,
    ProcedureDialog,
    WorkupDialog,
)
from itp_desktop.gui.dialogs.stop_course_dialog import StopCourseDialog
from itp_desktop.gui.operations.context import (
    OnChanged,
    OnFailed,
    OperationContext,
    edit_with_dialog,
    mutate,
)
from itp_desktop.gui.tasks import TaskHandle


def save_count(
    ctx: OperationContext,
    patient_id: str,
    count: PlateletCount,
    *,
    on_done: OnChanged | None = None,
    on_error: OnFailed | None = None,
) -> TaskHandle:
    """Save a count typed in the inline entry row."""
    return mutate(
        ctx,
        lambda: ctx.services.records.add_count(patient_id, count),
        success=f"Count {count.value:g} on {count.date.isoformat()} saved.",
        on_done=on_done,
        on_error=on_error,
    )


def correct_count(ctx: OperationContext, patient_id: str, count: PlateletCount) -> CountDialog:
    """Correct a recorded count (the audit trail keeps the old value)."""
    dialog = CountDialog(count, ctx.parent)
    edit_with_dialog(
        ctx,
        dialog,
        lambda corrected: ctx.services.records.correct_count(patient_id, corrected),
        success="Count corrected; the previous value is kept in the audit trail.",
    )
    return dialog


def add_course(
    ctx: OperationContext, patient_id: str, agent: AgentCode | None = None
) -> CourseDialog:
    """Start a therapy course."""
    dialog = CourseDialog(ctx.services.pack(), ctx.services.today(), ctx.parent, agent=agent)
    edit_with_dialog(
        ctx,
        dialog,
        lambda course: ctx.services.records.add_course(patient_id, course),
        success="Therapy course saved.",
    )
    return dialog


def change_dose(ctx: OperationContext, patient_id: str, course: TherapyCourse) -> DoseChangeDialog:
    """Record a dose change (titration) of a course."""
    dialog = DoseChangeDialog(course, ctx.services.pack(), ctx.services.today(), ctx.parent)
    course_id = course.id or ""
    edit_with_dialog(
        ctx,
        dialog,
        lambda step: ctx.services.records.change_dose(patient_id, course_id, step),
        success="Dose change saved.",
    )
    return dialog


def stop_course(ctx: OperationContext, patient_id: str, course: TherapyCourse) -> StopCourseDialog:
    """Stop a course with its date and reason."""
    dialog = StopCourseDialog(course, ctx.services.pack(), ctx.services.today(), ctx.parent)
    course_id = course.id or ""
    edit_with_dialog(
        ctx,
        dialog,
        lambda stop: ctx.services.records.stop_course(
            patient_id, course_id, stop.stop_date, stop.reason
        ),
        success="Course stopped.",
    )
    return dialog


def add_bleeding(ctx: OperationContext, patient_id: str) -> BleedingDialog:
    """Record a bleeding assessment."""
    dialog = BleedingDialog(ctx.services.today(), ctx.parent)
    edit_with_dialog(
        ctx,
        dialog,
        lambda bleeding: ctx.services.records.add_bleeding(patient_id, bleeding),
        success="Bleeding assessment saved.",
    )
    return dialog


def add_immunization(
    ctx: OperationContext, patient_id: str, vaccine: VaccineCode | None = None
) -> ImmunizationDialog:
    """Record a vaccine dose (pre-filled from a checklist item when given)."""
    dialog = ImmunizationDialog(ctx.services.today(), ctx.parent, vaccine=vaccine)
    edit_with_dialog(
        ctx,
        dialog,
        lambda dose: ctx.services.records.add_immunization(patient_id, dose),
        success="Vaccine dose saved.",
    )
    return dialog


def add_workup(
    ctx: OperationContext, patient_id: str, test: WorkupTest | None = None
) -> WorkupDialog:
    """Record a work-up result (pre-filled from a checklist item when given)."""
    dialog = WorkupDialog(ctx.services.today(), ctx.parent, test=test)
    edit_with_dialog(
        ctx,
        dialog,
        lambda result: ctx.services.records.add_workup(patient_id, result),
        success="Work-up result saved.",
    )
    return dialog


def add_procedure(
    ctx: OperationContext, patient_id: str, kind: ProcedureKind | None = None
) -> ProcedureDialog:
    """Record a done or planned procedure."""
    dialog = ProcedureDialog(ctx.services.today(), ctx.parent, kind=kind)
    edit_with_dialog(
        ctx,
        dialog,
        lambda procedure: ctx.services.records.add_procedure(patient_id, procedure),
        success="Procedure saved.",
    )
    return dialog


def add_monitoring(
    ctx: OperationContext, patient_id: str, code: MonitoringCode | None = None
) -> MonitoringDialog:
    """Record a monitoring result."""
    dialog = MonitoringDialog(ctx.services.today(), ctx.parent, code=code)
    edit_with_dialog(
        ctx,
        dialog,
        lambda record: ctx.services.records.add_monitoring(patient_id, record),
        success="Monitoring result saved.",
    )
    return dialog


def course_by_id(patient: Patient, course_id: str | None) -> TherapyCourse | None:
    """The patient's course with this id."""
    return next((c for c in patient.courses if c.id == course_id), None)

"""Patient operations: register, edit and archive a patient (dialog → service → change set).

May import: PySide6, core, services API, gui.dialogs, gui.operations.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from itp_desktop.core.changes import ChangeSet
from itp_desktop.core.models.patient import Patient
from itp_desktop.gui.dialogs.patient_dialog import PatientDialog
from itp_desktop.gui.operations.context import (
    OnChanged,
    OperationContext,
    edit_with_dialog,
    mutate,
)


def new_patient(ctx: OperationContext, on_done: OnChanged | None = None) -> PatientDialog:
    """Ask for a new patient and register them."""
    dialog = PatientDialog(None, ctx.services.today(), ctx.parent)
    edit_with_dialog(
        ctx,
        dialog,
        lambda patient: ctx.services.patients.create(patient),
        success="Patient registered.",
        on_done=on_done,
    )
    return dialog


def edit_patient(
    ctx: OperationContext, patient: Patient, on_done: OnChanged | None = None
) -> PatientDialog:
    """Edit a patient's demographics, diagnosis and factors."""
    dialog = PatientDialog(patient, ctx.services.today(), ctx.parent)
    edit_with_dialog(
        ctx,
        dialog,
        # `patient` is the record the dialog started from: a change saved meanwhile in another
        # window makes the store refuse this save instead of silently overwriting it.
        lambda edited: ctx.services.patients.update(edited, base=patient),
        success=f"{patient.display_name}: record saved.",
        on_done=on_done,
    )
    return dialog


def confirm_archive(ctx: OperationContext, name: str) -> bool:
    """Ask before archiving (records are hidden, never deleted)."""
    answer = QMessageBox.question(
        ctx.parent,
        "Archive patient",
        f"Archive {name}?\n\nThe patient is hidden from the registry; nothing is deleted, and "
        "the record can be shown again with “Show archived”.",
    )
    return answer == QMessageBox.StandardButton.Yes


def archive_patient(
    ctx: OperationContext, patient_id: str, name: str, on_done: OnChanged | None = None
) -> None:
    """Archive a patient after confirmation."""
    if not confirm_archive(ctx, name):
        return
    mutate(
        ctx,
        lambda: ctx.services.patients.archive(patient_id),
        success=f"{name} archived.",
        on_done=on_done,
    )


def unarchive_patient(ctx: OperationContext, patient_id: str, name: str) -> None:
    """Bring an archived patient back into the registry."""
    mutate(ctx, lambda: ctx.services.patients.unarchive(patient_id), success=f"{name} restored.")


def remember(ctx: OperationContext, patient_id: str) -> None:
    """Put the patient first in the recent-patients list (a settings save)."""

    def call() -> ChangeSet:
        ctx.services.settings.remember_patient(patient_id)
        return ChangeSet(settings=True)

    mutate(ctx, call, success="")

"""`RecordService`: entry-level changes to one patient's record (counts, courses, vaccines, …).

Each call loads the stored record afresh, applies one change to its JSON form and saves it
through `PatientService.update`, so the whole record is validated again (model rules, the pack's
dose units, no future results) and written in one store transaction whose audit entry keeps the
before and after values: a corrected count stays traceable. Working from the stored record, not
from the window's copy, means a change made meanwhile in another window is never overwritten.
May import: core, services, stdlib.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from itp_desktop.core.changes import ChangeSet
from itp_desktop.core.codes import StopReason
from itp_desktop.core.errors import FieldProblem, NotFound, ValidationFailed
from itp_desktop.core.models.patient import (
    BleedingAssessment,
    DoseStep,
    Immunization,
    MonitoringRecord,
    PlateletCount,
    Procedure,
    TherapyCourse,
    WorkupResult,
)
from itp_desktop.services.patients import PatientService

Record = dict[str, Any]


class RecordService:
    """Adds and corrects entries of a patient's record.

    Args:
        patients: loads and saves (validating) whole records.
    """

    def __init__(self, patients: PatientService) -> None:
        self._patients = patients

    def add_count(self, patient_id: str, count: PlateletCount) -> ChangeSet:
        """Add a platelet count.

        Raises:
            NotFound: no patient has this id.
            ValidationFailed: the count is implausible or dated in the future.
        """
        return self._append(patient_id, "platelet_counts", count.model_dump(mode="json"))

    def correct_count(self, patient_id: str, count: PlateletCount) -> ChangeSet:
        """Replace the count that has the same id; the audit entry keeps the old value.

        Raises:
            NotFound: no patient or no count with this id.
            ValidationFailed: the corrected count is invalid.
        """
        count_id = count.id
        if count_id is None:
            raise ValidationFailed([FieldProblem("id", "a correction needs the count's id")])

        def change(record: Record) -> None:
            index = _index_of(record, "platelet_counts", count_id, "platelet count")
            record["platelet_counts"][index] = count.model_dump(mode="json")

        return self._change(patient_id, change)

    def add_course(self, patient_id: str, course: TherapyCourse) -> ChangeSet:
        """Add a therapy course (ongoing, stopped or planned).

        Raises:
            NotFound: no patient has this id.
            ValidationFailed: a dose unit the agent does not allow, or dates out of order.
        """
        return self._append(patient_id, "courses", course.model_dump(mode="json"))

    def change_dose(self, patient_id: str, course_id: str, step: DoseStep) -> ChangeSet:
        """Add a dose step (titration) to a course, effective from the step's date.

        Raises:
            NotFound: no patient or no course with this id.
            ValidationFailed: the step is not after the previous step, or after the stop date.
        """

        def change(record: Record) -> None:
            index = _index_of(record, "courses", course_id, "therapy course")
            record["courses"][index]["dose_steps"].append(step.model_dump(mode="json"))

        return self._change(patient_id, change)

    def stop_course(
        self, patient_id: str, course_id: str, stop_date: dt.date, reason: StopReason
    ) -> ChangeSet:
        """Stop an ongoing course on `stop_date` with a reason (the reason is required).

        Raises:
            NotFound: no patient or no course with this id.
            ValidationFailed: the course is already stopped, or the date is before its start.
        """

        def change(record: Record) -> None:
            index = _index_of(record, "courses", course_id, "therapy course")
            course = record["courses"][index]
            if course.get("stop_date"):
                raise ValidationFailed(
                    [
                        FieldProblem(
                            "stop_date",
                            f"this course was already stopped on {course['stop_date']}",
                            stop_date.isoformat(),
                        )
                    ]
                )
            course["stop_date"] = stop_date.isoformat()
            course["stop_reason"] = reason.value

        return self._change(patient_id, change)

    def add_bleeding(self, patient_id: str, bleeding: BleedingAssessment) -> ChangeSet:
        """Add a bleeding assessment."""
        return self._append(patient_id, "bleeding", bleeding.model_dump(mode="json"))

    def add_immunization(self, patient_id: str, immunization: Immunization) -> ChangeSet:
        """Add a vaccine dose."""
        return self._append(patient_id, "immunizations", immunization.model_dump(mode="json"))

    def add_workup(self, patient_id: str, result: WorkupResult) -> ChangeSet:
        """Add a work-up (serology) result."""
        return self._append(patient_id, "workup", result.model_dump(mode="json"))

    def add_procedure(self, patient_id: str, procedure: Procedure) -> ChangeSet:
        """Add a procedure; dated after today it is planned."""
        return self._append(patient_id, "procedures", procedure.model_dump(mode="json"))

    def add_monitoring(self, patient_id: str, record: MonitoringRecord) -> ChangeSet:
        """Add a monitoring test result (liver tests, blood pressure, …)."""
        return self._append(patient_id, "monitoring", record.model_dump(mode="json"))

    def set_weight(self, patient_id: str, weight_kg: float) -> ChangeSet:
        """Record a newly measured weight (kg)."""

        def change(record: Record) -> None:
            record["weight_kg"] = weight_kg

        return self._change(patient_id, change)

    # ------------------------------------------------------------------ helpers
    def apply(self, patient_id: str, change: Callable[[Record], None]) -> ChangeSet:
        """Apply several edits to the stored record's JSON form and save them as one change."""
        return self._change(patient_id, change)

    def _append(self, patient_id: str, member: str, entry: Record) -> ChangeSet:
        def change(record: Record) -> None:
            record.setdefault(member, []).append(entry)

        return self._change(patient_id, change)

    def _change(self, patient_id: str, change: Callable[[Record], None]) -> ChangeSet:
        stored = self._patients.get(patient_id)
        record = stored.model_dump(mode="json")
        change(record)
        # The store refuses the save if another window changed the record in between.
        return self._patients.update(record, base=stored)


def _index_of(record: Record, member: str, entry_id: str, noun: str) -> int:
    for index, entry in enumerate(record.get(member, [])):
        if entry.get("id") == entry_id:
            return index
    raise NotFound(f"No {noun} with id {entry_id!r} in the record of patient {record.get('id')}")

"""`CourseTableModel`: therapy courses with their assessment (response, adequacy, concurrency).

Each row pairs a stored `TherapyCourse` with the engine's `CourseAssessment` of it; the model
only formats them (labels for every code, never a bare code). `course_rows` builds the rows.
May import: PySide6, core, services.display, gui.models.base, gui.views.timeline_data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from itp_desktop.core.codes import ResponseCode
from itp_desktop.core.models.assessment import Assessment, CourseAssessment
from itp_desktop.core.models.patient import Patient, TherapyCourse
from itp_desktop.gui.models.base import RowTableModel
from itp_desktop.gui.views.timeline_data import concurrent_courses
from itp_desktop.services.display import STOP_REASON_LABELS, Labels, dose_text

COL_AGENT = 0
COL_START = 1
COL_STOP = 2
COL_DOSE = 3
COL_STATUS = 4
COL_RESPONSE = 5
COL_TTR = 6
COL_ADEQUATE = 7
COL_CONCURRENT = 8
COL_WHY = 9

STATUS_LABELS = {"planned": "Planned", "active": "Active", "stopped": "Stopped"}
RESPONSE_ORDER = {ResponseCode.CR: 0, ResponseCode.R: 1, ResponseCode.NR: 2}


class CourseRow(BaseModel):
    """A course with its assessment, ready to show."""

    model_config = ConfigDict(frozen=True)

    course: TherapyCourse
    result: CourseAssessment | None
    agent_label: str
    response_label: str
    adequacy_label: str
    why: str
    concurrent: list[str]


def course_rows(
    patient: Patient, assessment: Assessment | None, labels: Labels, today: dt.date
) -> list[CourseRow]:
    """One row per course, in record order."""
    results: list[CourseAssessment | None] = (
        list(assessment.courses) if assessment is not None else [None] * len(patient.courses)
    )
    concurrent = concurrent_courses(patient.courses, labels, today)
    rows = []
    for course, result, others in zip(patient.courses, results, concurrent, strict=True):
        response = labels.response(result.response) if result else "—"
        if result is None or result.adequate_trial is None:
            adequacy = "Not assessed"
        else:
            adequacy = "Adequate" if result.adequate_trial else "Not adequate"
        why: list[str] = []
        if result is not None:
            why += [labels.inadequacy(code) for code in result.inadequacy]
            why += result.adequacy_reasons
        if course.stop_reason is not None:
            why.insert(0, f"Stopped: {STOP_REASON_LABELS[course.stop_reason]}")
        rows.append(
            CourseRow(
                course=course,
                result=result,
                agent_label=labels.agent(course.agent),
                response_label=response,
                adequacy_label=adequacy,
                why="; ".join(why),
                concurrent=others,
            )
        )
    return rows


class CourseTableModel(RowTableModel[CourseRow]):
    """Therapy lines of one patient."""

    HEADERS: ClassVar[tuple[str, ...]] = (
        "Agent",
        "Start",
        "Stop",
        "Current / last dose",
        "Status",
        "Response",
        "Time to response",
        "Adequate trial",
        "Given with",
        "Why",
    )

    def display(self, row: CourseRow, column: int) -> str:
        course, result = row.course, row.result
        values = {
            COL_AGENT: row.agent_label,
            COL_START: course.start_date.isoformat(),
            COL_STOP: course.stop_date.isoformat() if course.stop_date else "ongoing",
            COL_DOSE: dose_text(course.dose_steps[-1])
            + (f" ({len(course.dose_steps)} steps)" if len(course.dose_steps) > 1 else ""),
            COL_STATUS: STATUS_LABELS.get(result.status, result.status) if result else "",
            COL_RESPONSE: row.response_label,
            COL_TTR: (
                f"{result.time_to_response_days} days"
                if result and result.time_to_response_days is not None
                else "—"
            ),
            COL_ADEQUATE: row.adequacy_label,
            COL_WHY: row.why,
            COL_CONCURRENT: ", ".join(row.concurrent) or "—",
        }
        return values.get(column, "")

    def sort_value(self, row: CourseRow, column: int) -> Any:
        course, result = row.course, row.result
        if column == COL_START:
            return course.start_date
        if column == COL_STOP:
            return course.stop_date or dt.date.max
        if column == COL_TTR:
            return result.time_to_response_days if result else None
        if column == COL_RESPONSE:
            return RESPONSE_ORDER.get(result.response, 3) if result else 4
        return self.display(row, column)

    def tooltip(self, row: CourseRow, column: int) -> str | None:
        if column == COL_WHY and row.why:
            return row.why
        if column == COL_DOSE:
            return "\n".join(
                f"{s.effective_date.isoformat()}: {dose_text(s)}" for s in row.course.dose_steps
            )
        if column == COL_RESPONSE and row.result is not None and row.result.rules:
            return "Rules: " + ", ".join(row.result.rules)
        return None

    def foreground(self, row: CourseRow, column: int) -> Any:
        if column == COL_RESPONSE and row.result is not None:
            if row.result.response is ResponseCode.NR:
                return QBrush(QColor("#b3261e"))
            if row.result.response in (ResponseCode.CR, ResponseCode.R):
                return QBrush(QColor("#1b6e3a"))
        if column == COL_ADEQUATE and row.result is not None and row.result.adequate_trial is False:
            return QBrush(QColor("#8a5a00"))
        return None

    def alignment(self, column: int) -> Qt.AlignmentFlag | None:
        return Qt.AlignmentFlag.AlignRight if column == COL_TTR else None

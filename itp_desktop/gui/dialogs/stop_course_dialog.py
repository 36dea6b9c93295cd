"""`StopCourseDialog`: stop a course → `CourseStop` (date and a required reason).

There is no default reason: the clinician must choose one, because the reason (no response,
loss of response, intolerance…) feeds the refractoriness and adequacy rules.
May import: PySide6, pydantic, core, services.display, gui.dialogs, gui.widgets.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from PySide6.QtWidgets import QComboBox, QWidget

from itp_desktop.core.codes import StopReason
from itp_desktop.core.errors import FieldProblem
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.models.patient import TherapyCourse
from itp_desktop.core.validation import problems_from_pydantic
from itp_desktop.gui.dialogs.base import ModelDialog
from itp_desktop.gui.widgets.date_edit import DateEdit
from itp_desktop.services.display import STOP_REASON_LABELS, Labels, dose_text


class CourseStop(BaseModel):
    """When and why a course stopped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    stop_date: dt.date
    reason: StopReason


class StopCourseDialog(ModelDialog[CourseStop]):
    """Stop an ongoing course."""

    model_type = CourseStop

    def __init__(
        self,
        course: TherapyCourse,
        pack: KnowledgePack,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        labels = Labels(pack)
        super().__init__(f"Stop course — {labels.agent(course.agent)}", parent)
        self._course = course
        self.set_intro(
            f"Started {course.start_date.isoformat()}; current dose "
            f"{dose_text(course.dose_steps[-1])}."
        )
        self.date_edit = DateEdit(max(today, course.start_date))
        self.reason_combo = QComboBox()
        self.reason_combo.addItem("Choose the reason…", None)
        for reason, label in STOP_REASON_LABELS.items():
            self.reason_combo.addItem(label, reason)
        self.add_field("stop_date", "&Stop date", self.date_edit)
        self.add_field("reason", "&Reason (required)", self.reason_combo)
        self.reason_combo.setFocus()

    def collect(self) -> dict[str, Any]:
        return {"stop_date": self.date_edit.value(), "reason": self.reason_combo.currentData()}

    def validate(self) -> CourseStop | None:
        if self.reason_combo.currentData() is None:
            self.errors.show([FieldProblem("reason", "choose why the course was stopped")])
            return None
        return super().validate()

    def check(self, model: CourseStop) -> list[FieldProblem]:
        data = self._course.model_dump()
        data.update(stop_date=model.stop_date, stop_reason=model.reason)
        try:
            TherapyCourse.model_validate(data)
        except ValidationError as exc:
            return [
                FieldProblem("stop_date", p.message, p.value) for p in problems_from_pydantic(exc)
            ]
        return []

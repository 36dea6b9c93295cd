"""`DoseChangeDialog`: record a titration step of a course → `DoseStep`.

The current dose is pre-filled so that a change is one number and Enter. The step is checked
with the `TherapyCourse` model itself (after the previous step, not after the stop date) before
the dialog closes. May import: PySide6, core, services.display, gui.dialogs, gui.widgets.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from itp_desktop.core.errors import FieldProblem
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.models.patient import DoseStep, TherapyCourse
from itp_desktop.core.validation import problems_from_pydantic
from itp_desktop.gui.dialogs.base import ModelDialog
from itp_desktop.gui.dialogs.course_dialog import dose_spin
from itp_desktop.gui.dialogs.patient_dialog import enum_combo
from itp_desktop.gui.widgets.date_edit import DateEdit
from itp_desktop.services.display import DOSE_UNIT_LABELS, FREQUENCY_LABELS, Labels, dose_text


class DoseChangeDialog(ModelDialog[DoseStep]):
    """A new dose for an ongoing course, effective from a date."""

    model_type = DoseStep

    def __init__(
        self,
        course: TherapyCourse,
        pack: KnowledgePack,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        labels = Labels(pack)
        super().__init__(f"Dose change — {labels.agent(course.agent)}", parent)
        self._course = course
        current = course.dose_steps[-1]
        self.set_intro(
            f"Current dose: {dose_text(current)} since {current.effective_date.isoformat()}."
        )
        self.date_edit = DateEdit(max(today, current.effective_date + dt.timedelta(days=1)))
        self.amount_spin = dose_spin()
        self.amount_spin.setValue(current.amount)
        self.unit_combo = QComboBox()
        info = pack.agents.get(course.agent)
        for unit in info.allowed_units if info else [current.unit]:
            self.unit_combo.addItem(DOSE_UNIT_LABELS[unit], unit)
        self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(current.unit)))
        self.frequency_combo = enum_combo(FREQUENCY_LABELS, current.frequency)
        self.notes_edit = QLineEdit()
        self.add_field("effective_date", "&From", self.date_edit)
        self.add_field("amount", "&New amount", self.amount_spin)
        self.add_field("unit", "&Unit", self.unit_combo)
        self.add_field("frequency", "&Frequency", self.frequency_combo)
        self.add_field("notes", "&Notes", self.notes_edit)
        self.amount_spin.setFocus()
        self.amount_spin.selectAll()

    def collect(self) -> dict[str, Any]:
        return {
            "effective_date": self.date_edit.value(),
            "amount": self.amount_spin.value(),
            "unit": self.unit_combo.currentData(),
            "frequency": self.frequency_combo.currentData(),
            "notes": self.notes_edit.text(),
        }

    def check(self, model: DoseStep) -> list[FieldProblem]:
        data = self._course.model_dump()
        data["dose_steps"] = [*data["dose_steps"], model.model_dump()]
        try:
            TherapyCourse.model_validate(data)
        except ValidationError as exc:
            return [
                FieldProblem("effective_date", p.message, p.value)
                for p in problems_from_pydantic(exc)
            ]
        return []

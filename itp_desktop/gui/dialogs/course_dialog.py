"""`CourseDialog`: start a therapy course → `TherapyCourse` (agent, start, first dose).

The dose units offered are the ones the knowledge pack's catalogue allows for the agent, and the
catalogue's start dose, maximum and titration text are shown as a reminder; the dose itself is
checked by the services against the same catalogue when the course is saved.
May import: PySide6, core, services.display, gui.dialogs, gui.widgets.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QLineEdit, QWidget

from itp_desktop.core.codes import AgentCode, DoseUnit, Frequency
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.models.patient import TherapyCourse
from itp_desktop.gui.dialogs.base import ModelDialog
from itp_desktop.gui.dialogs.patient_dialog import enum_combo
from itp_desktop.gui.widgets.date_edit import DateEdit
from itp_desktop.services.display import DOSE_UNIT_LABELS, FREQUENCY_LABELS, Labels


def dose_spin() -> QDoubleSpinBox:
    """An amount field (per administration)."""
    spin = QDoubleSpinBox()
    spin.setRange(0, 1_000_000)
    spin.setDecimals(2)
    spin.setValue(0)
    return spin


class CourseDialog(ModelDialog[TherapyCourse]):
    """Start a course: agent, start date, first dose step."""

    model_type = TherapyCourse

    def __init__(
        self,
        pack: KnowledgePack,
        today: dt.date,
        parent: QWidget | None = None,
        agent: AgentCode | None = None,
    ) -> None:
        super().__init__("Start therapy course", parent)
        self._pack = pack
        labels = Labels(pack)
        self.agent_combo = QComboBox()
        for code in AgentCode:
            self.agent_combo.addItem(labels.agent(code), code)
        self.start_edit = DateEdit(today)
        self.amount_spin = dose_spin()
        self.unit_combo = QComboBox()
        self.frequency_combo = enum_combo(FREQUENCY_LABELS, Frequency.daily)
        self.notes_edit = QLineEdit()
        self.catalogue_label = QLabel()
        self.catalogue_label.setWordWrap(True)
        self.add_field("agent", "&Agent", self.agent_combo)
        self.form.addRow("", self.catalogue_label)
        self.add_field(
            "start_date",
            "&Start date",
            self.start_edit,
            "A start date after today records a planned course.",
        )
        self.add_field("dose_steps[0].amount", "A&mount", self.amount_spin)
        self.add_field("dose_steps[0].unit", "&Unit", self.unit_combo)
        self.add_field("dose_steps[0].frequency", "&Frequency", self.frequency_combo)
        self.add_field("notes", "&Notes", self.notes_edit)
        self.agent_combo.currentIndexChanged.connect(self._on_agent_combo_changed)
        if agent is not None:
            self.agent_combo.setCurrentIndex(self.agent_combo.findData(agent))
        self._on_agent_combo_changed(self.agent_combo.currentIndex())
        self.agent_combo.setFocus()

    def collect(self) -> dict[str, Any]:
        start = self.start_edit.value()
        return {
            "agent": self.agent_combo.currentData(),
            "start_date": start,
            "dose_steps": [
                {
                    "effective_date": start,
                    "amount": self.amount_spin.value(),
                    "unit": self.unit_combo.currentData(),
                    "frequency": self.frequency_combo.currentData(),
                }
            ],
            "notes": self.notes_edit.text(),
        }

    def _on_agent_combo_changed(self, _index: int) -> None:
        agent: AgentCode = self.agent_combo.currentData()
        info = self._pack.agents.get(agent)
        units: list[DoseUnit] = list(info.allowed_units) if info else list(DoseUnit)
        self.unit_combo.clear()
        for unit in units:
            self.unit_combo.addItem(DOSE_UNIT_LABELS[unit], unit)
        if info is None:
            self.catalogue_label.clear()
            return
        parts = [f"Start: {info.start_dose}"]
        if info.max_dose:
            parts.append(f"Maximum: {info.max_dose}")
        if info.titration:
            parts.append(f"Titration: {info.titration}")
        self.catalogue_label.setText("\n".join(parts))

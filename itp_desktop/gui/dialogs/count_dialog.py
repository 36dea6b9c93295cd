"""`CountDialog`: correct a platelet count → `PlateletCount` with the same id.

The corrected value is validated by the `PlateletCount` model (which applies
`core.units.platelet_problem`), the conversion to ×10⁹/L is shown live, and the store's audit
log keeps the value before the correction. May import: PySide6, core, gui.dialogs, gui.widgets.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from itp_desktop.core.codes import PlateletUnit
from itp_desktop.core.models.patient import PlateletCount
from itp_desktop.core.units import UNIT_LABELS, fmt_count, platelet_problem, platelet_to_e9
from itp_desktop.gui.dialogs.base import ModelDialog
from itp_desktop.gui.dialogs.patient_dialog import enum_combo
from itp_desktop.gui.widgets.date_edit import DateEdit


def parse_number(text: str) -> float | None:
    """A typed number (comma or point as decimal mark), or None."""
    cleaned = text.strip().replace(" ", "").replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def conversion_text(text: str, unit: PlateletUnit | str) -> tuple[str, bool]:
    """What the typed value means in ×10⁹/L, and whether it is acceptable."""
    # Qt hands combo-box data back as plain str; the unit rules compare enum members.
    unit = PlateletUnit(unit)
    value = parse_number(text)
    if value is None:
        return (
            "Type the count as reported by the laboratory." if not text.strip() else "Not a number."
        ), False
    problem = platelet_problem(value, unit)
    if problem is not None:
        return f"Refused: {problem}", False
    return f"= {fmt_count(platelet_to_e9(value, unit))}", True


class CountDialog(ModelDialog[PlateletCount]):
    """Correct one platelet count (the audit log keeps the old value)."""

    model_type = PlateletCount

    def __init__(self, count: PlateletCount, parent: QWidget | None = None) -> None:
        super().__init__("Correct platelet count", parent)
        self._count = count
        self.set_intro(
            f"Recorded: {count.value:g} {UNIT_LABELS[count.unit]} on {count.date.isoformat()}. "
            "The previous value stays in the audit trail."
        )
        self.date_edit = DateEdit(count.date)
        self.value_edit = QLineEdit(f"{count.value:g}")
        self.unit_combo = enum_combo(UNIT_LABELS, count.unit)
        self.conversion_label = QLabel()
        self.notes_edit = QLineEdit(count.notes)
        self.add_field("date", "&Date", self.date_edit)
        self.add_field("value", "&Value", self.value_edit)
        self.add_field("unit", "&Unit", self.unit_combo)
        self.form.addRow("", self.conversion_label)
        self.add_field("notes", "&Notes", self.notes_edit)
        self.value_edit.textChanged.connect(self._on_value_changed)
        self.unit_combo.currentIndexChanged.connect(self._on_value_changed)
        self._on_value_changed()
        self.value_edit.setFocus()
        self.value_edit.selectAll()

    def collect(self) -> dict[str, Any]:
        value = parse_number(self.value_edit.text())
        return {
            "id": self._count.id,
            "date": self.date_edit.value(),
            "unit": self.unit_combo.currentData(),
            "value": value if value is not None else self.value_edit.text(),
            "notes": self.notes_edit.text(),
        }

    def _on_value_changed(self, *_args: object) -> None:
        text, ok = conversion_text(self.value_edit.text(), self.unit_combo.currentData())
        self.conversion_label.setText(text)
        self.conversion_label.setStyleSheet("" if ok else "color: #b3261e;")

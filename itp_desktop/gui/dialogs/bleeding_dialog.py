"""`BleedingDialog`: a bleeding assessment → `BleedingAssessment` (WHO grade, ITP-BAT SMOG).

The grade definitions are shown beside the choices (WHO bleeding scale, short form; ITP-BAT
grading rules; ITP_REFERENCE.md 1.4, sources WHO-bleed and ITPBAT2013) so that the grade is
chosen from its meaning, not from memory. A life-threatening bleed is flagged separately: it
makes platelet transfusion indicated in the rescue plan. May import: PySide6, core, gui.dialogs,
gui.widgets.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QPlainTextEdit, QWidget

from itp_desktop.core.models.patient import BleedingAssessment
from itp_desktop.gui.dialogs.base import ModelDialog
from itp_desktop.gui.widgets.date_edit import DateEdit

WHO_GRADES = (
    (0, "0 — no bleeding"),
    (1, "1 — petechial bleeding"),
    (2, "2 — mild, clinically significant blood loss"),
    (3, "3 — gross blood loss needing transfusion"),
    (4, "4 — debilitating blood loss; retinal or cerebral bleeding; fatal"),
)
ITPBAT_HELP = (
    "ITP-BAT (SMOG): grade the worst manifestation since the last visit in each domain — "
    "Skin, visible Mucosae, Organs. Each manifestation is graded 0–3 or 0–4; grade 5 means "
    "fatal bleeding. Bleeding reported by the patient without medical documentation is grade 1 "
    "(ITPBAT2013)."
)
WHO_HELP = (
    "WHO bleeding scale (WHO-bleed). Grade 2 includes epistaxis or oropharyngeal bleeding over "
    "30 min in 24 h and visible haematuria; grade 4 includes any CNS bleeding on imaging."
)


def grade_combo(grades: tuple[tuple[int, str], ...]) -> QComboBox:
    """A grade choice whose first item is "not assessed" (None)."""
    combo = QComboBox()
    combo.addItem("not assessed", None)
    for value, label in grades:
        combo.addItem(label, value)
    return combo


def smog_combo(domain: str) -> QComboBox:
    """ITP-BAT grade 0–5 for one domain."""
    grades = tuple((g, f"{domain}{g}" + (" — fatal bleeding" if g == 5 else "")) for g in range(6))
    return grade_combo(grades)


class BleedingDialog(ModelDialog[BleedingAssessment]):
    """Record a bleeding assessment."""

    model_type = BleedingAssessment

    def __init__(
        self,
        today: dt.date,
        parent: QWidget | None = None,
        preset: BleedingAssessment | None = None,
    ) -> None:
        super().__init__("Bleeding assessment", parent)
        self.date_edit = DateEdit(preset.date if preset else today)
        self.who_combo = grade_combo(WHO_GRADES)
        self.skin_combo = smog_combo("S")
        self.mucosa_combo = smog_combo("M")
        self.organ_combo = smog_combo("O")
        self.life_check = QCheckBox("Life-threatening bleeding (transfusion is then indicated)")
        self.life_check.setStyleSheet("QCheckBox { font-weight: bold; color: #8c1d18; }")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setFixedHeight(56)
        self.notes_edit.setTabChangesFocus(True)
        if preset is not None:
            for combo, value in (
                (self.who_combo, preset.who_grade),
                (self.skin_combo, preset.itpbat_skin),
                (self.mucosa_combo, preset.itpbat_mucosa),
                (self.organ_combo, preset.itpbat_organ),
            ):
                combo.setCurrentIndex(max(0, combo.findData(value)))
            self.life_check.setChecked(preset.life_threatening)
            self.notes_edit.setPlainText(preset.notes)
        self.add_field("date", "&Date", self.date_edit)
        self.add_field("who_grade", "&WHO grade", self.who_combo, WHO_HELP)
        self.add_field("itpbat_skin", "ITP-BAT &skin", self.skin_combo)
        self.add_field("itpbat_mucosa", "ITP-BAT &mucosae", self.mucosa_combo)
        self.add_field("itpbat_organ", "ITP-BAT &organs", self.organ_combo, ITPBAT_HELP)
        self.add_field("life_threatening", "", self.life_check)
        self.add_field("notes", "&Notes", self.notes_edit)
        self.who_combo.setFocus()

    def collect(self) -> dict[str, Any]:
        return {
            "date": self.date_edit.value(),
            "who_grade": self.who_combo.currentData(),
            "itpbat_skin": self.skin_combo.currentData(),
            "itpbat_mucosa": self.mucosa_combo.currentData(),
            "itpbat_organ": self.organ_combo.currentData(),
            "life_threatening": self.life_check.isChecked(),
            "notes": self.notes_edit.toPlainText(),
        }

"""`PatientDialog`: new or edited demographics, diagnosis and patient factors → `Patient`.

Editing keeps everything the dialog does not show (counts, courses, vaccines…) untouched: the
result is the stored record with the edited members replaced, validated as a whole by the
`Patient` model. Codes are chosen from labelled lists. May import: PySide6, core, services.display,
gui.dialogs, gui.widgets.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from itp_desktop.core.codes import Candidacy, ItpType, RhD, Sex
from itp_desktop.core.models.patient import Patient
from itp_desktop.gui.dialogs.base import ModelDialog
from itp_desktop.gui.widgets.date_edit import DateEdit
from itp_desktop.services.display import ITP_TYPE_LABELS, RHD_LABELS, SEX_LABELS

CANDIDACY_LABELS = {
    Candidacy.unknown: "Not yet decided",
    Candidacy.yes: "Yes, a candidate",
    Candidacy.no: "No, not a candidate",
}
RISK_FACTORS = (
    ("prior_thrombosis", "Prior thrombosis"),
    ("hepatic_impairment", "Hepatic impairment"),
    ("hypertension", "Hypertension"),
    ("pregnancy_or_planning", "Pregnant or planning pregnancy"),
    ("antithrombotic_therapy", "On antiplatelet or anticoagulant therapy"),
    ("prefers_treatment_free_remission", "Prefers treatment-free remission"),
    ("needle_averse", "Prefers to avoid injections"),
)


def enum_combo(labels: dict[Any, str], current: Any = None) -> QComboBox:
    """A combo box of labelled codes (the code is the item data).

    Qt returns a `StrEnum` item's data as a plain ``str``; pydantic turns it back into the enum
    when the dialog validates, and code that compares members converts it explicitly.
    """
    combo = QComboBox()
    for code, label in labels.items():
        combo.addItem(label, code)
    if current is not None:
        index = combo.findData(current)
        if index >= 0:
            combo.setCurrentIndex(index)
    return combo


def optional_spin(minimum: float, maximum: float, decimals: int, suffix: str) -> QDoubleSpinBox:
    """A number field where the lowest value means "not recorded"."""
    spin = QDoubleSpinBox()
    spin.setRange(minimum - 1, maximum)
    spin.setDecimals(decimals)
    spin.setSuffix(f" {suffix}")
    spin.setSpecialValueText("not recorded")
    spin.setValue(minimum - 1)
    return spin


def spin_value(spin: QDoubleSpinBox) -> float | None:
    """The value, or None when the field shows "not recorded"."""
    return None if spin.value() <= spin.minimum() else spin.value()


class PatientDialog(ModelDialog[Patient]):
    """Register a new patient (`patient` None) or edit one."""

    model_type = Patient

    def __init__(
        self, patient: Patient | None, today: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__("Edit patient" if patient else "New patient", parent)
        self._base = patient
        self.mrn_edit = QLineEdit(patient.mrn if patient else "")
        self.family_edit = QLineEdit(patient.family_name if patient else "")
        self.given_edit = QLineEdit(patient.given_name if patient else "")
        self.birth_edit = DateEdit(
            patient.birth_date if patient else dt.date(today.year - 40, 1, 1)
        )
        self.sex_combo = enum_combo(SEX_LABELS, patient.sex if patient else Sex.unknown)
        self.weight_spin = optional_spin(0.5, 400, 1, "kg")
        self.height_spin = optional_spin(30, 250, 0, "cm")
        self.hb_spin = optional_spin(1, 25, 1, "g/dL")
        if patient is not None:
            for spin, value in (
                (self.weight_spin, patient.weight_kg),
                (self.height_spin, patient.height_cm),
                (self.hb_spin, patient.haemoglobin_g_dl),
            ):
                if value is not None:
                    spin.setValue(value)
        self.asian_check = QCheckBox("East or Southeast Asian ancestry")
        self.asian_check.setChecked(bool(patient and patient.east_southeast_asian_ancestry))
        self.rhd_combo = enum_combo(RHD_LABELS, patient.rh_d if patient else RhD.unknown)
        diagnosis = patient.diagnosis if patient else None
        self.diagnosis_edit = QLineEdit(diagnosis.date if diagnosis else "")
        self.diagnosis_edit.setPlaceholderText("YYYY-MM-DD, or YYYY-MM when the day is unknown")
        self.type_combo = enum_combo(
            ITP_TYPE_LABELS, diagnosis.type if diagnosis else ItpType.primary
        )
        self.candidacy_combo = enum_combo(
            CANDIDACY_LABELS,
            patient.risk_factors.splenectomy_candidate if patient else Candidacy.unknown,
        )
        self.notes_edit = QPlainTextEdit(patient.notes if patient else "")
        self.notes_edit.setFixedHeight(60)
        self.notes_edit.setTabChangesFocus(True)

        self.add_field("mrn", "&MRN", self.mrn_edit)
        self.add_field("family_name", "&Family name", self.family_edit)
        self.add_field("given_name", "&Given name", self.given_edit)
        self.add_field("birth_date", "&Birth date", self.birth_edit)
        self.add_field("sex", "&Sex", self.sex_combo)
        self.add_field("weight_kg", "&Weight", self.weight_spin)
        self.add_field("height_cm", "&Height", self.height_spin)
        self.add_field("haemoglobin_g_dl", "Haemo&globin", self.hb_spin)
        self.add_field("rh_d", "&Rh(D)", self.rhd_combo)
        self.add_field("east_southeast_asian_ancestry", "Ancestry", self.asian_check)
        self.add_field(
            "diagnosis.date",
            "&Diagnosis date",
            self.diagnosis_edit,
            "Leave empty when the date of diagnosis is not known; the phase then stays unknown.",
        )
        self.add_field("diagnosis.type", "ITP &type", self.type_combo)
        self.add_field(
            "risk_factors.splenectomy_candidate", "Splenectomy candidate", self.candidacy_combo
        )
        self.risk_checks: dict[str, QCheckBox] = {}
        box = QGroupBox("Patient factors (used to rank options)")
        grid = QGridLayout(box)
        for index, (name, label) in enumerate(RISK_FACTORS):
            check = QCheckBox(label)
            check.setChecked(bool(patient and getattr(patient.risk_factors, name)))
            self.risk_checks[name] = check
            grid.addWidget(check, index // 2, index % 2)
        self.form.addRow(box)
        self.add_field("notes", "&Notes", self.notes_edit)
        self.mrn_edit.setFocus()

    def collect(self) -> dict[str, Any]:
        base: dict[str, Any] = self._base.model_dump(mode="json") if self._base else {}
        diagnosis_date = self.diagnosis_edit.text().strip()
        previous_notes = self._base.diagnosis.notes if self._base and self._base.diagnosis else ""
        risk = dict(base.get("risk_factors", {}))
        risk.update({name: check.isChecked() for name, check in self.risk_checks.items()})
        risk["splenectomy_candidate"] = self.candidacy_combo.currentData()
        base.update(
            {
                "mrn": self.mrn_edit.text(),
                "family_name": self.family_edit.text(),
                "given_name": self.given_edit.text(),
                "birth_date": self.birth_edit.value(),
                "sex": self.sex_combo.currentData(),
                "weight_kg": spin_value(self.weight_spin),
                "height_cm": spin_value(self.height_spin),
                "haemoglobin_g_dl": spin_value(self.hb_spin),
                "rh_d": self.rhd_combo.currentData(),
                "east_southeast_asian_ancestry": self.asian_check.isChecked(),
                "diagnosis": (
                    {
                        "date": diagnosis_date,
                        "type": self.type_combo.currentData(),
                        "notes": previous_notes,
                    }
                    if diagnosis_date
                    else None
                ),
                "risk_factors": risk,
                "notes": self.notes_edit.toPlainText(),
            }
        )
        return base

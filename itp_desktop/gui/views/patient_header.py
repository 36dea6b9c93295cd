"""`PatientHeader`: who is open — name, MRN, age, weight, phase, latest count.

A red banner shows while a recent severe bleed calls for rescue therapy, with the key to press
(F9). May import: PySide6, core, services.display.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from itp_desktop.core.models.assessment import Assessment
from itp_desktop.core.models.patient import Patient
from itp_desktop.core.units import fmt_count, fmt_number
from itp_desktop.services.display import ITP_TYPE_LABELS, SEX_LABELS, Labels

BANNER_STYLE = (
    "QLabel { background: #b3261e; color: white; padding: 6px 10px; border-radius: 4px;"
    " font-weight: bold; }"
)


class PatientHeader(QFrame):
    """The open patient's identity line and key facts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("patientHeader")
        self.name_label = QLabel()
        self.name_label.setTextFormat(Qt.TextFormat.RichText)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts_label = QLabel()
        self.facts_label.setTextFormat(Qt.TextFormat.RichText)
        self.facts_label.setWordWrap(True)
        self.banner = QLabel()
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setVisible(False)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Rescue alert")
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.name_label)
        text.addWidget(self.facts_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addLayout(text, 3)
        row.addWidget(self.banner, 2)

    def show_patient(
        self, patient: Patient, assessment: Assessment | None, labels: Labels, today: dt.date
    ) -> None:
        """Fill the header."""
        age = patient.age_years(today)
        self.name_label.setText(
            f"<span style='font-size:15pt; font-weight:600'>{escape(patient.display_name)}</span>"
            f"&nbsp;&nbsp;<span style='color:#555'>MRN {escape(patient.mrn)} · born "
            f"{patient.birth_date.isoformat()} ({age} y) · {SEX_LABELS[patient.sex]}</span>"
        )
        facts = []
        weight = (
            f"{fmt_number(patient.weight_kg)} kg" if patient.weight_kg else "weight not recorded"
        )
        facts.append(weight)
        if patient.diagnosis is not None:
            facts.append(
                f"{ITP_TYPE_LABELS[patient.diagnosis.type]} diagnosed {patient.diagnosis.date}"
            )
        if assessment is not None:
            facts.append(f"<b>{escape(labels.phase(assessment.phase))}</b>")
            latest = assessment.latest_platelet_count
            if latest is not None:
                facts.append(
                    f"latest count <b>{escape(fmt_count(latest.value))}</b> "
                    f"on {latest.date.isoformat()}"
                )
            else:
                facts.append("no platelet count recorded")
            if assessment.steroid_dependent:
                facts.append("<b>steroid-dependent</b>")
            if assessment.multi_refractory:
                facts.append("<b>multi-refractory</b>")
        self.facts_label.setText(" · ".join(facts))
        rescue = assessment.rescue if assessment is not None else None
        self.banner.setVisible(rescue is not None)
        if rescue is not None:
            self.banner.setText(
                "Severe bleeding recorded — rescue therapy now. Press F9 for the rescue plan "
                "(doses, transfusion rule, checklist)."
            )

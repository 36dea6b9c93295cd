"""Small record-entry dialogs: vaccine dose, work-up result, procedure, monitoring result.

Each returns its core model (`Immunization`, `WorkupResult`, `Procedure`, `MonitoringRecord`)
and can be opened pre-filled from a checklist item ("record the missing vaccine" from the
splenectomy checklist). They are four tiny forms of the same shape, so they share one module.
May import: PySide6, core, services.display, gui.dialogs, gui.widgets.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QLineEdit, QWidget

from itp_desktop.core.codes import (
    MonitoringCode,
    ProcedureKind,
    TestResult,
    VaccineCode,
    WorkupTest,
)
from itp_desktop.core.models.patient import Immunization, MonitoringRecord, Procedure, WorkupResult
from itp_desktop.gui.dialogs.base import ModelDialog
from itp_desktop.gui.dialogs.patient_dialog import enum_combo
from itp_desktop.gui.widgets.date_edit import DateEdit
from itp_desktop.services.display import (
    MONITORING_LABELS,
    PROCEDURE_LABELS,
    TEST_RESULT_LABELS,
    VACCINE_LABELS,
    WORKUP_LABELS,
)


class ImmunizationDialog(ModelDialog[Immunization]):
    """Record a vaccine dose given."""

    model_type = Immunization

    def __init__(
        self,
        today: dt.date,
        parent: QWidget | None = None,
        vaccine: VaccineCode | None = None,
    ) -> None:
        super().__init__("Vaccine dose", parent)
        self.vaccine_combo = enum_combo(VACCINE_LABELS, vaccine)
        self.date_edit = DateEdit(today)
        self.product_edit = QLineEdit()
        self.product_edit.setPlaceholderText("e.g. PCV20, Bexsero")
        self.notes_edit = QLineEdit()
        self.add_field("vaccine", "&Vaccine", self.vaccine_combo)
        self.add_field("date", "&Date given", self.date_edit)
        self.add_field("product", "&Product", self.product_edit)
        self.add_field("notes", "&Notes", self.notes_edit)
        self.date_edit.setFocus()

    def collect(self) -> dict[str, Any]:
        return {
            "vaccine": self.vaccine_combo.currentData(),
            "date": self.date_edit.value(),
            "product": self.product_edit.text(),
            "notes": self.notes_edit.text(),
        }


class WorkupDialog(ModelDialog[WorkupResult]):
    """Record a serology or work-up result."""

    model_type = WorkupResult

    def __init__(
        self,
        today: dt.date,
        parent: QWidget | None = None,
        test: WorkupTest | None = None,
    ) -> None:
        super().__init__("Work-up result", parent)
        self.test_combo = enum_combo(WORKUP_LABELS, test)
        self.result_combo = enum_combo(TEST_RESULT_LABELS, TestResult.negative)
        self.date_edit = DateEdit(today)
        self.notes_edit = QLineEdit()
        self.add_field("test", "&Test", self.test_combo)
        self.add_field(
            "result",
            "&Result",
            self.result_combo,
            "For immunoglobulins, “positive / abnormal” means abnormal levels.",
        )
        self.add_field("date", "&Sample date", self.date_edit)
        self.add_field("notes", "&Notes", self.notes_edit)
        self.result_combo.setFocus()

    def collect(self) -> dict[str, Any]:
        return {
            "test": self.test_combo.currentData(),
            "result": self.result_combo.currentData(),
            "date": self.date_edit.value(),
            "notes": self.notes_edit.text(),
        }


class ProcedureDialog(ModelDialog[Procedure]):
    """Record a procedure; a date after today records a planned one."""

    model_type = Procedure

    def __init__(
        self,
        today: dt.date,
        parent: QWidget | None = None,
        kind: ProcedureKind | None = None,
    ) -> None:
        super().__init__("Procedure", parent)
        self.kind_combo = enum_combo(PROCEDURE_LABELS, kind)
        self.date_edit = DateEdit(today)
        self.notes_edit = QLineEdit()
        self.add_field("kind", "&Procedure", self.kind_combo)
        self.add_field(
            "date", "&Date", self.date_edit, "A date after today records a planned procedure."
        )
        self.add_field("notes", "&Notes", self.notes_edit)
        self.kind_combo.setFocus()

    def collect(self) -> dict[str, Any]:
        return {
            "kind": self.kind_combo.currentData(),
            "date": self.date_edit.value(),
            "notes": self.notes_edit.text(),
        }


class MonitoringDialog(ModelDialog[MonitoringRecord]):
    """Record a monitoring test done (liver tests, blood pressure, …)."""

    model_type = MonitoringRecord

    def __init__(
        self,
        today: dt.date,
        parent: QWidget | None = None,
        code: MonitoringCode | None = None,
    ) -> None:
        super().__init__("Monitoring result", parent)
        self.code_combo = enum_combo(MONITORING_LABELS, code)
        self.date_edit = DateEdit(today)
        self.result_edit = QLineEdit()
        self.result_edit.setPlaceholderText("e.g. ALT 35 U/L, BP 128/82")
        self.add_field("code", "&Test", self.code_combo)
        self.add_field("date", "&Date", self.date_edit)
        self.add_field("result", "&Result", self.result_edit)
        self.result_edit.setFocus()

    def collect(self) -> dict[str, Any]:
        return {
            "code": self.code_combo.currentData(),
            "date": self.date_edit.value(),
            "result": self.result_edit.text(),
        }

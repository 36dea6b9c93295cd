"""Every dialog: OK with bad input shows the problem under the field and keeps the content;
OK with good input returns the validated model."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from itp_desktop.core.codes import (
    AgentCode,
    DoseUnit,
    Frequency,
    PlateletUnit,
    StopReason,
    TestResult,
    VaccineCode,
    WorkupTest,
)
from itp_desktop.core.errors import FieldProblem
from itp_desktop.core.models.assessment import Finding
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.models.patient import DoseStep, Patient, PlateletCount, TherapyCourse
from itp_desktop.gui.dialogs.about_dialog import AboutDialog
from itp_desktop.gui.dialogs.bleeding_dialog import BleedingDialog
from itp_desktop.gui.dialogs.count_dialog import CountDialog, conversion_text
from itp_desktop.gui.dialogs.course_dialog import CourseDialog
from itp_desktop.gui.dialogs.dose_change_dialog import DoseChangeDialog
from itp_desktop.gui.dialogs.entry_dialogs import (
    ImmunizationDialog,
    MonitoringDialog,
    ProcedureDialog,
    WorkupDialog,
)
from itp_desktop.gui.dialogs.help_dialog import HelpDialog, shortcut_rows
from itp_desktop.gui.dialogs.patient_dialog import PatientDialog
from itp_desktop.gui.dialogs.settings_dialog import SettingsDialog
from itp_desktop.gui.dialogs.stop_course_dialog import StopCourseDialog
from itp_desktop.gui.dialogs.suppress_dialog import SuppressDialog
from itp_desktop.services.desktop import DesktopServicesImpl
from itp_desktop.services.desktop_api import DataFolders
from itp_desktop.settings import Settings

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def pack() -> KnowledgePack:
    from itp_desktop.knowledge.loader import load_default_pack

    return load_default_pack()


def error_text(dialog: object, path: str) -> str:
    label = dialog.errors._labels[path]  # type: ignore[attr-defined]
    return str(label.text()) if not label.isHidden() else ""


def press_ok(dialog: object) -> None:
    dialog._on_buttons_accepted()  # type: ignore[attr-defined]


def romiplostim() -> TherapyCourse:
    return TherapyCourse(
        id="c1",
        agent=AgentCode.romiplostim,
        start_date=dt.date(2026, 10, 1),
        dose_steps=[
            DoseStep(
                effective_date=dt.date(2026, 10, 1),
                amount=1,
                unit=DoseUnit.mcg_per_kg,
                frequency=Frequency.weekly,
            )
        ],
    )


def test_patient_dialog_new_and_edit(qtbot: QtBot) -> None:
    dialog = PatientDialog(None, TODAY)
    qtbot.addWidget(dialog)
    press_ok(dialog)
    assert dialog.result() is None
    assert error_text(dialog, "mrn")
    assert error_text(dialog, "family_name")
    dialog.mrn_edit.setText("X-1")
    dialog.family_edit.setText("Doe")
    dialog.diagnosis_edit.setText("2026-13")
    press_ok(dialog)
    assert "month must be 01–12" in error_text(dialog, "diagnosis.date")
    assert dialog.mrn_edit.text() == "X-1"  # content kept
    dialog.diagnosis_edit.setText("2026-10")
    dialog.weight_spin.setValue(71.5)
    dialog.risk_checks["prior_thrombosis"].setChecked(True)
    press_ok(dialog)
    created = dialog.result()
    assert created is not None
    assert created.weight_kg == 71.5
    assert created.height_cm is None
    assert created.risk_factors.prior_thrombosis
    assert created.diagnosis is not None
    assert created.diagnosis.date == "2026-10"
    stored = created.model_copy(
        update={"id": "p1", "platelet_counts": [PlateletCount(date=TODAY, value=30)]}
    )
    edit = PatientDialog(stored, TODAY)
    qtbot.addWidget(edit)
    edit.given_edit.setText("Jo")
    press_ok(edit)
    edited = edit.result()
    assert edited is not None
    assert edited.id == "p1"
    assert edited.given_name == "Jo"
    assert edited.platelet_counts == stored.platelet_counts  # untouched members survive
    edit.show_problems([FieldProblem("mrn", "already used by another patient", "X-1")])
    assert error_text(edit, "mrn") == "already used by another patient"


def test_course_dialog_offers_the_pack_units_and_validates(
    qtbot: QtBot, pack: KnowledgePack
) -> None:
    dialog = CourseDialog(pack, TODAY, agent=AgentCode.eltrombopag)
    qtbot.addWidget(dialog)
    units = [dialog.unit_combo.itemData(i) for i in range(dialog.unit_combo.count())]
    assert units == [DoseUnit.mg]
    assert "Start:" in dialog.catalogue_label.text()
    press_ok(dialog)
    assert dialog.result() is None
    assert "greater than 0" in error_text(dialog, "dose_steps[0].amount")
    dialog.amount_spin.setValue(50)
    press_ok(dialog)
    course = dialog.result()
    assert course is not None
    assert course.agent is AgentCode.eltrombopag
    assert course.dose_steps[0].effective_date == TODAY


def test_dose_change_and_stop_dialogs(qtbot: QtBot, pack: KnowledgePack) -> None:
    dose = DoseChangeDialog(romiplostim(), pack, TODAY)
    qtbot.addWidget(dose)
    assert "1 µg/kg weekly" in dose.intro.text()
    dose.date_edit.set_value(dt.date(2026, 9, 1))
    dose.amount_spin.setValue(2)
    press_ok(dose)
    assert dose.result() is None
    assert "must be after the previous step" in error_text(dose, "effective_date")
    dose.date_edit.set_value(dt.date(2026, 10, 8))
    press_ok(dose)
    step = dose.result()
    assert step is not None
    assert step.amount == 2
    assert step.unit is DoseUnit.mcg_per_kg
    stop = StopCourseDialog(romiplostim(), pack, TODAY)
    qtbot.addWidget(stop)
    press_ok(stop)
    assert stop.result() is None
    assert error_text(stop, "reason") == "choose why the course was stopped"
    stop.reason_combo.setCurrentIndex(stop.reason_combo.findData(StopReason.intolerance))
    stop.date_edit.set_value(dt.date(2026, 9, 1))
    press_ok(stop)
    assert "before the start date" in error_text(stop, "stop_date")
    stop.date_edit.set_value(TODAY)
    press_ok(stop)
    result = stop.result()
    assert result is not None
    assert result.reason is StopReason.intolerance


def test_bleeding_dialog_needs_a_grade(qtbot: QtBot) -> None:
    dialog = BleedingDialog(TODAY)
    qtbot.addWidget(dialog)
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "ITPBAT2013" in shown
    assert "gross blood loss needing transfusion" in dialog.who_combo.itemText(4)
    dialog.who_combo.setCurrentIndex(0)  # not assessed
    press_ok(dialog)
    assert dialog.result() is None
    assert "needs a WHO grade" in dialog.general_error.text()
    dialog.who_combo.setCurrentIndex(dialog.who_combo.findData(3))
    dialog.organ_combo.setCurrentIndex(dialog.organ_combo.findData(3))
    dialog.life_check.setChecked(True)
    press_ok(dialog)
    bleeding = dialog.result()
    assert bleeding is not None
    assert (bleeding.who_grade, bleeding.itpbat_organ, bleeding.life_threatening) == (3, 3, True)
    assert bleeding.itpbat_skin is None


def test_count_dialog_shows_conversion_and_refuses_implausible(qtbot: QtBot) -> None:
    count = PlateletCount(id="n1", date=TODAY, value=40)
    dialog = CountDialog(count)
    qtbot.addWidget(dialog)
    assert dialog.conversion_label.text() == "= 40 ×10⁹/L"
    dialog.value_edit.setText("45000")
    assert dialog.conversion_label.text().startswith("Refused:")
    press_ok(dialog)
    assert dialog.result() is None
    assert "looks like a count in /µL" in error_text(dialog, "value")
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData(PlateletUnit.per_ul))
    assert dialog.conversion_label.text() == "= 45 ×10⁹/L"
    press_ok(dialog)
    corrected = dialog.result()
    assert corrected is not None
    assert (corrected.id, corrected.value_e9) == ("n1", 45.0)
    assert conversion_text("abc", PlateletUnit.e9_per_l) == ("Not a number.", False)
    assert conversion_text("12,5", PlateletUnit.e9_per_l) == ("= 12.5 ×10⁹/L", True)


def test_entry_dialogs_prefill_and_validate(qtbot: QtBot) -> None:
    vaccine = ImmunizationDialog(TODAY, vaccine=VaccineCode.meningococcal_b)
    qtbot.addWidget(vaccine)
    vaccine.product_edit.setText("Bexsero")
    press_ok(vaccine)
    dose = vaccine.result()
    assert dose is not None
    assert (dose.vaccine, dose.product) == (VaccineCode.meningococcal_b, "Bexsero")
    workup = WorkupDialog(TODAY, test=WorkupTest.anti_hbc)
    qtbot.addWidget(workup)
    workup.result_combo.setCurrentIndex(workup.result_combo.findData(TestResult.positive))
    press_ok(workup)
    result = workup.result()
    assert result is not None
    assert (result.test, result.result) == (WorkupTest.anti_hbc, TestResult.positive)
    procedure = ProcedureDialog(TODAY)
    qtbot.addWidget(procedure)
    procedure.date_edit.set_value(TODAY + dt.timedelta(days=30))
    press_ok(procedure)
    planned = procedure.result()
    assert planned is not None
    assert planned.date > TODAY
    monitoring = MonitoringDialog(TODAY)
    qtbot.addWidget(monitoring)
    monitoring.result_edit.setText("x" * 250)
    press_ok(monitoring)
    assert monitoring.result() is None
    assert "at most 200 characters" in error_text(monitoring, "result")
    monitoring.result_edit.setText("ALT 35 U/L")
    press_ok(monitoring)
    assert monitoring.result() is not None


def test_suppress_dialog_requires_a_reason(qtbot: QtBot) -> None:
    finding = Finding(
        code="x",
        severity="warning",  # type: ignore[arg-type]
        message="Check something",
        why=["a fact"],
        sources=["ICR2019"],
        rule="FIND_X@1.0.0",
        key="x:patient",
    )
    dialog = SuppressDialog(finding)
    qtbot.addWidget(dialog)
    assert "FIND_X@1.0.0" in dialog.intro.text()
    dialog.reason_edit.setPlainText("no")
    press_ok(dialog)
    assert dialog.result() is None
    assert "at least 3 characters" in error_text(dialog, "reason")
    dialog.reason_edit.setPlainText("Discussed at MDT; not applicable")
    press_ok(dialog)
    request = dialog.result()
    assert request is not None
    assert request.reason.startswith("Discussed")


def test_settings_dialog(qtbot: QtBot, tmp_path: object) -> None:
    folders = DataFolders(
        data_dir="/d",
        store_path="/d/s.sqlite3",
        backup_dir="/d/backups",
        log_dir="/d/logs",
        reports_dir="/d/reports",
        settings_path="/d/config/settings.json",
    )
    dialog = SettingsDialog(Settings(recent_patients=["p1"]), folders)
    qtbot.addWidget(dialog)
    dialog.site_edit.setText("Haematology, St Elsewhere")
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData("/uL"))
    dialog.large_check.setChecked(True)
    dialog.keep_spin.setValue(30)
    press_ok(dialog)
    settings = dialog.result()
    assert settings is not None
    assert settings.site_name == "Haematology, St Elsewhere"
    assert settings.platelet_display_unit == "/uL"
    assert settings.large_font
    assert settings.backup_keep == 30
    assert settings.recent_patients == ["p1"]  # not shown, not lost


def test_help_lists_every_shortcut_and_about_shows_the_disclaimer(
    qtbot: QtBot, desktop: DesktopServicesImpl
) -> None:
    rows = shortcut_rows()
    keys = [k for k, _ in rows]
    assert "F9 or Ctrl+Shift+R" in keys
    assert "Ctrl+L" in keys
    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(rows)
    info = desktop.app_info()
    about = AboutDialog(info)
    qtbot.addWidget(about)
    assert info.version in about.text_label.text()
    assert "itp-facts" in about.text_label.text()
    assert "has not been approved" in about.text_label.text()


def test_patient_record_roundtrip_through_the_dialog_is_lossless(
    qtbot: QtBot, desktop: DesktopServicesImpl
) -> None:
    stored: Patient = desktop.patients.get("demo-06-multi-refractory-not-candidate")
    dialog = PatientDialog(stored, TODAY)
    qtbot.addWidget(dialog)
    press_ok(dialog)
    assert dialog.result() == stored

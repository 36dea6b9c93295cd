"""Panels on a real demo store (synchronous tasks): registry, chart tabs, assessment panel,
rescue mode, worklist, timeline chart."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from itp_desktop.core.changes import ChangeSet
from itp_desktop.core.codes import Severity, VaccineCode
from itp_desktop.core.errors import StoreInUse
from itp_desktop.gui.dialogs.entry_dialogs import ImmunizationDialog
from itp_desktop.gui.dialogs.suppress_dialog import SuppressDialog
from itp_desktop.gui.operations.context import OperationContext
from itp_desktop.gui.views.assessment_view import AssessmentView
from itp_desktop.gui.views.patient_view import TAB_COUNTS, PatientView
from itp_desktop.gui.views.registry_view import RegistryView
from itp_desktop.gui.views.rescue_view import RescueView, local_time
from itp_desktop.gui.views.worklist_view import WorklistView
from itp_desktop.services.desktop_api import Worklist

TODAY = dt.date(2026, 11, 22)
REFRACTORY = "demo-06-multi-refractory-not-candidate"
SPLENECTOMY = "demo-07-splenectomy-planned-vaccines-incomplete"
BLEEDING = "demo-08-bleeding-now-rescue"
NEWLY = "demo-01-newly-diagnosed-prednisone"


def chart(qtbot: QtBot, ctx: OperationContext) -> tuple[PatientView, AssessmentView]:
    panel = AssessmentView(ctx.services.pack())
    view = PatientView(ctx, panel)
    qtbot.addWidget(panel)
    qtbot.addWidget(view)
    return view, panel


def accept(dialog: QDialog) -> None:
    dialog._on_buttons_accepted()  # type: ignore[attr-defined]


# ---------------------------------------------------------------- registry


def test_registry_search_as_you_type_and_open(qtbot: QtBot, ctx: OperationContext) -> None:
    view = RegistryView(ctx)
    qtbot.addWidget(view)
    total = ctx.services.patients.count()
    assert view.model.rowCount() == total
    assert view.count_label.text() == f"{total} patients"
    qtbot.keyClicks(view.search_edit, "DEMO-0006")
    qtbot.waitUntil(lambda: view.model.query == "DEMO-0006", timeout=2000)
    assert view.model.rowCount() == 1
    assert view.count_label.text() == "1 patient"
    # Summaries of visible rows arrive through a (synchronous) background task.
    view.model.index(0, 3).data()
    qtbot.waitUntil(lambda: view.model.overview(REFRACTORY) is not None, timeout=2000)
    assert view.model.index(0, 3).data() == "Chronic"
    assert view.model.index(0, 7).data().startswith("Warning:")
    with qtbot.waitSignal(ctx.events.patient_opened) as opened:
        qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    assert opened.args == [REFRACTORY]


def test_registry_refreshes_on_created_and_archived(qtbot: QtBot, ctx: OperationContext) -> None:
    view = RegistryView(ctx)
    qtbot.addWidget(view)
    before = view.model.rowCount()
    ctx.services.patients.archive(NEWLY)
    ctx.events.data_changed.emit(ChangeSet(removed=frozenset({NEWLY})))
    assert view.model.rowCount() == before - 1
    view.archived_check.setChecked(True)
    assert view.model.rowCount() == before


# ---------------------------------------------------------------- chart


def test_chart_shows_the_record_and_the_assessment(qtbot: QtBot, ctx: OperationContext) -> None:
    view, panel = chart(qtbot, ctx)
    assert view.open_patient(REFRACTORY)
    assert "HAUGEN" in view.header.name_label.text()
    assert "multi-refractory" in view.header.facts_label.text()
    assert not view.header.banner.isVisibleTo(view)
    assert view.therapy.model.rowCount() == len(view.patient.courses)  # type: ignore[union-attr]
    assert view.counts.model.rowCount() == len(view.patient.platelet_counts)  # type: ignore[union-attr]
    assert view.record.row_count("bleeding") >= 1
    assert panel.assessment is not None
    severities = [card.finding.severity for card in panel.finding_cards]
    order = {Severity.critical: 0, Severity.warning: 1, Severity.info: 2}
    assert severities == sorted(severities, key=order.__getitem__)


def test_counts_entry_enter_saves_and_refuses_implausible(
    qtbot: QtBot, ctx: OperationContext
) -> None:
    view, panel = chart(qtbot, ctx)
    view.open_patient(REFRACTORY)
    view.show_tab(TAB_COUNTS)
    entry = view.counts
    before = entry.model.rowCount()
    qtbot.keyClicks(entry.value_edit, "45000")
    assert entry.conversion_label.text().startswith("Refused:")
    qtbot.keyClick(entry.value_edit, Qt.Key.Key_Return)
    assert entry.error_label.isVisibleTo(entry)
    assert entry.value_edit.text() == "45000"  # kept for correction
    assert entry.model.rowCount() == before
    entry.value_edit.clear()
    qtbot.keyClicks(entry.value_edit, "31")
    assert entry.conversion_label.text() == "= 31 ×10⁹/L"
    with qtbot.waitSignal(ctx.events.data_changed):
        qtbot.keyClick(entry.value_edit, Qt.Key.Key_Return)
    assert entry.value_edit.text() == ""
    assert entry.model.rowCount() == before + 1
    assert panel.assessment is not None
    assert panel.assessment.latest_platelet_count is not None
    assert panel.assessment.latest_platelet_count.value == 31  # panel refreshed


def test_counts_entry_keeps_the_value_when_the_store_refuses(
    qtbot: QtBot, ctx: OperationContext, monkeypatch: object
) -> None:
    view, _panel = chart(qtbot, ctx)
    view.open_patient(REFRACTORY)

    def busy(*_args: object) -> ChangeSet:
        raise StoreInUse("The store is in use by another ITP Desktop window; try again.")

    monkeypatch.setattr(ctx.services.records, "add_count", busy)  # type: ignore[attr-defined]
    qtbot.keyClicks(view.counts.value_edit, "52")
    qtbot.keyClick(view.counts.value_edit, Qt.Key.Key_Return)
    assert view.counts.value_edit.text() == "52"
    assert "in use" in view.counts.error_label.text()
    assert view.counts.has_unsaved()


def test_dose_change_dialog_saves_through_the_operation(
    qtbot: QtBot, ctx: OperationContext
) -> None:
    view, _panel = chart(qtbot, ctx)
    view.open_patient("demo-04-romiplostim-stable")
    ongoing = view.therapy.ongoing_course()
    assert ongoing is not None
    steps = len(ongoing.dose_steps)
    from itp_desktop.gui.operations import records

    dialog = records.change_dose(ctx, "demo-04-romiplostim-stable", ongoing)
    qtbot.addWidget(dialog)
    dialog.amount_spin.setValue(3)
    accept(dialog)
    course = next(c for c in view.patient.courses if c.id == ongoing.id)  # type: ignore[union-attr]
    assert len(course.dose_steps) == steps + 1
    assert course.dose_steps[-1].amount == 3


def test_service_refusal_reopens_the_dialog_with_the_content(
    qtbot: QtBot, ctx: OperationContext
) -> None:
    from itp_desktop.gui.operations import records

    dialog = records.add_immunization(ctx, NEWLY)
    qtbot.addWidget(dialog)
    dialog.date_edit.set_value(TODAY + dt.timedelta(days=3))  # future: the service refuses
    dialog.product_edit.setText("PCV20")
    accept(dialog)
    assert dialog.isVisible()  # opened again
    assert dialog.product_edit.text() == "PCV20"
    assert "cannot be dated in the future" in dialog.errors._labels["date"].text()


def test_edit_refused_when_another_window_saved_first(qtbot: QtBot, ctx: OperationContext) -> None:
    from itp_desktop.core.models.patient import PlateletCount
    from itp_desktop.gui.operations import patients

    opened = ctx.services.patients.get(NEWLY)
    dialog = patients.edit_patient(ctx, opened)
    qtbot.addWidget(dialog)
    dialog.weight_spin.setValue(66.0)
    # Meanwhile another window records a count for the same patient.
    ctx.services.records.add_count(NEWLY, PlateletCount(date=TODAY, value=41))
    accept(dialog)
    assert dialog.isVisible()  # opened again with what was typed
    assert dialog.weight_spin.value() == 66.0
    assert "after you opened it" in dialog.errors._general.text()
    stored = ctx.services.patients.get(NEWLY)
    assert stored.platelet_counts[-1].value == 41  # the other window's count is kept
    assert stored.weight_kg == opened.weight_kg


# ---------------------------------------------------------------- assessment panel


def test_checklist_records_a_missing_vaccine(qtbot: QtBot, ctx: OperationContext) -> None:
    view, panel = chart(qtbot, ctx)
    view.open_patient(SPLENECTOMY)
    buttons = [b for b in panel.record_buttons if b.text() == "Record vaccine…"]
    assert buttons
    opened: list[ImmunizationDialog] = []
    ctx.parent.show()
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    opened = [d for d in ctx.parent.findChildren(ImmunizationDialog) if d.isVisible()]
    assert len(opened) == 1
    dialog = opened[0]
    preset = VaccineCode(dialog.vaccine_combo.currentData())
    open_before = sum(1 for b in panel.record_buttons if b.text() == "Record vaccine…")
    accept(dialog)
    assert any(i.vaccine is preset for i in view.patient.immunizations)  # type: ignore[union-attr]
    open_after = sum(1 for b in panel.record_buttons if b.text() == "Record vaccine…")
    assert open_after <= open_before


def test_suppress_needs_a_reason_then_hides_the_finding(
    qtbot: QtBot, ctx: OperationContext
) -> None:
    view, panel = chart(qtbot, ctx)
    view.open_patient(REFRACTORY)
    card = panel.finding_cards[0]
    finding = card.finding
    ctx.parent.show()
    qtbot.mouseClick(card.action, Qt.MouseButton.LeftButton)
    dialog = next(d for d in ctx.parent.findChildren(SuppressDialog) if d.isVisible())
    dialog.reason_edit.setPlainText("Diagnosis confirmed by marrow in 2024")
    accept(dialog)
    assert panel.assessment is not None
    hidden = [f for f in panel.assessment.findings if f.key == finding.key]
    assert hidden[0].suppressed
    assert hidden[0].suppression_reason == "Diagnosis confirmed by marrow in 2024"
    suppressed_cards = [c for c in panel.finding_cards if c.finding.suppressed]
    assert suppressed_cards
    qtbot.mouseClick(suppressed_cards[0].action, Qt.MouseButton.LeftButton)
    assert not any(f.suppressed for f in panel.assessment.findings)


# ---------------------------------------------------------------- rescue


def test_rescue_mode_for_a_recorded_bleed(qtbot: QtBot, ctx: OperationContext) -> None:
    view = RescueView(ctx)
    qtbot.addWidget(view)
    assert view.open_for(BLEEDING)
    assert view.plan is not None
    assert view.plan.recorded
    assert "IVIG 1 g/kg × 74.5 kg = 74.5 g" in view.ivig_label.text()
    assert "1,000 mg/day × 3 days" in view.mp_label.text()
    assert not view.who_combo.isEnabled()
    box = view.step_boxes["tranexamic_acid"]
    box.setChecked(True)
    assert view.step_times["tranexamic_acid"].text().startswith("ticked ")
    audit = ctx.services.base.store_handle.repository().audit_log(BLEEDING)  # type: ignore[attr-defined]
    assert audit[-1].action == "rescue_step"
    assert audit[-1].after["step"] == "tranexamic_acid"
    keys = [s.key().toString() for s in view.findChildren(QShortcut)]
    assert "Esc" in keys
    with qtbot.waitSignal(view.back_requested):
        view.back_button.click()


def test_rescue_mode_for_an_unflagged_patient_records_the_episode(
    qtbot: QtBot, ctx: OperationContext
) -> None:
    view = RescueView(ctx)
    qtbot.addWidget(view)
    view.open_for(NEWLY)
    assert view.plan is not None
    assert not view.plan.recorded
    assert "64 g" in view.ivig_label.text()
    assert "not routine" in view.transfusion_label.text()
    view.life_check.setChecked(True)
    assert "INDICATED" in view.transfusion_label.text()
    view.weight_spin.setValue(70)
    view.weight_spin.editingFinished.emit()
    assert "70 g" in view.ivig_label.text()
    with qtbot.waitSignal(view.episode_recorded):
        qtbot.mouseClick(view.record_button, Qt.MouseButton.LeftButton)
    patient = ctx.services.patients.get(NEWLY)
    assert patient.weight_kg == 70
    assert patient.bleeding[-1].life_threatening
    assert view.plan.recorded


def test_rescue_step_time_is_the_clock_time() -> None:
    from itp_desktop.services.desktop_api import RescueStepRecord

    at = dt.datetime(2026, 11, 22, 10, 0, 5, tzinfo=dt.UTC)
    record = RescueStepRecord(patient_id="p", step="ivig", label="IVIG", at=at)
    assert local_time(record) == at.astimezone().strftime("%H:%M:%S")


# ---------------------------------------------------------------- worklist


def test_worklist_computes_in_the_background_and_opens_a_patient(
    qtbot: QtBot, ctx: OperationContext
) -> None:
    view = WorklistView(ctx)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.worklist_ready) as ready:
        qtbot.mouseClick(view.compute_button, Qt.MouseButton.LeftButton)
    worklist = ready.args[0]
    assert isinstance(worklist, Worklist)
    assert worklist.patients_checked == ctx.services.patients.count()
    assert view.compute_button.isEnabled()
    assert not view.progress.isVisibleTo(view)
    kinds = {item.kind for item in worklist.items}
    assert {"monitoring", "vaccine", "lost_to_follow_up"} <= kinds
    view.kind_combo.setCurrentIndex(view.kind_combo.findData("lost_to_follow_up"))
    assert view.proxy.rowCount() >= 1
    index = view.proxy.index(0, 2)
    assert "VOLKOV" in index.data()
    with qtbot.waitSignal(ctx.events.patient_opened) as opened:
        view.table.doubleClicked.emit(index)
    assert opened.args == ["demo-22-lost-to-follow-up"]


def test_worklist_with_a_real_worker_thread(qtbot: QtBot, ctx: OperationContext) -> None:
    from itp_desktop.gui.tasks import TaskRunner

    threaded = OperationContext(ctx.services, ctx.events, TaskRunner(), ctx.parent)
    view = WorklistView(threaded)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.worklist_ready, timeout=20_000):
        view.compute()
    assert view.worklist is not None
    assert not view.running
    threaded.tasks.shutdown()


# ---------------------------------------------------------------- timeline chart


def test_timeline_chart_draws_counts_lanes_and_hover(qtbot: QtBot, ctx: OperationContext) -> None:
    view, _panel = chart(qtbot, ctx)
    view.show()
    view.open_patient(REFRACTORY)
    timeline = view.timeline
    chart_widget = timeline.ensure_chart()
    patient = view.patient
    assert patient is not None
    assert chart_widget.drawn_counts == len(patient.platelet_counts)
    assert chart_widget.lane_count == len({c.agent for c in patient.courses})
    first = patient.courses[0]
    from itp_desktop.gui.views.timeline_chart import epoch

    bar = chart_widget.bar_at(epoch(first.start_date), 0)
    assert bar is not None
    assert chart_widget.bar_text(bar).startswith("Dexamethasone 40 mg daily")
    timeline.year_button.click()
    x0, x1 = chart_widget.x_range()
    assert 360 <= (x1 - x0) / 86_400 <= 380
    timeline.log_check.setChecked(False)
    assert not chart_widget.log_scale
    assert timeline.model.rowCount() > len(patient.platelet_counts)

"""`RescueView`: bleeding rescue mode — one screen, reached with F9 from any patient.

It shows the weight-based rescue doses (IVIG g, methylprednisolone mg), the platelet
transfusion rule and the rescue checklist, all from the engine's rescue plan (`RescueAccess`):
for a patient whose severe bleed is already recorded, that assessment's plan; otherwise the plan
for the bleed being described on this screen (WHO grade, life-threatening), computed before
anything is saved. A weight measured now can be typed in and the doses follow. Each checklist
step is timestamped in the audit log when it is ticked; "Record episode" saves the bleeding
assessment (and the weight) in the patient's record. Escape returns to the chart.
May import: PySide6, core, services API, services.display, gui.operations, gui.widgets.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from itp_desktop.core.changes import ChangeSet
from itp_desktop.core.errors import ItpError
from itp_desktop.core.models.patient import BleedingAssessment
from itp_desktop.core.units import fmt_count, fmt_number
from itp_desktop.gui.dialogs.bleeding_dialog import WHO_GRADES
from itp_desktop.gui.operations.context import OperationContext, mutate
from itp_desktop.gui.tasks import TaskToken
from itp_desktop.gui.views.timeline_data import bleeding_text
from itp_desktop.gui.widgets.layouts import clear_layout
from itp_desktop.gui.widgets.sources import SourcesRow
from itp_desktop.services.desktop_api import RescuePlan, RescueStepRecord
from itp_desktop.services.display import Labels

DOSE_STYLE = "font-size: 17pt; font-weight: 700; color: #1a1a1a;"
TITLE_STYLE = "font-size: 16pt; font-weight: 700; color: white; background: #b3261e; padding: 8px;"


def local_time(record: RescueStepRecord) -> str:
    """The step's time on the local clock, ``14:03:27``."""
    return record.at.astimezone().strftime("%H:%M:%S")


class RescueView(QWidget):
    """Bleeding rescue mode for one patient.

    Signals:
        back_requested(): leave rescue mode (back to the chart).
        episode_recorded(str): the episode was saved in this patient's record.
    """

    back_requested = Signal()
    episode_recorded = Signal(str)

    def __init__(self, ctx: OperationContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._labels = Labels(ctx.services.pack())
        self.patient_id: str | None = None
        self.plan: RescuePlan | None = None
        self.step_boxes: dict[str, QCheckBox] = {}
        self.step_times: dict[str, QLabel] = {}
        self.title = QLabel("Bleeding rescue")
        self.title.setStyleSheet(TITLE_STYLE)
        self.title.setAccessibleName("Bleeding rescue mode")
        self.who_combo = QComboBox()
        for value, label in WHO_GRADES:
            self.who_combo.addItem(label, value)
        self.who_combo.setCurrentIndex(self.who_combo.findData(3))
        self.who_combo.setAccessibleName("WHO bleeding grade now")
        self.life_check = QCheckBox("&Life-threatening bleeding")
        self.weight_spin = QDoubleSpinBox()
        self.weight_spin.setRange(0, 400)
        self.weight_spin.setDecimals(1)
        self.weight_spin.setSuffix(" kg")
        self.weight_spin.setSpecialValueText("weight not recorded")
        self.weight_spin.setAccessibleName("Weight now")
        self.bleed_label = QLabel()
        self.bleed_label.setWordWrap(True)
        self.record_button = QPushButton("&Record episode in the patient's record")
        self.back_button = QPushButton("Back to chart (Esc)")
        self.ivig_label = QLabel()
        self.mp_label = QLabel()
        self.transfusion_label = QLabel()
        self.txa_label = QLabel()
        for dose_label in (self.ivig_label, self.mp_label, self.transfusion_label, self.txa_label):
            dose_label.setStyleSheet(DOSE_STYLE)
            dose_label.setWordWrap(True)
            dose_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextFormat(Qt.TextFormat.RichText)
        self.checklist_box = QGroupBox("Checklist — each tick is timestamped in the audit trail")
        self.checklist_layout = QGridLayout(self.checklist_box)
        self.sources_holder = QVBoxLayout()
        self._build_layout()
        self.who_combo.currentIndexChanged.connect(self._on_inputs_changed)
        self.life_check.toggled.connect(self._on_inputs_changed)
        self.weight_spin.editingFinished.connect(self._on_inputs_changed)
        self.record_button.clicked.connect(self.record_episode)
        self.back_button.clicked.connect(self.back_requested)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.back_requested.emit)

    # ------------------------------------------------------------------ public API
    def open_for(self, patient_id: str) -> bool:
        """Show rescue mode for a patient; False when the patient cannot be read."""
        try:
            patient = self._ctx.services.patients.get(patient_id)
        except ItpError as exc:
            self._ctx.show_error(exc)
            return False
        self.patient_id = patient_id
        age = patient.age_years(self._ctx.services.today())
        self.title.setText(
            f"BLEEDING RESCUE — {patient.display_name} · MRN {patient.mrn} · {age} years"
        )
        self.weight_spin.blockSignals(True)
        self.weight_spin.setValue(patient.weight_kg or 0.0)
        self.weight_spin.blockSignals(False)
        self._clear_steps()
        self.recompute()
        self.who_combo.setFocus()
        return True

    def draft(self) -> BleedingAssessment:
        """The bleed described on the screen, dated today."""
        return BleedingAssessment(
            date=self._ctx.services.today(),
            who_grade=self.who_combo.currentData(),
            life_threatening=self.life_check.isChecked(),
            notes="Recorded in bleeding rescue mode",
        )

    def weight(self) -> float | None:
        value = self.weight_spin.value()
        return value if value > 0 else None

    def recompute(self) -> None:
        """Ask the services for the plan with the current inputs."""
        if self.patient_id is None:
            return
        try:
            plan = self._ctx.services.rescue.plan(self.patient_id, self.draft(), self.weight())
        except ItpError as exc:
            self._ctx.events.status_message.emit(exc.message)
            self.ivig_label.setText(f"Cannot compute the plan: {exc.message}")
            return
        self.show_plan(plan)

    def show_plan(self, plan: RescuePlan) -> None:
        self.plan = plan
        rescue = plan.rescue
        recorded = plan.recorded
        self.who_combo.setEnabled(not recorded)
        self.life_check.setEnabled(not recorded)
        self.record_button.setEnabled(not recorded or self._weight_changed())
        if plan.bleeding is not None:
            b = plan.bleeding
            state = "Recorded" if recorded else "Not yet recorded"
            grades = bleeding_text(
                b.who_grade, b.itpbat_skin, b.itpbat_mucosa, b.itpbat_organ, b.life_threatening
            )
            self.bleed_label.setText(f"{state}: {b.date.isoformat()} — {grades}")
        latest = plan.latest_count
        count = f"{fmt_count(latest.value)} on {latest.date.isoformat()}" if latest else "no count"
        if rescue is None:
            self.ivig_label.setText(
                "No rescue plan: the bleed described is not severe (WHO grade below 3 and not "
                "life-threatening)."
            )
            for label in (self.mp_label, self.transfusion_label, self.txa_label):
                label.clear()
            self.notes_label.setText(f"Latest platelet count: {escape(count)}")
            self._fill_checklist(plan)
            return
        weight = f"{fmt_number(rescue.weight_kg)} kg" if rescue.weight_kg else "weight not recorded"
        ivig = (
            f"{fmt_number(rescue.ivig_total_g)} g"
            if rescue.ivig_total_g is not None
            else "enter the weight to compute the dose"
        )
        self.ivig_label.setText(f"IVIG {fmt_number(rescue.ivig_g_per_kg)} g/kg × {weight} = {ivig}")
        mp = rescue.methylprednisolone_mg_per_day
        self.mp_label.setText(
            f"Methylprednisolone IV {fmt_number(mp)} mg/day × {rescue.methylprednisolone_days} days"
            if mp is not None
            else "Methylprednisolone: enter the weight (child dose is per kg)"
        )
        indicated = rescue.platelet_transfusion == "indicated"
        self.transfusion_label.setText(
            "Platelet transfusion: INDICATED (life-threatening bleeding)"
            if indicated
            else "Platelet transfusion: not routine (give it if the bleed becomes life-threatening)"
        )
        self.transfusion_label.setStyleSheet(DOSE_STYLE + ("color: #b3261e;" if indicated else ""))
        self.txa_label.setText("Tranexamic acid as an adjunct" if rescue.tranexamic_acid else "")
        notes = "".join(f"<li>{escape(n)}</li>" for n in rescue.notes)
        self.notes_label.setText(
            f"Latest platelet count: <b>{escape(count)}</b>. Rule {escape(rescue.rule)}."
            f"<ul>{notes}</ul>"
        )
        self._fill_checklist(plan)
        clear_layout(self.sources_holder)
        self.sources_holder.addWidget(SourcesRow(rescue.sources, self._labels, rescue.rule))

    def record_episode(self) -> None:
        """Save the bleed (and a newly measured weight) in the patient's record."""
        patient_id = self.patient_id
        plan = self.plan
        if patient_id is None or plan is None:
            return
        bleeding = None if plan.recorded else self.draft()
        weight = self.weight() if self._weight_changed() else None
        services = self._ctx.services

        def call() -> ChangeSet:
            if bleeding is not None:
                return services.rescue.record_episode(patient_id, bleeding, weight)
            return services.records.set_weight(patient_id, weight or 0.0)

        def done(_changes: object) -> None:
            self.episode_recorded.emit(patient_id)
            self.recompute()

        mutate(
            self._ctx,
            call,
            success="Bleeding episode recorded in the patient's record.",
            on_done=done,
        )

    # ------------------------------------------------------------------ helpers
    def _weight_changed(self) -> bool:
        if self.plan is None or self.patient_id is None:
            return False
        weight = self.weight()
        try:
            stored = self._ctx.services.patients.get(self.patient_id).weight_kg
        except ItpError:
            return False
        return weight is not None and weight != stored

    def _build_layout(self) -> None:
        inputs = QGroupBox("The bleed now")
        row = QHBoxLayout(inputs)
        row.addWidget(QLabel("WHO grade:"))
        row.addWidget(self.who_combo, 2)
        row.addWidget(self.life_check)
        row.addWidget(QLabel("Weight:"))
        row.addWidget(self.weight_spin)
        row.addWidget(self.record_button)
        doses = QFrame()
        doses.setObjectName("doses")
        doses.setStyleSheet("QFrame#doses { border: 2px solid #b3261e; border-radius: 4px; }")
        dose_layout = QVBoxLayout(doses)
        for label in (self.ivig_label, self.mp_label, self.transfusion_label, self.txa_label):
            dose_layout.addWidget(label)
        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(inputs)
        column.addWidget(self.bleed_label)
        column.addWidget(doses)
        column.addWidget(self.checklist_box)
        column.addWidget(self.notes_label)
        column.addLayout(self.sources_holder)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)

    def _clear_steps(self) -> None:
        self.step_boxes.clear()
        self.step_times.clear()

    def _fill_checklist(self, plan: RescuePlan) -> None:
        ticked = {code: box.isChecked() for code, box in self.step_boxes.items()}
        times = {code: label.text() for code, label in self.step_times.items()}
        clear_layout(self.checklist_layout)
        self.step_boxes = {}
        self.step_times = {}
        items = plan.checklist.items if plan.checklist is not None else []
        for index, step in enumerate(items):
            applies = step.status.value != "not_applicable"
            box = QCheckBox(step.label or step.code)
            box.setEnabled(applies)
            box.setChecked(ticked.get(step.code, False) or step.status.value == "done")
            box.setToolTip(step.detail)
            detail = QLabel(step.detail if applies else f"Not applicable: {step.detail}")
            detail.setWordWrap(True)
            detail.setStyleSheet("color: #555;")
            stamp = QLabel(times.get(step.code, ""))
            stamp.setStyleSheet("color: #1b6e3a; font-weight: 600;")
            box.toggled.connect(
                lambda checked, code=step.code, label=step.label: self._on_step_toggled(
                    code, label, checked
                )
            )
            self.checklist_layout.addWidget(box, index, 0)
            self.checklist_layout.addWidget(detail, index, 1)
            self.checklist_layout.addWidget(stamp, index, 2)
            self.step_boxes[step.code] = box
            self.step_times[step.code] = stamp
        self.checklist_layout.setColumnStretch(1, 1)

    def _on_step_toggled(self, code: str, label: str, checked: bool) -> None:
        patient_id = self.patient_id
        if patient_id is None or not checked:
            if code in self.step_times and not checked:
                self.step_times[code].setText("")
            return
        rescue = self._ctx.services.rescue

        def work(_token: TaskToken) -> RescueStepRecord:
            return rescue.record_step(patient_id, code, label)

        def done(record: RescueStepRecord) -> None:
            if code in self.step_times:
                self.step_times[code].setText(f"ticked {local_time(record)}")
            self._ctx.events.status_message.emit(f"{label}: ticked at {local_time(record)}")

        def failed(exc: BaseException) -> None:
            box = self.step_boxes.get(code)
            if box is not None:
                box.blockSignals(True)
                box.setChecked(False)
                box.blockSignals(False)
            self._ctx.show_error(exc)

        self._ctx.tasks.run(work, on_done=done, on_error=failed)

    def _on_inputs_changed(self, *_args: object) -> None:
        self.recompute()

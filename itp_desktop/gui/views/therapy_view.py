"""`TherapyView`: therapy lines with response, time to response, adequacy and reasons.

Concurrent courses are named as such; start, titrate (dose change) and stop from here. The
drug-o-gram view of the same courses is the timeline's lanes. Selecting a course shows its
assessment details (evaluation window, baseline, counts evaluated, rules).
May import: PySide6, core, services API, services.display, gui.models, gui.operations.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from itp_desktop.core.models.assessment import Assessment
from itp_desktop.core.models.patient import Patient, TherapyCourse
from itp_desktop.core.units import fmt_count
from itp_desktop.gui.models.base import OBJECT_ROLE, RESIZE_ROWS, SortProxy
from itp_desktop.gui.models.course_table_model import (
    COL_START,
    COL_WHY,
    CourseRow,
    CourseTableModel,
    course_rows,
)
from itp_desktop.services.display import Labels, dose_text


class TherapyView(QWidget):
    """Therapy lines of the open patient.

    Signals:
        add_requested(): start a course.
        dose_requested(object): record a dose change of this `TherapyCourse`.
        stop_requested(object): stop this `TherapyCourse`.
    """

    add_requested = Signal()
    dose_requested = Signal(object)
    stop_requested = Signal(object)

    def __init__(self, labels: Labels, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels = labels
        self.model = CourseTableModel(self)
        self.proxy = SortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_START, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName("Therapy courses")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Size columns from the first rows only: a 2,000-count table stays instant.
        header.setResizeContentsPrecision(RESIZE_ROWS)
        header.setSectionResizeMode(COL_WHY, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("&Start course… (Ctrl+T)")
        self.dose_button = QPushButton("Record &dose change… (Ctrl+D)")
        self.stop_button = QPushButton("S&top course… (Ctrl+Shift+T)")
        self.details = QLabel("Select a course to see how it was assessed.")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.dose_button, self.stop_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        self.add_button.clicked.connect(self.add_requested)
        self.dose_button.clicked.connect(self._on_dose_button_clicked)
        self.stop_button.clicked.connect(self._on_stop_button_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self._update_buttons()

    def show_patient(self, patient: Patient, assessment: Assessment | None, today: dt.date) -> None:
        """Show the patient's courses with their assessment."""
        selected = self.selected_course()
        self.model.set_rows(course_rows(patient, assessment, self._labels, today))
        if selected is not None:
            self.select_course(selected.id)
        self._update_buttons()

    def selected_course(self) -> TherapyCourse | None:
        row = self.selected_row()
        return row.course if row is not None else None

    def selected_row(self) -> CourseRow | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        row = indexes[0].data(OBJECT_ROLE)
        return row if isinstance(row, CourseRow) else None

    def select_course(self, course_id: str | None) -> None:
        for proxy_row in range(self.proxy.rowCount()):
            row = self.proxy.index(proxy_row, 0).data(OBJECT_ROLE)
            if isinstance(row, CourseRow) and row.course.id == course_id:
                self.table.selectRow(proxy_row)
                return

    def ongoing_course(self) -> TherapyCourse | None:
        """The selected course, or the only ongoing one when nothing is selected."""
        selected = self.selected_course()
        if selected is not None:
            return selected
        ongoing = [r.course for r in self.model.rows if r.course.stop_date is None]
        return ongoing[0] if len(ongoing) == 1 else None

    def _update_buttons(self) -> None:
        course = self.ongoing_course()
        self.dose_button.setEnabled(course is not None and course.stop_date is None)
        self.stop_button.setEnabled(course is not None and course.stop_date is None)

    def _details_html(self, row: CourseRow) -> str:
        course, result = row.course, row.result
        lines = [f"<b>{escape(row.agent_label)}</b> — {escape(row.response_label)}"]
        steps = "; ".join(
            f"{s.effective_date.isoformat()}: {escape(dose_text(s))}" for s in course.dose_steps
        )
        lines.append(f"Doses: {steps}")
        if row.concurrent:
            lines.append(f"Given together with: {escape(', '.join(row.concurrent))}")
        if result is not None:
            if result.window is not None:
                lines.append(
                    f"Evaluated {result.window.start.isoformat()} to "
                    f"{result.window.end.isoformat()} ({result.counts_in_window} counts)"
                )
            if result.baseline is not None:
                lines.append(
                    f"Baseline {escape(fmt_count(result.baseline.value))} on "
                    f"{result.baseline.date.isoformat()}"
                )
            if result.confirmed_on is not None:
                lines.append(f"Response confirmed on {result.confirmed_on.isoformat()}")
            if result.loss_of_response:
                lines.append("<b>Response was lost.</b>")
            if result.adequacy_reasons:
                lines.append(
                    f"{escape(row.adequacy_label)}: " + escape("; ".join(result.adequacy_reasons))
                )
            if result.rules:
                lines.append(f"<span style='color:#666'>Rules: {', '.join(result.rules)}</span>")
        return "<br>".join(lines)

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        row = self.selected_row()
        self.details.setText(
            self._details_html(row) if row else "Select a course to see how it was assessed."
        )
        self._update_buttons()

    def _on_dose_button_clicked(self) -> None:
        course = self.ongoing_course()
        if course is not None:
            self.dose_requested.emit(course)

    def _on_stop_button_clicked(self) -> None:
        course = self.ongoing_course()
        if course is not None:
            self.stop_requested.emit(course)

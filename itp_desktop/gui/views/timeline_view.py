"""`TimelineView`: the ITP timeline chart with the same data as a table beside it.

The chart (pyqtgraph) is created the first time the tab is shown, so opening the window never
imports pyqtgraph. Controls: log/linear scale, whole record / last 12 months / last 3 months,
and a line that shows the dose of the therapy bar under the mouse.
May import: PySide6, core, services.display, gui.models, gui.views.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from itp_desktop.core.models.patient import Patient
from itp_desktop.gui.models.base import RESIZE_ROWS, SortProxy
from itp_desktop.gui.models.timeline_table_model import COL_DATE, COL_DETAIL, TimelineTableModel
from itp_desktop.gui.views.timeline_data import timeline_events
from itp_desktop.services.display import Labels

if TYPE_CHECKING:
    from itp_desktop.gui.views.timeline_chart import TimelineChart


class TimelineView(QWidget):
    """Chart + table of one patient's record."""

    def __init__(self, labels: Labels, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels = labels
        self._patient: Patient | None = None
        self._today = dt.date.min
        self.chart: TimelineChart | None = None
        self.log_check = QCheckBox("&Log scale")
        self.log_check.setChecked(True)
        self.all_button = QPushButton("Whole record")
        self.year_button = QPushButton("Last 12 months")
        self.quarter_button = QPushButton("Last 3 months")
        self.hover_label = QLabel("Hover over a therapy bar to see its dose.")
        self.hover_label.setStyleSheet("color: #444;")
        controls = QHBoxLayout()
        for widget in (self.log_check, self.all_button, self.year_button, self.quarter_button):
            controls.addWidget(widget)
        controls.addWidget(self.hover_label, 1)
        self.model = TimelineTableModel(self)
        self.proxy = SortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName("Timeline events table")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Size columns from the first rows only: a 2,000-count table stays instant.
        header.setResizeContentsPrecision(RESIZE_ROWS)
        # Date, type and what size to their contents; the free-text details take the rest and
        # elide (the full text is in the tooltip), so the "what" column is never squeezed.
        header.setSectionResizeMode(COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        self.chart_holder = QWidget()
        self.chart_layout = QVBoxLayout(self.chart_holder)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.chart_holder)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.splitter, 1)
        self.log_check.toggled.connect(self._on_log_check_toggled)
        self.all_button.clicked.connect(self._on_all_button_clicked)
        self.year_button.clicked.connect(self._on_year_button_clicked)
        self.quarter_button.clicked.connect(self._on_quarter_button_clicked)

    def show_patient(self, patient: Patient, today: dt.date) -> None:
        """Show a patient's record (the chart is drawn now if it is on screen)."""
        self._patient = patient
        self._today = today
        self.model.set_rows(timeline_events(patient, self._labels, today))
        if self.chart is not None or self.isVisible():
            self.ensure_chart().set_patient(patient, today)

    def ensure_chart(self) -> TimelineChart:
        """Create the chart (first use imports pyqtgraph)."""
        if self.chart is None:
            from itp_desktop.gui.views.timeline_chart import TimelineChart

            self.chart = TimelineChart(self._labels, self.chart_holder)
            self.chart.set_log_scale(self.log_check.isChecked())
            self.chart.hovered.connect(self._on_chart_hovered)
            self.chart_layout.addWidget(self.chart)
            # The chart gets about two thirds of the width; the table the rest.
            total = max(self.splitter.width(), 900)
            self.splitter.setSizes([int(total * 0.64), int(total * 0.36)])
            if self._patient is not None:
                self.chart.set_patient(self._patient, self._today)
        return self.chart

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._patient is not None and self.chart is None:
            self.ensure_chart()

    def _on_log_check_toggled(self, checked: bool) -> None:
        if self.chart is not None:
            self.chart.set_log_scale(checked)

    def _on_all_button_clicked(self) -> None:
        if self.chart is not None:
            self.chart.show_all()

    def _on_year_button_clicked(self) -> None:
        if self.chart is not None:
            self.chart.show_last(365)

    def _on_quarter_button_clicked(self) -> None:
        if self.chart is not None:
            self.chart.show_last(92)

    def _on_chart_hovered(self, text: str) -> None:
        self.hover_label.setText(text or "Hover over a therapy bar to see its dose.")

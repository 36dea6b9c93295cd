"""`RecordView`: bleeding, vaccines, work-up, procedures and monitoring of the open patient.

Each list has its "Record…" button; the lists are the timeline's events filtered by kind.
May import: PySide6, core, gui.models, gui.views.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from itp_desktop.core.models.patient import Patient
from itp_desktop.gui.models.base import RESIZE_ROWS
from itp_desktop.gui.models.timeline_table_model import (
    COL_DATE,
    COL_KIND,
    COL_WHAT,
    KindFilterProxy,
    TimelineTableModel,
)
from itp_desktop.gui.views.timeline_data import timeline_events
from itp_desktop.services.display import Labels

SECTIONS = (
    ("bleeding", "Bleeding assessments", "Record &bleeding assessment… (Ctrl+B)"),
    ("vaccine", "Vaccines", "Record &vaccine dose… (Ctrl+I)"),
    ("workup", "Work-up and serology", "Record &work-up result… (Ctrl+U)"),
    ("procedure", "Procedures", "Record &procedure… (Ctrl+Shift+O)"),
    ("monitoring", "Monitoring (liver tests, blood pressure…)", "Record &monitoring… (Ctrl+M)"),
)


class RecordView(QWidget):
    """Lists of non-count entries.

    Signals:
        add_requested(str): record an entry of this kind (bleeding, vaccine, workup, procedure,
            monitoring).
    """

    add_requested = Signal(str)

    def __init__(self, labels: Labels, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels = labels
        self.model = TimelineTableModel(self)
        self.tables: dict[str, QTableView] = {}
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        for index, (kind, title, button_text) in enumerate(SECTIONS):
            box = QGroupBox(title)
            column = QVBoxLayout(box)
            proxy = KindFilterProxy(frozenset({kind}), self)
            proxy.setSourceModel(self.model)
            table = QTableView()
            table.setModel(proxy)
            table.setSortingEnabled(True)
            table.sortByColumn(COL_DATE, Qt.SortOrder.DescendingOrder)
            table.setColumnHidden(COL_KIND, True)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.verticalHeader().setVisible(False)
            table.setAccessibleName(title)
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            # Size columns from the first rows only: a 2,000-count table stays instant.
            header.setResizeContentsPrecision(RESIZE_ROWS)
            header.setSectionResizeMode(COL_WHAT, QHeaderView.ResizeMode.Stretch)
            button = QPushButton(button_text)
            button.clicked.connect(lambda _checked=False, k=kind: self.add_requested.emit(k))
            column.addWidget(table)
            column.addWidget(button)
            self.tables[kind] = table
            self.buttons[kind] = button
            grid.addWidget(box, index // 2, index % 2)

    def show_patient(self, patient: Patient, today: dt.date) -> None:
        self.model.set_rows(timeline_events(patient, self._labels, today))

    def row_count(self, kind: str) -> int:
        return self.tables[kind].model().rowCount()

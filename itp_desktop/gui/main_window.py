"""`MainWindow`: the minimal shell of the application.

It holds the patient registry with search, a read-only summary of the selected patient, a
status bar (store, version, knowledge pack) and the About box. The full window (panels, docks,
actions) is a later issue; this one is small but real: it reads through `GuiServices` only,
never the store or the engine. Searching is debounced so typing does not query the store on
every key press. May import: PySide6, services.api, core, gui.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from itp_desktop.core.errors import ItpError
from itp_desktop.core.models.patient import Patient, PatientSummary
from itp_desktop.core.units import UNIT_LABELS, fmt_count, fmt_number
from itp_desktop.gui.about_dialog import AboutDialog
from itp_desktop.gui.errors import show_error
from itp_desktop.gui.models.patient_list_model import COL_ID, COL_NAME, PatientListModel
from itp_desktop.services.api import GuiServices

SEARCH_DELAY_MS = 250


class MainWindow(QMainWindow):
    """The application window."""

    def __init__(self, services: GuiServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._info = services.app_info()
        self.setWindowTitle("ITP Desktop")
        self.resize(1100, 700)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search by name, MRN or birth date (YYYY-MM-DD)")
        self.search_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.model = PatientListModel(self._fetch_page, parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnHidden(COL_ID, True)
        self.summary = QTextBrowser()
        self.summary.setOpenLinks(False)
        self.summary.setPlaceholderText("Select a patient to see a summary.")

        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.count_label)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 0)
        left_layout.addLayout(search_row)
        left_layout.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.summary)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.setCentralWidget(splitter)

        self._build_menus()
        self._build_status_bar()

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.refresh()

    # ------------------------------------------------------------------ public
    def refresh(self) -> None:
        """Run the current search again (after a change elsewhere)."""
        query = self.search_edit.text().strip()
        try:
            total = self._services.patients.count(query)
            self.model.set_query(query)
        except ItpError as exc:
            self.statusBar().showMessage(exc.message, 10_000)
            return
        self.count_label.setText(_plural(total, "patient"))
        self.summary.clear()

    # ------------------------------------------------------------------ building
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        self.about_action = QAction("&About ITP Desktop", self)
        self.about_action.triggered.connect(self._on_about_action_triggered)
        help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        info = self._info
        self.store_label = QLabel(f"Store: {info.store_path}")
        self.version_label = QLabel(f"ITP Desktop {info.version}")
        self.pack_label = QLabel(f"Knowledge: {info.knowledge_pack}")
        for label in (self.store_label, self.pack_label, self.version_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.statusBar().addPermanentWidget(label)

    # ------------------------------------------------------------------ helpers
    def _fetch_page(self, query: str, offset: int, limit: int) -> list[PatientSummary]:
        return self._services.patients.search(query, limit=limit, offset=offset)

    def _show_patient(self, patient_id: str) -> None:
        try:
            patient = self._services.patients.get(patient_id)
        except ItpError as exc:
            show_error(self, exc)
            return
        self.summary.setHtml(summary_html(patient, self._services.today()))

    # ------------------------------------------------------------------ slots
    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_search_timer_timeout(self) -> None:
        self.refresh()

    def _on_selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        self._show_patient(self.model.row_object(indexes[0].row()).id)

    def _on_about_action_triggered(self) -> None:
        AboutDialog(self._info, self).exec()


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def summary_html(patient: Patient, today: dt.date) -> str:
    """A short read-only summary of a patient record (display only: no clinical rules)."""
    lines = [
        f"<h3>{escape(patient.display_name)}</h3>",
        f"<p>MRN {escape(patient.mrn)} · born {patient.birth_date.isoformat()} "
        f"({patient.age_years(today)} years) · {escape(patient.sex.value)}",
    ]
    if patient.weight_kg is not None:
        lines.append(f" · {fmt_number(patient.weight_kg)} kg")
    lines.append("</p>")
    if patient.diagnosis is not None:
        lines.append(
            f"<p>ITP ({escape(patient.diagnosis.type.value)}) diagnosed "
            f"{escape(patient.diagnosis.date)}</p>"
        )
    dated = [c for c in patient.platelet_counts if c.date <= today]
    if dated:
        latest = max(dated, key=lambda c: c.date)
        entered = (
            ""
            if latest.unit.value == "10^9/L"
            else f" (entered {fmt_number(latest.value)} {UNIT_LABELS[latest.unit]})"
        )
        lines.append(
            f"<p>Latest platelet count: <b>{fmt_count(latest.value_e9)}</b> on "
            f"{latest.date.isoformat()}{escape(entered)}</p>"
        )
    else:
        lines.append("<p>No platelet count recorded.</p>")
    ongoing = [c for c in patient.courses if c.stop_date is None and c.start_date <= today]
    if ongoing:
        items = []
        for course in ongoing:
            step = [s for s in course.dose_steps if s.effective_date <= today][-1]
            items.append(
                f"<li>{escape(course.agent.value)} {fmt_number(step.amount)} "
                f"{escape(step.unit.value)} {escape(step.frequency.value)} "
                f"(since {course.start_date.isoformat()})</li>"
            )
        lines.append("<p>Ongoing therapy:</p><ul>" + "".join(items) + "</ul>")
    tallies = (
        _plural(len(patient.platelet_counts), "count"),
        _plural(len(patient.courses), "therapy course"),
        _plural(len(patient.bleeding), "bleeding assessment"),
        _plural(len(patient.immunizations), "vaccine dose"),
    )
    lines.append(f"<p>{' · '.join(tallies)}</p>")
    if patient.notes:
        lines.append(f"<p><i>{escape(patient.notes)}</i></p>")
    return "".join(lines)

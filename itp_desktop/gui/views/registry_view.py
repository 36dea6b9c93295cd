"""`RegistryView`: search-as-you-type over the patient registry, the table, recent patients.

Typing restarts a short debounce timer; when it fires, one count and one page of the search
run through the services (indexed queries, a few milliseconds at 100,000 patients). The table's
summary columns are computed for visible rows only, in the background (`RegistryModel`).
Enter or a double-click opens the patient's chart. May import: PySide6, core, services API,
services.display, gui.models, gui.operations.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from itp_desktop.core.changes import ChangeSet
from itp_desktop.core.errors import ItpError
from itp_desktop.core.models.patient import PatientSummary
from itp_desktop.gui.models.base import OBJECT_ROLE
from itp_desktop.gui.models.registry_model import (
    COL_FINDING,
    COL_NAME,
    COL_THERAPY,
    RegistryModel,
    display_name,
)
from itp_desktop.gui.operations.context import OperationContext
from itp_desktop.gui.tasks import TaskToken
from itp_desktop.services.desktop_api import PatientOverview
from itp_desktop.services.display import Labels

SEARCH_DELAY_MS = 120


class RegistryView(QWidget):
    """The patient registry.

    Signals:
        search_done(str): the list now shows the patients matching this query.
    """

    search_done = Signal(str)

    def __init__(self, ctx: OperationContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(
            "Search by name, MRN or birth date (YYYY-MM-DD) — Ctrl+F"
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search patients")
        self.archived_check = QCheckBox("Show &archived")
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of patients found")
        self.model = RegistryModel(
            self._fetch_page, self._request_overviews, Labels(ctx.services.pack()), parent=self
        )
        self._build_table()
        self.new_button = QPushButton("&New patient… (Ctrl+N)")
        self.open_button = QPushButton("&Open chart (Enter)")
        self.edit_button = QPushButton("&Edit… (Ctrl+E)")
        self.archive_button = QPushButton("Archi&ve… (Ctrl+Shift+A)")
        self.recent_list = QListWidget()
        self.recent_list.setAccessibleName("Recent patients")
        self.recent_list.setMaximumWidth(260)
        main, side = self._build_panes()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(main)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.search_edit.installEventFilter(self)
        self.archived_check.toggled.connect(self.refresh)
        self.table.activated.connect(self._on_table_activated)
        self.table.doubleClicked.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.recent_list.itemActivated.connect(self._on_recent_activated)
        ctx.events.data_changed.connect(self._on_data_changed)
        ctx.events.store_replaced.connect(self._on_store_replaced)
        self.refresh()
        self.update_recent()

    def _build_panes(self) -> tuple[QWidget, QWidget]:
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.archived_check)
        search_row.addWidget(self.count_label)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.edit_button, self.archive_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        main = QWidget()
        main_layout = QVBoxLayout(main)
        main_layout.setContentsMargins(0, 0, 0, 0)
        main_layout.addLayout(search_row)
        main_layout.addWidget(self.table, 1)
        main_layout.addLayout(buttons)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel("Recent patients"))
        side_layout.addWidget(self.recent_list, 1)
        return main, side

    def _build_table(self) -> None:
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName("Patient registry")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((0, 95), (COL_NAME, 210), (2, 90), (3, 115), (4, 95), (5, 90)):
            header.resizeSection(column, width)
        header.resizeSection(COL_THERAPY, 250)
        header.resizeSection(COL_FINDING, 420)

    # ------------------------------------------------------------------ public API
    def refresh(self) -> None:
        """Run the current search again, in the background; typing never waits for the store.

        Short fragments (one or two letters) cannot use the store's trigram index and take a
        few hundred milliseconds at 100,000 patients, so the search runs as a task and only the
        answer to the latest query is shown.
        """
        query = self.search_edit.text().strip()
        archived = self.archived_check.isChecked()
        patients = self._ctx.services.patients
        size = self.model.page_size
        self._generation += 1
        generation = self._generation

        def work(_token: TaskToken) -> tuple[int, list[PatientSummary]]:
            total = patients.count(query, include_archived=archived)
            return total, patients.search(query, limit=size, include_archived=archived)

        def done(result: tuple[int, list[PatientSummary]]) -> None:
            if generation != self._generation:
                return  # the user typed on; a newer search is on its way
            total, first = result
            self.model.set_query(query, archived, first)
            noun = "patient" if total == 1 else "patients"
            self.count_label.setText(f"{total:,} {noun}")
            if self.model.rowCount():
                self.table.selectRow(0)
            self.search_done.emit(query)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ItpError):
                self._ctx.events.status_message.emit(exc.message)
            else:
                self._ctx.show_error(exc)

        self._ctx.tasks.run(work, on_done=done, on_error=failed)

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def selected(self) -> PatientSummary | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        row = indexes[0].data(OBJECT_ROLE)
        return row if isinstance(row, PatientSummary) else None

    def update_recent(self) -> None:
        """Fill the recent-patients list from the settings."""
        self.recent_list.clear()
        self.recent_list.setToolTip("Patients you open appear here; Enter opens one.")
        for patient_id in self._ctx.services.settings.current().recent_patients:
            try:
                patient = self._ctx.services.patients.get(patient_id)
            except ItpError:
                continue  # archived in another window, or a restored older store
            item = QListWidgetItem(f"{patient.display_name} · {patient.mrn}")
            item.setData(Qt.ItemDataRole.UserRole, patient_id)
            self.recent_list.addItem(item)

    # ------------------------------------------------------------------ helpers
    def _fetch_page(
        self, query: str, offset: int, limit: int, archived: bool
    ) -> list[PatientSummary]:
        return self._ctx.services.patients.search(
            query, limit=limit, offset=offset, include_archived=archived
        )

    def _request_overviews(self, patient_ids: Sequence[str]) -> None:
        overview = self._ctx.services.overview

        def work(_token: TaskToken) -> list[PatientOverview]:
            results = []
            for patient_id in patient_ids:
                try:
                    results.append(overview.overview(patient_id))
                except ItpError as exc:
                    results.append(PatientOverview(patient_id=patient_id, problem=exc.message))
            return results

        self._ctx.tasks.run(work, on_done=self.model.set_overviews)

    # ------------------------------------------------------------------ slots
    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._timer.start()

    def _on_table_activated(self, index: QModelIndex) -> None:
        row = index.data(OBJECT_ROLE)
        if isinstance(row, PatientSummary):
            self._ctx.events.patient_opened.emit(row.id)

    def _on_open_button_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self._ctx.events.patient_opened.emit(row.id)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.data(OBJECT_ROLE) if current.isValid() else None
        if isinstance(row, PatientSummary):
            self._ctx.events.patient_selected.emit(row.id)
            self._ctx.events.status_message.emit(f"Selected {display_name(row)} (MRN {row.mrn})")

    def _on_recent_activated(self, item: QListWidgetItem) -> None:
        self._ctx.events.patient_opened.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    def _on_data_changed(self, changes: ChangeSet) -> None:
        if changes.created or changes.removed:
            self.refresh()
        elif changes.patients:
            self.model.forget(changes.patients)
        if changes.settings:
            self.update_recent()

    def _on_store_replaced(self) -> None:
        self.model.forget_all()
        self.refresh()
        self.update_recent()

    # ------------------------------------------------------------------ Qt overrides
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search_edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            if self._timer.isActive():
                self._timer.stop()
                self.refresh()
            if event.key() == Qt.Key.Key_Down:
                self.table.setFocus()
            else:
                self._on_open_button_clicked()
            return True
        return super().eventFilter(watched, event)

"""`WorklistView`: what is due or overdue across all patients, computed in the background.

"Compute" runs `WorklistAccess.compute` as a cancellable task with a progress bar; the table is
filterable by kind, overdue only and free text; a double-click (or Enter) opens the patient.
May import: PySide6, core, services API, gui.models, gui.operations.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from itp_desktop.gui.models.base import OBJECT_ROLE, RESIZE_ROWS
from itp_desktop.gui.models.worklist_model import (
    COL_DETAIL,
    COL_DUE,
    COL_WHAT,
    KIND_LABELS,
    WorklistModel,
    WorklistProxy,
)
from itp_desktop.gui.operations import worklist as worklist_ops
from itp_desktop.gui.operations.context import OperationContext
from itp_desktop.gui.tasks import TaskHandle
from itp_desktop.services.desktop_api import Worklist, WorklistItem


class WorklistView(QWidget):
    """The cross-patient worklist.

    Signals:
        worklist_ready(object): a computed `Worklist` is shown.
    """

    worklist_ready = Signal(object)

    def __init__(self, ctx: OperationContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._task: TaskHandle | None = None
        self.worklist: Worklist | None = None
        self.compute_button = QPushButton("&Compute worklist")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setAccessibleName("Worklist progress")
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("Everything", None)
        for kind, label in KIND_LABELS.items():
            self.kind_combo.addItem(label, kind)
        self.kind_combo.setAccessibleName("Show kind")
        self.overdue_check = QCheckBox("&Overdue only")
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by patient, MRN or test")
        self.filter_edit.setAccessibleName("Filter worklist")
        self.filter_edit.setClearButtonEnabled(True)
        self.summary_label = QLabel("Press “Compute worklist” to check every patient.")
        self.model = WorklistModel(self)
        self.proxy = WorklistProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = self._build_table()
        top = QHBoxLayout()
        top.addWidget(self.compute_button)
        top.addWidget(self.cancel_button)
        top.addWidget(self.progress, 3)
        top.addStretch(1)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Show:"))
        filters.addWidget(self.kind_combo)
        filters.addWidget(self.overdue_check)
        filters.addWidget(self.filter_edit, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        self.compute_button.clicked.connect(self.compute)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self.overdue_check.toggled.connect(self.proxy.set_overdue_only)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.table.activated.connect(self._on_table_activated)
        self.table.doubleClicked.connect(self._on_table_activated)

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(COL_DUE, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        table.setAccessibleName("Worklist")
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Size columns from the first rows only: a 2,000-count table stays instant.
        header.setResizeContentsPrecision(RESIZE_ROWS)
        header.setSectionResizeMode(COL_WHAT, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(COL_WHAT, 360)
        table.setWordWrap(False)
        return table

    @property
    def running(self) -> bool:
        return self._task is not None and self._task.running

    def compute(self) -> None:
        """Start computing (ignored while a computation runs)."""
        if self.running:
            return
        self.compute_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.summary_label.setText("Checking every patient…")
        self._task = worklist_ops.compute(
            self._ctx,
            on_done=self._on_worklist_computed,
            progress=self._on_progress,
            on_error=self._on_worklist_failed,
        )

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(f"{done:,} of {total:,} patients")

    def _on_worklist_computed(self, worklist: Worklist) -> None:
        self._reset_controls()
        self.worklist = worklist
        self.model.set_rows(worklist.items)
        overdue = sum(1 for i in worklist.items if i.overdue)
        state = " (cancelled: partial list)" if worklist.cancelled else ""
        self.summary_label.setText(
            f"{len(worklist.items)} items, {overdue} overdue, from {worklist.patients_checked:,} "
            f"patients on {worklist.as_of.isoformat()}{state}. Double-click opens the patient."
        )
        self.worklist_ready.emit(worklist)

    def _on_worklist_failed(self, exc: BaseException) -> None:
        self._reset_controls()
        self.summary_label.setText("The worklist could not be computed.")
        self._ctx.show_error(exc)

    def _reset_controls(self) -> None:
        self.compute_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setVisible(False)

    def _on_cancel_button_clicked(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _on_kind_combo_changed(self, _index: int) -> None:
        self.proxy.set_kind(self.kind_combo.currentData())

    def _on_table_activated(self, index: QModelIndex) -> None:
        item = index.data(OBJECT_ROLE)
        if isinstance(item, WorklistItem) and item.patient_id:
            self._ctx.events.patient_opened.emit(item.patient_id)

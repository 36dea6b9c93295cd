"""`CountsView`: fast keyboard entry of platelet counts, and the counts table.

Type the date, the value and the unit; Enter saves and readies the next count (same date
field, value cleared, focus back on the value). The conversion to ×10⁹/L is shown live and an
implausible value is refused before saving with the reason from `core.units.platelet_problem`.
If the save fails, the typed value stays in the row with the reason under it: nothing typed is
lost. Select a count and press "Correct…" to fix it (the audit trail keeps the old value).
May import: PySide6, core, services API, gui.models, gui.dialogs, gui.widgets.
"""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from itp_desktop.core.codes import PlateletUnit
from itp_desktop.core.models.patient import Patient, PlateletCount
from itp_desktop.core.units import UNIT_LABELS
from itp_desktop.core.validation import problems_from_pydantic
from itp_desktop.gui.dialogs.count_dialog import conversion_text, parse_number
from itp_desktop.gui.dialogs.patient_dialog import enum_combo
from itp_desktop.gui.models.base import OBJECT_ROLE, RESIZE_ROWS, SortProxy
from itp_desktop.gui.models.count_table_model import COL_DATE, COL_NOTES, CountTableModel
from itp_desktop.gui.widgets.date_edit import DateEdit
from itp_desktop.gui.widgets.field_errors import error_label


class CountsView(QWidget):
    """Counts of the open patient.

    Signals:
        count_entered(object): a valid `PlateletCount` to save.
        correct_requested(object): correct this `PlateletCount`.
    """

    count_entered = Signal(object)
    correct_requested = Signal(object)

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date_edit = DateEdit(today)
        self.date_edit.setAccessibleName("Count date")
        self.value_edit = QLineEdit()
        self.value_edit.setAccessibleName("Platelet count value")
        self.value_edit.setPlaceholderText("value as reported")
        self.unit_combo = enum_combo(UNIT_LABELS, PlateletUnit.e9_per_l)
        self.unit_combo.setAccessibleName("Platelet count unit")
        self.notes_edit = QLineEdit()
        self.notes_edit.setAccessibleName("Count notes")
        self.notes_edit.setPlaceholderText("optional note (e.g. outside laboratory)")
        self.add_button = QPushButton("&Save count (Enter)")
        self.conversion_label = QLabel()
        self.error_label = error_label()
        entry = QGroupBox("Enter a count — Enter saves and starts the next")
        form = QFormLayout(entry)
        row = QHBoxLayout()
        row.addWidget(self.date_edit)
        row.addWidget(self.value_edit, 1)
        row.addWidget(self.unit_combo)
        row.addWidget(self.notes_edit, 2)
        row.addWidget(self.add_button)
        form.addRow(row)
        form.addRow(self.conversion_label)
        form.addRow(self.error_label)
        self._build_table()
        self.correct_button = QPushButton("&Correct selected count…")
        self.count_label = QLabel()
        below = QHBoxLayout()
        below.addWidget(self.count_label, 1)
        below.addWidget(self.correct_button)
        layout = QVBoxLayout(self)
        layout.addWidget(entry)
        layout.addWidget(self.table, 1)
        layout.addLayout(below)
        self.setTabOrder(self.date_edit, self.value_edit)
        self.setTabOrder(self.value_edit, self.unit_combo)
        self.setTabOrder(self.unit_combo, self.notes_edit)
        self.setTabOrder(self.notes_edit, self.add_button)
        for widget in (self.date_edit, self.value_edit, self.unit_combo, self.notes_edit):
            widget.installEventFilter(self)
        self.value_edit.textChanged.connect(self._on_entry_changed)
        self.unit_combo.currentIndexChanged.connect(self._on_entry_changed)
        self.add_button.clicked.connect(self.submit)
        self.correct_button.clicked.connect(self._on_correct_button_clicked)
        self.table.doubleClicked.connect(self._on_correct_button_clicked)
        self._on_entry_changed()

    def _build_table(self) -> None:
        self.model = CountTableModel(parent=self)
        self.proxy = SortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName("Platelet counts")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Size columns from the first rows only: a 2,000-count table stays instant.
        header.setResizeContentsPrecision(RESIZE_ROWS)
        header.setSectionResizeMode(COL_NOTES, QHeaderView.ResizeMode.Stretch)

    # ------------------------------------------------------------------ public API
    def show_patient(self, patient: Patient, unit: PlateletUnit) -> None:
        self.model.set_unit(unit)
        self.model.set_rows(patient.platelet_counts)
        total = len(patient.platelet_counts)
        self.count_label.setText(f"{total} count{'s' if total != 1 else ''} recorded")

    def focus_entry(self) -> None:
        self.value_edit.setFocus()
        self.value_edit.selectAll()

    def has_unsaved(self) -> bool:
        """True while the entry row holds a typed value that was not saved."""
        return bool(self.value_edit.text().strip())

    def submit(self) -> None:
        """Validate the entry row and emit the count (the caller saves it)."""
        value = parse_number(self.value_edit.text())
        unit = PlateletUnit(self.unit_combo.currentData())
        message, ok = conversion_text(self.value_edit.text(), unit)
        if value is None or not ok:
            self.show_error(message)
            return
        try:
            count = PlateletCount(
                date=self.date_edit.value(), unit=unit, value=value, notes=self.notes_edit.text()
            )
        except ValidationError as exc:
            self.show_error("; ".join(p.render() for p in problems_from_pydantic(exc)))
            return
        self.error_label.setVisible(False)
        self.count_entered.emit(count)

    def entry_saved(self) -> None:
        """The count was stored: clear the value for the next one (date and unit stay)."""
        self.value_edit.clear()
        self.notes_edit.clear()
        self.error_label.setVisible(False)
        self.value_edit.setFocus()

    def show_error(self, message: str) -> None:
        """Show why the typed count was not saved; the typed value stays."""
        self.error_label.setText(message)
        self.error_label.setVisible(True)
        self.value_edit.setFocus()

    # ------------------------------------------------------------------ slots
    def _on_entry_changed(self, *_args: object) -> None:
        text, ok = conversion_text(self.value_edit.text(), self.unit_combo.currentData())
        self.conversion_label.setText(text)
        self.conversion_label.setStyleSheet(
            "" if ok or not self.value_edit.text() else "color: #b3261e;"
        )

    def _on_correct_button_clicked(self, *_args: object) -> None:
        indexes = self.table.selectionModel().selectedRows()
        if indexes:
            count = indexes[0].data(OBJECT_ROLE)
            if isinstance(count, PlateletCount):
                self.correct_requested.emit(count)

    # ------------------------------------------------------------------ Qt overrides
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.submit()
                return True
            if event.key() == Qt.Key.Key_Escape and watched is self.value_edit:
                self.value_edit.clear()
                self.error_label.setVisible(False)
                return True
        return super().eventFilter(watched, event)

"""`WorklistModel` and `WorklistProxy`: the cross-patient worklist, filterable by kind and text.

May import: PySide6, core, services API, gui.models.base.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex
from PySide6.QtGui import QBrush, QColor

from itp_desktop.gui.models.base import OBJECT_ROLE, RowTableModel, SortProxy
from itp_desktop.services.desktop_api import WorklistItem

COL_DUE = 0
COL_STATUS = 1
COL_PATIENT = 2
COL_MRN = 3
COL_WHAT = 4
COL_KIND = 5
COL_DETAIL = 6

KIND_LABELS = {
    "monitoring": "Monitoring",
    "vaccine": "Vaccine before splenectomy",
    "lost_to_follow_up": "Lost to follow-up",
    "checklist": "Checklist",
    "problem": "Problem",
}


class WorklistModel(RowTableModel[WorklistItem]):
    """Worklist rows."""

    HEADERS: ClassVar[tuple[str, ...]] = (
        "Due",
        "Status",
        "Patient",
        "MRN",
        "What",
        "Kind",
        "Why",
    )

    def display(self, row: WorklistItem, column: int) -> str:
        values = {
            COL_DUE: row.due.isoformat() if row.due else "—",
            COL_STATUS: "Overdue" if row.overdue else "Due",
            COL_PATIENT: row.name,
            COL_MRN: row.mrn,
            COL_WHAT: row.label,
            COL_KIND: KIND_LABELS.get(row.kind, row.kind),
            COL_DETAIL: row.detail,
        }
        return values.get(column, "")

    def sort_value(self, row: WorklistItem, column: int) -> Any:
        if column == COL_DUE:
            return row.due or dt.date.min
        if column == COL_STATUS:
            return 0 if row.overdue else 1
        return self.display(row, column)

    def tooltip(self, row: WorklistItem, column: int) -> str | None:
        rule = f"\nRule: {row.rule}" if row.rule else ""
        return f"{row.label}\n{row.detail}{rule}"

    def foreground(self, row: WorklistItem, column: int) -> Any:
        if column == COL_STATUS and row.overdue:
            return QBrush(QColor("#b3261e"))
        return None


class WorklistProxy(SortProxy):
    """Filters by kind (None = all), overdue only, and free text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kind: str | None = None
        self._overdue_only = False

    def set_kind(self, kind: str | None) -> None:
        self.beginFilterChange()
        self._kind = kind
        self.endFilterChange()

    def set_overdue_only(self, overdue_only: bool) -> None:
        self.beginFilterChange()
        self._overdue_only = overdue_only
        self.endFilterChange()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        item = self.sourceModel().index(source_row, 0, source_parent).data(OBJECT_ROLE)
        if not isinstance(item, WorklistItem):
            return False
        if self._kind is not None and item.kind != self._kind:
            return False
        if self._overdue_only and not item.overdue:
            return False
        return super().filterAcceptsRow(source_row, source_parent)

"""`TimelineTableModel`: the timeline's events as a table (the same data the chart draws).

Also used, filtered by kind through a proxy, for the bleeding / vaccine / work-up lists of the
record tab. May import: PySide6, core, gui.models.base, gui.views.timeline_data.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex

from itp_desktop.gui.models.base import OBJECT_ROLE, RowTableModel, SortProxy
from itp_desktop.gui.views.timeline_data import KIND_LABELS, TimelineEvent

COL_DATE = 0
COL_KIND = 1
COL_WHAT = 2
COL_DETAIL = 3


class TimelineTableModel(RowTableModel[TimelineEvent]):
    """Dated events of one patient."""

    HEADERS: ClassVar[tuple[str, ...]] = ("Date", "Type", "What", "Details")

    def display(self, row: TimelineEvent, column: int) -> str:
        if column == COL_DATE:
            return row.date.isoformat()
        if column == COL_KIND:
            return KIND_LABELS[row.kind]
        if column == COL_WHAT:
            return row.label
        if column == COL_DETAIL:
            return row.detail
        return ""

    def sort_value(self, row: TimelineEvent, column: int) -> Any:
        if column == COL_DATE:
            return row.date
        if column == COL_WHAT and row.value_e9 is not None:
            return row.value_e9
        return self.display(row, column)

    def tooltip(self, row: TimelineEvent, column: int) -> str | None:
        return row.detail or None


class KindFilterProxy(SortProxy):
    """Shows only events of the given kinds."""

    def __init__(self, kinds: frozenset[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kinds = kinds

    def set_kinds(self, kinds: frozenset[str]) -> None:
        self.beginFilterChange()
        self._kinds = kinds
        self.endFilterChange()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        event = model.index(source_row, 0, source_parent).data(OBJECT_ROLE)
        if not isinstance(event, TimelineEvent) or event.kind not in self._kinds:
            return False
        return super().filterAcceptsRow(source_row, source_parent)

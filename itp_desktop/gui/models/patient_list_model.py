"""`PatientListModel`: the patient registry as a lazily paged table model.

Rows come from a fetch callable (the patient service's search) one page at a time through Qt's
``canFetchMore``/``fetchMore``, so a store of 100,000 patients opens as fast as one of 25: the
view asks for more rows only as the user scrolls. Sorting is the store's (family name, given
name, id); the model does not re-sort, which would force loading every page.
May import: PySide6, core.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from itp_desktop.core.models.patient import PatientSummary
from itp_desktop.core.units import fmt_count

FetchPage = Callable[[str, int, int], list[PatientSummary]]
"""fetch(query, offset, limit) -> rows."""

COL_MRN = 0
COL_NAME = 1
COL_BIRTH_DATE = 2
COL_LATEST_COUNT = 3
COL_ID = 4
HEADERS = ("MRN", "Name", "Birth date", "Latest count", "Id")

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""Raw comparable value of a cell (str or `datetime.date`)."""
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2
"""The row's `PatientSummary`."""

AnyIndex = QModelIndex | QPersistentModelIndex


def display_name(row: PatientSummary) -> str:
    """``FAMILY, Given`` (archived rows say so)."""
    name = f"{row.family_name.upper()}, {row.given_name}".rstrip(", ")
    return f"{name} (archived)" if row.archived else name


class PatientListModel(QAbstractTableModel):
    """Patients matching the current query, loaded page by page."""

    def __init__(
        self, fetch: FetchPage, *, page_size: int = 200, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._page_size = page_size
        self._query = ""
        self._rows: list[PatientSummary] = []
        self._exhausted = True

    # ------------------------------------------------------------------ public API
    @property
    def query(self) -> str:
        return self._query

    def set_query(self, query: str) -> None:
        """Show the first page of patients matching `query` (may raise the service's errors)."""
        first = self._fetch(query, 0, self._page_size)
        self.beginResetModel()
        self._query = query
        self._rows = list(first)
        self._exhausted = len(first) < self._page_size
        self.endResetModel()

    def row_object(self, row: int) -> PatientSummary:
        return self._rows[row]

    def row_of(self, patient_id: str) -> int | None:
        for index, row in enumerate(self._rows):
            if row.id == patient_id:
                return index
        return None

    # ------------------------------------------------------------------ Qt overrides
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == OBJECT_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_value(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_LATEST_COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: AnyIndex) -> None:
        if parent.isValid() or self._exhausted:
            return
        page = self._fetch(self._query, len(self._rows), self._page_size)
        self._exhausted = len(page) < self._page_size
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # ------------------------------------------------------------------ private
    @classmethod
    def _sort_value(cls, row: PatientSummary, column: int) -> Any:
        if column == COL_BIRTH_DATE:
            return row.birth_date
        if column == COL_LATEST_COUNT:
            return row.latest_count_e9
        if column == COL_NAME:
            # A tab sorts "DOE, Jo" before "DOEBLER, Al": it is below every printable letter.
            return f"{row.family_name.casefold()}\t{row.given_name.casefold()}"
        return cls._display(row, column)

    @staticmethod
    def _tooltip(row: PatientSummary, column: int) -> str | None:
        if column == COL_NAME:
            return f"{display_name(row)} — MRN {row.mrn}"
        if column == COL_LATEST_COUNT:
            return "Latest count when the record was last saved; open the patient for details"
        return None

    @staticmethod
    def _display(row: PatientSummary, column: int) -> str | None:
        if column == COL_MRN:
            return row.mrn
        if column == COL_NAME:
            return display_name(row)
        if column == COL_BIRTH_DATE:
            return row.birth_date.isoformat()
        if column == COL_LATEST_COUNT:
            if row.latest_count_e9 is None or row.latest_count_date is None:
                return ""
            return f"{fmt_count(row.latest_count_e9)} · {row.latest_count_date.isoformat()}"
        if column == COL_ID:
            return row.id
        return None

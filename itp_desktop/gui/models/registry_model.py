"""`RegistryModel`: the patient registry as a lazily paged table with clinical summary columns.

Rows come from the patient service's search one page at a time through ``canFetchMore`` /
``fetchMore`` (limit/offset), so 100,000 patients open as fast as 25. The summary columns
(phase, latest count and date, active therapy, most severe open finding) come from each
patient's assessment and are computed only for rows the view actually paints: `data` asks the
injected `request` callable for missing summaries (batched on the next event-loop turn and run as
a background task by the view), shows "…" meanwhile, and `set_overviews` fills the cache and
emits `dataChanged` for exactly those rows. The cache is keyed by patient id and dropped for
the patients a `ChangeSet` names. Row order is the store's (family name, given name); the model
does not re-sort, which would force loading every page. May import: PySide6, core, services API,
services.display, gui.models.base.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor

from itp_desktop.core.codes import Severity
from itp_desktop.core.models.patient import PatientSummary
from itp_desktop.core.units import fmt_number
from itp_desktop.gui.models.base import OBJECT_ROLE, SORT_ROLE
from itp_desktop.services.desktop_api import PatientOverview
from itp_desktop.services.display import Labels

FetchPage = Callable[[str, int, int, bool], list[PatientSummary]]
"""fetch(query, offset, limit, include_archived) -> rows."""
RequestOverviews = Callable[[list[str]], None]
"""Asks for the summaries of these patient ids; answers arrive through `set_overviews`."""

COL_MRN = 0
COL_NAME = 1
COL_BIRTH_DATE = 2
COL_PHASE = 3
COL_COUNT = 4
COL_COUNT_DATE = 5
COL_THERAPY = 6
COL_FINDING = 7
HEADERS = (
    "MRN",
    "Name",
    "Birth date",
    "Phase",
    "Count ×10⁹/L",
    "Count date",
    "Active therapy",
    "Most severe open finding",
)
SUMMARY_COLUMNS = frozenset({COL_PHASE, COL_COUNT, COL_COUNT_DATE, COL_THERAPY, COL_FINDING})
PENDING = "…"
SEVERITY_COLOURS = {Severity.critical: "#b3261e", Severity.warning: "#8a5a00"}
AnyIndex = QModelIndex | QPersistentModelIndex


def display_name(row: PatientSummary) -> str:
    """``FAMILY, Given`` (archived rows say so)."""
    name = f"{row.family_name.upper()}, {row.given_name}".rstrip(", ")
    return f"{name} (archived)" if row.archived else name


class RegistryModel(QAbstractTableModel):
    """Patients matching the current query, loaded page by page, with summaries on demand."""

    def __init__(
        self,
        fetch: FetchPage,
        request: RequestOverviews | None = None,
        labels: Labels | None = None,
        *,
        page_size: int = 200,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._request = request
        self._labels = labels or Labels(None)
        self._page_size = page_size
        self._query = ""
        self._archived = False
        self._rows: list[PatientSummary] = []
        self._exhausted = True
        self._overviews: dict[str, PatientOverview] = {}
        self._wanted: set[str] = set()
        self._asked: set[str] = set()
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(0)
        self._flush.timeout.connect(self._on_flush_timeout)

    # ------------------------------------------------------------------ public API
    @property
    def query(self) -> str:
        return self._query

    @property
    def page_size(self) -> int:
        return self._page_size

    def set_query(
        self,
        query: str,
        include_archived: bool = False,
        first_page: list[PatientSummary] | None = None,
    ) -> None:
        """Show the first page of patients matching `query` (may raise the service's errors).

        `first_page`, when given, was already fetched (in the background) for this query.
        """
        first = (
            first_page
            if first_page is not None
            else self._fetch(query, 0, self._page_size, include_archived)
        )
        self.beginResetModel()
        self._query = query
        self._archived = include_archived
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

    def overview(self, patient_id: str) -> PatientOverview | None:
        return self._overviews.get(patient_id)

    def set_overviews(self, overviews: Iterable[PatientOverview]) -> None:
        """Store computed summaries and repaint their rows' summary cells."""
        for overview in overviews:
            self._overviews[overview.patient_id] = overview
            self._asked.discard(overview.patient_id)
            row = self.row_of(overview.patient_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, COL_PHASE), self.index(row, COL_FINDING))

    def forget(self, patient_ids: Iterable[str]) -> None:
        """Drop cached summaries (the patients changed); visible rows ask again."""
        for patient_id in patient_ids:
            self._overviews.pop(patient_id, None)
            self._asked.discard(patient_id)
            row = self.row_of(patient_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, COL_PHASE), self.index(row, COL_FINDING))

    def forget_all(self) -> None:
        """Drop every cached summary (a new day, a restored store, a new knowledge pack)."""
        self._overviews.clear()
        self._asked.clear()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, COL_PHASE), self.index(len(self._rows) - 1, COL_FINDING)
            )

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
        overview = self._overviews.get(row.id)
        if (
            column in SUMMARY_COLUMNS
            and overview is None
            and role
            in (
                Qt.ItemDataRole.DisplayRole,
                SORT_ROLE,
            )
        ):
            self._want(row.id)
            return PENDING if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, overview, column)
        if role == SORT_ROLE:
            return self._sort_value(row, overview, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, overview, column)
        if role == Qt.ItemDataRole.ForegroundRole and overview is not None:
            return self._foreground(overview, column)
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
        page = self._fetch(self._query, len(self._rows), self._page_size, self._archived)
        self._exhausted = len(page) < self._page_size
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # ------------------------------------------------------------------ private
    def _want(self, patient_id: str) -> None:
        if self._request is None or patient_id in self._asked:
            return
        self._wanted.add(patient_id)
        self._asked.add(patient_id)
        # Batched: painting 40 rows asks once, on the next event-loop turn.
        self._flush.start()

    def _on_flush_timeout(self) -> None:
        wanted = sorted(self._wanted)
        self._wanted.clear()
        if wanted and self._request is not None:
            self._request(wanted)

    def _display(self, row: PatientSummary, overview: PatientOverview | None, column: int) -> str:
        fixed = {
            COL_MRN: row.mrn,
            COL_NAME: display_name(row),
            COL_BIRTH_DATE: row.birth_date.isoformat(),
        }
        if column in fixed:
            return fixed[column]
        if overview is None:
            return ""
        if overview.problem is not None:
            return "assessment unavailable" if column == COL_FINDING else ""
        latest = overview.latest_count
        summary = {
            COL_PHASE: self._labels.phase_short(overview.phase) if overview.phase else "—",
            COL_COUNT: fmt_number(latest.value) if latest else "—",
            COL_COUNT_DATE: latest.date.isoformat() if latest else "—",
            COL_THERAPY: ", ".join(overview.active_therapy) or "none",
            COL_FINDING: self._finding_text(overview),
        }
        return summary.get(column, "")

    def _finding_text(self, overview: PatientOverview) -> str:
        finding = overview.top_finding
        if finding is None:
            return "none"
        text = f"{self._labels.severity(finding.severity)}: {finding.message}"
        if len(text) > 90:
            text = text[:88].rstrip() + "…"
        more = overview.open_findings - 1
        return f"{text} (+{more})" if more > 0 else text

    @staticmethod
    def _sort_value(row: PatientSummary, overview: PatientOverview | None, column: int) -> Any:
        fixed: dict[int, Any] = {
            COL_BIRTH_DATE: row.birth_date,
            # A tab sorts "DOE, Jo" before "DOEBLER, Al": it is below every printable letter.
            COL_NAME: f"{row.family_name.casefold()}\t{row.given_name.casefold()}",
            COL_MRN: row.mrn,
        }
        if column in fixed:
            return fixed[column]
        if overview is None:
            return None
        latest = overview.latest_count
        summary: dict[int, Any] = {
            COL_COUNT: latest.value if latest else None,
            COL_COUNT_DATE: latest.date if latest else None,
            COL_PHASE: overview.phase.value if overview.phase else "",
            COL_FINDING: overview.top_finding.severity.value if overview.top_finding else "",
            COL_THERAPY: ", ".join(overview.active_therapy),
        }
        return summary.get(column)

    def _tooltip(self, row: PatientSummary, overview: PatientOverview | None, column: int) -> Any:
        if column == COL_NAME:
            return f"{display_name(row)} — MRN {row.mrn}"
        if overview is None:
            return None
        if overview.problem is not None:
            return overview.problem
        if column == COL_FINDING and overview.top_finding is not None:
            finding = overview.top_finding
            return f"{finding.message}\nRule {finding.rule}"
        if column == COL_PHASE:
            return self._labels.phase(overview.phase)
        return None

    @staticmethod
    def _foreground(overview: PatientOverview, column: int) -> Any:
        if column == COL_FINDING and overview.top_finding is not None:
            colour = SEVERITY_COLOURS.get(overview.top_finding.severity)
            return QBrush(QColor(colour)) if colour else None
        if column == COL_COUNT and overview.latest_count and overview.latest_count.value < 30:
            return QBrush(QColor("#b3261e"))
        return None

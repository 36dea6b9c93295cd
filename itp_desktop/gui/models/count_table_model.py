"""`CountTableModel`: platelet counts, shown in the unit chosen in Settings, sortable by date.

Counts are stored as entered; the "Count" column converts to the display unit and the "As
entered" column keeps the laboratory's number and unit visible. May import: PySide6, core,
gui.models.base.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from itp_desktop.core.codes import PlateletUnit
from itp_desktop.core.models.patient import PlateletCount
from itp_desktop.core.units import UNIT_LABELS, fmt_number, round_half_up
from itp_desktop.gui.models.base import RowTableModel

COL_DATE = 0
COL_COUNT = 1
COL_ENTERED = 2
COL_NOTES = 3

LOW_BAND = 30.0
"""Counts below this (×10⁹/L) are drawn in the warning colour, matching the chart's bands."""


def in_unit(value_e9: float, unit: PlateletUnit) -> float:
    """A count in ×10⁹/L expressed in `unit` (display only)."""
    return value_e9 * 1000.0 if unit is PlateletUnit.per_ul else value_e9


class CountTableModel(RowTableModel[PlateletCount]):
    """Platelet counts of one patient."""

    HEADERS: ClassVar[tuple[str, ...]] = ("Date", "Count", "As entered", "Notes")

    def __init__(
        self, unit: PlateletUnit = PlateletUnit.e9_per_l, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._unit = unit

    def set_unit(self, unit: PlateletUnit) -> None:
        """Show counts in another unit."""
        if unit is self._unit:
            return
        self.beginResetModel()
        self._unit = unit
        self.endResetModel()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            section == COL_COUNT
            and orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
        ):
            return f"Count ({UNIT_LABELS[self._unit]})"
        return super().headerData(section, orientation, role)

    def display(self, row: PlateletCount, column: int) -> str:
        if column == COL_DATE:
            return row.date.isoformat()
        if column == COL_COUNT:
            return fmt_number(round_half_up(in_unit(row.value_e9, self._unit), 1))
        if column == COL_ENTERED:
            return f"{fmt_number(row.value)} {UNIT_LABELS[row.unit]}"
        if column == COL_NOTES:
            return row.notes
        return ""

    def sort_value(self, row: PlateletCount, column: int) -> Any:
        if column == COL_DATE:
            return row.date
        if column in (COL_COUNT, COL_ENTERED):
            return row.value_e9
        return row.notes

    def alignment(self, column: int) -> Qt.AlignmentFlag | None:
        return Qt.AlignmentFlag.AlignRight if column == COL_COUNT else None

    def foreground(self, row: PlateletCount, column: int) -> Any:
        if column == COL_COUNT and row.value_e9 < LOW_BAND:
            return QBrush(QColor("#b3261e"))
        return None

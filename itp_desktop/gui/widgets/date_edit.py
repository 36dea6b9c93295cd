"""`DateEdit`: an ISO-format date field with a calendar pop-up and a typed Python value.

May import: PySide6, stdlib.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QWidget

ISO_FORMAT = "yyyy-MM-dd"


class DateEdit(QDateEdit):
    """A date field showing ``YYYY-MM-DD`` (unambiguous in every locale)."""

    def __init__(self, value: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(ISO_FORMAT)
        self.setCalendarPopup(True)
        self.setMinimumDate(QDate(1900, 1, 1))
        self.setMaximumDate(QDate(2200, 12, 31))
        if value is not None:
            self.set_value(value)

    def value(self) -> dt.date:
        """The date shown."""
        qdate = self.date()
        return dt.date(qdate.year(), qdate.month(), qdate.day())

    def set_value(self, value: dt.date) -> None:
        """Show `value`."""
        self.setDate(QDate(value.year, value.month, value.day))

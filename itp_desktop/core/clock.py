"""The clock is injected: services ask a `Clock`; the engine only receives dates."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    """Source of the current date and time."""

    def today(self) -> dt.date:
        """Return today's local date."""
        ...

    def now(self) -> dt.datetime:
        """Return the current time, timezone-aware (UTC)."""
        ...


class SystemClock:
    """The real clock."""

    def today(self) -> dt.date:
        """Return today's local date."""
        return dt.date.today()

    def now(self) -> dt.datetime:
        """Return the current UTC time."""
        return dt.datetime.now(dt.UTC)


class FixedClock:
    """A clock frozen at one instant (tests, `--as-of`, reproducible reports)."""

    def __init__(self, instant: dt.datetime) -> None:
        self._instant = instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)

    def today(self) -> dt.date:
        """Return the frozen date."""
        return self._instant.date()

    def now(self) -> dt.datetime:
        """Return the frozen instant."""
        return self._instant

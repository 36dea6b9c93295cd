"""Fixtures for service tests: real services on a temporary store with a fixed clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from itp_desktop.core.clock import FixedClock
from itp_desktop.paths import AppPaths
from itp_desktop.services.container import Services, build_services
from itp_desktop.settings import Settings


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC))


@pytest.fixture
def services(app_paths: AppPaths, clock: FixedClock) -> Iterator[Services]:
    built = build_services(app_paths, Settings(), clock)
    try:
        yield built
    finally:
        built.close()

"""Fixtures of the GUI tier: a demo store built once per session and copied for each test,
real desktop services over it with a fixed clock, app events and a synchronous task runner.

Building the curated demo store takes about a second; copying its folder takes milliseconds,
so every test gets its own store without paying for the build again.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from itp_desktop.core.clock import FixedClock
from itp_desktop.gui.events import AppEvents
from itp_desktop.gui.operations.context import OperationContext
from itp_desktop.gui.tasks import SyncTaskRunner
from itp_desktop.paths import AppPaths
from itp_desktop.services.container import build_services
from itp_desktop.services.desktop import DesktopServicesImpl, build_desktop_services
from itp_desktop.settings import Settings

CLOCK = FixedClock(dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC))
TODAY = CLOCK.today()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the curated demo store, built once."""
    base = tmp_path_factory.mktemp("demo-template") / "itp"
    services = build_services(AppPaths.from_base(base), Settings(), CLOCK)
    try:
        services.demo.build_demo_store()
    finally:
        services.close()
    return base


@pytest.fixture
def desktop(demo_template: Path, tmp_path: Path) -> Iterator[DesktopServicesImpl]:
    """Desktop services over a private copy of the demo store."""
    base = tmp_path / "itp"
    shutil.copytree(demo_template, base)
    services = build_services(AppPaths.from_base(base), Settings(), CLOCK)
    built = build_desktop_services(services)
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def events(qapp: QApplication) -> AppEvents:
    return AppEvents()


@pytest.fixture
def errors() -> list[BaseException]:
    """Errors routed by the task runner (instead of a dialog)."""
    return []


@pytest.fixture
def tasks(qapp: QApplication, errors: list[BaseException]) -> SyncTaskRunner:
    return SyncTaskRunner(on_error=errors.append)


@pytest.fixture
def ctx(
    qapp: QApplication,
    desktop: DesktopServicesImpl,
    events: AppEvents,
    tasks: SyncTaskRunner,
) -> Iterator[OperationContext]:
    parent = QWidget()
    yield OperationContext(services=desktop, events=events, tasks=tasks, parent=parent)
    parent.deleteLater()

"""Test configuration shared by every tier.

Qt must run headless: QT_QPA_PLATFORM=offscreen is set here, before anything imports PySide6
(without it pytest crashes on a machine with no display). Tests that use `qtbot` or `qapp`
get the `gui` marker automatically, so ``pytest -m "not gui"`` runs the fast tier.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

from pathlib import Path

import pytest

from itp_desktop.paths import AppPaths

DATA_DIR = Path(__file__).parent / "data"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs a QApplication as ``gui``."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qtbot" in fixtures or "qapp" in fixtures or "qtmodeltester" in fixtures:
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def app_paths(tmp_path: Path) -> AppPaths:
    """AppPaths under a temporary folder, created."""
    paths = AppPaths.from_base(tmp_path / "itp")
    paths.ensure()
    return paths


@pytest.fixture
def data_dir() -> Path:
    """Folder of JSON fixtures."""
    return DATA_DIR

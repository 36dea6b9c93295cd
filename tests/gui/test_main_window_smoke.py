"""Smoke tests of the minimal main window on a real demo store, and of its table model.

The window is built directly with real services (house style: never through ``main()``); one
test starts the whole application in a subprocess, offscreen, the way ``./run.sh`` does.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from itp_desktop import __version__
from itp_desktop.core.clock import FixedClock
from itp_desktop.core.errors import StoreInUse, ValidationFailed
from itp_desktop.core.models.patient import PatientSummary
from itp_desktop.core.units import fmt_count
from itp_desktop.gui.about_dialog import AboutDialog
from itp_desktop.gui.errors import CrashDialog, build_error_box
from itp_desktop.gui.fonts import FALLBACK_FAMILY, missing_glyphs, register_fonts
from itp_desktop.gui.main_window import MainWindow
from itp_desktop.gui.models.patient_list_model import (
    COL_BIRTH_DATE,
    COL_ID,
    COL_LATEST_COUNT,
    COL_MRN,
    COL_NAME,
    HEADERS,
    OBJECT_ROLE,
    SORT_ROLE,
    PatientListModel,
)
from itp_desktop.paths import AppPaths
from itp_desktop.services.container import Services, build_services
from itp_desktop.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
CLOCK = FixedClock(dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC))


@pytest.fixture(scope="module")
def demo_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    paths = AppPaths.from_base(tmp_path_factory.mktemp("gui") / "itp")
    services = build_services(paths, Settings(), CLOCK)
    services.demo.build_demo_store()
    try:
        yield services
    finally:
        services.close()


def summaries(count: int) -> list[PatientSummary]:
    return [
        PatientSummary(
            id=f"id-{i:04d}",
            mrn=f"MRN-{i:04d}",
            family_name=f"Family{i:04d}",
            given_name="Given" if i % 3 else "",
            birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=97 * i),
            archived=i % 7 == 0,
            latest_count_e9=None if i % 4 == 0 else 7.5 * i,
            latest_count_date=None if i % 4 == 0 else dt.date(2026, 1, 1) + dt.timedelta(days=i),
        )
        for i in range(count)
    ]


# ---------------------------------------------------------------- the window


def test_main_window_shows_the_demo_registry(qtbot: QtBot, demo_services: Services) -> None:
    window = MainWindow(services=demo_services)
    qtbot.addWidget(window)
    window.show()
    total = demo_services.patients.count()
    assert total >= 25
    assert window.model.rowCount() == total
    assert window.count_label.text() == f"{total} patients"
    info = demo_services.app_info()
    assert str(demo_services.store.path) in window.store_label.text()
    assert window.version_label.text() == f"ITP Desktop {__version__}"
    assert info.knowledge_pack in window.pack_label.text()


def test_search_filters_and_selection_shows_a_summary(
    qtbot: QtBot, demo_services: Services
) -> None:
    window = MainWindow(services=demo_services)
    qtbot.addWidget(window)
    target = demo_services.patients.search("", limit=1)[0]
    qtbot.keyClicks(window.search_edit, target.mrn)
    qtbot.waitUntil(lambda: window.model.query == target.mrn, timeout=3000)
    assert window.model.rowCount() == 1
    assert window.count_label.text() == "1 patient"
    window.table.selectRow(0)
    html = window.summary.toHtml()
    assert target.mrn in html
    assert "Latest platelet count" in html or "No platelet count" in html


def test_about_dialog_shows_version_pack_and_disclaimer(
    qtbot: QtBot, demo_services: Services
) -> None:
    info = demo_services.app_info()
    dialog = AboutDialog(info)
    qtbot.addWidget(dialog)
    text = dialog.text_label.text()
    assert __version__ in text
    assert info.disclaimer.split()[0] in text
    assert "has not been approved" in text or info.knowledge_status == "approved"


def test_error_box_and_crash_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    box = build_error_box(None, ValidationFailed([], context="weight_kg: must be 0.5–400"))
    qtbot.addWidget(box)
    assert "weight_kg" in box.text()
    env_box = build_error_box(None, StoreInUse("The store is in use", detail="locked"))
    qtbot.addWidget(env_box)
    assert "problem with the computer" in env_box.windowTitle()
    assert env_box.detailedText() == "locked"
    log_file = tmp_path / "itp-desktop.log"
    crash = CrashDialog("Traceback (most recent call last): boom", log_file)
    qtbot.addWidget(crash)
    qtbot.mouseClick(crash.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text().startswith("Traceback")
    assert crash.copy_button.text() == "Copied"


def test_shipped_fonts_draw_the_units(qapp: QApplication) -> None:
    families = register_fonts()
    assert FALLBACK_FAMILY in families
    assert missing_glyphs(QFont(FALLBACK_FAMILY)) == ""


# ---------------------------------------------------------------- the model


def test_patient_list_model_passes_qtmodeltester(qtmodeltester: object) -> None:
    rows = summaries(450)
    model = PatientListModel(lambda q, offset, limit: rows[offset : offset + limit], page_size=200)
    model.set_query("")
    assert model.rowCount() == 200  # one page until the view asks for more
    assert model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)  # type: ignore[attr-defined]  # fetches every page
    assert model.rowCount() == 450
    assert not model.canFetchMore(QModelIndex())


def test_patient_list_model_cells(qapp: QApplication) -> None:
    rows = summaries(8)
    model = PatientListModel(lambda q, offset, limit: rows[offset : offset + limit], page_size=5)
    model.set_query("x")
    columns = model.columnCount()
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(columns)] == list(HEADERS)
    for r in range(model.rowCount()):
        row = rows[r]
        display = [model.index(r, c).data() for c in range(columns)]
        name = f"{row.family_name.upper()}, {row.given_name}".rstrip(", ")
        name += " (archived)" if row.archived else ""
        latest = (
            ""
            if row.latest_count_e9 is None or row.latest_count_date is None
            else f"{fmt_count(row.latest_count_e9)} · {row.latest_count_date.isoformat()}"
        )
        assert display == [row.mrn, name, row.birth_date.isoformat(), latest, row.id]
        assert model.index(r, COL_LATEST_COUNT).data(SORT_ROLE) == row.latest_count_e9
        assert model.index(r, COL_BIRTH_DATE).data(SORT_ROLE) == row.birth_date
        assert model.index(r, COL_MRN).data(SORT_ROLE) == row.mrn
        assert model.index(r, COL_NAME).data(SORT_ROLE).startswith(row.family_name.casefold())
        assert model.index(r, COL_ID).data(OBJECT_ROLE) == row
    assert model.index(0, COL_NAME).data(Qt.ItemDataRole.ToolTipRole).endswith("MRN MRN-0000")
    assert model.row_of("id-0003") == 3
    assert model.row_of("nobody") is None


# ---------------------------------------------------------------- the whole application


def test_application_starts_offscreen_with_the_demo_store(tmp_path: Path) -> None:
    data = tmp_path / "fresh"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ITP_DESKTOP_QUIT_AFTER_MS": "300"}
    result = subprocess.run(
        [sys.executable, "-m", "itp_desktop", "--data-dir", str(data), "--demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (data / "itp-desktop.sqlite3").is_file()
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- first start without a store


@pytest.mark.parametrize(
    ("answer", "proceeds", "demo_created"),
    [("Yes", True, True), ("No", True, False), ("Cancel", False, False)],
)
def test_first_start_offers_the_demo_store(
    qapp: QApplication,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    proceeds: bool,
    demo_created: bool,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from itp_desktop.app import _prepare_store
    from itp_desktop.cli import parse_args

    asked: list[str] = []

    def question(*args: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return getattr(QMessageBox.StandardButton, answer)

    monkeypatch.setattr(QMessageBox, "question", question)
    services = build_services(AppPaths.from_base(tmp_path / "first"), Settings(), CLOCK)
    try:
        args = parse_args([])
        assert not isinstance(args, int)
        shown: list[BaseException] = []
        assert _prepare_store(args, services, lambda _parent, exc: shown.append(exc)) is proceeds
        assert len(asked) == 1
        assert str(services.store.path) in asked[0]
        assert services.store.exists is demo_created
        assert shown == []
    finally:
        services.close()


def test_demo_flag_creates_the_store_without_asking(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from itp_desktop.app import _prepare_store
    from itp_desktop.cli import parse_args

    def question(*_args: object) -> QMessageBox.StandardButton:
        raise AssertionError("--demo must not ask")

    monkeypatch.setattr(QMessageBox, "question", question)
    services = build_services(AppPaths.from_base(tmp_path / "flag"), Settings(), CLOCK)
    try:
        args = parse_args(["--demo"])
        assert not isinstance(args, int)
        assert _prepare_store(args, services, lambda _parent, exc: None)
        assert services.patients.count() >= 25
        # With a store present, nothing is asked and nothing is rebuilt.
        assert _prepare_store(args, services, lambda _parent, exc: None)
    finally:
        services.close()

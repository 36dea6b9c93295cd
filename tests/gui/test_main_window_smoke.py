"""Smoke tests of the full main window on a copy of the demo store.

The window is built directly with real services and a synchronous task runner (house style:
never through ``main()``); one test starts the whole application in a subprocess, offscreen,
the way ``./run.sh`` does. Table models are tested in tests/gui/models.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from itp_desktop import __version__
from itp_desktop.core.clock import FixedClock
from itp_desktop.core.errors import StoreInUse, ValidationFailed
from itp_desktop.gui.actions import ActionKey
from itp_desktop.gui.dialogs.about_dialog import AboutDialog
from itp_desktop.gui.errors import CrashDialog, build_error_box
from itp_desktop.gui.events import AppEvents
from itp_desktop.gui.fonts import FALLBACK_FAMILY, missing_glyphs, register_fonts
from itp_desktop.gui.main_window import PAGE_CHART, PAGE_RESCUE, PAGE_WORKLIST, MainWindow
from itp_desktop.gui.tasks import SyncTaskRunner
from itp_desktop.gui.views.patient_view import TAB_COUNTS
from itp_desktop.paths import AppPaths
from itp_desktop.services.container import build_services
from itp_desktop.services.desktop import DesktopServicesImpl
from itp_desktop.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
CLOCK = FixedClock(dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC))


# ---------------------------------------------------------------- the window


def build_window(
    qtbot: QtBot, desktop: DesktopServicesImpl, tmp_path: Path, errors: list[BaseException]
) -> MainWindow:
    window = MainWindow(
        services=desktop,
        events=AppEvents(),
        tasks=SyncTaskRunner(on_error=errors.append),
        state_dir=tmp_path,
    )
    window.tasks.set_error_handler(errors.append)
    qtbot.addWidget(window)
    window.show()
    return window


def test_main_window_registry_chart_and_status_bar(
    qtbot: QtBot, desktop: DesktopServicesImpl, tmp_path: Path, errors: list[BaseException]
) -> None:
    window = build_window(qtbot, desktop, tmp_path, errors)
    total = desktop.patients.count()
    assert total >= 25
    assert window.registry.model.rowCount() == total
    assert window.registry.count_label.text() == f"{total} patients"
    info = desktop.app_info()
    assert str(desktop.base.store.path) in window.store_label.text()
    assert window.version_label.text() == f"ITP Desktop {__version__}"
    assert info.knowledge_pack in window.pack_label.text()
    assert not window.dock.isVisible()  # the assessment belongs to an open patient
    window.events.patient_opened.emit("demo-06-multi-refractory-not-candidate")
    assert window.pages.currentIndex() == PAGE_CHART
    assert window.dock.isVisible()
    assert window.assessment_view.assessment is not None
    assert desktop.settings.current().recent_patients[0] == "demo-06-multi-refractory-not-candidate"
    assert window.registry.recent_list.count() == 1
    assert errors == []


def test_every_action_has_text_and_the_shortcuts_work(
    qtbot: QtBot, desktop: DesktopServicesImpl, tmp_path: Path, errors: list[BaseException]
) -> None:
    window = build_window(qtbot, desktop, tmp_path, errors)
    for key, action in window.action_map.items():
        assert action.text(), key
        assert action.statusTip(), key
    assert [s.toString() for s in window.action_map[ActionKey.RESCUE].shortcuts()] == [
        "F9",
        "Ctrl+Shift+R",
    ]
    window.registry.table.selectRow(0)
    window.action_map[ActionKey.RESCUE].trigger()
    assert window.pages.currentIndex() == PAGE_RESCUE
    assert window.rescue.patient_id == window.chart.patient_id
    window.rescue.back_requested.emit()
    assert window.pages.currentIndex() == PAGE_CHART
    assert not window.pages.isTabVisible(PAGE_RESCUE)
    window.action_map[ActionKey.SHOW_WORKLIST].trigger()
    assert window.pages.currentIndex() == PAGE_WORKLIST
    window.action_map[ActionKey.ADD_COUNT].trigger()
    assert window.pages.currentIndex() == PAGE_CHART
    assert window.chart.tabs.currentIndex() == TAB_COUNTS
    window.action_map[ActionKey.LARGE_FONT].trigger()
    assert desktop.settings.current().large_font
    assert errors == []


def test_geometry_is_remembered_and_unsaved_counts_are_guarded(
    qtbot: QtBot,
    desktop: DesktopServicesImpl,
    tmp_path: Path,
    errors: list[BaseException],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = build_window(qtbot, desktop, tmp_path, errors)
    window.resize(1234, 777)
    window.open_patient("demo-06-multi-refractory-not-candidate")
    window.chart.counts.value_edit.setText("42")
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.No)
    assert not window.close()  # the typed count is not thrown away silently
    assert window.chart.counts.value_edit.text() == "42"
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    assert window.close()
    # The offscreen screen is small, so Qt fits the restored size to it; what matters is that
    # the geometry was saved and is restored from the state file.
    assert (tmp_path / "window-state.ini").is_file()
    again = build_window(qtbot, desktop, tmp_path, errors)
    assert again.state.restore_window(again)


def test_about_dialog_shows_version_pack_and_disclaimer(
    qtbot: QtBot, desktop: DesktopServicesImpl
) -> None:
    info = desktop.app_info()
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

"""Window geometry and splitter/header state: the only place that uses `QSettings`.

Everything else the user can set is in the typed `Settings` model (settings.py). The state file
is an INI file in the config folder given by the composition root, so tests and portable
installs never touch the platform's registry. May import: PySide6, stdlib.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

STATE_FILE = "window-state.ini"


class WindowState:
    """Saves and restores the shapes of windows, splitters and table headers.

    Args:
        folder: the config folder; the state is kept in ``window-state.ini`` there.
    """

    def __init__(self, folder: Path) -> None:
        self._settings = QSettings(str(folder / STATE_FILE), QSettings.Format.IniFormat)

    def restore_window(self, window: QMainWindow, name: str = "main") -> bool:
        """Restore geometry and dock layout; False when nothing was saved yet."""
        geometry = self._settings.value(f"{name}/geometry")
        state = self._settings.value(f"{name}/state")
        restored = False
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            restored = window.restoreGeometry(geometry)
        if isinstance(state, QByteArray) and not state.isEmpty():
            window.restoreState(state)
        return restored

    def save_window(self, window: QMainWindow, name: str = "main") -> None:
        """Remember geometry and dock layout."""
        self._settings.setValue(f"{name}/geometry", window.saveGeometry())
        self._settings.setValue(f"{name}/state", window.saveState())

    def restore_splitter(self, splitter: QSplitter, name: str) -> None:
        """Restore a splitter's sizes."""
        state = self._settings.value(f"splitters/{name}")
        if isinstance(state, QByteArray) and not state.isEmpty():
            splitter.restoreState(state)

    def save_splitter(self, splitter: QSplitter, name: str) -> None:
        """Remember a splitter's sizes."""
        self._settings.setValue(f"splitters/{name}", splitter.saveState())

    def restore_header(self, header: QHeaderView, name: str) -> None:
        """Restore a table header's column widths and order."""
        state = self._settings.value(f"headers/{name}")
        if isinstance(state, QByteArray) and not state.isEmpty():
            header.restoreState(state)

    def save_header(self, header: QHeaderView, name: str) -> None:
        """Remember a table header's column widths and order."""
        self._settings.setValue(f"headers/{name}", header.saveState())

    def sync(self) -> None:
        """Write the state file now."""
        self._settings.sync()

"""`HelpDialog`: every keyboard shortcut, from the same specs the actions are built from.

Panel keys that are not menu actions (Enter in the count entry, Escape to leave rescue mode)
are listed from `PANEL_KEYS`. A static, tiny, read-only list: a `QTableWidget` is the right
tool here (house style practice 5). May import: PySide6, gui.actions.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from itp_desktop.gui.actions import ACTION_SPECS, plain_text

PANEL_KEYS: tuple[tuple[str, str], ...] = (
    ("Enter", "Registry: open the selected patient's chart"),
    ("Down / Up", "Registry search: move into the patient list"),
    ("Enter", "Count entry: save the count and start the next one"),
    ("Escape", "Count entry: clear the fields"),
    ("Alt+1 … Alt+5", "Patient chart: Timeline, Therapy, Counts, Bleeding & vaccines, Work-up"),
    ("Ctrl+Wheel / drag", "Timeline: zoom and pan over the years"),
    ("Space", "Rescue mode and checklists: tick the focused step"),
    ("Escape", "Rescue mode: back to the patient's chart"),
    ("Tab / Shift+Tab", "Move between fields in every form"),
)


def shortcut_rows() -> list[tuple[str, str]]:
    """(keys, what they do) for every action with a shortcut, then the panel keys."""
    rows = [
        (" or ".join(spec.shortcuts), plain_text(spec))
        for spec in ACTION_SPECS.values()
        if spec.shortcuts
    ]
    return [*rows, *PANEL_KEYS]


class HelpDialog(QDialog):
    """The keyboard shortcuts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows()
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["Keys", "Action"])
        self.table.setAccessibleName("Keyboard shortcuts")
        for index, (keys, action) in enumerate(rows):
            self.table.setItem(index, 0, QTableWidgetItem(keys))
            self.table.setItem(index, 1, QTableWidgetItem(action))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("Every action can be reached from the keyboard. Menus open with Alt.")
        )
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(620, 640)

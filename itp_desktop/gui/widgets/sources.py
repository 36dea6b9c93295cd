"""`SourcesRow`: citation keys as small buttons with the full reference on hover or click.

A click (or Space) expands the references inline so they can be read and copied.
May import: PySide6, services.display.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from itp_desktop.services.display import Labels

CHIPS_PER_LINE = 3
CHIP_STYLE = (
    "QToolButton { border: 1px solid #b0bec5; border-radius: 8px; padding: 0 6px;"
    " background: #eceff1; color: #263238; }"
    "QToolButton:checked { background: #cfd8dc; }"
)


class SourcesRow(QWidget):
    """The sources of one finding, option or plan."""

    def __init__(
        self, keys: Sequence[str], labels: Labels, rule: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._labels = labels
        self.references = QLabel()
        self.references.setWordWrap(True)
        self.references.setVisible(False)
        self.references.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.references.setStyleSheet("color: #37474f;")
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        caption = QLabel("Sources:")
        caption.setStyleSheet("color: #546e7a;")
        grid.addWidget(caption, 0, 0)
        self.chips: list[QToolButton] = []
        for index, key in enumerate(keys):
            chip = QToolButton()
            chip.setText(key)
            chip.setCheckable(True)
            chip.setStyleSheet(CHIP_STYLE)
            reference = labels.citation(key)
            chip.setToolTip(reference)
            chip.setAccessibleName(f"Source {key}")
            chip.setAccessibleDescription(reference)
            chip.toggled.connect(self._on_chip_toggled)
            # A few chips per line keeps a narrow panel from scrolling sideways.
            grid.addWidget(chip, index // CHIPS_PER_LINE, 1 + index % CHIPS_PER_LINE)
            self.chips.append(chip)
        grid.setColumnStretch(CHIPS_PER_LINE + 1, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(grid)
        if rule:
            rule_label = QLabel(f"Rule {rule}")
            rule_label.setStyleSheet("color: #78909c;")
            rule_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            column.addWidget(rule_label)
        column.addWidget(self.references)

    def _on_chip_toggled(self, _checked: bool) -> None:
        shown = [self._labels.citation(c.text()) for c in self.chips if c.isChecked()]
        self.references.setText("\n".join(f"• {r}" for r in shown))
        self.references.setVisible(bool(shown))

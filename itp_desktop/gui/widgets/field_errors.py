"""Inline field errors: a red message under each field, filled from pydantic or `FieldProblem`s.

A dialog registers its fields by path (``mrn``, ``diagnosis.date``); `FieldErrors.show` puts each
problem under the field whose path matches the end of the problem's path, so a service error
such as ``platelet_counts[3].value`` lands under the dialog's ``value`` field. Problems with no
matching field appear in the dialog's general error line. May import: PySide6, pydantic, core.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError
from PySide6.QtWidgets import QLabel, QWidget

from itp_desktop.core.errors import FieldProblem
from itp_desktop.core.validation import problems_from_pydantic

ERROR_STYLE = "color: #b3261e;"


def error_label() -> QLabel:
    """A hidden, word-wrapped red label for one field's message."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setVisible(False)
    label.setAccessibleName("Field error")
    return label


class FieldErrors:
    """Error labels of one form, by field path."""

    def __init__(self, general: QLabel) -> None:
        self._general = general
        self._labels: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}

    def add(self, path: str, widget: QWidget) -> QLabel:
        """Register a field; returns the label to place under it."""
        label = error_label()
        self._labels[path] = label
        self._widgets[path] = widget
        return label

    def clear(self) -> None:
        """Hide every message."""
        for label in (*self._labels.values(), self._general):
            label.clear()
            label.setVisible(False)

    def show_validation_error(self, error: ValidationError) -> None:
        """Show a pydantic error's problems."""
        self.show(problems_from_pydantic(error))

    def show(self, problems: Sequence[FieldProblem]) -> None:
        """Show problems under their fields (unmatched ones in the general line)."""
        self.clear()
        general: list[str] = []
        first: QWidget | None = None
        for problem in problems:
            path = self._match(problem.path)
            if path is None:
                general.append(problem.render())
                continue
            label = self._labels[path]
            text = f"{label.text()}\n{problem.message}" if label.text() else problem.message
            label.setText(text)
            label.setVisible(True)
            first = first or self._widgets[path]
        if general:
            self._general.setText("\n".join(general))
            self._general.setVisible(True)
        if first is not None:
            first.setFocus()

    def _match(self, path: str) -> str | None:
        if path in self._labels:
            return path
        # Longest registered path that the problem's path ends with (".value" in "x[3].value").
        candidates = [p for p in self._labels if path.endswith("." + p) or path.endswith(p)]
        return max(candidates, key=len, default=None)

"""`ModelDialog`: the base of every input dialog — a form, inline errors, a validated result.

A subclass adds fields with `add_field(path, label, widget)` and implements `collect()` (the
raw values as a dict) and `model_type`; pressing OK validates with pydantic and either accepts
(then `result()` returns the model) or shows each field's message under the field and stays
open with everything the user typed. `show_problems` lets the caller put a service's refusal
(duplicate MRN, result dated in the future) back into the still-filled dialog.
May import: PySide6, pydantic, core, gui.widgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from itp_desktop.core.errors import FieldProblem
from itp_desktop.gui.widgets.field_errors import FieldErrors, error_label

M = TypeVar("M", bound=BaseModel)


class ModelDialog(QDialog, Generic[M]):
    """A form that returns a validated pydantic model.

    Subclasses set `model_type`, add fields in `__init__` and implement `collect`.
    """

    model_type: type[M]

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self._result: M | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setVisible(False)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    # ------------------------------------------------------------------ public API
    def result(self) -> M | None:  # type: ignore[override]
        """The validated model after OK, else None."""
        return self._result

    def set_intro(self, text: str) -> None:
        """A short explanation above the form."""
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def add_field(self, path: str, label: str, widget: QWidget, help_text: str = "") -> None:
        """Add a labelled field with an error line under it."""
        container = QWidget()
        column = QVBoxLayout(container)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        if help_text:
            hint = QLabel(help_text)
            hint.setWordWrap(True)
            hint.setStyleSheet("color: palette(mid);")
            column.addWidget(hint)
        column.addWidget(self.errors.add(path, widget))
        plain = label.replace("&", "")
        widget.setAccessibleName(plain)
        row_label = QLabel(label)
        row_label.setBuddy(widget)
        row_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.addRow(row_label, container)

    def show_problems(self, problems: Sequence[FieldProblem]) -> None:
        """Show problems reported by a service under the matching fields."""
        self.errors.show(problems)

    def collect(self) -> dict[str, Any]:
        """The raw values of the form, as the model's fields."""
        raise TypeError(f"{type(self).__name__} must implement collect()")

    def validate(self) -> M | None:
        """Validate the form; show problems inline and return None when invalid."""
        self.errors.clear()
        try:
            model = self.model_type.model_validate(self.collect())
        except ValidationError as exc:
            self.errors.show_validation_error(exc)
            return None
        problems = self.check(model)
        if problems:
            self.errors.show(problems)
            return None
        return model

    def check(self, _model: M) -> list[FieldProblem]:
        """Extra checks with pure core validators (subclasses override)."""
        return []

    # ------------------------------------------------------------------ slots
    def _on_buttons_accepted(self) -> None:
        model = self.validate()
        if model is None:
            return
        self._result = model
        self.accept()

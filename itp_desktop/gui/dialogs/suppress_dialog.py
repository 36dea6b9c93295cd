"""`SuppressDialog`: why a finding is suppressed for this patient → `SuppressionRequest`.

The reason is required (3–1000 characters) and is shown in the assessment and the audit log;
the finding shows again by itself when its rule's version changes.
May import: PySide6, pydantic, core, gui.dialogs.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from itp_desktop.core.models.assessment import Finding
from itp_desktop.gui.dialogs.base import ModelDialog


class SuppressionRequest(BaseModel):
    """The written reason for suppressing a finding."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=3, max_length=1000)


class SuppressDialog(ModelDialog[SuppressionRequest]):
    """Ask for the reason before a finding is suppressed."""

    model_type = SuppressionRequest

    def __init__(self, finding: Finding, parent: QWidget | None = None) -> None:
        super().__init__("Suppress finding", parent)
        self.set_intro(
            f"<b>{finding.message}</b><br><br>Rule {finding.rule}. The finding will be hidden "
            "for this patient until the rule's version changes. The reason is kept in the "
            "assessment and the audit trail."
        )
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText("Why this finding does not apply to this patient")
        self.reason_edit.setFixedHeight(80)
        self.add_field("reason", "&Reason (required)", self.reason_edit)
        self.reason_edit.setFocus()

    def collect(self) -> dict[str, Any]:
        return {"reason": self.reason_edit.toPlainText()}

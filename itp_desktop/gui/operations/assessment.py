"""Assessment operations: suppress a finding with a reason, or show it again.

May import: PySide6, core, services API, gui.dialogs, gui.operations.
"""

from __future__ import annotations

from itp_desktop.core.models.assessment import Finding
from itp_desktop.gui.dialogs.suppress_dialog import SuppressDialog
from itp_desktop.gui.operations.context import OperationContext, edit_with_dialog, mutate


def suppress(ctx: OperationContext, patient_id: str, finding: Finding) -> SuppressDialog:
    """Ask for the reason and suppress the finding for this patient."""
    dialog = SuppressDialog(finding, ctx.parent)
    edit_with_dialog(
        ctx,
        dialog,
        lambda request: ctx.services.assessment.suppress(
            patient_id, finding.key, finding.rule, request.reason
        ),
        success="Finding suppressed for this patient (reason recorded).",
    )
    return dialog


def unsuppress(ctx: OperationContext, patient_id: str, finding: Finding) -> None:
    """Show a suppressed finding again."""
    mutate(
        ctx,
        lambda: ctx.services.assessment.unsuppress(patient_id, finding.key),
        success="Finding shown again.",
    )

"""`OperationContext` and `mutate`: how every GUI operation runs one service call.

`mutate(ctx, call, success=…)` runs `call()` (a service mutation returning a `ChangeSet`) as a
background task; on success it emits `AppEvents.data_changed` with the change set and a status
message, on failure it routes the error (to the dialog that is still open, or to the one error
dialog). Slots become one-liners. May import: PySide6, core, services API, gui.tasks, gui.events,
gui.errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel
from PySide6.QtWidgets import QDialog, QWidget

from itp_desktop.core.changes import ChangeSet
from itp_desktop.core.errors import FieldProblem, ItpError, ValidationFailed
from itp_desktop.gui.dialogs.base import ModelDialog
from itp_desktop.gui.events import AppEvents
from itp_desktop.gui.tasks import TaskHandle, TaskRunner, TaskToken
from itp_desktop.services.desktop_api import DesktopServices

M = TypeVar("M", bound=BaseModel)
OnChanged = Callable[[ChangeSet], None]
OnFailed = Callable[[BaseException], None]


@dataclass(frozen=True)
class OperationContext:
    """What an operation needs: the services, the app events, the task runner, a parent widget."""

    services: DesktopServices
    events: AppEvents
    tasks: TaskRunner
    parent: QWidget

    def show_error(self, exc: BaseException) -> None:
        """The one error dialog (or the task runner's error route in tests)."""
        self.tasks.report_error(exc)


def mutate(
    ctx: OperationContext,
    call: Callable[[], ChangeSet],
    *,
    success: str,
    on_done: OnChanged | None = None,
    on_error: OnFailed | None = None,
) -> TaskHandle:
    """Run a service mutation in the background and announce its change set."""

    def work(_token: TaskToken) -> ChangeSet:
        return call()

    def done(changes: ChangeSet) -> None:
        ctx.events.data_changed.emit(changes)
        if success:
            ctx.events.status_message.emit(success)
        if on_done is not None:
            on_done(changes)

    return ctx.tasks.run(work, on_done=done, on_error=on_error or ctx.show_error)


def edit_with_dialog(
    ctx: OperationContext,
    dialog: ModelDialog[M],
    save: Callable[[M], ChangeSet],
    *,
    success: str,
    on_done: OnChanged | None = None,
) -> None:
    """Open `dialog` (window-modal, not blocking); on OK save its model in the background.

    When the service refuses the model (a duplicate MRN, a result dated in the future, the
    store in use) the same dialog opens again with everything the user typed and the problem
    under the field it concerns, so the record being edited is never lost.
    """

    def finished(code: int) -> None:
        model = dialog.result()
        if code != QDialog.DialogCode.Accepted or model is None:
            dialog.deleteLater()
            return

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValidationFailed):
                dialog.show_problems(exc.problems)
            elif isinstance(exc, ItpError):
                dialog.show_problems([FieldProblem("(record)", exc.message)])
            else:
                ctx.show_error(exc)
            dialog.open()

        def saved(changes: ChangeSet) -> None:
            dialog.deleteLater()
            if on_done is not None:
                on_done(changes)

        mutate(ctx, lambda: save(model), success=success, on_done=saved, on_error=failed)

    dialog.finished.connect(finished)
    dialog.open()

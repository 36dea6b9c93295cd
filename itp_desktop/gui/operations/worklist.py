"""Worklist operation: compute the cross-patient worklist in the background.

Progress is reported and the task can be cancelled. May import: PySide6, services API,
gui.operations, gui.tasks.
"""

from __future__ import annotations

from collections.abc import Callable

from itp_desktop.gui.operations.context import OperationContext
from itp_desktop.gui.tasks import TaskHandle, TaskToken
from itp_desktop.services.desktop_api import Worklist


def compute(
    ctx: OperationContext,
    on_done: Callable[[Worklist], None],
    progress: Callable[[int, int], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
) -> TaskHandle:
    """Start computing the worklist; `on_done` receives it (partial when cancelled)."""

    def work(token: TaskToken) -> Worklist:
        return ctx.services.worklist.compute(
            progress=token.progress, cancelled=lambda: token.cancelled
        )

    return ctx.tasks.run(
        work, on_done=on_done, on_error=on_error, progress=progress, cancellable=True
    )

"""The one background-task helper: `TaskRunner.run(fn, on_done=…, on_error=…, …)`.

`fn` receives a `TaskToken` (report progress, poll for cancel) and plain data captured by the
caller, and returns plain data; it must never touch a widget. Every task runs on ONE worker
thread, so store access from tasks is serialised (SQLite has one writer; a restore must never
overlap a save). `on_done`, `on_error` and progress callbacks always run on the GUI thread: the
worker emits signals of a relay `QObject` that lives in the GUI thread, which Qt turns into
queued calls. Unexpected exceptions are logged here and handed to `on_error` (default: the one
error dialog). `SyncTaskRunner` runs tasks inline for tests (no threads, no event-loop waits).

Reads that take a few milliseconds (a search page, one patient, one assessment) stay on the GUI
thread on purpose: they were measured (docs/GUI.md) and a queue hop would only add latency.
May import: PySide6, core, stdlib.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")
OnError = Callable[[BaseException], None]


class TaskCancelled(Exception):
    """Raised by `TaskToken.check` inside a task the user cancelled; not an error."""


class TaskToken:
    """Progress and cancellation of one task; safe to use from the worker thread."""

    def __init__(self, report: Callable[[int, int], None] | None = None) -> None:
        self._cancel = threading.Event()
        self._report = report

    @property
    def cancelled(self) -> bool:
        """True once `cancel` was called."""
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the task to stop at its next check."""
        self._cancel.set()

    def progress(self, done: int, total: int) -> None:
        """Report progress (delivered to the GUI thread)."""
        if self._report is not None:
            self._report(done, total)

    def check(self) -> None:
        """Raise `TaskCancelled` when the task was cancelled."""
        if self._cancel.is_set():
            raise TaskCancelled


class TaskHandle(QObject):
    """A running task as the GUI sees it.

    Signals:
        progressed(int, int): done, total.
        finished(): after `on_done` or `on_error` ran (or the task was cancelled).
    """

    progressed = Signal(int, int)
    finished = Signal()
    _succeeded = Signal(object)
    _failed = Signal(object)

    def __init__(self, token: TaskToken, cancellable: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.token = token
        self.cancellable = cancellable
        self.running = True

    def cancel(self) -> None:
        """Ask the task to stop (only tasks started as cancellable react)."""
        if self.cancellable:
            self.token.cancel()


class TaskRunner(QObject):
    """Runs functions on one worker thread with GUI-thread callbacks.

    Args:
        on_error: default error route (normally `gui.errors.show_error` on the main window).
        parent: Qt parent.
    """

    def __init__(self, on_error: OnError | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._default_error = on_error
        self._executor: ThreadPoolExecutor | None = None
        self._active: set[TaskHandle] = set()

    def set_error_handler(self, on_error: OnError) -> None:
        """Route errors of tasks without their own `on_error` to `on_error`."""
        self._default_error = on_error

    @property
    def busy(self) -> bool:
        """True while a task is running."""
        return bool(self._active)

    def run(
        self,
        fn: Callable[[TaskToken], T],
        *,
        on_done: Callable[[T], None],
        on_error: OnError | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancellable: bool = False,
    ) -> TaskHandle:
        """Run `fn(token)` in the background; `on_done(result)` runs on the GUI thread.

        Args:
            fn: the work; receives the task's token and returns plain data.
            on_done: called with the result.
            on_error: called with the exception (default: the runner's error route).
            progress: called with (done, total) when the task reports progress.
            cancellable: whether `TaskHandle.cancel` reaches the task.
        """
        handle = self._new_handle(on_done, on_error, progress, cancellable)
        self._start(fn, handle)
        return handle

    def report_error(self, exc: BaseException) -> None:
        """Route an error through the runner's default error route (the one error dialog)."""
        self._route_error(exc, None)

    def shutdown(self) -> None:
        """Cancel cancellable tasks and wait for the worker (called when the window closes)."""
        for handle in list(self._active):
            handle.cancel()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    # ------------------------------------------------------------------ helpers
    def _new_handle(
        self,
        on_done: Callable[[Any], None],
        on_error: OnError | None,
        progress: Callable[[int, int], None] | None,
        cancellable: bool,
    ) -> TaskHandle:
        holder: list[TaskHandle] = []
        token = TaskToken(lambda done, total: holder[0].progressed.emit(done, total))
        handle = TaskHandle(token, cancellable, self)
        holder.append(handle)
        if progress is not None:
            handle.progressed.connect(progress)

        def succeeded(result: Any) -> None:
            self._finish(handle)
            on_done(result)
            handle.finished.emit()

        def failed(exc: BaseException) -> None:
            self._finish(handle)
            if not isinstance(exc, TaskCancelled):
                self._route_error(exc, on_error)
            handle.finished.emit()

        handle._succeeded.connect(succeeded)
        handle._failed.connect(failed)
        self._active.add(handle)
        return handle

    def _start(self, fn: Callable[[TaskToken], Any], handle: TaskHandle) -> None:
        if self._executor is None:
            # One worker: tasks touching the store never run concurrently with each other.
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="itp-task")
        self._executor.submit(self._work, fn, handle)

    @staticmethod
    def _work(fn: Callable[[TaskToken], Any], handle: TaskHandle) -> None:
        try:
            result = fn(handle.token)
        except Exception as exc:  # noqa: BLE001 - handed to the GUI thread, which routes it
            handle._failed.emit(exc)
            return
        handle._succeeded.emit(result)

    def _finish(self, handle: TaskHandle) -> None:
        handle.running = False
        self._active.discard(handle)

    def _route_error(self, exc: BaseException, on_error: OnError | None) -> None:
        from itp_desktop.core.errors import ItpError

        if not isinstance(exc, ItpError):
            log.error("Background task failed", exc_info=(type(exc), exc, exc.__traceback__))
        handler = on_error or self._default_error
        if handler is None:
            # No window to show it in yet: the one error dialog, without a parent.
            from itp_desktop.gui.errors import show_error

            handler = lambda error: show_error(None, error)  # noqa: E731
        handler(exc)


class SyncTaskRunner(TaskRunner):
    """Runs every task inline, on the calling thread (tests and scripted screenshots)."""

    def _start(self, fn: Callable[[TaskToken], Any], handle: TaskHandle) -> None:
        self._work(fn, handle)

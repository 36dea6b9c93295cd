"""The one background-task helper: GUI-thread callbacks, progress, cancel, error routing."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from itp_desktop.core.errors import NotFound
from itp_desktop.gui.tasks import SyncTaskRunner, TaskCancelled, TaskRunner, TaskToken


def test_callbacks_run_on_the_gui_thread(qtbot: QtBot, qapp: QApplication) -> None:
    runner = TaskRunner()
    seen: dict[str, object] = {}
    progress: list[tuple[int, int]] = []

    def work(token: TaskToken) -> int:
        seen["worker"] = threading.current_thread() is threading.main_thread()
        token.progress(1, 2)
        token.progress(2, 2)
        return 42

    def done(result: int) -> None:
        seen["result"] = result
        seen["callback_on_main"] = threading.current_thread() is threading.main_thread()

    handle = runner.run(work, on_done=done, progress=lambda d, t: progress.append((d, t)))
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    assert seen == {"worker": False, "result": 42, "callback_on_main": True}
    assert progress == [(1, 2), (2, 2)]
    assert not runner.busy
    runner.shutdown()


def test_cancel_and_errors(qtbot: QtBot, qapp: QApplication) -> None:
    errors: list[BaseException] = []
    runner = TaskRunner(on_error=errors.append)
    release = threading.Event()

    def slow(token: TaskToken) -> None:
        release.wait(5)
        token.check()

    handle = runner.run(
        slow, on_done=lambda _r: errors.append(AssertionError("done")), cancellable=True
    )
    handle.cancel()
    release.set()
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    assert errors == []  # a cancelled task is neither done nor an error

    def missing(_token: TaskToken) -> None:
        raise NotFound("No patient with id x")

    failing = runner.run(missing, on_done=lambda _r: None)
    with qtbot.waitSignal(failing.finished, timeout=5000):
        pass
    assert [type(e) for e in errors] == [NotFound]
    runner.shutdown()


def test_sync_runner_runs_inline_and_routes_errors(qapp: QApplication) -> None:
    errors: list[BaseException] = []
    runner = SyncTaskRunner(on_error=errors.append)
    results: list[int] = []
    runner.run(lambda _t: 7, on_done=results.append)
    assert results == [7]
    runner.run(lambda _t: 1 / 0, on_done=results.append)
    assert isinstance(errors[0], ZeroDivisionError)
    handle = runner.run(lambda t: t.check(), on_done=results.append, cancellable=True)
    assert not handle.running
    token = TaskToken()
    token.check()  # not cancelled: nothing happens
    token.cancel()
    with pytest.raises(TaskCancelled):
        token.check()
    assert results == [7, None]  # the cancellable task ran to its end and returned None

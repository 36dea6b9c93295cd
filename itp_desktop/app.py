"""Composition root: arguments, paths, logging, excepthook, services, then the GUI or a command.

`main(argv)` (the ``itp-desktop`` console script and ``python -m itp_desktop``) does, in order:
parse the arguments; build `AppPaths` (``--data-dir``, ``ITP_DESKTOP_DATA_DIR`` or the platform
folders); set up the rotating log; then either run a command (`itp_desktop.cli.run`) or start
the GUI: install the excepthook, create the `QApplication`, register the shipped fonts, build
the services (and the desktop services over them) and show `MainWindow(services=..., events=...,
tasks=...)`. Nothing else in the program reaches for a global application object. PySide6 is
imported only on the GUI path, so commands start fast. May import: everything.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from itp_desktop import __version__, cli
from itp_desktop.logging_setup import LogHandle, setup_logging

if TYPE_CHECKING:
    from itp_desktop.core.clock import Clock
    from itp_desktop.paths import AppPaths
    from itp_desktop.services.container import Services

ENV_QUIT_AFTER_MS = "ITP_DESKTOP_QUIT_AFTER_MS"
"""When set, the GUI quits after this many milliseconds (smoke runs of ./run.sh in CI)."""

log = logging.getLogger(__name__)

ShowCrash = Callable[[str], None]


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> int:
    """Run ITP Desktop; returns the process exit code.

    Args:
        argv: arguments without the program name (default ``sys.argv[1:]``).
        clock: the clock (tests inject a fixed one); default the system clock.
    """
    parsed = cli.parse_args(argv)
    if isinstance(parsed, int):
        return parsed
    args = parsed
    try:
        paths = cli.resolve_paths(args)
    except OSError as exc:
        print(f"error: cannot determine the data folders: {exc}", file=sys.stderr)
        return cli.EXIT_USAGE
    handle = setup_logging(paths.log_dir, verbose=getattr(args, "verbose", False))
    log.info("ITP Desktop %s starting: %s", __version__, args.command or "gui")
    try:
        if args.command is not None:
            return cli.run(args, paths, clock=clock, log_file=handle.log_file)
        return run_gui(args, paths, handle, clock=clock)
    finally:
        handle.close()


def make_excepthook(
    log_file: Path | None, show: ShowCrash | None = None
) -> Callable[[type[BaseException], BaseException, TracebackType | None], None]:
    """An excepthook that logs the full traceback and, in the GUI, shows the crash dialog.

    Args:
        log_file: named in the crash dialog.
        show: shows the crash details to the user (GUI); None logs only.
    """

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        logging.getLogger("itp_desktop.crash").critical(
            "Unhandled exception", exc_info=(exc_type, exc, tb)
        )
        if show is None:
            print(f"Unexpected error: {exc_type.__name__}: {exc}", file=sys.stderr)
            if log_file is not None:
                print(f"Details were written to {log_file}", file=sys.stderr)
            return
        try:
            show("".join(traceback.format_exception(exc_type, exc, tb)))
        except Exception:  # the hook must never raise
            logging.getLogger("itp_desktop.crash").exception("The crash dialog failed")

    return hook


def _install_hooks(
    hook: Callable[[type[BaseException], BaseException, TracebackType | None], None],
) -> Callable[[], None]:
    """Install `hook` for the main thread and worker threads; returns an uninstaller."""
    previous = sys.excepthook
    previous_thread = threading.excepthook

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook

    def uninstall() -> None:
        sys.excepthook = previous
        threading.excepthook = previous_thread

    return uninstall


def run_gui(
    args: argparse.Namespace, paths: AppPaths, handle: LogHandle, *, clock: Clock | None = None
) -> int:
    """Start the desktop application and return its exit code."""
    uninstall = _install_hooks(make_excepthook(handle.log_file))
    try:
        from PySide6.QtCore import QTimer
        from PySide6.QtGui import QIcon
        from PySide6.QtWidgets import QApplication

        from itp_desktop.core.clock import SystemClock
        from itp_desktop.gui.errors import show_crash, show_error
        from itp_desktop.gui.events import AppEvents
        from itp_desktop.gui.fonts import ensure_glyphs, register_fonts
        from itp_desktop.gui.main_window import MainWindow
        from itp_desktop.gui.tasks import TaskRunner
        from itp_desktop.services.desktop import build_desktop_services

        existing = QApplication.instance()
        app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
        app.setApplicationName("ITP Desktop")
        app.setApplicationVersion(__version__)
        app.setOrganizationName("itp-desktop")
        app.setWindowIcon(QIcon(str(_icon_path())))
        register_fonts()
        ensure_glyphs(app)
        # Now that a QApplication exists, crashes are shown in a dialog as well as logged.
        uninstall()
        uninstall = _install_hooks(
            make_excepthook(
                handle.log_file, lambda details: show_crash(None, details, handle.log_file)
            )
        )
        services = _build_gui_services(args, paths, clock or SystemClock(), show_error)
        try:
            if not _prepare_store(args, services, show_error):
                return cli.EXIT_OK
            window = MainWindow(
                services=build_desktop_services(services),
                events=AppEvents(),
                tasks=TaskRunner(),
                state_dir=paths.config_dir,
            )
            window.show()
            quit_after = os.environ.get(ENV_QUIT_AFTER_MS)
            if quit_after and quit_after.isdigit():
                QTimer.singleShot(int(quit_after), app.quit)
            return int(app.exec())
        finally:
            services.close()
    finally:
        uninstall()


def _icon_path() -> Path:
    from importlib.resources import files

    return Path(str(files("itp_desktop") / "resources" / "icons" / "itp-desktop-256.png"))


def _build_gui_services(
    args: argparse.Namespace,
    paths: AppPaths,
    clock: Clock,
    show_error: Callable[[None, BaseException], None],
) -> Services:
    from itp_desktop.core.errors import ItpError
    from itp_desktop.services.container import build_services
    from itp_desktop.settings import Settings, load_user_settings

    try:
        settings = load_user_settings(paths.settings_path, paths.site_dir)
    except ItpError as exc:
        # Broken settings must not lock a clinician out: say so and use the defaults.
        show_error(None, exc)
        settings = Settings()
    return build_services(paths, settings, clock, kb_dir=getattr(args, "kb_dir", None))


def _prepare_store(
    args: argparse.Namespace,
    services: Services,
    show_error: Callable[[None, BaseException], None],
) -> bool:
    """Create the demo store when asked or accepted; False when the user chose to quit."""
    from PySide6.QtWidgets import QMessageBox

    from itp_desktop.core.errors import ItpError

    if services.store.exists:
        return True
    create = bool(args.demo)
    if not create:
        answer = QMessageBox.question(
            None,
            "ITP Desktop — no patient store yet",
            f"There is no patient store at\n{services.store.path}\n\n"
            "Create the demo store with its synthetic patients, so you can try ITP Desktop "
            "at once?\n\nYes: create the demo store.  No: start with an empty store.",
            QMessageBox.StandardButton.Yes
            | QMessageBox.StandardButton.No
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        create = answer == QMessageBox.StandardButton.Yes
    if create:
        try:
            services.demo.build_demo_store()
        except ItpError as exc:
            show_error(None, exc)
    return True

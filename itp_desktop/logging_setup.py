"""Logging: one rotating log file in `AppPaths.log_dir`, optionally echoed to stderr.

`setup_logging` installs (or replaces) the application's handlers on the root logger and returns
a `LogHandle` that knows the log file path (the CLI and the crash dialog name it) and closes the
handlers again, so that tests calling ``main()`` many times leave no open files behind. The log
file is owner-only (0600 on POSIX) because tracebacks may quote patient data.
May import: stdlib only.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from dataclasses import dataclass, field
from io import TextIOWrapper
from pathlib import Path

LOG_FILENAME = "itp-desktop.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5
_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
# Marks handlers we installed, so a second setup replaces them instead of stacking duplicates.
_OWNED_ATTR = "_itp_desktop_handler"


@dataclass
class LogHandle:
    """The installed logging handlers and the file they write to.

    Attributes:
        log_file: the current log file (rotated copies sit next to it).
        handlers: the handlers installed on the root logger.
    """

    log_file: Path | None
    handlers: list[logging.Handler] = field(default_factory=list)

    def close(self) -> None:
        """Remove and close the handlers (idempotent)."""
        root = logging.getLogger()
        for handler in self.handlers:
            root.removeHandler(handler)
            handler.close()
        self.handlers.clear()


class _OneLineFormatter(logging.Formatter):
    """Console format without tracebacks: users see one line; the log file has the rest."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname}: {record.getMessage()}"


class _OwnerOnlyRotatingHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler whose files are created readable by the owner only."""

    def _open(self) -> TextIOWrapper:
        stream = super()._open()
        if os.name == "posix":
            os.chmod(self.baseFilename, 0o600)
        return stream


def setup_logging(log_dir: Path | None, *, verbose: bool = False) -> LogHandle:
    """Install the rotating file log (and a stderr echo when `verbose`).

    Args:
        log_dir: folder of the log file; None logs to stderr only (used when the folder
            cannot be created, so that the app still starts).
        verbose: also echo INFO messages to stderr.

    Returns:
        A handle naming the log file; call `close()` when the program ends.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OWNED_ATTR, False):
            root.removeHandler(handler)
            handler.close()
    handle = LogHandle(log_file=None)
    if log_dir is not None:
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            file_handler: logging.Handler = _OwnerOnlyRotatingHandler(
                log_dir / LOG_FILENAME,
                maxBytes=LOG_MAX_BYTES,
                backupCount=LOG_BACKUPS,
                encoding="utf-8",
                delay=True,
            )
        except OSError:
            # An unwritable log folder must not stop a clinician from working: fall back to
            # stderr and say so there.
            log_dir = None
        else:
            file_handler.setLevel(logging.DEBUG)
            file_handler.setFormatter(logging.Formatter(_FORMAT))
            handle.log_file = log_dir / LOG_FILENAME
            handle.handlers.append(file_handler)
    if verbose or log_dir is None:
        console = logging.StreamHandler()
        console.setLevel(logging.INFO if verbose else logging.WARNING)
        console.setFormatter(_OneLineFormatter())
        handle.handlers.append(console)
    for handler in handle.handlers:
        setattr(handler, _OWNED_ATTR, True)
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if handle.log_file else logging.INFO)
    return handle

"""Owner-only files and folders for the store and its backups (POSIX mode 0600 / 0700).

Patient data must not be readable by other accounts on a shared clinic computer. SQLite creates
its ``-wal`` and ``-shm`` files with the mode of the database file, so creating the database
owner-only first is what matters; `secure_store_files` re-applies the mode afterwards as a
second line of defence. On Windows the per-user profile folder already restricts access, so
these functions do nothing there. May import: stdlib.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

SIDE_SUFFIXES: tuple[str, ...] = ("-wal", "-shm", "-journal")
"""Files SQLite keeps next to a database."""

_POSIX = os.name == "posix"


def create_private_file(path: Path) -> None:
    """Create an empty owner-only file unless it exists (SQLite then opens it as new)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def secure_file(path: Path) -> None:
    """Make an existing file owner-only (mode 0600)."""
    # The -shm/-wal files may vanish between the check and the chmod when another
    # connection closes; that is fine.
    if _POSIX:
        with contextlib.suppress(FileNotFoundError):
            path.chmod(0o600)


def secure_store_files(path: Path) -> None:
    """Make a database file and its -wal/-shm/-journal companions owner-only."""
    secure_file(path)
    for suffix in SIDE_SUFFIXES:
        secure_file(path.with_name(path.name + suffix))


def private_dir(path: Path) -> None:
    """Create a folder (and parents) owner-only; an existing folder keeps its mode."""
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True)
        if _POSIX:
            path.chmod(0o700)

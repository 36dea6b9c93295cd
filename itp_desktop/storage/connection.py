"""The SQLAlchemy engine of one store file, its transactions and database-error translation.

Connections run in WAL mode with foreign keys on, ``synchronous=FULL`` (a committed change
survives a power cut) and a busy timeout. SQLAlchemy, not Python's sqlite3 module, emits
``BEGIN``: writes start with ``BEGIN IMMEDIATE`` so the write lock is taken (or waited for up
to the busy timeout) before anything is read, which is what makes two windows on one store
safe; reads use ``BEGIN DEFERRED`` and never block a writer. Database errors become the
domain errors of `itp_desktop.core.errors` with a plain message. May import: core, stdlib,
SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from itp_desktop.core.errors import (
    EnvironmentProblem,
    FieldProblem,
    IntegrityProblem,
    ItpError,
    StorageError,
    StoreInUse,
    ValidationFailed,
)

IN_USE_MESSAGE = (
    "The store is in use by another ITP Desktop window or program; try again. Nothing was changed."
)
_BEGIN_OPTION = "itp_begin"


class StoreNotWritable(StorageError, EnvironmentProblem):
    """The store's disk is full, read-only or not accessible (an environment problem)."""


def make_engine(path: Path, busy_timeout: float) -> Engine:
    """An engine for one SQLite file with the connection settings described above."""
    url = URL.create("sqlite", database=str(path))
    engine = create_engine(
        url,
        connect_args={"timeout": busy_timeout, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy (see module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def translate(exc: BaseException, path: Path) -> ItpError:
    """The domain error for a database error on the store at `path`."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    text = str(original).lower()
    detail = f"{type(original).__name__}: {original}"
    if "unique constraint failed: patients.mrn" in text:
        # Another window saved the same MRN between our check and our write.
        return ValidationFailed(
            [FieldProblem("mrn", "this MRN is already used by another patient")], detail=detail
        )
    if "locked" in text or "busy" in text:
        return StoreInUse(IN_USE_MESSAGE, detail)
    if "disk is full" in text or "database or disk is full" in text:
        return StoreNotWritable(
            f"The disk holding the store {path} is full; free some space and try again. "
            "Nothing was changed.",
            detail,
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StoreNotWritable(
            f"The store {path} cannot be opened for writing (read-only, moved or no "
            "permission). Nothing was changed.",
            detail,
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return IntegrityProblem(
            f"The store {path} is damaged or is not an ITP Desktop store; restore a backup.",
            detail,
        )
    return StorageError(
        f"The store {path} could not complete the operation; nothing was changed.", detail
    )


@contextmanager
def transaction(engine: Engine, path: Path, *, write: bool) -> Iterator[Connection]:
    """One transaction: commits when the block ends, rolls back on any exception.

    Database errors are raised as domain errors (`translate`); other exceptions pass through
    unchanged after the rollback.
    """
    try:
        with engine.connect() as conn:
            conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE" if write else "DEFERRED"})
            with conn.begin():
                yield conn
    except (DBAPIError, sqlite3.Error) as exc:
        raise translate(exc, path) from exc

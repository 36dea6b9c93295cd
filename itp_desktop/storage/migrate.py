"""Schema migrations with Alembic, configured in code (no alembic.ini at run time).

`upgrade` runs every pending revision on a connection that is already inside a write
transaction, so a failed migration leaves the store exactly as it was. The scripts live in
``itp_desktop/storage/migrations`` (shipped as package data). Reading the current revision
needs no Alembic import (`current_revision`), which keeps opening an up-to-date store fast.
May import: SQLAlchemy, Alembic, stdlib, `storage.schema`.
"""

from __future__ import annotations

import datetime as dt
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

VERSION_TABLE = "alembic_version"


def script_location() -> Path:
    """Folder of the migration environment inside the installed package."""
    # The package is installed as plain files (wheel or source tree), never zipped, so the
    # resource folder is a real directory Alembic can scan.
    return Path(str(files("itp_desktop.storage") / "migrations"))


def make_config(connection: Connection | None = None, *, today: dt.date | None = None) -> Config:
    """Build the Alembic configuration programmatically.

    Args:
        connection: connection the revisions run on (inside the caller's transaction).
        today: the store clock's date, for summary columns that depend on the date.
    """
    from alembic.config import Config  # imported here: only needed when migrating

    config = Config()
    config.set_main_option("script_location", str(script_location()))
    config.attributes["connection"] = connection
    config.attributes["today"] = today
    return config


def script_revisions() -> list[str]:
    """Every revision of the migration scripts, oldest first (used by tests and tools)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(make_config())
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]


def current_revision(connection: Connection) -> str | None:
    """The revision recorded in the store, or None for an empty (new) database."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    row = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).first()
    return None if row is None else str(row[0])


def has_user_tables(connection: Connection) -> bool:
    """True when the database holds any table (a non-store SQLite file must not be touched)."""
    names = [n for n in inspect(connection).get_table_names() if not n.startswith("sqlite_")]
    return bool(names)


def upgrade(connection: Connection, target: str = "head", *, today: dt.date | None = None) -> None:
    """Run the pending revisions up to `target` inside the caller's transaction."""
    from alembic import command

    command.upgrade(make_config(connection, today=today), target)


def downgrade(connection: Connection, target: str, *, today: dt.date | None = None) -> None:
    """Run revisions down to `target` (developer tool and tests; the app never downgrades)."""
    from alembic import command

    command.downgrade(make_config(connection, today=today), target)

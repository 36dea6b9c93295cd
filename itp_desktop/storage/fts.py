"""The FTS5 trigram index over folded patient names: a derived index managed at run time.

Substring search over 100,000 names needs an index: FTS5's trigram tokenizer (SQLite ≥ 3.34)
finds any fragment of three or more characters. Not every SQLite library has it, and a store
may be restored on another computer, so the index is not part of the migrated schema: the
store checks at open whether the library supports it (`trigram_available`) and then installs
or repairs it (`install`), or removes its triggers (`disable`) so that writes keep working and
search falls back to prefix search on the indexed folded-name columns. The index is an
external-content FTS table over `patients.name_norm` kept current by triggers.
May import: stdlib, SQLAlchemy, `storage.schema`.
"""

from __future__ import annotations

import sqlite3
from typing import Literal

from sqlalchemy import Connection, text

from itp_desktop.storage.schema import FTS_TABLE

TRIGGERS: dict[str, str] = {
    "patients_fts_ai": (
        "CREATE TRIGGER patients_fts_ai AFTER INSERT ON patients BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, name_norm) VALUES (new.pk, new.name_norm); END"
    ),
    "patients_fts_ad": (
        "CREATE TRIGGER patients_fts_ad AFTER DELETE ON patients BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name_norm) "
        "VALUES ('delete', old.pk, old.name_norm); END"
    ),
    "patients_fts_au": (
        "CREATE TRIGGER patients_fts_au AFTER UPDATE OF name_norm ON patients BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name_norm) "
        "VALUES ('delete', old.pk, old.name_norm); "
        f"INSERT INTO {FTS_TABLE}(rowid, name_norm) VALUES (new.pk, new.name_norm); END"
    ),
}

_CREATE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "name_norm, content='patients', content_rowid='pk', tokenize='trigram')"
)

FtsState = Literal["ready", "needs_install", "needs_disable", "unavailable"]


def trigram_available() -> bool:
    """True when the SQLite library linked into Python has FTS5 with the trigram tokenizer."""
    # Every sqlite3 connection in the process uses the same library, so a throw-away
    # in-memory database answers for the store without touching it.
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')")
    except sqlite3.Error:
        return False
    finally:
        probe.close()
    return True


def state(conn: Connection, *, available: bool) -> FtsState:
    """What the store's FTS index needs, read without taking the write lock."""
    names = {
        row[0]
        for row in conn.execute(
            text("SELECT name FROM sqlite_master WHERE name = :t OR type = 'trigger'"),
            {"t": FTS_TABLE},
        )
    }
    has_triggers = any(name in names for name in TRIGGERS)
    if not available:
        return "needs_disable" if has_triggers else "unavailable"
    if FTS_TABLE in names and all(name in names for name in TRIGGERS):
        return "ready"
    return "needs_install"


def install(conn: Connection) -> None:
    """Create the FTS table and triggers where missing and rebuild the index from `patients`."""
    exists = conn.execute(
        text("SELECT 1 FROM sqlite_master WHERE name = :t"), {"t": FTS_TABLE}
    ).first()
    if exists is None:
        conn.exec_driver_sql(_CREATE)
    present = {
        row[0] for row in conn.execute(text("SELECT name FROM sqlite_master WHERE type='trigger'"))
    }
    for name, ddl in TRIGGERS.items():
        if name not in present:
            conn.exec_driver_sql(ddl)
    # The triggers may have been missing while patients changed: re-index everything.
    conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def disable(conn: Connection) -> None:
    """Drop the triggers (the library cannot run them); the stale index stays unused."""
    for name in TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")

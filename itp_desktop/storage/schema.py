"""The store's schema at the head revision, as SQLAlchemy Core tables.

The migrations in ``storage/migrations/versions`` build this schema step by step; a test
compares the migrated database with these tables so the two cannot drift apart. Queries in
the store are built from these `Table` objects (SQLAlchemy Core, no ORM), which keeps the door
open to another database later. `HEAD_REVISION` and `KNOWN_REVISIONS` are constants so that
opening an up-to-date store does not need to import Alembic (start-up time); a test checks
them against the migration scripts. May import: SQLAlchemy, stdlib.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

HEAD_REVISION = "0002"
"""The Alembic revision this code writes; a store at an older one is migrated on open."""

KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002")
"""Every revision this code can open (older ones are migrated), oldest first."""

FTS_TABLE = "patient_fts"
"""FTS5 table (trigram tokenizer) over `patients.name_norm`; absent when SQLite lacks it."""

metadata = MetaData()

patients = Table(
    "patients",
    metadata,
    # An INTEGER PRIMARY KEY is SQLite's rowid: stable across VACUUM, so the FTS index can
    # point at it. The public identifier is `id`.
    Column("pk", Integer, primary_key=True),
    Column("id", String(64), nullable=False, unique=True),
    Column("mrn", String(40), nullable=False, unique=True),
    Column("family_name", String(100), nullable=False),
    Column("given_name", String(100), nullable=False, server_default=""),
    Column("birth_date", Date, nullable=False),
    Column("archived", Boolean, nullable=False, server_default=text("0")),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("document", Text, nullable=False),
    # Revision 0002: folded search keys and registry summary columns.
    Column("family_norm", Text, nullable=False, server_default=""),
    Column("given_norm", Text, nullable=False, server_default=""),
    Column("name_norm", Text, nullable=False, server_default=""),
    Column("mrn_norm", Text, nullable=False, server_default=""),
    Column("count_n", Integer, nullable=False, server_default=text("0")),
    Column("latest_count_e9", Float, nullable=True),
    Column("latest_count_date", Date, nullable=True),
    Column("active_agents", Text, nullable=False, server_default=""),
    Column("summary_as_of", Date, nullable=True),
    Index("ix_patients_sort", "family_norm", "given_norm", "id"),
    # The registry lists active patients: this index gives them in order and counts them
    # without reading the (large) rows.
    Index(
        "ix_patients_active",
        "family_norm",
        "given_norm",
        "id",
        sqlite_where=text("archived = 0"),
    ),
    Index("ix_patients_given_norm", "given_norm"),
    Index("ix_patients_mrn_norm", "mrn_norm"),
    Index("ix_patients_birth_date", "birth_date"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", Text, nullable=False),
    # "user" is reserved in PostgreSQL; the audit entry still calls it `user`.
    Column("user_name", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("entity", Text, nullable=False),
    Column("entity_id", Text, nullable=True),
    Column("before", Text, nullable=False),
    Column("after", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_log_entity_id", "entity_id"),
)

store_meta = Table(
    "store_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

suppressions = Table(
    "suppressions",
    metadata,
    Column("patient_id", String(64), ForeignKey("patients.id"), primary_key=True),
    Column("finding_key", String(200), primary_key=True),
    Column("rule", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("user_name", Text, nullable=False),
    Column("at", Text, nullable=False),
)

# The FTS5 table is created by raw SQL in revision 0002 (Alembic cannot describe virtual
# tables); this description only lets queries name its columns. Its own MetaData keeps it out
# of schema comparisons.
fts_metadata = MetaData()
patient_fts = Table(
    FTS_TABLE,
    fts_metadata,
    Column("rowid", Integer),
    Column("name_norm", Text),
)

AUDIT_HEAD_KEY = "audit_head"
"""`store_meta` key holding ``"<seq>:<hash>"`` of the newest audit entry (detects truncation)."""

"""Search keys, registry summary columns and the suppressions table.

Adds accent-folded name/MRN columns for case- and accent-insensitive search, summary columns
for the registry (number of counts, latest count and its date, active agents), their indexes,
and the `suppressions` table; then fills the new columns from each stored document. The FTS5
name index is a derived index managed by the store at run time (it exists only where the
SQLite library has the trigram tokenizer), so it is not part of this revision.

The helper functions below are a frozen copy of what the store computed when this revision was
written; never import application code into a migration.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_SPECIAL = str.maketrans(
    {"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "đ": "d", "Đ": "d",
     "ł": "l", "Ł": "l", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d", "ı": "i"}
)


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def _summary(document: str, today: dt.date | None) -> dict[str, object]:
    data = json.loads(document)
    counts = data.get("platelet_counts") or []
    latest = None
    for entry in counts:
        if latest is None or entry["date"] >= latest["date"]:
            latest = entry
    value = None
    if latest is not None:
        value = float(latest["value"])
        if latest.get("unit") == "/uL":
            value /= 1000.0
    agents = ""
    if today is not None:
        iso = today.isoformat()
        active = {
            c["agent"]
            for c in data.get("courses") or []
            if c["start_date"] <= iso and (c.get("stop_date") is None or c["stop_date"] >= iso)
        }
        agents = ",".join(sorted(active))
    return {
        "count_n": len(counts),
        "latest_count_e9": value,
        "latest_count_date": None if latest is None else dt.date.fromisoformat(latest["date"]),
        "active_agents": agents,
        "summary_as_of": today,
    }


def upgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.add_column(sa.Column("family_norm", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("given_norm", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("name_norm", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("mrn_norm", sa.Text, nullable=False, server_default=""))
        batch.add_column(
            sa.Column("count_n", sa.Integer, nullable=False, server_default=sa.text("0"))
        )
        batch.add_column(sa.Column("latest_count_e9", sa.Float, nullable=True))
        batch.add_column(sa.Column("latest_count_date", sa.Date, nullable=True))
        batch.add_column(sa.Column("active_agents", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("summary_as_of", sa.Date, nullable=True))
    op.create_index("ix_patients_sort", "patients", ["family_norm", "given_norm", "id"])
    op.create_index(
        "ix_patients_active",
        "patients",
        ["family_norm", "given_norm", "id"],
        sqlite_where=sa.text("archived = 0"),
    )
    op.create_index("ix_patients_given_norm", "patients", ["given_norm"])
    op.create_index("ix_patients_mrn_norm", "patients", ["mrn_norm"])
    op.create_index("ix_patients_birth_date", "patients", ["birth_date"])
    op.create_table(
        "suppressions",
        sa.Column(
            "patient_id", sa.String(64), sa.ForeignKey("patients.id"), primary_key=True
        ),
        sa.Column("finding_key", sa.String(200), primary_key=True),
        sa.Column("rule", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("user_name", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
    )

    # The store passes its injected clock's date; without it the active agents stay empty
    # until the patient is next saved (migrations never read the clock themselves).
    config = op.get_context().config
    today = config.attributes.get("today") if config is not None else None
    patients = sa.table(
        "patients",
        sa.column("pk", sa.Integer),
        sa.column("mrn", sa.String),
        sa.column("family_name", sa.String),
        sa.column("given_name", sa.String),
        sa.column("document", sa.Text),
        sa.column("family_norm", sa.Text),
        sa.column("given_norm", sa.Text),
        sa.column("name_norm", sa.Text),
        sa.column("mrn_norm", sa.Text),
        sa.column("count_n", sa.Integer),
        sa.column("latest_count_e9", sa.Float),
        sa.column("latest_count_date", sa.Date),
        sa.column("active_agents", sa.Text),
        sa.column("summary_as_of", sa.Date),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            patients.c.pk,
            patients.c.mrn,
            patients.c.family_name,
            patients.c.given_name,
            patients.c.document,
        )
    ).all()
    updates = []
    for pk, mrn, family, given, document in rows:
        family_norm, given_norm = _fold(family), _fold(given)
        updates.append(
            {
                "b_pk": pk,
                "family_norm": family_norm,
                "given_norm": given_norm,
                "name_norm": f"{family_norm} {given_norm}".strip(),
                "mrn_norm": mrn.strip().upper(),
                **_summary(document, today),
            }
        )
    if updates:
        bind.execute(
            patients.update()
            .where(patients.c.pk == sa.bindparam("b_pk"))
            .values(
                {
                    name: sa.bindparam(name)
                    for name in updates[0]
                    if name != "b_pk"
                }
            ),
            updates,
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # The run-time FTS index and its triggers read the columns removed here.
        for trigger in ("patients_fts_ai", "patients_fts_ad", "patients_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS patient_fts")
    op.drop_table("suppressions")
    op.drop_index("ix_patients_birth_date", table_name="patients")
    op.drop_index("ix_patients_mrn_norm", table_name="patients")
    op.drop_index("ix_patients_given_norm", table_name="patients")
    op.drop_index("ix_patients_active", table_name="patients")
    op.drop_index("ix_patients_sort", table_name="patients")
    with op.batch_alter_table("patients") as batch:
        for name in (
            "summary_as_of",
            "active_agents",
            "latest_count_date",
            "latest_count_e9",
            "count_n",
            "mrn_norm",
            "name_norm",
            "given_norm",
            "family_norm",
        ):
            batch.drop_column(name)

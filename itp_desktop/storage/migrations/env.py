"""Alembic environment: runs the revisions on the connection the store hands over.

`itp_desktop.storage.migrate.upgrade` passes an open SQLAlchemy connection inside a write
transaction (``config.attributes["connection"]``), so every revision of one upgrade commits or
rolls back together. Offline (SQL script) mode is not used by the application.
"""

from __future__ import annotations

from alembic import context

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "itp_desktop migrations run through itp_desktop.storage.migrate, which passes a "
        "connection in config.attributes['connection']"
    )

context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()

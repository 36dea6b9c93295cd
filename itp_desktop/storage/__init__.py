"""Persistence: the SQLite store, migrations, backups and the audit log.

May import: core, stdlib, SQLAlchemy, Alembic. Never Qt, the engine or reports.
"""

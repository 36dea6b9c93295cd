"""Alembic migration environment of the store (scripts in ``versions/``, shipped in the wheel).

The Alembic configuration is built in code by `itp_desktop.storage.migrate`; no alembic.ini
is needed at run time. May import: SQLAlchemy, Alembic, stdlib.
"""

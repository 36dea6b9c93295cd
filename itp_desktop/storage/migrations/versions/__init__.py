"""Alembic revision scripts, one per schema version (0001, 0002, ...); never edit a released one."""

"""Loads and validates versioned knowledge packs (clinical data with citations).

May import: core, stdlib (tomllib, importlib.resources), pydantic.
"""

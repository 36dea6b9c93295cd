"""Thin functions that wrap one service call in a background task and route its outcome.

May import: PySide6, core, services API, gui.tasks, gui.events, gui.errors.
"""

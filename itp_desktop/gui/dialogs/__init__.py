"""Dialogs that collect and validate input and return a pydantic model via ``result()``.

Dialogs never act: the caller passes the model to a service through `gui.operations`.
May import: PySide6, core, services.display, gui.widgets.
"""

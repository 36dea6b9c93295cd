"""Everything Qt: main window, panels, table models, dialogs and the task helper.

May import: PySide6, services, core. Never storage, engine, reports, knowledge or interop.
"""

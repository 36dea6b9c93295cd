"""Application use cases: the only API the GUI and the CLI call.

May import: core, knowledge, engine, storage, reports, interop, settings, paths. Never Qt.
"""

"""One module per panel of the window. May import: PySide6, core, services API, gui.*."""

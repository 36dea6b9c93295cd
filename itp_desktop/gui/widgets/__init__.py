"""Small reusable widgets (date edit, inline field errors). May import: PySide6, core."""

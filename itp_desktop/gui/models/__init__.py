"""Qt item models of the GUI (one `QAbstractTableModel` per table). May import: PySide6, core."""

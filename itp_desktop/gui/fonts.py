"""Registers the DejaVu fonts shipped in the package, so ×10⁹/L never renders as boxes.

The fonts are read with importlib.resources and registered from memory (works from a wheel, an
editable install or a frozen build). When the platform's default font lacks the glyphs the app
prints (×, ⁹, µ, ≥, accented names), DejaVu Sans becomes the application font.
May import: PySide6, stdlib.
"""

from __future__ import annotations

from importlib.resources import files

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication

FONT_FILES = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique.ttf",
)
FALLBACK_FAMILY = "DejaVu Sans"
REQUIRED_GLYPHS = "×⁹³µ≥≤–éüñØ"


def register_fonts() -> list[str]:
    """Register the shipped fonts; returns the font families Qt now knows from them."""
    folder = files("itp_desktop") / "resources" / "fonts"
    families: list[str] = []
    for name in FONT_FILES:
        item = folder / name
        if not item.is_file():
            continue
        font_id = QFontDatabase.addApplicationFontFromData(QByteArray(item.read_bytes()))
        if font_id >= 0:
            families += [
                f for f in QFontDatabase.applicationFontFamilies(font_id) if f not in families
            ]
    return families


def missing_glyphs(font: QFont) -> str:
    """The characters of `REQUIRED_GLYPHS` that `font` cannot draw."""
    metrics = QFontMetrics(font)
    return "".join(ch for ch in REQUIRED_GLYPHS if not metrics.inFontUcs4(ord(ch)))


def ensure_glyphs(app: QApplication) -> bool:
    """Switch the application font to DejaVu Sans if the default lacks required glyphs.

    Returns:
        True when the application font was changed.
    """
    current = app.font()
    if not missing_glyphs(current):
        return False
    replacement = QFont(FALLBACK_FAMILY)
    if current.pointSizeF() > 0:
        replacement.setPointSizeF(current.pointSizeF())
    app.setFont(replacement)
    return True

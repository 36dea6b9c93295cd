"""Fonts, colours and paragraph/table styles of every printed document.

The DejaVu Sans family shipped in ``itp_desktop/resources/fonts`` is registered once and
embedded (subset) in every PDF: reportlab's built-in Helvetica has no glyph for ⁹ or ≥, which
print as black boxes. Font files are read with importlib.resources, so wheels, editable
installs and frozen builds find them the same way. `esc` escapes user text for reportlab's
paragraph mark-up; `fit` truncates single-line text to a width with an explicit ellipsis.

May import: stdlib, reportlab, the formatting helpers.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from importlib import resources
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from itp_desktop.reports.formatting import ELLIPSIS

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"

_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

# A calm palette that still prints legibly in greyscale.
INK = colors.HexColor("#1B1F24")
MUTED = colors.HexColor("#5A6470")
ACCENT = colors.HexColor("#1F4E79")
RULE = colors.HexColor("#B8C2CC")
FILL = colors.HexColor("#EEF2F6")
FILL_HEAD = colors.HexColor("#DCE4EC")
CRITICAL = colors.HexColor("#A4161A")
CRITICAL_FILL = colors.HexColor("#FBE9E9")
WARNING = colors.HexColor("#9A5B00")
WARNING_FILL = colors.HexColor("#FFF4E0")
INFO = colors.HexColor("#2E5C8A")
INFO_FILL = colors.HexColor("#EAF1F8")
REVIEW = colors.HexColor("#6A1B9A")
REVIEW_FILL = colors.HexColor("#F4ECF8")
OK = colors.HexColor("#2E7D32")


@functools.cache
def register_fonts() -> None:
    """Register the DejaVu family with reportlab (once per process)."""
    folder = resources.files("itp_desktop").joinpath("resources", "fonts")
    for name, filename in _FONT_FILES.items():
        data = folder.joinpath(filename).read_bytes()
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )


def esc(text: object) -> str:
    """Escape text for a reportlab Paragraph (``<``, ``>``, ``&``)."""
    return escape(str(text))


def hexc(colour: colors.Color) -> str:
    """``#rrggbb`` of a colour, for ``<font color=...>`` mark-up."""
    return "#" + colour.hexval()[2:]


def fit(text: str, font: str, size: float, width: float) -> str:
    """Return `text` cut to fit `width` points in one line, ending with ``…`` when cut."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        candidate = text[:middle].rstrip() + ELLIPSIS
        if pdfmetrics.stringWidth(candidate, font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one document family (clinician or large-print)."""

    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    bullet: ParagraphStyle
    right: ParagraphStyle


def _style(name: str, size: float, *, leading: float | None = None, **kw: object) -> ParagraphStyle:
    params: dict[str, object] = {
        "fontName": FONT,
        "fontSize": size,
        "leading": leading if leading is not None else round(size * 1.28, 1),
        "textColor": INK,
        "alignment": TA_LEFT,
    }
    params.update(kw)
    return ParagraphStyle(name, **params)  # type: ignore[arg-type]


@functools.cache
def clinician_styles() -> Styles:
    """Compact styles of the clinician plan (9 pt body, 7.8 pt tables)."""
    register_fonts()
    return Styles(
        title=_style("c-title", 15, fontName=FONT_BOLD, textColor=ACCENT, spaceAfter=2),
        h1=_style("c-h1", 11.5, fontName=FONT_BOLD, textColor=ACCENT, spaceBefore=9, spaceAfter=4),
        h2=_style("c-h2", 9.5, fontName=FONT_BOLD, spaceBefore=5, spaceAfter=2),
        body=_style("c-body", 9, spaceAfter=2),
        small=_style("c-small", 7.4, textColor=MUTED),
        cell=_style("c-cell", 7.8, leading=9.6),
        cell_bold=_style("c-cell-b", 7.8, leading=9.6, fontName=FONT_BOLD),
        cell_head=_style("c-cell-h", 7.6, leading=9.2, fontName=FONT_BOLD, textColor=ACCENT),
        bullet=_style("c-bullet", 8.4, leftIndent=10, bulletIndent=2, spaceAfter=1),
        right=_style("c-right", 7.4, textColor=MUTED, alignment=TA_RIGHT),
    )


@functools.cache
def large_styles() -> Styles:
    """Large-print styles of the patient plan and vaccination record (12.5 pt body)."""
    register_fonts()
    return Styles(
        title=_style("p-title", 20, fontName=FONT_BOLD, textColor=ACCENT, spaceAfter=4),
        h1=_style("p-h1", 15, fontName=FONT_BOLD, textColor=ACCENT, spaceBefore=12, spaceAfter=5),
        h2=_style("p-h2", 13, fontName=FONT_BOLD, spaceBefore=6, spaceAfter=3),
        body=_style("p-body", 12.5, leading=16.5, spaceAfter=5),
        small=_style("p-small", 12, leading=15, textColor=MUTED),
        cell=_style("p-cell", 12, leading=15.5),
        cell_bold=_style("p-cell-b", 12, leading=15.5, fontName=FONT_BOLD),
        cell_head=_style("p-cell-h", 12, leading=15, fontName=FONT_BOLD, textColor=ACCENT),
        bullet=_style("p-bullet", 12.5, leading=16.5, leftIndent=16, bulletIndent=3, spaceAfter=3),
        right=_style("p-right", 12, textColor=MUTED, alignment=TA_RIGHT),
    )


@functools.cache
def record_styles() -> Styles:
    """Large headings and body with 10.5 pt tables (vaccination record: wide tables)."""
    large = large_styles()
    return Styles(
        title=large.title,
        h1=large.h1,
        h2=large.h2,
        body=large.body,
        small=large.small,
        cell=_style("r-cell", 10.5, leading=13.5),
        cell_bold=_style("r-cell-b", 10.5, leading=13.5, fontName=FONT_BOLD),
        cell_head=_style("r-cell-h", 10.5, leading=13, fontName=FONT_BOLD, textColor=ACCENT),
        bullet=large.bullet,
        right=large.right,
    )

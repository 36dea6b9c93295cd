"""Reusable flowables: wrapped data tables, coloured call-out boxes, bullet lists, headings.

Every table cell is a Paragraph, so long text wraps inside its column instead of running over
the border; tables repeat their header row when they split across pages. Helpers take plain
text and escape it; callers that need mark-up (bold runs) pass already-escaped strings through
`Markup`.

May import: stdlib, reportlab, styles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from itp_desktop.reports.styles import FILL, FILL_HEAD, FONT, RULE, Styles, esc


@dataclass(frozen=True)
class Markup:
    """Text that is already reportlab mark-up (escaped user text plus tags)."""

    text: str


Cell = str | Markup | Flowable | list[Flowable]


def para(text: str | Markup, style: object) -> Paragraph:
    """A Paragraph of plain text (escaped) or of `Markup`."""
    body = text.text if isinstance(text, Markup) else esc(text)
    return Paragraph(body, style)  # type: ignore[arg-type]


def heading(text: str, styles: Styles, *, level: int = 1, min_space: float = 90) -> list[Flowable]:
    """A heading that never sits alone at the bottom of a page."""
    style = styles.h1 if level == 1 else styles.h2
    return [CondPageBreak(min_space), para(text, style)]


def data_table(
    head: Sequence[str],
    rows: Sequence[Sequence[Cell | object]],
    widths: Sequence[float],
    styles: Styles,
    *,
    row_fills: Sequence[Color | None] | None = None,
    zebra: bool = True,
    padding: float = 3,
    row_height: float | None = None,
) -> Table:
    """A table of wrapped cells with a repeated header row.

    Args:
        head: column titles.
        rows: cells as plain text, `Markup`, a flowable or a list of flowables.
        widths: column widths in points.
        styles: the document's styles (cell and header paragraph styles).
        row_fills: optional background per row (overrides the zebra stripes).
        row_height: fixed height of the body rows (blank rows to write in by hand).
        zebra: stripe every other row.
        padding: cell padding in points.
    """
    data: list[list[object]] = [[para(h, styles.cell_head) for h in head]]
    for row in rows:
        data.append([_cell(c, styles) for c in row])
    heights = None if row_height is None else [None, *([row_height] * len(rows))]
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), FILL_HEAD),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), padding - 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
    ]
    for index in range(len(rows)):
        fill = row_fills[index] if row_fills is not None else None
        if fill is None and zebra and index % 2 == 1:
            fill = FILL
        if fill is not None:
            commands.append(("BACKGROUND", (0, index + 1), (-1, index + 1), fill))
    return grid(data, widths, commands, row_heights=heights, repeat_rows=1)


def grid(
    data: Sequence[Sequence[object]],
    widths: Sequence[float],
    commands: Sequence[tuple[object, ...]],
    *,
    row_heights: Sequence[float | None] | None = None,
    repeat_rows: int = 0,
) -> Table:
    """A left-aligned Table whose own cell font is DejaVu.

    Cells hold Paragraphs with their own fonts, but reportlab still selects the table's cell
    font (Helvetica by default) on every table it draws, which would add a non-embedded
    Helvetica to the page resources.
    """
    table = Table(
        [list(row) for row in data],
        colWidths=list(widths),
        rowHeights=list(row_heights) if row_heights is not None else None,
        repeatRows=repeat_rows,
        hAlign="LEFT",
    )
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8), *commands]))  # type: ignore[list-item]
    return table


def _cell(cell: Cell | object, styles: Styles) -> object:
    if isinstance(cell, str | Markup):
        return para(cell, styles.cell)
    return cell


def callout(
    title: str,
    lines: Sequence[str | Markup],
    styles: Styles,
    *,
    tone: tuple[Color, Color],
    width: float,
    bulleted: bool = False,
    footer: Sequence[str | Markup] = (),
    keep: bool | None = None,
) -> Flowable:
    """A framed box with a bold title and one paragraph per line (kept on one page if short).

    With `bulleted`, `lines` get bullets with a hanging indent; `footer` lines follow unbulleted.
    `tone` is the (border and title colour, background) pair. `keep` keeps the box on one page
    (default: only boxes of up to six lines).
    """
    colour, fill = tone
    title_style = styles.h2.clone("callout-title", textColor=colour, spaceBefore=0)
    body: list[list[object]] = [[para(title, title_style)]]
    if bulleted:
        body += [[b] for b in bullets(lines, styles.body)]
    else:
        body += [[para(line, styles.body)] for line in lines]
    body += [[para(line, styles.body)] for line in footer]
    table = grid(
        body,
        [width],
        [
            ("BOX", (0, 0), (-1, -1), 1, colour),
            ("LINEBEFORE", (0, 0), (0, -1), 3.5, colour),
            ("BACKGROUND", (0, 0), (-1, -1), fill),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("TOPPADDING", (0, 0), (-1, 0), 5),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
        ],
    )
    # Short boxes stay whole; a long one may split rather than leave half a page empty.
    whole = keep if keep is not None else len(body) <= 6
    return KeepTogether([table]) if whole else table


def bullets(
    lines: Sequence[str | Markup], style: ParagraphStyle, *, symbol: str = "•"
) -> list[Flowable]:
    """One bulleted paragraph per line, wrapped lines indented under the text."""
    hanging = _hanging(style)
    out: list[Flowable] = []
    for line in lines:
        body = line.text if isinstance(line, Markup) else esc(line)
        out.append(Paragraph(body, hanging, bulletText=symbol))
    return out


def _hanging(style: ParagraphStyle) -> ParagraphStyle:
    key = (style.name, style.fontSize)
    cached = _HANGING.get(key)
    if cached is None:
        indent = style.leftIndent + style.fontSize * 1.15
        cached = style.clone(
            f"{style.name}-hanging",
            leftIndent=indent,
            bulletIndent=style.leftIndent,
            bulletFontName=style.fontName,
            bulletFontSize=style.fontSize,
        )
        _HANGING[key] = cached
    return cached


_HANGING: dict[tuple[str, float], ParagraphStyle] = {}


def gap(height: float) -> Spacer:
    """Vertical space in points."""
    return Spacer(1, height)

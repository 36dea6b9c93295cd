"""Page furniture shared by every document: paper sizes, header, footer stamp, page x of y.

`write_pdf` lays out a list of flowables on A4 or US Letter with the site and patient
identifiers in the header of every page and the traceability stamp, disclaimer and
"page x of y" in the footer. The page total is known only after the last page, so pages are
buffered by `_NumberedCanvas` and numbered on save (the usual reportlab recipe). PDFs are
written with reportlab's ``invariant`` mode (no random document id, fixed creation date), so
the same context renders byte-identical files.

May import: stdlib, reportlab, the report context and styles.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import LayoutError

from itp_desktop.core.errors import ReportError
from itp_desktop.reports.context import Header, Paper
from itp_desktop.reports.styles import (
    ACCENT,
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    INK,
    MUTED,
    RULE,
    _style,
    esc,
    fit,
    register_fonts,
)

PAGE_SIZES: dict[Paper, tuple[float, float]] = {"a4": A4, "letter": LETTER}

SIDE_MARGIN = 16 * mm
TOP_EDGE = 9 * mm
HEADER_HEIGHT = 14 * mm
FOOTER_HEIGHT = 17 * mm
BOTTOM_EDGE = 7 * mm


@dataclass(frozen=True)
class PageDecor:
    """What the header and footer print on every page.

    Attributes:
        header: site and patient identifiers.
        stamp: the traceability line (pack, as-of date, data snapshot, generated at).
        disclaimer: the clinical-judgement disclaimer.
        page_template: ``"Page {page} of {total}"`` in the document's language.
        patient_label: ``"MRN {mrn} · born {birth} ({age})"`` in the document's language.
    """

    header: Header
    stamp: str
    disclaimer: str
    page_template: str
    patient_label: str


def write_pdf(
    out: Path | BinaryIO,
    paper: Paper,
    flowables: Sequence[Flowable],
    decor: PageDecor,
    *,
    title: str,
) -> None:
    """Lay out `flowables` with header and footer and write the PDF to `out`.

    Raises:
        ReportError: when the paper size is unknown or the layout cannot be completed.
    """
    register_fonts()
    if paper not in PAGE_SIZES:
        raise ReportError(f"paper: must be one of {', '.join(PAGE_SIZES)} (got {paper!r})")
    size = PAGE_SIZES[paper]
    target: str | BinaryIO = str(out) if isinstance(out, Path) else out
    doc = BaseDocTemplate(
        target,
        pagesize=size,
        leftMargin=SIDE_MARGIN,
        rightMargin=SIDE_MARGIN,
        topMargin=TOP_EDGE + HEADER_HEIGHT + 4 * mm,
        bottomMargin=BOTTOM_EDGE + FOOTER_HEIGHT + 3 * mm,
        title=title,
        author=decor.header.site_name,
        subject=f"{title}: {decor.header.patient_name}",
        creator="ITP Desktop",
        invariant=1,
        lang="en",
        # Without this every page also references Helvetica, reportlab's default font.
        initialFontName=FONT,
        initialFontSize=9,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_decorate(decor))])
    try:
        doc.build(list(flowables), canvasmaker=_numbered_canvas(decor, size[0]))
    except LayoutError as exc:
        raise ReportError(f"The document {title!r} could not be laid out", detail=str(exc)) from exc
    except OSError as exc:
        raise ReportError(
            f"The document {title!r} could not be written to {out}: {exc.strerror or exc}",
            detail=repr(exc),
        ) from exc


def _decorate(decor: PageDecor) -> Any:
    footer: list[_Footer] = []

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = doc.pagesize
        _draw_header(canvas, decor, width, height)
        if not footer:  # the footer is the same on every page: lay it out once
            footer.append(_layout_footer(decor, width))
        _draw_footer(canvas, footer[0], width)

    return draw


def _draw_header(canvas: Canvas, decor: PageDecor, width: float, height: float) -> None:
    h = decor.header
    top = height - TOP_EDGE
    left = SIDE_MARGIN
    right = width - SIDE_MARGIN
    usable = right - left
    canvas.saveState()
    text_left = left
    if h.logo_png is not None:
        reader = ImageReader(io.BytesIO(h.logo_png))
        iw, ih = reader.getSize()
        logo_h = 11 * mm
        logo_w = min(logo_h * iw / ih, 35 * mm)
        canvas.drawImage(
            reader,
            left,
            top - logo_h,
            width=logo_w,
            height=logo_h,
            preserveAspectRatio=True,
            mask="auto",
        )
        text_left = left + logo_w + 3 * mm
    half = usable * 0.5
    site_width = left + half - text_left
    canvas.setFillColor(ACCENT)
    canvas.setFont(FONT_BOLD, 9.5)
    canvas.drawString(text_left, top - 10, fit(h.site_name, FONT_BOLD, 9.5, site_width))
    sub = " · ".join(x for x in (h.site_department, h.site_phone) if x)
    if sub:
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 7.5)
        canvas.drawString(text_left, top - 21, fit(sub, FONT, 7.5, site_width))
    canvas.setFillColor(INK)
    canvas.setFont(FONT_BOLD, 10)
    canvas.drawRightString(right, top - 10, fit(h.patient_name, FONT_BOLD, 10, half - 4 * mm))
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(right, top - 21, fit(decor.patient_label, FONT, 7.5, half - 4 * mm))
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.8)
    line_y = top - HEADER_HEIGHT
    canvas.line(left, line_y, right, line_y)
    canvas.restoreState()


@dataclass(frozen=True)
class _Footer:
    stamp: Paragraph
    stamp_height: float
    note: Paragraph
    note_height: float


def _layout_footer(decor: PageDecor, width: float) -> _Footer:
    text_width = width - 2 * SIDE_MARGIN - 26 * mm
    stamp = Paragraph(esc(decor.stamp), _style("f-stamp", 6.6, leading=8, textColor=MUTED))
    _, stamp_h = stamp.wrap(text_width, FOOTER_HEIGHT)
    room = FOOTER_HEIGHT - stamp_h - 4
    # A department's long disclaimer shrinks (down to 4.8 pt) rather than run off the page.
    size = 6.6
    while True:
        note = Paragraph(
            esc(decor.disclaimer),
            _style("f-note", size, leading=size * 1.2, fontName=FONT_ITALIC, textColor=MUTED),
        )
        _, note_h = note.wrap(width - 2 * SIDE_MARGIN, FOOTER_HEIGHT)
        if note_h <= room or size <= 4.8:
            break
        size -= 0.3
    return _Footer(stamp, stamp_h, note, note_h)


def _draw_footer(canvas: Canvas, footer: _Footer, width: float) -> None:
    left = SIDE_MARGIN
    right = width - SIDE_MARGIN
    top = BOTTOM_EDGE + FOOTER_HEIGHT
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(left, top, right, top)
    footer.stamp.drawOn(canvas, left, top - 2 - footer.stamp_height)
    footer.note.drawOn(canvas, left, top - 4 - footer.stamp_height - footer.note_height)
    canvas.restoreState()


def _numbered_canvas(decor: PageDecor, page_width: float) -> Any:
    class NumberedCanvas(Canvas):
        """Buffers pages so each can print "page x of y" once the total is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 — reportlab's method name
            self._saved.append(dict(self.__dict__))
            # reportlab's own recipe: start a fresh page without emitting this one yet.
            cast(Any, self)._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self._page_number(total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _page_number(self, total: int) -> None:
            width = page_width
            text = decor.page_template.format(page=self.getPageNumber(), total=total)
            self.setFont(FONT_BOLD, 7.5)
            self.setFillColor(INK)
            self.drawRightString(width - SIDE_MARGIN, BOTTOM_EDGE + FOOTER_HEIGHT - 9, text)

    return NumberedCanvas

"""The emergency wallet card: credit-card size front and back, with cut and fold marks.

Each card is 85.6 × 54 mm (ISO/IEC 7810 ID-1). Front and back sit side by side and share the
fold line, so folding along the dashed line gives a two-sided card; crop marks outside the
corners show where to cut. Two copies print on one page (one for the wallet, one spare).
Text is laid into each panel with a shrink-to-fit frame, so nothing ever runs outside the card;
very long names are cut with an explicit ellipsis.

May import: stdlib, reportlab, the report context, i18n, layout, blocks and styles.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Frame, KeepInFrame, Paragraph

from itp_desktop.reports.blocks import Markup, bullets, gap, para
from itp_desktop.reports.context import CardView, Paper, ReportContext
from itp_desktop.reports.i18n import Catalogue
from itp_desktop.reports.layout import PageDecor, write_pdf
from itp_desktop.reports.styles import (
    CRITICAL,
    FONT,
    FONT_BOLD,
    INK,
    MUTED,
    _style,
    esc,
    fit,
    large_styles,
)

CARD_W = 85.6 * mm
CARD_H = 54 * mm
BAND_H = 6.2 * mm
CROP = 4 * mm
COPIES = 2
NAVY = colors.HexColor("#1F3A5F")


class CardSheet(Flowable):
    """One folded card: front and back panels side by side with crop and fold marks."""

    def __init__(self, card: CardView, cat: Catalogue) -> None:
        super().__init__()
        self.card = card
        self.cat = cat
        self.width = 2 * CARD_W + 2 * CROP
        self.height = CARD_H + 2 * CROP + 10

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Fixed size: the card never scales."""
        return self.width, self.height

    def draw(self) -> None:
        """Draw both panels, labels and marks at the flowable's origin."""
        c = self.canv
        x0, y0 = CROP, CROP
        # Panel labels above the card.
        c.setFont(FONT_BOLD, 7)
        c.setFillColor(MUTED)
        c.drawCentredString(x0 + CARD_W / 2, y0 + CARD_H + CROP + 2, self.cat.t("card.front"))
        c.drawCentredString(x0 + 1.5 * CARD_W, y0 + CARD_H + CROP + 2, self.cat.t("card.back"))
        self._front(x0, y0)
        self._back(x0 + CARD_W, y0)
        # Outline (light) so the card is visible, fold line dashed, crop marks outside.
        c.setStrokeColor(colors.HexColor("#C8CDD3"))
        c.setLineWidth(0.4)
        c.rect(x0, y0, 2 * CARD_W, CARD_H)
        c.setStrokeColor(INK)
        c.setDash(3, 2)
        c.setLineWidth(0.6)
        c.line(x0 + CARD_W, y0 - CROP, x0 + CARD_W, y0 + CARD_H + CROP)
        c.setDash()
        for x in (x0, x0 + 2 * CARD_W):
            for y in (y0, y0 + CARD_H):
                dx = -1 if x == x0 else 1
                dy = -1 if y == y0 else 1
                c.line(x + dx * 1 * mm, y, x + dx * CROP, y)
                c.line(x, y + dy * 1 * mm, x, y + dy * CROP)

    def _band(self, x: float, y: float, text: str, fill: colors.Color) -> None:
        c = self.canv
        c.setFillColor(fill)
        c.rect(x, y + CARD_H - BAND_H, CARD_W, BAND_H, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont(FONT_BOLD, 7.6)
        c.drawCentredString(
            x + CARD_W / 2, y + CARD_H - BAND_H + 5.6, fit(text, FONT_BOLD, 7.6, CARD_W - 8)
        )

    def _panel(self, x: float, y: float, content: list[Flowable]) -> None:
        inner_h = CARD_H - BAND_H - 2
        frame = Frame(
            x + 2.2 * mm,
            y + 1.6 * mm,
            CARD_W - 4.4 * mm,
            inner_h - 1.6 * mm,
            leftPadding=0,
            rightPadding=0,
            topPadding=1,
            bottomPadding=0,
            showBoundary=0,
        )
        frame.addFromList(
            [KeepInFrame(CARD_W - 4.4 * mm, inner_h - 2.6 * mm, content, mode="shrink")],
            self.canv,
        )

    def _front(self, x: float, y: float) -> None:
        card, cat = self.card, self.cat
        self._band(x, y, cat.t("card.title"), CRITICAL)
        name_style = _style("card-name", 9.5, leading=11.5, fontName=FONT_BOLD)
        text = _style("card-text", 7.4, leading=9.2, spaceAfter=0.8)
        name = fit(card.name, FONT_BOLD, 9.5, CARD_W - 4.4 * mm)
        lines: list[Flowable] = [
            Paragraph(esc(name), name_style),
            para(cat.t("card.born", date=card.birth_text), text),
            gap(1.5),
            para(Markup(f"<b>{esc(cat.t('card.usual'))}</b> {esc(card.usual_range_text)}"), text),
            para(
                Markup(
                    f"<b>{esc(cat.t('card.therapy'))}</b> "
                    + "; ".join(esc(t) for t in card.therapy_lines)
                ),
                text,
            ),
            para(Markup(f"<b>{esc(cat.t('card.spleen'))}</b> {esc(card.asplenia_text)}"), text),
        ]
        if card.antibiotic_text:
            lines.append(
                para(Markup(f'<font color="#A4161A">{esc(card.antibiotic_text)}</font>'), text)
            )
        lines.append(
            para(
                Markup(
                    f"<b>{esc(cat.t('card.contact'))}</b> {esc(card.clinic_name)}<br/>"
                    f"<b>{esc(cat.t('card.phone'))} {esc(card.clinic_phone)}</b>"
                ),
                text,
            )
        )
        lines.append(gap(1.5))
        lines.append(para(Markup(f"<i>{esc(cat.t('card.see_back'))}</i>"), text))
        self._panel(x, y, lines)

    def _back(self, x: float, y: float) -> None:
        card, cat = self.card, self.cat
        self._band(x, y, cat.t("card.back_title"), NAVY)
        text = _style("card-back", 6.9, leading=8.3, spaceAfter=0.6)
        small = _style("card-small", 5.6, leading=6.8, textColor=MUTED, fontName=FONT)
        lines: list[Flowable] = bullets(card.rescue_lines, text)
        lines.append(gap(1))
        lines.append(
            para(
                Markup(
                    f"<b>{esc(cat.t('card.call'))} {esc(card.clinic_phone)}</b> "
                    f"({esc(card.clinic_name)})"
                ),
                text,
            )
        )
        lines.append(para(f"{card.sources_text} · {card.issued_text}", small))
        self._panel(x, y, lines)


def render(context: ReportContext, paper: Paper, out: Path | BinaryIO) -> None:
    """Write the wallet card page of `context` as a PDF."""
    cat = Catalogue(context.language)
    s = large_styles()
    decor = PageDecor(
        header=context.header,
        stamp=context.stamp.line(),
        disclaimer=cat.t("plan.disclaimer"),
        page_template=cat.t("page.of"),
        patient_label=cat.t(
            "header.patient", mrn=context.header.mrn, birth=context.header.birth_text
        ),
    )
    flow: list[Flowable] = [
        para(cat.t("card.page_title"), s.title),
        para(cat.t("card.instructions"), s.body),
        gap(10),
    ]
    for _ in range(COPIES):
        sheet = CardSheet(context.card, cat)
        sheet.hAlign = "CENTER"
        flow += [sheet, gap(14)]
    flow.append(para(cat.t("card.keep"), s.small))
    write_pdf(out, paper, flow, decor, title=cat.t("card.page_title"))

"""The vaccination record for asplenia and pre-splenectomy patients.

Prints the splenectomy immunization checklist (status, due-by date, doses on record and the
schedule information from the knowledge pack), every vaccine dose on record, blank rows for
doses given after printing, timing notes and the full sources of the checklist.

May import: stdlib, reportlab, the report context, i18n, layout, blocks and styles.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import Flowable

from itp_desktop.core.codes import ChecklistStatus
from itp_desktop.reports.blocks import Markup, bullets, data_table, gap, heading, para
from itp_desktop.reports.context import Paper, ReportContext
from itp_desktop.reports.i18n import Catalogue
from itp_desktop.reports.layout import PAGE_SIZES, SIDE_MARGIN, PageDecor, write_pdf
from itp_desktop.reports.styles import CRITICAL, MUTED, OK, WARNING, esc, hexc, record_styles

BLANK_ROWS = 5

_STATUS_COLOUR = {
    ChecklistStatus.done: OK,
    ChecklistStatus.due: WARNING,
    ChecklistStatus.overdue: CRITICAL,
    ChecklistStatus.not_applicable: MUTED,
    ChecklistStatus.unknown: MUTED,
}


def render(context: ReportContext, paper: Paper, out: Path | BinaryIO) -> None:
    """Write the vaccination record of `context` as a PDF."""
    cat = Catalogue(context.language)
    width = PAGE_SIZES[paper][0] - 2 * SIDE_MARGIN
    decor = PageDecor(
        header=context.header,
        stamp=context.stamp.line(),
        disclaimer=cat.t("plan.disclaimer"),
        page_template=cat.t("page.of"),
        patient_label=cat.t(
            "header.patient", mrn=context.header.mrn, birth=context.header.birth_text
        ),
    )
    write_pdf(out, paper, story(context, width), decor, title=cat.t("vaccines.title"))


def story(context: ReportContext, width: float) -> list[Flowable]:
    """The flowables of the vaccination record for a frame `width` points wide."""
    cat = Catalogue(context.language)
    s = record_styles()
    record = context.vaccine_record
    flow: list[Flowable] = [
        para(cat.t("vaccines.title"), s.title),
        para(
            cat.t(
                "plan.for",
                name=context.patient_plan.plain_name,
                date=context.patient_plan.issued_text,
            ),
            s.small,
        ),
        gap(6),
        para(Markup(f"<b>{esc(record.status_text)}</b>"), s.body),
        *heading(cat.t("vaccines.h_checklist"), s),
    ]
    if record.items:
        rows = []
        for item in record.items:
            colour = hexc(_STATUS_COLOUR[item.status])
            rows.append(
                [
                    para(item.label, s.cell_bold),
                    Markup(f'<font color="{colour}"><b>{esc(item.status_text)}</b></font>'),
                    item.due_text,
                    item.doses_text,
                    para(item.schedule or "—", s.cell),
                ]
            )
        flow.append(
            data_table(
                [
                    cat.t("vaccines.col_vaccine"),
                    cat.t("vaccines.col_status"),
                    cat.t("vaccines.col_due"),
                    cat.t("vaccines.col_done"),
                    cat.t("vaccines.col_schedule"),
                ],
                rows,
                [width * f for f in (0.21, 0.1, 0.15, 0.15, 0.39)],
                s,
                padding=4,
            )
        )
        rules = sorted({i.rule for i in record.items if i.rule})
        if rules:
            flow.append(gap(3))
            flow.append(para(cat.t("vaccines.rules", rules=", ".join(rules)), s.small))
    else:
        flow.append(para(cat.t("vaccines.no_checklist"), s.body))
    flow += heading(cat.t("vaccines.h_all"), s)
    if record.doses:
        flow.append(
            data_table(
                [
                    cat.t("vaccines.col_date"),
                    cat.t("vaccines.col_vaccine"),
                    cat.t("vaccines.col_product"),
                    cat.t("vaccines.col_notes"),
                ],
                [[d.date_text, d.vaccine, d.product or "—", d.notes or "—"] for d in record.doses],
                [width * f for f in (0.17, 0.33, 0.2, 0.3)],
                s,
                padding=4,
            )
        )
    else:
        flow.append(para(cat.t("vaccines.none_on_record"), s.body))
    flow += heading(cat.t("vaccines.h_blank"), s, min_space=150)
    flow.append(
        data_table(
            [
                cat.t("vaccines.col_date"),
                cat.t("vaccines.col_vaccine"),
                cat.t("vaccines.col_batch"),
                cat.t("vaccines.col_signature"),
            ],
            [["", "", "", ""] for _ in range(BLANK_ROWS)],
            [width * f for f in (0.17, 0.33, 0.25, 0.25)],
            s,
            padding=4,
            zebra=False,
            row_height=26,
        )
    )
    flow += heading(cat.t("vaccines.h_notes"), s)
    flow += bullets(record.notes, s.cell)
    if record.references:
        flow += heading(cat.t("vaccines.h_sources"), s, level=2)
        for ref in record.references:
            flow.append(
                para(
                    Markup(f"<b>[{esc(ref.key)}]</b> {esc(ref.reference)}"),
                    s.small,
                )
            )
    return flow

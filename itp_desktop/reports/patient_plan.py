"""The patient plan: plain language, large print, every fixed sentence from the catalogue.

Body text is 12.5 pt and headings 15 pt or more. The plan explains what platelets are and what
"×10⁹/L" means before using it, lists the medicines taken now with dose and how and when to
take them (the knowledge pack's patient instructions), the next blood tests and appointments,
the target platelet range, vaccines due, bleeding warning signs and exactly when to get urgent
help, and leaves blank lines for the clinician's name and phone.

May import: stdlib, reportlab, the report context, i18n, layout, blocks and styles.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from itp_desktop.reports.blocks import (
    Markup,
    bullets,
    callout,
    gap,
    grid,
    heading,
    para,
)
from itp_desktop.reports.context import DatedLine, Paper, ReportContext
from itp_desktop.reports.i18n import Catalogue
from itp_desktop.reports.layout import PAGE_SIZES, SIDE_MARGIN, PageDecor, write_pdf
from itp_desktop.reports.styles import (
    ACCENT,
    CRITICAL,
    CRITICAL_FILL,
    FILL,
    MUTED,
    RULE,
    WARNING,
    WARNING_FILL,
    Styles,
    esc,
    large_styles,
)


def render(context: ReportContext, paper: Paper, out: Path | BinaryIO) -> None:
    """Write the patient plan of `context` as a PDF."""
    cat = Catalogue(context.language)
    width = PAGE_SIZES[paper][0] - 2 * SIDE_MARGIN
    decor = PageDecor(
        header=context.header,
        stamp=context.stamp.line(),
        disclaimer=cat.t("plan.disclaimer"),
        page_template=cat.t("page.of"),
        patient_label=cat.t(
            "header.patient",
            mrn=context.header.mrn,
            birth=context.header.birth_text,
        ),
    )
    write_pdf(out, paper, story(context, width), decor, title=cat.t("plan.title"))


def story(context: ReportContext, width: float) -> list[Flowable]:
    """The flowables of the patient plan for a frame `width` points wide."""
    cat = Catalogue(context.language)
    s = large_styles()
    plan = context.patient_plan
    flow: list[Flowable] = [
        para(cat.t("plan.title"), s.title),
        para(cat.t("plan.for", name=plan.plain_name, date=plan.issued_text), s.small),
        gap(6),
        *heading(cat.t("plan.h_about"), s),
        para(cat.t("plan.about_itp"), s.body),
        para(Markup(cat.t("plan.about_units")), s.body),
        *heading(cat.t("plan.h_platelets"), s),
        para(plan.latest_text, s.body),
        para(plan.target_text, s.body),
    ]
    flow += _medicines(context, cat, s, width)
    flow += heading(cat.t("plan.h_tests"), s)
    flow += _dated(plan.tests, cat.t("plan.no_tests"), s, width)
    flow += heading(cat.t("plan.h_appointments"), s)
    flow += _dated(plan.appointments, cat.t("plan.no_appointments"), s, width)
    flow.append(para(cat.t("plan.next_visit"), s.body))
    flow += heading(cat.t("plan.h_vaccines"), s)
    flow += _dated(plan.vaccines_due, cat.t("plan.no_vaccines"), s, width)
    flow += heading(cat.t("plan.h_warning"), s, min_space=200)
    flow.append(
        callout(
            cat.t("plan.warning_title"),
            cat.t("plan.warning_signs").split("\n"),
            s,
            tone=(WARNING, WARNING_FILL),
            width=width,
            bulleted=True,
            keep=True,
        )
    )
    flow.append(gap(8))
    urgent = cat.t("plan.urgent_signs").split("\n")
    if plan.splenectomised:
        urgent.append(cat.t("plan.urgent_asplenia"))
    flow.append(
        callout(
            cat.t("plan.urgent_title"),
            urgent,
            s,
            tone=(CRITICAL, CRITICAL_FILL),
            width=width,
            bulleted=True,
            keep=True,
            footer=[Markup(f"<b>{esc(cat.t('plan.urgent_call'))}</b>")],
        )
    )
    flow += _contacts(context, cat, s, width)
    if plan.missing:
        flow += heading(cat.t("plan.h_missing"), s)
        flow += bullets(plan.missing, s.bullet)
    return flow


def _medicines(context: ReportContext, cat: Catalogue, s: Styles, width: float) -> list[Flowable]:
    plan = context.patient_plan
    flow = heading(cat.t("plan.h_medicines"), s)
    if not plan.medicines:
        return [*flow, para(cat.t("plan.no_medicines"), s.body)]
    for m in plan.medicines:
        # One block per medicine: a shaded name/dose bar, then the instructions as ordinary
        # paragraphs that may continue on the next page (a table row could not split).
        bar = grid(
            [
                [
                    para(m.name, s.h2.clone("medicine-name", spaceBefore=0, spaceAfter=0)),
                    [
                        para(
                            Markup(f"<b>{esc(cat.t('plan.col_dose'))}:</b> {esc(m.dose_text)}"),
                            s.cell,
                        ),
                        para(m.since_text, s.small),
                    ],
                ]
            ],
            [width * 0.3, width * 0.7],
            [
                ("BACKGROUND", (0, 0), (-1, -1), FILL),
                ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
            ],
        )
        how = para(
            Markup(f"<b>{esc(cat.t('plan.col_how'))}:</b> {esc(m.how_text)}"),
            s.body.clone("medicine-how", leftIndent=10, spaceBefore=4, spaceAfter=8),
        )
        flow += [CondPageBreak(110), bar, how]
    return [*flow, para(cat.t("plan.medicines_note"), s.body)]


def _dated(lines: list[DatedLine], empty: str, s: Styles, width: float) -> list[Flowable]:
    if not lines:
        return [para(empty, s.body)]
    rows: list[list[object]] = []
    for line in lines:
        when = esc(line.date_text)
        if line.overdue:
            when = f'<font color="#A4161A"><b>{when}</b></font>'
        rows.append([para(Markup(f"<b>{when}</b>"), s.cell), para(line.text, s.cell)])
    table = grid(
        rows,
        [width * 0.34, width * 0.66],
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ],
    )
    return [table, gap(4)]


def _contacts(context: ReportContext, cat: Catalogue, s: Styles, width: float) -> list[Flowable]:
    site = context.header
    clinic = " · ".join(x for x in (site.site_name, site.site_department) if x)
    rows: list[list[object]] = [
        [para(cat.t("plan.clinic"), s.cell_bold), para(clinic, s.cell)],
        [
            para(cat.t("plan.clinic_phone"), s.cell_bold),
            para(site.site_phone or cat.t("plan.phone_missing"), s.cell),
        ],
        [para(cat.t("plan.clinician_name"), s.cell_bold), ""],
        [para(cat.t("plan.clinician_phone"), s.cell_bold), ""],
        [para(cat.t("plan.other_contact"), s.cell_bold), ""],
    ]
    table = grid(
        rows,
        [width * 0.34, width * 0.66],
        [
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LINEBELOW", (1, 2), (1, -1), 0.8, MUTED),
            ("BACKGROUND", (0, 0), (-1, 1), FILL),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ],
        row_heights=[None, None, 26, 26, 26],
    )
    return [*heading(cat.t("plan.h_contacts"), s, min_space=170), KeepTogether([table])]

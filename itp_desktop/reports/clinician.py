"""The clinician care plan: status, timeline, therapy history, findings, plan and references.

Sections follow the order a haematologist reads a referral: phase and current status (with
rescue, review and missing-data boxes first when they apply), the timeline chart, the therapy
history table, findings (suppressed ones listed apart with their reason), checklists, ranked
options, dose suggestions, the monitoring plan and the full references of every source key
printed anywhere in the document. Every verdict shows why, its sources and rule id@version;
items resting on marks M or U carry a "needs clinician review" badge.

May import: stdlib, reportlab, the report context, layout, blocks, chart and styles.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from itp_desktop.core.codes import ChecklistStatus, Severity
from itp_desktop.reports.blocks import (
    Markup,
    bullets,
    callout,
    data_table,
    gap,
    grid,
    heading,
    para,
)
from itp_desktop.reports.chart import timeline_drawing
from itp_desktop.reports.context import (
    ChecklistView,
    FindingView,
    Paper,
    ReasonView,
    ReportContext,
)
from itp_desktop.reports.layout import PAGE_SIZES, SIDE_MARGIN, PageDecor, write_pdf
from itp_desktop.reports.styles import (
    ACCENT,
    CRITICAL,
    CRITICAL_FILL,
    FILL,
    INFO,
    INFO_FILL,
    MUTED,
    OK,
    REVIEW,
    REVIEW_FILL,
    RULE,
    WARNING,
    WARNING_FILL,
    Styles,
    clinician_styles,
    esc,
    hexc,
)

TITLE = "ITP care plan — clinician"

SEVERITY_COLOURS: dict[Severity, tuple[Color, Color]] = {
    Severity.critical: (CRITICAL, CRITICAL_FILL),
    Severity.warning: (WARNING, WARNING_FILL),
    Severity.info: (INFO, INFO_FILL),
}
STATUS_COLOURS: dict[ChecklistStatus, Color] = {
    ChecklistStatus.done: OK,
    ChecklistStatus.due: WARNING,
    ChecklistStatus.overdue: CRITICAL,
    ChecklistStatus.unknown: REVIEW,
    ChecklistStatus.not_applicable: MUTED,
}
REVIEW_BADGE = '<font color="#6A1B9A"><b>▲ NEEDS CLINICIAN REVIEW</b></font>'


def render(context: ReportContext, paper: Paper, out: Path | BinaryIO) -> None:
    """Write the clinician plan of `context` as a PDF."""
    width = PAGE_SIZES[paper][0] - 2 * SIDE_MARGIN
    decor = PageDecor(
        header=context.header,
        stamp=context.stamp.line(),
        disclaimer=context.stamp.disclaimer,
        page_template="Page {page} of {total}",
        patient_label=(
            f"MRN {context.header.mrn} · born {context.patient.birth_text} "
            f"({context.patient.age_text})"
        ),
    )
    write_pdf(out, paper, story(context, width), decor, title=TITLE)


def story(context: ReportContext, width: float) -> list[Flowable]:
    """The flowables of the clinician plan for a frame `width` points wide."""
    s = clinician_styles()
    flow: list[Flowable] = [
        para(TITLE, s.title),
        para(
            f"Assessment as of {context.stamp.as_of_text} · knowledge pack {context.stamp.pack}",
            s.small,
        ),
        gap(6),
    ]
    flow += _status(context, s, width)
    flow += _timeline(context, s, width)
    flow += _history(context, s, width)
    flow += _findings(context, s, width)
    flow += _checklists(context.checklists, s, width)
    flow += _options(context, s, width)
    flow += _suggestions(context, s, width)
    flow += _monitoring(context, s, width)
    flow += _references(context, s)
    return flow


def _marks(sources: Sequence[str], rule: str = "", mark: str | None = None) -> str:
    parts = []
    if sources:
        parts.append("Sources: " + ", ".join(sources))
    if rule:
        parts.append(f"Rule: {rule}")
    if mark:
        parts.append(f"Mark: {mark}")
    return " · ".join(parts)


def _yes_no(value: bool) -> Markup:
    return Markup('<font color="#A4161A"><b>Yes</b></font>' if value else "No")


# ---------------------------------------------------------------- status


def _status(context: ReportContext, s: Styles, width: float) -> list[Flowable]:
    st = context.status
    pv = context.patient
    phase = st.phase_text + (f" — {st.phase_detail}" if st.phase_detail else "")
    latest = st.latest_count_text + (f" ({st.latest_band_text})" if st.latest_band_text else "")
    pairs: list[tuple[str, str | Markup]] = [
        ("Phase", phase),
        ("Diagnosis", pv.diagnosis_text),
        ("Latest count", latest),
        ("Latest bleeding", st.latest_bleeding_text),
        ("Steroid dependence", _yes_no(st.steroid_dependent)),
        ("Multi-refractory", _yes_no(st.multi_refractory)),
        ("Spleen", st.asplenia_text),
        ("Age · sex", f"{pv.age_text} · {pv.sex_text}"),
        ("Weight · height", f"{pv.weight_text} · {pv.height_text} · BSA {pv.bsa_text}"),
        ("Rh(D) · Hb", f"{pv.rh_text} · Hb {pv.haemoglobin_text}"),
    ]
    label_w, value_w = width * 0.18, width * 0.32
    rows: list[list[object]] = []
    for index in range(0, len(pairs), 2):
        row: list[object] = []
        for label, value in pairs[index : index + 2]:
            row += [para(label, s.cell_bold), para(value, s.cell)]
        rows.append(row)
    wide: list[tuple[str, str | Markup]] = [
        ("Active therapy", Markup("<br/>".join(esc(x) for x in st.active_therapy) or "None")),
    ]
    if st.planned_therapy:
        wide.append(("Planned therapy", Markup("<br/>".join(esc(x) for x in st.planned_therapy))))
    wide.append(("Risk factors", ", ".join(pv.risk_factors)))
    first_wide = len(rows)
    for label, value in wide:
        rows.append([para(label, s.cell_bold), para(value, s.cell), "", ""])
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE),
        ("BACKGROUND", (0, 0), (0, -1), FILL),
        ("BACKGROUND", (2, 0), (2, first_wide - 1), FILL),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("SPAN", (1, r), (3, r)) for r in range(first_wide, len(rows))]
    table = grid(rows, [label_w, value_w, label_w, value_w], commands)
    flow: list[Flowable] = [*heading("Phase and current status", s), table, gap(6)]
    if context.rescue is not None:
        r = context.rescue
        lines: list[str | Markup] = [Markup(f"<b>{esc(line)}</b>") for line in r.lines]
        lines += [f"Triggered by: {t}" for t in r.triggered_by]
        lines += list(r.notes)
        lines.append(Markup(f'<font color="#5A6470">{esc(_marks(r.sources, r.rule))}</font>'))
        flow += [
            callout(
                "RESCUE: severe or life-threatening bleeding",
                lines,
                s,
                tone=(CRITICAL, CRITICAL_FILL),
                width=width,
            ),
            gap(6),
        ]
    if context.review:
        flow += [
            callout(
                f"Needs clinician review ({len(context.review)})",
                context.review,
                s,
                tone=(REVIEW, REVIEW_FILL),
                width=width,
            ),
            gap(6),
        ]
    if context.missing:
        flow += [
            callout(
                "Missing information",
                context.missing,
                s,
                tone=(MUTED, FILL),
                width=width,
            ),
            gap(6),
        ]
    return flow


# ---------------------------------------------------------------- timeline and history


def _timeline(context: ReportContext, s: Styles, width: float) -> list[Flowable]:
    flow: list[Flowable] = [
        *heading("Timeline", s, min_space=140),
        timeline_drawing(context.timeline, width),
    ]
    flow += [para(note, s.small) for note in context.timeline.notes]
    return flow


def _history(context: ReportContext, s: Styles, width: float) -> list[Flowable]:
    flow = heading("Therapy history", s)
    if not context.courses:
        return [*flow, para("No therapy course recorded.", s.body)]
    rows: list[list[object]] = []
    for c in context.courses:
        adequacy: list[Flowable] = [para(c.adequacy_text, s.cell_bold)]
        adequacy += [para(reason, s.cell) for reason in c.adequacy_reasons]
        if c.adequacy_note:
            adequacy.append(para(c.adequacy_note, s.small))
        if c.adequacy_rules:
            rules = esc(", ".join(c.adequacy_rules))
            if c.needs_review:
                rules += " · " + REVIEW_BADGE
            adequacy.append(Paragraph(rules, s.small))
        rows.append(
            [
                para(c.agent, s.cell_bold),
                c.dates_text,
                c.dose_text,
                c.response_text,
                c.ttr_text,
                adequacy,
                c.stop_text,
            ]
        )
    table = data_table(
        ["Agent", "Dates", "Doses / titration", "Response", "TTR", "Adequacy", "Stop reason"],
        rows,
        _history_widths([c.agent for c in context.courses], s, width),
        s,
    )
    caption = para(
        "TTR: time to response, days from the start of the course to the first count of the "
        "earliest confirming pair. Response per IWG 2009; adequacy per the knowledge pack's rule.",
        s.small,
    )
    return [*flow, table, gap(2), caption]


def _history_widths(agents: Sequence[str], s: Styles, width: float) -> list[float]:
    """Column widths with the agent column wide enough for its longest word.

    Agent names such as "Methylprednisolone" would otherwise be split mid-word; the other
    columns share what is left in fixed proportions.
    """
    style = s.cell_bold
    longest = max(
        (stringWidth(word, style.fontName, style.fontSize) for a in agents for word in a.split()),
        default=0.0,
    )
    agent = min(max(longest + 7, width * 0.13), width * 0.2)
    rest = (0.13, 0.19, 0.105, 0.055, 0.27, 0.11)
    scale = (width - agent) / sum(rest)
    return [agent, *(f * scale for f in rest)]


# ---------------------------------------------------------------- findings


def _finding_cell(f: FindingView, s: Styles) -> list[Flowable]:
    cell: list[Flowable] = [para(f.message, s.cell_bold)]
    cell += bullets([f"Why: {w}" for w in f.why], s.cell, symbol="–")
    meta = esc(_marks(f.sources, f.rule, f.mark))
    if f.needs_review:
        meta += " · " + REVIEW_BADGE
    cell.append(Paragraph(meta, s.small))
    if f.suppression_reason is not None:
        cell.append(para(f"Suppressed: {f.suppression_reason}", s.small))
    return cell


def _finding_table(findings: Sequence[FindingView], s: Styles, width: float) -> Table:
    rows: list[list[object]] = []
    for f in findings:
        colour, _ = SEVERITY_COLOURS[f.severity]
        badge = Markup(
            f'<font color="{hexc(colour)}"><b>{esc(f.severity.value.upper())}</b></font>'
        )
        rows.append([para(badge, s.cell), _finding_cell(f, s)])
    table = data_table(["Severity", "Finding"], rows, [width * 0.12, width * 0.88], s, zebra=False)
    style = [
        ("BACKGROUND", (0, i + 1), (0, i + 1), SEVERITY_COLOURS[f.severity][1])
        for i, f in enumerate(findings)
    ]
    table.setStyle(TableStyle(style))
    return table


def _findings(context: ReportContext, s: Styles, width: float) -> list[Flowable]:
    flow = heading("Findings", s)
    if context.findings:
        flow.append(_finding_table(context.findings, s, width))
    else:
        flow.append(para("No active findings.", s.body))
    if context.suppressed:
        flow += heading(f"Suppressed findings ({len(context.suppressed)})", s, level=2)
        flow.append(
            para("Suppressed by a clinician with the reason shown; listed for the record.", s.small)
        )
        flow.append(_finding_table(context.suppressed, s, width))
    return flow


# ---------------------------------------------------------------- checklists


def _status_markup(status: ChecklistStatus, text: str) -> Markup:
    return Markup(f'<font color="{hexc(STATUS_COLOURS[status])}"><b>{esc(text)}</b></font>')


def _checklists(checklists: Sequence[ChecklistView], s: Styles, width: float) -> list[Flowable]:
    flow = heading("Checklists", s)
    shown = [c for c in checklists if c.applicable]
    hidden = [c for c in checklists if not c.applicable]
    fractions = (0.29, 0.11, 0.13, 0.31, 0.16)
    for c in shown:
        title = c.title + (f"  ({c.rule})" if c.rule else "")
        flow += heading(title, s, level=2, min_space=60)
        rows = [
            [
                i.label,
                _status_markup(i.status, i.status_text),
                i.due_text,
                i.detail or "—",
                ", ".join(i.sources) or "—",
            ]
            for i in c.items
        ]
        flow.append(
            data_table(
                ["Item", "Status", "Due by", "Detail", "Sources"],
                rows,
                [width * f for f in fractions],
                s,
            )
        )
    if not shown:
        flow.append(para("No checklist applies.", s.body))
    if hidden:
        flow.append(gap(3))
        flow.append(
            para("Not applicable now: " + ", ".join(c.title for c in hidden) + ".", s.small)
        )
    return flow


# ---------------------------------------------------------------- options and plan


def _reason_lines(reasons: Sequence[ReasonView], s: Styles, symbol: str) -> list[Flowable]:
    lines: list[str | Markup] = []
    for r in reasons:
        text = esc(r.text)
        extra = ", ".join(r.sources)
        if r.mark is not None:
            extra += f"; mark {r.mark}" if extra else f"mark {r.mark}"
        if extra:
            text += f' <font color="#5A6470">[{esc(extra)}]</font>'
        if r.mark in ("M", "U"):
            text += " " + REVIEW_BADGE
        lines.append(Markup(text))
    return bullets(lines, s.cell, symbol=symbol) if lines else [para("—", s.cell)]


def _options(context: ReportContext, s: Styles, width: float) -> list[Flowable]:
    flow = heading("Ranked options", s)
    if not context.options:
        return [*flow, para("No next-line option proposed.", s.body)]
    flow.append(
        para(
            "Rank 1 is the first to consider; the ranking supports, and never replaces, a shared "
            "decision with the patient.",
            s.small,
        )
    )
    flow.append(gap(2))
    rows: list[list[object]] = []
    for o in context.options:
        label: list[Flowable] = [para(o.label, s.cell_bold)]
        if o.rule:
            label.append(para(f"Rule: {o.rule}", s.small))
        if o.sources:
            label.append(para("Sources: " + ", ".join(o.sources), s.small))
        if o.needs_review:
            label.append(Paragraph(REVIEW_BADGE, s.small))
        reasons = _reason_lines(o.rationale, s, "•") if o.rationale else []
        if o.cautions:
            reasons += _reason_lines(o.cautions, s, "⚠")
        rows.append(
            [
                para(str(o.rank), s.cell_bold),
                label,
                reasons or [para("—", s.cell)],
            ]
        )
    flow.append(
        data_table(
            ["#", "Option", "Rationale (•) and cautions (⚠), with sources and marks"],
            rows,
            [width * f for f in (0.045, 0.255, 0.7)],
            s,
        )
    )
    return flow


def _suggestions(context: ReportContext, s: Styles, width: float) -> list[Flowable]:
    if not context.dose_suggestions:
        return []
    rows: list[list[object]] = [
        [
            para(d.agent, s.cell_bold),
            d.text,
            bullets(d.why, s.cell, symbol="–") or para("—", s.cell),
            para(_marks(d.sources, d.rule), s.small),
        ]
        for d in context.dose_suggestions
    ]
    return [
        *heading("Dose suggestions", s),
        data_table(
            ["Agent", "Suggestion", "Why", "Sources · rule"],
            rows,
            [width * f for f in (0.14, 0.34, 0.34, 0.18)],
            s,
        ),
    ]


def _monitoring(context: ReportContext, s: Styles, width: float) -> list[Flowable]:
    flow = heading("Monitoring plan", s)
    if not context.monitoring:
        return [*flow, para("No monitoring test due.", s.body)]
    rows: list[list[object]] = []
    for m in context.monitoring:
        due: str | Markup = (
            Markup(f'<font color="#A4161A"><b>Overdue</b></font><br/>{esc(m.due_text)}')
            if m.overdue
            else m.due_text
        )
        rows.append(
            [
                para(due, s.cell),
                para(m.label, s.cell_bold),
                m.reason,
                m.last_done_text,
                para(_marks(m.sources, m.rule), s.small),
            ]
        )
    flow.append(
        data_table(
            ["Due", "Test", "Reason", "Last done", "Sources · rule"],
            rows,
            [width * f for f in (0.13, 0.2, 0.33, 0.12, 0.22)],
            s,
        )
    )
    return flow


# ---------------------------------------------------------------- references


def _references(context: ReportContext, s: Styles) -> list[Flowable]:
    flow = heading("References", s)
    if not context.references:
        return [*flow, para("No source cited.", s.body)]
    style = s.cell.clone("ref", leftIndent=12, firstLineIndent=-12, spaceAfter=2.5)
    for ref in context.references:
        text = f'<b><font color="{hexc(ACCENT)}">[{esc(ref.key)}]</font></b> '
        text += esc(ref.reference)
        if ref.locator:
            text += f' <font color="#5A6470">— {esc(ref.locator)}</font>'
        flow.append(Paragraph(text, style))
    return flow

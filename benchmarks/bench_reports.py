"""Time the clinician care plan: the product pipeline against a bare reportlab script.

Usage: .venv/bin/python benchmarks/bench_reports.py [--runs N] [--out DIR]

Two deterministic patients are built here (a typical one: ~150 counts and 10 courses; a large
one: 2,000 counts and 40 courses) and assessed once by the real engine with the default pack.
For each, the script measures (median and p90 over N interleaved runs, after a warm-up):

- context:  build_context(patient, assessment, pack, site, now)
- render:   render_report(context, "clinician", "a4", buffer)
- product:  context + render (what the service does after the assessment)
- bare:     the same content (header/footer with page x of y, status table, timeline chart,
            therapy history, findings, checklists, options, monitoring, references) built
            directly from the Patient and Assessment with plain reportlab, no context layer.

Goal (issue 6): product ≤ 300 ms for the typical patient and ≤ 2× the bare script.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import math
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from itp_desktop.core.codes import (
    AgentCode,
    DoseUnit,
    Frequency,
    ProcedureKind,
    StopReason,
    VaccineCode,
)
from itp_desktop.core.models.assessment import Assessment
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.models.patient import (
    BleedingAssessment,
    Diagnosis,
    DoseStep,
    Immunization,
    Patient,
    PlateletCount,
    Procedure,
    TherapyCourse,
)
from itp_desktop.engine import assess
from itp_desktop.knowledge.loader import load_default_pack
from itp_desktop.reports import SiteInfo, build_context, render_report
from itp_desktop.reports.styles import register_fonts

TODAY = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)
SITE = SiteInfo(name="Hôpital Saint-Éloi", department="Hématologie", phone="+33 4 67 33 00 00")

# ------------------------------------------------------------------ patients


def _step(day: dt.date, amount: float, unit: DoseUnit, freq: Frequency) -> DoseStep:
    return DoseStep(effective_date=day, amount=amount, unit=unit, frequency=freq)


def _course(
    index: int, agent: AgentCode, start: dt.date, *, ongoing: bool = False
) -> TherapyCourse:
    if agent is AgentCode.romiplostim:
        steps = [
            _step(start + dt.timedelta(weeks=k), k + 1, DoseUnit.mcg_per_kg, Frequency.weekly)
            for k in range(10)
        ]
        length = 120
    elif agent is AgentCode.rituximab:
        steps = [
            _step(start + dt.timedelta(weeks=k), 375, DoseUnit.mg_per_m2, Frequency.once)
            for k in range(4)
        ]
        length = 21
    elif agent is AgentCode.ivig:
        steps = [_step(start, 1, DoseUnit.g_per_kg, Frequency.once)]
        length = 0
    elif agent is AgentCode.prednisone:
        steps = [
            _step(start, 1, DoseUnit.mg_per_kg, Frequency.daily),
            _step(start + dt.timedelta(days=21), 40, DoseUnit.mg, Frequency.daily),
            _step(start + dt.timedelta(days=35), 20, DoseUnit.mg, Frequency.daily),
        ]
        length = 42
    else:
        steps = [
            _step(start, 50, DoseUnit.mg, Frequency.daily),
            _step(start + dt.timedelta(days=14), 75, DoseUnit.mg, Frequency.daily),
        ]
        length = 60
    stop = None if ongoing else start + dt.timedelta(days=length)
    return TherapyCourse(
        id=f"c{index}",
        agent=agent,
        start_date=start,
        stop_date=stop,
        stop_reason=None if ongoing else StopReason.no_response,
        dose_steps=steps,
    )


def build_patient(counts: int, courses: int, seed: int) -> Patient:
    """A chronic adult with `counts` counts and `courses` courses ending on TODAY."""
    rng = random.Random(seed)
    cycle = [
        AgentCode.prednisone,
        AgentCode.ivig,
        AgentCode.eltrombopag,
        AgentCode.rituximab,
        AgentCode.romiplostim,
    ]
    span_days = max(courses * 100, counts * 2, 400)
    first = TODAY - dt.timedelta(days=span_days)
    step = span_days / counts
    values = []
    level = 30.0
    for _ in range(counts):
        level = min(max(level * math.exp(rng.gauss(0, 0.18)), 2), 450)
        values.append(round(level))
    course_list = [
        _course(k, cycle[k % len(cycle)], first + dt.timedelta(days=30 + 100 * k))
        for k in range(courses - 1)
    ]
    course_list.append(
        _course(courses - 1, AgentCode.romiplostim, TODAY - dt.timedelta(days=90), ongoing=True)
    )
    return Patient(
        id=f"bench-{counts}",
        mrn=f"BENCH-{counts:05d}",
        family_name="Núñez-Øster",
        given_name="Zoë",
        birth_date=dt.date(1975, 4, 2),
        weight_kg=68,
        height_cm=171,
        diagnosis=Diagnosis(date=(first - dt.timedelta(days=10)).isoformat()),
        platelet_counts=[
            PlateletCount(date=first + dt.timedelta(days=int(k * step)), value=v)
            for k, v in enumerate(values)
        ],
        courses=course_list,
        bleeding=[
            BleedingAssessment(date=first + dt.timedelta(days=200 * k + 15), who_grade=1 + k % 3)
            for k in range(max(span_days // 200, 1))
        ],
        immunizations=[
            Immunization(vaccine=VaccineCode.pneumococcal_conjugate, date=TODAY - dt.timedelta(60)),
            Immunization(vaccine=VaccineCode.influenza, date=TODAY - dt.timedelta(40)),
        ],
        procedures=[Procedure(kind=ProcedureKind.splenectomy, date=TODAY + dt.timedelta(25))],
    )


# ------------------------------------------------------------------ bare reportlab


def bare_clinician(patient: Patient, a: Assessment, pack: KnowledgePack, out: io.BytesIO) -> None:
    """The clinician plan's content with plain reportlab, straight from the domain objects."""
    font, bold = "DejaVuSans", "DejaVuSans-Bold"
    cell = ParagraphStyle("cell", fontName=font, fontSize=7.8, leading=9.6)
    head = ParagraphStyle("head", fontName=bold, fontSize=7.6, leading=9.2)
    h1 = ParagraphStyle("h1", fontName=bold, fontSize=11.5, leading=14, spaceBefore=9)
    small = ParagraphStyle("small", fontName=font, fontSize=7.4, leading=9)

    def p(text: object, style: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(str(text).replace("&", "&amp;").replace("<", "&lt;"), style)

    def table(header: list[str], rows: list[list[object]], fractions: list[float]) -> Table:
        data = [[p(h, head) for h in header]] + [
            [c if isinstance(c, Paragraph | list) else p(c) for c in r] for r in rows
        ]
        t = Table(data, colWidths=[504 * f for f in fractions], repeatRows=1, hAlign="LEFT")
        t.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), font, 8),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DCE4EC")),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.grey),
                ]
            )
        )
        return t

    names = {code: info.name for code, info in pack.agents.items()}
    story: list[object] = [p("ITP care plan — clinician", h1)]
    latest = a.latest_platelet_count
    status = [
        [
            "Phase",
            a.phase or "unknown",
            "Latest count",
            f"{latest.value} on {latest.date}" if latest else "none",
        ],
        ["Steroid dependence", a.steroid_dependent, "Multi-refractory", a.multi_refractory],
        ["Weight", patient.weight_kg, "Height", patient.height_cm],
    ]
    story.append(table(["", "", "", ""], status, [0.18, 0.32, 0.18, 0.32]))
    story += [CondPageBreak(140), p("Timeline", h1), _bare_chart(patient, a, names)]
    history = []
    for course, ca in zip(patient.courses, a.courses, strict=False):
        doses = (
            " → ".join(f"{s.amount:g}" for s in course.dose_steps) + f" {course.dose_steps[0].unit}"
        )
        history.append(
            [
                p(names[course.agent], head),
                f"{course.start_date} – {course.stop_date or 'ongoing'}",
                doses,
                ca.response,
                ca.time_to_response_days or "—",
                [p("Adequate" if ca.adequate_trial else "Not adequate", head)]
                + [p(r) for r in ca.adequacy_reasons],
                course.stop_reason or "—",
            ]
        )
    story += [CondPageBreak(90), p("Therapy history", h1)]
    story.append(
        table(
            ["Agent", "Dates", "Doses", "Response", "TTR", "Adequacy", "Stop"],
            history,
            [0.15, 0.13, 0.19, 0.1, 0.06, 0.26, 0.11],
        )
    )
    story += [CondPageBreak(90), p("Findings", h1)]
    story.append(
        table(
            ["Severity", "Finding"],
            [
                [
                    f.severity,
                    [
                        p(f.message, head),
                        *(p(f"Why: {w}") for w in f.why),
                        p(f"Sources: {', '.join(f.sources)} · Rule: {f.rule}", small),
                    ],
                ]
                for f in a.findings
            ],
            [0.12, 0.88],
        )
    )
    story += [CondPageBreak(90), p("Checklists", h1)]
    for c in a.checklists:
        if c.applicable:
            story.append(
                table(
                    ["Item", "Status", "Due by", "Detail", "Sources"],
                    [
                        [i.label, i.status, i.due_by or "—", i.detail, ", ".join(i.sources)]
                        for i in c.items
                    ],
                    [0.29, 0.11, 0.13, 0.31, 0.16],
                )
            )
    story += [CondPageBreak(90), p("Ranked options", h1)]
    story.append(
        table(
            ["#", "Option", "Rationale and cautions"],
            [[o.rank, o.label, [p(e.text) for e in o.explanations] or p("—")] for o in a.options],
            [0.045, 0.255, 0.7],
        )
    )
    story += [CondPageBreak(90), p("Monitoring plan", h1)]
    story.append(
        table(
            ["Due", "Test", "Reason", "Last done", "Rule"],
            [[m.due, m.label, m.reason, m.last_done or "—", m.rule] for m in a.monitoring],
            [0.13, 0.2, 0.33, 0.12, 0.22],
        )
    )
    keys = sorted(
        {k for f in a.findings for k in f.sources}
        | {k for c in a.checklists for i in c.items for k in i.sources}
        | {k for o in a.options for k in o.sources}
        | {k for m in a.monitoring for k in m.sources}
    )
    story += [CondPageBreak(90), p("References", h1)]
    story += [p(f"[{k}] {pack.citations[k].reference}" if k in pack.citations else k) for k in keys]
    story.append(Spacer(1, 4))

    def decorate(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.setFont(bold, 9.5)
        canvas.drawString(45, 810, SITE.name)
        canvas.drawRightString(550, 810, patient.display_name)
        canvas.setFont(font, 6.6)
        canvas.drawString(45, 60, f"{a.knowledge_base.id} {a.knowledge_base.version} · {a.as_of}")
        footer = Paragraph(a.disclaimer or "disclaimer", small)
        footer.wrap(504, 40)
        footer.drawOn(canvas, 45, 35)

    class Numbered(Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self._saved: list[dict[str, object]] = []

        def showPage(self) -> None:  # noqa: N802
            self._saved.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            for state in self._saved:
                self.__dict__.update(state)
                self.setFont(bold, 7.5)
                self.drawRightString(550, 60, f"Page {self.getPageNumber()} of {len(self._saved)}")
                Canvas.showPage(self)
            Canvas.save(self)

    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=45,
        rightMargin=45,
        topMargin=75,
        bottomMargin=76,
        invariant=1,
        initialFontName=font,
    )
    frame = Frame(
        45, 76, 504, A4[1] - 151, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0
    )
    doc.addPageTemplates([PageTemplate(frames=[frame], onPage=decorate)])
    doc.build(story, canvasmaker=Numbered)


def _bare_chart(patient: Patient, a: Assessment, names: dict[AgentCode, str]) -> Drawing:
    agents = list(dict.fromkeys(c.agent for c in patient.courses))
    height = 10 + 118 + 6 + 15 + len(agents) * 11 + 26
    d = Drawing(504, height, initialFontName="DejaVuSans")
    counts = [c for c in patient.platelet_counts if c.date <= a.as_of]
    start = min([c.date for c in counts] + [c.start_date for c in patient.courses])
    span = max((a.as_of - start).days, 1)
    x0, x1 = 84.0, 480.0
    top = height - 10
    bottom = top - 118
    ymax = max(150.0, max(c.value_e9 for c in counts) * 1.08) if counts else 150.0
    log = ymax > 200

    def x(day: dt.date) -> float:
        return x0 + (day - start).days / span * (x1 - x0)

    def y(v: float) -> float:
        frac = math.log10(max(v, 1)) / math.log10(1000) if log else v / ymax
        return bottom + min(frac, 1) * 118

    edges = [0, 10, 30, 50, 100]
    fills = ["#F9DCDC", "#FCEBD5", "#FBF6D9", "#E8F4E5"]
    for k, fill in enumerate(fills):
        d.add(
            Rect(
                x0,
                y(edges[k]),
                x1 - x0,
                y(edges[k + 1]) - y(edges[k]),
                fillColor=colors.HexColor(fill),
                strokeColor=None,
            )
        )
    for band in edges[1:]:
        d.add(Line(x0, y(band), x1, y(band), strokeColor=colors.grey, strokeDashArray=[1.5, 1.5]))
        d.add(String(x1 + 3, y(band) - 2, str(band), fontName="DejaVuSans", fontSize=6.3))
    points: list[float] = []
    for c in counts:
        points += [x(c.date), y(c.value_e9)]
    d.add(PolyLine(points, strokeColor=colors.HexColor("#1F4E79"), strokeWidth=0.9))
    if len(counts) <= 400:
        for k in range(0, len(points), 2):
            d.add(
                Circle(
                    points[k],
                    points[k + 1],
                    1.4,
                    fillColor=colors.HexColor("#1F4E79"),
                    strokeColor=None,
                )
            )
    mid = bottom - 6 - 7.5
    for b in patient.bleeding:
        d.add(
            Polygon(
                [x(b.date) - 3, mid + 3, x(b.date) + 3, mid + 3, x(b.date), mid - 3],
                fillColor=colors.red,
                strokeColor=colors.red,
            )
        )
    for i in patient.immunizations:
        d.add(
            Polygon(
                [x(i.date), mid + 3, x(i.date) + 3, mid, x(i.date), mid - 3, x(i.date) - 3, mid],
                fillColor=colors.green,
                strokeColor=None,
            )
        )
    lanes_top = bottom - 6 - 15
    for k, agent in enumerate(agents):
        ly = lanes_top - (k + 1) * 11
        d.add(String(4, ly + 3, names[agent][:18], fontName="DejaVuSans", fontSize=6.8))
        for c in patient.courses:
            if c.agent is not agent:
                continue
            end = min(c.stop_date or a.as_of, a.as_of)
            d.add(
                Rect(
                    x(c.start_date),
                    ly + 2,
                    max(x(end) - x(c.start_date), 1.8),
                    7,
                    fillColor=colors.HexColor("#2E7D6B"),
                    strokeColor=None,
                )
            )
            for s in c.dose_steps[1:]:
                d.add(
                    Line(
                        x(s.effective_date),
                        ly + 1.5,
                        x(s.effective_date),
                        ly + 9.5,
                        strokeColor=colors.black,
                        strokeWidth=0.6,
                    )
                )
    year = start.year + 1
    while dt.date(year, 1, 1) <= a.as_of:
        xt = x(dt.date(year, 1, 1))
        d.add(Line(xt, bottom, xt, top, strokeColor=colors.white))
        d.add(
            String(
                xt,
                lanes_top - len(agents) * 11 - 9,
                str(year),
                fontName="DejaVuSans",
                fontSize=6.2,
                textAnchor="middle",
            )
        )
        year += 1
    return d


# ------------------------------------------------------------------ timing


def _time(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def measure(label: str, patient: Patient, pack: KnowledgePack, runs: int, out: Path | None) -> None:
    assessment = assess(patient, pack, TODAY)
    register_fonts()
    context = build_context(patient, assessment, pack, SITE, NOW)
    if out is not None:
        render_report(context, "clinician", "a4", out / f"bench-{label}.pdf")
        with (out / f"bench-{label}-bare.pdf").open("wb") as f:
            buffer = io.BytesIO()
            bare_clinician(patient, assessment, pack, buffer)
            f.write(buffer.getvalue())
    samples: dict[str, list[float]] = {"context": [], "render": [], "product": [], "bare": []}
    for run in range(runs + 1):  # run 0 warms caches and is discarded
        ctx_ms = _time(lambda: build_context(patient, assessment, pack, SITE, NOW))
        render_ms = _time(lambda: render_report(context, "clinician", "a4", io.BytesIO()))
        product_ms = _time(
            lambda: render_report(
                build_context(patient, assessment, pack, SITE, NOW), "clinician", "a4", io.BytesIO()
            )
        )
        bare_ms = _time(lambda: bare_clinician(patient, assessment, pack, io.BytesIO()))
        if run:
            samples["context"].append(ctx_ms)
            samples["render"].append(render_ms)
            samples["product"].append(product_ms)
            samples["bare"].append(bare_ms)
    pages = render_pages(context)
    print(
        f"\n{label}: {len(patient.platelet_counts)} counts, {len(patient.courses)} courses, "
        f"{pages} pages, {runs} runs"
    )
    for name, values in samples.items():
        ordered = sorted(values)
        p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
        print(f"  {name:8s} median {statistics.median(values):7.1f} ms   p90 {p90:7.1f} ms")
    ratio = statistics.median(samples["product"]) / statistics.median(samples["bare"])
    print(f"  product / bare = {ratio:.2f}")


def render_pages(context: object) -> int:
    from pypdf import PdfReader

    buffer = io.BytesIO()
    render_report(context, "clinician", "a4", buffer)  # type: ignore[arg-type]
    return len(PdfReader(io.BytesIO(buffer.getvalue())).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--out", type=Path, default=None, help="also write the PDFs here")
    args = parser.parse_args()
    pack = load_default_pack()
    measure("typical", build_patient(150, 10, seed=6), pack, args.runs, args.out)
    measure("large", build_patient(2000, 40, seed=7), pack, max(args.runs // 2, 3), args.out)


if __name__ == "__main__":
    main()

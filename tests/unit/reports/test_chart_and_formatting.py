"""Timeline drawing and display formatting helpers."""

from __future__ import annotations

import datetime as dt

import pytest
from reportlab.graphics.shapes import Drawing, Group, PolyLine, String

from itp_desktop.core.codes import DoseUnit, Frequency
from itp_desktop.core.models.patient import DoseStep
from itp_desktop.reports.chart import (
    MARKERS_DRAWN_UP_TO,
    _month_ticks,
    chart_height,
    timeline_drawing,
)
from itp_desktop.reports.formatting import (
    dose_history,
    fmt_date,
    fmt_datetime,
    humanise,
    step_on,
    years_months,
)
from itp_desktop.reports.i18n import Catalogue
from itp_desktop.reports.styles import FONT, fit, register_fonts
from itp_desktop.reports.views import Bar, CountPoint, Lane, Marker, Timeline

D = dt.date


def _step(day: dt.date, amount: float, unit: DoseUnit, freq: Frequency) -> DoseStep:
    return DoseStep(effective_date=day, amount=amount, unit=unit, frequency=freq)


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (
            [_step(D(2026, 1, k), 375, DoseUnit.mg_per_m2, Frequency.once) for k in (1, 8, 15, 22)],
            "375 mg/m² × 4",
        ),
        ([_step(D(2026, 1, 1), 50, DoseUnit.mg, Frequency.daily)], "50 mg daily"),
        (
            [
                _step(D(2026, 1, 1), 50, DoseUnit.mg, Frequency.daily),
                _step(D(2026, 1, 15), 75, DoseUnit.mg, Frequency.daily),
            ],
            "50 → 75 mg daily (2 steps)",
        ),
        (
            [
                _step(
                    D(2026, 1, 1) + dt.timedelta(weeks=k),
                    k + 1,
                    DoseUnit.mcg_per_kg,
                    Frequency.weekly,
                )
                for k in range(10)
            ],
            "1 → 2 → 3 → … → 9 → 10 mcg/kg weekly (10 steps)",
        ),
        (
            [
                _step(D(2026, 1, 1), 100, DoseUnit.mg, Frequency.twice_daily),
                _step(D(2026, 2, 1), 100, DoseUnit.mg, Frequency.twice_daily),
                _step(D(2026, 3, 1), 150, DoseUnit.mg, Frequency.twice_daily),
                _step(D(2026, 4, 1), 150, DoseUnit.mg, Frequency.daily),
            ],
            "100 mg twice daily → 150 mg twice daily → 150 mg daily (4 steps)",
        ),
    ],
)
def test_dose_history(steps, expected):
    assert dose_history(steps) == expected


def test_small_helpers():
    cat = Catalogue("en")
    assert fmt_date(D(2026, 3, 5), cat) == "5 Mar 2026"
    assert fmt_datetime(dt.datetime(2026, 3, 5, 7, 9, tzinfo=dt.UTC), cat) == "5 Mar 2026 07:09 UTC"
    assert fmt_datetime(dt.datetime(2026, 3, 5, 7, 9), cat) == "5 Mar 2026 07:09"
    assert humanise("adequate_trial:romiplostim") == "Adequate trial: romiplostim"
    assert years_months(D(2024, 12, 2), D(2026, 11, 22)) == (1, 11)
    assert years_months(D(2026, 12, 2), D(2026, 11, 22)) == (0, 0)
    steps = [
        _step(D(2026, 1, 1), 1, DoseUnit.mg, Frequency.daily),
        _step(D(2026, 2, 1), 2, DoseUnit.mg, Frequency.daily),
    ]
    assert step_on(steps, D(2025, 12, 1)).amount == 1
    assert step_on(steps, D(2026, 2, 1)).amount == 2


def test_fit_cuts_with_an_ellipsis_to_the_width():
    register_fonts()
    name = "Wolfeschlegelsteinhausenbergerdorff, Hubert Blaine"
    cut = fit(name, FONT, 10, 100)
    assert cut.endswith("…")
    assert len(cut) < len(name)
    assert fit("Short", FONT, 10, 100) == "Short"


@pytest.mark.parametrize(
    ("start", "end", "step"),
    [
        (D(2026, 1, 10), D(2026, 11, 22), 1),
        (D(2024, 1, 10), D(2026, 11, 22), 3),
        (D(2010, 1, 10), D(2026, 11, 22), 24),
    ],
)
def test_month_ticks(start, end, step):
    ticks, chosen = _month_ticks(start, end, 12)
    assert chosen == step
    assert 1 <= len(ticks) <= 12
    assert all(start <= t <= end and t.day == 1 for t in ticks)
    if step >= 12:
        assert all(t.month == 1 for t in ticks)


def _strings(node: Group) -> list[str]:
    out: list[str] = []
    for child in node.contents:
        if isinstance(child, String):
            out.append(child.text)
        elif isinstance(child, Group):
            out += _strings(child)
    return out


def _timeline(counts: list[CountPoint], lanes: list[Lane], log: bool = False) -> Timeline:
    return Timeline(
        start=D(2025, 1, 1),
        end=D(2026, 11, 22),
        as_of=D(2026, 11, 22),
        log_scale=log,
        counts=counts,
        bands=[10, 30, 50, 100],
        lanes=lanes,
        markers=[
            Marker(day=D(2025, 6, 1), kind="bleeding", label="WHO 3", strong=True),
            Marker(day=D(2025, 7, 1), kind="vaccine", label="hib"),
            Marker(
                day=D(2026, 12, 1), kind="procedure", label="Splenectomy", planned=True, strong=True
            ),
        ],
        notes=[],
    )


def test_timeline_without_counts_says_so():
    drawing = timeline_drawing(_timeline([], []), 500)
    assert isinstance(drawing, Drawing)
    texts = _strings(drawing)
    assert "No platelet counts recorded" in texts
    assert "No therapy recorded" in texts
    assert "×10⁹/L" in texts


def test_timeline_log_scale_and_many_counts():
    counts = [
        CountPoint(day=D(2025, 1, 1) + dt.timedelta(days=k // 3), value=5 + (k * 37) % 900)
        for k in range(MARKERS_DRAWN_UP_TO + 50)
    ]
    lanes = [
        Lane(
            label=f"Agent {k}",
            group="tpo",
            bars=[
                Bar(
                    start=D(2025, 2, 1),
                    end=D(2026, 11, 22),
                    ongoing=True,
                    planned=False,
                    ticks=[D(2025, 3, 1)],
                )
            ],
        )
        for k in range(12)
    ]
    timeline = _timeline(counts, lanes, log=True)
    drawing = timeline_drawing(timeline, 500)
    texts = _strings(drawing)
    assert "×10⁹/L (log)" in texts
    assert {"1", "10", "100", "1,000"} <= set(texts)
    assert drawing.height == chart_height(timeline)
    assert chart_height(timeline) > chart_height(_timeline(counts, lanes[:2]))
    assert sum(isinstance(c, PolyLine) for c in drawing.contents) == 1

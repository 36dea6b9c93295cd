"""The ITP timeline chart, drawn with reportlab.graphics from a context `Timeline`.

Top: platelet counts (×10⁹/L) on a linear axis, or a log axis once counts exceed 200 so that
the low range stays readable, over shaded bands split at 10, 30, 50 and 100. Below: one row of
dated events (bleeding, vaccines, procedures) and one lane per agent with a bar per course
(ongoing courses end in an arrow at the assessment date, planned ones are outlined) and ticks
at every dose change. A dashed line marks the assessment date; anything after it is planned.

May import: stdlib, reportlab, the report context and styles.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.colors import Color

from itp_desktop.reports.context import Lane, Marker, Timeline
from itp_desktop.reports.styles import (
    ACCENT,
    CRITICAL,
    FONT,
    FONT_BOLD,
    INK,
    MUTED,
    RULE,
    fit,
    register_fonts,
)

LABEL_WIDTH = 84.0
RIGHT_PAD = 24.0
COUNT_HEIGHT = 118.0
EVENT_ROW = 15.0
LANE_HEIGHT = 11.0
AXIS_ROW = 13.0
LEGEND_ROW = 13.0
TOP_PAD = 10.0
MARKERS_DRAWN_UP_TO = 400
"""Above this many counts the line is drawn without a dot per count (it would be a smear)."""

BAND_FILLS: tuple[Color, ...] = (
    colors.HexColor("#F9DCDC"),  # < 10
    colors.HexColor("#FCEBD5"),  # 10–30
    colors.HexColor("#FBF6D9"),  # 30–50
    colors.HexColor("#E8F4E5"),  # 50–100
)
GROUP_COLOURS: dict[str, Color] = {
    "steroid": colors.HexColor("#7B5EA7"),
    "tpo": colors.HexColor("#2E7D6B"),
    "rituximab": colors.HexColor("#B5651D"),
    "rescue": colors.HexColor("#C0392B"),
    "other": colors.HexColor("#4A6FA5"),
}
COUNT_LINE = colors.HexColor("#1F4E79")
VACCINE = colors.HexColor("#2E7D32")
PROCEDURE = colors.HexColor("#37474F")
FUTURE_FILL = colors.HexColor("#F3F4F6")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def chart_height(timeline: Timeline) -> float:
    """Height in points of the chart for `timeline`."""
    lanes = max(len(timeline.lanes), 1)
    return TOP_PAD + COUNT_HEIGHT + 6 + EVENT_ROW + lanes * LANE_HEIGHT + AXIS_ROW + LEGEND_ROW


def timeline_drawing(timeline: Timeline, width: float) -> Drawing:
    """Draw the timeline `width` points wide."""
    register_fonts()
    height = chart_height(timeline)
    drawing = Drawing(width, height, initialFontName=FONT, initialFontSize=7)
    x0, x1 = LABEL_WIDTH, width - RIGHT_PAD
    span = max((timeline.end - timeline.start).days, 1)

    def x_of(day: dt.date) -> float:
        return x0 + (day - timeline.start).days / span * (x1 - x0)

    count_top = height - TOP_PAD
    count_bottom = count_top - COUNT_HEIGHT
    events_top = count_bottom - 6
    lanes_top = events_top - EVENT_ROW
    lanes_bottom = lanes_top - max(len(timeline.lanes), 1) * LANE_HEIGHT
    axis_y = lanes_bottom

    # Planned region (after the assessment date) is shaded in every row.
    x_now = x_of(timeline.as_of)
    if x_now < x1:
        drawing.add(_rect(x_now, axis_y, x1 - x_now, count_top - axis_y, fill=FUTURE_FILL))
    _draw_counts(drawing, timeline, x0, x1, count_bottom, count_top, x_of)
    _draw_time_axis(drawing, timeline, x0, x1, axis_y, count_top, count_bottom)
    _draw_events(drawing, timeline.markers, events_top - EVENT_ROW / 2, x_of)
    _draw_lanes(drawing, timeline.lanes, x0, x1, lanes_top, x_of, timeline.as_of)
    drawing.add(_line(x_now, axis_y, x_now, count_top + 2, colour=INK, width=0.7, dash=(2.5, 2)))
    drawing.add(_text(x_now, count_top + 3, "as of", size=6.5, anchor="middle", colour=INK))
    _draw_legend(drawing, x0, 2)
    return drawing


# ---------------------------------------------------------------- primitives


def _rect(
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    fill: Color | None,
    stroke: Color | None = None,
    width: float = 0.5,
    dash: tuple[float, float] | None = None,
) -> Rect:
    rect = Rect(x, y, w, h)
    rect.fillColor = fill
    rect.strokeColor = stroke
    rect.strokeWidth = width
    if dash is not None:
        rect.strokeDashArray = list(dash)
    return rect


def _line(
    xa: float,
    ya: float,
    xb: float,
    yb: float,
    *,
    colour: Color,
    width: float = 0.5,
    dash: tuple[float, float] | None = None,
) -> Line:
    line = Line(xa, ya, xb, yb, strokeColor=colour, strokeWidth=width)
    if dash is not None:
        line.strokeDashArray = list(dash)
    return line


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = 6.5,
    anchor: str = "start",
    colour: Color = MUTED,
    bold: bool = False,
) -> String:
    shape = String(x, y, text, fontName=FONT_BOLD if bold else FONT, fontSize=size)
    shape.fillColor = colour
    shape.textAnchor = anchor  # type: ignore[assignment]
    return shape


def _polygon(points: list[float], *, fill: Color | None, stroke: Color | None) -> Polygon:
    shape = Polygon(points)
    shape.fillColor = fill
    shape.strokeColor = stroke
    shape.strokeWidth = 0.6
    return shape


# ---------------------------------------------------------------- counts


def _scale(timeline: Timeline) -> tuple[Callable[[float], float], list[float], str]:
    """Return value→fraction of the count area, the axis ticks and the axis title."""
    top = max((c.value for c in timeline.counts), default=0.0)
    if timeline.log_scale:
        ymax = 10 ** math.ceil(math.log10(max(top, 100.0) * 1.05))

        def log_fraction(value: float) -> float:
            return math.log10(max(value, 1.0)) / math.log10(ymax)

        ticks = [float(10**k) for k in range(round(math.log10(ymax)) + 1)]
        return log_fraction, ticks, "×10⁹/L (log)"
    ymax = max(150.0, math.ceil(top * 1.08 / 50.0) * 50.0)
    step = 50.0 if ymax <= 200 else 100.0

    def linear_fraction(value: float) -> float:
        return max(value, 0.0) / ymax

    ticks = [step * k for k in range(int(ymax // step) + 1)]
    return linear_fraction, ticks, "×10⁹/L"


def _draw_counts(
    drawing: Drawing,
    timeline: Timeline,
    x0: float,
    x1: float,
    bottom: float,
    top: float,
    x_of: Callable[[dt.date], float],
) -> None:
    fraction, ticks, title = _scale(timeline)
    height = top - bottom

    def y_of(value: float) -> float:
        return bottom + min(fraction(value), 1.0) * height

    edges = [0.0, *timeline.bands]
    for index, fill in enumerate(BAND_FILLS):
        if index + 1 >= len(edges):
            break
        ya, yb = y_of(edges[index]), y_of(edges[index + 1])
        drawing.add(_rect(x0, ya, x1 - x0, yb - ya, fill=fill))
    for band in timeline.bands:
        y = y_of(band)
        drawing.add(_line(x0, y, x1, y, colour=RULE, width=0.5, dash=(1.5, 1.5)))
        drawing.add(_text(x1 + 3, y - 2.2, f"{band:g}", size=6.3, colour=MUTED))
    drawing.add(_rect(x0, bottom, x1 - x0, height, fill=None, stroke=RULE, width=0.6))
    for tick in ticks:
        y = y_of(tick)
        drawing.add(_line(x0 - 2.5, y, x0, y, colour=MUTED, width=0.5))
        drawing.add(_text(x0 - 4, y - 2.2, f"{tick:,.0f}", size=6.3, anchor="end"))
    drawing.add(_text(4, top - 8, "Platelets", size=7.2, colour=INK, bold=True))
    drawing.add(_text(4, top - 17, title, size=6.5))
    if not timeline.counts:
        drawing.add(
            _text(
                (x0 + x1) / 2,
                bottom + height / 2,
                "No platelet counts recorded",
                size=8,
                anchor="middle",
                colour=CRITICAL,
            )
        )
        return
    points: list[float] = []
    for count in timeline.counts:
        points += [x_of(count.day), y_of(count.value)]
    if len(timeline.counts) > 1:
        drawing.add(PolyLine(points, strokeColor=COUNT_LINE, strokeWidth=0.9))
    if len(timeline.counts) <= MARKERS_DRAWN_UP_TO:
        for index in range(0, len(points), 2):
            dot = Circle(points[index], points[index + 1], 1.4)
            dot.fillColor = COUNT_LINE
            dot.strokeColor = None
            drawing.add(dot)
    last = timeline.counts[-1]
    drawing.add(
        _text(
            min(x_of(last.day) + 3, x1 - 1),
            y_of(last.value) + 3,
            f"{last.value:g}",
            size=6.5,
            colour=COUNT_LINE,
            bold=True,
            anchor="end" if x_of(last.day) > x1 - 20 else "start",
        )
    )


# ---------------------------------------------------------------- time axis


def _month_ticks(start: dt.date, end: dt.date, max_ticks: int) -> tuple[list[dt.date], int]:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60) if months / s <= max_ticks), 120)
    first = dt.date(start.year, start.month, 1)
    index = first.year * 12 + first.month - 1
    if step >= 12:
        index = (index // 12 + (1 if first > start or first.month > 1 else 0)) * 12
        index = max(index, 0)
    ticks: list[dt.date] = []
    while True:
        day = dt.date(index // 12, index % 12 + 1, 1)
        if day > end:
            break
        if day >= start:
            ticks.append(day)
        index += step
    return ticks, step


def _draw_time_axis(
    drawing: Drawing,
    timeline: Timeline,
    x0: float,
    x1: float,
    axis_y: float,
    count_top: float,
    count_bottom: float,
) -> None:
    span = max((timeline.end - timeline.start).days, 1)
    ticks, step = _month_ticks(timeline.start, timeline.end, max(int((x1 - x0) // 44), 2))
    drawing.add(_line(x0, axis_y, x1, axis_y, colour=MUTED, width=0.6))
    for day in ticks:
        x = x0 + (day - timeline.start).days / span * (x1 - x0)
        drawing.add(_line(x, count_bottom, x, count_top, colour=colors.white, width=0.6))
        drawing.add(_line(x, axis_y - 2.5, x, axis_y, colour=MUTED, width=0.5))
        label = str(day.year) if step >= 12 else f"{MONTHS[day.month - 1]} {day.year}"
        drawing.add(_text(x, axis_y - 9, label, size=6.2, anchor="middle"))


# ---------------------------------------------------------------- events and lanes


def _draw_events(
    drawing: Drawing,
    markers: list[Marker],
    mid: float,
    x_of: Callable[[dt.date], float],
) -> None:
    drawing.add(_text(4, mid - 2.3, "Events", size=7, colour=INK, bold=True))
    for marker in markers:
        x = x_of(marker.day)
        if marker.kind == "bleeding":
            s = 4.2 if marker.strong else 3.2
            drawing.add(
                _polygon(
                    [x - s, mid + s, x + s, mid + s, x, mid - s],
                    fill=CRITICAL if marker.strong else colors.HexColor("#E57373"),
                    stroke=CRITICAL,
                )
            )
        elif marker.kind == "vaccine":
            s = 3.0
            drawing.add(
                _polygon(
                    [x, mid + s, x + s, mid, x, mid - s, x - s, mid], fill=VACCINE, stroke=VACCINE
                )
            )
        else:
            s = 3.4
            fill = colors.white if marker.planned else PROCEDURE
            drawing.add(_rect(x - s, mid - s, 2 * s, 2 * s, fill=fill, stroke=PROCEDURE, width=0.7))
            if marker.strong:
                drawing.add(
                    _text(
                        x,
                        mid - 2.2,
                        "S",
                        size=5.2,
                        anchor="middle",
                        bold=True,
                        colour=PROCEDURE if marker.planned else colors.white,
                    )
                )


def _draw_lanes(
    drawing: Drawing,
    lanes: list[Lane],
    x0: float,
    x1: float,
    top: float,
    x_of: Callable[[dt.date], float],
    as_of: dt.date,
) -> None:
    if not lanes:
        drawing.add(_text(x0 + 4, top - LANE_HEIGHT + 3, "No therapy recorded", size=6.8))
        return
    for index, lane in enumerate(lanes):
        y = top - (index + 1) * LANE_HEIGHT
        if index % 2 == 0:
            drawing.add(_rect(0, y, x1, LANE_HEIGHT, fill=colors.HexColor("#F7F8FA")))
        drawing.add(
            _text(4, y + 3.2, fit(lane.label, FONT, 6.8, LABEL_WIDTH - 8), size=6.8, colour=INK)
        )
        colour = GROUP_COLOURS[lane.group]
        for bar in lane.bars:
            xa = x_of(bar.start)
            xb = max(x_of(bar.end), xa + 1.8)
            bar_y, bar_h = y + 2, LANE_HEIGHT - 4
            if bar.planned:
                drawing.add(
                    _rect(
                        xa,
                        bar_y,
                        xb - xa,
                        bar_h,
                        fill=colors.white,
                        stroke=colour,
                        width=0.8,
                        dash=(1.6, 1.2),
                    )
                )
            else:
                drawing.add(_rect(xa, bar_y, xb - xa, bar_h, fill=colour))
            if bar.ongoing:
                drawing.add(
                    _polygon(
                        [xb, bar_y - 1, xb + 4, bar_y + bar_h / 2, xb, bar_y + bar_h + 1],
                        fill=colour,
                        stroke=None,
                    )
                )
            for tick in bar.ticks:
                if tick > as_of and not bar.planned:
                    continue
                xt = x_of(tick)
                drawing.add(_line(xt, bar_y - 0.5, xt, bar_y + bar_h + 0.5, colour=INK, width=0.6))


def _draw_legend(drawing: Drawing, x0: float, y: float) -> None:
    x = x0
    drawing.add(_line(x, y + 3, x + 10, y + 3, colour=COUNT_LINE, width=1))
    drawing.add(_text(x + 13, y + 1, "count", size=6.2))
    x += 40
    drawing.add(_polygon([x, y + 6, x + 6, y + 6, x + 3, y], fill=CRITICAL, stroke=CRITICAL))
    drawing.add(_text(x + 9, y + 1, "bleeding (dark: WHO ≥ 3)", size=6.2))
    x += 96
    drawing.add(
        _polygon([x + 3, y + 6, x + 6, y + 3, x + 3, y, x, y + 3], fill=VACCINE, stroke=None)
    )
    drawing.add(_text(x + 9, y + 1, "vaccine", size=6.2))
    x += 42
    drawing.add(_rect(x, y, 6, 6, fill=PROCEDURE))
    drawing.add(_text(x + 9, y + 1, "procedure (S: splenectomy; hollow: planned)", size=6.2))
    x += 150
    drawing.add(_rect(x, y, 10, 6, fill=GROUP_COLOURS["tpo"]))
    drawing.add(_line(x + 5, y - 0.5, x + 5, y + 6.5, colour=INK, width=0.6))
    drawing.add(_text(x + 13, y + 1, "course | dose change", size=6.2))
    drawing.add(_text(4, y + 1, "Legend", size=6.2, colour=ACCENT, bold=True))

"""`TimelineChart`: the ITP timeline drawn with pyqtgraph (counts, therapy lanes, event markers).

Three plots share one date axis (x linked): platelet counts on a log or linear scale with
threshold bands at 10 / 30 / 50 / 100 ×10⁹/L; one lane per therapy course with a bar per dose
step (a darker bar is a higher dose of that course, a white tick marks each dose change, and
hovering shows the dose); and a marker lane for bleeding assessments, vaccines, splenectomy and
other procedures (planned ones, and assessments that found no bleeding, hollow). Mouse wheel
zooms and dragging pans over years.
pyqtgraph is imported by this module only, and this module only when a chart is first shown,
so start-up does not pay for it (docs/DECISIONS.md). Display only: no clinical rule here.
May import: PySide6, pyqtgraph, numpy, core, services.display, gui.views.timeline_data.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QVBoxLayout, QWidget

from itp_desktop.core.models.patient import Patient
from itp_desktop.core.units import fmt_count
from itp_desktop.gui.views.timeline_data import CourseBar, course_bars, timeline_events
from itp_desktop.services.display import Labels

THRESHOLDS = (10.0, 30.0, 50.0, 100.0)
BANDS = (
    (0.0, 10.0, QColor(211, 47, 47, 30)),
    (10.0, 30.0, QColor(245, 124, 0, 36)),
    (30.0, 50.0, QColor(251, 192, 45, 34)),
    (50.0, 100.0, QColor(104, 159, 56, 22)),
)
LOG_FLOOR = 1.0
"""Counts below this are drawn at this value on the log scale (log of 0 is undefined)."""
LANE_HEIGHT = 0.64
LANE_COLOURS = (
    "#1f5f99",
    "#8e3b8f",
    "#2e7d4f",
    "#b05a00",
    "#5b6770",
    "#a33a3a",
    "#00796b",
    "#6d4c41",
)
MARKERS = {
    "bleeding": ("t", "#c62828", "Bleeding"),
    "vaccine": ("d", "#1565c0", "Vaccine"),
    "splenectomy": ("star", "#212121", "Splenectomy"),
    "procedure": ("s", "#6a1b9a", "Procedure"),
}
MARKER_ROWS = {"bleeding": 3.0, "vaccine": 2.0, "splenectomy": 1.0, "procedure": 1.0}
DAY = 86_400.0
ANTIALIAS_MAX_POINTS = 600
"""Above this many counts the line is drawn without antialiasing (much faster, still sharp)."""


def epoch(day: dt.date) -> float:
    """Seconds since 1970 at noon UTC of `day` (the date axis' unit)."""
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp()


class _DateAxis(pg.DateAxisItem):
    """Date axis in UTC, so a count never shows on the neighbouring day."""

    def __init__(self) -> None:
        super().__init__(orientation="bottom", utcOffset=0)


class TimelineChart(QWidget):
    """The chart of one patient.

    Signals:
        hovered(str): text of the bar or marker under the mouse ("" when none).
    """

    hovered = Signal(str)

    def __init__(self, labels: Labels, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        pg.setConfigOptions(antialias=True, background="w", foreground="#333333")
        self._labels = labels
        self._log = True
        self._bars: list[tuple[QRectF, CourseBar]] = []
        self._counts_x = np.zeros(0)
        self._counts_y = np.zeros(0)
        self._span: tuple[float, float] = (0.0, 1.0)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setAccessibleName("ITP timeline chart")
        self.graphics.ci.setSpacing(2)
        self.counts_plot = self.graphics.addPlot(row=0, col=0, axisItems={"bottom": _DateAxis()})
        self.lanes_plot = self.graphics.addPlot(row=1, col=0, axisItems={"bottom": _DateAxis()})
        self.events_plot = self.graphics.addPlot(row=2, col=0, axisItems={"bottom": _DateAxis()})
        self._setup_plots()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics)
        self.graphics.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)

    # ------------------------------------------------------------------ public API
    @property
    def log_scale(self) -> bool:
        return self._log

    def set_patient(self, patient: Patient, today: dt.date) -> None:
        """Draw `patient`'s record (replaces what was drawn)."""
        self._patient = patient
        self._today = today
        self._draw()

    def set_log_scale(self, log_scale: bool) -> None:
        """Counts on a logarithmic (default) or linear scale."""
        if log_scale == self._log:
            return
        self._log = log_scale
        if hasattr(self, "_patient"):
            self._draw()

    def show_all(self) -> None:
        """Zoom to the whole record."""
        start, end = self._span
        self.counts_plot.setXRange(start, end, padding=0.02)

    def show_last(self, days: int) -> None:
        """Zoom to the last `days` days up to today."""
        end = epoch(self._today) + 10 * DAY
        self.counts_plot.setXRange(end - days * DAY, end, padding=0)

    def x_range(self) -> tuple[float, float]:
        """The visible date range in epoch seconds."""
        (x0, x1), _ = self.counts_plot.viewRange()
        return float(x0), float(x1)

    def bar_at(self, x: float, y: float) -> CourseBar | None:
        """The dose-step bar at lane coordinates (x epoch seconds, y lane units), if any."""
        for rect, bar in self._bars:
            if rect.contains(QPointF(x, y)):
                return bar
        return None

    def bar_text(self, bar: CourseBar) -> str:
        """Hover text of a bar: agent, dose and dates."""
        until = "ongoing" if bar.ongoing and not bar.planned else bar.end.isoformat()
        planned = " (planned)" if bar.planned else ""
        stop = f" — stopped: {bar.stop_reason}" if bar.stop_reason and not bar.ongoing else ""
        return f"{bar.agent_label} {bar.dose}{planned}: {bar.start.isoformat()} → {until}{stop}"

    @property
    def lane_count(self) -> int:
        return len({bar.lane for _, bar in self._bars})

    @property
    def drawn_counts(self) -> int:
        return len(self._counts_x)

    # ------------------------------------------------------------------ drawing
    def _setup_plots(self) -> None:
        for plot in (self.counts_plot, self.lanes_plot, self.events_plot):
            plot.showGrid(x=True, y=False, alpha=0.15)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.getAxis("left").setWidth(150)
            plot.getViewBox().setMouseEnabled(x=True, y=False)
        self.lanes_plot.setXLink(self.counts_plot)
        self.events_plot.setXLink(self.counts_plot)
        self.counts_plot.setLabel("left", "Platelets (×10⁹/L)")
        self.counts_plot.getAxis("bottom").setStyle(showValues=False)
        self.lanes_plot.getAxis("bottom").setStyle(showValues=False)
        self.lanes_plot.invertY(True)
        self.events_plot.setMaximumHeight(110)
        self.events_plot.setYRange(0.4, 3.6, padding=0)
        self.events_plot.getAxis("left").setTicks(
            [[(3.0, "Bleeding"), (2.0, "Vaccines"), (1.0, "Procedures")]]
        )
        self.graphics.ci.layout.setRowStretchFactor(0, 5)
        self.graphics.ci.layout.setRowStretchFactor(1, 3)
        self.graphics.ci.layout.setRowStretchFactor(2, 1)

    def _y(self, value: float) -> float:
        return math.log10(max(value, LOG_FLOOR)) if self._log else value

    def _draw(self) -> None:
        patient, today = self._patient, self._today
        for plot in (self.counts_plot, self.lanes_plot, self.events_plot):
            plot.clear()
        self._draw_counts(patient)
        self._draw_bands()
        self._draw_lanes(patient, today)
        self._draw_markers(patient, today)
        self._span = self._compute_span(patient, today)
        self.show_all()

    def _draw_bands(self) -> None:
        top = max(float(self._counts_y.max()) if self._counts_y.size else 0.0, 150.0)
        for low, high, colour in BANDS:
            region = pg.LinearRegionItem(
                values=(self._y(max(low, LOG_FLOOR if self._log else 0.0)), self._y(high)),
                orientation="horizontal",
                movable=False,
                brush=QBrush(colour),
                pen=QPen(Qt.PenStyle.NoPen),
            )
            region.setZValue(-20)
            self.counts_plot.addItem(region)
        for value in THRESHOLDS:
            line = pg.InfiniteLine(
                pos=self._y(value),
                angle=0,
                pen=pg.mkPen("#9e9e9e", width=1, style=Qt.PenStyle.DashLine),
                label=f"{value:g}",
                labelOpts={"position": 0.01, "color": "#616161", "anchors": [(0, 1), (0, 1)]},
            )
            line.setZValue(-10)
            self.counts_plot.addItem(line)
        if self._log:
            ticks = [1, 2, 5, 10, 20, 30, 50, 100, 200, 500, 1000]
            self.counts_plot.getAxis("left").setTicks(
                [[(math.log10(t), f"{t}") for t in ticks if t <= top * 2]]
            )
        else:
            self.counts_plot.getAxis("left").setTicks(None)

    def _draw_counts(self, patient: Patient) -> None:
        counts = sorted(patient.platelet_counts, key=lambda c: c.date)
        self._counts_x = np.array([epoch(c.date) for c in counts], dtype=float)
        raw = np.array([c.value_e9 for c in counts], dtype=float)
        self._counts_y = raw
        shown = np.array([self._y(v) for v in raw], dtype=float)
        tips = [f"{c.date.isoformat()}: {fmt_count(c.value_e9)}" for c in counts]
        self.counts_plot.plot(
            self._counts_x,
            shown,
            pen=pg.mkPen("#37474f", width=1.5),
            # Years of daily counts are drawn at screen resolution, keeping the peaks (a nadir
            # must never be smoothed away).
            autoDownsample=True,
            downsampleMethod="peak",
            skipFiniteCheck=True,
            antialias=len(counts) <= ANTIALIAS_MAX_POINTS,
        )
        scatter = pg.ScatterPlotItem(
            x=self._counts_x,
            y=shown,
            data=tips,
            size=6,
            brush=pg.mkBrush("#263238"),
            pen=pg.mkPen("w", width=0.5),
            hoverable=True,
            tip=lambda x, y, data: str(data),
        )
        self.counts_plot.addItem(scatter)
        top = max(float(raw.max()) if raw.size else 0.0, 150.0)
        if self._log:
            self.counts_plot.setYRange(0.0, math.log10(top * 1.3), padding=0)
        else:
            self.counts_plot.setYRange(0.0, top * 1.1, padding=0)

    def _draw_lanes(self, patient: Patient, today: dt.date) -> None:
        self._bars = []
        bars = course_bars(patient, self._labels, today)
        lanes: dict[int, str] = {}
        peak: dict[tuple[int, str], float] = {}
        for bar in bars:
            lanes.setdefault(bar.lane, bar.agent_label)
            # Shade relative to the course's highest dose in the same unit: titration shows.
            peak[(bar.lane, bar.unit)] = max(peak.get((bar.lane, bar.unit), 0.0), bar.amount)
        for bar in bars:
            colour = QColor(LANE_COLOURS[bar.lane % len(LANE_COLOURS)])
            top = peak.get((bar.lane, bar.unit), 0.0)
            strength = bar.amount / top if top else 1.0
            colour.setAlphaF(0.35 + 0.6 * min(max(strength, 0.0), 1.0))
            x0 = epoch(bar.start) - DAY / 2
            x1 = max(epoch(bar.end) + DAY / 2, x0 + DAY)
            rect = QRectF(x0, bar.lane - LANE_HEIGHT / 2, x1 - x0, LANE_HEIGHT)
            item = QGraphicsRectItem(rect)
            item.setBrush(
                QBrush(
                    colour,
                    Qt.BrushStyle.BDiagPattern if bar.planned else Qt.BrushStyle.SolidPattern,
                )
            )
            item.setPen(
                QPen(QColor("white"), 0) if not bar.first_step else QPen(colour.darker(), 0)
            )
            item.setToolTip(self.bar_text(bar))
            self.lanes_plot.addItem(item)
            self._bars.append((rect, bar))
        count = max(len(lanes), 1)
        self.lanes_plot.getAxis("left").setTicks(
            [[(float(lane), name) for lane, name in sorted(lanes.items())]]
        )
        self.lanes_plot.setYRange(-0.6, count - 0.4, padding=0)
        # Each lane keeps a readable height however many courses a patient had.
        self.lanes_plot.setMinimumHeight(min(60 + 22 * count, 420))

    def _draw_markers(self, patient: Patient, today: dt.date) -> None:
        groups: dict[str, list[tuple[float, float, str, bool]]] = {key: [] for key in MARKERS}
        for event in timeline_events(patient, self._labels, today):
            if event.kind == "bleeding":
                key = "bleeding"
            elif event.kind == "vaccine":
                key = "vaccine"
            elif event.kind == "procedure":
                key = "splenectomy" if event.label.startswith("Splenectomy") else "procedure"
            else:
                continue
            text = f"{event.date.isoformat()}: {event.label}"
            hollow = event.planned or event.no_bleeding
            groups[key].append((epoch(event.date), MARKER_ROWS[key], text, hollow))
        for key, points in groups.items():
            if not points:
                continue
            symbol, colour, _name = MARKERS[key]
            brushes = [pg.mkBrush("w") if hollow else pg.mkBrush(colour) for *_r, hollow in points]
            scatter = pg.ScatterPlotItem(
                x=[p[0] for p in points],
                y=[p[1] for p in points],
                data=[p[2] for p in points],
                symbol=symbol,
                size=13,
                brush=brushes,
                pen=pg.mkPen(colour, width=1.5),
                hoverable=True,
                tip=lambda x, y, data: str(data),
            )
            self.events_plot.addItem(scatter)

    def _compute_span(self, patient: Patient, today: dt.date) -> tuple[float, float]:
        dates = [c.date for c in patient.platelet_counts]
        dates += [c.start_date for c in patient.courses]
        dates += [c.stop_date for c in patient.courses if c.stop_date]
        dates += [b.date for b in patient.bleeding] + [v.date for v in patient.immunizations]
        dates += [p.date for p in patient.procedures]
        if not dates:
            return epoch(today) - 90 * DAY, epoch(today) + 10 * DAY
        return epoch(min(dates)) - 7 * DAY, max(epoch(max(dates)), epoch(today)) + 10 * DAY

    # ------------------------------------------------------------------ slots
    def _on_scene_mouse_moved(self, position: QPointF) -> None:
        box = self.lanes_plot.getViewBox()
        if not box.sceneBoundingRect().contains(position):
            self.hovered.emit("")
            return
        point = box.mapSceneToView(position)
        bar = self.bar_at(point.x(), point.y())
        self.hovered.emit(self.bar_text(bar) if bar is not None else "")


def visible_counts(chart: TimelineChart) -> Sequence[float]:
    """Count values inside the visible date range (tests and the status line)."""
    x0, x1 = chart.x_range()
    mask = (chart._counts_x >= x0) & (chart._counts_x <= x1)
    return [float(v) for v in chart._counts_y[mask]]

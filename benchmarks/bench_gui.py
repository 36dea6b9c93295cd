"""Desktop-application measurements (issue 5): start-up, search latency, chart, memory.

Usage (stores built once with ``itp-desktop --data-dir D demo --patients N``):

    .venv/bin/python benchmarks/bench_gui.py startup  --data-dir /tmp/bench10k  [--runs 5]
    .venv/bin/python benchmarks/bench_gui.py search   --data-dir /tmp/bench100k
    .venv/bin/python benchmarks/bench_gui.py chart    --data-dir /tmp/bench-chart
    .venv/bin/python benchmarks/bench_gui.py memory   --data-dir /tmp/bench100k

``startup`` spawns the real program (``python -m itp_desktop --data-dir D``) and reports the
wall time from spawning the process to the first event-loop turn after the main window is
shown (the window is interactive then). ``search`` types queries into the registry search of a
real main window and times key press → filtered list painted, with and without the search
debounce. ``chart`` adds a patient with 2,000 counts and 40 courses (once) and times opening
that patient with the timeline chart drawn. ``memory`` reports the peak resident set
(ru_maxrss) with the 100,000-patient store open, searched and scrolled. Runs offscreen unless
``DISPLAY`` is set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

CHART_PATIENT = "bench-chart-2000-40"


def _window(data_dir: Path):  # type: ignore[no-untyped-def]
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from itp_desktop.core.clock import SystemClock
    from itp_desktop.gui.events import AppEvents
    from itp_desktop.gui.fonts import ensure_glyphs, register_fonts
    from itp_desktop.gui.main_window import MainWindow
    from itp_desktop.gui.tasks import SyncTaskRunner
    from itp_desktop.paths import AppPaths
    from itp_desktop.services.container import build_services
    from itp_desktop.services.desktop import build_desktop_services
    from itp_desktop.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    register_fonts()
    ensure_glyphs(app)  # type: ignore[arg-type]
    paths = AppPaths.from_base(data_dir)
    services = build_desktop_services(build_services(paths, Settings(), SystemClock()))
    window = MainWindow(
        services, events=AppEvents(), tasks=SyncTaskRunner(), state_dir=paths.config_dir
    )
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    return app, window, services


def bench_startup(data_dir: Path, runs: int) -> None:
    child = textwrap.dedent(
        f"""
        import sys, time
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from itp_desktop.gui import main_window
        shown = main_window.MainWindow.show
        def show(self):
            shown(self)
            def ready():
                print(f"READY {{time.time()}}", flush=True)
                QApplication.quit()
            QTimer.singleShot(0, ready)
        main_window.MainWindow.show = show
        from itp_desktop.app import main
        sys.exit(main(["--data-dir", {str(data_dir)!r}]))
        """
    )
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    times = []
    for _ in range(runs):
        start = time.time()
        result = subprocess.run(
            [sys.executable, "-c", child], capture_output=True, text=True, check=False, env=env
        )
        ready = [line for line in result.stdout.splitlines() if line.startswith("READY")]
        if result.returncode != 0 or not ready:
            raise SystemExit(f"start-up failed: {result.stderr[-2000:]}")
        times.append(float(ready[0].split()[1]) - start)
    print(f"startup runs (s): {', '.join(f'{t:.2f}' for t in times)}")
    print(f"startup median: {statistics.median(times):.2f} s  ({data_dir})")


def bench_search(data_dir: Path) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from itp_desktop.gui.views.registry_view import SEARCH_DELAY_MS

    app, window, services = _window(data_dir)
    registry = window.registry
    total = services.patients.count()
    samples = []
    for query in ("s", "sm", "smi", "smit", "mo", "mor", "19", "197", "1975", "1975-0"):
        registry.search_edit.setText(query[:-1])
        registry._timer.stop()
        start = time.perf_counter()
        event = QKeyEvent(
            QEvent.Type.KeyPress, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, query[-1]
        )
        QApplication.sendEvent(registry.search_edit, event)
        # The debounce timer is the deliberate part of the wait; fire it now to time the work.
        registry._timer.stop()
        registry.refresh()
        registry.table.viewport().repaint()
        app.processEvents()
        samples.append((query, time.perf_counter() - start, registry.model.rowCount()))
    for query, seconds, rows in samples:
        print(f"  {query!r:10} {seconds * 1000:7.1f} ms  ({rows} rows on the first page)")
    work = [s for _, s, _ in samples]
    from_key = statistics.median(work) * 1000 + SEARCH_DELAY_MS
    print(
        f"search at {total:,} patients: median {statistics.median(work) * 1000:.1f} ms, "
        f"max {max(work) * 1000:.1f} ms after the {SEARCH_DELAY_MS} ms debounce "
        f"(key press to painted list: median {from_key:.0f} ms)"
    )
    registry.search_edit.setText("")
    registry.refresh()
    app.processEvents()
    start = time.perf_counter()
    ids = [registry.model.row_object(r).id for r in range(min(40, registry.model.rowCount()))]
    for patient_id in ids:
        services.overview.overview(patient_id)
    print(
        f"registry summaries of {len(ids)} visible rows (background task): "
        f"{(time.perf_counter() - start) * 1000:.0f} ms"
    )
    window.close()


def _chart_patient(services: object) -> None:
    from itp_desktop.core.codes import AgentCode, DoseUnit, Frequency, StopReason
    from itp_desktop.core.errors import NotFound

    patients = services.patients  # type: ignore[attr-defined]
    try:
        patients.get(CHART_PATIENT)
        return
    except NotFound:
        pass
    today = services.today()  # type: ignore[attr-defined]
    start = today - dt.timedelta(days=2000)
    counts = [
        {"date": (start + dt.timedelta(days=i)).isoformat(), "value": 5 + (i * 37) % 180}
        for i in range(2000)
    ]
    agents = [
        (AgentCode.romiplostim, DoseUnit.mcg_per_kg, Frequency.weekly, 1.0),
        (AgentCode.eltrombopag, DoseUnit.mg, Frequency.daily, 25.0),
        (AgentCode.prednisone, DoseUnit.mg, Frequency.daily, 20.0),
        (AgentCode.fostamatinib, DoseUnit.mg, Frequency.twice_daily, 100.0),
    ]
    courses = []
    for index in range(40):
        agent, unit, frequency, amount = agents[index % len(agents)]
        begin = start + dt.timedelta(days=index * 48)
        steps = [
            {
                "effective_date": (begin + dt.timedelta(days=7 * k)).isoformat(),
                "amount": amount * (k + 1),
                "unit": unit.value,
                "frequency": frequency.value,
            }
            for k in range(3)
        ]
        courses.append(
            {
                "id": f"c{index}",
                "agent": agent.value,
                "start_date": begin.isoformat(),
                "stop_date": (begin + dt.timedelta(days=40)).isoformat(),
                "stop_reason": StopReason.no_response.value,
                "dose_steps": steps,
            }
        )
    patients.create(
        {
            "id": CHART_PATIENT,
            "mrn": "BENCH-CHART",
            "family_name": "Chart",
            "given_name": "Benchmark",
            "birth_date": "1960-01-01",
            "weight_kg": 70,
            "diagnosis": {"date": start.isoformat()},
            "platelet_counts": counts,
            "courses": courses,
        }
    )


def bench_chart(data_dir: Path) -> None:
    app, window, services = _window(data_dir)
    _chart_patient(services)
    times = []
    for _ in range(5):
        window.chart.close_patient()
        start = time.perf_counter()
        window.open_patient(CHART_PATIENT)
        window.chart.timeline.ensure_chart()
        window.repaint()
        app.processEvents()
        times.append(time.perf_counter() - start)
    chart = window.chart.timeline.chart
    assert chart is not None
    print(f"chart open runs (ms): {', '.join(f'{t * 1000:.0f}' for t in times)}")
    print(
        f"open patient with {chart.drawn_counts} counts and "
        f"{len(window.chart.patient.courses)} courses, chart drawn: "  # type: ignore[union-attr]
        f"first {times[0] * 1000:.0f} ms (imports pyqtgraph), median of the rest "
        f"{statistics.median(times[1:]) * 1000:.0f} ms"
    )
    window.close()


def bench_memory(data_dir: Path) -> None:
    app, window, services = _window(data_dir)
    registry = window.registry
    for query in ("", "smi", ""):
        registry.search_edit.setText(query)
        registry.refresh()
        app.processEvents()
    for _ in range(10):  # scroll: the lazy model fetches more pages
        registry.table.verticalScrollBar().setValue(registry.table.verticalScrollBar().maximum())
        app.processEvents()
    first = registry.model.row_object(0).id
    window.open_patient(first)
    app.processEvents()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak memory with {services.patients.count():,} patients open "
        f"({registry.model.rowCount():,} registry rows loaded, one chart open): {peak_mib:.0f} MiB"
    )
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("startup", "search", "chart", "memory"))
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.what == "startup":
        bench_startup(args.data_dir, args.runs)
    elif args.what == "search":
        bench_search(args.data_dir)
    elif args.what == "chart":
        bench_chart(args.data_dir)
    else:
        bench_memory(args.data_dir)
    sys.stdout.flush()
    # Skip interpreter finalisation: tearing down Qt and pyqtgraph objects in arbitrary order at
    # exit can crash after the numbers are printed (the application itself quits through
    # QApplication.exec and exits cleanly; see tests/gui/test_main_window_smoke.py).
    os._exit(0)


if __name__ == "__main__":
    main()

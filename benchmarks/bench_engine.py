"""Engine speed: median and p95 of `assess()` for a typical and a heavy patient.

Targets (issue "Knowledge packs and the decision engine"): a typical patient (≤ 200 counts,
≤ 15 courses) median ≤ 2 ms; a heavy patient (2,000 counts, 40 courses) median ≤ 20 ms.
Both patients are built here, deterministically (random.Random with fixed seeds).

Run: ``.venv/bin/python benchmarks/bench_engine.py [--runs N] [--profile]``
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import random
import statistics
import time

from itp_desktop.core.models.patient import (
    BleedingAssessment,
    Diagnosis,
    DoseStep,
    Immunization,
    Patient,
    PlateletCount,
    Procedure,
    RiskFactors,
    TherapyCourse,
    WorkupResult,
)
from itp_desktop.engine import assess
from itp_desktop.knowledge.loader import load_default_pack

AS_OF = dt.date(2026, 11, 22)

# Agent, unit, frequency, typical amount, days per course (a plausible rotation).
REGIMENS = [
    ("prednisone", "mg", "daily", 60.0, 28),
    ("dexamethasone", "mg", "daily", 40.0, 4),
    ("ivig", "g/kg", "once", 1.0, 1),
    ("romiplostim", "mcg/kg", "weekly", 3.0, 70),
    ("eltrombopag", "mg", "daily", 50.0, 90),
    ("avatrombopag", "mg", "daily", 20.0, 90),
    ("fostamatinib", "mg", "twice_daily", 100.0, 90),
    ("rituximab", "mg/m2", "once", 375.0, 22),
    ("mycophenolate", "g", "twice_daily", 0.75, 90),
    ("ciclosporin", "mg/kg", "twice_daily", 1.5, 90),
]


def _course(rng: random.Random, index: int, start: dt.date) -> TherapyCourse:
    agent, unit, frequency, amount, days = REGIMENS[index % len(REGIMENS)]
    stop = start + dt.timedelta(days=days - 1)
    if agent == "rituximab":
        steps = [
            DoseStep(
                effective_date=start + dt.timedelta(days=7 * k),
                amount=amount,
                unit=unit,
                frequency=frequency,
            )
            for k in range(4)
        ]
    elif frequency in ("once",):
        steps = [DoseStep(effective_date=start, amount=amount, unit=unit, frequency=frequency)]
    else:
        # Titration: a step every 14 days while the course lasts (up to 6 steps).
        steps = [
            DoseStep(
                effective_date=start + dt.timedelta(days=14 * k),
                amount=round(amount * (1 + 0.25 * k), 2),
                unit=unit,
                frequency=frequency,
            )
            for k in range(min(6, max(1, days // 14)))
        ]
    return TherapyCourse(
        id=f"c{index}",
        agent=agent,
        start_date=start,
        stop_date=stop if stop <= AS_OF else None,
        stop_reason=rng.choice(["no_response", "completed", "intolerance"])
        if stop <= AS_OF
        else None,
        dose_steps=steps,
    )


def build_patient(n_counts: int, n_courses: int, seed: int) -> Patient:
    """A plausible patient with `n_counts` counts and `n_courses` courses ending near AS_OF."""
    rng = random.Random(seed)
    span_days = max(n_courses * 60, n_counts * 2)
    first = AS_OF - dt.timedelta(days=span_days)
    counts = [
        PlateletCount(
            id=f"p{i}",
            date=first + dt.timedelta(days=int(i * span_days / n_counts)),
            value=round(max(1.0, rng.lognormvariate(3.3, 0.8)), 0),
        )
        for i in range(n_counts)
    ]
    courses = []
    start = first
    for i in range(n_courses):
        course = _course(rng, i, start)
        courses.append(course)
        start = (course.stop_date or AS_OF) + dt.timedelta(days=rng.randint(3, 20))
        if start > AS_OF:
            start = AS_OF - dt.timedelta(days=rng.randint(1, 30))
    return Patient(
        id=f"bench-{seed}",
        mrn=f"BENCH-{seed}",
        family_name="Benchmark",
        birth_date=dt.date(1968, 4, 2),
        weight_kg=72.0,
        height_cm=171.0,
        haemoglobin_g_dl=12.5,
        diagnosis=Diagnosis(date=first.isoformat()),
        risk_factors=RiskFactors(prior_thrombosis=True, hypertension=True),
        workup=[WorkupResult(test="hiv", result="negative", date=first)],
        platelet_counts=counts,
        courses=courses,
        bleeding=[
            BleedingAssessment(date=AS_OF - dt.timedelta(days=d), who_grade=rng.randint(0, 3))
            for d in (200, 90, 30, 3)
        ],
        immunizations=[Immunization(vaccine="pneumococcal_conjugate", date=first)],
        procedures=[Procedure(kind="dental_extraction", date=AS_OF + dt.timedelta(days=9))],
    )


def measure(patient: Patient, runs: int) -> tuple[float, float]:
    """Median and p95 wall time of `assess` in milliseconds."""
    pack = load_default_pack()
    assess(patient, pack, AS_OF)  # warm caches (pack properties, imports)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        assess(patient, pack, AS_OF)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--profile", action="store_true", help="profile the heavy patient")
    args = parser.parse_args()
    cases = [
        ("typical (200 counts, 15 courses)", build_patient(200, 15, seed=1), 2.0),
        ("heavy (2000 counts, 40 courses)", build_patient(2000, 40, seed=2), 20.0),
    ]
    for name, patient, target in cases:
        median, p95 = measure(patient, args.runs)
        verdict = "OK" if median <= target else "SLOW"
        print(
            f"{name:34s} median {median:7.3f} ms  p95 {p95:7.3f} ms  target {target} ms  {verdict}"
        )
    if args.profile:
        pack = load_default_pack()
        heavy = cases[1][1]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(50):
            assess(heavy, pack, AS_OF)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()

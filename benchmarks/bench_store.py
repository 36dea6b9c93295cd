"""Store benchmark: build a large synthetic store, then time search and loading.

Usage::

    .venv/bin/python benchmarks/bench_store.py --patients 100000 --out /tmp/bench

Measures the time to generate and save N synthetic patients (in `save_many` batches, one
transaction each), the store's size on disk, search latency (median and p95 over varied
queries: name fragments with and without accents, MRN prefixes, birth dates in three formats;
limit 100 like the GUI), and the time to load one patient with 2,000 counts and 40 courses.
Prints a table and writes ``bench_store.json`` to the output folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from itp_desktop.core.clock import FixedClock
from itp_desktop.demo.synthetic import (
    FAMILY_NAMES,
    GIVEN_FEMALE,
    GIVEN_MALE,
    generate_patients,
    make_heavy_patient,
)
from itp_desktop.storage.derived import fold_text
from itp_desktop.storage.sqlite_store import SqliteStore

TODAY = dt.date(2026, 11, 22)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def build(store: SqliteStore, n: int, seed: int, batch: int) -> dict[str, float]:
    generated = saved = 0.0
    source = generate_patients(n, seed=seed, today=TODAY)
    done = 0
    while True:
        start = time.perf_counter()
        chunk = list(itertools.islice(source, batch))
        generated += time.perf_counter() - start
        if not chunk:
            break
        start = time.perf_counter()
        store.save_many(chunk)
        saved += time.perf_counter() - start
        done += len(chunk)
        print(f"\r  saved {done:,}/{n:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return {"generate_s": generated, "save_s": saved, "build_s": generated + saved}


def queries(store: SqliteStore, seed: int, n: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    names = list(FAMILY_NAMES) + list(GIVEN_FEMALE) + list(GIVEN_MALE)
    fragments: list[str] = []
    while len(fragments) < 200:
        name = rng.choice(names)
        plain = fold_text(name)
        form = rng.random()
        if form < 0.3:
            fragments.append(name)  # whole name with its accents
        elif form < 0.6:
            fragments.append(plain.capitalize())  # typed without accents
        elif len(plain) >= 4:
            start = rng.randint(0, len(plain) - 3)
            fragments.append(plain[start : start + rng.randint(3, min(6, len(plain) - start))])
        else:
            fragments.append(plain[:2])  # short prefix
    fragments += [f"{rng.choice(FAMILY_NAMES)} {rng.choice(GIVEN_FEMALE)}" for _ in range(20)]
    mrns = [f"SYN{seed}-{rng.randint(1, n):07d}"[: rng.randint(8, 12)] for _ in range(200)]
    births = [
        s.birth_date for s in store.search("", limit=500, offset=rng.randint(0, max(n - 500, 0)))
    ]
    dates = []
    for day in rng.sample(births, min(200, len(births))):
        style = rng.randint(0, 2)
        if style == 0:
            dates.append(day.isoformat())
        elif style == 1:
            dates.append(day.strftime("%d/%m/%Y"))
        else:
            dates.append(day.strftime("%d.%m.%Y"))
    return {"name fragment": fragments, "MRN prefix": mrns, "birth date": dates}


def time_search(store: SqliteStore, batch: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    results = {}
    for kind, items in batch.items():
        timings, hits = [], []
        for query in items:
            start = time.perf_counter()
            rows = store.search(query, limit=100)
            timings.append((time.perf_counter() - start) * 1000)
            hits.append(len(rows))
        count_timings = []
        for query in items[:50]:
            start = time.perf_counter()
            store.count(query)
            count_timings.append((time.perf_counter() - start) * 1000)
        results[kind] = {
            "queries": len(items),
            "median_ms": statistics.median(timings),
            "p95_ms": percentile(timings, 0.95),
            "max_ms": max(timings),
            "mean_hits": statistics.mean(hits),
            "count_median_ms": statistics.median(count_timings),
        }
    return results


def time_heavy(store: SqliteStore, runs: int) -> dict[str, float]:
    heavy = make_heavy_patient(TODAY, counts=2000, courses=40)
    start = time.perf_counter()
    saved = store.save(heavy, action="create")
    save_ms = (time.perf_counter() - start) * 1000
    edited = saved.model_copy(
        update={
            "platelet_counts": [
                *saved.platelet_counts[:-1],
                saved.platelet_counts[-1].model_copy(update={"value": 99.0}),
            ]
        }
    )
    start = time.perf_counter()
    store.save(edited)
    edit_ms = (time.perf_counter() - start) * 1000
    loads = []
    for _ in range(runs):
        start = time.perf_counter()
        loaded = store.get(saved.id or "")
        loads.append((time.perf_counter() - start) * 1000)
    assert len(loaded.platelet_counts) == 2000
    assert len(loaded.courses) == 40
    return {
        "load_median_ms": statistics.median(loads),
        "load_p95_ms": percentile(loads, 0.95),
        "save_new_ms": save_ms,
        "save_one_edit_ms": edit_ms,
    }


def size_on_disk(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=15, help="loads of the heavy patient")
    parser.add_argument("--no-fts", action="store_true", help="measure the fallback search")
    args = parser.parse_args(argv)

    folder = args.out / "store"
    shutil.rmtree(folder, ignore_errors=True)
    clock = FixedClock(dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC))
    store = SqliteStore(folder / "bench.sqlite3", clock=clock, daily_backup=False)
    if args.no_fts:
        store._use_fts = False
    report: dict[str, Any] = {"patients": args.patients, "fts": store.uses_fts}
    report.update(build(store, args.patients, args.seed, args.batch))
    report["search"] = time_search(store, queries(store, args.seed, args.patients))
    report["heavy_patient"] = time_heavy(store, args.runs)
    store.close()
    report["store_bytes"] = size_on_disk(folder / "bench.sqlite3")
    start = time.perf_counter()
    reopened = SqliteStore(folder / "bench.sqlite3", clock=clock, daily_backup=False)
    report["reopen_s"] = time.perf_counter() - start
    start = time.perf_counter()
    info = reopened.backup()
    report["backup_s"] = time.perf_counter() - start
    report["backup_bytes"] = info.size_bytes
    start = time.perf_counter()
    verified = reopened.verify()
    report["verify_s"] = time.perf_counter() - start
    report["verify_ok"] = verified.ok
    reopened.close()

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench_store.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"patients            {args.patients:,}  (FTS trigram: {report['fts']})")
    print(f"build               {report['build_s']:.1f} s  (generate {report['generate_s']:.1f} s,"
          f" save {report['save_s']:.1f} s)")  # fmt: skip
    print(f"store size          {report['store_bytes'] / 1e6:.1f} MB")
    for kind, row in report["search"].items():
        print(f"search {kind:<13}median {row['median_ms']:.2f} ms  p95 {row['p95_ms']:.2f} ms"
              f"  max {row['max_ms']:.1f} ms  hits {row['mean_hits']:.1f}"
              f"  count median {row['count_median_ms']:.2f} ms")  # fmt: skip
    heavy = report["heavy_patient"]
    print(
        f"heavy patient load  median {heavy['load_median_ms']:.1f} ms (save new "
        f"{heavy['save_new_ms']:.0f} ms, one edit {heavy['save_one_edit_ms']:.0f} ms)"
    )
    print(f"reopen {report['reopen_s']:.2f} s, backup {report['backup_s']:.1f} s,"
          f" verify {report['verify_s']:.1f} s (ok={report['verify_ok']})")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark the customer store on a mall-sized upload and print a Markdown table.

    python bench/bench_storage.py            # 900k customers, 3 saves, 2000 lookups
    python bench/bench_storage.py --quick    # 100k customers, 1 save, 300 lookups

Targets (2 cores): saving 900k customers with their run and assignments < 3 s; a customer
lookup < 1 ms median; opening a store and applying migrations < 100 ms.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from storage import CustomerStore, NewDataset, NewRun

CHAT = 1


def customers_frame(n: int, seed: int) -> pd.DataFrame:
    """Customers as ingestion hands them over: text ids, gender text, three floats."""
    try:
        from segmentation.sample import sample_frame
    except ImportError:  # the sample module is optional for this benchmark
        rng = np.random.default_rng(seed)
        raw = pd.DataFrame(
            {
                "CustomerID": [str(i) for i in range(1, n + 1)],
                "Gender": rng.choice(["Female", "Male"], n),
                "Age": rng.integers(18, 71, n),
                "Annual Income (k$)": rng.integers(15, 141, n),
                "Spending Score (1-100)": rng.integers(1, 100, n),
            }
        )
    else:
        raw = sample_frame(n, seed)
    ids = raw["CustomerID"].str.lstrip("0")
    return pd.DataFrame(
        {
            "gender": raw["Gender"].astype("str").to_numpy(),
            "age": raw["Age"].to_numpy(dtype=float),
            "income": raw["Annual Income (k$)"].to_numpy(dtype=float),
            "score": raw["Spending Score (1-100)"].to_numpy(dtype=float),
        },
        index=pd.Index(ids.to_numpy(), dtype="str", name="customer_id"),
    )


def new_run(customers: pd.DataFrame, seed: int, k: int = 5) -> NewRun:
    """A run with plausible segments and one assignment per customer."""
    rng = np.random.default_rng(seed)
    n = len(customers)
    segment = rng.integers(1, k + 1, n)
    assignments = pd.DataFrame(
        {
            "segment": segment,
            "distance": rng.random(n) * 2,
            "runner_up": (segment % k) + 1,
        },
        index=customers.index,
    )
    segments = [
        {
            "number": number,
            "size": int((segment == number).sum()),
            "persona": {"name": f"Group {number}", "description": "d", "action": "a"},
            "centroid": {"income": 50.0 + number, "score": 50.0 - number},
            "distance_quantiles": list(np.linspace(0, 3, 101)),
        }
        for number in range(1, k + 1)
    ]
    summary = {"features": ["income", "score"], "population": {"income": list(range(101))}}
    return NewRun(
        options={"k": None},
        k=k,
        summary=summary,
        segments=segments,
        assignments=assignments,
        plots={"scatter": bytes(200_000)},
    )


def new_dataset(customers: pd.DataFrame, tag: str) -> NewDataset:
    """An upload record around the customers."""
    return NewDataset(
        filename="mall.csv",
        size_bytes=len(customers) * 22,
        sha256=hashlib.sha256(tag.encode()).hexdigest(),
        uploaded_by=7,
        receipt={"rows_read": len(customers)},
        customers=customers,
    )


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def opening(path: Path) -> float:
    """Seconds to open a store (creating and migrating the file if new); closing not counted."""
    start = time.perf_counter()
    store = CustomerStore(path)
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile."""
    return float(np.percentile(values, q))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100k customers, fewer repeats")
    parser.add_argument("--rows", type=int, help="customers per upload")
    args = parser.parse_args(argv)
    n = args.rows or (100_000 if args.quick else 900_000)
    saves = 1 if args.quick else 3
    lookups = 300 if args.quick else 2000

    customers = customers_frame(n, seed=7)
    run = new_run(customers, seed=1)
    results: list[tuple[str, str, str]] = []

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        open_times = [opening(folder / f"open{i}.db") for i in range(20)]
        reopen = [opening(folder / "open0.db") for _ in range(20)]
        results.append(("open a new file + migrations", f"{_ms(open_times)}", "< 100 ms"))
        results.append(("reopen a migrated file", f"{_ms(reopen)}", "< 100 ms"))

        save_times = []
        for i in range(saves):
            with CustomerStore(folder / f"save{i}.db") as store:
                dataset = new_dataset(customers, f"save{i}")
                save_times.append(timed(lambda s=store, d=dataset: s.save_upload(CHAT, d, run)))
        results.append(
            (f"save_upload: {n:,} customers + run + assignments", _s(save_times), "< 3 s")
        )

        store = CustomerStore(folder / "save0.db")
        dataset_id = store.active_dataset(CHAT).id  # type: ignore[union-attr]
        run_b = new_run(customers, seed=2)
        add_time = timed(lambda: store.add_run(CHAT, dataset_id, run_b))
        results.append((f"add_run: {n:,} assignments", _s([add_time]), ""))

        rng = np.random.default_rng(3)
        ids = customers.index.to_numpy()[rng.integers(0, n, lookups)].tolist()
        lookup_times = [timed(lambda c=c: store.find_customer(CHAT, c)) for c in ids]
        results.append(
            (
                f"find_customer, median of {lookups}",
                _ms(lookup_times, 3),
                "< 1 ms",
            )
        )
        results.append(
            (f"find_customer, p95 of {lookups}", f"{percentile(lookup_times, 95) * 1e3:.3f} ms", "")
        )
        unknown = [f"{int(c) + n}" if i % 2 else f"C{c}" for i, c in enumerate(ids[:200])]
        similar_times = [timed(lambda c=c: store.similar_ids(CHAT, c)) for c in unknown]
        results.append(("similar_ids for an unknown id, median", _ms(similar_times, 3), ""))
        results.append(
            ("customers(): whole frame back", _s([timed(lambda: store.customers(CHAT, 1))]), "")
        )
        active = store.active_run(CHAT)
        assert active is not None
        results.append(
            (
                "assignments(): whole run back",
                _s([timed(lambda: store.assignments(CHAT, active.id))]),
                "",
            )
        )
        store.close()
        size = sum(p.stat().st_size for p in folder.glob("save0.db*"))

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Storage benchmark: {n:,} customers, {saves} save(s), {lookups} lookups")
    print(f"(medians of one run; {os.cpu_count()} CPUs, load average {load};")
    print(f" SQLite {sqlite3.sqlite_version}; file with two runs {size / 1e6:.0f} MB)\n")
    print("| step | time | target |")
    print("|---|---:|---|")
    for step, figure, target in results:
        print(f"| {step} | {figure} | {target} |")
    return 0


def _ms(values: list[float], digits: int = 1) -> str:
    """Median in milliseconds."""
    return f"{statistics.median(values) * 1e3:.{digits}f} ms"


def _s(values: list[float]) -> str:
    """Median in seconds."""
    return f"{statistics.median(values):.2f} s"


if __name__ == "__main__":
    raise SystemExit(main())

"""How fast the store is where the learner would feel it.

Prints: the cost of committing one answered step (p50, p95; target p95 < 5 ms),
and the time to open a store holding 10 000 answered steps and compute
progress_summary (what `derivtutor list` does at start-up).

    python bench/bench_store.py [--steps 10000] [--records 500]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from derivtutor.progress.store import Store


def answered(i: int, lesson: str) -> dict:
    return {"lesson": lesson, "step": f"step{i % 40}", "kind": "number", "correct": i % 3 != 0,
            "attempts": 1 + i % 2, "hints": i % 4 == 0, "revealed": False, "seconds": 12.5,
            "answer": "3w^2", "lang": "en"}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def bench_record(home: Path, n: int) -> list[float]:
    """Milliseconds per record(): one BEGIN IMMEDIATE ... COMMIT each, review card included."""
    times = []
    with Store.open(home) as store:
        store.record(answered(0, "warm-up"))  # the first call loads the FSRS scheduler
        for i in range(n):
            start = time.perf_counter()
            store.record(answered(i, f"lesson{i % 6}"))
            times.append((time.perf_counter() - start) * 1000)
    return times


def fill(home: Path, steps: int) -> None:
    with Store.open(home) as store:
        for i in range(steps):
            store.record(answered(i, f"lesson{i % 8}"))
        for k in range(8):
            store.save_state(f"lesson{k}", {"pos": 5}, 6, 18)


def bench_open(home: Path, repeats: int = 7) -> tuple[list[float], list[float]]:
    """Milliseconds to open the store, and to compute progress_summary on it."""
    opening, summary = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        store = Store.open(home)
        middle = time.perf_counter()
        store.progress_summary()
        end = time.perf_counter()
        store.close()
        opening.append((middle - start) * 1000)
        summary.append((end - middle) * 1000)
    return opening, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000, help="answered steps in the big store")
    parser.add_argument("--records", type=int, default=500, help="record() calls to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        times = bench_record(Path(tmp) / "record", args.records)
        p50, p95 = statistics.median(times), percentile(times, 95)
        verdict = "ok" if p95 < 5 else "OVER TARGET"
        print(f"record one answered step: p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {max(times):.2f} ms "
              f"over {len(times)} (target p95 < 5 ms: {verdict})")

        big = Path(tmp) / "big"
        start = time.perf_counter()
        fill(big, args.steps)
        print(f"filled a store with {args.steps} answered steps in {time.perf_counter() - start:.1f} s "
              f"({(big / 'progress.sqlite3').stat().st_size / 1e6:.1f} MB)")
        opening, summary = bench_open(big)
        print(f"open that store: median {statistics.median(opening):.2f} ms (quick_check and migrations included); "
              f"progress_summary: median {statistics.median(summary):.2f} ms; "
              f"together {statistics.median([a + b for a, b in zip(opening, summary)]):.2f} ms")


if __name__ == "__main__":
    main()

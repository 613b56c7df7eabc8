"""Time derive + render over the step corpus and print p50/p95 (free play needs p95 < 50 ms).

Run from the repository root:  python bench/bench_steps.py [--repeat N] [--lang en|zh]
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from pathlib import Path

from sympy.core.cache import clear_cache

from derivtutor.algebra.steps import derive
from derivtutor.algebra.steps_text import render

TARGET_P95_MS = 50.0


def load_corpus():
    """The corpus lives with its test, so the bench measures exactly what is checked."""
    path = Path(__file__).resolve().parent.parent / "tests" / "test_steps_corpus.py"
    spec = importlib.util.spec_from_file_location("steps_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ALL


def percentile(sorted_values, q):
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args(argv)

    corpus = load_corpus()
    render(derive(corpus[0][0], corpus[0][1]), args.lang)  # warm imports once
    # "cold" empties SymPy's cache before each expression: what a learner's new input costs.
    for label, cold in (("cold", True), ("warm", False)):
        times_ms, slowest = [], []
        for _ in range(args.repeat):
            for expr, wrt in corpus:
                if cold:
                    clear_cache()
                start = time.perf_counter()
                render(derive(expr, wrt), args.lang)
                elapsed = (time.perf_counter() - start) * 1000
                times_ms.append(elapsed)
                slowest.append((elapsed, expr, wrt))
        times_ms.sort()
        p50, p95 = percentile(times_ms, 0.50), percentile(times_ms, 0.95)
        verdict = "ok" if p95 < TARGET_P95_MS else "MISSED"
        print(f"derive+render ({args.lang}, {label} cache) over {len(corpus)} expressions x {args.repeat}:")
        print(f"  p50 {p50:.2f} ms   p95 {p95:.2f} ms   max {times_ms[-1]:.2f} ms   "
              f"target p95 < {TARGET_P95_MS:.0f} ms: {verdict}")
        print("  slowest:")
        for elapsed, expr, wrt in sorted(slowest, key=lambda t: t[0], reverse=True)[:3]:
            print(f"    {elapsed:7.2f} ms  d/d{wrt} {expr}")


if __name__ == "__main__":
    main()

"""Latency of free play per expression: parse, derivation steps and the ε table, as a learner meets them.

Prints p50/p95/max over a corpus of 100+ typed expressions (target: p95 < 50 ms), and the
same for the whole `show` reply. Run from the repository root:

    python bench/bench_play.py [--repeat N] [--lang en|zh]
"""

from __future__ import annotations

import argparse
import time
from itertools import product

from sympy.core.cache import clear_cache

from derivtutor.algebra import mathbuild, mathinput
from derivtutor.play import play_explain
from derivtutor.play.play import PlaySession

TARGET_P95_MS = 50.0
POINT = "0.7"  # inside every corpus function's domain (ln, sqrt, 1/w, asin)

# Typed the way learners type: implicit products, ^, function names from the labs and ML.
BASE = ["w^2", "w^3", "2w", "1/w", "1/w^2", "sqrt(w)", "e^(2w)", "ln(w)", "sin(3w)", "cos(w^2)",
        "tanh(w)", "sigmoid(w)", "|w - 1|", "(2+3w)^2", "w^w", "log(w^2 + 1)", "asin(w)", "w e^(-w)",
        "(w^2 + 1)/(w - 2)", "exp(sin(w))", "cosh(w) - w", "w^2 sin(3w)", "(1 - w)^5", "3w^4 - 2w + 7"]
OUTER = ["{f}", "w ({f})", "({f})^2", "sin({f})", "e^({f}) / 2", "({f}) / (w^2 + 1)"]


def corpus() -> list[str]:
    """Every base function alone and inside a few common wrappers: 144 expressions."""
    return [outer.format(f=f) for f, outer in product(BASE, OUTER)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def parse_steps_table(text: str, lang: str) -> None:
    """The three pieces the target names: read the line, derive step by step, tabulate ε."""
    J = mathinput.read(text).expr
    w = mathbuild.var("w")
    p = play_explain.Problem(J, w, {"w": mathinput.read_number(POINT)}, 0.001)
    play_explain.derivation(p, lang)
    play_explain.table(p, lang)


def show_reply(text: str, lang: str) -> None:
    """A learner's `J = …`, `at w=0.7`, `show`: everything the tutor says back."""
    session = PlaySession(lang=lang, plain=True, width=78)
    session.answer(f"J = {text}")
    session.answer(f"at w={POINT}")
    session.answer("show")


def measure(work, texts: list[str], repeat: int, lang: str, cold: bool) -> tuple[list[float], list]:
    times, slowest = [], []
    for _ in range(repeat):
        for text in texts:
            if cold:
                clear_cache()
            start = time.perf_counter()
            work(text, lang)
            elapsed = (time.perf_counter() - start) * 1000
            times.append(elapsed)
            slowest.append((elapsed, text))
    return times, sorted(slowest, reverse=True)[:5]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args(argv)
    texts = corpus()
    for text in texts:  # every corpus line must be valid free play; a failure here is a bug to fix
        parse_steps_table(text, args.lang)
    for label, work in (("parse+steps+table", parse_steps_table), ("whole `show` reply", show_reply)):
        for cache, cold in (("warm", False), ("cold", True)):
            times, slowest = measure(work, texts, args.repeat, args.lang, cold)
            p50, p95 = percentile(times, 0.50), percentile(times, 0.95)
            verdict = "ok" if p95 < TARGET_P95_MS else "MISSED"
            print(f"{label} ({args.lang}, {cache} SymPy cache), {len(texts)} expressions x {args.repeat}:")
            print(f"  p50 {p50:.1f} ms   p95 {p95:.1f} ms   max {max(times):.1f} ms   "
                  f"target p95 < {TARGET_P95_MS:.0f} ms: {verdict}")
            print("  slowest: " + "; ".join(f"{t:.0f} ms {text}" for t, text in slowest[:3]))


if __name__ == "__main__":
    main()

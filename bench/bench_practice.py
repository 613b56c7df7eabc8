"""Latency of one practice question: generate it, show it, and judge a right and a wrong answer.

Prints p50/p95/max in ms per skill and over all (target: p95 < 50 ms). The SymPy cache is
cleared before each question, so every figure is a cold question, as a new one is. Run from
the repository root:

    python bench/bench_practice.py [--per-skill N] [--lang en|zh]
"""

from __future__ import annotations

import argparse
import random
import time

import sympy
from sympy.core.cache import clear_cache

from derivtutor.algebra import mathprinter
from derivtutor.progress import practice_gen, practice_judge
from derivtutor.teaching import skills
from derivtutor.progress.practice import question_text

TARGET_P95_MS = 50.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def typed_right(q) -> str:
    if q.answer == "choice":
        return str(int(q.expected))
    return mathprinter.show(q.expected)


def one(skill: str, seed: int, lang: str) -> tuple[float, float]:
    """(ms to generate and word one question, ms to judge one answer to it: right or wrong by turns)."""
    clear_cache()
    start = time.perf_counter()
    q = practice_gen.generate(skill, random.Random(seed), 1 + seed % 3)
    question_text(q, lang)
    made = time.perf_counter()
    if seed % 2 == 0:
        assert practice_judge.judge(q, typed_right(q), lang).correct, (skill, seed)
    else:
        practice_judge.judge(q, "1" if q.answer == "choice" and int(q.expected) != 1 else "2", lang)
    return (made - start) * 1000, (time.perf_counter() - made) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-skill", type=int, default=20)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    one("chain", 0, args.lang)  # warm the imports
    sympy.S(1)
    every: list[tuple[float, float]] = []
    print(f"{'skill':<20} {'make p95':>9} {'judge p95':>10} {'both p50':>9} {'both p95':>9} {'max':>7}"
          f"  (ms, {args.per_skill} questions each, SymPy cache cleared before each)")
    for skill in skills.IDS:
        times = [one(skill, seed, args.lang) for seed in range(args.per_skill)]
        every += times
        both = [a + b for a, b in times]
        print(f"{skill:<20} {percentile([a for a, _ in times], .95):9.1f} {percentile([b for _, b in times], .95):10.1f}"
              f" {percentile(both, .5):9.1f} {percentile(both, .95):9.1f} {max(both):7.1f}")
    both = [a + b for a, b in every]
    p95 = percentile(both, .95)
    verdict = "ok" if p95 < TARGET_P95_MS else "OVER TARGET"
    print(f"{'all':<20} {percentile([a for a, _ in every], .95):9.1f} {percentile([b for _, b in every], .95):10.1f}"
          f" {percentile(both, .5):9.1f} {p95:9.1f} {max(both):7.1f}  target p95 < {TARGET_P95_MS:g} ms: {verdict}")

if __name__ == "__main__":
    main()

"""Time one try at a lesson's code step and print p50/p95 (target: p95 < 20 ms once the step's names exist).

Every code step of the shipped lessons (en), each answered with its solution, J itself, a
refused line and a failing line, on runners that start at that step (`only=[id]`). The first
try of a step also builds its names (the lesson's setup and earlier solutions) and is timed
apart as the cold figure.

Run from the repository root:  python bench/bench_code_step.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from derivtutor.teaching import lessons
from derivtutor.teaching.runner import Runner

TARGET_P95_MS = 20.0
LINES = ["J", "import os", "nope + 1"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    steps = [(lesson, step) for lesson in lessons.available("en") for step in lesson.steps if step.kind == "code"]
    cold, warm = [], []
    for round_ in range(args.repeat):
        for lesson, step in steps:
            for line in [step.get("solution"), *LINES]:
                run = Runner(lesson, only=[step.id])
                run.start()
                started = time.perf_counter()
                run.answer(line)
                took = (time.perf_counter() - started) * 1000
                (cold if round_ == 0 and line == step.get("solution") else warm).append(took)
    warm.sort()
    p95 = warm[int(0.95 * (len(warm) - 1))]
    print(f"code-step tries: {len(warm) + len(cold)} ({len(steps)} steps, {args.repeat} rounds)")
    print(f"first try of a step (names built): max {max(cold):.1f} ms")
    print(f"p50 {statistics.median(warm):.2f} ms   p95 {p95:.2f} ms   max {warm[-1]:.1f} ms   "
          f"(target p95 < {TARGET_P95_MS:.0f} ms: {'met' if p95 < TARGET_P95_MS else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Time one typed line of the labs' cells in `derivtutor lab` and print p50/p95 (target: p95 < 20 ms).

The corpus: every code line of the course labs in ../shared/seeds (read as the seed test reads
them), typed in order into fresh sessions, repeated; without the seeds, the derivatives lab's
own cells below. Each line is timed from `answer(line)` to its Messages.

Run from the repository root:  python bench/bench_lab.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from derivtutor.lab.lab_session import LabSession  # noqa: E402

TARGET_P95_MS = 20.0

LAB_CELLS = [
    "from sympy import symbols, diff", "J = (3)**2", "J_epsilon = (3 + 0.001)**2",
    "k = (J_epsilon - J)/0.001", 'print(f"J = {J}, J_epsilon = {J_epsilon}, dJ_dw ~= k = {k:0.6f} ")',
    "J, w = symbols('J, w')", "J=w**2", "J", "dJ_dw = diff(J,w)", "dJ_dw", "dJ_dw.subs([(w,2)])",
    "dJ_dw.subs([(w,-3)])", "J= 1/(w**2)", "dJ_dw = diff(J,w)", "dJ_dw", "dJ_dw.subs([(w,4)])",
]


def corpus() -> list[list[str]]:
    """One list of typed lines per lab, in the lab's order."""
    try:
        from lab_seeds import SEEDS, clean_cells, fenced_cells, seed
    except ImportError:
        return [LAB_CELLS]
    if not SEEDS.is_dir():
        return [LAB_CELLS]
    labs = []
    for prefix in ("000", "002", "003", "004"):
        path = seed(prefix)
        if path:
            labs.append([line for code, _ in clean_cells(path.read_text(encoding="utf-8")) for line in code])
    path = seed("001")
    if path:
        labs.append([line for _, code in fenced_cells(path.read_text(encoding="utf-8")) for line in code])
    return labs or [LAB_CELLS]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    labs = corpus()
    warm = LabSession()
    for line in labs[0]:
        warm.answer(line)  # SymPy's imports and caches, paid once as a learner's first line pays them
    times = []
    for _ in range(args.repeat):
        for lines in labs:
            session = LabSession()
            for line in lines:
                started = time.perf_counter()
                session.answer(line)
                times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"lab lines typed: {len(times)} ({sum(map(len, labs))} distinct, {args.repeat} rounds)")
    print(f"p50 {statistics.median(times):.2f} ms   p95 {p95:.2f} ms   max {times[-1]:.2f} ms"
          f"   (target p95 < {TARGET_P95_MS:.0f} ms: {'met' if p95 < TARGET_P95_MS else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

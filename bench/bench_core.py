"""Speed figures for the algebra core: parse + derivative + value latency, the cas round trip,
the cost of a worker kill, and import times next to `import sympy`. Prints; asserts nothing.

Run:  python bench/bench_core.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

LAB = ["w^2", "2w", "w^3", "1/w", "1/w^2", "(2+3w)^2", "a^2", "2 + 3w", "d^2/2", "(a - y)^2/2"]
TEMPLATES = ["w^{a}", "{a}w^2 + {b}w", "1/(w + {a})", "sin({a}w)", "e^({a}w/10)", "ln(w + {a})",
             "sqrt(w + {a})", "(2 + {a}w)^2", "sigmoid({a}w)", "tanh(w/{a})", "w^2 e^(-w/{a})",
             "(w - {a})^2/2", "ln(1 + e^(-{a}w))", "cos(w)^{a}", "w/(w^2 + {a})"]
CORPUS = LAB + [t.format(a=a, b=a + 1) for t in TEMPLATES for a in range(1, 9)]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def one(text):
    from derivtutor.algebra import calculus, mathinput

    expr = mathinput.read(text).expr
    wrt = sorted(expr.free_symbols, key=lambda s: s.name)[0]
    d = calculus.derivative(expr, wrt)
    calculus.value(d, {s: 3 for s in expr.free_symbols})


def latency():
    for text in CORPUS:  # warm: SymPy's caches and lazy imports, the cas worker if needed
        one(text)
    times = []
    for text in CORPUS:
        start = time.perf_counter()
        one(text)
        times.append((time.perf_counter() - start) * 1e3)
    print(f"parse + derivative + value, {len(CORPUS)} expressions, warm:")
    print(f"  p50 {percentile(times, 50):.2f} ms   p95 {percentile(times, 95):.2f} ms   "
          f"max {max(times):.2f} ms   (target p95 < 10 ms)")


def round_trip():
    from derivtutor.algebra import cas
    from derivtutor.algebra.mathinput import read

    cas.shutdown()
    start = time.perf_counter()
    cas.call("ping")
    cold = time.perf_counter() - start
    pings = []
    for _ in range(500):
        start = time.perf_counter()
        cas.call("ping")
        pings.append((time.perf_counter() - start) * 1e3)
    expr = read("(w + 1)^3").expr
    expands = []
    for _ in range(200):
        start = time.perf_counter()
        cas.expand(expr)
        expands.append((time.perf_counter() - start) * 1e3)
    print("cas worker:")
    print(f"  first call (starts the worker, loads SymPy): {cold * 1e3:.0f} ms")
    print(f"  round trip, empty op:   p50 {statistics.median(pings):.3f} ms   p95 {percentile(pings, 95):.3f} ms")
    print(f"  expand((w+1)^3):        p50 {statistics.median(expands):.3f} ms   p95 {percentile(expands, 95):.3f} ms")
    start = time.perf_counter()
    try:
        cas.expand(read("(w + 1)^10000").expr ** 10, timeout=0.3)
    except cas.CasTimeout:
        pass
    overrun = time.perf_counter() - start
    start = time.perf_counter()
    cas.expand(expr)
    after = time.perf_counter() - start
    print(f"  a 0.3 s overrun took {overrun * 1e3:.0f} ms to stop; the next call (warm spare) "
          f"took {after * 1e3:.1f} ms")
    cas.shutdown()


def import_time(statement):
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(5)]
    return min(runs)


def imports():
    base = import_time("import sympy")
    print("import time (best of 5, fresh interpreter each):")
    print(f"  import sympy                    {base * 1e3:7.1f} ms   1.00×")
    for module in ("derivtutor", "derivtutor.algebra.cas", "derivtutor.algebra.mathinput", "derivtutor.algebra.calculus"):
        t = import_time(f"import {module}")
        print(f"  import {module:<24} {t * 1e3:7.1f} ms   {t / base:.2f}×")


if __name__ == "__main__":  # the cas worker re-imports this file under spawn/forkserver
    latency()
    round_trip()
    imports()

"""Parser speed: import time, typical answers (p50/p95), 500-character inputs, show(), and each refusal."""
import random, statistics, time
t0 = time.perf_counter()
from derivtutor.algebra.matherror import MathInputError
from derivtutor.algebra.mathinput import read
from derivtutor.algebra.mathprinter import show
print(f"import: {(time.perf_counter()-t0)*1e3:.0f} ms")
typical = ["3w^2", "2w", "dJ/dw = 2w", "-2/w^3", "(2+3w)^2", "6", "0.001", "x*d", "J = d^2/2", "diff(w**2, w).subs([(w, 2)])", "e^(2x)", "1/2w", "sqrt(w)+|w|"]
def timeit(texts, n):
    samples = []
    for _ in range(n):
        for t in texts:
            s = time.perf_counter()
            try: read(t)
            except MathInputError: pass
            samples.append((time.perf_counter() - s) * 1e3)
    samples.sort()
    return samples[len(samples)//2], samples[int(len(samples)*0.95)], samples[-1]
print("typical p50/p95/max ms: %.3f %.3f %.3f" % timeit(typical, 200))
random.seed(1)
def long_input():
    parts = []
    while True:
        p = random.choice(["3w^2", "sin(x+%d)" % random.randint(1, 99), "e^(2w)", "(w+1)(w-1)", "|w-%d|" % random.randint(1, 9), "1/(w^2+1)", "2.5x", "log(w, 2)", "sqrt(w)"])
        op = random.choice(["+", "-", "*", "/"])
        cand = "".join(parts) + (op if parts else "") + p
        if len(cand) > 500: return "".join(parts)
        parts.append((op if parts else "") + p)
longs = [long_input() for _ in range(20)]
print("500-char inputs (len %d-%d) p50/p95/max ms: %.2f %.2f %.2f" % ((min(map(len, longs)), max(map(len, longs))) + timeit(longs, 3)))
exprs = [read(t).expr for t in typical]
s = time.perf_counter()
for _ in range(200):
    for e in exprs: show(e)
print("show typical: %.3f ms each" % ((time.perf_counter() - s) * 1e3 / (200 * len(exprs))))
nasty = ["9^9^9", "10^10^6", "1e999999", "sin(" * 150, "(" * 40 + "w" + ")" * 40, "2^" * 120 + "2", "|" * 40 + "w" + "|" * 40, "w+" * 5000, "x" * 500, "2^9999", "sqrt(2)^9999", "(10^49)^20", "sqrt(" + "9" * 50 + ")", "9" * 50 + "^(1/3)"]
for t in nasty:
    s = time.perf_counter()
    try: read(t); r = "ok"
    except MathInputError as e: r = e.code
    print(f"  {t[:24]!r:28} {r:18} {(time.perf_counter()-s)*1e3:.2f} ms")

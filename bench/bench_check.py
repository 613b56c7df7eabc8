"""Time the answer checker and print p50/p95 per check (targets: p95 < 20 ms for lesson
answers, < 50 ms for large polynomial answers).

The corpus: every case of the mistake table (wrong answers, so diagnosis runs), plus the
expected answer of every derivative, expression and number step of the shipped lessons
(right answers), plus J itself given for each lesson derivative (a wrong one); and, apart,
large polynomial answers (degree 15, 10-digit coefficients, 1–4 variables, right and off by one).

Run from the repository root:  python bench/bench_check.py [--repeat N] [--cold]
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from pathlib import Path

from sympy.core.cache import clear_cache

from derivtutor.algebra import check

TARGET_P95_MS = 20.0
ROOT = Path(__file__).resolve().parent.parent


def mistake_cases():
    """The table's cases live with their test, so the bench measures exactly what is checked."""
    spec = importlib.util.spec_from_file_location("mistake_cases", ROOT / "tests" / "test_mistakes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    w = module.w
    cases = [("mistake", lambda J=J, a=a: check.check_derivative(J, a, w)) for J, a, _ in module.SYMBOLIC]
    cases += [("mistake at a point", lambda J=J, a=a, at=at: check.check_derivative(J, a, w, at=at))
              for J, at, a, _ in module.NUMERIC]
    return cases


def lesson_cases():
    """Right answers (and J itself, a wrong one) for every gradable step of the shipped lessons."""
    from derivtutor.teaching import answers, kinds, lessons

    cases = []
    for lang in ("en", "zh"):
        for lesson in lessons.available(lang):
            for step in lesson.steps:
                cases += _step_cases(answers, lesson, step)
    return cases


def _step_cases(answers, lesson, step):
    try:
        if step.kind == "derivative":
            J = answers.expression(step.get("J"))
            wrt = answers.variable(J, step.get("wrt"))
            right = kinds.expected(lesson, step, {})
            return [("lesson derivative", lambda: check.check_derivative(J, right, wrt)),
                    ("lesson derivative, J given", lambda: check.check_derivative(J, J, wrt))]
        if step.kind == "expression":
            e = kinds.expected(lesson, step, {})
            return [("lesson expression", lambda: check.check_expression(e, e))]
        if step.kind == "number":
            target = kinds.expected(lesson, step, {}).target
            return [("lesson number", lambda: check.check_number(target, target))]
    except (answers.StepInvalid, KeyError, ValueError):
        pass  # a step that needs an earlier learner answer: nothing fixed to time
    return []


LARGE_TARGET_P95_MS = 50.0


def large_polynomial_cases():
    """Large polynomial answers (issue 10): derivatives of degree-15 polynomials in 1–4 variables
    with 10-digit coefficients, right and with one coefficient off by one; a high power."""
    import random

    import sympy

    rng = random.Random(15)
    names = sympy.symbols("a b c w")
    cases = []
    for size in range(1, 5):
        variables = names[-size:]
        for _ in range(6):
            J = sum(rng.randint(-10**9, 10**9) * sympy.Mul(*(v**rng.randint(0, 15 // size) for v in variables))
                    for _ in range(8)) + names[-1]**15
            right = sympy.expand(sympy.diff(J, names[-1]))
            terms = sympy.Add.make_args(right)
            wrong = right + terms[0].as_coeff_Mul()[1]
            cases += [("large polynomial, right", lambda J=J, r=right: check.check_derivative(J, r, names[-1])),
                      ("large polynomial, off by 1", lambda J=J, r=wrong: check.check_derivative(J, r, names[-1]))]
    x, a = sympy.symbols("x a")
    cases.append(("large polynomial, (x-a)^6000", lambda: check.check_expression((x - a)**6000, (x - a)**5999)))
    return cases


def percentile(sorted_values, q):
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="times through the corpus")
    parser.add_argument("--cold", action="store_true", help="clear SymPy's cache before every check")
    args = parser.parse_args()

    cases = mistake_cases() + lesson_cases() + large_polynomial_cases()
    for _, run in cases:  # warm up imports and the worker-free path once
        run()
    times: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        for group, run in cases:
            if args.cold:
                clear_cache()
            start = time.perf_counter()
            run()
            times.setdefault(group, []).append((time.perf_counter() - start) * 1000)

    every = sorted(t for group, ts in times.items() if not group.startswith("large") for t in ts)
    large = sorted(t for group, ts in times.items() if group.startswith("large") for t in ts)
    print(f"checker latency over {len(cases)} cases x {args.repeat}"
          f"{' (cold SymPy cache)' if args.cold else ''}")
    for group, ts in sorted(times.items()):
        ts.sort()
        print(f"  {group:28s} n={len(ts):4d}  p50 {percentile(ts, 0.5):6.2f} ms  p95 {percentile(ts, 0.95):6.2f} ms")
    p95 = percentile(every, 0.95)
    print(f"  {'all lesson answers':28s} n={len(every):4d}  p50 {percentile(every, 0.5):6.2f} ms  p95 {p95:6.2f} ms"
          f"  (target p95 < {TARGET_P95_MS:.0f} ms: {'met' if p95 < TARGET_P95_MS else 'NOT met'})")
    p95 = percentile(large, 0.95)
    print(f"  {'all large polynomials':28s} n={len(large):4d}  p50 {percentile(large, 0.5):6.2f} ms  p95 {p95:6.2f} ms"
          f"  (target p95 < {LARGE_TARGET_P95_MS:.0f} ms: {'met' if p95 < LARGE_TARGET_P95_MS else 'NOT met'})")


if __name__ == "__main__":
    main()

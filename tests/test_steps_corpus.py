"""Every derivation in a broad corpus ends where sympy.diff does, and renders in both languages.

The corpus is built from SymPy objects directly (never from strings) and is
shared with bench/bench_steps.py.
"""

from __future__ import annotations

import pytest
from sympy import (
    Abs, E, Function, Rational, Symbol, acos, acosh, acot, asec, asin, asinh, atan, atanh,
    cos, cosh, cot, coth, csc, diff, erf, exp, gamma, log, pi, sec, sech, simplify, sin,
    sinh, sqrt, tan, tanh,
)

from derivtutor.algebra.steps import RULES, derive
from derivtutor.algebra.steps_text import plain_lines, render


def var(name):
    """The project's real symbols (mathinput.var once it lands)."""
    try:
        from derivtutor.algebra.mathinput import var as project_var
    except ImportError:
        return Symbol(name, real=True)
    return project_var(name)


w, x, y, b = var("w"), var("x"), var("y"), var("b")
f = Function("f")

POLYNOMIALS = [
    w, w**2, w**3, 3 * w**2, w**2 + 2 * w + 1, 4 * w**5 - 3 * w**3 + w - 7, -w**2,
    (w - 1) * (w + 2), w**10, Rational(1, 2) * w**2, (w + 1)**3, 2 - 5 * w, w**2 / 2 - w / 3,
    (2 + 3 * w)**2, (w**2 + 1)**5, 7 * w**4 - w**2 / 4,
]
RATIONALS = [
    1 / w, 1 / w**2, 3 / w, -2 / w**3, 1 / (w + 1), (w + 1) / (w - 1), w / (w**2 + 1),
    (w**2 + 1) / (w - 1), (3 * w + 2) / (2 * w - 5), 1 / (w * (w + 1)), w**2 / (1 - w)**2,
    (w**3 - w) / (w**2 + 4), 5 / (w**2 + 1), (w - 2)**2 / w, 1 / (1 + w)**3, w / (w + 1) / (w + 2),
]
ROOTS = [
    sqrt(w), 1 / sqrt(w), w**Rational(1, 3), w**Rational(3, 2), sqrt(w**2 + 1), sqrt(1 - w**2),
    (1 + 2 * w)**Rational(-1, 2), w * sqrt(w + 1), sqrt(w) / (w + 1), w / sqrt(w + 1),
    (w**2 + 3)**Rational(2, 3), 3 * sqrt(w) - 2 / sqrt(w),
]
EXPONENTIALS = [
    exp(w), exp(2 * w), exp(-w), exp(w**2), 3 * exp(w), 2**w, 10**w, 2**(3 * w), 3**(w**2),
    exp(w) / w, w * exp(-w), exp(sin(w)), E**(2 * w + 1), Rational(1, 2)**w, exp(w) + exp(-w),
    pi**w,
]
LOGS = [
    log(w), log(2 * w), log(w**2 + 1), 3 * log(w), log(w, 2), log(w, 10), log(w**2 + 1, 10),
    3 * log(w, 2), -log(w, 2), log(sin(w)), log(exp(w) + 1), w * log(w), log(w) / w,
    log(log(w)), log(w, 2) * w, log(3 * w + 1, 5), log(w) - log(w, 10), log(1 + w**2) / log(2),
]
TRIG = [
    sin(w), cos(w), tan(w), cot(w), sec(w), csc(w), sin(2 * w), cos(w**2), tan(3 * w + 1),
    sin(w)**2, sin(w) * cos(w), sin(w)**2 + cos(w)**2 - 1 + w, sec(w)**2, csc(2 * w),
    cot(w**2), sin(w) / w, w**2 * cos(w), sin(cos(w)),
]
INVERSE_TRIG = [
    asin(w), acos(w), atan(w), acot(w), asec(w), asin(2 * w), atan(w**2), acos(sqrt(w)),
    atan(1 / w), w * asin(w), asec(3 * w),
]
HYPERBOLIC = [
    sinh(w), cosh(w), tanh(w), coth(w), sech(w), tanh(2 * w), cosh(w**2), sinh(w) * cosh(w),
    asinh(w), acosh(w), atanh(w), asinh(w**2), log(cosh(w)),
]
ABSOLUTE = [Abs(w), Abs(w**2 - 1), Abs(sin(w)), w * Abs(w), Abs(2 * w + 1)**3]
NESTED = [
    sin(exp(w**2)), exp(sin(w)**2), log(sqrt(w**2 + 1)), sqrt(sin(w) + 2), (1 + exp(-w))**-1,
    tanh(w**2 + 3 * w), cos(log(w))**3, exp(exp(w)), sin(sin(sin(w))), ((w**2 + 1)**3 + 1)**2,
    1 / (1 + exp(-(2 * w + 1))), log(1 + exp(w)),
]
PRODUCTS_OF_THREE = [
    w * sin(w) * exp(w), w**2 * log(w) * cos(w), (w + 1) * (w + 2) * (w + 3), exp(w) * sin(w) * cos(w),
    w * sqrt(w + 1) * atan(w), sinh(w) * w**3 * log(w + 1),
]
QUOTIENTS = [
    sin(w) / cos(w), exp(w) / (1 + exp(w)), log(w) / (w**2 + 1), (sin(w) + 1) / (cos(w) + 2),
    w * exp(w) / (w + 1), (w**2 - 1) / (w**2 + 1), atan(w) / w,
]
POWER_TOWERS = [
    w**w, w**sin(w), w**(1 / w), (w**2 + 1)**w, sin(w)**cos(w), (1 + 1 / w)**w, w**(w**2),
    w**log(w),
]
CONSTANTS = [Rational(5), Rational(-3, 4), pi, E, sqrt(2), log(2), pi**2 + 1]
FALLBACK = [erf(w), erf(2 * w), gamma(w), f(w), f(2 * w)]

CORPUS = [(e, w) for group in (
    POLYNOMIALS, RATIONALS, ROOTS, EXPONENTIALS, LOGS, TRIG, INVERSE_TRIG, HYPERBOLIC, ABSOLUTE,
    NESTED, PRODUCTS_OF_THREE, QUOTIENTS, POWER_TOWERS, CONSTANTS, FALLBACK,
) for e in group]

# Several variables: each partial holds the others constant.
PARTIALS = [
    (w * x + b, w), (w * x + b, b), (w * x + b, x), ((w * x + b - y)**2 / 2, w),
    ((w * x + b - y)**2 / 2, b), (x**2 * y + sin(x * y), x), (x**2 * y + sin(x * y), y),
    (exp(w * x), w), (log(w**2 + x**2), x), (w**x, w), (w**x, x), (x * y / (x + y), y),
    (1 / (1 + exp(-(w * x + b))), w), (sqrt(x**2 + y**2), x), (atan(y / x), x), (x, w),
    (x * y**2, w), (b**w, w), (log(w, b), w), (w**2 * x - x + 3, w),
]

ALL = CORPUS + PARTIALS


def equals_diff(result, expr, wrt) -> bool:
    """The brief's property: simplify(result − diff) == 0 (checked cheaply first)."""
    gap = result - diff(expr, wrt)
    return gap == 0 or gap.expand() == 0 or simplify(gap) == 0


def test_the_corpus_is_broad():
    assert len(ALL) >= 150


@pytest.mark.parametrize("expr,wrt", ALL, ids=[f"{i}:{e}/d{v}" for i, (e, v) in enumerate(ALL)])
def test_result_equals_sympy_diff(expr, wrt):
    step = derive(expr, wrt)
    assert step.expr == expr and step.wrt == wrt
    assert equals_diff(step.result, expr, wrt)


@pytest.mark.parametrize("expr,wrt", ALL, ids=[f"{i}:{e}/d{v}" for i, (e, v) in enumerate(ALL)])
def test_every_step_in_the_tree_is_sound(expr, wrt):
    """Not only the root: each nested rule's own result is d(its expr)/d(its variable)."""
    def walk(step):
        assert step.rule in RULES
        assert step.result.equals(diff(step.expr, step.wrt)) is not False
        for sub in step.substeps:
            walk(sub)

    walk(derive(expr, wrt))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_corpus_entry_renders(lang):
    for expr, wrt in ALL:
        lines = render(derive(expr, wrt), lang)
        assert lines[0].depth == 0
        assert all(line.sentence.strip() for line in lines)
        assert len(plain_lines(derive(expr, wrt), lang)) == len(lines)

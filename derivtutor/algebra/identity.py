"""Rational functions (polynomials included) decided exactly, both ways, by identity testing
modulo the prime 2^61 − 1 at random points.

One point where the values differ proves "different" (a counterexample with exact values is
then found at small integer points); agreement at PIT_POINTS points is "equal" beyond doubt
(Schwartz–Zippel). The degree is read off the tree without expanding, so (x − a)^6000 costs
one modular power. The cheap symbolic proof (`exactly_equal`: expand, then cancel) is here
too: it is what turns "identity" into how="exact".
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

import sympy

from derivtutor.algebra import mistakes
from derivtutor.algebra.evaluate import SYMPY_ERRORS, Undefined
from derivtutor.algebra.sampling import NUDGE_NAMES, SEED, SMALL, real_at
from derivtutor.algebra.verdict import Counterexample, Equivalence

EXACT_SIZE = 120        # tree nodes above which the exact check is skipped
EXACT_MAX_POWER = 12    # (a+b)^n with n above this is not expanded

PRIME = 2**61 - 1       # a Mersenne prime: values modulo it are exact and stay one machine word
PIT_POINTS = 8          # random points that must agree modulo PRIME: error ≤ (degree/PRIME)^8
MAX_VALUE_BITS = 20000  # a power bigger than this (in bits) at a point: try another point
EXACT_NICE = (2, -2, 3, -3, 1, -1, 4, -4, 5, -5, 6, -6, 7, -7)


def _nice_tries(variables) -> list[list[Fraction]]:
    """The first points to try: small integers, and a small positive ε for a nudge."""
    return [[Fraction(SMALL[k % len(SMALL)]) if v.name in NUDGE_NAMES else Fraction(EXACT_NICE[(k + 3 * i) % len(EXACT_NICE)])
             for i, v in enumerate(variables)] for k in range(len(EXACT_NICE))]


class _NotRational(Exception):
    pass


def _rational_degree(expr) -> int:
    """A bound on the total degree of numerator and denominator of a rational expression, read off
    the tree without expanding (sums and products: added, safe for sums of fractions; powers:
    times |n|); raises _NotRational for anything else (a Float, sqrt, sin, a symbolic exponent)."""
    if expr.is_Symbol:
        return 1
    if expr.is_Rational:
        return 0
    if expr.is_Add:
        return sum(_rational_degree(a) for a in expr.args)  # a/b + c/d: degrees add at worst
    if expr.is_Mul:
        return sum(_rational_degree(a) for a in expr.args)
    if expr.is_Pow and expr.exp.is_Integer:
        return _rational_degree(expr.base) * abs(int(expr.exp))
    raise _NotRational


def _mod_value(expr, env: dict) -> int:
    """The value modulo PRIME at an integer point; Undefined where a denominator is 0 mod PRIME."""
    if expr.is_Symbol:
        return env[expr]
    if expr.is_Integer:
        return int(expr) % PRIME
    if expr.is_Rational:
        q = expr.q % PRIME
        if q == 0:
            raise Undefined("zero_division")
        return expr.p * pow(q, -1, PRIME) % PRIME
    if expr.is_Add:
        return sum(_mod_value(a, env) for a in expr.args) % PRIME
    if expr.is_Mul:
        out = 1
        for a in expr.args:
            out = out * _mod_value(a, env) % PRIME
        return out
    if expr.is_Pow and expr.exp.is_Integer:
        base, n = _mod_value(expr.base, env), int(expr.exp)
        if n < 0:
            if base == 0:
                raise Undefined("zero_division")
            base, n = pow(base, -1, PRIME), -n
        return pow(base, n, PRIME)
    raise _NotRational


def _fraction_value(expr, env: dict, limit: int = MAX_VALUE_BITS) -> Fraction:
    """The exact value at a rational point; Undefined at a pole, or where a power would have more
    than about `limit` bits (so the cost stays bounded)."""
    if expr.is_Symbol:
        return env[expr]
    if expr.is_Rational:
        return Fraction(expr.p, expr.q)
    if expr.is_Add:
        return sum((_fraction_value(a, env, limit) for a in expr.args), Fraction(0))
    if expr.is_Mul:
        out = Fraction(1)
        for a in expr.args:
            out *= _fraction_value(a, env, limit)
        return out
    if expr.is_Pow and expr.exp.is_Integer:
        base, n = _fraction_value(expr.base, env, limit), int(expr.exp)
        if base == 0 and n < 0:
            raise Undefined("zero_division")
        if (max(abs(base.numerator), base.denominator).bit_length() - 1) * abs(n) > limit:
            raise Undefined("too_many_digits")  # too big to show a learner; another point will do
        return base**n
    raise _NotRational


def degree_if_rational(a, b) -> int | None:
    """The degree bound of a − b when both sides are rational functions, else None."""
    try:
        return _rational_degree(a) + _rational_degree(b)
    except (_NotRational, RecursionError):
        return None


def _rational_counterexample(a, b, variables, domain) -> Counterexample | None:
    """A point with small integer coordinates where a and b differ exactly, inside the domain."""
    n = len(variables)
    rng = random.Random(SEED)
    tries = _nice_tries(variables)
    tries += [[rng.randint(-7, 7) for _ in range(n)] for _ in range(40)]
    # first a point where the values are short enough to read, then any point
    for coords, limit in [(c, 60) for c in tries] + [(c, MAX_VALUE_BITS) for c in tries]:
        env = dict(zip(variables, (Fraction(c) for c in coords)))
        fenv = {s: float(v) for s, v in env.items()}
        if any(not real_at(d, fenv) for d in domain):
            continue
        try:
            got, want = _fraction_value(a, env, limit), _fraction_value(b, env, limit)
        except (Undefined, ZeroDivisionError, RecursionError):
            continue
        if got != want:
            point = {s: sympy.Rational(Fraction(c).numerator, Fraction(c).denominator) for s, c in zip(variables, coords)}
            return Counterexample(point, _as_complex(got), _as_float(want),
                                  sympy.Rational(got.numerator, got.denominator),
                                  sympy.Rational(want.numerator, want.denominator))
    return None


def _as_float(x: Fraction) -> float:
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def _as_complex(x: Fraction) -> complex:
    return complex(_as_float(x))


def decide_rational(a, b, variables, domain, degree: int) -> Equivalence | None:
    """Polynomial identity testing modulo PRIME at random points from the whole field: a point
    where the values differ modulo PRIME proves a ≠ b (two rational functions that agree on an
    open set agree everywhere, so the domain does not matter); agreement at PIT_POINTS points
    makes a = b beyond doubt (Schwartz–Zippel: wrong with probability ≤ (degree/PRIME)^PIT_POINTS).
    None when too few points could be evaluated."""
    if degree * 1e6 > PRIME:
        return None
    rng = random.Random(SEED)
    agreed = 0
    for _ in range(4 * PIT_POINTS):
        env = {s: rng.randrange(PRIME) for s in variables}
        try:
            same = _mod_value(a, env) == _mod_value(b, env)
        except Undefined:
            continue
        if not same:
            ce = _rational_counterexample(a, b, variables, domain)
            return Equivalence(False, "exact", ce, agreed)
        agreed += 1
        if agreed >= PIT_POINTS:
            how = "exact" if exactly_equal(a, b) else "identity"
            return Equivalence(True, how, None, agreed)
    return None



def small(expr) -> bool:
    return mistakes.small(expr, EXACT_SIZE, EXACT_MAX_POWER)


def exactly_equal(a, b) -> bool:
    if not (small(a) and small(b)):
        return False
    try:
        d = sympy.expand(a - b)
        # cancel is only needed (and only paid for) when there is a denominator to clear
        return d == 0 or (_has_denominator(d) and sympy.cancel(d) == 0)
    except SYMPY_ERRORS:
        return False


def _has_denominator(expr) -> bool:
    return any(p.exp.is_negative for p in expr.atoms(sympy.Pow))


"""Judging answers: is it right, and if not, which usual mistake made it?

Inputs are SymPy expressions (from `mathinput`), never text.

**Expressions** are decided, not estimated:

1. rational functions with rational coefficients (polynomials included; seen from the tree,
   without expanding) are decided exactly both ways by identity testing modulo the prime
   2^61 − 1 at random points: one point where the values differ proves "different" (and a
   counterexample with exact values is then found at small integer points); agreement at
   ``PIT_POINTS`` points is "equal" beyond doubt (Schwartz–Zippel), how="exact" when a cheap
   ``expand``/``cancel`` also proves it, else how="identity". High degree costs nothing extra:
   (x − a)^6000 is a modular power;
2. anything else is compared at seeded points of both signs (small numbers first, so a
   counterexample reads well) with mpmath at 40 digits, tolerance 1e-25 relative, a mismatch
   confirmed when doubling the digits (80, 160, … 640) gives the answer the same value twice;
   a value that keeps moving (cancellation times a huge factor) allows no claim. Over the reals: a point is skipped where J (the domain) or the
   expected side is undefined or not real, where a part of the answer is not real though the
   whole is (√(k/m)·√(m/k) at k = 2, m = −3), and where a negative number is raised to a
   symbolic exponent that is not an integer there ((−1)^n at n = 1/2); an answer which is not
   real where the right one is real counts as a mismatch. More points are drawn when many are
   skipped; at least ``MIN_POINTS`` must agree;
3. ``cas.simplify`` in the bounded worker, only when sampling could not decide.

**Numbers** (policy): an answer is accepted when it is exactly the expected value; or when the
learner typed a plain decimal with n ≥ 2 significant digits and it equals the expected value
rounded to n digits (half-up or half-even: 0.333 for 1/3, 6.001 for 6.000999999999479,
−0.0312 or −0.0313 for −1/32); or when it is within ``rel_tol`` (default 1e-6) or ``abs_tol``
(default 1e-12) of it. An exact fraction the learner typed (−1/32) is exact, compared exactly.
"""

from __future__ import annotations

import cmath
import math
import random
import re
import dataclasses
from dataclasses import dataclass, field
from fractions import Fraction
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

import sympy
from sympy import Expr, Symbol

from derivtutor.algebra import mistakes
from derivtutor.text.errors import TutorError
from derivtutor.text.i18n import Catalog, listing, tr
from derivtutor.algebra.mistakes import MISTAKES, Context, Mistake

SEED = 20240917
MIN_POINTS = 6          # valid points needed before sampling may say "equal"
TARGET_POINTS = 14      # valid points sampled when the domain allows
NICE = tuple(sympy.Rational(n, d) for n, d in ((2, 1), (-2, 1), (3, 1), (-3, 1), (1, 1), (-1, 1),
                                              (1, 2), (-1, 2), (5, 2), (-5, 2)))
REL, ABS = 1e-8, 1e-10  # agreement of two float evaluations
DEFAULT_REL_TOL, DEFAULT_ABS_TOL = 1e-6, 1e-12
MIN_SIG_DIGITS = 2      # "6" for 6.000999… is not accepted by rounding; "6.0" is
EXACT_SIZE = 120        # tree nodes above which the exact check is skipped
EXACT_MAX_POWER = 12    # (a+b)^n with n above this is not expanded
SIMPLIFY_TIMEOUT = 1.0  # seconds for the tiebreaker
DIAGNOSE_MAX_NODES = 40   # a J larger than this (lesson Js: ≤ 12) gets a counterexample, not a named mistake


# What SymPy raises on inputs it cannot handle (polys on non-polynomials, evalf failures, …).
SYMPY_ERRORS = (sympy.PolynomialError, sympy.polys.polyerrors.PolificationFailed,
                sympy.polys.polyerrors.CoercionFailed, NotImplementedError, ValueError, TypeError,
                ZeroDivisionError, OverflowError, RecursionError, AttributeError)


TEXT = Catalog(__name__, 'TEXT')


class CheckError(TutorError, ValueError):
    """An answer or question the checker cannot judge; .message is one friendly sentence."""

    table = TEXT


# ---------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class Counterexample:
    point: dict                      # Symbol -> exact number
    learner: complex | None          # the answer's value there (None: undefined)
    expected: float
    learner_exact: Expr | None = None   # exact values, when the decision was exact
    expected_exact: Expr | None = None

    def describe(self) -> str:
        return str(listing(f"{s.name} = {_num_text(v)}" for s, v in self.point.items()))

    def learner_real(self) -> bool:
        return self.learner is not None and _is_real(self.learner)


@dataclass(frozen=True)
class Equivalence:
    equal: bool | None               # None: could not decide
    how: str                         # "exact" | "identity" | "sampled" | "simplify" | "undecided" | "imprecise"
    counterexample: Counterexample | None = None
    points: int = 0                  # valid sample points that agreed

    def __bool__(self) -> bool:
        return bool(self.equal)


@dataclass(frozen=True)
class Verdict:
    correct: bool
    how: str       # exact | identity | sampled | simplify | rounded | numeric | mistake | undecided
    feedback: str  # in the language asked for; `localized` gives the others
    counterexample: Counterexample | None = None
    mistake: Mistake | None = None
    corrected: Expr | None = None    # the right answer (dJ/dw, its value, or the expected one)
    answer: Expr | None = None
    texts: dict = field(default_factory=dict, repr=False)

    def localized(self, lang: str | None = None) -> str:
        return tr(self.texts, lang) if self.texts else self.feedback


# ---------------------------------------------------------------------------
# Fast float evaluation (complex, so non-real values are seen, not raised)


class _Undefined(Exception):
    pass


def _pow(b: complex, e: complex) -> complex:
    if b.imag == 0 and e.imag == 0 and (b.real > 0 or float(e.real).is_integer()):
        return complex(b.real ** e.real)
    if b == 0:
        if e.real > 0:
            return 0j
        raise _Undefined
    return b**e


def _sign(x: complex) -> complex:
    return 0j if x == 0 else x / abs(x)


_FUNCTIONS = {
    sympy.exp: cmath.exp, sympy.log: cmath.log, sympy.sin: cmath.sin, sympy.cos: cmath.cos,
    sympy.tan: cmath.tan, sympy.sinh: cmath.sinh, sympy.cosh: cmath.cosh, sympy.tanh: cmath.tanh,
    sympy.asin: cmath.asin, sympy.acos: cmath.acos, sympy.atan: cmath.atan,
    sympy.sec: lambda x: 1 / cmath.cos(x), sympy.csc: lambda x: 1 / cmath.sin(x),
    sympy.cot: lambda x: 1 / cmath.tan(x), sympy.asinh: cmath.asinh, sympy.acosh: cmath.acosh,
    sympy.atanh: cmath.atanh, sympy.Abs: lambda x: complex(abs(x)), sympy.sign: _sign,
}


_CONSTANTS = {sympy.pi: complex(math.pi), sympy.E: complex(math.e), sympy.I: 1j}


def _constant(expr) -> complex:
    """A SymPy number as a Python complex, without going through evalf for the usual kinds."""
    if expr.is_Rational:
        return complex(expr.p / expr.q)
    if expr.is_Float:
        return complex(float(expr))
    if expr in _CONSTANTS:
        return _CONSTANTS[expr]
    if expr.is_finite is False or expr is sympy.nan:
        raise _Undefined
    return complex(expr)


def _evaluate(expr, env: dict) -> complex:
    if expr.is_Symbol:
        return env[expr]
    if expr.is_Number or expr.is_NumberSymbol or expr is sympy.I:
        return _constant(expr)
    if expr.is_Add:
        return sum((_evaluate(a, env) for a in expr.args), 0j)
    if expr.is_Mul:
        out = 1 + 0j
        for a in expr.args:
            out *= _evaluate(a, env)
        return out
    if expr.is_Pow:
        return _pow(_evaluate(expr.base, env), _evaluate(expr.exp, env))
    fn = _FUNCTIONS.get(expr.func)
    if fn is not None and len(expr.args) == 1:
        return fn(_evaluate(expr.args[0], env))
    return _exact_value(expr, {s: sympy.Float(env[s].real, 17) for s in expr.free_symbols}, digits=17)


def _float_value(expr, env: dict) -> complex | None:
    """The value at a point, or None where it is undefined (0 division, overflow, log 0)."""
    try:
        v = _evaluate(expr, env)
    except (_Undefined, ZeroDivisionError, OverflowError, ValueError, TypeError, KeyError):
        return None
    return v if cmath.isfinite(v) else None


def _exact_value(expr, point: dict, digits: int = 30) -> complex:
    v = expr.xreplace(point)
    if v.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise _Undefined
    try:
        re_, im = sympy.N(v, digits).as_real_imag()
        if not (re_.is_number and im.is_number):
            raise _Undefined
        out = complex(float(re_), float(im))
    except SYMPY_ERRORS:
        raise _Undefined from None
    if not cmath.isfinite(out):
        raise _Undefined
    return out


def _is_real(v: complex) -> bool:
    return abs(v.imag) <= 1e-9 * max(1.0, abs(v.real))


def _close(a: complex, b: complex, rel: float = REL, abs_: float = ABS) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b)) + abs_


# ---------------------------------------------------------------------------
# High-precision evaluation over the reals (mpmath): decides what floats only estimate


import mpmath  # noqa: E402  (SymPy's own dependency; check.py already needs SymPy)

MP_DIGITS, MP_CONFIRM_DIGITS = 40, 80
MP_LADDER = (MP_CONFIRM_DIGITS, 160, 320, 640)  # a mismatch counts once two of these give the same value
MP_STABLE = mpmath.mpf(10) ** -6           # "the same value": a learner reads 6 digits of it
MP_REL = mpmath.mpf(10) ** -25      # cannot hide a difference of 1 in 10^9 (nor in 10^20)


def _mp_sign(x):
    return mpmath.mpf(0) if x == 0 else x / abs(x)


_MP_FUNCTIONS = {
    sympy.exp: mpmath.exp, sympy.log: mpmath.log, sympy.sin: mpmath.sin, sympy.cos: mpmath.cos,
    sympy.tan: mpmath.tan, sympy.sinh: mpmath.sinh, sympy.cosh: mpmath.cosh, sympy.tanh: mpmath.tanh,
    sympy.asin: mpmath.asin, sympy.acos: mpmath.acos, sympy.atan: mpmath.atan, sympy.sec: mpmath.sec,
    sympy.csc: mpmath.csc, sympy.cot: mpmath.cot, sympy.asinh: mpmath.asinh, sympy.acosh: mpmath.acosh,
    sympy.atanh: mpmath.atanh, sympy.Abs: abs, sympy.sign: _mp_sign,
}


class _WentComplex(Exception):
    """A power of a negative number to a symbolic exponent that is not an integer here, such as
    (−1)^n at n = 1/2: written for integer n, so the point is outside the domain."""


def _is_nonreal(v) -> bool:
    return isinstance(v, mpmath.mpc) and abs(v.imag) > MP_REL * max(1, abs(v.real))


def _mp_node(expr, env: dict, parts: list):
    """The value of one node (complex if need be); a part of it that is not real is noted in
    `parts`, so that sqrt(k/m)·sqrt(m/k) at k = 2, m = −3 is seen as outside the domain, not −1."""
    out = _mp_eval(expr, env, parts)
    if not mpmath.isfinite(out):
        raise _Undefined
    if _is_nonreal(out):
        parts.append(expr)
    elif isinstance(out, mpmath.mpc):
        out = out.real
    return out


def _mp_eval(expr, env: dict, parts: list):
    if expr.is_Symbol:
        return env[expr]
    if expr.is_Rational:
        return mpmath.mpf(expr.p) / expr.q
    if expr.is_Float:
        return mpmath.mpf(expr)
    if expr is sympy.pi:
        return +mpmath.pi
    if expr is sympy.E:
        return mpmath.e
    if expr.is_Add:
        return mpmath.fsum(_mp_node(a, env, parts) for a in expr.args)
    if expr.is_Mul:
        return mpmath.fprod(_mp_node(a, env, parts) for a in expr.args)
    if expr.is_Pow:
        base, e = _mp_node(expr.base, env, parts), _mp_node(expr.exp, env, parts)
        if base == 0 and not _is_nonreal(e) and e <= 0:
            raise _Undefined
        if not _is_nonreal(base) and not _is_nonreal(e) and base < 0:
            if mpmath.isint(e):
                return mpmath.power(base, int(e))
            if not expr.exp.is_number:
                raise _WentComplex
        return mpmath.power(base, e)
    if expr.func in _MP_FUNCTIONS and len(expr.args) == 1:
        return _MP_FUNCTIONS[expr.func](_mp_node(expr.args[0], env, parts))
    return _mp_fallback(expr, env)


def _mp_fallback(expr, env: dict):
    """Anything else (sigmoid's parts are covered above; this is for rare functions) via SymPy."""
    point = {s: sympy.Float(v, mpmath.mp.dps) for s, v in env.items() if s in expr.free_symbols}
    try:
        v = sympy.N(expr.xreplace(point), mpmath.mp.dps)
        re_, im = v.as_real_imag()
        return mpmath.mpc(mpmath.mpf(re_), mpmath.mpf(im)) if im != 0 else mpmath.mpf(re_)
    except SYMPY_ERRORS:
        raise _Undefined from None


def _mp_value(expr, point: dict, digits: int):
    """(value, None) at a rational point with `digits` digits: real, or complex where the value
    itself is not real; (None, "undefined") where it is undefined; (None, "complex") where a part
    of it is not real but the whole is (outside the real domain: not a counterexample)."""
    with mpmath.workdps(digits):
        env = {s: mpmath.mpf(v.p) / v.q for s, v in point.items()}
        parts: list = []
        try:
            v = _mp_node(expr, env, parts)
            if parts and not _is_nonreal(v):
                return None, "complex"
            return v, None
        except _WentComplex:
            return None, "complex"
        except (_Undefined, ZeroDivisionError, OverflowError, ValueError, TypeError, KeyError):
            return None, "undefined"


FLOAT_REL = mpmath.mpf(10) ** -12  # a side with a decimal Float in it is only that precise


def _mp_agree(a, b, rel=MP_REL) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b)) or (a == b)


# ---------------------------------------------------------------------------
# Sampling


class Sampler:
    """Seeded points where the domain and the expected expression are real and defined."""

    def __init__(self, expected: Expr, variables, domain=(), seed: int = SEED):
        self.expected = expected
        self.variables = sorted(set(variables), key=lambda s: s.name)
        self.domain = tuple(domain)
        self._points: list[dict] = []
        self._envs: list[dict] = []
        self._values: list[float] = []
        self._rng = random.Random(seed)
        self._source = None  # points are drawn on first use: an exact decision needs none

    @property
    def points(self) -> list[dict]:
        self._start()
        return self._points

    @property
    def envs(self) -> list[dict]:
        self._start()
        return self._envs

    @property
    def values(self) -> list[float]:
        self._start()
        return self._values

    def _start(self) -> None:
        if self._source is None:
            self._source = self._candidates()
            self._fill(TARGET_POINTS)

    def _candidates(self):
        n = len(self.variables)
        for k in range(len(NICE)):
            yield [sympy.Rational(SMALL[k % len(SMALL)].numerator, SMALL[k % len(SMALL)].denominator)
                   if v.name in NUDGE_NAMES else NICE[(k + 3 * i) % len(NICE)] for i, v in enumerate(self.variables)]
        for scale in (400, 10000):  # |x| ≤ 4 first, then up to 100 for narrow domains
            for _ in range(3 * TARGET_POINTS):
                yield [sympy.Rational(self._rng.randint(1, scale), 100) * self._rng.choice((1, -1))
                       for _ in range(n)]
        for _ in range(3 * TARGET_POINTS):  # integers, for exponents like the n of (−1)^n
            yield [sympy.Integer(self._rng.randint(-20, 20)) for _ in range(n)]

    def _fill(self, count: int) -> None:
        for coords in self._source:
            if len(self._points) >= count:
                return
            point = dict(zip(self.variables, coords))
            env = {s: complex(float(v)) for s, v in point.items()}
            if any(not _real_at(d, env) for d in self.domain):
                continue
            v = _float_value(self.expected, env)
            if v is None or not _is_real(v):
                continue
            self._points.append(point)
            self._envs.append(env)
            self._values.append(v.real)

    def evaluate(self, expr: Expr) -> list[complex | None]:
        return [_float_value(expr, env) for env in self.envs]

    def compare(self, expr: Expr) -> Equivalence:
        """Comparison of expr with the expected expression at the sample points, each decided at
        MP_DIGITS digits (a mismatch confirmed at MP_CONFIRM_DIGITS). A point where a part of
        either side is not real is outside the domain and skipped; an answer whose value is not
        real where the expected one is real is a mismatch."""
        agreed, i, unresolved = 0, 0, False
        while agreed < TARGET_POINTS and i < 4 * TARGET_POINTS:
            if i == len(self.points):  # points skipped for this answer: draw more
                self._fill(i + 1)
                if i == len(self.points):
                    break
            verdict = _compare_at(expr, self.expected, self.points[i], self.domain)
            i += 1
            if verdict is True:
                agreed += 1
            elif verdict is UNRESOLVED:
                unresolved = True  # another point may still prove it wrong; none can prove it right
            elif isinstance(verdict, Counterexample):
                return Equivalence(False, "sampled", verdict, agreed)
        if agreed >= MIN_POINTS and not unresolved:
            return Equivalence(True, "sampled", None, agreed)
        return Equivalence(None, "imprecise" if unresolved else "undecided", None, agreed)


def _real_at(expr, env) -> bool:
    v = _float_value(expr, env)
    return v is not None and _is_real(v)


UNRESOLVED = "unresolved"  # _compare_at: the digits tried could not tell


def _compare_at(expr, expected, point, domain=()):
    """True if they agree at this point, None if it is outside the domain, else a Counterexample
    (a mismatch at MP_DIGITS digits that is still one, with the same value, at twice the digits),
    or UNRESOLVED when up to 640 digits the answer's value keeps moving (amplified cancellation).

    An answer with a part that is not real (√ of a negative) is outside its own domain; that is
    no counterexample when J is not real there either (sqrt(k/m)·sqrt(m/k) for k/m < 0), but it
    is one where J and dJ are plainly real: w/(√(w−1)·√(w+1)) for J = √(w²−1) is not a real
    number at w = −2, though dJ/dw is."""
    rel = FLOAT_REL if expr.has(sympy.Float) or expected.has(sympy.Float) else MP_REL
    before = None
    for digits in (MP_DIGITS, *MP_LADDER):
        want, want_why = _mp_value(expected, point, digits)
        if want is None or want_why is not None or isinstance(want, mpmath.mpc):
            return None
        got, why = _mp_value(expr, point, digits)
        if why == "complex" and domain and all(_plainly_real(d, point, digits) for d in domain):
            return Counterexample(dict(point), None, float(want), None, _mp_sympy(want))
        if why is not None:
            return None
        if not isinstance(got, mpmath.mpc) and _mp_agree(got, want, rel):
            return True
        if before is not None and _mp_agree(got, before, MP_STABLE):
            break  # the same value at twice the digits: a real mismatch, not round-off
        before = got
    else:
        # the answer's value still moves with the precision: cancellation amplified past what
        # these digits resolve ((sin 3w − 3 sin w + 4 sin³w)·4^300·e^120 at w = 3): no claim either way
        return UNRESOLVED
    return Counterexample(dict(point), complex(got), float(want), _mp_sympy(got), _mp_sympy(want))


def _plainly_real(expr, point, digits) -> bool:
    """Real at the point with every part of it real (no detour through complex numbers)."""
    v, why = _mp_value(expr, point, digits)
    return why is None and v is not None and not isinstance(v, mpmath.mpc)


def _mp_sympy(v) -> Expr | None:
    """A real mpmath value as a SymPy Float with its digits, for display; None if not real."""
    return None if isinstance(v, mpmath.mpc) else sympy.Float(mpmath.nstr(v, MP_DIGITS), MP_DIGITS)


def matches(a_values, b_values, up_to_constant: bool = False) -> bool:
    """Do two value lists (from the same points) agree wherever both are defined?"""
    pairs = [(a, b) for a, b in zip(a_values, b_values) if a is not None and b is not None]
    if len(pairs) < MIN_POINTS:
        return False
    shift = pairs[0][0] - pairs[0][1] if up_to_constant else 0
    return all(_close(a - shift, b) for a, b in pairs)


# ---------------------------------------------------------------------------
# Rational functions: decided exactly, both ways (polynomial identity testing)


PRIME = 2**61 - 1       # a Mersenne prime: values modulo it are exact and stay one machine word
PIT_POINTS = 8          # random points that must agree modulo PRIME: error ≤ (degree/PRIME)^8
MAX_VALUE_BITS = 20000  # a power bigger than this (in bits) at a point: try another point
EXACT_NICE = (2, -2, 3, -3, 1, -1, 4, -4, 5, -5, 6, -6, 7, -7)
# A nudge is small and positive: a counterexample says "at w = 2, ε = 0.1", never "ε = −3".
NUDGE_NAMES = frozenset({"ε", "epsilon", "eps"})
SMALL = (Fraction(1, 10), Fraction(1, 2), Fraction(1), Fraction(1, 5), Fraction(1, 4), Fraction(2),
         Fraction(3, 10), Fraction(1, 20), Fraction(3), Fraction(2, 5), Fraction(3, 2), Fraction(4))


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
    """The value modulo PRIME at an integer point; _Undefined where a denominator is 0 mod PRIME."""
    if expr.is_Symbol:
        return env[expr]
    if expr.is_Integer:
        return int(expr) % PRIME
    if expr.is_Rational:
        q = expr.q % PRIME
        if q == 0:
            raise _Undefined
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
                raise _Undefined
            base, n = pow(base, -1, PRIME), -n
        return pow(base, n, PRIME)
    raise _NotRational


def _fraction_value(expr, env: dict, limit: int = MAX_VALUE_BITS) -> Fraction:
    """The exact value at a rational point; _Undefined at a pole, or where a power would have more
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
            raise _Undefined
        if (max(abs(base.numerator), base.denominator).bit_length() - 1) * abs(n) > limit:
            raise _Undefined  # too big to show a learner; another point will do
        return base**n
    raise _NotRational


def _is_rational(a, b) -> int | None:
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
        fenv = {s: complex(float(v)) for s, v in env.items()}
        if any(not _real_at(d, fenv) for d in domain):
            continue
        try:
            got, want = _fraction_value(a, env, limit), _fraction_value(b, env, limit)
        except (_Undefined, ZeroDivisionError, RecursionError):
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


def _decide_rational(a, b, variables, domain, degree: int) -> Equivalence | None:
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
        except _Undefined:
            continue
        if not same:
            ce = _rational_counterexample(a, b, variables, domain)
            return Equivalence(False, "exact", ce, agreed)
        agreed += 1
        if agreed >= PIT_POINTS:
            how = "exact" if _exactly_equal(a, b) else "identity"
            return Equivalence(True, how, None, agreed)
    return None


# ---------------------------------------------------------------------------
# Equivalence


def _small(expr) -> bool:
    return mistakes.small(expr, EXACT_SIZE, EXACT_MAX_POWER)


def _exactly_equal(a, b) -> bool:
    if not (_small(a) and _small(b)):
        return False
    try:
        d = sympy.expand(a - b)
        # cancel is only needed (and only paid for) when there is a denominator to clear
        return d == 0 or (_has_denominator(d) and sympy.cancel(d) == 0)
    except SYMPY_ERRORS:
        return False


def _has_denominator(expr) -> bool:
    return any(p.exp.is_negative for p in expr.atoms(sympy.Pow))


def _simplifies_to_zero(diff) -> bool | None:
    from derivtutor.algebra import cas

    try:
        return cas.simplify(diff, timeout=SIMPLIFY_TIMEOUT) == 0
    except cas.CasTimeout:
        return None


def _decide(a: Expr, sampler: Sampler) -> Equivalence:
    degree = _is_rational(a, sampler.expected)
    if degree is not None:
        decided = _decide_rational(a, sampler.expected, sampler.variables, sampler.domain, degree)
        if decided is not None:
            return decided
    if _exactly_equal(a, sampler.expected):
        return Equivalence(True, "exact")
    sampled = sampler.compare(a)
    if sampled.equal is not None:
        return sampled
    if _simplifies_to_zero(a - sampler.expected):
        return Equivalence(True, "simplify", None, sampled.points)
    return sampled


def _domain(domain) -> tuple:
    if domain is None:
        return ()
    return (domain,) if isinstance(domain, sympy.Basic) else tuple(domain)


def equivalent(a: Expr, b: Expr, variables=None, domain=None, seed: int = SEED) -> Equivalence:
    """Is a the same function as b wherever the domain (an expression or several) is real?"""
    a, b = _as_expr(a), _as_expr(b)
    doms = _domain(domain)
    variables = set(variables or ()).union(a.free_symbols, b.free_symbols, *(d.free_symbols for d in doms))
    return _decide(a, Sampler(b, variables, doms, seed))


# ---------------------------------------------------------------------------
# Numbers


_DECIMAL = re.compile(r"^\s*[+\-−]?(\d*)(?:\.(\d*))?(?:[eE][+\-−]?\d+)?\s*$")


def significant_digits(typed: str | None) -> int | None:
    """Significant digits of a plain decimal as typed ("0.0312" → 3, "6.0" → 2, "100" → 1)."""
    if not typed:
        return None
    m = _DECIMAL.match(typed)
    if not m or not (m.group(1) or m.group(2)):
        return None
    whole, frac = m.group(1) or "", m.group(2)
    digits = (whole + (frac or "")).lstrip("0")
    if frac is None:
        digits = digits.rstrip("0")
    return len(digits) or None


def _decimal_of(typed: str) -> Decimal:
    return Decimal(typed.strip().replace("−", "-"))


def _rounds_to(typed: str | None, expected, min_digits: int = MIN_SIG_DIGITS) -> bool:
    n = significant_digits(typed)
    if n is None or n < min_digits:
        return False
    try:
        exact = Decimal(str(sympy.N(expected, 30) if isinstance(expected, sympy.Basic) else repr(expected)))
        mine = _decimal_of(typed)
    except (InvalidOperation, ValueError, TypeError):
        return False
    if exact == 0:
        return mine == 0
    unit = Decimal(1).scaleb(exact.adjusted() - n + 1)
    return any(mine == exact.quantize(unit, rounding=r) for r in (ROUND_HALF_UP, ROUND_HALF_EVEN))


def _is_exact(e: Expr) -> bool:
    return not e.has(sympy.Float)


def _same_constant(a: Expr, b: Expr) -> bool:
    """Exact constants: equal as rationals, or to 50 digits (π/2 against 1/2·π)."""
    d = a - b
    if d.is_Rational:
        return d == 0
    return abs(complex(sympy.N(d, 50))) <= 1e-45 * max(1.0, abs(complex(sympy.N(b, 17))))


def _number_how(answer: Expr, expected: Expr, typed, rel_tol, abs_tol) -> str | None:
    """How the answer passes ("exact", "rounded", "numeric"), or None."""
    try:
        got = _exact_value(answer, {})
        want = _exact_value(expected, {})
    except _Undefined:
        return None
    if not _is_real(got):
        return None
    if _is_exact(answer) and _is_exact(expected) and _close(got, want, 1e-15, 0):
        if _same_constant(answer, expected):
            return "exact"
    if _rounds_to(typed, expected):
        return "rounded"
    rel = DEFAULT_REL_TOL if rel_tol is None else rel_tol
    abs_ = DEFAULT_ABS_TOL if abs_tol is None else abs_tol
    if math.isclose(got.real, want.real, rel_tol=rel, abs_tol=abs_):
        return "numeric"
    return None


# Which sentence a wrong number gets: the first predicate (got, want, typed) that holds.
_NUMBER_HINTS = (
    # only when the sign is all that is wrong: −6 for 8 is not a sign slip, it is too small
    ("wrong_sign", lambda got, want, typed: got * want < 0 and (
        math.isclose(-got, want, rel_tol=DEFAULT_REL_TOL) or _rounds_to(typed, -want, min_digits=1))),
    ("more_digits", lambda got, want, typed: _rounds_to(typed, want, min_digits=1)),
    ("close", lambda got, want, typed: _off_by_last_digit(got, want, typed)),
    ("too_large", lambda got, want, typed: got > want),
    ("too_small", lambda got, want, typed: True),
)


def _off_by_last_digit(got: float, want: float, typed: str | None) -> bool:
    if significant_digits(typed) is None:
        return False
    try:
        unit = float(Decimal(1).scaleb(_decimal_of(typed).as_tuple().exponent))
    except (InvalidOperation, ValueError):
        return False
    # A rounding slip needs something to round: `5` for 6 or `11` for 12 is plainly wrong,
    # `9.005` for 9.006001 is a last digit rounded the wrong way.
    needs_rounding = abs(want - round(want / unit) * unit) > 1e-9 * max(1.0, abs(want))
    # …and one unit off the rightly rounded value, in a number with a digit before its last one:
    # `2` for 0.5 or `0.1` for 0.25 is not a slip in the last digit.
    one_off = abs(abs(got - round(want / unit) * unit) - unit) <= 1e-9 * max(1.0, abs(want))
    return needs_rounding and one_off and (significant_digits(typed) or 0) >= 2


def check_number(answer, expected, rel_tol=None, abs_tol=None, *, typed: str | None = None,
                 lang: str | None = None, exact: bool = False) -> Verdict:
    """A number against the expected one, by the policy in this module's docstring;
    with `exact`, only the exact value passes (a rounded decimal is not "Right")."""
    answer, expected = _as_expr(answer), _as_expr(expected)
    if answer.free_symbols:
        return _verdict(False, "numeric", "not_a_number", lang, answer=answer, corrected=expected,
                        yours=_math(answer), names=listing(sorted(s.name for s in answer.free_symbols)))
    how = _number_how(answer, expected, typed, rel_tol, abs_tol)
    if exact and how in ("rounded", "numeric") and (answer - expected) != 0:
        how = None
    if how:
        return _verdict(True, how, "right_number", lang, answer=answer, corrected=expected,
                        yours=_number_shown(answer, typed))
    try:
        got, want = _exact_value(answer, {}), _exact_value(expected, {}).real
    except _Undefined:
        got, want = None, None
    if got is None or not _is_real(got):
        return _verdict(False, "numeric", "not_real_number", lang, answer=answer, corrected=expected,
                        yours=_number_shown(answer, typed))
    key = next(k for k, test in _NUMBER_HINTS if test(got.real, want, typed))
    return _verdict(False, "numeric", key, lang, answer=answer, corrected=expected,
                    yours=_number_shown(answer, typed))


# ---------------------------------------------------------------------------
# Expressions and derivatives


def check_expression(answer, expected, variables=None, *, domain=None, lang: str | None = None) -> Verdict:
    """An expression against the expected one, by equivalence (not by spelling)."""
    answer, expected = _as_expr(answer), _as_expr(expected)
    eq = equivalent(answer, expected, variables, domain)
    if eq.equal:
        return _verdict(True, eq.how, "right_expression", lang, answer=answer, corrected=expected,
                        yours=_math(answer))
    return _wrong_by_sampling(eq, answer, expected, "expression", lang, wrt="")


def check_derivative(J, answer, wrt=None, at=None, *, typed: str | None = None, rel_tol=None,
                     abs_tol=None, lang: str | None = None, partial: bool | None = None) -> Verdict:
    """The learner's dJ/dwrt (an expression, or with `at` a number) against the right one.
    Its sentences write ∂J/∂w where J has several variables (or `partial` says so), as lesson 1 teaches."""
    J = _as_expr(J)
    wrt = _variable(J, wrt)
    verdict = _check_derivative(J, answer, wrt, at, typed, rel_tol, abs_tol, lang)
    if not (partial if partial is not None else len(J.free_symbols) > 1):
        return verdict
    texts = {k: partial_notation(v, wrt.name) for k, v in verdict.texts.items()}
    return dataclasses.replace(verdict, feedback=partial_notation(verdict.feedback, wrt.name), texts=texts)


def partial_notation(text: str, wrt: str) -> str:
    """dJ/dw written ∂J/∂w: the notation for a J of several variables."""
    return text.replace(f"dJ/d{wrt}", f"∂J/∂{wrt}")


def _check_derivative(J, answer, wrt, at, typed, rel_tol, abs_tol, lang) -> Verdict:
    answer = _as_expr(answer)
    right = mistakes.differentiate(J, wrt)
    ctx = Context(J, wrt, right, answer)
    if at and not answer.free_symbols:
        return _check_value_at(ctx, _point(J, wrt, at), typed, rel_tol, abs_tol, lang)
    variables = set().union(J.free_symbols, answer.free_symbols, {wrt})
    sampler = Sampler(right, variables, (J,))
    eq = _decide(answer, sampler)
    if eq.equal:
        key = "right_partial" if len(J.free_symbols) > 1 else "right_derivative"  # ∂J/∂w where J has several
        return _verdict(True, eq.how, key, lang, answer=answer, corrected=right, yours=_math(answer), wrt=wrt.name)
    if eq.equal is False:
        mistake = _diagnose(ctx, sampler)
        if mistake is not None:
            fields = dict(wrt=wrt.name, point="")
            return _verdict(False, "mistake", "diagnosis", lang, counterexample=eq.counterexample,
                            mistake=mistake, answer=answer, corrected=right,
                            message={k: tr(mistake.message, k, **fields) for k in ("en", "zh")},
                            yours=_math(answer), right=_math(sympy.factor_terms(right)))
    return _wrong_by_sampling(eq, answer, right, "derivative", lang, wrt=wrt.name)


def _diagnose(ctx: Context, sampler: Sampler) -> Mistake | None:
    """The first row of the table whose wrong answer is the learner's answer, with its message
    said about the learner's J. Sampled values only pick candidates; equivalence decides.
    Silent on a J larger than DIAGNOSE_MAX_NODES: building every row's wrong answer for it costs
    more than the time a verdict may take, and the counterexample still proves the answer wrong."""
    if not mistakes.small(ctx.J, DIAGNOSE_MAX_NODES, 10**9):
        return None
    mine = sampler.evaluate(ctx.answer)
    right = [complex(v) for v in sampler.values]
    for row in MISTAKES:
        if not row.symbolic:
            continue
        for wrong in _wrong_records(row, ctx):
            theirs = sampler.evaluate(wrong.expr)
            if matches(theirs, right, row.up_to_constant):
                continue  # this mistake makes no difference for this J
            if matches(mine, theirs, row.up_to_constant) and _reproduces(ctx, wrong.expr, row.up_to_constant):
                return row.told(wrong)
    return None


def _reproduces(ctx: Context, wrong: Expr, up_to_constant: bool) -> bool:
    """Is the learner's answer this wrong answer (plus a constant, for an integral)?"""
    variables = set().union(ctx.J.free_symbols, ctx.answer.free_symbols, {ctx.wrt})
    mine, theirs = (sympy.diff(ctx.answer - wrong, ctx.wrt), sympy.Integer(0)) if up_to_constant else (ctx.answer, wrong)
    if (mine - theirs).is_rational_function() and _small(mine) and _small(theirs):
        return _exactly_equal(mine, theirs)  # decidable, so decided: a near miss is not this mistake
    return equivalent(mine, theirs, variables, ctx.J).equal is True


def _wrong_records(row: Mistake, ctx: Context) -> tuple:
    """The row's wrong answers as `mistakes.Wrong`s; a row that cannot build one for this J
    just does not apply."""
    try:
        return tuple(w for w in row.wrongs(ctx) if isinstance(w.expr, Expr))
    except SYMPY_ERRORS:
        return ()


def _wrong_answers(row: Mistake, ctx: Context) -> tuple:
    """The row's wrong answers as expressions."""
    return tuple(w.expr for w in _wrong_records(row, ctx))


def _at(expr: Expr, point: dict) -> Expr:
    """expr at the point, exactly: in-process when cas calls it small, else in the bounded worker
    (x^x^x at x = 9 is 9^387420489, which SymPy would compute in the main process)."""
    from derivtutor.algebra import cas

    return cas.call("subs", expr, point)


def _check_value_at(ctx: Context, point: dict, typed, rel_tol, abs_tol, lang) -> Verdict:
    __import__("derivtutor.algebra.cas", fromlist=["cas"]).refuse_huge(ctx.derivative, point)  # 9^(9^9) is never computed
    try:
        right = _at(ctx.derivative, point)
        _exact_value(right, {})
    except _Undefined:
        raise CheckError("undefined_at", point=_point_math(point, math=False), wrt=ctx.wrt.name) from None
    if right.free_symbols:
        raise CheckError("need_point", names=listing(sorted(s.name for s in right.free_symbols)))
    shown = dict(yours=_number_shown(ctx.answer, typed), point=_point_math(point), wrt=ctx.wrt.name)
    how = _number_how(ctx.answer, right, typed, rel_tol, abs_tol)
    if how:
        return _verdict(True, how, "right_value", lang, answer=ctx.answer, corrected=right, **shown)
    for row in MISTAKES:
        if not row.numeric:
            continue
        for wrong in _wrong_answers(row, ctx):
            value = _at(wrong, point)
            if value.free_symbols or _number_how(value, right, None, 1e-9, 1e-12):
                continue
            if _number_how(ctx.answer, value, typed, rel_tol, abs_tol):
                message = {k: tr(row.message, k, wrt=ctx.wrt.name, point=shown["point"]) for k in ("en", "zh")}
                return _verdict(False, "mistake", "diagnosis_value", lang, mistake=row, answer=ctx.answer,
                                corrected=right, message=message, right=_right_text(ctx.answer, right), **shown)
    verdict = check_number(ctx.answer, right, rel_tol, abs_tol, typed=typed, lang=lang)
    return Verdict(False, verdict.how, verdict.feedback, answer=ctx.answer, corrected=right, texts=verdict.texts)


def _wrong_by_sampling(eq: Equivalence, answer, expected, what: str, lang, wrt: str) -> Verdict:
    if eq.equal is None:
        key = "imprecise" if eq.how == "imprecise" else "undecided"
        return _verdict(False, "undecided", key, lang, answer=answer, corrected=expected, yours=_math(answer))
    ce = eq.counterexample
    if ce is None:  # the exact step cannot say "different"; sampling always gives a point
        return _verdict(False, eq.how, f"wrong_{what}", lang, answer=answer, corrected=expected,
                        yours=_math(answer), wrt=wrt)
    key = f"counter_{what}" if ce.learner_real() else f"counter_nonreal_{what}"
    if not ce.point and ce.learner_real():
        key = f"constant_{what}"
    mine = ce.learner_exact if ce.learner_exact is not None else (ce.learner.real if ce.learner else 0)
    theirs = ce.expected_exact if ce.expected_exact is not None else ce.expected
    yours, right = _distinct_texts(mine, theirs)
    return _verdict(False, eq.how, key, lang, counterexample=ce, answer=answer, corrected=expected,
                    point=_point_math(ce.point), yours=yours, expected=right, wrt=wrt)


def _right_text(answer, right) -> str:
    """The right number as usual, or with more digits if it would read like the learner's."""
    text = _num_text(right)
    return _distinct_texts(answer, right)[1] if text == _num_text(answer) else text


def _distinct_texts(a, b) -> tuple[str, str]:
    """Two numbers the checker calls different, shown so that they look different: exact when
    short (−510451521 against −510451522, 99999999/100000000 against 99999998/99999999), else
    with as many significant digits as it takes to tell them apart."""
    exact = [_exact_text(x) for x in (a, b)]
    if all(t is not None for t in exact) and exact[0] != exact[1]:
        return exact[0], exact[1]
    for digits in (6, 9, 12, 15, 17, 25, 40):
        texts = [_digits_text(x, digits) for x in (a, b)]
        if texts[0] != texts[1]:
            return texts[0], texts[1]
    return texts[0], texts[1]


def _exact_text(x) -> str | None:
    """An integer or fraction written out, when it is at most 24 characters long."""
    if isinstance(x, sympy.Basic) and x.is_Rational:
        text = str(x) if x.is_Integer else _num_text(x) if x.q in _SHORT_DENOMINATORS else f"{x.p}/{x.q}"
        return text.replace("-", "−") if len(text) <= 24 else None
    return None


def _digits_text(x, digits: int) -> str:
    if isinstance(x, sympy.Basic):
        if x.is_Integer and len(str(abs(x))) <= digits:
            return str(x).replace("-", "−")
        text = format(Decimal(str(sympy.N(x, digits))).normalize(), f".{digits}g").replace("E", "e")
    else:
        x = float(x)
        text = str(int(x)) if x == int(x) and abs(x) < 1e15 else f"{x:.{min(digits, 17)}g}"
    return text.replace("-", "−")


# ---------------------------------------------------------------------------
# Helpers


def _as_expr(x) -> Expr:
    x = getattr(x, "expr", x)  # a mathinput.Reading gives its expression
    if isinstance(x, bool):
        raise CheckError("not_math")
    if isinstance(x, int):
        return sympy.Integer(x)
    if isinstance(x, float):
        return sympy.Float(x, 17)
    if not isinstance(x, Expr):
        raise CheckError("not_math")
    return x


def _variable(J: Expr, wrt) -> Symbol:
    if isinstance(wrt, Symbol):
        return wrt
    if isinstance(wrt, str):
        from derivtutor.algebra import mathbuild

        return mathbuild.var(wrt)
    free = sorted(J.free_symbols, key=lambda s: s.name)
    if len(free) == 1:
        return free[0]
    if not free:  # a constant J: its derivative is 0 whatever the variable; call it w
        from derivtutor.algebra import mathbuild

        return mathbuild.var("w")
    raise CheckError("need_wrt", names=listing(s.name for s in free))


def _point(J: Expr, wrt: Symbol, at: dict) -> dict:
    names = {s.name: s for s in J.free_symbols | {wrt}}
    out = {}
    for key, value in at.items():
        symbol = key if isinstance(key, Symbol) else names.get(str(key))
        if symbol is None:
            raise CheckError("unknown_variable", name=str(key))
        out[symbol] = _as_expr(value)
    return out


def _verdict(correct, how, key, lang, *, counterexample=None, mistake=None, corrected=None, answer=None,
             message=None, **fields) -> Verdict:
    texts = {}
    for code in ("en", "zh"):
        extra = {"message": message[code]} if message else {}
        texts[code] = tr(TEXT[key], code, **fields, **extra)
    return Verdict(correct, how, tr(texts, lang), counterexample, mistake, corrected, answer, texts)


# fractions whose decimal ends within six places (a counterexample at ε = 0.1 gives 9.261, not 9261/1000)
_SHORT_DENOMINATORS = frozenset(2**a * 5**b for a in range(7) for b in range(7) if 10**6 % (2**a * 5**b) == 0) - {1}


def _num_text(x) -> str:
    """A number as a learner reads it: integers plain, others to 6 significant digits, true minus."""
    if isinstance(x, sympy.Basic):
        if x.is_Integer or (x.is_Rational and x.q in _SHORT_DENOMINATORS):
            text = str(sympy.Float(x, 15)) if not x.is_Integer else str(x)
            text = text.rstrip("0").rstrip(".") if "." in text else text
            return text.replace("-", "−")
        x = float(sympy.N(x, 17))
    x = float(x)
    if x == int(x) and abs(x) < 1e15:
        text = str(int(x))
    else:
        text = f"{x:.6g}"
    return text.replace("-", "−")


def _point_text(point: dict) -> str:
    return str(_point_math(point, math=False))


def _point_math(point: dict, math: bool = True):
    """"w = 2, x = 3" marked as math, in both languages' forms ("$w = 2$、$x = 3$" in Chinese)."""
    return listing((f"{s.name} = {_num_text(v)}" for s, v in point.items()), math=math)


def _show(expr) -> str:
    from derivtutor.algebra import mathprinter

    return mathprinter.show(expr)


def _math(expr) -> str:
    return _math_text(_show(expr))


def _math_text(text: str) -> str:
    return f"${text}$"


def _number_shown(answer, typed) -> str:
    return typed.strip() if typed and typed.strip() else _show(answer)



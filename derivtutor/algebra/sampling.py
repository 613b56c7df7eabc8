"""Deciding equivalence at sample points: seeded points where the expected expression is real,
each compared with mpmath at 40 digits (a mismatch confirmed at 80, 160, … 640).

Floats (`evaluate.lab_float`) only choose the points and the candidates a diagnosis tries;
the high-precision walk here decides. Over the reals: a part of a value that is not real
puts the point outside the domain (√(k/m)·√(m/k) at k = 2, m = −3), and so does a negative
number to a symbolic exponent that is not an integer there ((−1)^n at n = 1/2).
"""

from __future__ import annotations

import random
from fractions import Fraction

import mpmath  # SymPy's own dependency
import sympy
from sympy import Expr

from derivtutor.algebra.evaluate import SYMPY_ERRORS, Undefined, float_or_evalf
from derivtutor.algebra.verdict import Counterexample, Equivalence

SEED = 20240917
MIN_POINTS = 6          # valid points needed before sampling may say "equal"
TARGET_POINTS = 14      # valid points sampled when the domain allows
FAR_POINTS = 4          # points with 4 < |x| <= 100 (halves: w = 33.5) that must also agree before "equal"
NICE = tuple(sympy.Rational(n, d) for n, d in ((2, 1), (-2, 1), (3, 1), (-3, 1), (1, 1), (-1, 1),
                                              (1, 2), (-1, 2), (5, 2), (-5, 2)))
REL, ABS = 1e-8, 1e-10  # agreement of two float evaluations
# A nudge is small and positive: a counterexample says "at w = 2, ε = 0.1", never "ε = −3".
NUDGE_NAMES = frozenset({"ε", "epsilon", "eps"})
SMALL = (Fraction(1, 10), Fraction(1, 2), Fraction(1), Fraction(1, 5), Fraction(1, 4), Fraction(2),
         Fraction(3, 10), Fraction(1, 20), Fraction(3), Fraction(2, 5), Fraction(3, 2), Fraction(4))


def sample_value(expr, env: dict) -> float | None:
    """The float value at a point, or None where it is undefined or not real."""
    try:
        return float_or_evalf(expr, env)
    except Undefined:
        return None


def close(a: complex, b: complex, rel: float = REL, abs_: float = ABS) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b)) + abs_


# ---------------------------------------------------------------------------
# High-precision evaluation over the reals (mpmath): decides what floats only estimate


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
        raise Undefined("not_a_number")
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
            raise Undefined("zero_division")
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
        raise Undefined("not_a_number") from None


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
        except (Undefined, ZeroDivisionError, OverflowError, ValueError, TypeError, KeyError):
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
        self._seed = seed  # the far points (_far_counterexample) are the same for every answer
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
            env = {s: float(v) for s, v in point.items()}
            if any(not real_at(d, env) for d in self.domain):
                continue
            v = sample_value(self.expected, env)
            if v is None:
                continue
            self._points.append(point)
            self._envs.append(env)
            self._values.append(v)

    def evaluate(self, expr: Expr) -> list[complex | None]:
        return [sample_value(expr, env) for env in self.envs]

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
            far = self._far_counterexample(expr)
            if far is not None:
                return Equivalence(False, "sampled", far, agreed)
            return Equivalence(True, "sampled", None, agreed)
        return Equivalence(None, "imprecise" if unresolved else "undecided", None, agreed)

    def _far_counterexample(self, expr: Expr) -> Counterexample | None:
        """A mismatch at a point with 4 < |x| <= 100, if one is found. The points above fill up
        inside |x| <= 4 when the domain allows, so an answer right only there passed:
        −1/|w−1| − 1/|w−4| for J = ln((w−1)(w−4)) is dJ/dw for w < 1, not for w > 4. Only a
        counterexample counts here: a far point that cannot be decided proves nothing."""
        rng, found = random.Random(self._seed + 1), 0
        for k in range(10 * FAR_POINTS):  # signs alternate: ln((w+1)(w+4)) has a branch on each side
            point = {v: sympy.Rational(SMALL[rng.randrange(len(SMALL))].numerator,
                                       SMALL[rng.randrange(len(SMALL))].denominator) if v.name in NUDGE_NAMES
                     else sympy.Rational(rng.randint(9, 200), 2) * (-1) ** (k + i) for i, v in enumerate(self.variables)}
            env = {s: float(v) for s, v in point.items()}
            if any(not real_at(d, env) for d in self.domain) or sample_value(self.expected, env) is None:
                continue
            verdict = _compare_at(expr, self.expected, point, self.domain)
            if isinstance(verdict, Counterexample):
                return verdict
            found += verdict is True
            if found >= FAR_POINTS:
                break
        return None


def real_at(expr, env) -> bool:
    return sample_value(expr, env) is not None


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
    return all(close(a - shift, b) for a, b in pairs)


"""Judging answers: is it right, and if not, which usual mistake made it?

Inputs are SymPy expressions (from `mathinput`), never text.

**Expressions** are compared in three steps, cheapest first:

1. exact: ``cancel(expand(a − b)) == 0``, only for small expressions (so it cannot run away);
2. sampled: both sides are evaluated at seeded points of both signs (small integers first, so
   a counterexample reads well, then random ones). A point is skipped where J (the domain),
   or either side, is undefined or not real — except that an answer which is not real where
   the right one is real counts as a mismatch. At least ``MIN_POINTS`` valid points are
   needed; a float mismatch is confirmed at 30 digits before it is believed;
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
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

import sympy
from sympy import Expr, Symbol

from derivtutor import mistakes
from derivtutor.i18n import tr
from derivtutor.mistakes import MISTAKES, Context, Mistake

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


# What SymPy raises on inputs it cannot handle (polys on non-polynomials, evalf failures, …).
SYMPY_ERRORS = (sympy.PolynomialError, sympy.polys.polyerrors.PolificationFailed,
                sympy.polys.polyerrors.CoercionFailed, NotImplementedError, ValueError, TypeError,
                ZeroDivisionError, OverflowError, RecursionError, AttributeError)


class CheckError(ValueError):
    """An answer or question the checker cannot judge; .message is one friendly sentence."""

    def __init__(self, key: str, **fields):
        self.key, self.fields = key, fields
        self.message = tr(TEXT[key], "en", **fields)
        super().__init__(self.message)

    def localized(self, lang: str | None = None) -> str:
        return tr(TEXT[self.key], lang, **self.fields)


# ---------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class Counterexample:
    point: dict                      # Symbol -> exact number
    learner: complex | None          # the answer's value there (None: undefined)
    expected: float

    def describe(self) -> str:
        return ", ".join(f"{s.name} = {_num_text(v)}" for s, v in self.point.items())

    def learner_real(self) -> bool:
        return self.learner is not None and _is_real(self.learner)


@dataclass(frozen=True)
class Equivalence:
    equal: bool | None               # None: could not decide
    how: str                         # "exact" | "sampled" | "simplify" | "undecided"
    counterexample: Counterexample | None = None
    points: int = 0                  # valid sample points that agreed

    def __bool__(self) -> bool:
        return bool(self.equal)


@dataclass(frozen=True)
class Verdict:
    correct: bool
    how: str       # "exact" | "sampled" | "simplify" | "rounded" | "numeric" | "mistake" | "undecided"
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
# Sampling


class Sampler:
    """Seeded points where the domain and the expected expression are real and defined."""

    def __init__(self, expected: Expr, variables, domain=(), seed: int = SEED):
        self.expected = expected
        self.variables = sorted(set(variables), key=lambda s: s.name)
        self.domain = tuple(domain)
        self.points: list[dict] = []
        self.envs: list[dict] = []
        self.values: list[float] = []
        self._rng = random.Random(seed)
        self._fill()

    def _candidates(self):
        n = len(self.variables)
        for k in range(len(NICE)):
            yield [NICE[(k + 3 * i) % len(NICE)] for i in range(n)]
        for scale in (400, 10000):  # |x| ≤ 4 first, then up to 100 for narrow domains
            for _ in range(3 * TARGET_POINTS):
                yield [sympy.Rational(self._rng.randint(1, scale), 100) * self._rng.choice((1, -1))
                       for _ in range(n)]

    def _fill(self) -> None:
        for coords in self._candidates():
            if len(self.points) >= TARGET_POINTS:
                return
            point = dict(zip(self.variables, coords))
            env = {s: complex(float(v)) for s, v in point.items()}
            if any(not _real_at(d, env) for d in self.domain):
                continue
            v = _float_value(self.expected, env)
            if v is None or not _is_real(v):
                continue
            self.points.append(point)
            self.envs.append(env)
            self.values.append(v.real)

    def evaluate(self, expr: Expr) -> list[complex | None]:
        return [_float_value(expr, env) for env in self.envs]

    def compare(self, expr: Expr) -> Equivalence:
        """Sampled comparison of expr with the expected expression."""
        agreed = 0
        for point, env, want in zip(self.points, self.envs, self.values):
            got = _float_value(expr, env)
            if got is None:
                continue
            if _is_real(got) and _close(got, want):
                agreed += 1
                continue
            confirmed = _confirm(expr, self.expected, point)
            if confirmed is None:
                agreed += 1
            elif confirmed is not False:
                return Equivalence(False, "sampled", confirmed, agreed)
        if agreed >= MIN_POINTS:
            return Equivalence(True, "sampled", None, agreed)
        return Equivalence(None, "undecided", None, agreed)


def _real_at(expr, env) -> bool:
    v = _float_value(expr, env)
    return v is not None and _is_real(v)


def _confirm(expr, expected, point):
    """At 30 digits: None if they agree after all, False if undefined, else a Counterexample."""
    try:
        want = _exact_value(expected, point)
    except _Undefined:
        return False
    try:
        got = _exact_value(expr, point)
    except _Undefined:
        return False
    if _is_real(got) and _close(got, want, 1e-12, 1e-20):
        return None
    return Counterexample(dict(point), got, want.real)


def matches(a_values, b_values, up_to_constant: bool = False) -> bool:
    """Do two value lists (from the same points) agree wherever both are defined?"""
    pairs = [(a, b) for a, b in zip(a_values, b_values) if a is not None and b is not None]
    if len(pairs) < MIN_POINTS:
        return False
    shift = pairs[0][0] - pairs[0][1] if up_to_constant else 0
    return all(_close(a - shift, b) for a, b in pairs)


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
    from derivtutor import cas

    try:
        return cas.simplify(diff, timeout=SIMPLIFY_TIMEOUT) == 0
    except cas.CasTimeout:
        return None


def _decide(a: Expr, sampler: Sampler) -> Equivalence:
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
    ("wrong_sign", lambda got, want, typed: got * want < 0),
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
    return abs(got - want) <= 1.5 * unit


def check_number(answer, expected, rel_tol=None, abs_tol=None, *, typed: str | None = None,
                 lang: str | None = None) -> Verdict:
    """A number against the expected one, by the policy in this module's docstring."""
    answer, expected = _as_expr(answer), _as_expr(expected)
    if answer.free_symbols:
        return _verdict(False, "numeric", "not_a_number", lang, answer=answer, corrected=expected,
                        yours=_math(answer), names=", ".join(sorted(s.name for s in answer.free_symbols)))
    how = _number_how(answer, expected, typed, rel_tol, abs_tol)
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
                     abs_tol=None, lang: str | None = None) -> Verdict:
    """The learner's dJ/dwrt (an expression, or with `at` a number) against the right one."""
    J, answer = _as_expr(J), _as_expr(answer)
    wrt = _variable(J, wrt)
    right = mistakes.differentiate(J, wrt)
    ctx = Context(J, wrt, right, answer)
    if at and not answer.free_symbols:
        return _check_value_at(ctx, _point(J, wrt, at), typed, rel_tol, abs_tol, lang)
    variables = set().union(J.free_symbols, answer.free_symbols, {wrt})
    sampler = Sampler(right, variables, (J,))
    eq = _decide(answer, sampler)
    if eq.equal:
        return _verdict(True, eq.how, "right_derivative", lang, answer=answer, corrected=right,
                        yours=_math(answer), wrt=wrt.name)
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
    said about the learner's J. Sampled values only pick candidates; equivalence decides."""
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


def _check_value_at(ctx: Context, point: dict, typed, rel_tol, abs_tol, lang) -> Verdict:
    __import__("derivtutor.cas").cas.refuse_huge(ctx.derivative, point)  # 9^(9^9) is never computed
    try:
        right = ctx.derivative.xreplace(point)
        _exact_value(right, {})
    except _Undefined:
        raise CheckError("undefined_at", point=_point_text(point), wrt=ctx.wrt.name) from None
    if right.free_symbols:
        raise CheckError("need_point", names=", ".join(sorted(s.name for s in right.free_symbols)))
    shown = dict(yours=_number_shown(ctx.answer, typed), point=_math_text(_point_text(point)), wrt=ctx.wrt.name)
    how = _number_how(ctx.answer, right, typed, rel_tol, abs_tol)
    if how:
        return _verdict(True, how, "right_value", lang, answer=ctx.answer, corrected=right, **shown)
    for row in MISTAKES:
        if not row.numeric:
            continue
        for wrong in _wrong_answers(row, ctx):
            value = wrong.xreplace(point)
            if value.free_symbols or _number_how(value, right, None, 1e-9, 1e-12):
                continue
            if _number_how(ctx.answer, value, typed, rel_tol, abs_tol):
                message = {k: tr(row.message, k, wrt=ctx.wrt.name, point=shown["point"]) for k in ("en", "zh")}
                return _verdict(False, "mistake", "diagnosis_value", lang, mistake=row, answer=ctx.answer,
                                corrected=right, message=message, right=_num_text(right), **shown)
    verdict = check_number(ctx.answer, right, rel_tol, abs_tol, typed=typed, lang=lang)
    return Verdict(False, verdict.how, verdict.feedback, answer=ctx.answer, corrected=right, texts=verdict.texts)


def _wrong_by_sampling(eq: Equivalence, answer, expected, what: str, lang, wrt: str) -> Verdict:
    if eq.equal is None:
        return _verdict(False, "undecided", "undecided", lang, answer=answer, corrected=expected,
                        yours=_math(answer))
    ce = eq.counterexample
    if ce is None:  # the exact step cannot say "different"; sampling always gives a point
        return _verdict(False, eq.how, f"wrong_{what}", lang, answer=answer, corrected=expected,
                        yours=_math(answer), wrt=wrt)
    key = f"counter_{what}" if ce.learner_real() else f"counter_nonreal_{what}"
    return _verdict(False, eq.how, key, lang, counterexample=ce, answer=answer, corrected=expected,
                    point=_math_text(ce.describe()), yours=_num_text(ce.learner.real if ce.learner else 0),
                    expected=_num_text(ce.expected), wrt=wrt)


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
        from derivtutor import mathinput

        return mathinput.var(wrt)
    free = sorted(J.free_symbols, key=lambda s: s.name)
    if len(free) == 1:
        return free[0]
    if not free:  # a constant J: its derivative is 0 whatever the variable; call it w
        from derivtutor import mathinput

        return mathinput.var("w")
    raise CheckError("need_wrt", names=", ".join(s.name for s in free))


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


def _num_text(x) -> str:
    """A number as a learner reads it: integers plain, others to 6 significant digits, true minus."""
    if isinstance(x, sympy.Basic):
        if x.is_Integer or (x.is_Rational and x.q in (2, 4, 5, 8, 10, 16, 20, 25, 50, 100)):
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
    return ", ".join(f"{s.name} = {_num_text(v)}" for s, v in point.items())


def _show(expr) -> str:
    from derivtutor import mathinput

    return mathinput.show(expr)


def _math(expr) -> str:
    return _math_text(_show(expr))


def _math_text(text: str) -> str:
    return f"${text}$"


def _number_shown(answer, typed) -> str:
    return typed.strip() if typed and typed.strip() else _show(answer)


TEXT = {
    "right_derivative": {"en": "Correct: {yours} is dJ/d{wrt}.", "zh": "正确：{yours} 就是 dJ/d{wrt}。"},
    "right_value": {"en": "Correct: at {point}, dJ/d{wrt} = {yours}.",
                    "zh": "正确：在 {point} 处，dJ/d{wrt} = {yours}。"},
    "right_expression": {"en": "Correct: {yours} is the same expression.", "zh": "正确：{yours} 是同一个表达式。"},
    "right_number": {"en": "Correct: {yours}.", "zh": "正确：{yours}。"},
    "counter_derivative": {
        "en": "Not quite: at {point} your answer gives {yours}, but J changes at rate {expected} there.",
        "zh": "还不对：在 {point} 处，你的答案等于 {yours}，但 J 在那里的变化率是 {expected}。"},
    "counter_nonreal_derivative": {
        "en": "Not quite: at {point} your answer is not a real number, but J changes at rate {expected} there.",
        "zh": "还不对：在 {point} 处，你的答案不是实数，但 J 在那里的变化率是 {expected}。"},
    "counter_expression": {
        "en": "Not quite: at {point} your expression gives {yours}, but the expected one gives {expected}.",
        "zh": "还不对：在 {point} 处，你的表达式等于 {yours}，而正确的表达式等于 {expected}。"},
    "counter_nonreal_expression": {
        "en": "Not quite: at {point} your expression is not a real number, but the expected one gives {expected}.",
        "zh": "还不对：在 {point} 处，你的表达式不是实数，而正确的表达式等于 {expected}。"},
    "wrong_derivative": {"en": "Not quite: {yours} is not dJ/d{wrt}.", "zh": "还不对：{yours} 不是 dJ/d{wrt}。"},
    "wrong_expression": {"en": "Not quite: {yours} is a different expression.",
                         "zh": "还不对：{yours} 是另一个表达式。"},
    "diagnosis": {"en": "{message} Yours: {yours}; corrected: {right}.",
                  "zh": "{message}你的答案：{yours}；改正后：{right}。"},
    "diagnosis_value": {"en": "{message} Yours: {yours}; at {point}, dJ/d{wrt} = {right}.",
                        "zh": "{message}你的答案：{yours}；在 {point} 处，dJ/d{wrt} = {right}。"},
    "undecided": {
        "en": "I could not check {yours}: it is undefined almost everywhere I tried. Try writing it another way.",
        "zh": "我没法检查 {yours}：在我试过的几乎所有点上它都没有定义。请换一种写法。"},
    "wrong_sign": {"en": "Not quite: check the sign of {yours}.", "zh": "还不对：检查一下 {yours} 的正负号。"},
    "more_digits": {"en": "Almost: {yours} is rounded too much; give a few more digits.",
                    "zh": "差一点：{yours} 四舍五入得太粗了；请多给几位数字。"},
    "close": {"en": "Close: {yours} is off in the last digit; round to the nearest, don't cut digits off.",
              "zh": "很接近：{yours} 的最后一位不对；要四舍五入，不要直接截掉。"},
    "too_large": {"en": "Not quite: {yours} is too large.", "zh": "还不对：{yours} 太大了。"},
    "too_small": {"en": "Not quite: {yours} is too small.", "zh": "还不对：{yours} 太小了。"},
    "not_real_number": {"en": "Not quite: {yours} is not a real number.", "zh": "还不对：{yours} 不是实数。"},
    "not_a_number": {"en": "This asks for a number, but {yours} still has {names} in it.",
                     "zh": "这里要的是一个数，但 {yours} 里还有 {names}。"},
    "not_math": {"en": "I can only check a formula or a number here.", "zh": "这里只能检查公式或数字。"},
    "need_wrt": {"en": "J has several variables ({names}): say which one to differentiate by.",
                 "zh": "J 有好几个变量（{names}）：请说明对哪一个求导。"},
    "need_point": {"en": "Give a value for {names} too.", "zh": "还需要给出 {names} 的值。"},
    "unknown_variable": {"en": "J has no variable called {name}.", "zh": "J 里没有叫 {name} 的变量。"},
    "undefined_at": {"en": "dJ/d{wrt} is undefined at {point}, so there is no value to check.",
                     "zh": "dJ/d{wrt} 在 {point} 处没有定义，所以没有值可以检查。"},
}

"""The calculus core: finite differences the way the labs compute them, and exact derivatives.

Floats come from `evaluate.lab_float`, the labs' float arithmetic, so (3.001**2 − 9)/0.001
comes out as 6.000999999999479, digit for digit as in the labs.
Exact work (substitution, derivatives, limits) goes through `cas`, which bounds it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import sympy
from sympy import Basic, Integer, Rational, Symbol

from derivtutor.algebra import cas
from derivtutor.algebra.evaluate import Undefined, exact_problem, lab_float
from derivtutor.text.errors import TutorError
from derivtutor.text.i18n import Catalog, tr
from derivtutor.text.numbers import plain
from derivtutor.algebra.mathbuild import var
from derivtutor.algebra.mathprinter import show

# ε from 1e-1 down to 1e-15: big enough to see the ε term, small enough to see round-off.
EPS_TABLE = (1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10,
             1e-11, 1e-12, 1e-13, 1e-14, 1e-15)

MESSAGES = Catalog(__name__, 'MESSAGES')

REASONS = Catalog(__name__, 'REASONS')


class UndefinedAt(TutorError, ValueError):
    """J (or its difference quotient, or its derivative) has no real value at the point.

    Catch this one class to catch every calculus failure a learner can cause: the
    subclasses below say *why* more precisely.
    """

    template = "undefined"

    def __init__(self, expr, point: str, reason: str, **fields):
        self.expr = expr
        self.point = point
        super().__init__(reason, **fields)

    def localized(self, lang: str | None = None) -> str:
        why = tr(REASONS[self.code], lang, **self.fields)
        return tr(MESSAGES[self.template], lang, expr=_show(self.expr), point=self.point, reason=why)


class Overflow(UndefinedAt):
    """The value exists but is beyond floating point (exp(1000))."""

    template = "overflow"


class NotDifferentiable(UndefinedAt):
    """J is defined at the point but has no derivative there (|w| at 0, √w at 0)."""

    template = "no_slope"


class NoFormula(NotDifferentiable):
    """The derivative rules give NaN or ∞ for J (d/dx 0^x): no exact slope, and no false claim of none."""

    template = "no_exact_slope"


@dataclass(frozen=True)
class Value:
    exact: sympy.Expr      # -1/32, √2/2, 9
    decimal: float         # -0.03125


@dataclass(frozen=True)
class TableRow:
    """One ε of the table; None where that ε steps outside J's domain."""

    eps: float
    forward: float | None
    central: float | None
    forward_error: float | None   # forward − exact derivative
    central_error: float | None


def _show(expr) -> str:
    try:
        return show(expr)
    except Exception:  # a display helper must never hide the real error
        return str(expr)


def _raise(expr, point: str, fail: Undefined):
    cls = Overflow if fail.reason == "overflow" else UndefinedAt
    raise cls(expr, point, fail.reason, **fail.fields) from None


# ---------------------------------------------------------------- points


def _as_expr(expr):
    if isinstance(expr, Basic):
        return expr
    if isinstance(expr, bool):
        raise TypeError("expected an expression or a number")
    if isinstance(expr, int):
        return Integer(expr)
    if isinstance(expr, (float, Fraction)):
        return _exact_number(expr)
    raise TypeError(f"expected a SymPy expression, not {type(expr).__name__}")


def _resolve(expr, name) -> Symbol:
    """A Symbol of expr by Symbol or by name (a name not in expr still gets the shared var)."""
    if isinstance(name, Symbol):
        return name
    for s in expr.free_symbols:
        if s.name == name:
            return s
    return var(name)


def _exact_number(v):
    """An exact SymPy number: 0.001 is 1/1000, as the person who typed it meant."""
    if isinstance(v, bool):
        raise TypeError("a point's coordinate must be a number")
    if isinstance(v, int):
        return Integer(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"not a finite number: {v}")
        f = Fraction(repr(v))  # the shortest decimal that round-trips, never SymPy on text
        return Rational(f.numerator, f.denominator)
    if isinstance(v, Fraction):
        return Rational(v.numerator, v.denominator)
    if isinstance(v, Basic) and v.is_number:
        return v
    raise TypeError(f"a point's coordinate must be a number, not {type(v).__name__}")


def _float_number(v) -> float:
    if isinstance(v, Basic):
        return lab_float(v, {})
    return float(_exact_number(v)) if isinstance(v, Fraction) else float(v)


def _float_point(expr, at: dict) -> dict:
    try:
        return {_resolve(expr, k): _float_number(v) for k, v in at.items()}
    except OverflowError:  # a coordinate like 10**400 has no float
        raise Undefined("overflow") from None


def _exact_point(expr, at: dict) -> dict:
    return {_resolve(expr, k): _exact_number(v) for k, v in at.items()}


def _coordinate(v) -> str:
    if isinstance(v, int) and not isinstance(v, bool) and v.bit_length() > 100:
        # printing every digit is slow past a few thousand (and refused past 4300)
        return f"{'-' if v < 0 else ''}~10^{int(math.log10(abs(v)))}"
    if isinstance(v, float):
        return plain(v)
    if isinstance(v, Fraction):
        return f"{v.numerator}/{v.denominator}" if v.denominator != 1 else str(v.numerator)
    return _show(v) if isinstance(v, Basic) else str(v)


def point_text(at: dict):
    """"w = 3" or "w = 3, x = 2" ("w = 3、x = 2" in Chinese): how a point reads in messages."""
    from derivtutor.text.i18n import listing

    return listing(f"{k.name if isinstance(k, Symbol) else k} = {_coordinate(v)}" for k, v in at.items())


def _float_at(expr, env: dict, point: str) -> float:
    try:
        return lab_float(expr, env)
    except Undefined as fail:
        _raise(expr, point, fail)


# ---------------------------------------------------------------- the public functions


def float_value(expr, at: dict) -> float:
    """J at the point in Python floats, exactly as the labs' arithmetic does it."""
    expr = _as_expr(expr)
    try:
        env = _float_point(expr, at)
    except Undefined as fail:
        _raise(expr, point_text(at), fail)
    return _float_at(expr, env, point_text(at))


def _refuse_huge(expr, exact_point: dict, point: str) -> None:
    """Overflow, before any exact work, when J's exact value at the point may be astronomically
    large (x^x^x at x = 9 has 369 693 100 digits): estimated with logs, never computed.

    The estimate is an upper bound, so the sentence names a count of digits only when a
    lower bound proves it ("more than 369 693 099"); otherwise it says "may", and no number."""
    from derivtutor.algebra import magnitude

    if magnitude.bits(expr, exact_point) > magnitude.MAX_BITS:
        count = magnitude.digits_at_least(expr, exact_point)
        raise Overflow(expr, point, "more_digits_than" if count else "too_many_digits", digits=count)


def value(expr, at: dict) -> Value:
    """J at the point: exact where it can be (-1/32) with its decimal beside it."""
    expr = _as_expr(expr)
    point = point_text(at)
    try:
        first = _float_at(expr, _float_point(expr, at), point)
    except Overflow:
        first = None  # the float route overflowed on the way; the exact value may still fit
    except Undefined as fail:
        _raise(expr, point, fail)
    exact_point = _exact_point(expr, at)
    _refuse_huge(expr, exact_point, point)
    exact = cas.call("subs", expr, exact_point)
    problem = exact_problem(exact)
    if problem:  # ∞ has no sentence of its own here: it is no number
        raise UndefinedAt(expr, point, "not_a_number" if problem == "infinite" else problem)
    try:
        decimal = lab_float(exact, {})
    except Undefined as fail:
        if first is None or fail.reason != "unknown_function":
            _raise(expr, point, fail)
        decimal = first
    return Value(exact, decimal)



def show_quotient(exact_k, derivative) -> str:
    """The exact difference quotient read as "the derivative + the ε terms": 6 + ε, not ε + 6."""
    rest = sympy.expand(exact_k - derivative)
    eps = var("ε")
    if rest == 0 or derivative.free_symbols or not rest.is_polynomial(eps):
        return show(exact_k)
    terms = sorted(sympy.Add.make_args(rest), key=lambda t: sympy.degree(t, eps))
    text = show(derivative)
    for term in terms:  # lowest power of ε first: 12 + 6·ε + ε²
        text += f" − {show(-term)}" if term.could_extract_minus_sign() else f" + {show(term)}"
    return text


def degree_at_most(expr, wrt, most: int) -> bool:
    """expr is a polynomial of degree `most` or less in wrt: what "a straight line" (no ε term
    in either difference) and "a parabola" (none in the central one) are proved by.

    The degree comes from the tree when that settles it; else from the worker, since
    finding the degree of (w+1)^10000 expands it."""
    from derivtutor.algebra import magnitude

    bound = magnitude.degree_bound(expr, wrt)
    if bound <= most:
        return True
    if bound > 64:  # only the choice of sentence rides on this: not worth expanding (w+1)^10000
        return False
    try:
        degree = cas.call("degree", expr, wrt, timeout=0.5)
    except (cas.CasTimeout, sympy.PolynomialError, ValueError, TypeError):
        return False
    return degree is not None and degree <= most


def formula_undefined(d) -> bool:
    """Whether a derivative formula holds NaN or ∞ (d/dx 0^x = 0^x·ln 0): never shown as such."""
    return isinstance(d, Basic) and d.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo)


def no_formula_reason(expr) -> str:
    """The REASONS key that says why `expr` has no derivative formula."""
    zero_base = any(p.base == 0 for p in expr.atoms(sympy.Pow))
    return "no_formula_zero_base" if zero_base else "no_formula"


def no_formula_text(expr, lang: str) -> str:
    """One sentence for a learner in place of "dJ/dx = nan"."""
    return tr(MESSAGES["no_formula"], lang, expr=_show(expr), reason=tr(REASONS[no_formula_reason(expr)], lang))


def derivative(expr, wrt):
    """dJ/dw, symbolic."""
    expr = _as_expr(expr)
    return cas.call("diff", expr, _resolve(expr, wrt))


def partials(expr, wrts) -> dict:
    """∂J/∂x for each x in wrts, keyed by Symbol."""
    expr = _as_expr(expr)
    symbols = [_resolve(expr, w) for w in wrts]
    return dict(zip(symbols, cas.call("gradient", expr, tuple(symbols))))


def _nudged(expr, wrt, at, eps: float, signs: tuple[int, ...]):
    """J at the point, then at w ± ε, with messages that say which of them failed."""
    expr = _as_expr(expr)
    w = _resolve(expr, wrt)
    if eps == 0:
        raise UndefinedAt(expr, "ε = 0", "zero_eps")
    point = point_text(at)
    try:
        env = _float_point(expr, at)
    except Undefined as fail:
        _raise(expr, point, fail)
    if w not in env:
        _raise(expr, point, Undefined("missing", name=w.name))
    values = [_float_at(expr, env, point)]  # the point itself first: its failure is the one to tell
    for sign in signs:
        moved = env[w] + sign * eps
        label = f"{w.name} {'+' if sign > 0 else '−'} ε = {_coordinate(moved)} (ε = {_coordinate(eps)})"
        values.append(_float_at(expr, {**env, w: moved}, label))
    return values


def forward_difference(expr, wrt, at: dict, eps: float) -> float:
    """(J(w+ε) − J(w))/ε in Python floats: 6.000999999999479 for w² at 3, ε = 0.001."""
    eps = float(eps)
    here, ahead = _nudged(expr, wrt, at, eps, (+1,))
    return (ahead - here) / eps


def central_difference(expr, wrt, at: dict, eps: float) -> float:
    """(J(w+ε) − J(w−ε))/2ε: its error shrinks like ε², not ε."""
    eps = float(eps)
    _, ahead, behind = _nudged(expr, wrt, at, eps, (+1, -1))
    return (ahead - behind) / (2 * eps)


def exact_forward_difference(expr, wrt, at: dict, eps=None):
    """(J(w+ε) − J(w))/ε in exact arithmetic: ε + 6 for w² at 3 (symbolic ε), 6001/1000 for ε = 0.001."""
    expr = _as_expr(expr)
    w = _resolve(expr, wrt)
    step = var("ε") if eps is None else (eps if isinstance(eps, Symbol) else _exact_number(eps))
    if step == 0:
        raise UndefinedAt(expr, "ε = 0", "zero_eps")
    point = _exact_point(expr, at)
    value(expr, at)  # J must be defined at the point
    return cas.call("exact_difference", expr, w, point, step)


_KINKED = (sympy.Abs, sympy.sign, sympy.Heaviside, sympy.Max, sympy.Min, sympy.floor, sympy.ceiling)


def _near_a_kink(expr, at: dict) -> bool:
    """Whether the point may sit on a corner or a jump (|u| at u = 0, max(a, b) at a = b), in
    floats: one-sided limits (slow for θ) are taken only there, never at w = 2 for max(0, w)."""
    try:
        env = _float_point(expr, at)
        for node in expr.atoms(*_KINKED):
            values = [lab_float(arg, env) for arg in node.args]
            if isinstance(node, (sympy.Max, sympy.Min)):
                values = [a - b for i, a in enumerate(values) for b in values[i + 1:]]
            elif isinstance(node, (sympy.floor, sympy.ceiling)):
                values = [v - round(v) for v in values]
            else:
                values = values[:1]
            if any(abs(v) <= 1e-9 for v in values):
                return True
    except Undefined:
        return True  # cannot tell: take the limits
    return False


def derivative_at(expr, wrt, at: dict) -> Value:
    """dJ/dw at the point; NotDifferentiable when J is defined there but has no slope."""
    expr = _as_expr(expr)
    w = _resolve(expr, wrt)
    point = point_text(at)
    value(expr, at)  # UndefinedAt when J itself has no value here
    d = derivative(expr, w)
    exact_point = _exact_point(expr, at)
    if expr.has(*_KINKED) and w in exact_point and _near_a_kink(expr, at):
        others = {s: v for s, v in exact_point.items() if s != w}
        d_line = cas.call("subs", d, others) if others else d
        d_line = d_line.replace(sympy.DiracDelta, lambda *a: sympy.S.Zero)  # its one-sided limits are 0
        try:
            right = cas.call("limit_right", d_line, w, exact_point[w])
            left = cas.call("limit_left", d_line, w, exact_point[w])
        except (NotImplementedError, ValueError, TypeError, sympy.PolynomialError):
            right = left = None  # SymPy could not take the limits: fall back to the value
        if right is not None and right != left:
            raise NotDifferentiable(expr, point, "corner", right=_show(right), left=_show(left))
    if formula_undefined(d):
        raise NoFormula(expr, point, no_formula_reason(expr))
    try:
        return value(d, at)
    except Overflow:
        raise
    except UndefinedAt as err:
        reason = {"zero_division": "infinite_slope", "jump": "jump"}.get(err.code, "slope_undefined")
        raise NotDifferentiable(expr, point, reason, d=_show(d)) from None


def difference_table(expr, wrt, at: dict, eps_values=EPS_TABLE) -> list[TableRow]:
    """Forward and central differences and their errors as ε shrinks: the ε term, then round-off."""
    expr = _as_expr(expr)
    value(expr, at)  # nothing to tabulate when J has no value at the point
    try:
        slope = derivative_at(expr, wrt, at).decimal
    except UndefinedAt:
        slope = None  # a corner or a vertical slope: show the differences, no errors
    rows = []
    for eps in eps_values:
        forward = _or_none(forward_difference, expr, wrt, at, eps)
        central = _or_none(central_difference, expr, wrt, at, eps)
        rows.append(TableRow(
            eps, forward, central,
            None if forward is None or slope is None else forward - slope,
            None if central is None or slope is None else central - slope,
        ))
    return rows


def _or_none(difference, expr, wrt, at, eps):
    try:
        return difference(expr, wrt, at, eps)
    except UndefinedAt:
        return None

"""A SymPy expression's number at a point, one way for the whole package.

Floats are computed by walking the tree with Python float arithmetic and `math`, so
(3.001**2 − 9)/0.001 comes out as 6.000999999999479, digit for digit as in the labs; the
finite differences (calculus), the graphs' checks and the checker's sample points all use
this walk. Where there is no real number, `Undefined` says why with one reason word
(zero_division, overflow, not_real, …), so "undefined at", "overflow" and "not real" mean
the same in every module; each module only picks its own sentence for the word.
Exact values (after substitution) are judged by `exact_problem`, with the same words.
"""

from __future__ import annotations

import math

import sympy
from sympy import Symbol


class Undefined(Exception):
    """No real float at the point: `reason` is the word, `fields` fill its sentence."""

    def __init__(self, reason: str, **fields):
        super().__init__(reason)
        self.reason = reason
        self.fields = fields


def _number(e, env) -> float:
    if e.is_Integer:
        return float(int(e))
    if e.is_Rational:
        return int(e.p) / int(e.q)
    return float(e)


def _symbol(e, env) -> float:
    try:
        return env[e]
    except KeyError:
        raise Undefined("missing", name=e.name) from None


def _add(e, env) -> float:
    args = e.args
    total = _walk(args[0], env)
    for arg in args[1:]:
        total = total + _walk(arg, env)
    return total


def _negative_power(f) -> bool:
    return f.is_Pow and f.base is not sympy.E and f.exp.is_number and f.exp.is_negative


def _mul(e, env) -> float:
    """Numerator over denominator, as a person writes it: 3·w/2 is (3·w)/2, not 3·w·0.5."""
    top: list[float] = []
    bottom: list[float] = []
    for f in e.args:
        if f.is_Rational and not f.is_Integer:
            if f.p != 1:
                top.append(float(int(f.p)))
            bottom.append(_float_or_inf(int(f.q)))  # w/10^400: a denominator past floats, a value near 0
        elif _negative_power(f):
            bottom.append(_denominator(_walk(f.base, env), -f.exp, env))
        else:
            top.append(_walk(f, env))
    result = _product(top) if top else 1.0
    if bottom:
        below = _product(bottom)
        if below == 0:
            raise Undefined("zero_division")
        result = result / below
    return result


def _float_or_inf(q: int) -> float:
    try:
        return float(q)
    except OverflowError:
        return math.inf


def _denominator(b: float, exponent, env) -> float:
    """b ** exponent below a fraction bar: past the largest float it is infinity, so the
    quotient is 0.0, as Python's w**-1000 gives at w = 10. A value that small is not "too
    large to compute"; only a numerator (or a whole value) that overflows is."""
    try:
        return _power(b, exponent, env)
    except OverflowError:
        return math.inf


def _product(values: list[float]) -> float:
    result = values[0]
    for v in values[1:]:
        result = result * v
    return result


def _power(b: float, exponent, env) -> float:
    """b ** exponent for a non-negative-or-any exponent expression, as Python does it."""
    if exponent.is_Integer:
        return b ** int(exponent)   # x**n for integer n, exactly like the labs' Python
    if exponent == sympy.S.Half:
        if b < 0:
            raise Undefined("sqrt_domain")
        return math.sqrt(b)
    ev = _walk(exponent, env)
    if b < 0 and not float(ev).is_integer():
        raise Undefined("sqrt_domain" if ev == 0.5 else "power_domain")
    if b == 0 and ev < 0:
        raise Undefined("zero_division")
    return b ** ev


def _pow(e, env) -> float:
    if e.base is sympy.E:
        return math.exp(_walk(e.exp, env))
    if e.exp.is_number and e.exp.is_negative:
        below = _denominator(_walk(e.base, env), -e.exp, env)
        if below == 0:
            raise Undefined("zero_division")
        return 1 / below
    return _power(_walk(e.base, env), e.exp, env)


def _log(x: float) -> float:
    if x <= 0:
        raise Undefined("log_domain")
    return math.log(x)


def _recip(fn):
    def inverse(x: float) -> float:
        d = fn(x)
        if d == 0:
            raise Undefined("zero_division")
        return 1 / d
    return inverse


def _heaviside(x: float, at_zero: float = 0.5) -> float:
    return 1.0 if x > 0 else 0.0 if x < 0 else at_zero


def _dirac(x: float, k: float = 0) -> float:
    """d/dw sign(w) = 2·δ(w): zero away from the jump, no number at it."""
    if x == 0:
        raise Undefined("jump")
    return 0.0


# Each function: its float version. ValueError from `math` means outside the domain.
_FLOAT_FUNCTIONS = {
    sympy.exp: math.exp, sympy.log: _log,
    sympy.sin: math.sin, sympy.cos: math.cos, sympy.tan: math.tan,
    sympy.sec: _recip(math.cos), sympy.csc: _recip(math.sin), sympy.cot: _recip(math.tan),
    sympy.asin: math.asin, sympy.acos: math.acos, sympy.atan: math.atan,
    sympy.asec: lambda x: math.acos(_recip(lambda t: t)(x)),
    sympy.acsc: lambda x: math.asin(_recip(lambda t: t)(x)),
    sympy.acot: lambda x: math.atan(_recip(lambda t: t)(x)),
    sympy.sinh: math.sinh, sympy.cosh: math.cosh, sympy.tanh: math.tanh,
    sympy.asinh: math.asinh, sympy.acosh: math.acosh, sympy.atanh: math.atanh,
    sympy.Abs: abs, sympy.sign: lambda x: float((x > 0) - (x < 0)),
    sympy.Heaviside: _heaviside, sympy.floor: lambda x: float(math.floor(x)),
    sympy.ceiling: lambda x: float(math.ceil(x)),
    sympy.Max: lambda *xs: max(xs), sympy.Min: lambda *xs: min(xs),
    sympy.coth: _recip(math.tanh), sympy.sech: _recip(math.cosh), sympy.csch: _recip(math.sinh),
    sympy.DiracDelta: _dirac,
}


def _function(e, env) -> float:
    fn = _FLOAT_FUNCTIONS.get(type(e))
    if fn is None:
        raise Undefined("unknown_function", fn=type(e).__name__)
    values = [_walk(a, env) for a in e.args]
    try:
        return fn(*values)
    except ValueError:
        raise Undefined("math_domain", fn=type(e).__name__) from None


# Dispatch by expression type; subclasses (One, Half, Pi …) find their row through the MRO.
_HANDLERS = {
    sympy.Number: _number, sympy.NumberSymbol: _number, Symbol: _symbol,
    sympy.Add: _add, sympy.Mul: _mul, sympy.Pow: _pow, sympy.Function: _function,
    sympy.Max: _function, sympy.Min: _function,  # relu(w) is Max(0, w): not a Function subclass
}
_resolved: dict[type, object] = {}


def _walk(e, env) -> float:
    handler = _resolved.get(type(e))
    if handler is None:
        handler = next((_HANDLERS[c] for c in type(e).__mro__ if c in _HANDLERS), None)
        if handler is None:
            raise Undefined("not_real" if e.has(sympy.I) else "unknown_function", fn=type(e).__name__)
        _resolved[type(e)] = handler
    return handler(e, env)


# What Python raises on the way, as reason words.
_RAISED = ((ZeroDivisionError, "zero_division"), (OverflowError, "overflow"), (RecursionError, "too_deep"))


def lab_float(expr, env: dict) -> float:
    """expr at the point `env` (Symbol -> float) in the labs' float arithmetic; Undefined
    with its reason where there is no finite real float there."""
    try:
        result = _walk(expr, env)
    except tuple(kind for kind, _ in _RAISED) as err:
        raise Undefined(next(word for kind, word in _RAISED if isinstance(err, kind))) from None
    if isinstance(result, complex):
        raise Undefined("not_real")
    if math.isinf(result):
        raise Undefined("overflow")
    if math.isnan(result):
        raise Undefined("not_a_number")
    return result


def float_or_evalf(expr, env: dict) -> float:
    """lab_float, with a function it has no float version of computed by SymPy at 17 digits
    (the same guards: finite and real, or Undefined)."""
    try:
        return lab_float(expr, env)
    except Undefined as err:
        if err.reason != "unknown_function":
            raise
    point = {s: sympy.Float(v, 17) for s, v in env.items() if s in expr.free_symbols}
    value = complex_value(expr.xreplace(point), digits=17)
    if not nearly_real(value):
        raise Undefined("not_real")
    return value.real


def nearly_real(v: complex) -> bool:
    """Real up to the rounding of a float evaluation (an imaginary part below 1e-9 relative)."""
    return abs(v.imag) <= 1e-9 * max(1.0, abs(v.real))


# What SymPy raises on inputs it cannot handle (polys on non-polynomials, evalf failures, …).
SYMPY_ERRORS = (sympy.PolynomialError, sympy.polys.polyerrors.PolificationFailed,
                sympy.polys.polyerrors.CoercionFailed, NotImplementedError, ValueError, TypeError,
                ZeroDivisionError, OverflowError, RecursionError, AttributeError)


def complex_value(value, digits: int = 30) -> complex:
    """A constant expression as a Python complex, through SymPy's evalf at `digits` digits;
    Undefined where it has no finite number (zoo, nan, ∞, or evalf cannot say)."""
    problem = exact_problem(value, real=False)
    if problem:
        raise Undefined(problem)
    try:
        re_, im = sympy.N(value, digits).as_real_imag()
        if not (re_.is_number and im.is_number):
            raise Undefined("not_a_number")
        out = complex(float(re_), float(im))
    except SYMPY_ERRORS:
        raise Undefined("not_a_number") from None
    if not (math.isfinite(out.real) and math.isfinite(out.imag)):
        raise Undefined("overflow")
    return out


def exact_problem(value, real: bool = True) -> str | None:
    """Why an exact value (J after substitution) is no real number, as a reason word, or None:
    zoo is a division by zero, nan no number, ±∞ infinite; with `real`, i or a value SymPy knows
    is not real is not_real."""
    if value.has(sympy.zoo):
        return "zero_division"
    if value.has(sympy.nan):
        return "not_a_number"
    if value.has(sympy.oo, -sympy.oo):
        return "infinite"
    if real and (value.is_extended_real is False or value.has(sympy.I)):
        return "not_real"
    return None

"""Cheap size estimates made before SymPy works exactly, so cost follows the numbers, not the tree.

A tree of five nodes can hold 9^(9^9), a number of 370 million digits: `x^x^x` is small
to look at, and substituting x = 9 into it never finishes. These estimates read the tree
once, with floats and logs only (never big integers), and bound from above how many bits
the numbers an exact evaluation produces may need. `cas` uses them to keep such work out
of the main process; the calculators use them to refuse a number too large to write,
with a sentence, before anything is computed.

An exponential whose argument at the point is a float below 710 is a modest number
(e^(e^1.4) is about 58): SymPy keeps it a symbol, written with its argument's digits,
or at worst works with a number of about a thousand bits. Only an exponential beyond
floats, or one SymPy turns back into a power (e^(n·ln r) = r^n), is bounded from its
argument's digits, pessimistically. `least_log2` is the other side: a proven lower
bound, so that a refusal never claims more digits than the number really has.
"""

from __future__ import annotations

import math

# Bits above which an exact number is not worth computing at all: 2^20 bits is about
# 315 000 digits, already far beyond anything a learner can read or check.
MAX_BITS = 1 << 20
# e^x overflows floating point from x = 709.78 on; past this e^x is bounded pessimistically.
_FLOAT_EXPONENT_LIMIT = 710.0
# Exponents below this are "small numbers" for the tower test.
_SMALL_EXPONENT = 64

_GROWING = frozenset({"exp", "sinh", "cosh"})       # |f(x)| can be about e^|x|
# Functions that compare or round their arguments' values: e^(e^(e^10)) inside them is a number.
_COMPARING = frozenset({"floor", "ceiling", "Max", "Min", "sign", "Heaviside", "frac", "Mod"})
_SHRINKING = frozenset({"log", "atan", "asinh", "acosh", "atanh", "sin", "cos", "tanh",
                        "asin", "acos", "sign", "Heaviside", "erf"})


def _bits_of_number(obj) -> float:
    """log2 of the largest of numerator and denominator (how many bits it takes)."""
    from sympy import Float, Rational

    if isinstance(obj, Rational):  # Integer too; math.log2 reads a big int without overflow
        return max(math.log2(abs(int(obj.p)) or 1), math.log2(int(obj.q)), 1.0)
    if isinstance(obj, Float):
        value = abs(float(obj))
        if value == 0 or math.isinf(value) or math.isnan(value):
            return 1.0
        return abs(math.log2(value)) + 1.0
    return 1.0


def _bits_of_value(v) -> float:
    """The bits a coordinate of a point takes: an int, a float or a SymPy number."""
    from sympy import Basic

    if isinstance(v, Basic):
        return bits(v)
    if isinstance(v, int):
        return max(math.log2(abs(v) or 1), 1.0)
    try:
        value = abs(float(v))
    except (TypeError, ValueError, OverflowError):
        return math.inf
    return abs(math.log2(value)) + 1.0 if 0 < value < math.inf else 1.0


def digits(bit_count: float) -> str:
    """About how many decimal digits `bit_count` bits are, for a message: "370 000 000";
    "" when the count itself is beyond counting."""
    if math.isinf(bit_count) or bit_count > 1e18:
        return ""
    return f"{int(bit_count * math.log10(2)):,}".replace(",", " ")


def bits(expr, point: dict | None = None) -> float:
    """An upper estimate of the bits an exact value of expr (after substituting point) needs.

    Symbols not in point count as one bit (they stay symbolic). Returns math.inf when the
    estimate itself overflows a float. Only Add, Mul, Pow make numbers grow, and growing
    functions where their value is needed (in an exponent, rounded, or e^(n·ln r)); other
    functions are taken to keep their argument's size.
    """
    from sympy import Add, Function, Mul, Number, Pow, Symbol

    sized = {k: _bits_of_value(v) for k, v in (point or {}).items()}
    floats: list = []  # the point in floats, made once and only for an exponential (evalf costs)

    def env() -> dict | None:
        if not floats:
            floats.append(_float_point(point))
        return floats[0]

    def walk(e, valued: bool) -> float:
        """`valued`: the number itself is needed, not its symbol (an exponent, or rounded)."""
        if isinstance(e, Number):
            return _bits_of_number(e)
        if isinstance(e, Symbol):
            return sized.get(e, 1.0)
        if isinstance(e, Pow):
            base = walk(e.base, valued)
            exponent = walk(e.exp, True)
            if exponent > 1000:
                return math.inf
            at = _exponent_at(e.exp, point)
            if at is None:
                return base * (2.0 ** exponent)
            size, fraction = at
            if fraction or valued:  # b^(m/n) is worked out: about |m/n| times b's digits
                return base * max(size, 1.0) + 1.0
            return base + walk(e.exp, False) + 1.0  # (1/20)^(e⁹/20) stays a symbol
        if isinstance(e, Add):
            return max(walk(a, valued) for a in e.args) + math.log2(len(e.args)) + 1.0
        if isinstance(e, Mul):
            return sum(walk(a, valued) for a in e.args)
        if isinstance(e, Function) and type(e).__name__ in _GROWING:
            size = _exponential_bits(e, env())
            if size is None or e.args[0].has(*_log_like()):  # beyond floats, or e^(n·ln r) = r^n
                inner = walk(e.args[0], True)
                if inner > 1000:
                    return math.inf
                return 2.0 ** inner * 1.45 + 1.0
            return size if valued else walk(e.args[0], False) + 2.0  # e^(7/5) is as long as 7/5
        if not e.args:
            return 1.0
        if type(e).__name__ in _COMPARING:
            return max(walk(a, True) for a in e.args)
        return max(walk(a, valued) for a in e.args)

    try:
        return walk(expr, False)
    except (OverflowError, RecursionError):
        return math.inf


def _exponent_at(exponent, point: dict | None) -> tuple[float, bool] | None:
    """|x| for an exponent x at the point, and whether x is a fraction there (SymPy then
    works b^x out; e⁹/20 or √2 leave it a symbol); None when x has no number there.
    Computed exactly, which is cheap only because the caller has bounded x's own numbers
    (at most 1000 bits): so 1/4 counts as 1/4, not as the 2^2 its digits could spell."""
    from sympy import Basic

    from derivtutor.algebra.evaluate import Undefined, complex_value

    if not exponent.is_Number:
        if not point or not all(isinstance(k, Basic) and isinstance(v, Basic) for k, v in point.items()):
            return None
        exponent = exponent.xreplace(point)
        if not exponent.is_number:
            return None
    if exponent.is_Rational:
        return abs(float(exponent)), True
    try:
        return abs(complex_value(exponent, digits=15)), exponent.is_Number
    except Undefined:
        return None


def _float_point(point: dict | None) -> dict | None:
    """The point in floats, for `_exponential_bits`; None when a coordinate has no float."""
    try:
        return {k: float(v) for k, v in (point or {}).items()}
    except (TypeError, ValueError, OverflowError):
        return None


def _exponential_bits(e, env: dict | None) -> float | None:
    """Bits of the value of e^x (sinh x, cosh x) when x at the point is a float that keeps
    it within floating point (x < 710): then SymPy works with a modest number, whatever the
    tree looks like (e^(e^1.4) is about 58). None when x has no float there or is larger."""
    from derivtutor.algebra.evaluate import Undefined, lab_float

    if env is None:
        return None
    try:
        x = lab_float(e.args[0], env)
    except Undefined:
        return None
    grows = x if type(e).__name__ == "exp" else abs(x)
    if grows > _FLOAT_EXPONENT_LIMIT:
        return None
    return max(grows, 0.0) * math.log2(math.e) + 2.0


def _log_like() -> tuple:
    """Functions that are logarithms in disguise: SymPy turns e^(n·ln r) into the power r^n."""
    from sympy import LambertW, acosh, asinh, atanh, log

    return (log, asinh, acosh, atanh, LambertW)


def least_log2(expr, point: dict | None = None) -> float | None:
    """A proven lower bound on log2 of expr's value at point (math.inf: beyond a float), or
    None when the value is not plainly a positive number: only positive numbers, points,
    sums, products, powers of bases at least 1 and e^(positive) are read; anything else
    (a difference, a sine, a symbol without a value) gives None rather than a guess."""
    from sympy import Add, Mul, Number, NumberSymbol, Pow, Rational, Symbol, exp

    values = point or {}

    def of_number(v) -> float | None:
        """log2 of a positive number, a hair low: a base of 1 + 10^-20 must not pass for more than 1."""
        if isinstance(v, (Rational, int)):
            p, q = (int(v.p), int(v.q)) if isinstance(v, Rational) else (int(v), 1)
            exact = math.log2(p) - math.log2(q) if p > 0 else None
        else:
            try:
                f = float(v)
            except (TypeError, ValueError, OverflowError):
                return None
            exact = math.log2(f) if 0 < f < math.inf else None
        return None if exact is None else exact - abs(exact) * 1e-12 - 1e-12

    def above(low_exponent: float, factor: float) -> float:
        """factor · 2^low_exponent, the log2 of a power whose exponent is at least 2^low_exponent."""
        if factor == 0:
            return 0.0
        return factor * 2.0 ** low_exponent if low_exponent < 1000 else math.inf

    def walk(e) -> float | None:
        if isinstance(e, (Number, NumberSymbol)):
            return of_number(e)
        if isinstance(e, Symbol):
            return of_number(values[e]) if e in values else None
        parts = [walk(a) for a in e.args] if isinstance(e, (Add, Mul)) else []
        if None in parts:
            return None
        if isinstance(e, Mul):
            return sum(parts)
        if isinstance(e, Add):
            return max(parts)  # all terms positive: the sum is at least its largest term
        if isinstance(e, Pow):
            base, exponent = walk(e.base), walk(e.exp)
            if base is None or base < 0 or exponent is None:
                return None
            return above(exponent, base)
        if isinstance(e, exp):
            exponent = walk(e.args[0])
            return None if exponent is None else above(exponent, math.log2(math.e))
        return None

    try:
        low = walk(expr)
    except (OverflowError, RecursionError):
        return None
    if low is None or math.isinf(low) or math.isnan(low):
        return low if low == math.inf else None
    return low - abs(low) * 1e-9 - 1e-9  # float rounding on the way never makes it a claim too many


def digits_at_least(expr, point: dict | None = None) -> str:
    """N when expr's value at point provably has more than N digits before the decimal point
    ("369 693 099" for 9^(9^9)), for a message; "" when no such N is proven or it is beyond
    counting."""
    low = least_log2(expr, point)
    if low is None or low < 4:
        return ""
    return digits(low)


def has_tower(expr) -> bool:
    """True when a power whose exponent is not a small number sits inside another power:
    x^(x^x), (2^w)^w, 2^(3^w). Such trees are cheap to write and may be astronomically
    expensive to evaluate or expand, so they never count as small."""
    from sympy import Number, Pow

    def wild(p) -> bool:
        return not (isinstance(p.exp, Number) and abs(float(p.exp)) <= _SMALL_EXPONENT)

    def walk(e, inside_wild_power: bool) -> bool:
        if isinstance(e, Pow):
            if wild(e):
                if inside_wild_power:
                    return True
                return walk(e.base, True) or walk(e.exp, True)
            return walk(e.base, inside_wild_power) or walk(e.exp, inside_wild_power)
        return any(walk(a, inside_wild_power) for a in e.args)

    try:
        return walk(expr, False)
    except RecursionError:
        return True


def degree_bound(expr, wrt) -> float:
    """An upper bound on expr's degree as a polynomial in wrt, read from the tree without
    expanding: (w+1)^10000 is at most 10000. math.inf when expr is not visibly a polynomial."""
    from sympy import Add, Integer, Mul, Pow

    def walk(e) -> float:
        if e == wrt:
            return 1.0
        if not e.has(wrt):
            return 0.0
        if isinstance(e, Add):
            return max(walk(a) for a in e.args)
        if isinstance(e, Mul):
            return sum(walk(a) for a in e.args)
        if isinstance(e, Pow) and isinstance(e.exp, Integer) and e.exp >= 0:
            return walk(e.base) * int(e.exp)
        return math.inf

    try:
        return walk(expr)
    except RecursionError:
        return math.inf


def too_large(expr, point: dict | None = None, limit: float = MAX_BITS) -> bool:
    """True when an exact value of expr at point would need more than `limit` bits."""
    return bits(expr, point) > limit

"""Cheap size estimates made before SymPy works exactly, so cost follows the numbers, not the tree.

A tree of five nodes can hold 9^(9^9), a number of 370 million digits: `x^x^x` is small
to look at, and substituting x = 9 into it never finishes. These estimates read the tree
once, with floats and logs only (never big integers), and bound from above how many bits
the numbers an exact evaluation produces may need. `cas` uses them to keep such work out
of the main process; the calculators use them to refuse a number too large to write,
with a sentence, before anything is computed.
"""

from __future__ import annotations

import math

# Bits above which an exact number is not worth computing at all: 2^20 bits is about
# 315 000 digits, already far beyond anything a learner can read or check.
MAX_BITS = 1 << 20
# Exponents below this are "small numbers" for the tower test.
_SMALL_EXPONENT = 64

_GROWING = frozenset({"exp", "sinh", "cosh"})       # |f(x)| can be about e^|x|
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
    estimate itself overflows a float. Only Add, Mul, Pow and growing functions make numbers
    grow; other functions are taken to keep their argument's size.
    """
    from sympy import Add, Function, Mul, Number, Pow, Symbol

    sized = {k: _bits_of_value(v) for k, v in (point or {}).items()}

    def walk(e) -> float:
        if isinstance(e, Number):
            return _bits_of_number(e)
        if isinstance(e, Symbol):
            return sized.get(e, 1.0)
        if isinstance(e, Pow):
            base = walk(e.base)
            exponent = walk(e.exp)
            if exponent > 1000:
                return math.inf
            return base * (2.0 ** exponent)
        if isinstance(e, Add):
            return max(walk(a) for a in e.args) + math.log2(len(e.args)) + 1.0
        if isinstance(e, Mul):
            return sum(walk(a) for a in e.args)
        if isinstance(e, Function) and type(e).__name__ in _GROWING:
            inner = walk(e.args[0])
            if inner > 1000:
                return math.inf
            return 2.0 ** inner * 1.45 + 1.0
        if not e.args:
            return 1.0
        return max(walk(a) for a in e.args)

    try:
        return walk(expr)
    except (OverflowError, RecursionError):
        return math.inf


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

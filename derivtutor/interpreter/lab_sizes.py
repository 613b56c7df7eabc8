"""The lab console's limits, and the checks that keep a line within them.

A typed line may ask for a value too big to compute in time or to keep (10**10**10, a
string repeated a billion times, `a = [a, a]` at every line). Sizes are estimated before a
power or a product is computed and checked on every value kept, so the console answers at
once with a sentence instead of hanging.
"""

from __future__ import annotations

import math
from typing import Any

from derivtutor.interpreter.lab_text import LabError
from derivtutor.interpreter.lab_values import is_sym, load_sympy

MAX_LINE = 2000          # characters in one typed line
MAX_DEPTH = 120          # nesting of the syntax tree
MAX_BITS = 10_000        # an integer result (about 3000 digits)
MAX_TEXT = 10_000        # a string or a repeated list/tuple
MAX_SYMBOLS = 50         # symbols('...') in one call
MAX_ORDER = 10           # total derivative order in one diff
MAX_EXPONENT = 1000      # a numeric exponent on a SymPy expression
MAX_NODES = 2000         # size of a SymPy expression kept in a name
MAX_DIGITS = 100         # evalf(n) and round(x, n)
MAX_FORMAT_WIDTH = 200   # widths and precisions in a format spec


def check_value(value: Any, bits: int = MAX_BITS) -> None:
    """Refuse a value too big to keep: huge integers, long text, SymPy trees of many nodes, and
    lists that hold many items in all (shared ones too: `a = [a, a]` doubles at every line)."""
    left = [MAX_TEXT * 2]

    def visit(item: Any) -> None:
        left[0] -= 1
        if left[0] < 0:
            raise LabError("too_big")
        if isinstance(item, (tuple, list)):
            if len(item) > MAX_TEXT:
                raise LabError("too_big")
            for sub in item:
                visit(sub)
        else:
            _check_one(item, bits)

    visit(value)


def _check_one(value: Any, bits: int) -> None:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int):
        if value.bit_length() > bits:
            raise LabError("too_big")
    elif isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise LabError("too_big")
    elif is_sym(value):
        _check_tree(value, bits)


def _check_tree(expr: Any, bits: int) -> None:
    sympy = load_sympy()
    left = MAX_NODES
    stack = [expr]
    while stack:
        node = stack.pop()
        left -= 1
        if left < 0:
            raise LabError("too_big")
        if isinstance(node, sympy.Rational):
            if max(int(node.p).bit_length(), int(node.q).bit_length()) > bits:
                raise LabError("too_big")
        stack.extend(getattr(node, "args", ()))


def _log2_size(x: Any) -> float | None:
    """log2 |x| for a number (Python or SymPy), None when x is not a plain number."""
    try:
        if isinstance(x, bool):
            x = int(x)
        if isinstance(x, int):
            return float(x.bit_length())
        if isinstance(x, float):
            return math.log2(abs(x)) if x not in (0.0,) and math.isfinite(x) else 0.0
        if is_sym(x) and getattr(x, "is_Rational", False):
            return float(max(int(x.p).bit_length(), int(x.q).bit_length()))
    except (ValueError, OverflowError):
        return None
    return None


def _exponent(x: Any) -> float | None:
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return float(x)
    if is_sym(x) and getattr(x, "is_Number", False):
        try:
            return float(x)
        except (TypeError, ValueError, OverflowError):
            return None
    return None


def check_power(base: Any, exp: Any) -> None:
    """Estimate a power's size from exponent × log of base before computing it."""
    e = _exponent(exp)
    if e is None:
        if is_sym(exp) and not is_sym(base) and _log2_size(base) is None:
            return
        return  # a symbolic exponent: SymPy keeps it as a power, nothing is expanded
    if not math.isfinite(e):
        return
    size = _log2_size(base)
    if size is not None:
        if isinstance(base, float) or isinstance(exp, float):
            return  # floats overflow with an error, they never grow without bound
        if abs(e) * max(size, 1.0) > MAX_BITS:
            raise LabError("power_big")
    elif is_sym(base) and abs(e) > MAX_EXPONENT:
        raise LabError("power_symbolic", n=MAX_EXPONENT)


def check_product(a: Any, b: Any) -> None:
    for text, n in ((a, b), (b, a)):
        if isinstance(text, (str, list, tuple)) and isinstance(n, int) and not isinstance(n, bool):
            if len(text) * max(n, 0) > MAX_TEXT:
                raise LabError("too_big")
    if isinstance(a, int) and isinstance(b, int):
        if a.bit_length() + b.bit_length() > MAX_BITS + 64:
            raise LabError("too_big")

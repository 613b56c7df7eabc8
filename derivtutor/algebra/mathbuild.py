"""The SymPy objects a formula is built of, and the bounds that keep building them cheap.

`var` is the one place a Symbol is made (real, cached: "alpha" and "α" are one object).
`BUILDERS` and `CONSTANT_VALUES` map the names `mathnames` accepts to SymPy constructors.
`power` and `checked` build what could run away or leave the reals (9^9^9, (10^49)^20,
log(0), √−1) only after a cheap size estimate, and refuse it with a MathInputError at the
column of the operator, so SymPy never starts a computation that does not end.
"""

from __future__ import annotations

import math

import sympy
from sympy import Abs, E, Pow, Rational, S, Symbol, pi

from derivtutor.algebra import mathnames as names
from derivtutor.algebra.matherror import MathInputError
from derivtutor.algebra.mathlexer import MAX_DIGITS
from derivtutor.text import safe_text

MAX_EXPONENT = 10_000       # |n| in x^n, even for symbols
MAX_RESULT_DIGITS = 1_000   # digits a computed number may have

LOG10_2 = math.log10(2)

_VARS: dict[str, Symbol] = {}


def var(name: str) -> Symbol:
    """The one real Symbol for a name ("alpha" and "α" are the same variable).

    A name with a control character in it (from `--wrt`, say) gets it made visible, so no
    Symbol can ever print an escape sequence.
    """
    name = names.canonical_name(safe_text.clean(name, keep_layout=False))
    sym = _VARS.get(name)
    if sym is None:
        sym = _VARS.setdefault(name, Symbol(name, real=True))
    return sym


def _sigmoid(x):
    return 1 / (1 + sympy.exp(-x))


# Canonical function names (mathnames.FUNCTIONS) -> the SymPy constructor; "diff" is read by the parser.
BUILDERS = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan,
    "sec": sympy.sec, "csc": sympy.csc, "cot": sympy.cot,
    "asin": sympy.asin, "acos": sympy.acos, "atan": sympy.atan,
    "asec": sympy.asec, "acsc": sympy.acsc, "acot": sympy.acot,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh,
    "asinh": sympy.asinh, "acosh": sympy.acosh, "atanh": sympy.atanh,
    "exp": sympy.exp, "ln": sympy.log, "log": sympy.log,
    "log10": lambda x: sympy.log(x, 10), "log2": lambda x: sympy.log(x, 2),
    "sqrt": sympy.sqrt, "abs": Abs, "sign": sympy.sign, "sigmoid": _sigmoid,
    "max": sympy.Max, "min": sympy.Min, "relu": lambda x: sympy.Max(0, x),
    "coth": sympy.coth, "sech": sympy.sech, "csch": sympy.csch,
    "lg": lambda x, base=10: sympy.log(x, base), "root": sympy.root,  # root is built like sqrt, in call
}
CONSTANT_VALUES = {"e": E, "pi": pi, "π": pi}
BAD_VALUES = (S.ComplexInfinity, S.NaN, S.Infinity, S.NegativeInfinity)


def power(base, exponent, text: str, column: int):
    """base^exponent, refused at `column` when the exponent or the number it makes is too big."""
    if exponent.is_number:
        size = _magnitude(exponent)
        if size is None or size > MAX_EXPONENT:
            raise MathInputError("exponent_too_big", text, column, limit=MAX_EXPONENT)
        if base.is_number and base.is_zero and exponent.is_negative:
            raise MathInputError("division_by_zero", text, column)
        if base.is_Rational and abs(base) != 1 and base != 0:
            log_size = _log_size(base)
            digits = size * log_size
            # A root of a long integer makes SymPy factor it: keep those small.
            too_long_to_root = not exponent.is_Integer and log_size > MAX_DIGITS
            if too_long_to_root:
                raise MathInputError("number_too_big", text, column, key="root_too_big", limit=MAX_DIGITS)
            if digits > MAX_RESULT_DIGITS:
                raise MathInputError("number_too_big", text, column, digits=int(digits) + 1)
        elif base.is_number:
            # SymPy multiplies out the rational parts: (√2)^9999 is 2^4999·√2; π^9999 stays.
            log_size = max((_log_size(r) for r in base.atoms(Rational)), default=0.0)
            if size * log_size > MAX_RESULT_DIGITS:
                raise MathInputError("number_too_big", text, column, digits=int(size * log_size) + 1)
    result = Pow(base, exponent)
    if result.is_Pow and result.exp.is_Number and abs(result.exp) > MAX_EXPONENT:
        raise MathInputError("exponent_too_big", text, column, limit=MAX_EXPONENT)
    return checked(result, text, column) if base.is_number and exponent.is_number else result


def checked(value, text: str, column: int):
    """Refuse undefined (log(0)) and non-real (√-1) values where they appear."""
    if value.has(*BAD_VALUES):
        raise MathInputError("undefined", text, column)
    if value.is_number and (value.has(S.ImaginaryUnit) or value.is_real is False):
        raise MathInputError("not_real", text, column)
    return value


def digits_estimate(number) -> int:
    """Decimal digits of a Rational's larger part, from bit lengths (no str of a huge int)."""
    bits = max(abs(int(number.p)).bit_length(), int(number.q).bit_length())
    return int(bits * LOG10_2) + 1


def _log_size(number) -> float:
    """log10 of a Rational's larger part (its digit count, about)."""
    return max(math.log10(abs(int(number.p)) or 1), math.log10(int(number.q)))


def _magnitude(number) -> float | None:
    """|number| as a float, None when it cannot be had (too big, complex)."""
    try:
        value = abs(float(number))
    except (TypeError, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None

"""When a number is right: exactly, rounded as typed, or within a tolerance; and which
sentence a wrong one gets (a sign slip, too few digits, a last digit rounded the wrong way).

The policy itself is in check.py's docstring; `typed` is the answer as the learner wrote it,
so "0.333" can be judged as 1/3 rounded to three digits.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

import sympy
from sympy import Expr

from derivtutor.algebra.evaluate import Undefined, complex_value, nearly_real
from derivtutor.algebra.sampling import close

DEFAULT_REL_TOL, DEFAULT_ABS_TOL = 1e-6, 1e-12
MIN_SIG_DIGITS = 2      # "6" for 6.000999… is not accepted by rounding; "6.0" is


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


def number_how(answer: Expr, expected: Expr, typed, rel_tol, abs_tol) -> str | None:
    """How the answer passes ("exact", "rounded", "numeric"), or None."""
    try:
        got = complex_value(answer)
        want = complex_value(expected)
    except Undefined:
        return None
    if not nearly_real(got):
        return None
    if _is_exact(answer) and _is_exact(expected) and close(got, want, 1e-15, 0):
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


def wrong_number_key(got: float, want: float, typed: str | None) -> str:
    """The TEXT key of the sentence for a wrong number: the first hint whose test holds."""
    return next(key for key, test in _NUMBER_HINTS if test(got, want, typed))


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


"""Numbers written for a learner: the one place that says how a float or a fraction reads.

Every message, table, plot and graph box writes its numbers with these few functions, so
6.001, −0.03125, 1e-5 and 6.000999999999479 look the same wherever they appear. Plain
Python numbers only (no SymPy): text/ sits below algebra, and the first screen must not
import SymPy. An exact SymPy number is turned into (p, q) or a float by its caller.
"""

from __future__ import annotations

MINUS = "−"  # U+2212: the true minus sign of printed math


def true_minus(text: str, ascii: bool = False) -> str:
    """The hyphen-minus of a formatted number as the true minus sign (kept in ASCII mode)."""
    return text if ascii else text.replace("-", MINUS)


def figures(x: float, digits: int = 6, *, short_exponent: bool = False) -> str:
    """x to `digits` significant figures as Python's `g` writes it (6.001, 0.333333, 1e-05);
    with `short_exponent`, the exponent as a learner types it back (1e-5, 2.5e10)."""
    text = format(float(x), f".{digits}g")
    if short_exponent:
        mantissa, e, exponent = text.partition("e")
        if e:
            return f"{mantissa}e{int(exponent)}"
    return text


def full(x: float) -> str:
    """Every digit, as Python (and so the labs) prints a float: 6.000999999999479."""
    return repr(float(x))


def plain(x: float, digits: int | None = None) -> str:
    """A float as prose writes it: integer-valued without ".0" (6, −2 with true_minus), others
    to `digits` significant figures, or with every digit when `digits` is None."""
    x = float(x)
    if x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return full(x) if digits is None else figures(x, digits)


def power_of_ten(x: float) -> str:
    """A step such as ε with one significant figure and a short exponent: 1e-5, 1e10."""
    mantissa, _, exponent = f"{float(x):.0e}".partition("e")
    return f"{mantissa}e{int(exponent)}"


def scientific(x: float, decimals: int, plus: bool = False) -> str:
    """x in scientific notation with `decimals` digits after the point (4.5e-07; +4.5e-07 with `plus`)."""
    return format(float(x), f"{'+' if plus else ''}.{decimals}e")


def percent(fraction: float) -> str:
    """A share as a whole percentage: 0.875 → "88%"."""
    return f"{round(100 * fraction)}%"


def decimal_places(q: int) -> int | None:
    """How many decimal places 1/q has when it terminates (q = 2^a·5^b: max(a, b)), else None."""
    rest, places = q, 0
    for prime in (2, 5):
        count = 0
        while rest % prime == 0:
            rest //= prime
            count += 1
        places = max(places, count)
    return places if rest == 1 else None


def terminating_decimal(p: int, q: int) -> str | None:
    """p/q written out exactly as a decimal when it terminates (9/2 → "4.5", −1/32 → "−0.03125",
    1/10^6 → "0.000001"), with the true minus; None when it does not (1/3)."""
    places = decimal_places(q)
    if places is None:
        return None
    whole, part = divmod(abs(p) * (10**places // q), 10**places)  # exact: q divides 10^places
    text = f"{whole}.{part:0{places}d}" if places else str(whole)
    return MINUS + text if p < 0 else text

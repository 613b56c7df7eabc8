"""SymPy -> the learner's notation on one line: 3·w², −1/w², e^(2·w), √w, |w|, ln(w).

Every formula the tutor writes goes through `show`: the echo of what was read ("I read that
as 3·w²"), the derivatives, the hints, the tables. It writes what `mathinput.read` reads back
as the same expression (a property test holds it to that), with the true minus sign − and
superscript exponents, and numbers as typed when the caller says how (0.1 stays 0.1).

Why not a subclass of SymPy's StrPrinter: here how tightly a piece binds is a fact about the
text it printed, not about the expression (a typed decimal −0.5 binds like a sign, a giant
integer written 1.41…×10¹⁵⁰⁵ like a product), so each printer returns its text with its
binding, and anything not drawn here falls back to SymPy's own str as a whole, where a
StrPrinter subclass would print its pieces in this notation and change what it says.
"""

from __future__ import annotations

import contextvars
import math

import sympy
from sympy import Integer, Pow, S

from derivtutor.algebra.mathnames import TO_SUPERSCRIPT

_LOG10_2 = math.log10(2)

_ADD, _NEG, _MUL, _POW, _ATOM = 1, 2, 3, 4, 5
_BIG = 10**30
_NAMED = {
    S.Pi: "π", S.Exp1: "e", S.Infinity: "∞", S.NegativeInfinity: "−∞",
    S.ComplexInfinity: "∞̃", S.NaN: "NaN", S.ImaginaryUnit: "i",
}


_DECIMALS: contextvars.ContextVar[dict] = contextvars.ContextVar("decimals", default={})


def show(expr, decimals: dict | None = None) -> str:
    """One line of Unicode for echoing: "3·w²", "−1/w²", "e^(2·w)", "|w|".

    `decimals` maps numbers to how they were typed ({1/10: "0.1"}): those print as typed.
    """
    if isinstance(expr, bool) or not isinstance(expr, (int, float, sympy.Basic)):
        return str(expr)
    if isinstance(expr, int):
        expr = Integer(expr)
    elif isinstance(expr, float):
        expr = sympy.Float(expr)
    token = _DECIMALS.set(decimals or {})
    try:
        return _show(expr)[0]
    except RecursionError:
        return "…"
    finally:
        _DECIMALS.reset(token)


def _show(e) -> tuple[str, int]:
    named = _NAMED.get(e) if e.is_Atom else None
    if named is not None:
        return named, _ATOM
    for cls, printer in _PRINTERS:
        if isinstance(e, cls):
            return printer(e)
    return str(e), _ATOM


def _wrap(e, need: int) -> str:
    text, prec = _show(e)
    return text if prec >= need else f"({text})"


def _natural(n: int) -> tuple[str, int]:
    """Digits of a non-negative int, capped: 1.41246…×10¹⁵⁰⁵ for giant ones."""
    if n < _BIG:
        return str(n), _ATOM
    k = max(0, int((n.bit_length() - 1) * _LOG10_2) - 8)
    lead = n // 10**k
    while lead >= 10**6:
        lead //= 10
        k += 1
    digits = str(lead)
    exponent = str(k + len(digits) - 1).translate(TO_SUPERSCRIPT)
    return f"{digits[0]}.{digits[1:]}…×10{exponent}", _MUL


def _show_integer(e) -> tuple[str, int]:
    text, prec = _natural(abs(int(e.p)))
    return ("−" + text, _NEG) if e.p < 0 else (text, prec)


def _show_rational(e) -> tuple[str, int]:
    typed = _DECIMALS.get().get(abs(e))
    if typed is not None:
        return ("−" + typed, _NEG) if e.p < 0 else (typed, _ATOM)
    text = f"{_natural(abs(int(e.p)))[0]}/{_natural(int(e.q))[0]}"
    return ("−" + text, _NEG) if e.p < 0 else (text, _MUL)


def _show_float(e) -> tuple[str, int]:
    value = float(e)
    text = repr(value)
    return ("−" + text[1:], _NEG) if text.startswith("-") else (text, _ATOM)


def _show_symbol(e) -> tuple[str, int]:
    return e.name, _ATOM


def _negative(term) -> bool:
    coeff = term.as_coeff_Mul()[0]
    return bool(coeff.is_negative)


def _show_add(e) -> tuple[str, int]:
    terms = e.as_ordered_terms()
    out = [_show(terms[0])[0]]
    for term in terms[1:]:
        if _negative(term):
            out.append(" − " + _wrap(-term, _MUL))
        else:
            out.append(" + " + _wrap(term, _MUL))
    return "".join(out), _ADD


def _show_mul(e) -> tuple[str, int]:
    coeff, rest = e.as_coeff_Mul()
    sign = "−" if coeff.is_negative else ""
    coeff = -coeff if coeff.is_negative else coeff
    top, bottom = [], []
    for factor in sympy.Mul.make_args(rest):
        if factor.is_Pow and factor.exp.is_Number and factor.exp.is_negative:
            bottom.append(Pow(factor.base, -factor.exp))
        else:
            top.append(factor)
    if coeff.is_Rational and coeff in _DECIMALS.get():
        top.insert(0, coeff)
    elif coeff.is_Rational:
        if coeff.p != 1 or not top:
            top.insert(0, Integer(coeff.p))
        if coeff.q != 1:
            bottom.insert(0, Integer(coeff.q))
    elif coeff != 1:
        top.insert(0, coeff)
    text = "·".join(_wrap(f, _POW) for f in top)
    if len(bottom) == 1:
        text = f"{text}/{_wrap(bottom[0], _POW)}"
    elif bottom:
        text = f"{text}/({'·'.join(_wrap(f, _POW) for f in bottom)})"
    return (sign + text, _NEG) if sign else (text, _MUL)


def _exponent(ex) -> str:
    if ex.is_Integer and ex > 0:
        return str(int(ex)).translate(TO_SUPERSCRIPT)
    text, prec = _show(ex)
    return "^" + (text if prec >= _ATOM else f"({text})")


def _show_pow(e) -> tuple[str, int]:
    base, ex = e.args
    if base is S.Exp1:
        return "e" + _exponent(ex), _POW
    if ex.is_Number and ex.is_negative:
        return "1/" + _wrap(Pow(base, -ex), _POW), _MUL
    if ex == S.Half:
        text, prec = _show(base)
        plain = prec >= _ATOM and (base.is_Symbol or (base.is_Integer and base > 0))
        return "√" + (text if plain else f"({text})"), _POW
    return _wrap(base, _ATOM) + _exponent(ex), _POW


def _show_exp(e) -> tuple[str, int]:
    return "e" + _exponent(e.args[0]), _POW


def _show_log(e) -> tuple[str, int]:
    return "ln(" + ", ".join(_show(a)[0] for a in e.args) + ")", _ATOM


def _show_abs(e) -> tuple[str, int]:
    return "|" + _show(e.args[0])[0] + "|", _ATOM


def _show_max_min(e) -> tuple[str, int]:
    return type(e).__name__.lower() + "(" + ", ".join(_show(a)[0] for a in e.args) + ")", _ATOM


def _show_step(e) -> tuple[str, int]:
    """Heaviside(w, 1/2) as θ(w), DiracDelta(w) as δ(w): the derivatives of max and sign."""
    mark = "θ" if isinstance(e, sympy.Heaviside) else "δ"
    return f"{mark}({_show(e.args[0])[0]})", _ATOM


def _show_function(e) -> tuple[str, int]:
    return type(e).__name__ + "(" + ", ".join(_show(a)[0] for a in e.args) + ")", _ATOM


# Order matters: subclasses before their bases (Integer before Rational, exp before Function).
_PRINTERS = (
    (sympy.Integer, _show_integer),
    (sympy.Rational, _show_rational),
    (sympy.Float, _show_float),
    (sympy.Symbol, _show_symbol),
    (sympy.Add, _show_add),
    (sympy.Mul, _show_mul),
    (sympy.Pow, _show_pow),
    (sympy.exp, _show_exp),
    (sympy.log, _show_log),
    (sympy.Abs, _show_abs),
    ((sympy.Max, sympy.Min), _show_max_min),
    ((sympy.Heaviside, sympy.DiracDelta), _show_step),
    (sympy.Function, _show_function),
)

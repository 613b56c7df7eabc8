"""`derivtutor explain EXPR`: one expression's derivative, its value, and the ε table, in one shot.

The facts are gathered once (`gather`) and then written either as text for a person or
as one JSON object for a script, so the two can never disagree.
Exit status: 0 when explained, 1 when the input (or the point) cannot be used.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field

from derivtutor.commands import cmd_args
from derivtutor.commands.cmd_args import BadInput
from derivtutor.text import numbers
from derivtutor.text.i18n import Catalog, listing, tr
from derivtutor.text.glossary import term  # the course's one word for each idea

DEFAULT_EPS = "0.001"
# Tried in order when --at is missing, as (numerator, denominator): the labs' w = 3 first,
# then points that keep 1/w, ln(w) and √w defined, then small ones for asin(2w), acos, atanh.
DEFAULT_POINTS = ((3, 1), (2, 1), (1, 1), (1, 2), (-1, 1), (1, 4), (-1, 2), (-1, 4), (1, 10), (0, 1),
                  (-2, 1), (-3, 1), (10, 1), (-10, 1), (100, 1), (-100, 1), (1000, 1))

TEXT = Catalog(__name__, 'TEXT')
# The difference names come from the glossary, so explain says what the lessons say.
WORDS = {
    "forward": {"en": "forward", "zh": term("forward_difference")},
    "central": {"en": "central", "zh": term("central_difference")},
}


@dataclass
class Facts:
    """Everything explain found out, before it is written as text or JSON."""

    text: str
    expr: object
    name: str
    wrt: object
    point: dict
    eps: float
    notes: list[str] = field(default_factory=list)
    derivative: object = None
    value: object = None            # calculus.Value of J
    slope: object = None            # calculus.Value of dJ/dw, or None
    no_slope: str | None = None     # why there is no derivative at the point
    forward: float | None = None
    central: float | None = None
    exact_k: object = None          # the exact forward difference, symbolic in ε
    exact_k_at_eps: object = None
    rows: list = field(default_factory=list)
    steps: list[str] | None = None
    no_formula: str | None = None   # why the derivative rules give no formula (d/dx 0^x)
    undefined: str | None = None    # why J has no value at the point (then only the derivative is shown)
    code: str | None = None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("expr", metavar="EXPR", help='the function, e.g. "w^2", "J = (2+3w)^2" or "d/dw ln(w)"')
    parser.add_argument("--wrt", metavar="NAME", help="the variable to differentiate by (default: the only one)")
    parser.add_argument("--at", action="append", default=[], metavar="NAME=VALUE",
                        help="the point (w=3; repeat or use commas for several; default: a point where it is defined)")
    parser.add_argument("--eps", default=DEFAULT_EPS, metavar="ε", help=f"the nudge ε (default {DEFAULT_EPS})")
    parser.add_argument("--json", action="store_true", help="print one JSON object, for scripts")
    parser.add_argument("--steps", action="store_true", help="show the derivation rule by rule")


def run(ns: argparse.Namespace) -> int:
    from derivtutor.algebra import cas
    from derivtutor.text import i18n

    lang = getattr(ns, "lang", None) or i18n.language()
    with cas.action():  # one budget for the whole explanation, not one per calculation
        try:
            facts = gather(ns.expr, wrt=ns.wrt, at_texts=ns.at, eps_text=ns.eps, lang=lang,
                           with_steps=getattr(ns, "steps", False))
        except BadInput as bad:
            cmd_args.report(bad, ns.json)
            return 1
    with cas.action(cas.budget() * (1 - cas.ACTION_SHARE)):  # the rest of the budget, for writing it out
        if ns.json:
            print(json.dumps(as_json(facts), ensure_ascii=False))
        else:
            sys.stdout.write(as_text(facts, lang, colour=_colour(ns)))
    return 1 if facts.undefined else 0  # the point could not be used, though the derivative is shown


def _colour(ns) -> bool:
    if getattr(ns, "no_color", False) or getattr(ns, "plain", False) or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


# ---------------------------------------------------------------- gathering the facts


def _read(reader, text: str, where: str, lang: str):
    from derivtutor.algebra.mathinput import MathInputError

    try:
        return reader(text)
    except MathInputError as err:
        raise BadInput(tr(TEXT[where], lang, message=err.localized(lang)), err.caret(), err.code) from None


def _parse_at(at_texts, lang: str) -> dict:
    from derivtutor.algebra import mathinput

    at = {}
    for item in (part for text in at_texts for part in text.split(",") if part.strip()):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise BadInput(tr(TEXT["bad_at"], lang, text=item.strip()), code="bad_at")
        name = _read(mathinput.read_expression, key.strip(), "in_at", lang)
        if not name.is_Symbol:
            raise BadInput(tr(TEXT["bad_at"], lang, text=item.strip()), code="bad_at")
        at[name] = _read(mathinput.read_number, value.strip(), "in_at", lang)
    return at


def _choose_wrt(expr, wrt_name, reading, lang):
    from derivtutor.algebra import mathinput

    if wrt_name is not None:
        return cmd_args.wrt_symbol(wrt_name, expr, lang, reading.name or "J")
    if reading.wrt:
        return mathinput.var(reading.wrt)
    variables = sorted(expr.free_symbols, key=lambda s: s.name)
    if len(variables) == 1:
        return variables[0]
    shown = mathinput.show(expr)
    if not variables:
        raise BadInput(tr(TEXT["constant"], lang, expr=shown), code="no_variable")
    raise BadInput(tr(TEXT["several"], lang, expr=shown, names=listing(s.name for s in variables),
                       first=variables[0].name), code="several_variables")


def _default_point(expr, wrt, given: dict) -> dict:
    """The first of DEFAULT_POINTS where J and its derivative are both defined."""
    from sympy import Rational

    from derivtutor.algebra import calculus
    from derivtutor.algebra.cas import CasTimeout

    missing = sorted((expr.free_symbols | {wrt}) - set(given), key=lambda s: s.name)
    candidates = [Rational(p, q) for p, q in DEFAULT_POINTS]
    for candidate in candidates:
        point = {**given, **{s: candidate for s in missing}}
        try:
            calculus.value(expr, point)
            calculus.derivative_at(expr, wrt, point)
            return point
        except (calculus.UndefinedAt, CasTimeout):
            continue
    return {**given, **{s: candidates[0] for s in missing}}


def gather(text: str, wrt=None, at_texts=(), eps_text=DEFAULT_EPS, lang="en", with_steps=False) -> Facts:
    """Read EXPR and compute everything explain shows; BadInput when it cannot."""
    from derivtutor.algebra import calculus, mathinput
    from derivtutor.algebra.cas import CasTimeout

    reading = _read(mathinput.read, text, "in_expr", lang)
    if reading.form == "answer":
        raise BadInput(tr(TEXT["not_a_function"], lang), code="not_a_function")
    expr = reading.expr
    w = _choose_wrt(expr, wrt, reading, lang)
    eps_value = _read(mathinput.read_number, str(eps_text), "in_eps", lang)
    try:
        eps = calculus.float_value(eps_value, {})
    except calculus.UndefinedAt:
        eps = 0.0
    if eps == 0:
        raise BadInput(tr(TEXT["bad_eps"], lang), code="bad_eps")
    notes = list(reading.localized_notes(lang))
    if expr.free_symbols and w not in expr.free_symbols:  # --wrt x for w²: a fair 0, but say why
        notes.append(tr(TEXT["wrt_absent"], lang, expr=mathinput.show(expr), w=w.name,
                        names=listing(sorted(s.name for s in expr.free_symbols))))
    at = _parse_at(at_texts, lang)
    cmd_args.check_point(at, expr, w, lang)
    if not at and reading.at:
        at = {mathinput.var(k): v for k, v in reading.at.items()}
        notes.append(tr(TEXT["subs_point"], lang, point=calculus.point_text(at)))
    needed = expr.free_symbols | {w}
    if not needed <= set(at):
        at = _default_point(expr, w, at)
        notes.append(tr(TEXT["default_point"], lang, point=calculus.point_text(at),
                        example=",".join(f"{s.name}={mathinput.show(at[s]).replace('−', '-')}"
                                         for s in sorted(needed, key=lambda s: s.name))))
    facts = Facts(text=text, expr=expr, name=reading.name or "J", wrt=w, point=at, eps=eps, notes=notes)
    try:
        facts.derivative = calculus.derivative(expr, w)
    except CasTimeout as err:
        raise BadInput(err.localized(lang), code=err.code) from None
    if calculus.formula_undefined(facts.derivative):  # d/dx 0^x: a sentence, never "nan"
        facts.no_formula = calculus.no_formula_text(expr, lang)
    if with_steps:
        facts.steps = _steps(expr, w, lang, facts.name)
    try:
        facts.value = calculus.value(expr, at)
    except (calculus.UndefinedAt, CasTimeout) as err:  # no value here, but the derivative above still stands
        facts.undefined, facts.code = err.localized(lang), getattr(err, "code", "undefined")
        return facts
    try:
        facts.slope = calculus.derivative_at(expr, w, at)
    except (calculus.UndefinedAt, CasTimeout) as err:
        facts.no_slope = err.localized(lang)
    facts.forward = _or_none(calculus.forward_difference, expr, w, at, eps)  # asin(w) at 1: w + ε is outside
    facts.central = _or_none(calculus.central_difference, expr, w, at, eps)
    facts.rows = _or_none(calculus.difference_table, expr, w, at) or []  # floats: before the exact k, which may run out of time
    if _long_fraction(facts.value.exact) or _high_power(expr, w):  # (11/10)^1000, (1+ε)^10000: unreadable, slow
        return facts
    facts.exact_k = _or_none(calculus.exact_forward_difference, expr, w, at)
    facts.exact_k_at_eps = _or_none(calculus.exact_forward_difference, expr, w, at, eps_value)
    return facts


def _or_none(fn, *args):
    from derivtutor.algebra.calculus import UndefinedAt
    from derivtutor.algebra.cas import CasTimeout

    try:
        return fn(*args)
    except (UndefinedAt, CasTimeout):
        return None


def _steps(expr, w, lang: str, name: str) -> list[str]:
    from derivtutor.algebra import steps, steps_text

    return steps_text.plain_lines(steps.derive(expr, w), lang, name)


# ---------------------------------------------------------------- writing it out


def _num(x: float | None, lang: str) -> str:
    return tr(TEXT["undefined"], lang) if x is None else numbers.full(x)


def _err(x: float | None) -> str:
    return "" if x is None else numbers.scientific(x, 2, plus=True)


def _eps(x: float) -> str:
    return numbers.power_of_ten(x)


def _exact_decimal(value, lang: str) -> str:
    from derivtutor.algebra.mathinput import show

    exact = value.exact
    if _long_fraction(exact) and not exact.is_Integer:
        # (11/10)^1000 is a 1042-digit number over a 1001-digit one: two rounded halves say nothing
        return tr(TEXT["long_fraction"], lang, decimal=repr(value.decimal), p=_digits(exact.p), q=_digits(exact.q))
    return tr(TEXT["exact_decimal"], lang, exact=show(exact), decimal=repr(value.decimal))


LONG_BITS = 100  # past about 30 digits, a fraction is shown by its decimal


HIGH_POWER = 24  # (w+1)^n past this: the exact k = ((1+ε)^n − 1)/ε has too many terms to read


def _high_power(expr, w) -> bool:
    import sympy

    return any(p.exp.is_Integer and abs(int(p.exp)) > HIGH_POWER and p.base.has(w) for p in expr.atoms(sympy.Pow))


def _long_fraction(exact) -> bool:
    return bool(exact.is_Rational) and max(abs(int(exact.p)), int(exact.q)).bit_length() > LONG_BITS


def _digits(n) -> int:
    """Digits of an integer, counted without str() (which refuses past 4300 digits)."""
    n = abs(int(n))
    estimate = max(int(n.bit_length() * 0.30102999566398120), 1)
    return estimate + 1 if n >= 10**estimate else estimate


def _highlighter(colour: bool):
    """Pygments over the tutor's math lexer on a terminal; the identity otherwise."""
    if not colour:
        return lambda s: s
    try:
        from pygments import highlight
        from pygments.formatters import TerminalFormatter

        from derivtutor.terminal.lexer import MathLexer
    except ImportError:
        return lambda s: s
    lexer, formatter = MathLexer(stripnl=False, ensurenl=False), TerminalFormatter()
    return lambda s: highlight(s, lexer, formatter)


def as_text(f: Facts, lang: str, colour: bool = False, width: int = 80) -> str:
    from derivtutor.algebra import cas
    from derivtutor.algebra.calculus import float_value, point_text, show_quotient
    from derivtutor.algebra.mathinput import show, var
    from derivtutor.terminal.render import math_minus, minus_signs

    hl = _highlighter(colour)
    w, J = f.wrt.name, f.name
    out = [f"{tr(TEXT['read'], lang)}  {hl(f'{J} = {show(f.expr)}')}"]
    out += [f"  {note}" for note in f.notes]
    out.append(tr(TEXT["derivative"], lang))
    if f.no_formula:
        out.append(f"  {f.no_formula}")
    else:
        try:
            drawing = cas.pretty(f.derivative, width=width - 4)
        except cas.CasTimeout:
            drawing = show(f.derivative)
        drawing = math_minus(drawing)  # SymPy draws an ASCII minus; the tutor's is − (README)
        out.append(hl(f"  d{J}/d{w} =") if "\n" in drawing else hl(f"  d{J}/d{w} = {drawing}"))
        if "\n" in drawing:
            out += [f"    {hl(line)}" for line in drawing.splitlines()]
    if f.steps:
        out.append(tr(TEXT["steps"], lang))
        out += [f"  {line}" for line in f.steps]
    out.append(tr(TEXT["at"], lang, point=point_text(f.point)))
    if f.undefined:
        out.append(f"  {f.undefined}")
        return "\n".join(out) + "\n"
    out.append(f"  {J} = {_exact_decimal(f.value, lang)}")
    if f.slope or not f.no_formula:  # with no formula, the sentence above already says why there is no slope
        out.append(f"  d{J}/d{w} = {_exact_decimal(f.slope, lang)}" if f.slope else f"  {f.no_slope}")
    out.append(tr(TEXT["nudge"], lang, w=w, eps=repr(f.eps)))
    out.append("  " + tr(TEXT["forward_line"], lang, J=J, w=w, k=_num(f.forward, lang)))
    if _readable_exact(f):
        formula = show_quotient(f.exact_k, f.exact_k.subs(var("ε"), 0))
        at_eps = f.exact_k_at_eps  # 6001/1000 = 6.001, but 11, never "11 = 11.0"
        k = show(at_eps) if getattr(at_eps, "is_Integer", False) else f"{show(at_eps)} = {numbers.full(float_value(at_eps, {}))}"
        out.append("  " + tr(TEXT["exact_line"], lang, formula=formula, eps=repr(f.eps), k=k, decimal=""))
    if f.central is not None:
        out.append("  " + tr(TEXT["central_line"], lang, J=J, w=w, k=repr(f.central)))
    if f.rows:
        out.append(tr(TEXT["table" if f.slope else "table_no_slope"], lang, J=J, w=w))
        out += _table(f.rows, lang)
    else:
        out.append(tr(TEXT["no_table"], lang))
    return "\n".join(minus_signs(line) for line in out) + "\n"


def _readable_exact(f: Facts) -> bool:
    """Show k exactly only when it is a ratio of polynomials in ε (ε + 6, not a tangle of logs)."""
    from derivtutor.algebra.mathinput import var

    return (f.exact_k is not None and f.exact_k_at_eps is not None
            and f.exact_k.is_rational_function(var("ε")) and f.exact_k_at_eps.is_Rational)


def _table(rows, lang: str) -> list[str]:
    from derivtutor.terminal.render import cwidth

    head = ["ε", tr(WORDS["forward"], lang), tr(TEXT["error"], lang), tr(WORDS["central"], lang),
            tr(TEXT["error"], lang)]
    body = [[_eps(r.eps), _num(r.forward, lang), _err(r.forward_error), _num(r.central, lang),
             _err(r.central_error)] for r in rows]
    widths = [max(cwidth(row[i]) for row in [head] + body) for i in range(len(head))]

    def line(cells):
        return "  " + "  ".join(c + " " * (wd - cwidth(c)) for c, wd in zip(cells, widths)).rstrip()

    return [line(head)] + [line(cells) for cells in body]


def as_json(f: Facts) -> dict:
    """The same facts for scripts; `derivative` is a string SymPy can read back."""
    from derivtutor.algebra import cas
    from derivtutor.algebra.mathinput import show

    def sstr(v):
        try:
            return cas.sstr(v)
        except cas.CasTimeout:  # a 10000-term exact difference: left out, not a crash
            return None

    def exact(v):
        return None if v is None else {"exact": sstr(v.exact), "shown": show(v.exact), "decimal": v.decimal}

    extra = {"error": f.undefined, "code": f.code} if f.undefined else {}
    return {
        **extra,
        "input": f.text,
        "parsed": sstr(f.expr),
        "shown": show(f.expr),
        "name": f.name,
        "variable": f.wrt.name,
        "point": {s.name: sstr(v) for s, v in f.point.items()},
        "notes": f.notes,
        "derivative": None if f.no_formula else sstr(f.derivative),
        "derivative_shown": None if f.no_formula else show(f.derivative),
        "no_formula": f.no_formula,
        "undefined_at_point": f.undefined,
        "value": exact(f.value),
        "slope": exact(f.slope),
        "not_differentiable": f.no_slope,
        "eps": f.eps,
        "forward_difference": f.forward,
        "central_difference": f.central,
        "exact_forward_difference": None if f.exact_k is None else sstr(f.exact_k),
        "differences": [
            {"eps": r.eps, "forward": r.forward, "forward_error": r.forward_error,
             "central": r.central, "central_error": r.central_error}
            for r in f.rows
        ],
        "steps": f.steps,
    }

"""Free play's explanations of one function: derivation, numbers at a point, ε table, plots, gradient.

Functions of values (a SymPy J, a variable, a point, ε) that return `Message`s;
the conversation and its state live in `derivtutor.play.play`. Algebra modules are
imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from derivtutor.play import play_evidence as evidence
from derivtutor.text import columns
from derivtutor.text.i18n import Catalog, listing, sentence, tr
from derivtutor.text.numbers import figures, full, power_of_ten, scientific
from derivtutor.text.messages import Message

PLOT_WIDTH, PLOT_HEIGHT = 72, 16
HALF_RANGE = 3.0          # a plot spans the point ± this much unless the learner gives a range
ROUND_OFF = 1e-9          # relative error below which a difference is "exact up to round-off"

MAX_GRADIENT = 12  # variables `grad` lists: more do not fit a screen, nor the time budget

T = Catalog(__name__, 'T')


@dataclass(frozen=True)
class Problem:
    """What free play is looking at: J, the variable, the point (names → exact numbers), and ε."""

    J: Any
    wrt: Any                    # a Symbol
    at: dict                    # name -> SymPy number; may miss some of J's variables
    eps: float
    name: str = "J"

    @property
    def variables(self) -> list:
        return ordered(self.J.free_symbols)

    @property
    def partial(self) -> bool:
        return len(self.J.free_symbols) > 1

    @property
    def missing(self) -> list[str]:
        return [s.name for s in self.variables if s.name not in self.at]

    @property
    def point(self) -> dict:
        """Symbol -> number for J's variables (complete only when `missing` is empty)."""
        return {s: self.at[s.name] for s in (self.variables or [self.wrt]) if s.name in self.at}

    def d(self, of: str | None = None) -> str:
        mark = "∂" if self.partial else "d"
        return f"{mark}{of or self.name}/{mark}{self.wrt.name}"


def ordered(symbols) -> list:
    """Variables as ML writes them: w, then b, then the rest alphabetically."""
    rank = {"w": 0, "b": 1}
    return sorted(symbols, key=lambda s: (rank.get(s.name, 2), s.name))


def point_text(at: dict, names: list[str] | None = None) -> str:
    from derivtutor.algebra.mathprinter import show

    keys = names if names is not None else list(at)
    return listing(f"{k} = {show(at[k])}" for k in keys if k in at)


def decimal(x: float) -> str:
    """A float in full, as the labs print it (6.000999999999479)."""
    return full(x)


def error_text(err: float) -> str:
    return "0" if err == 0 else scientific(abs(err), 1)


def eps_text(eps: float) -> str:
    return full(eps) if eps >= 1e-4 else power_of_ten(eps)


def exact_and_decimal(value) -> str:
    """"4·sin(6) ≈ -1.1176619927957034", or just "66" for an integer."""
    from derivtutor.algebra.mathprinter import show

    if value.exact.is_Integer:
        return show(value.exact)
    return f"{show(value.exact)} ≈ {decimal(value.decimal)}"


# ---------------------------------------------------------------------------
# The derivation and the numbers


def derivation(p: Problem, lang: str) -> list[Message]:
    """The rule-by-rule working and the derivative as one formula."""
    from derivtutor.algebra import calculus, steps, steps_text
    from derivtutor.algebra.mathprinter import show

    d = calculus.derivative(p.J, p.wrt)
    lines = steps_text.plain_lines(steps.derive(p.J, p.wrt), lang, name=p.name)
    if calculus.formula_undefined(d):  # d/dx 0^x: a sentence, never "NaN"
        said = Message("say", calculus.no_formula_text(p.J, lang))
    else:
        said = Message("math", tr(T["derivative"], lang, d=p.d(), expr=show(d)), expr=d)
    return [Message("say", tr(T["working"], lang)), Message("block", block="\n".join(lines)), said]


def constant_note(p: Problem, lang: str) -> list[Message]:
    from derivtutor.algebra.mathprinter import show

    return [Message("say", tr(T["constant"], lang, name=p.name, expr=show(p.J), w=p.wrt.name, d=p.d())),
            Message("math", f"{p.d()} = 0")]


def numbers(p: Problem, lang: str, learner=None) -> list[Message]:
    """J and its derivative at the point, both differences with their errors, and one verdict."""
    from derivtutor.algebra import calculus

    if p.missing:
        return [Message("say", tr(T["need_point"], lang, example=", ".join(f"{n}=2" for n in p.missing)))]
    where = point_text(p.at, [s.name for s in p.variables])
    J_value = calculus.value(p.J, p.point)  # UndefinedAt here: J itself has no value at the point
    try:
        slope = calculus.derivative_at(p.J, p.wrt, p.point)
    except calculus.NotDifferentiable as err:
        return no_slope(p, err, lang)
    fwd = calculus.forward_difference(p.J, p.wrt, p.point, p.eps)
    cen = calculus.central_difference(p.J, p.wrt, p.point, p.eps)
    rows = [(tr(T["at"], lang, point=where), ""),
            (p.name, exact_and_decimal(J_value)),
            (p.d(), exact_and_decimal(slope)),
            (f"{tr(T['forward'], lang)}  ε = {eps_text(p.eps)}",
             f"{decimal(fwd)}   {tr(T['error'], lang)} {error_text(fwd - slope.decimal)}"),
            (f"{tr(T['central'], lang)}  ε = {eps_text(p.eps)}",
             f"{decimal(cen)}   {tr(T['error'], lang)} {error_text(cen - slope.decimal)}")]
    out = [Message("block", block=_columns(rows), data={"forward": fwd, "central": cen, "exact": slope.decimal})]
    # below the smallest float, J's values round to 0 and so do both differences: that says
    # nothing about the shape of J, so no verdict on its ε terms is given
    lost = [v.exact != 0 and v.decimal == 0 for v in (J_value, slope)]
    key = "underflow" if all(lost) else "underflow_slope" if lost[1] else "underflow_value"
    out.append(Message("say", tr(T[key], lang, name=p.name, d=p.d()) if any(lost)
                       else verdict(p, slope, fwd, cen, lang)))
    if learner is not None:
        out += _learner_at(p, learner, slope, where, lang)
    return out


def verdict(p: Problem, slope, fwd: float, cen: float, lang: str) -> str:
    """One sentence tying the exact derivative to the two differences."""
    from derivtutor.algebra import calculus

    fe, ce = fwd - slope.decimal, cen - slope.decimal
    fields = dict(d=p.d(), value=_short(slope.decimal), eps=eps_text(p.eps), w=p.wrt.name,
                  fe=error_text(fe), ce=error_text(ce))
    scale = max(abs(slope.decimal), 1.0)
    # What the sentences say about J's shape is proved from J, not read off small errors:
    # w³/10¹⁰ has differences within 10⁻⁹ of its slope and is no straight line.
    if abs(ce) <= ROUND_OFF * scale and abs(fe) <= ROUND_OFF * scale and calculus.degree_at_most(p.J, p.wrt, 1):
        return tr(T["exact_line"], lang, **fields)  # never "the forward one is off by 0"
    if abs(ce) <= ROUND_OFF * scale and calculus.degree_at_most(p.J, p.wrt, 2):
        return tr(T["exact_both"], lang, **fields)
    if evidence.round_off_wins(p, fe):
        return tr(T["roundoff"], lang, **fields)
    key = evidence.truncation_key(p, slope.decimal, fe, ce, same_text=fields["fe"] == fields["ce"])
    return tr(T[key], lang, **fields, smaller=_typeable(p.eps / 100))


def _learner_at(p: Problem, learner, slope, where: str, lang: str) -> list[Message]:
    """A wrong answer, evaluated where the differences were measured."""
    from derivtutor.algebra import calculus

    try:
        mine = calculus.value(learner, p.point)
    except (calculus.UndefinedAt, ValueError, TypeError, ArithmeticError):
        return []
    if mine.exact == slope.exact:
        return []
    return [Message("say", tr(T["yours_at"], lang, yours=_short(mine.decimal), point=where,
                                value=_short(slope.decimal)))]


def no_slope(p: Problem, err, lang: str) -> list[Message]:
    """J is defined but has no derivative here (a corner, a vertical tangent): say so, and what SymPy's formula says."""
    from derivtutor.algebra import calculus
    from derivtutor.algebra.mathprinter import show

    out = [Message("feedback", sentence(err.localized(lang), lang), ok=False)]
    d = calculus.derivative(p.J, p.wrt)
    try:
        formula_value = calculus.value(d, p.point)
    except calculus.UndefinedAt:
        return out
    return out + [Message("say", tr(T["convention"], lang, d=p.d(), formula=show(d),
                                    value=show(formula_value.exact)))]


# ---------------------------------------------------------------------------
# The ε table and the error V


def table_rows(p: Problem) -> tuple[Any, list]:
    """The exact slope and calculus's rows for ε = 1e-1 … 1e-15 (None where ε leaves J's domain)."""
    from derivtutor.algebra import calculus

    slope = calculus.derivative_at(p.J, p.wrt, p.point)
    return slope, calculus.difference_table(p.J, p.wrt, p.point)


def table(p: Problem, lang: str, width: int = 80) -> list[Message]:
    """Forward and central differences for every ε, each with its error against the exact slope."""
    found = _rows_or_reason(p, lang)
    if isinstance(found, list):
        return found
    slope, rows = found
    head = ("ε", tr(T["forward"], lang), tr(T["error"], lang), tr(T["central"], lang), tr(T["error"], lang))
    for shown in (decimal, lambda v: figures(v, 10)):  # every digit, as the labs print them, when it fits
        body = [(eps_text(r.eps), _or_dash(shown, r.forward), _or_dash(error_text, r.forward_error),
                 _or_dash(shown, r.central), _or_dash(error_text, r.central_error)) for r in rows]
        grid = _grid([head, *body])
        if max(_width(line) for line in grid.split("\n")) <= width:
            break
    where = point_text(p.at, [s.name for s in p.variables])
    out = [Message("say", tr(T["table_head"], lang, name=p.name, point=where, d=p.d(),
                             value=exact_and_decimal(slope))),
           Message("block", block=_grid([head, *body]),
                   data={"rows": [(r.eps, r.forward, r.central) for r in rows], "exact": slope.decimal})]
    best_f, best_c = _best(rows, "forward_error"), _best(rows, "central_error")
    if best_f is not None and best_c is not None:
        key = "table_best" if evidence.v_shaped(rows) else "table_best_only"
        out.append(Message("say", tr(T[key], lang, fwd=eps_text(best_f), cen=eps_text(best_c))))
    return out


def _rows_or_reason(p: Problem, lang: str):
    """(slope, table rows), or the messages saying why there is no table (no point, no slope)."""
    from derivtutor.algebra import calculus

    if p.missing:
        return [Message("say", tr(T["need_point"], lang, example=", ".join(f"{n}=2" for n in p.missing)))]
    try:
        return table_rows(p)
    except calculus.NotDifferentiable as err:
        return no_slope(p, err, lang)


def _best(rows, field: str) -> float | None:
    """The ε with the smallest error of that kind (None when no ε gave one)."""
    known = [r for r in rows if getattr(r, field) is not None]
    return min(known, key=lambda r: abs(getattr(r, field))).eps if known else None


def _or_dash(fmt, v) -> str:
    return "—" if v is None else fmt(v)


def error_plot(p: Problem, lang: str, braille: bool, width: int = PLOT_WIDTH) -> list[Message]:
    """The log-log V of |error| against ε, with the best ε of each difference marked."""
    from derivtutor.algebra import plot

    found = _rows_or_reason(p, lang)
    if isinstance(found, list):
        return found
    _, rows = found
    errors = [(r.eps, r.forward_error, r.central_error) for r in rows
              if r.forward_error is not None and r.central_error is not None]
    drawn = plot.plot_errors(errors, width=min(width, PLOT_WIDTH), height=PLOT_HEIGHT, braille=braille, lang=lang)
    return [Message("say", tr(T["errors_say" if evidence.v_shaped(rows) else "errors_say_plain"], lang)),
            Message("block", block=drawn)]


# ---------------------------------------------------------------------------
# J with its tangent and secant


def function_plot(p: Problem, lang: str, braille: bool, x_range: tuple[float, float] | None = None,
                  width: int = PLOT_WIDTH) -> list[Message]:
    """J over a range of its variable, the tangent at the point and the secant for the current ε."""
    from derivtutor.algebra import calculus, plot

    others = {s: v for s, v in p.point.items() if s != p.wrt}
    missing_others = [n for n in p.missing if n != p.wrt.name]
    if missing_others:
        return [Message("say", tr(T["need_point"], lang, example=", ".join(f"{n}=2" for n in missing_others)))]

    def f(x: float) -> float:
        return calculus.float_value(p.J, {**others, p.wrt: x})

    has_point = p.wrt.name in p.at
    x0 = float(p.at[p.wrt.name]) if has_point else 0.0
    lo, hi = x_range or _wider(x0)
    problem = plot.range_problem(lo, hi)
    if problem is not None:  # plot 0..1e-300, or the default ± 3 around x = 1e300: a sentence, no crash
        a, b = (-HALF_RANGE, HALF_RANGE) if problem == "wide" or not math.isfinite(x0) else _wider(x0)
        return [Message("error", tr(T[f"range_{problem}"], lang, lo=_typeable(lo, 17), hi=_typeable(hi, 17),
                                    a=_typeable(a), b=_typeable(b)))]
    tangent = secant = None
    out: list[Message] = []
    if has_point:
        try:
            y0 = f(x0)
            slope = calculus.derivative_at(p.J, p.wrt, p.point).decimal
            tangent, secant = (x0, y0, slope), (x0, x0 + p.eps)
        except (calculus.UndefinedAt, ValueError, ArithmeticError):
            tangent = secant = None
    drawn = plot.plot_function(f, (lo, hi), width=min(width, PLOT_WIDTH), height=PLOT_HEIGHT, tangent=tangent,
                               secant=secant, braille=braille, label=p.name, lang=lang)
    out.append(Message("block", block=drawn))
    if tangent is None:
        if not has_point:
            out.append(Message("say", tr(T["plot_no_point"], lang, w=p.wrt.name)))
        return out
    fwd = calculus.forward_difference(p.J, p.wrt, p.point, p.eps)
    out.append(Message("say", tr(T["plot_say"], lang, point=point_text(p.at, [p.wrt.name]), slope=_short(tangent[2]),
                                 w=p.wrt.name, eps=eps_text(p.eps), secant=_short(fwd))))
    out.append(Message("say", _plot_advice(p, drawn, lang)))
    return out


def _plot_advice(p: Problem, drawn, lang: str) -> str:
    """What to try next, read off the plot as drawn: the secant "hides under the tangent" only
    where hardly a cell of it is left showing (sin(1000w) at ε = 0.001 has a secant of slope 841 beside
    a tangent of 1000), and a smaller ε is always smaller than the one in use."""
    hidden = evidence.secant_hidden(drawn)
    if p.eps < 0.05 and hidden:
        return tr(T["plot_try"], lang)
    first = 0.1 if p.eps > 0.1 else p.eps / 10
    if p.eps < 0.05:
        return tr(T["plot_apart"], lang, a=_typeable(first))
    return tr(T["plot_shrink"], lang, a=_typeable(first), b=_typeable(first / 10))


# ---------------------------------------------------------------------------
# Several variables


def gradient(p: Problem, lang: str) -> list[Message]:
    """Every partial derivative, then the vector of their values at the point when it is known."""
    from derivtutor.algebra import calculus
    from derivtutor.algebra.mathprinter import show

    variables = p.variables
    if len(variables) > MAX_GRADIENT:  # each partial of a long product costs SymPy a fifth of a second
        return [Message("error", tr(T["grad_too_many"], lang, name=p.name, n=len(variables), most=MAX_GRADIENT))]
    parts = calculus.partials(p.J, variables)
    if any(calculus.formula_undefined(part) for part in parts.values()):  # 0^x: a sentence, never "NaN"
        return [Message("say", calculus.no_formula_text(p.J, lang))]
    names = [f"∂{p.name}/∂{s.name}" for s in variables]
    lines = [f"∇{p.name} = ({', '.join(names)})"]
    lines += [f"{n} = {show(parts[s])}" for n, s in zip(names, variables)]
    out = [Message("say", tr(T["grad_head"], lang)), Message("block", block="\n".join(lines))]
    if not variables:
        return out
    if p.missing:
        return out + [Message("say", tr(T["need_point"], lang, example=", ".join(f"{n}=2" for n in p.missing)))]
    values = [calculus.value(parts[s], p.point) for s in variables]
    shown = ", ".join(exact_and_decimal(v) if not v.exact.is_Integer else show(v.exact) for v in values)
    where = point_text(p.at, [s.name for s in variables])
    out.append(Message("math", tr(T["grad_at"], lang, point=where, name=p.name, values=shown)))
    return out


# ---------------------------------------------------------------------------
# Small text helpers


def _wider(x0: float) -> tuple[float, float]:
    """A range around x0 wide enough for the float grid: ± 3, or ± 10 % of x0 when x0 is huge."""
    half = max(HALF_RANGE, abs(x0) * 0.1)
    return x0 - half, x0 + half


def _typeable(x: float, digits: int = 6) -> str:
    """A number as a learner can type it back: 9e9, 1.0000000001e10, -2."""
    return figures(x, digits, short_exponent=True)


def _short(x: float) -> str:
    return figures(x)


_width, _pad = columns.width, columns.pad


def _columns(rows: list[tuple[str, str]]) -> str:
    """Label and value in two aligned columns."""
    left = max(_width(label) for label, _ in rows)
    return "\n".join((_pad(label, left) + "   " + value).rstrip() for label, value in rows)


def _grid(rows: list[tuple[str, ...]]) -> str:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(r)).rstrip() for r in rows)

"""How a derivation reads: one sentence per Step, in English or Simplified Chinese.

`derivtutor.algebra.steps` decides what happened; this module only writes it down.
Each rule has a name and a sentence body in a table; a field builder per rule
turns the Step's context into the strings the body needs. Math sits inside
`$...$` so the shell can highlight it and plain mode can drop the marks.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sympy import Derivative, Eq, S, log

from derivtutor.text.i18n import Catalog, tr
from derivtutor.text.markup import strip_markup


class StepLine(NamedTuple):
    depth: int       # 0 for the whole derivative, +1 per nested rule
    sentence: str    # "Power rule: $d/dw w³ = 3·w²$" (math in $...$)
    expr: Any        # Eq(Derivative(f, w), f′), for a renderer that pretty-prints


RULE_NAMES = Catalog(__name__, 'RULE_NAMES')

BODIES = Catalog(__name__, 'BODIES')   # the sentence after each rule's name
WORDS = Catalog(__name__, 'WORDS')     # "undefined", "larger", the colon and commas of each language
_FACTOR_NAMES = "fghkmn"
_SUBSCRIPTS = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")


# ---------------------------------------------------------------- showing expressions

_show_fn = None


def _base_show():
    """mathinput.show (one-line Unicode) when it exists; SymPy's sstr until then."""
    global _show_fn
    if _show_fn is None:
        try:
            from derivtutor.algebra.mathinput import show as _show_fn_found
        except ImportError:  # mathinput is being written in parallel
            from sympy import sstr as _show_fn_found
        _show_fn = _show_fn_found
    return _show_fn


def _log_base_parts(expr):
    """(c, A, b) when expr is c·log(A)/log(b) with b a number (how SymPy holds log(A, b))."""
    if not expr.is_Mul:
        return None
    logs = [a for a in expr.args if isinstance(a, log) and len(a.args) == 1]
    divs = [a for a in expr.args if a.is_Pow and a.exp == -1 and isinstance(a.base, log)
            and len(a.base.args) == 1 and not a.base.args[0].free_symbols]
    if len(logs) != 1 or len(divs) != 1:
        return None
    rest = [a for a in expr.args if a is not logs[0] and a is not divs[0]]
    return expr.func(*rest), logs[0].args[0], divs[0].base.args[0]


def show(expr) -> str:
    """One-line form of an expression; c·log(A)/log(b) reads as c·log_b(A)."""
    parts = _log_base_parts(expr)
    if parts is not None:
        c, arg, base = parts
        coefficient = "" if c == 1 else "−" if c == -1 else f"{_operand(c)}·"
        return coefficient + _log_name(arg, base)
    try:
        return _base_show()(expr)
    except Exception:  # a printer gap must never stop the explanation
        from sympy import sstr

        return sstr(expr)


def _log_name(arg, base) -> str:
    """log₂(w) for a number base, log_b(w) otherwise."""
    sub = show(base)
    sub = sub.translate(_SUBSCRIPTS) if sub.isdigit() else f"_{sub}"
    return f"log{sub}({show(arg)})"


def _operand(expr) -> str:
    """`expr` as the operand of d/dw: parenthesised when it would otherwise read wrongly."""
    text = show(expr)
    needs = (expr.is_Add or (expr.is_Mul and _log_base_parts(expr) is None
                             and (expr.could_extract_minus_sign() or "/" in text))
             or (expr.is_Pow and expr.exp.is_negative) or text.startswith(("-", "−")))
    return f"({text})" if needs else text


def _op(var, partial: bool) -> str:
    name = show(var)
    return f"∂/∂{name}" if partial else f"d/d{name}"


# ---------------------------------------------------------------- fields per rule

def _held(step, fmt):
    return {"held": tr(WORDS["enum_comma"], fmt["language"]).join(show(s) for s in step.context["held"])}


def _constant_multiple(step, fmt):
    return {"c": _operand(step.context["c"]), "g": _operand(step.context["f"])}


def _sum(step, fmt):
    D = fmt["D"]
    parts = []
    for i, (sign, term) in enumerate(zip(step.context["signs"], step.context["terms"])):
        joiner = ("−" if sign < 0 else "") if i == 0 else (" − " if sign < 0 else " + ")
        parts.append(f"{joiner}{D} {_operand(term)}")
    return {"parts": "".join(parts)}


def _product(step, fmt):
    factors = step.context["factors"]
    names = [_FACTOR_NAMES[i] if len(factors) <= len(_FACTOR_NAMES) else f"f{i + 1}" for i in range(len(factors))]
    shown = tr(WORDS["list_comma"], fmt["language"]).join(f"${n} = {show(f)}$" for n, f in zip(names, factors))
    terms = ["·".join(n + ("′" if i == j else "") for j, n in enumerate(names)) for i in range(len(names))]
    return {"names": shown, "formula": " + ".join(terms)}


def _quotient(step, fmt):
    return {"num": show(step.context["numerator"]), "den": show(step.context["denominator"])}


def _chain(step, fmt):
    u = show(step.context["var"])
    w = fmt["w"]
    name = fmt.get("name")
    partial = fmt["D"].startswith("∂")
    d = "∂" if partial else "d"
    fields = {"u": show(step.context["u"]), "var": u, "outer": show(step.context["outer"])}  # one letter throughout
    if name:
        fields["lhs"] = f"{d}{name}/{d}{w}"
        fields["outer_d"] = f"d{name}/d{u}"
    else:
        fields["lhs"] = f"{fmt['D']} {fmt['f']}"
        fields["outer_d"] = f"d/d{u} {_operand(step.context['outer'])}"
    fields["inner_d"] = f"{d}{u}/{d}{w}"
    return fields


def _exponential(step, fmt):
    return {"base": show(step.context["base"])}


def _log_base(step, fmt):
    return {"base": show(step.context["base"]), "logb": _log_name(step.context["arg"], step.context["base"])}


def _abs(step, fmt):
    return {"arg": show(step.expr.args[0])}


def _max_min(step, fmt):
    larger = step.context["larger"]
    return {"kind": "max" if larger else "min", "which": tr(WORDS["larger" if larger else "smaller"], fmt["language"])}


def _log_diff(step, fmt):
    return {"log_form": show(step.context["log_form"])}


FIELDS = {
    "held_constant": _held,
    "constant_multiple": _constant_multiple,
    "sum": _sum,
    "difference": _sum,
    "product": _product,
    "quotient": _quotient,
    "chain": _chain,
    "exponential": _exponential,
    "log_base": _log_base,
    "abs": _abs,
    "sign": _abs,
    "log_diff": _log_diff,
    "max_min": _max_min,
}


# ---------------------------------------------------------------- walking the tree

def _sentence(step, lang, partial, name):
    fmt = {"language": lang, "D": _op(step.wrt, partial), "w": show(step.wrt), "f": _operand(step.expr), "df": show(step.result)}
    if name:
        fmt["name"] = name
    fmt.update(FIELDS.get(step.rule, lambda s, f: {})(step, fmt))
    body_key = "chain_named" if step.rule == "chain" and name else step.rule
    if step.result.has(S.NaN, S.ComplexInfinity, S.Infinity, S.NegativeInfinity):  # d/dx 0^x: never "∞̃·0^x"
        fmt["df"] = tr(WORDS["undefined"], lang)
        if step.rule == "exponential" and step.context.get("base") == 0:
            body_key = "exponential_zero"
    title = tr(RULE_NAMES.get(step.rule, RULE_NAMES["sympy"]), lang, **fmt)
    return title + tr(WORDS["colon"], lang) + tr(BODIES.get(body_key, BODIES["sympy"]), lang, **fmt)


def render(step, lang: str = "en", name: str | None = None) -> list[StepLine]:
    """The derivation as lines, parent before its substeps; `name` ("J") labels the root."""
    root_wrt = step.wrt
    partial = bool(step.expr.free_symbols - {root_wrt})
    lines: list[StepLine] = []

    def walk(node, depth, label):
        is_partial = partial and node.wrt == root_wrt
        eq = Eq(Derivative(node.expr, node.wrt, evaluate=False), node.result, evaluate=False)
        lines.append(StepLine(depth, _sentence(node, lang, is_partial, label), eq))
        for sub in node.substeps:
            walk(sub, depth + 1, None)

    walk(step, 0, name)
    return lines


def plain_lines(step, lang: str = "en", name: str | None = None) -> list[str]:
    """Indented plain-text lines: two spaces per level, math marks dropped."""
    return ["  " * line.depth + strip_markup(line.sentence) for line in render(step, lang, name)]

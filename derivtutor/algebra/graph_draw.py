"""A computation graph on screen: its numbers, formulas and boxes, top to bottom.

Apart from the engine (graph.py), so the backprop a learner can read stays short: nodes
know their values and local partials, this module knows how they look (Unicode or ASCII,
English or Chinese, cut to the terminal's width).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy
from sympy import Expr

from derivtutor.text import columns
from derivtutor.text.i18n import tr
from derivtutor.text.numbers import MINUS, figures, terminating_decimal, true_minus
from derivtutor.algebra.mathinput import show

if TYPE_CHECKING:
    from derivtutor.algebra.graph import Graph, Node


def number_text(v: object, ascii: bool) -> str:
    """-4, 4.5, 1/3 ≈ 0.3333, √2 ≈ 1.414: exact when short, a decimal beside when not."""
    if isinstance(v, float):
        return true_minus(figures(v), ascii)
    v = sympy.Integer(v) if isinstance(v, int) else v
    if v.is_Rational and max(abs(int(v.p)), int(v.q)).bit_length() > 100:  # (w+1)^10000 at 2: 4771 digits
        return true_minus(show(v), ascii)  # 1.63135…×10⁴⁷⁷¹, never str() of the whole (it raises past 4300 digits)
    if v.is_Integer:
        return true_minus(str(int(v)), ascii)
    approx = "~" if ascii else "≈"  # ASCII mode prints nothing else (1/3 ~ 0.3333)
    if v.is_Rational:
        decimal = terminating_decimal(int(v.p), int(v.q))  # 9/2 is 4.5
        if decimal is not None:
            return decimal.replace(MINUS, "-") if ascii else decimal
        return true_minus(f"{v.p}/{v.q} {approx} {figures(v, 4)}", ascii)
    if v.is_Float:
        return true_minus(figures(v), ascii)
    exact = formula_text(v, ascii)
    decimal = true_minus(figures(v, 4), ascii)
    # √2 ≈ 1.414 reads well; a long exact form would only push the decimal off the box,
    # so it gives way to a cut decimal that follows "=" naturally: ∂J/∂x = 10.4027…
    if len(exact) <= 8:
        return f"{exact} {approx} {decimal}"
    return true_minus(figures(v), ascii) + ("..." if ascii else "…")


def factor_text(v: Expr, ascii: bool) -> str:
    text = number_text(v, ascii)
    return f"({text})" if text.startswith(("-", "−")) or " " in text else text


def formula_text(expr: Expr, ascii: bool) -> str:
    """One line: show()'s Unicode (w²/2), or SymPy's own ASCII spelling with ^ (w^2/2)."""
    return sympy.sstr(expr).replace("**", "^") if ascii else show(expr)


_cells = columns.width  # terminal columns (derivtutor.text.columns)


def _fit(text: str, cols: int, ellipsis: str) -> str:
    """Pad or cut `text` to exactly `cols` terminal columns."""
    if _cells(text) <= cols:
        return text + " " * (cols - _cells(text))
    out = ""
    for ch in text:
        if _cells(out + ch) > cols - _cells(ellipsis):
            break
        out += ch
    return out + ellipsis + " " * (cols - _cells(out + ellipsis))


_FRAME = {
    False: {"tl": "┌", "tr": "┐", "bl": "└", "br": "┘", "h": "─", "v": "│", "tee": "┬",
            "arrow": "▼", "d": "∂", "more": "…"},
    True: {"tl": "+", "tr": "+", "bl": "+", "br": "+", "h": "-", "v": "|", "tee": "+",
           "arrow": "v", "d": "d", "more": "~"},
}

_LABELS = {"inputs": {"en": "inputs", "zh": "输入"}}


def draw(graph: Graph, width: int, show_values: bool, show_grads: bool, reveal: set | None,
          show_locals: bool, ascii: bool, lang: str) -> str:
    graph.backward()
    f = _FRAME[ascii]
    d, j = f["d"], graph.output.name
    reveal = None if reveal is None else {tuple(item) for item in reveal}

    def known(*fact: str) -> bool:
        flag = {"value": show_values, "grad": show_grads, "local": True}[fact[0]]
        return flag and (reveal is None or fact in reveal)

    def num(v: Expr, fact: tuple[str, ...]) -> str:
        return number_text(v, ascii) if known(*fact) else "?"

    def grad_line(n: Node) -> str:
        seed = n is graph.output  # ∂J/∂J = 1 is where backprop starts, never a question
        value = number_text(n.grad, ascii) if seed else num(n.grad, ("grad", n.name))
        return f"{d}{j}/{d}{n.name} = {value}"

    def local_lines(n: Node) -> list[str]:
        lines = []
        for p in n.inputs:
            fact = ("local", n.name, p)
            if not (show_locals or (reveal is not None and fact in reveal)):
                continue
            if not known(*fact):
                lines.append(f"{d}{n.name}/{d}{p} = ?")
                continue
            sym, val = n.local[p], n.local_values[p]
            shown = number_text(val, ascii)
            if not sym.is_Number:
                shown = f"{formula_text(sym, ascii)} = {shown}"
            lines.append(f"{d}{n.name}/{d}{p} = {shown}")
        return lines

    # Each box: a title (in the top border) and body lines.
    label = tr(_LABELS["inputs"], lang)
    left = max(_cells(f"{n.name} = {number_text(n.value, ascii)}") for n in graph.inputs)
    boxes = [(label, [_fit(f"{n.name} = {number_text(n.value, ascii)}", left, "") + "   "
                      + grad_line(n) for n in graph.inputs], True)]
    previous = {n.name for n in graph.inputs}
    for n in graph.nodes:
        title = f"{n.name} = {formula_text(n.formula, ascii)}"
        body = [f"{n.name} = {num(n.value, ('value', n.name))}", *local_lines(n), grad_line(n)]
        boxes.append((title, body, bool(previous & set(n.inputs))))
        previous = {n.name}

    inner = max(_cells(line) for _, body, _ in boxes for line in body)
    inner = max(inner, *(_cells(title) + 2 for title, _, _ in boxes))
    inner = max(4, min(inner, width - 4))
    out: list[str] = []
    for i, (title, body, linked) in enumerate(boxes):
        if i:
            out.append(" " * (inner // 2 + 2) + f["arrow"] if linked else "")
        heading = _fit(f" {title} ", inner + 1, f["more"] + " ").rstrip(" ")
        heading = heading if heading.endswith(" ") else heading + " "
        out.append(f["tl"] + f["h"] + heading + f["h"] * (inner + 1 - _cells(heading)) + f["tr"])
        out.extend(f"{f['v']} {_fit(line, inner, f['more'])} {f['v']}" for line in body)
        tee = f["tee"] if i + 1 < len(boxes) and boxes[i + 1][2] else f["h"]
        half = inner // 2 + 1
        out.append(f["bl"] + f["h"] * half + tee + f["h"] * (inner + 1 - half) + f["br"])
    return "\n".join(out)

"""Which mistake made a wrong answer to a step that is not a dJ/dw formula: a graph step
(a value, a local partial or a gradient of a lesson's computation graph) or a number the
lesson computes from a formula (one gradient-descent update).

The rule is the mistake table's: a mistake is named only when it reproduces the learner's
answer exactly from this step's own graph or formula (a symbolic answer by equivalence, a
number by its exact value), and only when it differs from the right answer. A message says
what happened in the learner's graph (which factor is missing, which variable was used)
and never gives the right answer; showing that is the runner's policy.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import Expr

from derivtutor.teaching import answers
from derivtutor.algebra import check
from derivtutor.algebra.graph import GraphError
from derivtutor.text.i18n import Catalog, listing, tr
from derivtutor.algebra.mathprinter import show
from derivtutor.algebra.mistakes import BY_CODE


@dataclass(frozen=True)
class Diagnosis:
    """A named mistake for one wrong answer."""

    code: str        # the mistake row's code (mistakes.BY_CODE)
    message: dict    # en and zh, already said about this step
    wrong: Expr      # the value (or expression) the mistake produces

    @property
    def name(self) -> dict:
        return BY_CODE[self.code].name

    def text(self, lang: str | None = None) -> str:
        return tr(self.message, lang)


TEXT = Catalog(__name__, 'TEXT')

_CODE = {"stopped_early": "chain_factor_missing", "local_only": "chain_factor_missing",
         "other_grad": "wrong_variable", "other_local": "wrong_variable",
         "sign": "sign_error", "sign_term": "sign_error"}


def _said(key: str, wrong: Expr, **fields) -> Diagnosis:
    return Diagnosis(_CODE[key], {lang: tr(TEXT[key], lang, **fields) for lang in ("en", "zh")}, wrong)


def _math(expr) -> str:
    return f"${show(expr)}$"


def _same(a: Expr, b: Expr) -> bool:
    if a.is_Rational and b.is_Rational:  # the graph's and the lessons' numbers: exact already
        return a == b
    return check.equivalent(a, b).equal is True


# ---------------------------------------------------------------------------
# Graph steps


def _downstream(built, name: str) -> list[str]:
    """The computed nodes whose value depends on `name`, in graph order (the output last)."""
    found: list[str] = []
    for n in built.nodes:
        if any(p == name or p in found for p in n.inputs):
            found.append(n.name)
    return found


def _through(built, node: str, wrt: str) -> Expr:
    """∂node/∂wrt along every path: node's formula written out down to wrt, differentiated."""
    return sympy.diff(_in_terms_of(built, built.node(node).symbol, wrt), built.node(wrt).symbol)


def _in_inputs(built, expr: Expr) -> Expr:
    """An expression in node names, written in the graph's inputs alone."""
    return expr.xreplace({n.symbol: built.composed(n.name) for n in built.nodes})


def _grad_candidates(built, wrt: str, symbolic: bool):
    """(key, wrong expression in node symbols, fields) for ∂J/∂wrt, most telling first."""
    later = [n for n in _downstream(built, wrt) if n != built.output.name]
    chain = [("stopped_early", built.grad_expr(n), {"node": n}) for n in later]
    chain += [("local_only", _through(built, n, wrt), {"node": n}) for n in later]
    others = [("other_grad", built.grad_expr(q.name), {"other": q.name})
              for q in built.all_nodes if q.name not in (wrt, built.output.name)
              and q.name not in later and wrt not in _downstream(built, q.name)]
    sign = [("sign", -built.grad_expr(wrt), {"node": "J"})]
    return chain + (others + sign if symbolic else sign + others)


def _local_candidates(built, node: str, wrt: str, symbolic: bool):
    """(key, wrong expression, fields) for the local partial ∂node/∂wrt."""
    others = [("other_local", built.local_expr(node, q), {"node": node, "other": q})
              for q in built.node(node).inputs if q != wrt]
    sign = [("sign", -built.local_expr(node, wrt), {"node": node})]
    return others + sign if symbolic else sign + others


def graph_step(lesson, step, answer: Expr, value: Expr) -> Diagnosis | None:
    """The mistake that turns this graph step's question into the learner's answer.

    `answer` is what the learner typed (it may name nodes: `2a`), `value` its value at the
    graph's point. None when no mistake reproduces it exactly.
    """
    built = answers.graph_for(lesson, step.get("graph"))
    (what, target), = step.get("ask").items()
    if what == "grad":
        wrt, candidates = target, _grad_candidates(built, target, bool(answer.free_symbols))
    elif what == "local":
        node, wrt = target
        candidates = _local_candidates(built, node, wrt, bool(answer.free_symbols))
    else:
        return None
    right = answers.graph_ask(built, what, target)
    mine = _in_inputs(built, answer) if answer.free_symbols else None
    for key, wrong, fields in candidates:
        try:
            wrong_value = built.evaluate(wrong)
        except GraphError:
            continue  # undefined at the graph's point: not an answer anyone got this way
        if _same(wrong_value, right):
            continue  # this mistake makes no difference here
        if mine is not None:
            if not _same(mine, _in_inputs(built, wrong)):
                continue
        elif not _same(value, wrong_value):
            continue
        return _said(key, wrong_value, yours=_math(answer), wrt=wrt, **fields)
    of = built.output.name if what == "grad" else target[0]
    return _by_the_table(built, of, wrt, answer, value, local=what == "local")


# Rows whose sentences speak of J and dJ/dw: not for a local partial such as ∂c/∂w.
_ABOUT_J = ("gave_J", "wrong_variable", "wrong_point", "sign_error")


def _by_the_table(built, of: str, wrt: str, answer: Expr, value: Expr, local: bool) -> Diagnosis | None:
    """The mistake table on the node's formula written in wrt (J = (2 + 3w)² for ∂J/∂w):
    `2·(2 + 3w)` or `121` for 66 is named as the table names it for that J."""
    F = _in_terms_of(built, built.node(of).symbol, wrt)
    x = built.node(wrt).symbol
    try:
        if answer.free_symbols:
            verdict = check.check_derivative(F, _in_terms_of(built, answer, wrt), x)
        else:
            values = {n.symbol: n.value for n in built.all_nodes}
            verdict = check.check_derivative(F, value, x, at={s: values[s] for s in F.free_symbols | {x}})
    except check.CheckError:
        return None
    if verdict.mistake is None or local and verdict.mistake.code in _ABOUT_J:
        return None
    point = listing((f"{s.name} = {show(built.node(s.name).value)}"
                     for s in sorted(F.free_symbols | {x}, key=lambda s: s.name)), math=True)
    # a graph is read with ∂ throughout (∂J/∂a, ∂J/∂w), whatever the node's formula holds
    message = {lang: check.partial_notation(tr(verdict.mistake.message, lang, wrt=wrt, point=point), wrt)
               for lang in ("en", "zh")}
    return Diagnosis(verdict.mistake.code, message, verdict.answer)


def _in_terms_of(built, expr: Expr, wrt: str) -> Expr:
    """An expression in node names with every node computed from wrt written out, down to wrt."""
    later = set(_downstream(built, wrt))
    for n in reversed(built.nodes):
        if n.name in later:
            expr = expr.xreplace({n.symbol: n.formula})
    return expr


# ---------------------------------------------------------------------------
# Numbers a lesson computes from a formula


def number_step(step, saved: dict, value: Expr, typed: str | None = None) -> Diagnosis | None:
    """A sign slip in one term of the formula a number step is computed from
    (`w − α·2w` answered as w + α·2w), or a mistake-table mistake in a derivative at a point.
    `typed` is the learner's own spelling of the number (3.6, not 18/5)."""
    spec = step.get("answer")
    if not isinstance(spec, dict) or value.free_symbols:
        return None
    at = answers.point(spec.get("at"), saved)
    if "derivative" in spec:
        return _derivative_at(spec, at, value)
    if "value" not in spec:
        return None
    formula = answers.expression(spec["value"])
    right = formula.xreplace(at)
    for add in sympy.preorder_traversal(formula):
        if not isinstance(add, sympy.Add):
            continue
        for term in add.args:
            flipped = formula.xreplace({add: sympy.Add(*(-t if t == term else t for t in add.args))})
            wrong = flipped.xreplace(at)
            if wrong.free_symbols or _same(wrong, right) or not _same(value, wrong):
                continue
            yours = typed.strip() if typed and typed.strip() else _math(value)
            return _said("sign_term", wrong, yours=yours, formula=_math(formula), term=_math(term))
    return None


def _derivative_at(spec, at, value) -> Diagnosis | None:
    J = answers.expression(spec["derivative"])
    wrt = answers.variable(J, spec.get("wrt"))
    try:
        verdict = check.check_derivative(J, value, wrt, at=at)
    except check.CheckError:
        return None
    if verdict.mistake is None:
        return None
    point = listing((f"{s.name} = {show(v)}" for s, v in at.items()), math=True)
    message = {lang: tr(verdict.mistake.message, lang, wrt=wrt.name, point=point) for lang in ("en", "zh")}
    if len(J.free_symbols) > 1:
        message = {lang: check.partial_notation(text, wrt.name) for lang, text in message.items()}
    return Diagnosis(verdict.mistake.code, message, value)

"""The tutor beside the lab console: what it says after a finite difference, and what `why`
shows after `diff`.

A finite difference is recognised by the shape of the line, `k = (A - B)/eps` with a small
number for eps, once it computed a float. The tutor then rebuilds A and B exactly from the
lines that defined them (the interpreter keeps each name's last assigned expression), with
every occurrence of eps as a symbol ε, so (A − B)/ε is an exact function of ε: its value at
ε = 0 is the derivative, its value at the learner's ε is what exact arithmetic would have
given, and the float k differs from that only by round-off. Nothing is re-evaluated from
text: the trees are the ones `ast.parse` gave the interpreter, walked here for exact numbers.
A rebuilt name must give back the value the name holds, or the tutor stays silent (a name
redefined since is never guessed at).
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from derivtutor.text import numbers
from derivtutor.text.i18n import Catalog, tr

MAX_EPS = 0.1         # a difference quotient's step is small
MAX_NODES = 400       # syntax nodes walked when rebuilding a quotient
MAX_POWER = 12        # integer powers rebuilt exactly
MAX_STEPS_NODES = 200  # a derivative shown rule by rule is a small one

T = Catalog(__name__, 'T')


@dataclass(frozen=True)
class Gap:
    """A float difference quotient k against the exact derivative, split into its two causes."""

    k: float
    eps: float
    quotient: Any       # (A − B)/ε exactly, a SymPy expression in ε
    at_eps: Any         # its exact value at the learner's ε
    derivative: Any     # its value as ε → 0
    name: str = "k"     # the name the learner gave the quotient

    @property
    def truncation(self) -> float:
        return float(self.at_eps - self.derivative)

    @property
    def roundoff(self) -> float:
        return self.k - float(self.at_eps)

    def note(self, lang: str) -> str:
        gap = self.k - float(self.derivative)
        if gap == 0:
            return tr(T["exact"], lang, name=self.name, k=repr(self.k), d=_show(self.derivative))
        cause = "cause_eps" if abs(self.truncation) >= abs(self.roundoff) else "cause_round"
        return tr(T["gap"], lang, name=self.name, k=repr(self.k), gap=_figure(gap), d=_show(self.derivative), cause=tr(T[cause], lang))

    def why(self, lang: str) -> str:
        if not self.quotient.free_symbols:  # a straight line: (A − B)/ε is the derivative at every ε
            return tr(T["why_no_eps_term"], lang, q=_show(self.quotient), round=_figure(self.roundoff))
        return tr(T["why_gap"], lang, q=_show(self.quotient), q_at=_show(self.at_eps), eps=repr(self.eps),
                  d=_show(self.derivative), trunc=_figure(self.truncation), round=_figure(self.roundoff))


def _figure(x: float) -> str:
    return numbers.true_minus(numbers.figures(x, 3))


def _show(expr) -> str:
    from derivtutor.teaching import answers
    from derivtutor.algebra import mathprinter

    return answers.decimal_text(expr, any_denominator=True) or mathprinter.show(expr)


class _GiveUp(Exception):
    pass


def finite_difference(interp, statement: ast.stmt | None, value: Any) -> Gap | None:
    """The gap of a difference quotient the line just computed, or None when it is not one."""
    if not isinstance(value, float) or not math.isfinite(value) or statement is None:
        return None
    node = statement.value if isinstance(statement, (ast.Assign, ast.Expr)) else None
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and isinstance(node.left, ast.BinOp)
            and isinstance(node.left.op, ast.Sub)):
        return None
    eps = _number_of(interp, node.right)
    if eps is None or not 0 < abs(eps) <= MAX_EPS:
        return None
    name = statement.targets[0].id if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name) else "k"
    try:
        return _gap(interp, node.left, eps, value, name)
    except (_GiveUp, ArithmeticError, TypeError, ValueError, RecursionError):
        return None


def _number_of(interp, node: ast.AST) -> float | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.Name) and isinstance(interp.names.get(node.id), (int, float)) \
            and not isinstance(interp.names.get(node.id), bool):
        return float(interp.names[node.id])
    return None


def _gap(interp, difference: ast.AST, eps: float, k: float, name: str) -> Gap | None:
    import sympy

    from derivtutor.algebra import mathbuild

    e = mathbuild.var("ε")
    eps_exact = _exact(eps)
    budget = [MAX_NODES]

    def rebuild(node: ast.AST, depth: int = 0):
        budget[0] -= 1
        if budget[0] < 0 or depth > 40:
            raise _GiveUp
        if isinstance(node, ast.Constant):
            return number(node.value)
        if isinstance(node, ast.Name):
            held = interp.names.get(node.id)
            if not isinstance(held, (int, float)) or isinstance(held, bool):
                raise _GiveUp
            if node.id not in interp.defs:
                return number(held)
            expr = rebuild(interp.defs[node.id], depth + 1)
            if not _agrees(expr.subs(e, eps_exact), held):  # redefined since: do not guess
                raise _GiveUp
            return expr
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = rebuild(node.operand, depth + 1)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
            left, right = rebuild(node.left, depth + 1), rebuild(node.right, depth + 1)
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            if isinstance(node.op, ast.Div):
                if right == 0:
                    raise _GiveUp
                return left / right
            if not (right.is_Integer and abs(int(right)) <= MAX_POWER):
                raise _GiveUp
            return left ** right
        raise _GiveUp

    def number(x: Any):
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise _GiveUp
        if isinstance(x, float) and x == eps:
            return e
        return sympy.Integer(x) if isinstance(x, int) else _exact(x)

    top = rebuild(difference)
    if top.free_symbols - {e} or e not in top.free_symbols:
        return None
    if top.subs(e, 0) != 0:  # exact numbers: not a difference of nearby values
        return None
    quotient = sympy.cancel(top / e)
    derivative = quotient.subs(e, 0)
    if not derivative.is_finite:
        return None
    return Gap(k, eps, quotient, quotient.subs(e, eps_exact), derivative, name)


def _exact(x: float):
    import sympy

    if not math.isfinite(x):
        raise _GiveUp
    f = Fraction(repr(x))  # the decimal the learner typed (0.001 is 1/1000), read as a number, not evaluated
    return sympy.Rational(f.numerator, f.denominator)


def _agrees(expr, held: float) -> bool:
    try:
        value = float(expr)
    except (TypeError, ValueError):
        return False
    return math.isclose(value, float(held), rel_tol=1e-9, abs_tol=1e-12)


# ------------------------------------------------------------------ `why` after diff


def derivation(args: tuple, lang: str) -> list[tuple[str, str | None]]:
    """(sentence, block) pairs: the rule-by-rule steps of the last `diff(expr, var)`."""
    import sympy

    from derivtutor.teaching import code_step
    from derivtutor.algebra import mathbuild, mathprinter, steps, steps_text

    expr, wrts = args[0], args[1:]
    if len(wrts) != 1 or not getattr(wrts[0], "is_Symbol", False):
        return [(tr(T["why_diff_order"], lang), None)]
    expr = code_step.as_math(expr)
    wrt = mathbuild.var(wrts[0].name)
    if expr is None or sympy.count_ops(expr) > MAX_STEPS_NODES:
        return [(tr(T["why_diff_big"], lang), None)]
    tree = steps.derive(expr, wrt)
    lines = steps_text.plain_lines(tree, lang)
    return [(tr(T["why_diff"], lang, d=mathprinter.show(tree.result)), "\n".join(lines))]

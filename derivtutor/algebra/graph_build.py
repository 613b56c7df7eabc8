"""Building computation graphs: from a lesson's name/formula pairs, or by splitting one formula.

Apart from the engine (graph.py), which evaluates and backpropagates a graph once built:
here are the checks a lesson's graph must pass (names known, no duplicates, every node used)
and the naming of the nodes a split makes.
"""

from __future__ import annotations

from typing import Iterable, Mapping

import sympy
from sympy import Expr, Symbol

from derivtutor.algebra.graph import MAX_NODES, Graph, GraphError, Node
from derivtutor.algebra.mathinput import read_expression, read_number, var


def from_assignments(assignments: Iterable[tuple[str, Expr | str]],
                     inputs: Mapping[Symbol | str, object]) -> Graph:
    """A graph from the lesson's name/formula pairs; the last pair is the output J.

    Formulas are SymPy expressions in the inputs and earlier nodes. Text is
    accepted only through the project's safe parser (`mathinput.read_expression`).
    """
    input_nodes = [_input_node(key, value) for key, value in inputs.items()]
    known: dict[str, Node] = {}
    for n in input_nodes:
        if n.name in known:
            raise GraphError("duplicate", name=n.name)
        known[n.name] = n
    nodes: list[Node] = []
    for name, formula in assignments:
        if name in known:
            raise GraphError("duplicate", name=name)
        formula = _as_expression(name, formula)
        missing = sorted(s.name for s in formula.free_symbols if s.name not in known)
        if missing:
            raise GraphError("unknown_name", node=name, name=missing[0])
        used = {s.name for s in formula.free_symbols}
        # Parents in the order backprop reaches them: the latest node first, inputs last.
        parents = tuple(n for n in [*reversed(nodes), *input_nodes] if n.name in used)
        # Rename by name so a symbol built elsewhere with other assumptions still matches.
        formula = formula.xreplace({s: known[s.name].symbol for s in formula.free_symbols})
        node = Node.computed(name, var(name), formula, parents)
        known[name] = node
        nodes.append(node)
    if not nodes:
        raise GraphError("empty")
    if len(nodes) > MAX_NODES:
        raise GraphError("too_big", n=len(nodes), most=MAX_NODES)
    _check_all_used(input_nodes, nodes)
    return Graph(input_nodes, nodes)


def from_expression(expr: Expr, inputs: Mapping[Symbol | str, object], output: str = "J") -> Graph:
    """Split a formula into one node per operation, named with letters the inputs don't use.

    Numbers ride along with the operation that uses them (``a = 3·w + 2``,
    ``J = d²/2``); sums and products stay n-ary, as a learner would write
    them; a subexpression that appears twice becomes one node used twice.
    """
    expr = _as_expression(output, expr)
    names = {(k.name if isinstance(k, Symbol) else str(k)) for k in inputs}
    missing = sorted(s.name for s in expr.free_symbols if s.name not in names)
    if missing:
        raise GraphError("unknown_name", node=output, name=missing[0])
    splitter = _Splitter(_fresh_names(names | {output}))
    top = expr if expr.is_Atom else splitter.formula(expr)
    return from_assignments([*splitter.pairs, (output, top)], inputs)


# Letters for intermediate nodes, in the order they are handed out: e, i, j, l, o
# read as constants or digits, and w, x, y, z are what learners call inputs.
_NAME_POOL = "abcdfghkmnpqrstuv"


def _fresh_names(taken: set[str]) -> Iterable[str]:
    for letter in _NAME_POOL:
        if letter not in taken:
            yield letter
    k = 1
    while True:
        if f"u{k}" not in taken:
            yield f"u{k}"
        k += 1


class _Splitter:
    """Turns nested operations into (name, formula) pairs, innermost first."""

    def __init__(self, names: Iterable[str]):
        self.names = iter(names)
        self.pairs: list[tuple[str, Expr]] = []
        self.memo: dict[Expr, Symbol] = {}

    def operand(self, e: Expr) -> Expr:
        """An input or a number as it is; anything else becomes (or reuses) a node."""
        if e.is_Atom:
            return e
        if e not in self.memo:
            formula = self.formula(e)
            symbol = var(next(self.names))
            self.memo[e] = symbol
            self.pairs.append((symbol.name, formula))
        return self.memo[e]

    def formula(self, e: Expr) -> Expr:
        """e's top operation applied to operands."""
        if e.is_Add:
            return sympy.Add(*[self.scaled(t) for t in e.args])
        if e.is_Mul:
            coeff, rest = e.as_coeff_Mul()
            return coeff * sympy.Mul(*[self.powered(f) for f in sympy.Mul.make_args(rest)])
        if e.is_Pow:
            return self.powered(e)
        return e.func(*[self.operand(a) for a in e.args])

    def scaled(self, term: Expr) -> Expr:
        """A term of a sum keeps its number: 3·w, −y."""
        coeff, rest = term.as_coeff_Mul()
        return coeff * self.operand(rest)

    def powered(self, factor: Expr) -> Expr:
        """A power with a number for exponent stays in place: d², 1/w, √x."""
        base, exp = factor.as_base_exp()
        if exp.is_number and factor.is_Pow:
            return self.operand(base) ** exp
        if factor.is_Pow:
            return self.operand(base) ** self.operand(exp)
        return self.operand(factor)


def _input_node(key: Symbol | str, value: object) -> Node:
    name = key.name if isinstance(key, Symbol) else str(key)
    number = _as_number(name, value)
    return Node(name, var(name), "input", None, value=number, decimal=float(number))


def _as_number(name: str, value: object) -> Expr:
    if isinstance(value, str):
        value = read_number(value)
    if isinstance(value, bool):
        raise GraphError("not_number", name=name, value=value)
    if isinstance(value, (int, float)):
        return sympy.Integer(value) if isinstance(value, int) else sympy.Float(value)
    if hasattr(value, "numerator") and hasattr(value, "denominator"):  # fractions.Fraction
        return sympy.Rational(int(value.numerator), int(value.denominator))
    if isinstance(value, sympy.Expr) and value.is_number and value.is_extended_real:
        return value
    raise GraphError("not_number", name=name, value=value)


def _as_expression(name: str, formula: object) -> Expr:
    if isinstance(formula, str):
        formula = read_expression(formula)
    if isinstance(formula, (int, float)) and not isinstance(formula, bool):
        formula = sympy.Integer(formula) if isinstance(formula, int) else sympy.Float(formula)
    if not isinstance(formula, sympy.Expr):
        raise GraphError("not_expression", node=name)
    return formula


def _check_all_used(inputs: list[Node], nodes: list[Node]) -> None:
    """Every input and node must feed the output, or the lesson has a typo."""
    output = nodes[-1]
    needed = {output.name}
    for n in reversed(nodes):
        if n.name in needed:
            needed.update(n.inputs)
    for n in [*inputs, *nodes]:
        if n.name not in needed:
            raise GraphError("unused", name=n.name, output=output.name)

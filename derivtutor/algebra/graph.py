"""Computation graphs and backprop, node by node, the way the labs do it by hand.

A graph is a list of named nodes, each with a formula in inputs and earlier
nodes (``c = w·x``, ``a = c + b``, ``d = a − y``, ``J = d²/2``). A node holds its
forward rule and, right beside it, the local partial of that rule with respect
to each parent. The forward pass fills in exact values; the backward pass walks
the nodes right to left, multiplying each local partial by the gradient that
arrives from downstream and adding up where a value feeds several nodes. Every
multiplication is kept as a `BackStep` record, so a lesson can ask for one
number at a time and show how it was found. Printing lives in graph_draw
(`Graph.draw` and `format_step` call it); the nodes know nothing about it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Mapping

import sympy
from sympy import Expr, Symbol

from derivtutor.algebra import graph_draw
from derivtutor.algebra.evaluate import Undefined, exact_problem, float_or_evalf
from derivtutor.text.errors import TutorError
from derivtutor.text.i18n import Catalog, tr

# ---------------------------------------------------------------------------
# Errors a learner or an author can meet, in their language.

MAX_NODES = 24  # a graph with more nodes does not fit a screen, and its exact values grow with depth

_MESSAGES = Catalog(__name__, '_MESSAGES')

_WHY = Catalog(__name__, '_WHY')


class GraphError(TutorError, ValueError):
    """A graph that cannot be built or evaluated, explained in one sentence."""

    table = _MESSAGES

    def localized(self, lang: str | None = None) -> str:
        fields = dict(self.fields)
        if isinstance(fields.get("why"), str) and fields["why"] in _WHY:
            fields["why"] = tr(_WHY[fields["why"]], lang)
        return tr(_MESSAGES[self.code], lang, **fields)


# ---------------------------------------------------------------------------
# Nodes and backward steps.

# What kind of operation a node's formula is, by its top-level SymPy type.
_OP_NAMES: tuple[tuple[type, str], ...] = (
    (sympy.Add, "add"),
    (sympy.Mul, "mul"),
    (sympy.Pow, "pow"),
    (sympy.Symbol, "copy"),
    (sympy.Number, "constant"),
)


def _op_name(formula: Expr) -> str:
    for kind, name in _OP_NAMES:
        if isinstance(formula, kind):
            return name
    return type(formula).__name__.lower()  # a function: "exp", "log", "sin", ...


@dataclass
class Node:
    """One value in the graph: its forward rule and that rule's local partials, side by side."""

    name: str
    symbol: Symbol
    op: str  # "input", "add", "mul", "pow", "exp", ...
    formula: Expr | None  # None for an input
    inputs: tuple[str, ...] = ()  # parents, in graph order
    local: dict[str, Expr] = field(default_factory=dict)  # ∂(this)/∂(parent), symbolic
    value: Expr | None = None  # exact, after forward()
    decimal: float | None = None  # the same value as a float
    local_values: dict[str, Expr] = field(default_factory=dict)  # local partials at the point
    grad: Expr | None = None  # ∂J/∂(this) at the point, after backward()
    grad_expr: Expr | None = None  # ∂J/∂(this) in node symbols, e.g. x·d

    @classmethod
    def computed(cls, name: str, symbol: Symbol, formula: Expr, parents: tuple[Node, ...]) -> Node:
        # The forward rule is `formula`; its local derivatives come from the same formula.
        local = {p.name: sympy.diff(formula, p.symbol) for p in parents}
        return cls(name, symbol, _op_name(formula), formula, tuple(p.name for p in parents), local)

    @property
    def is_input(self) -> bool:
        return self.formula is None


@dataclass(frozen=True)
class BackStep:
    """One multiplication of the backward pass: ∂J/∂parent += ∂node/∂parent · ∂J/∂node."""

    node: str
    parent: str
    local: Expr  # ∂node/∂parent, symbolic (e.g. x)
    local_value: Expr  # ∂node/∂parent at the point (e.g. 2)
    upstream: Expr  # ∂J/∂node at the point
    product: Expr  # local_value · upstream
    total: Expr  # ∂J/∂parent after this step (differs from product when contributions add up)
    accumulates: bool  # True when an earlier step already contributed to ∂J/∂parent
    chain: Expr  # local · ∂J/∂node, in node symbols (e.g. x·d)


@dataclass(frozen=True)
class GradCheck:
    """∂J/∂input three ways: backprop, the symbolic derivative of the whole formula, and floats."""

    wrt: str
    backprop: Expr
    symbolic: Expr
    forward_difference: float
    eps: float
    agree: bool  # backprop == symbolic exactly (or to rounding, for irrational values)


# ---------------------------------------------------------------------------
# The graph.


class Graph:
    """Inputs and computed nodes in order; the last node is the output J."""

    def __init__(self, inputs: list[Node], nodes: list[Node]):
        self.inputs = inputs
        self.nodes = nodes
        self._by_name = {n.name: n for n in [*inputs, *nodes]}
        self.steps: list[BackStep] = []
        self._forward_done = False
        self._backward_done = False

    # -- looking things up ---------------------------------------------------

    @property
    def output(self) -> Node:
        return self.nodes[-1]

    @property
    def all_nodes(self) -> list[Node]:
        return [*self.inputs, *self.nodes]

    def node(self, name: str | Symbol) -> Node:
        key = name.name if isinstance(name, Symbol) else name
        try:
            return self._by_name[key]
        except KeyError:
            raise GraphError("no_such_node", name=key) from None

    def point(self) -> dict[Symbol, Expr]:
        return {n.symbol: n.value for n in self.inputs}

    # -- forward ---------------------------------------------------------------

    def forward(self) -> Graph:
        """Exact value of every node, and every local partial at the point."""
        if self._forward_done:
            return self
        env: dict[Symbol, Expr] = {n.symbol: n.value for n in self.inputs}
        for n in self.nodes:
            _refuse_huge(n.formula, env, n.name, self)
            n.value = _exact(n.formula.xreplace(env), n.name, self)
            n.decimal = float(n.value)
            n.local_values = {p: _exact(d.xreplace(env), n.name, self) for p, d in n.local.items()}
            env[n.symbol] = n.value
        self._forward_done = True
        return self

    # -- backward --------------------------------------------------------------

    def backward(self) -> list[BackStep]:
        """Walk right to left: each parent's gradient gains local partial × upstream gradient."""
        self.forward()
        if self._backward_done:
            return self.steps
        for n in self.all_nodes:
            n.grad, n.grad_expr = sympy.Integer(0), sympy.Integer(0)
        out = self.output
        out.grad, out.grad_expr = sympy.Integer(1), sympy.Integer(1)
        seen: set[str] = set()
        steps = []
        for n in reversed(self.nodes):
            for p in n.inputs:
                parent = self._by_name[p]
                product = n.local_values[p] * n.grad
                chain = n.local[p] * n.grad_expr
                parent.grad = parent.grad + product
                parent.grad_expr = parent.grad_expr + chain
                steps.append(BackStep(n.name, p, n.local[p], n.local_values[p], n.grad,
                                      product, parent.grad, p in seen, chain))
                seen.add(p)
        self.steps = steps
        self._backward_done = True
        return steps

    # -- questions a lesson asks -----------------------------------------------

    def value(self, name: str) -> Expr:
        self.forward()
        return self.node(name).value

    def grad(self, name: str) -> Expr:
        """∂J/∂name at the point."""
        self.backward()
        return self.node(name).grad

    def grad_expr(self, name: str) -> Expr:
        """∂J/∂name in node symbols, as the lab writes it (∂J/∂w = x·d)."""
        self.backward()
        return self.node(name).grad_expr

    def local(self, node: str, parent: str) -> Expr:
        """∂node/∂parent at the point (0 when parent is not used by node)."""
        self.forward()
        return self.node(node).local_values.get(self.node(parent).name, sympy.Integer(0))

    def local_expr(self, node: str, parent: str) -> Expr:
        return self.node(node).local.get(self.node(parent).name, sympy.Integer(0))

    def evaluate(self, expr: Expr) -> Expr:
        """An expression in node and input names at this point (a learner's `2a` becomes 22)."""
        self.forward()
        values = {n.name: n.value for n in self.all_nodes}
        unknown = sorted(s.name for s in expr.free_symbols if s.name not in values)
        if unknown:
            raise GraphError("unknown_name", node=self.output.name, name=unknown[0])
        _refuse_huge(expr, {s: values[s.name] for s in expr.free_symbols}, self.output.name, self)
        return _exact(expr.xreplace({s: values[s.name] for s in expr.free_symbols}),
                      self.output.name, self)

    def steps_for(self, name: str) -> list[BackStep]:
        """The backward steps that lead to ∂J/∂name, in the order backprop takes them."""
        self.backward()
        wanted = {name} | self._downstream(name)
        return [s for s in self.steps if s.parent in wanted]

    def _downstream(self, name: str) -> set[str]:
        """Nodes whose value depends on `name`."""
        found: set[str] = set()
        for n in self.nodes:
            if any(p == name or p in found for p in n.inputs):
                found.add(n.name)
        return found

    def composed(self, name: str | None = None) -> Expr:
        """A node's formula written in the inputs alone (J = (w·x + b − y)²/2)."""
        target = self.node(name) if name else self.output
        if target.is_input:
            return target.symbol
        expr = target.formula
        for n in reversed(self.nodes[: self.nodes.index(target)]):
            expr = expr.xreplace({n.symbol: n.formula})
        return expr

    # -- checks ------------------------------------------------------------------

    def finite_difference(self, of: str, wrt: str, eps: float = 0.001) -> float:
        """(of(wrt + ε) − of)/ε in Python floats, re-walking only what lies downstream of wrt.

        This is the labs' arithmetic check: nudge one value, recompute the nodes
        after it one formula at a time, and divide the change by ε.
        """
        self.forward()
        target, start = self.node(of), self.node(wrt)
        before = self._float_walk()
        after = self._float_walk(nudge=(start.name, before[start.symbol] + eps))
        return (after[target.symbol] - before[target.symbol]) / eps

    def _float_walk(self, nudge: tuple[str, float] | None = None) -> dict[Symbol, float]:
        env: dict[Symbol, float] = {}
        for n in self.all_nodes:
            if nudge and n.name == nudge[0]:
                env[n.symbol] = nudge[1]
            elif n.is_input:
                env[n.symbol] = float(n.value)
            else:
                try:
                    env[n.symbol] = float_or_evalf(n.formula, env)
                except Undefined as err:
                    raise GraphError("undefined", node=n.name, point=self._point_text(env),
                                     why=_why(err.reason)) from None
        return env

    def check(self, wrt: str, eps: float = 0.001) -> GradCheck:
        """Backprop's ∂J/∂wrt against sympy.diff of the whole formula and a forward difference."""
        back = self.grad(wrt)
        whole = sympy.diff(self.composed(), self.node(wrt).symbol)
        symbolic = _exact(whole.xreplace(self.point()), self.output.name, self)
        return GradCheck(wrt, back, symbolic, self.finite_difference(self.output.name, wrt, eps),
                         eps, _same_number(back, symbolic))

    def _point_text(self, env: Mapping[Symbol, object] | None = None) -> str:
        values = env or {n.symbol: n.value for n in self.inputs}
        from derivtutor.text.i18n import listing

        return listing(f"{n.name} = {graph_draw.number_text(values[n.symbol], ascii=False)}"
                       for n in self.inputs if n.symbol in values)

    # -- drawing -----------------------------------------------------------------

    def draw(self, width: int = 60, show_values: bool = True, show_grads: bool = True,
             reveal: Iterable[tuple] | None = None, show_locals: bool = False,
             ascii: bool = False, lang: str = "en") -> str:
        """The graph as text, top (inputs) to bottom (J); unrevealed numbers show as "?".

        `reveal` is a set of facts known so far: ("value", name), ("grad", name),
        ("local", node, parent). Without it, everything the flags allow is shown.
        """
        return graph_draw.draw(self, width=width, show_values=show_values, show_grads=show_grads,
                               reveal=None if reveal is None else set(reveal),
                               show_locals=show_locals, ascii=ascii, lang=lang)

    def format_step(self, step: BackStep, ascii: bool = False) -> str:
        """One backward step as an equation: ∂J/∂a = ∂d/∂a · ∂J/∂d = 1 · 3 = 3."""
        d = "d" if ascii else "∂"
        times = "*" if ascii else "·"
        j = self.output.name
        lhs = f"{d}{j}/{d}{step.parent}"
        if step.node == j:  # the first stage: the local derivative is the whole answer
            local = "" if step.local.is_Number else f"{graph_draw.formula_text(step.local, ascii)} = "
            return f"{lhs} = {local}{graph_draw.number_text(step.product, ascii)}"
        rule = f"{d}{step.node}/{d}{step.parent} {times} {d}{j}/{d}{step.node}"
        numbers = (f"{graph_draw.factor_text(step.local_value, ascii)} {times} "
                   f"{graph_draw.factor_text(step.upstream, ascii)} = {graph_draw.number_text(step.product, ascii)}")
        if step.accumulates:
            return f"{lhs} += {rule} = {numbers}  ({lhs} = {graph_draw.number_text(step.total, ascii)})"
        return f"{lhs} = {rule} = {numbers}"


def _refuse_huge(formula: Expr, env: Mapping, node: str, graph: Graph) -> None:
    """GraphError before substituting, when the exact value would be astronomically large
    (a^(a^a) at a = 11 is 11^285311670611): estimated with logs, never computed."""
    from derivtutor.algebra import magnitude

    if magnitude.too_large(formula, env):
        raise GraphError("undefined", node=node, point=graph._point_text(), why="too_large")


def _exact(value: Expr, node: str, graph: Graph) -> Expr:
    """An exact value, or a friendly error when the point is outside the domain."""
    problem = exact_problem(value)
    if problem is None:
        return value
    raise GraphError("undefined", node=node, point=graph._point_text(), why=_why(problem))


# evaluate's reason words as the _WHY sentences; every other word is a domain error.
_WHY_OF = {"zero_division": "division", "not_a_number": "division", "infinite": "infinite",
           "overflow": "overflow", "not_real": "not_real"}


def _why(reason: str) -> str:
    return _WHY_OF.get(reason, "domain")


def _same_number(a: Expr, b: Expr) -> bool:
    """Exact equality for rationals; irrational values may differ in form, so compare floats."""
    if a == b:
        return True
    if a.is_Rational and b.is_Rational:
        return False
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-300)

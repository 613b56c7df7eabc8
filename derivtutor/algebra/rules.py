"""A derivative as a tree of typed rule records, each computing its result from its parts.

`steps.derive` walks an expression once and builds the tree; `steps_text` renders it as the
worked solution; `mistakes` evaluates the same tree with another rule table (the chain rule
without its inner factor, the power rule without lowering the exponent) to get the answer
that mistake gives. The idea is SymPy's manualintegrate: a rule is a type holding its
inputs, and `by(rules)` computes its derivative from its substeps with the table given;
`result` is `by(CORRECT)`. A leaf also answers `at(rules, u)`: its derivative at the inner
function u, which is how a chain rule's outer step is read back in the learner's J.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Callable, ClassVar

import sympy
from sympy import (
    Abs, Add, Expr, Mul, Pow, Symbol, acos, acosh, acot, acoth, acsc, acsch, asec, asech,
    asin, asinh, atan, atanh, cos, cosh, cot, coth, csc, csch, exp, log, sec, sech, sign,
    sin, sinh, sqrt, tan, tanh,
)


@dataclass(frozen=True)
class Rules:
    """How each rule turns its parts into a derivative; a mistake replaces one of them."""

    sum: Callable        # (terms, derivatives) -> d(t1 + t2 + …), terms with their signs
    const: Callable      # (c, f, df) -> d(c·f), c free of wrt
    product: Callable    # (factors, derivatives) -> d(f1·f2·…)
    quotient: Callable   # (u, du, v, dv) -> d(u/v)
    power: Callable      # (base, n) -> outer derivative of base**n, n free of wrt
    chain: Callable      # (outer, inner, dinner) -> outer applied through the inner function
    outer: dict          # function class -> (u -> f'(u))


# class -> (rule, derivative of f at u). Hand-written so results read like a textbook;
# tan, tanh and the arc-secant family keep the form SymPy uses (1 + tan²u rather than
# sec²u), because simplify cannot always prove the textbook form equal to diff.
FUNCTIONS = {
    exp: ("exp", exp),
    log: ("ln", lambda u: 1 / u),
    Abs: ("abs", sign),
    sin: ("trig", cos),
    cos: ("trig", lambda u: -sin(u)),
    tan: ("trig", lambda u: 1 + tan(u) ** 2),
    cot: ("trig", lambda u: -csc(u) ** 2),
    sec: ("trig", lambda u: sec(u) * tan(u)),
    csc: ("trig", lambda u: -csc(u) * cot(u)),
    asin: ("inverse_trig", lambda u: 1 / sqrt(1 - u**2)),
    acos: ("inverse_trig", lambda u: -1 / sqrt(1 - u**2)),
    atan: ("inverse_trig", lambda u: 1 / (1 + u**2)),
    acot: ("inverse_trig", lambda u: -1 / (1 + u**2)),
    asec: ("inverse_trig", lambda u: 1 / (u**2 * sqrt(1 - 1 / u**2))),
    acsc: ("inverse_trig", lambda u: -1 / (u**2 * sqrt(1 - 1 / u**2))),
    sinh: ("hyperbolic", cosh),
    cosh: ("hyperbolic", sinh),
    tanh: ("hyperbolic", lambda u: 1 - tanh(u) ** 2),
    coth: ("hyperbolic", lambda u: -csch(u) ** 2),
    sech: ("hyperbolic", lambda u: -sech(u) * tanh(u)),
    csch: ("hyperbolic", lambda u: -csch(u) * coth(u)),
    asinh: ("inverse_hyperbolic", lambda u: 1 / sqrt(u**2 + 1)),
    acosh: ("inverse_hyperbolic", lambda u: 1 / (sqrt(u - 1) * sqrt(u + 1))),
    atanh: ("inverse_hyperbolic", lambda u: 1 / (1 - u**2)),
    acoth: ("inverse_hyperbolic", lambda u: 1 / (1 - u**2)),
    asech: ("inverse_hyperbolic", lambda u: -1 / (u * sqrt(1 - u**2))),
    acsch: ("inverse_hyperbolic", lambda u: -1 / (u**2 * sqrt(1 + 1 / u**2))),
    sign: ("sign", lambda u: 2 * sympy.DiracDelta(u)),
}


def product_rule(factors, derivs):
    """f1′·f2·… + f1·f2′·… + …: one term per factor, that factor differentiated."""
    return Add(*[Mul(*factors[:i], d, *factors[i + 1:]) for i, d in enumerate(derivs)])


CORRECT = Rules(
    sum=lambda terms, derivs: Add(*derivs),
    const=lambda c, f, df: c * df,
    product=product_rule,
    quotient=lambda u, du, v, dv: (du * v - u * dv) / v**2,
    power=lambda b, n: n * b ** (n - 1),
    chain=lambda outer, inner, dinner: outer * dinner,
    outer={f: d for f, (_, d) in FUNCTIONS.items()},
)


def _d(step: "Step", rules: Rules) -> Expr:
    """A substep's derivative by `rules` (the cached result when the rules are right)."""
    return step.result if rules is CORRECT else step.by(rules)


# ---------------------------------------------------------------- the records

record = dataclass(frozen=True, kw_only=True)   # a rule record: immutable, fields by name


def _snake(name: str) -> str:
    """ConstantMultipleRule -> constant_multiple: the rule's name, as the renderer knows it."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name.removesuffix("Rule")).lower()


@record
class Step:
    """One rule applied: d/d`wrt` of `expr` is `result`, justified by `substeps`.

    A record's fields are its inputs: those holding steps are its `substeps`, the others
    its `context` (the helper expressions a renderer names, e.g. {"u": inner, "outer": u**2,
    "var": u} for the chain rule). `rule` is the class name in snake case (PowerRule: power).
    """

    expr: Expr
    wrt: Symbol
    rule: ClassVar[str]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "rule" not in cls.__dict__:
            cls.rule = _snake(cls.__name__)

    def _inputs(self):
        return ((f.name, getattr(self, f.name)) for f in fields(self) if f.name not in ("expr", "wrt"))

    @property
    def substeps(self) -> tuple["Step", ...]:
        out: list[Step] = []
        for _, value in self._inputs():
            out.extend(value if _is_steps(value) else [value] if isinstance(value, Step) else [])
        return tuple(out)

    @property
    def context(self) -> dict:
        return {name: value for name, value in self._inputs() if not (isinstance(value, Step) or _is_steps(value))}

    @cached_property
    def result(self) -> Expr:
        return self.by(CORRECT)

    def by(self, rules: Rules) -> Expr:
        """The derivative of `expr` when every rule in it is applied as `rules` says."""
        raise NotImplementedError


def _is_steps(value) -> bool:
    return isinstance(value, tuple) and bool(value) and all(isinstance(v, Step) for v in value)


@record
class Leaf(Step):
    """A rule with no substeps; as a chain rule's outer step it is evaluated at the inside."""

    def by(self, rules):
        return self.at(rules, self.wrt)

    def at(self, rules: Rules, u: Expr) -> Expr:
        """The derivative with `wrt` replaced by the inner function `u`."""
        raise NotImplementedError


@record
class VariableRule(Leaf):
    def at(self, rules, u):
        return sympy.S.One


@record
class ConstantRule(Leaf):
    """Free of wrt: whatever the table, nothing moves and the derivative is 0."""

    def at(self, rules, u):
        return sympy.S.Zero


@record
class HeldConstantRule(ConstantRule):
    """Free of wrt but not a number: the other variables (`held`) are held fixed."""

    held: tuple


@record
class PowerRule(Leaf):
    n: Expr

    def at(self, rules, u):
        return rules.power(u, self.n)


@record
class SqrtRule(PowerRule):
    """√w, the power rule with n = 1/2 (named apart because a learner meets it apart)."""

    n: Expr = sympy.Rational(1, 2)


@record
class FunctionRule(Leaf):
    """f(w) for a one-argument function of the table (exp, ln, sin, atan, cosh, |w|, …)."""

    function: type

    @property
    def rule(self) -> str:
        return FUNCTIONS[self.function][0]

    def at(self, rules, u):
        return rules.outer.get(self.function, FUNCTIONS[self.function][1])(u)


@record
class ExponentialRule(Leaf):
    """a^w = e^(w·ln a), so its derivative is a^w·ln a."""

    base: Expr

    def at(self, rules, u):
        return Pow(self.base, u) * log(self.base)


@record
class LogBaseRule(Leaf):
    """log_b(w) = ln w / ln b: a constant multiple of ln, and a mistake may treat it so."""

    base: Expr
    arg: Expr

    def at(self, rules, u):
        return rules.const(1 / log(self.base), log(u), rules.outer.get(log, CORRECT.outer[log])(u))


@record
class SympyRule(Leaf):
    """A function outside our table: what SymPy's own table says, rather than giving up."""

    function: str

    def at(self, rules, u):
        return sympy.diff(self.expr, self.wrt).xreplace({self.wrt: u})


@record
class ConstantMultipleRule(Step):
    c: Expr
    f: Expr
    substep: Step

    def by(self, rules):
        return rules.const(self.c, self.f, _d(self.substep, rules))


@record
class SumRule(Step):
    """Term by term; `terms` are written without their signs, which `signs` keeps."""

    terms: tuple
    signs: tuple
    parts: tuple        # the terms' steps

    @property
    def rule(self) -> str:
        return "difference" if -1 in self.signs else "sum"

    def by(self, rules):
        derivs = [_d(p, rules) if s > 0 else _negated(p, rules) for s, p in zip(self.signs, self.parts)]
        return rules.sum(tuple(s * t for s, t in zip(self.signs, self.terms)), derivs)


def _negated(step: Step, rules: Rules) -> Expr:
    """d(−term): the minus sign is the term's constant factor (−3 in −3w²), as the learner
    reads it, so a dropped coefficient drops the sign with it."""
    if not step.expr.has(step.wrt):
        return sympy.S.Zero
    if isinstance(step, ConstantMultipleRule):
        return rules.const(-step.c, step.f, _d(step.substep, rules))
    return rules.const(sympy.S.NegativeOne, step.expr, _d(step, rules))


@record
class ProductRule(Step):
    factors: tuple
    parts: tuple        # the factors' steps

    def by(self, rules):
        return rules.product(list(self.factors), [_d(p, rules) for p in self.parts])


@record
class QuotientRule(Step):
    numerator: Expr
    denominator: Expr
    numerator_step: Step
    denominator_step: Step

    @cached_property
    def _small_polynomials(self) -> bool:
        try:
            return all(p.is_polynomial(self.wrt) and sympy.degree(p, self.wrt) <= 6
                       for p in (self.numerator, self.denominator))
        except sympy.PolynomialError:
            return False

    def by(self, rules):
        f, g = self.numerator, self.denominator
        value = rules.quotient(f, _d(self.numerator_step, rules), g, _d(self.denominator_step, rules))
        # (f′g − fg′) expanded when f and g are small polynomials: how a textbook writes it
        return sympy.expand(value * g**2) / g**2 if self._small_polynomials else value


@record
class ChainRule(Step):
    """d/dw f(u) = f′(u)·u′: `outer` is f written in `var`, `u` the inner function."""

    u: Expr
    outer: Expr
    var: Symbol
    outer_step: Leaf
    inner_step: Step

    def by(self, rules):
        return rules.chain(self.outer_step.at(rules, self.u), self.u, _d(self.inner_step, rules))


@record
class LogDiffRule(Step):
    """y = f^g: ln y = g·ln f, so y′ = y·(g·ln f)′. Where SymPy Gamma gave up."""

    base: Expr
    exponent: Expr
    log_form: Expr
    substep: Step

    def by(self, rules):
        return self.expr * _d(self.substep, rules)


@record
class MaxMinRule(Step):
    """max(0, w) (ReLU) follows its larger input, min its smaller: the slope is that input's.
    No learner rule to get wrong here, so every table gives SymPy's derivative."""

    larger: bool
    parts: tuple

    def by(self, rules):
        return sympy.diff(self.expr, self.wrt)

"""The numbers and formulas a lesson expects, computed from the lesson's own data.

Nothing a lesson shows or expects is typed by hand: `{ forward = "w^2", at = { w = 3 },
eps = 0.001 }` is computed here, by the calculus core, for the runner and for lint alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sympy

from derivtutor.algebra import calculus, mathbuild, mathinput, mathprinter
from derivtutor.text import numbers
from derivtutor.text.errors import TutorError
from derivtutor.teaching.lesson_model import PLACEHOLDER, Lesson, Step
from derivtutor.algebra.matherror import MathInputError


class StepInvalid(TutorError, ValueError):
    """A lesson field the tutor cannot use (lint reports it as file:line).

    `zh` is the Chinese form, for the messages a learner can reach (their own J)."""

    code = "invalid_field"

    def __init__(self, message: str, zh: str | None = None):
        self.en, self.zh = message, zh
        super().__init__()

    def localized(self, lang: str | None = None) -> str:
        return self.zh if lang == "zh" and self.zh else self.en


@dataclass(frozen=True)
class Computed:
    """An expected value: exact when the math is exact, a float when it is a float computation."""

    exact: Any  # a SymPy expression, or None for float computations
    decimal: float | None

    def shown(self, spec: str | None = None, both: bool = False) -> str:
        """As prose shows it (9.006001, −1/32); with `both`, a fraction gets its decimal
        beside it (9/2 = 4.5, 1/3 ≈ 0.333333), as feedback and revealed answers do."""
        if spec and self.decimal is not None:
            return format(self.decimal, spec)
        if self.exact is None:
            return repr(self.decimal)
        text = decimal_text(self.exact) or mathprinter.show(self.exact)
        if both and isinstance(self.exact, sympy.Rational) and not self.exact.is_Integer and "/" in text:
            exact_decimal = decimal_text(self.exact, any_denominator=True)
            return f"{text} = {exact_decimal}" if exact_decimal else numbers.true_minus(f"{text} ≈ {numbers.figures(self.decimal)}")
        return text

    @property
    def target(self):
        """What an answer is compared with: the exact value if there is one."""
        return self.exact if self.exact is not None else sympy.Float(self.decimal, 17)


def decimal_text(value, any_denominator: bool = False) -> str | None:
    """A rational that is a terminating decimal, written as one: 9.006001, not 9006001/1000000.

    Fractions such as -1/32 stay fractions when the learner is likely to think of them so
    (a small denominator), unless `any_denominator`; a large power of ten reads as a decimal.
    """
    if not isinstance(value, sympy.Rational) or value.is_Integer:
        return None
    q = int(value.q)
    if not any_denominator and q < 100 and q not in (10, 20, 25, 50):
        return None
    return numbers.terminating_decimal(int(value.p), q)


def expression(text: Any, what: str = "formula") -> sympy.Expr:
    if not isinstance(text, str):
        raise StepInvalid(f"the {what} must be a string")
    try:
        return mathinput.read_expression(text)
    except MathInputError as err:
        raise StepInvalid(f"the {what} `{text}` does not parse: {err.message}",
                          zh=f"`{text}` 无法解析：{err.localized('zh')}") from None


def number(value: Any, saved: dict[str, Any]) -> sympy.Expr:
    """A coordinate or literal: 3, 0.001 (read exactly), "-1/2", or a saved answer "{my_w}"."""
    if isinstance(value, bool):
        raise StepInvalid("true/false is not a number")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise StepInvalid(f"{value} is not a finite number", zh=f"{value} 不是有限的数")
        try:
            return mathinput.read_number(repr(value))
        except MathInputError as err:  # 1e308: beyond what the parser reads
            raise StepInvalid(f"`{value!r}` is not a number the tutor can use: {err.message}",
                              zh=f"`{value!r}` 不是导师能使用的数：{err.localized('zh')}") from None
    if isinstance(value, str):
        match = PLACEHOLDER.fullmatch(value.strip())
        if match:
            name = match.group(1)
            if name not in saved:
                raise StepInvalid(f"`{value}` refers to an answer that has not been given yet")
            try:
                return saved[name]
            except KeyError:
                raise StepInvalid(f"`{value}` is defined in terms of itself") from None
        try:
            return mathinput.read_number(value)
        except MathInputError as err:
            raise StepInvalid(f"`{value}` is not a number: {err.message}",
                              zh=f"`{value}` 不是数：{err.localized('zh')}") from None
    raise StepInvalid(f"`{value!r}` is not a number")


def point(at: Any, saved: dict[str, Any]) -> dict:
    if at is None:
        return {}
    if not isinstance(at, dict):
        raise StepInvalid("`at` must be a table such as { w = 3 }")
    return {mathbuild.var(name): number(value, saved) for name, value in at.items()}


def variable(expr: sympy.Expr, wrt: str | None) -> sympy.Symbol:
    """The variable to differentiate by: the one given, or J's only variable."""
    if wrt:
        return mathbuild.var(wrt)
    free = sorted(expr.free_symbols, key=lambda s: s.name)
    if len(free) == 1:
        return free[0]
    if not free:
        return mathbuild.var("w")
    names = [s.name for s in free]
    raise StepInvalid(f"J has several variables ({', '.join(names)}): say which with `wrt`",
                      zh=f"J 含有 {'、'.join(names)} 几个变量，这里要用只含一个变量的函数（比如 `w^3`）")


def compute(spec: Any, saved: dict[str, Any], lesson: Lesson | None = None) -> Computed:
    """Evaluate a lesson's computed-number spec (see lessons/README.md)."""
    if not isinstance(spec, dict):
        exact = number(spec, saved)
        return Computed(exact, as_float(exact))
    kind = next(k for k in ("value", "derivative", "forward", "central") if k in spec)
    expr = expression(spec[kind])
    at = point(spec.get("at"), saved)
    try:
        if kind == "value":
            value = calculus.value(expr, at)
            return Computed(value.exact, value.decimal)
        wrt = variable(expr, spec.get("wrt"))
        if kind == "derivative":
            derivative = calculus.derivative(expr, wrt)
            if not at:
                return Computed(derivative, None)
            value = calculus.value(derivative, at)
            return Computed(value.exact, value.decimal)
        eps = float(spec["eps"])
        difference = calculus.forward_difference if kind == "forward" else calculus.central_difference
        return Computed(None, difference(expr, wrt, at, eps))
    except calculus.UndefinedAt as err:
        raise StepInvalid(str(err), zh=err.localized("zh")) from None


def as_float(expr) -> float | None:
    try:
        return float(expr)
    except (TypeError, ValueError):
        return None


# --- a computation graph's numbers -----------------------------------------------

def graph_for(lesson: Lesson, name: str):
    from derivtutor.algebra import graph, graph_build, mathbuild

    spec = lesson.graphs[name]
    nodes = [(str(n), expression(f, f"formula of node `{n}`")) for n, f in spec["nodes"]]
    inputs = {mathbuild.var(k): number(v, {}) for k, v in spec["inputs"].items()}
    try:
        return graph_build.from_assignments(nodes, inputs)
    except graph.GraphError as err:
        raise StepInvalid(f"graph `{name}`: {err.localized('en')}", zh=f"计算图 `{name}`：{err.localized('zh')}") from None


def graph_answer(lesson: Lesson, step: Step) -> Computed:
    built = graph_for(lesson, step.get("graph"))
    (what, target), = step.get("ask").items()
    value = graph_ask(built, what, target)
    return Computed(value, as_float(value))


def graph_ask(built, what: str, target):
    try:
        if what == "value":
            return built.value(target)
        if what == "grad":
            return built.grad(target)
        child, parent = target
        return built.local(child, parent)
    except (KeyError, ValueError, TypeError) as err:  # GraphError is a ValueError
        why = err.localized("zh") if isinstance(err, TutorError) else str(err)
        raise StepInvalid(f"the graph has no answer for {what} {target}: {err}",
                          zh=f"计算图里没有 {what} {target} 的答案：{why}") from None


class Known(dict):
    """Saved answers, plus the lesson's (and the step's) values computed on first use,
    so a value's point may use an earlier value: `at = { w = "{w1}" }`."""

    def __init__(self, saved: dict[str, Any], lesson: Lesson | None, step: Step | None = None):
        super().__init__(saved)
        specs = dict(lesson.values) if lesson else {}
        specs.update((step.get("values") or {}) if step else {})
        self._specs = specs
        self._lesson = lesson
        self._busy: set[str] = set()

    def __contains__(self, name: object) -> bool:
        return dict.__contains__(self, name) or name in self._specs

    def __missing__(self, name: str):
        if name not in self._specs or name in self._busy:  # unknown, or a value defined by itself
            raise KeyError(name)
        self._busy.add(name)
        try:
            value = compute(self._specs[name], self, self._lesson).target
        finally:
            self._busy.discard(name)
        self[name] = value
        return value

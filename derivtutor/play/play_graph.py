"""Backprop on the learner's own function: the graph, the forward pass, the backward pass, the checks.

`walkthrough` shows everything at once; `GraphQuiz` asks for each local
derivative in turn. Both read a `graph.Graph` built from the learner's J at
their point; the conversation around them lives in `derivtutor.play.play`.
"""

from __future__ import annotations

from typing import Any

from derivtutor.text import columns, numbers
from derivtutor.text.i18n import Catalog, tr
from derivtutor.text.messages import Message

T = Catalog(__name__, 'T')


def build(J, at: dict, lang: str):
    """The graph of J at the point, forward and backward done; or the Messages saying why not."""
    from derivtutor.algebra import graph_build
    from derivtutor.play.play_explain import ordered

    variables = ordered(J.free_symbols)
    if not variables:
        return None, [Message("say", tr(T["constant"], lang, name="J"))]
    missing = [s.name for s in variables if s.name not in at]
    if missing:
        return None, [Message("say", tr(T["need_point"], lang, name="J",
                                        example=", ".join(f"{n}=2" for n in missing)))]
    built = graph_build.from_expression(J, {s: at[s.name] for s in variables})
    built.backward()
    return built, []


def walkthrough(J, at: dict, eps: float, lang: str, width: int = 60) -> list[Message]:
    """The graph drawn, the forward values, every backward step, and the three-way check per input."""
    from derivtutor.algebra.mathprinter import show

    g, why = build(J, at, lang)
    if g is None:
        return why
    forward = [f"{n.name} = {show(n.formula)} = {number_text(n.value)}" for n in g.nodes]
    backward = [g.format_step(s) for s in g.steps]
    out = [Message("say", tr(T["split"], lang, name=g.output.name)),
           Message("block", block=g.draw(width=min(width, 60), lang=lang)),
           Message("say", tr(T["forward"], lang)), Message("block", block="\n".join(forward)),
           Message("say", tr(T["backward"], lang)), Message("block", block="\n".join(backward))]
    return out + checks(g, eps, lang)


def checks(g, eps: float, lang: str) -> list[Message]:
    """∂J/∂input by backprop, by differentiating the whole formula, and by a forward difference."""
    from derivtutor.play.play_explain import eps_text

    results = [g.check(n.name, eps) for n in g.inputs]
    j = g.output.name
    labels = [tr(T[key], lang) for key in ("backprop", "symbolic", "difference")]
    rows = []
    for c in results:
        rows.append(f"∂{j}/∂{c.wrt}  {'✓' if c.agree else '✗'}")
        cells = (number_text(c.backprop), number_text(c.symbolic), repr(c.forward_difference))
        rows += [f"  {columns.pad(label, max(map(columns.width, labels)))}  {cell}" for label, cell in zip(labels, cells)]
    agree = all(c.agree for c in results)
    return [Message("say", tr(T["checks"], lang, eps=eps_text(eps))),
            Message("block", block="\n".join(rows),
                    data={c.wrt: {"backprop": c.backprop, "symbolic": c.symbolic, "fd": c.forward_difference}
                          for c in results}),
            Message("feedback", tr(T["agree" if agree else "disagree"], lang), ok=agree)]


def number_text(value) -> str:
    """An exact number, with its decimal beside it when it is not a plain fraction: "sin(6) ≈ -0.279415"."""
    from derivtutor.algebra.mathprinter import show

    if value.is_Rational:
        return show(value)
    return f"{show(value)} ≈ {numbers.figures(value)}"


class GraphQuiz:
    """Asks for each backward step's local derivative ∂node/∂parent, from J upwards."""

    def __init__(self, g: Any, eps: float, lang: str):
        self.g, self.eps, self.lang = g, eps, lang
        self.steps = list(g.steps)
        self.index = 0
        self.right = 0
        self.done = not self.steps

    @property
    def step(self):
        return self.steps[self.index]

    def local_name(self) -> str:
        return f"∂{self.step.node}/∂{self.step.parent}"

    def start(self) -> list[Message]:
        return [Message("say", tr(T["quiz_intro"], self.lang, n=len(self.steps)))] + self.question()

    def question(self) -> list[Message]:
        from derivtutor.algebra.mathprinter import show

        node = self.g.node(self.step.node)
        return [Message("question", tr(T["quiz_q"], self.lang, i=self.index + 1, n=len(self.steps), node=node.name,
                                       formula=show(node.formula), local=self.local_name()))]

    def answer(self, expr, typed: str) -> list[Message]:
        """A learner's local derivative: a number, or a formula in node names evaluated at the point."""
        from derivtutor.algebra import check
        from derivtutor.algebra.mathprinter import show

        value = self.g.evaluate(expr) if expr.free_symbols else expr
        verdict = check.check_number(value, self.step.local_value, typed=typed if not expr.free_symbols else None,
                                     lang=self.lang)
        if verdict.correct:
            self.right += 1
            return ([Message("feedback", tr(T["quiz_right"], self.lang, local=self.local_name(),
                                            value=show(self.step.local_value)), ok=True)] + self._advance())
        return [Message("feedback", tr(T["quiz_wrong"], self.lang, yours=show(value)), ok=False)]

    def reveal(self) -> list[Message]:
        from derivtutor.algebra.mathprinter import show

        formula = "" if self.step.local.is_Number else f"{show(self.step.local)} = "
        shown = Message("say", tr(T["quiz_shown"], self.lang, local=self.local_name(), formula=formula,
                                  value=show(self.step.local_value)))
        return [shown] + self._advance()

    def _advance(self) -> list[Message]:
        out = [Message("say", tr(T["quiz_step"], self.lang, step=self.g.format_step(self.step)))]
        self.index += 1
        if self.index < len(self.steps):
            return out + self.question()
        self.done = True
        return out + [Message("feedback", tr(T["quiz_done"], self.lang, right=self.right, n=len(self.steps)),
                              ok=self.right == len(self.steps))] + checks(self.g, self.eps, self.lang)

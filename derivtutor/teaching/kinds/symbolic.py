"""Steps answered with a formula: `expression` (any equivalent form of the author's answer) and
`derivative` (dJ/dw of the step's J, judged by the checker, which names a rule slip)."""

from __future__ import annotations

from derivtutor.teaching import question
from derivtutor.teaching.kinds import base
from derivtutor.teaching.kinds.base import J_of, StepKind
from derivtutor.text.i18n import Catalog, tr
from derivtutor.text.messages import Message

T = Catalog(__name__, 'T')
DERIVATIVE_HINTS = Catalog(__name__, 'DERIVATIVE_HINTS')
EXPRESSION_HINTS = Catalog(__name__, 'EXPRESSION_HINTS')


class Expression(StepKind):
    name = "expression"
    required = {"id": str, "text": str, "answer": str}
    optional = {"anticipate": list}
    hints = EXPRESSION_HINTS

    def expected(self, lesson, step, saved):
        from derivtutor.teaching import answers

        return answers.expression(step.get("answer"), "answer")

    def validate(self, lesson, step, saved) -> None:
        from derivtutor.algebra import check
        from derivtutor.teaching import answers

        answer = answers.expression(step.get("answer"), "answer")
        if not check.check_expression(answer, answer).correct:
            raise answers.StepInvalid("the expected answer does not pass the tutor's own checker")

    def prompt(self, run, step) -> str:
        return tr(T["prompt_expression"], run.lang)

    def reads_as_answer(self, run, step, line: str) -> bool:
        return base.parses(line)

    def answer(self, run, step, line: str) -> list[Message]:
        expected = run.expected()
        found, echo = question.read(line, run.lang, {s.name for s in expected.free_symbols})
        if found is None:
            return echo
        result = question.respond(run.as_question(step, "expression", expected), run.attempt,
                                  found.expr, None, run.lang)
        if result.correct:
            return echo + [base.right(run)] + run.close(True, line)
        return run.wrong(line, echo + result.messages, result.final)


class Derivative(StepKind):
    name = "derivative"
    required = {"id": str, "text": str, "J": str}
    optional = {"wrt": str, "anticipate": list}

    def expected(self, lesson, step, saved):
        from derivtutor.algebra import calculus

        J, wrt = J_of(step)
        return calculus.derivative(J, wrt)

    def validate(self, lesson, step, saved) -> None:
        from derivtutor.algebra import calculus, check
        from derivtutor.teaching import answers

        J, wrt = J_of(step)
        if not check.check_derivative(J, calculus.derivative(J, wrt), wrt).correct:
            raise answers.StepInvalid("the tutor's own derivative does not pass its checker")

    def prompt(self, run, step) -> str:
        J, wrt = J_of(step)
        return tr(T["prompt_derivative"], run.lang, w=wrt.name, d=d_of(run, step, J, wrt)[0])

    def reads_as_answer(self, run, step, line: str) -> bool:
        return base.parses(line)

    def answer(self, run, step, line: str) -> list[Message]:
        from derivtutor.algebra import mathinput

        J, wrt = J_of(step)
        found, echo = question.read(line, run.lang, {s.name for s in J.free_symbols} | {wrt.name})
        if found is None:
            return echo
        if found.form == "diff":
            return echo + [Message("say", tr(T["ask_sympy"], run.lang))]
        result = question.respond(run.as_question(step, "derivative", None, J, wrt), run.attempt,
                                  found.expr, None, run.lang)
        if result.correct:
            return (echo + [base.right(run),
                            Message("math", f"{d_of(run, step, J, wrt)} = {mathinput.show(found.expr)}", expr=found.expr)]
                    + run.close(True, line))
        return run.wrong(line, echo + result.messages, result.final)

    def answer_text(self, run, step) -> str:
        from derivtutor.algebra import mathinput

        J, wrt = J_of(step)
        return f"{d_of(run, step, J, wrt)} = {mathinput.show(run.expected(step))}"

    def working(self, run, step) -> list[Message]:
        return base.derivation(*J_of(step), run.lang)

    def default_hints(self, run, step) -> list[str]:
        from derivtutor.algebra import mathinput

        J, wrt = J_of(step)
        return [tr(DERIVATIVE_HINTS["rule_fits"], run.lang, J=mathinput.show(J)),
                tr(DERIVATIVE_HINTS["first_rule"], run.lang, rule=_first_rule(J, wrt, run.lang))]

    def why(self, run, step) -> list[Message]:
        return base.derivation(*J_of(step), run.lang) if step.get("J") else []


def d_of(run, step, J, wrt) -> str:
    """dJ/dw, or ∂J/∂w where J has several variables or the question itself writes ∂ (lesson 1's rule)."""
    partial = len(J.free_symbols) > 1 or "∂" in run.fill(step.get("text") or "", step)
    return f"∂J/∂{wrt.name}" if partial else f"dJ/d{wrt.name}"


def _first_rule(J, wrt, lang: str) -> str:
    from derivtutor.algebra.steps import derive  # outside the try: a broken import is a bug, not a nicety
    from derivtutor.algebra.steps_text import plain_lines

    try:
        lines = plain_lines(derive(J, wrt), lang)
        return lines[0].strip() if lines else "?"
    except Exception:  # the hint is a nicety; never let it break the lesson
        return "?"

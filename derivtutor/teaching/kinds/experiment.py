"""An `experiment` step: the learner picks ε, a point or a J and sees what the difference
quotient does; rounds of exploring, never wrong, so there is nothing to reveal."""

from __future__ import annotations

from derivtutor.teaching import question
from derivtutor.teaching.kinds import base
from derivtutor.teaching.kinds.base import EPS_NAME, J_of, StepKind
from derivtutor.text.i18n import Catalog, tr
from derivtutor.text.numbers import figures
from derivtutor.text.messages import Message

T = Catalog(__name__, 'T')
ASKS = ("eps", "at", "J")


class Experiment(StepKind):
    name = "experiment"
    required = {"id": str, "text": str, "ask": str}
    optional = {"J": str, "at": dict, "eps": (int, float), "rounds": int, "save": str, "wrt": str,
                "show_derivative": bool}
    explores = True

    def field_problems(self, raw: dict) -> list[tuple[str | None, str]]:
        problems = []
        if raw.get("ask") not in ASKS:
            problems.append(("ask", f"`ask` must be one of {', '.join(ASKS)}"))
        if raw.get("ask") != "J" and "J" not in raw:
            problems.append((None, "`J` is missing"))
        return problems + super().field_problems(raw)

    def validate(self, lesson, step, saved) -> None:
        if step.get("J") is not None:
            J, wrt = J_of(step)
            if "at" in step.fields:
                base.check_point(step, saved, J, wrt)

    def stand_in(self, lesson, step, saved):
        """The step's own default ε, point or J, for the steps that use what the learner chose."""
        from derivtutor.teaching import answers

        if step.get("ask") == "eps":
            return answers.number(step.get("eps", 0.001), {})
        if step.get("ask") == "at":
            at = step.get("at") or {}
            return answers.number(next(iter(at.values()), 1), saved)
        return answers.expression(step.get("J", "w^2"))

    def prompt(self, run, step) -> str:
        ask = step.get("ask")
        if ask == "at":
            return tr(T["prompt_at"], run.lang, w=J_of(step)[1].name)
        return tr(T[f"prompt_{ask}"], run.lang)

    def reads_as_answer(self, run, step, line: str) -> bool:
        return step.get("ask") == "J" and base.parses(line)

    def answer(self, run, step, line: str) -> list[Message]:
        out, saved_text = (_try_J if step.get("ask") == "J" else _try_number)(run, step, line)
        if saved_text is None:  # not read, or J undefined there: the round does not count
            return out
        if step.get("save"):
            run.saved_text[step.get("save")] = saved_text
        run.rounds += 1
        if run.rounds >= int(step.get("rounds", 1)):
            run.attempt.tries = run.rounds
            return out + [Message("say", tr(T["experiment_end"], run.lang))] + run.close(True, line)
        return out + [Message("say", tr(T["experiment_more"], run.lang))]

    def answer_text(self, run, step) -> str:
        return "—"

    def why(self, run, step) -> list[Message]:
        return base.derivation(*J_of(step), run.lang) if step.get("J") else []


def _try_J(run, step, line: str) -> tuple[list[Message], str | None]:
    """The learner's own J: its derivative (unless a later lesson asks for it) and the measured k."""
    from derivtutor.algebra import calculus, mathbuild, mathprinter
    from derivtutor.teaching import answers

    found, echo = question.read(line, run.lang)
    if found is None:
        return echo, None
    J = found.expr
    wrt = answers.variable(J, step.get("wrt")) if J.free_symbols else mathbuild.var(step.get("wrt") or "w")
    at = answers.point(step.get("at") or {wrt.name: 1}, run.saved)
    eps = float(step.get("eps", 0.001))
    # show_derivative = false: a later lesson asks for this derivative, so give only the measured k
    # (and say nothing about a derivative the learner was not shown: √(w − 2) at 2 has its k)
    shows_d = step.get("show_derivative", True)
    try:  # J itself first: ln(w − 2) at w = 2 is about the log, not about its derivative 1/(w − 2)
        k = calculus.forward_difference(J, wrt, at, eps)
        d = calculus.derivative(J, wrt) if shows_d else None
        value = calculus.derivative_at(J, wrt, at) if shows_d else None
    except calculus.UndefinedAt as err:
        return echo + base.error(err, run.lang), None
    key = "experiment_J" if shows_d else "experiment_J_k"
    out = echo + [Message("say", tr(T[key], run.lang, J=found.shown, w=wrt.name, d=mathprinter.show(d) if shows_d else "",
                                    at=mathprinter.show(at[wrt]),
                                    value=mathprinter.show(value.exact) if shows_d else "",
                                    eps=repr(eps), k=repr(k)))]
    return out, question.typed_number(line)


def _try_number(run, step, line: str) -> tuple[list[Message], str | None]:
    """An ε or a point the learner chose: the difference quotient there, beside the derivative."""
    from derivtutor.algebra import calculus, mathbuild, mathprinter
    from derivtutor.teaching import answers

    number, typed, echo = question.read_number(line, run.lang)
    if number is None:
        return echo, None
    ask = step.get("ask")
    J, wrt = J_of(step)
    at = answers.point(step.get("at"), run.saved)
    eps = float(step.get("eps", 0.001))
    if ask == "eps":
        if not (0 < number < 1):
            return [Message("error", tr(T["need_positive_eps"], run.lang))], None
        eps = float(number)
    else:
        at = {**at, wrt: number}
    try:
        k = calculus.forward_difference(J, wrt, at, eps)
        exact = calculus.value(calculus.derivative(J, wrt), at)
    except calculus.UndefinedAt as err:
        return echo + base.error(err, run.lang), None
    if ask == "eps":
        EPS = mathbuild.var(EPS_NAME)
        error = k - exact.decimal
        exact_k = calculus.exact_forward_difference(J, wrt, at, EPS).subs(EPS, number)
        truncation = abs(float(exact_k - exact.exact))
        out = echo + [Message("say", tr(T["experiment_k"], run.lang, eps=typed or repr(eps), k=repr(k),
                                        d=mathprinter.show(exact.exact), err=figures(error, 3)))]
        key = "experiment_trunc" if truncation >= abs(k - float(exact_k)) else "experiment_round"
        if error == 0:  # 2w with ε = 0.5, sin at 0 with ε = 1e-9: no error to blame on anything
            key = "experiment_exact"
        out.append(Message("say", tr(T[key], run.lang)))
    else:
        value = calculus.value(J, at)
        out = echo + [Message("say", tr(T["experiment_at"], run.lang, w=wrt.name, at=mathprinter.show(number),
                                        J=mathprinter.show(value.exact), d=mathprinter.show(exact.exact), k=repr(k)))]
    return out, typed or mathprinter.show(number)

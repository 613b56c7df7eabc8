"""Steps answered with a number: `number` (a value the lesson computes, judged by the checker
with the step's tolerance) and `predict` (guess k, then see the computer's difference quotient
beside the exact derivative, and why the two differ)."""

from __future__ import annotations

from derivtutor.teaching import question
from derivtutor.teaching.kinds import base
from derivtutor.teaching.kinds.base import EPS_NAME, J_of, StepKind, short
from derivtutor.text import columns
from derivtutor.text.i18n import Catalog, tr
from derivtutor.text.numbers import figures
from derivtutor.text.messages import Message

T = Catalog(__name__, 'T')
NUMBER_HINTS = Catalog(__name__, 'NUMBER_HINTS')
PREDICT_HINTS = Catalog(__name__, 'PREDICT_HINTS')


class Number(StepKind):
    name = "number"
    required = {"id": str, "text": str, "answer": (str, int, float, dict)}
    optional = {"tolerance": dict, "save": str, "exact": bool, "anticipate": list}
    computes_answer = True
    hints = NUMBER_HINTS

    def expected(self, lesson, step, saved):
        from derivtutor.teaching import answers

        return answers.compute(step.get("answer"), saved, lesson)

    def validate(self, lesson, step, saved) -> None:
        from derivtutor.algebra import check
        from derivtutor.teaching import answers

        target = answers.compute(step.get("answer"), saved, lesson)
        if not check.check_number(target.target, target.target).correct:
            raise answers.StepInvalid("the expected answer does not pass the tutor's own checker")

    def answer(self, run, step, line: str) -> list[Message]:
        from derivtutor.algebra import mathprinter
        from derivtutor.teaching import diagnosis

        value, typed, echo = question.read_number(line, run.lang)
        if value is None:
            return echo
        expected = run.expected()
        asked = run.as_question(step, "number", expected.target)
        result = question.respond(asked, run.attempt, value, typed, run.lang)
        if result.correct:
            if step.get("save"):
                run.saved_text[step.get("save")] = typed if question.is_plain_number(typed) else mathprinter.show(value)
            return echo + [base.right_number(run, expected, value, typed)] + run.close(True, line)
        found = diagnosis.number_step(step, run.saved, value, typed)
        return run.wrong(line, echo + base.diagnosed(asked, value, result, found, run.lang), result.final)


class Predict(StepKind):
    name = "predict"
    required = {"id": str, "text": str, "J": str, "at": dict, "eps": (int, float)}
    optional = {"wrt": str, "tolerance": dict, "explain_gap": bool}
    hints = PREDICT_HINTS

    def expected(self, lesson, step, saved):
        from derivtutor.algebra import calculus

        J, wrt = J_of(step)
        return calculus.derivative(J, wrt)

    def validate(self, lesson, step, saved) -> None:
        base.check_point(step, saved, *J_of(step))

    def prompt(self, run, step) -> str:
        return tr(T["prompt_k"], run.lang)

    def answer(self, run, step, line: str) -> list[Message]:
        from derivtutor.algebra import calculus, mathprinter

        prediction, typed, echo = question.read_number(line, run.lang)
        if prediction is None:
            return echo
        try:
            J, wrt, at, eps, k, exact = _measure(run, step)
        except calculus.UndefinedAt as err:
            return base.error(err, run.lang)
        rel = float((step.get("tolerance") or {}).get("rel", 0.05))
        p = float(prediction)
        scale = max(abs(exact.decimal), 1e-12)
        near_exact = abs(p - exact.decimal) <= rel * scale
        close = near_exact or abs(p - k) <= rel * max(abs(k), 1e-12)
        labels = tr(T["predict_rows"], run.lang, w=wrt.name, d=_d(J)).split("|")
        exact_text = mathprinter.show(exact.exact)
        measured = short(k) if short(k) != exact_text else repr(k)  # the digits the step is about, not "6" beside "6"
        values = (typed or mathprinter.show(prediction), measured, exact_text)
        out = echo + [Message("block", block=_table(labels, values))]
        if measured != repr(k):
            out.append(Message("say", tr(T["measured_full"], run.lang, k=repr(k))))
        if close:
            # near k but not the derivative (6.5 for w² at 3 with ε = 0.5): say which it was near
            key = "predict_close" if near_exact else "predict_close_k"
            out.append(Message("feedback", tr(T[key], run.lang, pct=short(rel * 100)), ok=True))
        else:
            out.append(Message("feedback", tr(T["predict_far"], run.lang, off=short(abs(p - exact.decimal))), ok=False))
        out += _gap_after(run, step)
        run.attempt.tries += 1
        return out + run.close(close, line)

    def answer_text(self, run, step) -> str:
        from derivtutor.algebra import calculus, mathprinter
        from derivtutor.teaching import answers

        value = calculus.value(run.expected(step), answers.point(step.get("at"), run.saved))
        return mathprinter.show(value.exact)

    def skipped(self, run, step) -> list[Message]:
        """A skipped prediction still shows what it measures: the computer's k."""
        from derivtutor.algebra import calculus
        from derivtutor.teaching import answers

        J, wrt = J_of(step)
        try:
            k = calculus.forward_difference(J, wrt, answers.point(step.get("at"), run.saved), float(step.get("eps")))
        except calculus.UndefinedAt as err:
            return base.error(err, run.lang)
        return [Message("say", tr(T["measured_full"], run.lang, k=repr(k)))] + _gap_after(run, step)

    def why(self, run, step) -> list[Message]:
        """Why k was not the derivative (the ε terms, round-off), then the derivative's working."""
        return _gap_explanation(run, step) + base.derivation(*J_of(step), run.lang)


def _gap_after(run, step) -> list[Message]:
    """The gap explained right after a prediction, unless the lesson's next step asks the learner
    why (`explain_gap = false`); `why` explains it either way."""
    return _gap_explanation(run, step) if step.get("explain_gap", True) else []


def _gap_explanation(run, step) -> list[Message]:
    """Why the measured k is not the derivative: the ε terms, and round-off."""
    from derivtutor.algebra import calculus, mathbuild, mathinput, mathprinter
    from derivtutor.teaching import answers

    EPS = mathbuild.var(EPS_NAME)
    try:
        J, wrt, at, eps, k, exact = _measure(run, step)
        exact_k = calculus.exact_forward_difference(J, wrt, at, EPS)
    except calculus.UndefinedAt as err:
        return base.error(err, run.lang)
    eps_exact = mathinput.read_number(repr(eps))
    exact_at = exact_k.subs(EPS, eps_exact)
    truncation = float(exact_at - exact.exact)
    roundoff = k - float(exact_at)
    line = calculus.degree_at_most(J, wrt, 1)  # "a straight line" is proved from J, not from one ε
    if line and truncation == 0 and abs(roundoff) < 1e-15 * max(1.0, abs(k)):
        return [Message("say", tr(T["gap_none"], run.lang, w=wrt.name))]
    quotient = calculus.show_quotient(exact_k, exact.exact)
    if k == exact.decimal:  # sin at 0, ε = 1e-9: an ε term of 10⁻¹⁹ is below what a float shows, no gap
        return [Message("say", tr(T["gap_below_floats"], run.lang, w=wrt.name, exact_k=quotient))]
    at_eps = answers.decimal_text(exact_at, any_denominator=True) or mathprinter.show(exact_at)
    gap = k - exact.decimal  # in Chinese a gap is a size, said with its direction: 大 0.001, 小 2.2e-13
    fields = dict(w=wrt.name, exact_k=quotient, gap=short(gap), round=figures(roundoff, 2),
                  gap_abs=short(abs(gap)), gap_dir="大" if gap > 0 else "小",
                  round_abs=figures(abs(roundoff), 2), round_dir="大" if roundoff > 0 else "小",
                  quotient=quotient if quotient == at_eps else f"{quotient} = {at_eps}")  # never "2 = 2"
    key = "gap_truncation" if abs(truncation) >= abs(roundoff) else "gap_roundoff"
    return [Message("say", tr(T[key], run.lang, **fields))]


def _measure(run, step):
    """J, its variable, the point, ε, the computer's k there and the exact derivative
    (raises calculus.UndefinedAt where J or its derivative is not defined)."""
    from derivtutor.algebra import calculus
    from derivtutor.teaching import answers

    J, wrt = J_of(step)
    at = answers.point(step.get("at"), run.saved)
    eps = float(step.get("eps"))
    k = calculus.forward_difference(J, wrt, at, eps)
    exact = calculus.value(calculus.derivative(J, wrt), at)
    return J, wrt, at, eps, k, exact


def _d(J) -> str:
    """Lesson 1's notation: d for one variable, ∂ when J has several."""
    return "∂" if len(getattr(J, "free_symbols", ())) > 1 else "d"


def _table(labels: list[str], values: tuple[str, ...]) -> str:
    """Two aligned columns; labels may be Chinese, so pad by display width."""
    pad = max(columns.width(label) for label in labels) + 3
    return "\n".join(columns.pad(label, pad) + value for label, value in zip(labels, values))

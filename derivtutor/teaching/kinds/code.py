"""A `code` step: a line of the labs' Python, judged by the value it computes (code_step.py
runs it in the lab interpreter; the question core judges the value)."""

from __future__ import annotations

from derivtutor.teaching import question
from derivtutor.teaching.kinds import base
from derivtutor.teaching.kinds.base import StepKind
from derivtutor.text.i18n import tr
from derivtutor.text.messages import Message

TAB_WORDS = {"diff", "subs", "symbols"}


class Code(StepKind):
    name = "code"
    required = {"id": str, "text": str, "answer": (str, int, float, dict), "solution": str}
    optional = {"setup": list, "value_of": str, "tolerance": dict, "exact": bool, "anticipate": list}
    computes_answer = True

    def field_problems(self, raw: dict) -> list[tuple[str | None, str]]:
        problems = super().field_problems(raw)
        if isinstance(raw.get("setup"), list) and not all(isinstance(x, str) for x in raw["setup"]):
            problems.append(("setup", "every `setup` line must be a string"))
        return problems

    def expected(self, lesson, step, saved):
        from derivtutor.teaching import code_step

        return code_step.expected(step, saved, lesson)

    def validate(self, lesson, step, saved) -> None:
        from derivtutor.teaching import code_step

        code_step.validate(lesson, step, saved)

    def prompt(self, run, step) -> str:
        from derivtutor.teaching import code_step

        return tr(code_step.T["prompt"], run.lang)

    def names(self, run, step) -> set[str]:
        return _names(run, step) | TAB_WORDS

    def reads_as_answer(self, run, step, line: str) -> bool:
        from derivtutor.teaching import code_step

        names = _names(run, step)
        return line.lower() in names or line in names or code_step.known_word(line)

    def answer(self, run, step, line: str) -> list[Message]:
        """A line of the labs' Python: run in the lab interpreter, judged by the value it computes."""
        from derivtutor.teaching import code_step

        ran = code_step.run_try(_env(run, step), line, run.lang, step.get("value_of"))
        if not ran.counted:  # refused, failing, or nothing to judge: the try is not counted
            return ran.messages
        if ran.value is None:  # it ran and computed something that is not math: a wrong try
            run.attempt.tries += 1
            return run.wrong(line, ran.messages, run.attempt.out_of_tries(run.as_question(step, "code")))
        expected = run.expected()
        asked = run.as_question(step, code_step.asks(expected), code_step.target(expected))
        result = question.respond(asked, run.attempt, ran.value, None, run.lang)
        if result.correct:
            return ran.messages + [base.right(run)] + run.close(True, line)
        try:
            found = code_step.diagnose(step, ran.value, expected, run.saved)
        except Exception:  # noqa: BLE001 - a diagnosis is a nicety; the checker's sentence stands
            found = None
        return run.wrong(line, ran.messages + base.diagnosed(asked, ran.value, result, found, run.lang), result.final)

    def answer_text(self, run, step) -> str:
        from derivtutor.teaching import code_step

        return code_step.solution_text(step, run.expected(step), run.lang)

    def working(self, run, step) -> list[Message]:
        """The solution run, in SymPy's own output form."""
        from derivtutor.teaching import code_step

        return code_step.solution_blocks(_env(run, step), step, run.lang)

    def default_hints(self, run, step) -> list[str]:
        from derivtutor.teaching import code_step

        return code_step.default_hints(_env(run, step), run.lang)

    def why(self, run, step) -> list[Message]:
        from derivtutor.teaching import code_step

        spec = code_step.derivative_spec(step)
        return base.derivation(*spec[:2], run.lang) if spec else []


def _env(run, step):
    """The names this code step runs with (the lesson's setup, earlier solutions, its own setup)."""
    from derivtutor.teaching import code_step
    from derivtutor.teaching.answers import StepInvalid

    try:
        return code_step.environment(code_step.lines_for(run.lesson, step))
    except code_step.SetupFailed as err:
        raise StepInvalid(str(err), zh=f"`{err.line}` 无法运行：{err.sentence('zh')}") from None


def _names(run, step) -> set[str]:
    from derivtutor.teaching.answers import StepInvalid

    try:
        return set(_env(run, step).names)
    except StepInvalid:
        return set()

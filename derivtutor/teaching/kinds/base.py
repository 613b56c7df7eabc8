"""What every kind of lesson step shares: the class a kind fills in, and the small pieces of
saying (right, an error as a sentence, the working) that several kinds use.

A kind is one class (`StepKind`): the fields a lesson may give it (checked at load time,
without SymPy), what it expects and how lint validates it, and how the runner asks it, judges
a line, reveals the answer and hints. The runner is passed in as `run`; a kind uses only its
conversation methods (fill, expected, as_question, wrong, close) and its state (lang, lesson,
saved, saved_text, attempt, rounds, revealed). SymPy is imported inside the methods that
compute, so loading lessons stays fast.
"""

from __future__ import annotations

from typing import Any

from derivtutor.teaching import question
from derivtutor.text.i18n import Catalog, sentence, tr
from derivtutor.text.numbers import figures
from derivtutor.text.messages import Message

T = Catalog(__name__, 'T')

# Fields every graded step may hold, whatever its kind.
COMMON_GRADED = {"id": str, "hints": list, "why": str, "after": str, "values": dict, "skills": list}
ANTICIPATE_FORM = "each `anticipate` entry is { answer = \"…\", say = \"…\" }"
EPS_NAME = "ε"  # the nudge, as a symbol in exact difference quotients (6 + ε)


class StepKind:
    """One kind of step. Subclasses set the schema and override what differs."""

    name = ""
    required: dict[str, type | tuple] = {}
    optional: dict[str, type | tuple] = {}
    graded = True
    computes_answer = False   # `answer` may be a computed-number table ({ value = "w^2", at = … })
    explores = False          # rounds of exploring, not tries: `next` moves on, no hint gives it away
    hints: Any = None         # a Catalog of default hints, in order, when the author wrote none

    # --- the schema (no SymPy) ----------------------------------------------------------------

    def allowed(self) -> set[str]:
        return {"kind", *self.required, *self.optional, *(COMMON_GRADED if self.graded else {})}

    def field_types(self) -> dict[str, type | tuple]:
        return {**COMMON_GRADED, **self.optional, **self.required}

    def field_problems(self, raw: dict) -> list[tuple[str | None, str]]:
        """Problems beyond missing, unknown and mistyped fields: (the field, or None for the step
        header, and the sentence after "step N (kind): ")."""
        entries = raw.get("anticipate") if isinstance(raw.get("anticipate"), list) else []
        return [("anticipate", ANTICIPATE_FORM) for entry in entries if not _anticipation(entry)]

    def lesson_problems(self, step, graphs) -> list[tuple[str | None, str]]:
        """Problems with what the step refers to elsewhere in the lesson, after "step N: "."""
        return []

    # --- what the step expects (lint and runner alike) ------------------------------------------

    def expected(self, lesson, step, saved) -> Any:
        """The expected answer, computed now (a saved answer may feed it)."""
        return None

    def validate(self, lesson, step, saved) -> None:
        """Everything lint computes for this kind beyond the common checks; raises StepInvalid."""

    def stand_in(self, lesson, step, saved):
        """What the step saves when skipped or revealed: the expected answer, for later steps."""
        from derivtutor.teaching import answers

        return answers.compute(step.get("answer"), saved, lesson).target

    # --- asking -------------------------------------------------------------------------------

    def before(self, run, step) -> list[Message]:
        """Shown above the question (a graph's drawing)."""
        return []

    def question_text(self, run, step) -> str:
        return run.fill(step.text, step)

    def prompt(self, run, step) -> str:
        return tr(T["prompt_number"], run.lang)

    def names(self, run, step) -> set[str]:
        """Names Tab may complete at this step, beyond the lesson's J's."""
        return set()

    def reads_as_answer(self, run, step, line: str) -> bool:
        """A word that is an answer here, not a mistyped command."""
        return False

    # --- judging ------------------------------------------------------------------------------

    def answer(self, run, step, line: str) -> list[Message]:
        raise NotImplementedError(self.name)

    # --- revealing and explaining ---------------------------------------------------------------

    def answer_text(self, run, step) -> str:
        """The answer as a reveal or a skip says it."""
        from derivtutor.algebra import mathprinter
        from derivtutor.teaching import answers

        expected = run.expected(step)
        if isinstance(expected, answers.Computed):
            return expected.shown(both=True)
        return mathprinter.show(expected)

    def working(self, run, step) -> list[Message]:
        """Shown after a reveal: how the answer comes about."""
        return []

    def skipped(self, run, step) -> list[Message]:
        """Shown after a skip, before moving on."""
        return []

    def learned(self, run, step) -> None:
        """The step is over: what the learner now knows (a graph's revealed edge)."""

    def default_hints(self, run, step) -> list[str]:
        return [tr(self.hints[key], run.lang) for key in self.hints] if self.hints is not None else []

    def why(self, run, step) -> list[Message]:
        """`why` after this step, beyond the author's own sentence."""
        return []


def _anticipation(entry) -> bool:
    """{ answer = "…", say = "…" }: an anticipated answer and the author's sentence for it."""
    return (isinstance(entry, dict) and set(entry) == {"answer", "say"} and isinstance(entry["say"], str)
            and isinstance(entry["answer"], (str, int, float)) and not isinstance(entry["answer"], bool))


# --- pieces several kinds share -----------------------------------------------------------------

def J_of(step):
    """The step's J, read by the safe parser, and the variable to differentiate by."""
    from derivtutor.teaching import answers

    J = answers.expression(step.get("J"), "J")
    return J, answers.variable(J, step.get("wrt"))


def right(run) -> Message:
    return Message("feedback", tr(T["right"], run.lang), ok=True)


def right_number(run, expected, value, typed: str) -> Message:
    return Message("feedback", tr(T["right_number"], run.lang, value=as_typed(expected, value, typed)), ok=True)


def derivation(J, wrt, lang: str) -> list[Message]:
    """The working, rule by rule (a nicety: nothing when the steps engine cannot say it)."""
    from derivtutor.algebra.steps import derive  # outside the try: a broken import is a bug, not a nicety
    from derivtutor.algebra.steps_text import plain_lines

    try:
        lines = plain_lines(derive(J, wrt), lang)
    except Exception:  # the derivation is a nicety; the answer is already shown
        return []
    return [Message("say", tr(T["why_plain"], lang)), Message("block", block="\n".join(lines))]


def diagnosed(asked, answer, result, found, lang: str) -> list[Message]:
    """A wrong try's feedback: the author's own message for an anticipated answer first, then
    the step's diagnosis (a chain stopped early, a sign slip: diagnosis.py), else the checker's."""
    if found is None or question.anticipated(asked, answer):
        return result.messages
    return [Message("feedback", found.text(lang), ok=False)]


def error(err, lang: str) -> list[Message]:
    """A calculus or graph error (J undefined at the point, …) said as one sentence."""
    return [Message("error", sentence(err.localized(lang), lang))]


def as_typed(expected, value, typed: str) -> str:
    """The right number as the learner wrote it when they wrote exactly it as a decimal (2.4, not
    12/5 = 2.4); otherwise the expected one, with its decimal beside a fraction."""
    from derivtutor.algebra.mathnames import normalize
    from derivtutor.teaching import answers

    typed = normalize(typed)
    if "." in typed and question.is_plain_number(typed) and expected.exact is not None and value == expected.exact:
        return answers.decimal_text(value, any_denominator=True) or expected.shown(both=True)
    return expected.shown(both=True)


def short(x: float) -> str:
    """A float as people read it (6.001), next to which the full repr can be shown."""
    return figures(x)


def parses(line: str) -> bool:
    """The line is math the safe parser reads (so a word like `sin` is an answer, not a command)."""
    from derivtutor.algebra import mathinput
    from derivtutor.algebra.matherror import MathInputError

    try:
        mathinput.read(line)
        return True
    except MathInputError:
        return False


def check_point(step, saved, J, wrt) -> None:
    """J (and its difference quotient, with `eps`) can be computed at the step's point."""
    from derivtutor.algebra import calculus
    from derivtutor.teaching import answers

    at = answers.point(step.get("at"), saved)
    try:
        calculus.value(J, at)
        if "eps" in step.fields:
            calculus.forward_difference(J, wrt, at, float(step.get("eps")))
    except calculus.UndefinedAt as err:
        raise answers.StepInvalid(str(err), zh=err.localized("zh")) from None

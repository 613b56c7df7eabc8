"""One question, judged the same way wherever it is asked: a lesson, free play, review, practice.

The pipeline for one line a learner types as an answer:

    read (our own parser) → echo ("I read that as …") → judge (check.py) → the author's
    message for an anticipated answer → feedback (the corrected answer only when it is
    time to show it) → the try is counted → an `Outcome` for the score.

What is the same everywhere lives here; what differs (which question comes next, what is
said after it) stays with the session that asks. `Attempt.tries` counts every try the
learner made, the right one included; `outcome_of` turns what happened into one word.

Importing this module is light (no SymPy): the store uses `outcome_of`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from derivtutor.text.i18n import Catalog, tr
from derivtutor.text.messages import Message

if TYPE_CHECKING:  # the algebra loads lazily: the store and lesson loading use this module without SymPy
    from derivtutor.algebra import mathinput

MAX_TRIES = 3

# What happened to one question, for scores, summaries, export and review ratings.
FIRST_TRY = "first_try"      # right at the first try, no hint
AFTER_HELP = "after_help"    # right after a hint or a wrong try
MISSED = "missed"            # answered wrong and moved on (a prediction far off)
REVEALED = "revealed"        # tries ran out, or the last hint showed the answer
SKIPPED = "skipped"          # the learner typed `skip`
OUTCOMES = (FIRST_TRY, AFTER_HELP, MISSED, REVEALED, SKIPPED)

T = Catalog(__name__, 'T')


def outcome_of(correct: bool, tries: int, hints: int, revealed: bool = False, skipped: bool = False) -> str:
    """One word for what happened: skipped and revealed first, then right at once or after help."""
    if skipped:
        return SKIPPED
    if revealed:
        return REVEALED
    if not correct:
        return MISSED
    return FIRST_TRY if tries <= 1 and hints == 0 else AFTER_HELP


@dataclass(frozen=True)
class Anticipated:
    """A wrong answer the author expects, matched by equivalence, with the author's sentence."""

    answer: Any   # a SymPy expression
    message: str


@dataclass(frozen=True)
class Question:
    """What is asked. `asks` is "derivative" (of J by wrt), "number" or "expression"."""

    asks: str
    expected: Any = None                 # the expected answer (derivative: computed from J if None)
    J: Any = None
    wrt: Any = None
    point: dict = field(default_factory=dict)
    exact: bool = False                  # a number: a rounded decimal is not accepted
    tolerance: dict = field(default_factory=dict)
    anticipated: tuple[Anticipated, ...] = ()
    max_tries: int | None = MAX_TRIES    # None: as many tries as the learner likes (free play)


@dataclass
class Attempt:
    """The tries and hints spent on the current question (serialisable as two numbers)."""

    tries: int = 0
    hints: int = 0

    def out_of_tries(self, question: Question) -> bool:
        return question.max_tries is not None and self.tries >= question.max_tries

    def left(self, question: Question) -> int | None:
        return None if question.max_tries is None else question.max_tries - self.tries

    def outcome(self, correct: bool, revealed: bool = False, skipped: bool = False) -> str:
        return outcome_of(correct, self.tries, self.hints, revealed, skipped)


@dataclass(frozen=True)
class Outcome:
    """One judged try: the messages to show, and what it means for the score."""

    correct: bool
    messages: list
    verdict: Any = None            # check.Verdict
    final: bool = False            # this try used the last one: show the answer and move on


def read(line: str, lang: str, variables=None) -> tuple[mathinput.Reading | None, list[Message]]:
    """The learner's line through the safe parser, with the echo; or None and the error."""
    from derivtutor.algebra import mathinput
    from derivtutor.algebra.mathinput import MathInputError

    try:
        reading = mathinput.read(line, variables=tuple(sorted(variables)) if variables else None)
    except MathInputError as err:
        message = err.localized(lang) if hasattr(err, "localized") else err.message
        return None, [Message("error", message, block=err.caret())]
    echo = [Message("echo", tr(T["read_as"], lang, expr=reading.shown))]  # 0.1 stays 0.1
    echo += [Message("echo", note) for note in reading.localized_notes(lang)]
    return reading, echo


def typed_number(line: str) -> str:
    """The number as the learner wrote it, after any `name =` (rounding is judged on it)."""
    return line.split("=")[-1].strip()


def is_plain_number(text: str) -> bool:
    """No need to echo "I read that as 6" for a plain 6."""
    try:
        float(text)
        return True
    except ValueError:
        return False


def read_number(line: str, lang: str) -> tuple[Any, str, list[Message]]:
    """A constant the learner typed, with the text of the number itself; or None and why not."""
    reading, messages = read(line, lang)
    if reading is None:
        return None, "", messages
    if reading.expr.free_symbols or not reading.expr.is_number:
        return None, "", [Message("error", tr(T["need_number"], lang))]
    typed = typed_number(line)
    return reading.expr, typed, ([] if is_plain_number(typed) else messages)


def bare_name(expr) -> str | None:
    """`J` or `w` alone: a name is never a number or an answer to "what is J?"."""
    return expr.name if getattr(expr, "is_Symbol", False) else None


def judge(question: Question, answer, typed: str | None = None, lang: str = "en"):
    """The verdict of check.py for this kind of question (the exact engineer's decisions)."""
    from derivtutor.algebra import check

    if question.asks == "derivative":
        return check.check_derivative(question.J, answer, question.wrt, typed=typed, lang=lang)
    if question.asks == "expression":
        return check.check_expression(answer, question.expected, lang=lang)
    tol = question.tolerance or {}
    extra = {"exact": True} if question.exact else {}
    return check.check_number(answer, question.expected, rel_tol=tol.get("rel"), abs_tol=tol.get("abs"),
                              typed=typed, lang=lang, **extra)


def anticipated(question: Question, answer) -> Anticipated | None:
    """The author's anticipated answer this one is equivalent to, if any."""
    from derivtutor.algebra import check

    for expected in question.anticipated:
        try:
            if check.equivalent(answer, expected.answer).equal:
                return expected
        except Exception:  # noqa: BLE001 - an unmatched anticipation just falls back to the checker
            continue
    return None


def feedback(verdict, lang: str, reveal: bool, wrt=None) -> str:
    """The checker's sentence; before the answer may be shown, a diagnosis keeps the learner's
    answer and the mistake's name but not the corrected answer."""
    from derivtutor.algebra import mathinput

    if verdict.mistake is not None and not reveal and verdict.answer is not None:
        message = tr(verdict.mistake.message, lang, wrt=getattr(wrt, "name", wrt or "w"), point="")
        return tr(T["yours"], lang, message=message, yours=mathinput.show(verdict.answer))
    return verdict.localized(lang) if hasattr(verdict, "localized") else verdict.feedback


def respond(question: Question, attempt: Attempt, answer, typed: str | None, lang: str) -> Outcome:
    """Judge one try and count it. The caller adds hints / "try again" / the reveal."""
    attempt.tries += 1
    verdict = judge(question, answer, typed, lang)
    if verdict.correct:
        return Outcome(True, [Message("feedback", verdict.localized(lang), ok=True)], verdict)
    final = attempt.out_of_tries(question)
    authored = anticipated(question, answer)
    text = authored.message if authored else (feedback(verdict, lang, reveal=final, wrt=question.wrt) or tr(T["not_yet"], lang))
    return Outcome(False, [Message("feedback", text, ok=False)], verdict, final)

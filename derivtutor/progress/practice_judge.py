"""The one place practice and review cards judge an answer, through the question core.

`command` reads the lesson's command words (and their Chinese forms, one table in
`words`) before any maths is parsed, so `why` is never read as w·h·y; `judge` reads,
echoes and judges with `question` — the same read, echo, verdict and feedback policy
(no corrected answer before it is time) as a lesson. Both return plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from derivtutor.text import numbers
from derivtutor.text.i18n import Catalog, tr
from derivtutor.text.messages import Message
from derivtutor.algebra.mathnames import normalize
from derivtutor.text.words import LESSON_ALIASES, LESSON_COMMANDS, command_key
from derivtutor.teaching.question import is_plain_number, typed_number

PREDICT_REL = 0.05

TEXT = Catalog(__name__, 'TEXT')


@dataclass(frozen=True)
class Judgement:
    """What one line did: `correct` is None when it was not an attempt (a typo, not a number)."""

    correct: bool | None
    messages: list[Message] = field(default_factory=list)
    typed: str = ""


def command(line: str) -> str | None:
    """The lesson command a line is (`hint`, `why`, `skip`, `help`, `repeat`, `quit` …), in either language."""
    word = command_key(normalize(line))
    canonical = LESSON_ALIASES.get(word, word)
    return canonical if canonical in LESSON_COMMANDS else None


def judge(question, line: str, lang: str = "en") -> Judgement:
    """A practice question (`practice_gen.Question`) against the learner's line."""
    from derivtutor.algebra import cas, check, mathinput

    try:
        return _JUDGES[question.answer](question, line.strip(), lang)
    except mathinput.MathInputError as err:
        return Judgement(None, [Message("error", err.localized(lang), block=err.caret())])
    except (check.CheckError, cas.CasTimeout) as err:
        return Judgement(None, [Message("error", err.localized(lang))])


def _read(line: str, lang: str, variables=None):
    """The question core's read and echo; a line that does not parse raises, as `judge` expects."""
    from derivtutor.algebra import mathinput
    from derivtutor.teaching import question

    mathinput.read(line, variables=tuple(sorted(variables)) if variables else None)  # raises the caret error
    return question.read(line, lang, variables)


def _number(line: str, lang: str):
    """(value, echo) for a constant, or (None, messages) when the line is not one."""
    reading, echo = _read(line, lang)
    if reading.expr.free_symbols or not reading.expr.is_number:
        from derivtutor.teaching.question import T as QUESTION_TEXT  # the same sentence a lesson says

        return None, [Message("error", tr(QUESTION_TEXT["need_number"], lang))]
    return reading.expr, ([] if is_plain_number(typed_number(line)) else echo)


def _derivative(q, line: str, lang: str) -> Judgement:
    from derivtutor.teaching import question

    reading, echo = _read(line, lang, {s.name for s in q.J.free_symbols} | {q.wrt.name})
    if reading.form == "diff":
        return Judgement(None, echo + [Message("say", tr(TEXT["ask_sympy"], lang))])
    asked = question.Question("derivative", J=q.J, wrt=q.wrt)
    return _judged(asked, reading.expr, echo, line, lang)


def _exact_number(q, line: str, lang: str) -> Judgement:
    from derivtutor.teaching import question

    value, echo = _number(line, lang)
    if value is None:
        return Judgement(None, echo)
    return _judged(question.Question("number", expected=q.expected), value, echo, line, lang)


def _judged(asked, answer, echo: list[Message], line: str, lang: str) -> Judgement:
    """The question core's verdict as a judgement: the echo, then its feedback (the corrected
    answer is the session's to show, when tries run out, on the last hint or on `skip`)."""
    from derivtutor.teaching import question

    verdict = question.judge(asked, answer, typed_number(line), lang)
    text = question.feedback(verdict, lang, reveal=False, wrt=asked.wrt) if not verdict.correct \
        else verdict.localized(lang)
    return Judgement(verdict.correct, echo + [Message("feedback", text, ok=verdict.correct)], typed_number(line))


def _predict(q, line: str, lang: str) -> Judgement:
    from derivtutor.algebra import calculus, mathinput

    value, echo = _number(line, lang)
    if value is None:
        return Judgement(None, echo)
    p, exact = float(value), float(q.expected)
    k = calculus.forward_difference(q.J, q.wrt, q.at, float(q.eps))
    close = abs(p - exact) <= PREDICT_REL * max(abs(exact), 1e-12)
    text = (tr(TEXT["predict_close"], lang, w=q.wrt.name, exact=mathinput.show(q.expected), k=repr(k)) if close
            else tr(TEXT["predict_far"], lang, off=numbers.figures(abs(p - exact), 4)))
    return Judgement(close, echo + [Message("feedback", text, ok=close)], typed_number(line))


def _choice(q, line: str, lang: str) -> Judgement:
    from derivtutor.progress import practice_gen

    text = line.strip().rstrip(".。")
    options = [practice_gen.eps_text(e) for e in q.options]
    index = int(text) if text.isdigit() and 1 <= int(text) <= len(options) else (
        options.index(text) + 1 if text in options else None)
    if index is None:
        return Judgement(None, [Message("error", tr(TEXT["need_choice"], lang, n=len(options)))])
    err = practice_gen.forward_error(q.J, q.wrt, q.at, q.options[index - 1], q.central)
    right = index == int(q.expected)
    key = "right_choice" if right else "wrong_choice"
    return Judgement(right, [Message("feedback", tr(TEXT[key], lang, eps=options[index - 1], err=numbers.figures(err, 2)), ok=right)],
                     text)


_JUDGES = {"derivative": _derivative, "number": _exact_number, "predict": _predict, "choice": _choice}

"""What the lab console says: one sentence for each refusal or error of the lab interpreter.

Shared by `derivtutor lab` (lab_session) and the lessons' code steps (code_step), so a line
refused in a lesson reads exactly as it does in the console. The interpreter's errors live
here with their sentences (TEXT): each is a TutorError whose `localized` is that sentence.
"""

from __future__ import annotations

from typing import Any

from derivtutor.text import i18n, safe_text
from derivtutor.text.errors import TutorError
from derivtutor.text.messages import Message
from derivtutor.text.i18n import Catalog

VERBATIM = {"verbatim": True}  # Python's own output: the renderer keeps its ASCII minus signs


def output_messages(printed: str, shown: str | None) -> list[Message]:
    """What the console prints for a line, as Python would: the printed lines, then its value."""
    out = []
    if printed:
        out.append(Message("block", block=safe_text.clean(printed.removesuffix("\n")), data=VERBATIM))
    if shown is not None:
        out.append(Message("block", block=safe_text.clean(shown), data=VERBATIM))
    return out


TEXT = Catalog(__name__, 'TEXT')


class LabProblem(TutorError):
    """What stopped a typed line, said as the console says it (names in it cleaned)."""

    table = TEXT

    def localized(self, lang: str | None = None) -> str:
        return say(self.code, lang, **self.fields)


class Refused(LabProblem):
    """The line is outside what this console runs; nothing of it was run. `what` names the piece."""


class LabError(LabProblem):
    """The line ran and Python (or SymPy) would have stopped with an error: said in one sentence."""


class NotNeeded(LabProblem):
    """numpy, tensorflow, matplotlib, %magics: the labs use them, this console does not need them."""

    def __init__(self, what: str):
        super().__init__("not_needed", what=what)
        self.what = what


def python_error(err: Exception) -> LabError:
    """Python's (or SymPy's) own error in a function or an operator the line called, as a LabError."""
    if isinstance(err, ZeroDivisionError):
        return LabError("zero")
    if isinstance(err, OverflowError):
        return LabError("overflow")
    if isinstance(err, RecursionError):
        return LabError("too_big")
    return LabError("python", kind=type(err).__name__, detail=str(err)[:200])


def failure(err: Exception) -> LabProblem:
    """What stopped a line in the interpreter, as a LabProblem: a library the labs import but this
    console does not need, a refusal, Python's own error, a line too deep or too big. Shared by
    the console, the code steps and the lint of their setup."""
    if isinstance(err, LabProblem):
        return err
    if isinstance(err, RecursionError):
        return Refused("nested")
    if isinstance(err, MemoryError):
        return LabError("too_big")
    return LabError("python", kind=type(err).__name__, detail=str(err)[:200])


def say(code: str, lang: str | None, **fields: Any) -> str:
    """The sentence for a refusal or an error, in the learner's language, with names cleaned."""
    # a field in both languages (Forms) is said in `lang`, not in the process's current language
    fields = {k: safe_text.clean(i18n.tr(v, lang) if isinstance(v, dict) else str(v), keep_layout=False)
              for k, v in fields.items()}
    return i18n.tr(TEXT[code], lang, runs=i18n.tr(TEXT["runs"], lang), **fields)

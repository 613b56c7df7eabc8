"""What the lab console says: one sentence for each refusal or error of the lab interpreter.

Shared by `derivtutor lab` (lab_session) and the lessons' code steps (code_step), so a line
refused in a lesson reads exactly as it does in the console.
"""

from __future__ import annotations

from typing import Any

from derivtutor.text import i18n, safe_text
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


RUNS = {
    "en": "assignments, arithmetic, comparisons, print with f-strings, round, abs, min, max, and SymPy's "
          "symbols, Symbol, diff, .subs, .evalf, simplify, expand, factor, sin, cos, exp, log, sqrt, pi and E",
    "zh": "赋值、算术、比较、带 f-string 的 print、round、abs、min、max，以及 SymPy 的 "
          "symbols、Symbol、diff、.subs、.evalf、simplify、expand、factor、sin、cos、exp、log、sqrt、pi 和 E",
}

TEXT = Catalog(__name__, 'TEXT')


def failure(err: Exception) -> tuple[str, dict]:
    """The sentence (its key and fields) for what stopped a line in the interpreter: a library
    the labs import but this console does not need, a refusal, Python's own error, a line too
    deep or too big. Shared by the console, the code steps and the lint of their setup."""
    from derivtutor.interpreter import lab_interp

    if isinstance(err, lab_interp.NotNeeded):
        return "not_needed", {"what": err.what}
    if isinstance(err, (lab_interp.Refused, lab_interp.LabError)):
        return err.code, err.fields
    if isinstance(err, RecursionError):
        return "nested", {}
    if isinstance(err, MemoryError):
        return "too_big", {}
    return "python", {"kind": type(err).__name__, "detail": str(err)[:200]}


def say(code: str, lang: str, **fields: Any) -> str:
    """The sentence for a refusal or an error, in the learner's language, with names cleaned."""
    fields = {k: safe_text.clean(str(v), keep_layout=False) for k, v in fields.items()}
    return i18n.tr(TEXT[code], lang, runs=i18n.tr(RUNS, lang), **fields)

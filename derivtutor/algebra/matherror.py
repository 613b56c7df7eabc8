"""MathInputError: the one error of reading math, with the column it points at and a caret.

The lexer raises it for characters, the parser for grammar and names, the bounds for sizes;
every caller of `mathinput.read` catches it. It lives apart from all of them so that each
imports one small module, and its sentences come from `mathnames.MESSAGES`.
"""

from __future__ import annotations

import unicodedata

from derivtutor.algebra.mathnames import MESSAGES
from derivtutor.text import columns, safe_text
from derivtutor.text.errors import TutorError
from derivtutor.text.i18n import tr

QUOTED = 60  # characters of the learner's text a message quotes (the caret line shows the rest)


class MathInputError(TutorError, ValueError):
    """Text that could not be read: where (column), why (code, message), and a caret to show it."""

    def __init__(self, code: str, text: str, column: int, key: str | None = None, **fields: object):
        self.text = text
        self.column = max(0, min(column, len(text)))
        self.key = key or code  # the sentence: codes that share one name it apart from the code
        # Fields quote the learner's text: one short, visible line each, never a whole 1 MB paste.
        super().__init__(code, **{k: safe_text.quote(v, QUOTED) if isinstance(v, str) else v
                                  for k, v in fields.items()})

    def localized(self, lang: str | None = None) -> str:
        """The sentence in the learner's language ("en" or "zh")."""
        return tr(MESSAGES[self.key], lang, **self.fields)

    def caret(self) -> str:
        """Two lines: the input (windowed when long), then ``^`` under the column."""
        line = "".join(_visible(c) for c in self.text)
        col = self.column
        if len(line) > 76:
            lo = max(0, min(col - 38, len(line) - 76))
            hi = lo + 76
            head = "…" if lo else ""
            line = head + line[lo:hi] + ("…" if hi < len(line) else "")
            col = col - lo + len(head)
        return line + "\n" + " " * columns.width(line[:col]) + "^"

    def __reduce__(self):
        return (_rebuild_error, (self.code, self.text, self.column, self.key, self.fields))


def _rebuild_error(code, text, column, key, fields):
    return MathInputError(code, text, column, key, **fields)


def _visible(ch: str) -> str:
    return "\ufffd" if unicodedata.category(ch) in ("Cc", "Cf", "Cs") else ch

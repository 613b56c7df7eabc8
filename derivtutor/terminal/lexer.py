"""A Pygments lexer for the tutor's math notation, so math reads the same everywhere.

The same lexer colours math spans in tutor messages (render) and the learner's
line as they type (shell, through prompt_toolkit's PygmentsLexer). It only
colours text: it never decides what the text means (that is mathinput's job).
"""

from __future__ import annotations

import re

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import Keyword, Name, Number, Operator, Punctuation, Text, Whitespace

from derivtutor.algebra import mathnames
from derivtutor.text.words import ALL_COMMANDS

# Names come from the parser's own tables (pure data), so what is coloured as a
# function is exactly what mathinput accepts as one.
FUNCTIONS = tuple(mathnames.FUNCTIONS)  # canonical names: what Tab offers
_FUNCTION_WORDS = FUNCTIONS + tuple(mathnames.FUNCTION_ALIASES) + ("subs",)
CONSTANTS = tuple(mathnames.CONSTANTS)

# Words the tutor understands at any prompt (lessons/README.md, "Learner commands").
COMMANDS = ALL_COMMANDS  # lesson and free-play commands, coloured alike

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺"


class MathLexer(RegexLexer):
    """Numbers, variables, functions, operators and derivative marks like dJ/dw."""

    name = "derivtutor math"
    aliases = ["derivtutor-math"]
    flags = re.MULTILINE | re.UNICODE

    tokens = {
        "root": [
            # A command alone on its line ("hint", "  why ") is not math.
            (r"^([ \t]*)(%s)(?=\s*$)" % "|".join(COMMANDS), bygroups(Whitespace, Keyword)),
            (r"\s+", Whitespace),
            # Leibniz marks: d/dw, dJ/dw, ∂J/∂w, ∂/∂w (before names swallow the "d").
            (r"[d∂][^\W\d_]?\w*\s*/\s*[d∂][^\W\d_]\w*", Name.Builtin),
            (r"(?:\d+\.?\d*|\.\d+)(?:[eE][+\-−]?\d+)?", Number),
            ("[%s]+" % _SUPERSCRIPTS, Number),
            (words(sorted(_FUNCTION_WORDS, key=len, reverse=True), suffix=r"\b"), Name.Function),
            (words(CONSTANTS, suffix=r"(?!\w)"), Name.Constant),
            (r"[^\W\d_][^\W%s]*'*" % _SUPERSCRIPTS, Name.Variable),
            (r"\*\*|[-+*/^=·×÷−<>≈≤≥!|]", Operator),
            (r"[()\[\],;.]", Punctuation),
            (r".", Text),
        ]
    }


_LEXER: MathLexer | None = None


def lexer() -> MathLexer:
    """One shared instance: building a RegexLexer compiles its patterns."""
    global _LEXER
    if _LEXER is None:
        _LEXER = MathLexer(stripnl=False, ensurenl=False)
    return _LEXER


def tokens(text: str) -> list[tuple[object, str]]:
    """(Pygments token, text) pairs covering `text` exactly, with nothing added."""
    return [(tok, value) for tok, value in lexer().get_tokens(text) if value]


def classname(token: object) -> str:
    """Token.Literal.Number -> "pygments.literal.number", the class prompt_toolkit uses too."""
    return ".".join(("pygments",) + tuple(token)).lower()  # type: ignore[arg-type]

"""Where a line may break, for Chinese and English alike (the kinsoku rules, simply).

No line starts with closing punctuation (，。）” …) and none ends with opening
punctuation (（“《 …); wide characters may break between each other; a short formula is
kept whole by gluing its spaces with GLUE, which `render.wrap` turns back into spaces.
"""

from __future__ import annotations

import unicodedata

NO_BREAK_BEFORE = frozenset("，。、；：！？）」』》】〕〉”’…—～,.;:!?)]}%")
NO_BREAK_AFTER = frozenset("（「『《【〔〈“‘([{")
GLUE = "\u00a0"  # a space inside a formula: never a break
MAX_GLUED = 30  # a longer formula may still break at its spaces (it would not fit anyway)


def wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def can_break(prev: str, ch: str) -> bool:
    """May a line break between `prev` and `ch`?"""
    if not prev:
        return False
    if ch == "\n" or prev == "\n":
        return True
    if GLUE in (prev, ch):
        return False
    if ch in NO_BREAK_BEFORE or prev in NO_BREAK_AFTER:
        return False
    if ch.isspace() or prev.isspace():
        return True
    return wide(ch) or wide(prev)


def glue(formula: str) -> str:
    """A formula's spaces made unbreakable (render glues formulas up to MAX_GLUED long)."""
    return formula.replace(" ", GLUE)


def unglue(text: str) -> str:
    return text.replace(GLUE, " ")

"""Where a line may break, for Chinese and English alike (the kinsoku rules, simply).

No line starts with closing punctuation (，。）” …) and none ends with opening
punctuation (（“《 …); wide characters may break between each other; a short formula is
kept whole by gluing its spaces with GLUE, which `render.wrap` turns back into spaces.
"""

from __future__ import annotations

import re
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


OPERATORS = frozenset("=≈≠<>≤≥+−-·×/→←")
_ITEM = re.compile(r"( *)((?:\d+\.|[•]) )")
_COLUMNS = re.compile(r"( +)(.*\S {2,})(?=\S)")  # an indented table row: "  提示    hint    text"


def glue_formulas(text: str) -> str:
    """Prose with its unmarked formulas kept whole: the spaces around an operator ("J = w**2",
    "3 + 0.001") and after a comma inside parentheses ("J(w, b)") are glued, as long as the
    formula they join is at most MAX_GLUED columns (a longer one may break at its spaces)."""
    chars = list(text)
    depth = 0
    for i, ch in enumerate(chars):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == " " and 0 < i < len(chars) - 1:
            before, after = chars[i - 1], chars[i + 1]
            if before.isspace() or after.isspace() or wide(before) or wide(after):
                continue
            if before in OPERATORS or after in OPERATORS or (depth and before == ","):
                chars[i] = GLUE
    out, run = [], []
    for ch in chars + [" "]:  # a run: narrow characters between spaces or wide ones
        if ch == " " or ch == "\n" or wide(ch):
            piece = "".join(run)
            out.append(piece if len(piece) <= MAX_GLUED else unglue(piece))
            run = []
            out.append(ch)
        else:
            run.append(ch)
    return "".join(out[:-1])


def hanging(line: str) -> tuple[int, int]:
    """A list item's indent and the column its wrapped lines hang at ("  1. text": 2 and 5; a
    table row "  提示    hint    text" hangs under its last column), else (0, 0)."""
    match = _ITEM.match(line) or _COLUMNS.match(line)
    if not match:
        return 0, 0
    return len(match.group(1)), sum(2 if wide(ch) else 1 for ch in match.group(0))


def glue_prose(text: str) -> str:
    """Marked-up prose with its unmarked formulas and short `code` spans made unbreakable
    ($math$ is glued where it is drawn)."""
    from derivtutor.text.markup import spans

    out = []
    for kind, content in spans(text):
        if kind == "math":
            out.append(f"${content}$")
        elif kind == "code":
            out.append(f"`{glue(content) if len(content) <= MAX_GLUED else content}`")
        else:
            out.append(glue_formulas(content))
    return "".join(out)

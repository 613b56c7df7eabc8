"""One cap on how long a typed line may be, checked before any parsing.

A 1 MB one-word line took 38 s in free play and came back whole in the error message.
Nothing a learner means is longer than a few hundred characters, so a longer line gets
one sentence that says how long it was, and is never parsed, echoed or stored.
"""

from __future__ import annotations

from derivtutor.text.i18n import tr
from derivtutor.text.messages import Message

MAX_LINE = 2000  # characters

TEXT = {
    "en": "That line is {length} characters long; I read lines of at most {most}. "
          "Please type something shorter.",
    "zh": "这一行有 {length} 个字符；我最多只读 {most} 个字符的一行。请输入短一些的内容。",
}


def refuse(line: str, lang: str) -> list[Message] | None:
    """[the error message] when line is over MAX_LINE characters, else None."""
    if len(line) <= MAX_LINE:
        return None
    return [Message("error", tr(TEXT, lang, length=f"{len(line):,}".replace(",", " "), most=MAX_LINE))]

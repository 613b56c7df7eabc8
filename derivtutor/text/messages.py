"""What the tutor says, as data: the runner returns these and the shell renders them.

Prose may mark inline math as ``$...$`` and code as ```...```; the shell
highlights those spans and plain mode prints them without the markers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The kinds a renderer must handle. Unknown kinds render as "say".
KINDS = (
    "say",       # tutor prose
    "question",  # the prompt the learner is answering now
    "math",      # a displayed formula: text is one line, expr (SymPy) may be pretty-printed in 2-D
    "echo",      # "I read that as 3·w²"
    "feedback",  # verdict on an answer; ok tells right from wrong
    "hint",
    "error",     # bad input: text is the sentence, block holds the caret lines
    "progress",  # "step 3 of 18"
    "block",     # preformatted text (tables, graphs, plots) printed as is
)


@dataclass(frozen=True)
class Message:
    kind: str
    text: str = ""
    ok: bool | None = None
    block: str | None = None  # preformatted lines (caret, table, graph, plot)
    expr: Any = None  # a SymPy expression to pretty-print, when kind == "math"
    data: dict = field(default_factory=dict)  # extra machine-readable facts (numbers, step ids)

    def plain(self) -> str:
        """The message as plain text: what a pipe or a screen reader gets."""
        from derivtutor.text.markup import strip_markup

        parts = [strip_markup(self.text)] if self.text else []
        if self.block:
            parts.append(self.block)
        return "\n".join(parts)

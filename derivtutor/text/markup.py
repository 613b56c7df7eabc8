"""The tiny inline markup of tutor prose: $math$ and `code` spans."""

from __future__ import annotations

import re

SPAN = re.compile(r"(\$[^$\n]+\$|`[^`\n]+`)")


def spans(text: str) -> list[tuple[str, str]]:
    """Split prose into ("text" | "math" | "code", content) pieces."""
    out: list[tuple[str, str]] = []
    for piece in SPAN.split(text):
        if not piece:
            continue
        if piece.startswith("$") and piece.endswith("$") and len(piece) > 1:
            out.append(("math", piece[1:-1]))
        elif piece.startswith("`") and piece.endswith("`") and len(piece) > 1:
            out.append(("code", piece[1:-1]))
        else:
            out.append(("text", piece))
    return out


def strip_markup(text: str) -> str:
    """Drop the $ markers around math; keep backticks around code (they read well in plain text)."""
    return "".join(f"`{c}`" if k == "code" else c for k, c in spans(text))

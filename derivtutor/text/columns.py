"""Terminal columns: how wide text is on screen, and padding to a width.

One measure for the whole tutor, and the same one prompt_toolkit draws with (wcwidth, already
its dependency), so a table we pad lines up in the REPL exactly as in a pipe: CJK and
full-width characters take two columns, combining marks none.
"""

from functools import lru_cache

from wcwidth import wcwidth


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    """Columns of one character; a control character (shown as a replacement) takes one."""
    w = wcwidth(ch)
    return 1 if w < 0 else w


def width(text: str) -> int:
    """Columns of `text` on a terminal."""
    return sum(char_width(ch) for ch in text)


EIGHTHS = " ▏▎▍▌▋▊▉█"  # a cell filled from the left in eighths
BAR_WIDTH = 20          # progress bars, lessons and skills alike


def bar(fraction: float, cols: int = BAR_WIDTH) -> str:
    """A Unicode bar `cols` columns wide, filled to `fraction` in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, fraction)) * cols * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (EIGHTHS[part] if part else "")
    return text + " " * (cols - len(text))


def pad(text: str, cols: int) -> str:
    """`text` followed by spaces up to `cols` columns (never cut)."""
    return text + " " * max(0, cols - width(text))

"""Text from lesson files and learners made safe to print: no terminal control sequences.

A lesson file or a typed line may hold ESC, BEL, C1 controls or bidirectional overrides;
printed raw they set the window title (OSC 0), write the clipboard (OSC 52), clear the
screen (CSI 2J) or reorder what the learner reads. `clean` makes each one visible instead
(ESC becomes ␛), keeping the newline and tab that layout needs. Pure Python, no imports
beyond the standard library: render, the CLI and lint all call it.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
QUOTE_LIMIT = 40  # characters of a learner's text quoted back in a message

# C0 controls show as their Control Pictures (␛ for ESC, ␇ for BEL), DEL as ␡; C1 controls,
# bidirectional overrides/isolates and lone surrogates have no picture and show as �.
_TABLE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
_TABLE[0x7F] = "\u2421"
_TABLE.update({code: REPLACEMENT for code in range(0x80, 0xA0)})
_TABLE.update({code: REPLACEMENT for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})
_TABLE.update({code: REPLACEMENT for code in range(0xD800, 0xE000)})


def _ranges(codes: list[int]) -> str:
    """A character class body of runs ("\\x00-\\x1f…"): a few ranges compile in microseconds,
    where two thousand single characters cost milliseconds of every start-up."""
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in runs)


_UNSAFE = re.compile("[" + _ranges(sorted(_TABLE)) + "]")


def _table(keep: str) -> dict[int, str]:
    table = dict(_TABLE)
    for ch in keep:
        table.pop(ord(ch), None)
    return table


_KEEP_LAYOUT = _table("\n\t")
_KEEP_NOTHING = _table("")


def clean(text: str, keep_layout: bool = True) -> str:
    """`text` with every control character made visible; "\\n" and "\\t" kept unless told not to."""
    if not isinstance(text, str):
        text = str(text)
    if not _UNSAFE.search(text):
        return text  # the usual case: nothing to copy
    return text.translate(_KEEP_LAYOUT if keep_layout else _KEEP_NOTHING)


def quote(text: str, limit: int = QUOTE_LIMIT) -> str:
    """A learner's text as a message quotes it: one line, controls visible, at most `limit` characters."""
    shown = clean(text[: limit + 1], keep_layout=False)  # one for one: cut first, a 1 MB paste stays cheap
    return shown if len(shown) <= limit else shown[: max(limit - 1, 1)] + "…"


# TOML spells a control character as an escape inside a "basic" string: \u001b, \U0000001B, \b, \f, \r.
_ESCAPE = re.compile(r'\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[bfr])')
_SHORT = {"b": 0x08, "f": 0x0C, "r": 0x0D}

LINT_MESSAGE = {
    "en": "control character {codepoint} in the text: it could move the cursor, retitle or clear the "
          "learner's terminal; remove it",
    "zh": "文本里有控制字符 {codepoint}：它可能移动光标、改写终端标题或清屏；请删除它",
}


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _escaped_code(match: re.Match) -> int:
    body = match.group(1)
    return _SHORT[body] if body in _SHORT else int(body[1:], 16)


def lesson_controls(text: str) -> list[tuple[int, str]]:
    """(line, codepoint) for each control character a lesson file's strings would hold once loaded.

    The loaded values decide (a `\\b` in a 'literal string' is two harmless characters); the
    line is where the escape that produces it is written.
    """
    from derivtutor.text import toml

    try:
        data = toml.loads(text)
    except (toml.TOMLDecodeError, RecursionError):
        return []  # the loader reports a file that is not TOML
    loaded = {ch for value in _strings(data) for ch in value if ord(ch) in _KEEP_LAYOUT}
    if not loaded:
        return []
    found: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), 1):
        for match in _ESCAPE.finditer(line):
            code = _escaped_code(match)
            if code < 0x110000 and chr(code) in loaded:
                found.append((number, f"U+{code:04X}"))
    return found or [(1, f"U+{ord(min(loaded)):04X}")]

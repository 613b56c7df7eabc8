"""The keys a learner types while the tutor is busy, and Ctrl-C while it works.

Between prompts the terminal's echo and line editing are off (`echo_off`), so keys wait
in its buffer instead of landing beside the spinner; `typed_lines` takes them out and
`as_typed` turns them into the text they type. Ctrl-C arrives as SIGINT then, and
`catch_sigint` turns it into an event for the waiting loop.
"""

from __future__ import annotations

import os
import re
from typing import Any, Callable


def echo_off(stream: Any) -> Callable[[], None]:
    """Turn off the terminal's own echo and line editing for the chat; returns what turns them back on.

    prompt_toolkit draws the keys in the prompt itself, but between prompts (while the
    tutor works) the terminal would echo them where the cursor is: beside "⠸ thinking…",
    or above the next question, where erasing the spinner's line cannot reach them. Without
    line editing every key, Ctrl-D too, waits as it is for the next prompt (a line-mode
    Ctrl-D would be an end-of-file the prompt never sees). Ctrl-C still stops the work (ISIG stays).
    """
    try:
        import termios

        fd = stream.fileno()
        saved = termios.tcgetattr(fd)
        quiet = list(saved)
        quiet[3] &= ~(termios.ECHO | termios.ICANON)  # lflag
        quiet[6] = list(quiet[6])
        quiet[6][termios.VMIN], quiet[6][termios.VTIME] = 1, 0
        termios.tcsetattr(fd, termios.TCSANOW, quiet)  # TCSANOW: keys already typed are kept
    except Exception:  # noqa: BLE001 - not a terminal (a pipe in tests), or no termios
        return lambda: None

    def restore() -> None:
        try:
            termios.tcsetattr(fd, termios.TCSANOW, saved)
        except Exception:  # noqa: BLE001 - the terminal went away
            pass

    return restore


def typed_lines(stream: Any) -> str:
    """The keys typed while the tutor worked, taken out of the terminal as they came."""
    import select

    try:
        fd = stream.fileno()
        if not os.isatty(fd):
            return ""
        data = b""
        while len(data) < 65536 and select.select([fd], [], [], 0)[0]:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            data += chunk
    except Exception:  # noqa: BLE001 - no terminal to read: nothing was typed ahead
        return ""
    return data.decode("utf-8", "replace")


def as_typed(keys: str) -> str:
    """Raw keys as the text they type: Enter a newline, Ctrl-D kept as \\x04, Backspace
    applied, arrow keys and other controls dropped."""
    text = re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b.?", "", keys)
    kept: list[str] = []
    for ch in text:
        if ch in "\x7f\x08":
            if kept and kept[-1] not in "\r\n":
                kept.pop()
        elif ch in "\r\n\x04" or ch.isprintable():
            kept.append(ch)
    return "".join(kept)


def catch_sigint(loop: Any, callback: Callable) -> bool:
    """Route Ctrl-C to `callback` while the tutor works; False where signals cannot be caught."""
    import signal

    try:
        loop.add_signal_handler(signal.SIGINT, callback)
    except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
        return False
    return True


def release_sigint(loop: Any) -> None:
    import signal

    loop.remove_signal_handler(signal.SIGINT)

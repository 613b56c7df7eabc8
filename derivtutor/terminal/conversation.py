"""What the plain loop and the REPL share: the quit words, the goodbye, and the crash log.

Both loops say the same sentences when an answer breaks, when the runner fails to load or
when the learner leaves early; a traceback goes to the log file, never to the screen.
"""

from __future__ import annotations

import time
from pathlib import Path

from derivtutor.text import i18n
from derivtutor.text.i18n import Catalog
from derivtutor.text.messages import Message
from derivtutor.text.session import Session

QUIT_WORDS = ("quit", "exit", "q", "退出")
LOG_NAME = "derivtutor.log"

TEXT = Catalog(__name__, 'TEXT')


def note(table: Catalog, key: str, lang: str, kind: str = "say", **fields: object) -> Message:
    """The sentence `key` of a shell module's `table`, as a Message of `kind`."""
    return Message(kind, i18n.tr(table[key], lang, **fields))


def data_dir() -> Path:
    """Where history and the crash log live: the progress store's folder (DERIVTUTOR_HOME wins)."""
    from derivtutor.progress.store import default_home

    return default_home()


def crash_log(error: BaseException | None = None, where: str = "") -> Path:
    """Append the traceback to the log file in the data dir (or the temp dir); return its path."""
    import tempfile
    import traceback

    text = "".join(traceback.format_exception(type(error), error, error.__traceback__)) if error else ""
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    for folder in (data_dir, lambda: Path(tempfile.gettempdir())):
        try:
            path = folder() / LOG_NAME
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as f:
                f.write(f"--- {stamp} {where}\n{text}\n")
            return path
        except OSError:
            continue
    return Path(LOG_NAME)


def is_quit(line: str) -> bool:
    return line.strip().lower() in QUIT_WORDS


def stopping(lang: str) -> Message:
    """Ctrl-C reached the work under way."""
    return note(TEXT, "stopping", lang, "progress")


def answer_broke(err: BaseException, lang: str) -> Message:
    """An answer failed inside the tutor: a bug, logged; the learner reads one sentence."""
    return note(TEXT, "answer_broke", lang, "error", path=crash_log(err, "answer"))


def load_broke(err: BaseException, lang: str) -> Message:
    """The runner (and SymPy under it) failed to import: the lesson cannot go on."""
    return note(TEXT, "load_broke", lang, "error", error=type(err).__name__,
                path=crash_log(err, "loading the runner"))


def farewell(session: Session, lang: str, saving: bool) -> list[Message]:
    """What to say when the learner leaves (quit, Ctrl-D, end of input) before the end.

    A session may say it itself (free play has nothing to resume; review sums up);
    `saving` is whether the store keeps the learner's place."""
    if session.done:
        return []
    custom = session.farewell()
    if custom is not None:
        return list(custom)
    return [note(TEXT, "saved" if saving else "bye", lang, "progress")]

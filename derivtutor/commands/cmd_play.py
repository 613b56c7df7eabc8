"""`derivtutor play`: free play in the shell, with the progress store for `save`.

The session (play.py) knows nothing of terminals or files; this command wires it to the
shell and the store, so the content layer never reaches up to either.
"""

from __future__ import annotations

from typing import Any


def run(ns: Any) -> int:
    from derivtutor.text import i18n
    from derivtutor.play.play import PlaySession
    from derivtutor.terminal.saving import EventRecorder
    from derivtutor.terminal.shell import run_session, wants_plain
    from derivtutor.progress.store import Store

    lang = getattr(ns, "lang", None) or i18n.language()
    store = Store.open(lang=lang)
    try:
        session = PlaySession(lang=lang, store=store, plain=wants_plain(ns))
        return int(run_session(session, ns, EventRecorder(store)) or 0)
    finally:
        store.close()

"""`derivtutor lab`: the lab console in the shell (a REPL in a terminal, one line per answer in a pipe)."""

from __future__ import annotations

from typing import Any


def run(ns: Any) -> int:
    from derivtutor.text import i18n
    from derivtutor.lab.lab_session import LabSession
    from derivtutor.terminal.shell import run_session

    lang = getattr(ns, "lang", None) or i18n.language()
    return int(run_session(LabSession(lang=lang), ns, persist=lambda session: []) or 0)

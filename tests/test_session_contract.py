"""Every conversation keeps the one contract the shell is written against (derivtutor.text.session),
so the shell asks each the same questions instead of probing with getattr."""

import inspect
import re
from pathlib import Path

import pytest

from derivtutor.teaching import lessons
from derivtutor.text import session
from derivtutor.terminal import conversation, loader, plain, repl, saving, shell, toolbar
from derivtutor.lab.lab_session import LabSession
from derivtutor.terminal.loader import PendingRunner
from derivtutor.play.play import PlaySession
from derivtutor.progress.practice import PracticeSession
from derivtutor.teaching.runner import Runner

MEMBERS = [name for name in session.Session.__annotations__] + [
    name for name, _ in inspect.getmembers(session.Session, inspect.isfunction) if not name.startswith("_")]


def sessions():
    lesson = lessons.find("lesson1")
    return {"lesson": Runner(lesson), "free play": PlaySession(), "practice": PracticeSession("power"),
            "lab": LabSession(), "loading lesson": PendingRunner(lesson, None, "en", [])}


@pytest.mark.parametrize("name", list(sessions()))
def test_each_session_has_every_member_of_the_contract(name):
    s = sessions()[name]
    assert isinstance(s, session.SessionParts)
    missing = [m for m in MEMBERS if not hasattr(s, m)]
    assert not missing, missing
    assert isinstance(s.abandon(), bool) and isinstance(s.cancel(), bool)


def test_the_shell_and_toolbar_never_probe_a_session():
    for module in (shell, repl, plain, saving, conversation, loader, toolbar):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert not re.search(r"(getattr|hasattr)\((self\.)?session\b", source), module.__name__


def test_a_lesson_and_free_play_can_drop_a_given_up_line_and_the_lab_cannot():
    s = sessions()
    assert s["lesson"].abandon() and s["free play"].abandon()
    assert not s["lab"].abandon() and not s["loading lesson"].abandon()  # nothing loaded yet to drop

"""A saved lesson state that was damaged on disk: the lesson resumes at a sane place or starts over, with a note."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from derivtutor.teaching import lessons
from derivtutor.teaching.runner import Runner
from derivtutor.progress.store import Store

LESSON1 = lessons.find("lesson1")
DEMO = lessons.load(Path(__file__).parent / "data" / "demo.toml")


def resume(home, state, lines, lang="en"):
    """Save `state` for lesson 1 as a damaged store would hold it, then `start lesson1` and type `lines`."""
    with Store.open(home) as s:
        s.save_state("lesson1", state, 4, 24)
    environ = {**os.environ, "DERIVTUTOR_HOME": str(home), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "derivtutor", "--lang", lang, "start", "lesson1", "--plain"],
                          input="".join(f"{line}\n" for line in lines), capture_output=True, text=True,
                          env=environ, timeout=90)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr and "went wrong" not in done.stdout
    assert "could not load" not in done.stdout
    return re.sub(r"\n {6,}", " ", done.stdout)


@pytest.mark.parametrize("pos", ["abc", -5, 10**9, 2.5, True, None, [3]])
def test_a_place_that_cannot_be_read_starts_the_lesson_over_with_a_note(pos, tmp_path):
    out = resume(tmp_path, {"lesson": "lesson1", "pos": pos, "tries": 1}, ["9"])
    assert "I could not read where you were in this lesson, so it starts again from the beginning" in out
    assert "Welcome back" not in out
    assert "A cost J depends on a parameter w." in out  # the first step of lesson 1


def test_damaged_details_are_reset_and_the_lesson_goes_on_where_it_was(tmp_path):
    state = {"lesson": "lesson1", "pos": 3, "tries": "x", "hints": -1, "saved": {"my_w": "((("},
             "revealed": 5, "results": [1], "outcomes": {"a": [5]}, "last_answered": 999}
    out = resume(tmp_path, state, ["why", "3.001^2"])
    assert "Part of what was saved about this lesson could not be read and was reset" in out
    assert "Welcome back! You were at step 4 of 24." in out
    assert "There is nothing more to explain yet" in out  # `why` with last_answered reset
    assert "✓" in out  # 9.006001 judged as usual


def test_the_start_over_note_in_chinese(tmp_path):
    out = resume(tmp_path, {"pos": "abc"}, [], lang="zh")
    assert "读不出你在这一课学到了哪里，所以从头开始" in out.replace("\n", "").replace(" ", "")


def test_a_whole_state_resumes_without_a_note(tmp_path):
    out = resume(tmp_path, {"lesson": "lesson1", "pos": 3, "tries": 0, "hints": 0}, [])
    assert "Welcome back! You were at step 4 of 24." in out
    assert "could not" not in out


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=8)
FIELDS = ("pos", "tries", "hints", "rounds", "saved", "revealed", "results", "outcomes", "last_answered")


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6))
def test_any_damaged_state_opens_the_demo_lesson_and_takes_an_answer(state):
    runner = Runner(DEMO, state)
    assert runner.start()
    assert 0 <= runner.pos <= len(runner.order)
    if not runner.done:
        runner.answer("hint")
        runner.answer("why")
    runner.state()

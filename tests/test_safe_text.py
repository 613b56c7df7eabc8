"""Control characters never reach the terminal raw: not from a lesson file, not from a learner's line."""

import os
import re
import subprocess
import sys
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from derivtutor.teaching import lessons, lint
from derivtutor.terminal import render
from derivtutor.text import safe_text
from derivtutor.text.messages import Message

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# OSC 0 (window title), OSC 52 (clipboard write), CSI 2J (clear screen), BEL: written as TOML escapes.
HOSTILE = textwrap.dedent(r'''
    id = "hostile"
    title = "Evil\u001b]0;pwned\u0007"
    summary = "A lesson with control characters."

    [[steps]]
    kind = "say"
    text = "Hello \u001b]52;c;ZWNobyBoaQ==\u0007 and \u001b[2J and a bell\u0007."

    [[steps]]
    id = "sum"
    kind = "number"
    text = "What is $w^2$ at $w = 2$?"
    answer = { value = "w^2", at = { w = 2 } }
''')


def run(*args, stdin="", env_home):
    env = {**os.environ, "HOME": str(env_home), "XDG_DATA_HOME": str(env_home), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "derivtutor", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=60)


def test_clean_makes_controls_visible_and_keeps_layout():
    assert safe_text.clean("a\x1b[2Jb\x07") == "a␛[2Jb␇"
    assert safe_text.clean("line\n\tindented") == "line\n\tindented"
    assert safe_text.clean("x\x9bq\u202eevil") == "x\ufffdq\ufffdevil"
    assert safe_text.clean("one\ntwo", keep_layout=False) == "one␊two"


def test_quote_is_short_and_on_one_line():
    assert safe_text.quote("w" * 1_000_000) == "w" * 39 + "…"
    assert safe_text.quote("a\nb") == "a␊b"


def test_render_never_prints_a_control_character_of_a_message():
    messages = [Message("say", "title \x1b]0;pwned\x07 here"), Message("error", "bad \x1b[2J", block="w\x1b\n^")]
    plain = render.to_plain(messages)
    coloured = render.text(render.render(messages, pretty=None))
    for shown in (plain, coloured):
        assert not RAW.search(shown)
        assert "␛]0;pwned␇" in shown
    assert not RAW.search(render.text(render.learner_line("at \x1b[2J=2", prompt="k \x07≈")))


def test_a_hostile_lesson_prints_no_control_character_in_plain_mode(tmp_path):
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "hostile.toml").write_text(HOSTILE, encoding="utf-8")
    started = run("start", "hostile", "--lessons", str(folder), "--plain", stdin="4\n", env_home=tmp_path)
    listed = run("list", "--lessons", str(folder), "--plain", env_home=tmp_path)
    for result in (started, listed):
        assert not RAW.search(result.stdout + result.stderr), result.stdout
    assert "␛[2J" in started.stdout and "Evil␛]0;pwned␇" in listed.stdout


def test_lint_flags_each_control_character_with_its_line(tmp_path):
    path = tmp_path / "hostile.toml"
    path.write_text(HOSTILE, encoding="utf-8")
    problems = lint.lint([str(path)])
    where = sorted({(p.line, p.message.split()[2]) for p in problems})
    assert (3, "U+001B") in where and (3, "U+0007") in where and (8, "U+001B") in where
    assert all("control character" in p.message for p in problems)
    result = run("lint", str(path), env_home=tmp_path)
    assert result.returncode == 1 and not RAW.search(result.stdout + result.stderr)


def test_lint_ignores_backslashes_in_literal_strings(tmp_path):
    path = tmp_path / "fine.toml"
    path.write_text(HOSTILE.replace(r'"Evil\u001b]0;pwned\u0007"', "'Evil \\b literal'")
                    .replace(r'"Hello \u001b]52;c;ZWNobyBoaQ==\u0007 and \u001b[2J and a bell\u0007."',
                             "'A LaTeX-ish \\frac and \\r.'"), encoding="utf-8")
    assert lint.lint([str(path)]) == []


def test_a_learners_control_characters_are_not_echoed_raw_in_free_play():
    from derivtutor.play.play import PlaySession

    s = PlaySession(lang="en", plain=True, width=78)
    s.start()
    shown = ""
    for line in ("J = w^2", "at \x1b[2J=2", "wrt \x1b]0;x\x07", "w\x07 + 1", "\x1b[31m"):
        shown += render.to_plain(s.answer(line))
    assert not RAW.search(shown)


def test_explain_wrt_with_control_characters_prints_none(tmp_path):
    result = run("explain", "w^2", "--wrt", "\x1b[2J", "--at", "w=1", env_home=tmp_path)
    assert not RAW.search(result.stdout + result.stderr)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x20FF), max_size=60))
def test_rendered_text_never_holds_a_raw_control(text):
    shown = render.to_plain([Message("say", text), Message("error", text, block=text)])
    assert not RAW.search(shown)

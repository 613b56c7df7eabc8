"""End to end in a real pseudo-terminal (pexpect): what a learner at a keyboard sees."""

import os
import re
import sys
import textwrap

import pexpect
import pytest

from derivtutor.progress.store import Store

PROMPT = r"you[\s\x1b\[0-9;?m]*›"
TUTOR = r"tutor[\s\x1b\[0-9;?m]*›"
CSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r")

FAKE = textwrap.dedent('''
    import argparse, sys
    from derivtutor.text.messages import Message
    from derivtutor.text.session import SessionParts
    from derivtutor.terminal.shell import run_session

    LONG = "Nudge $w$ by a tiny $ε$ and watch $J$ move by about $k·ε$; that $k$ is the derivative. " * 2

    class Fake(SessionParts):
        done, hints_used, words, title = False, 0, ["hint"], "Fake lesson"
        position = (1, 2)
        def __init__(self):
            self.events = []
        @property
        def prompt(self):
            if getattr(self, "broken", False):
                raise RuntimeError("broken prompt")
            return "k ≈"
        def start(self):
            return [Message("say", LONG)]
        def answer(self, line):
            if line == "break":
                self.broken = True
            ok = line == "6"
            return [Message("echo", "I read that as " + line),
                    Message("feedback", LONG if ok else "Not quite.", ok=ok)]
        def state(self):
            return {}

    ns = argparse.Namespace(lang="en", plain=False, no_color=sys.argv[1] == "mono", vi=False)
    code = run_session(Fake(), ns)
    print("EXIT", code)
    sys.exit(code)
''')


@pytest.fixture
def home(tmp_path):
    return tmp_path


def env(home, **more):
    e = dict(os.environ, DERIVTUTOR_HOME=str(home), PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm",
             LANG="C.UTF-8", **more)
    e.pop("NO_COLOR", None)
    return e


def spawn(home, args, columns=80, **more):
    return pexpect.spawn(sys.executable, args, env=env(home, **more), encoding="utf-8",
                         dimensions=(24, columns), timeout=60)


def fake(home, tmp_path, mode="color", columns=80):
    script = tmp_path / "fake_session.py"
    script.write_text(FAKE, encoding="utf-8")
    return spawn(home, [str(script), mode], columns=columns)


def visible(text):
    return CSI.sub("", text)


def test_a_chat_in_a_terminal_keys_and_wrapping(home, tmp_path):
    child = fake(home, tmp_path, columns=40)
    child.expect(PROMPT)
    opening = child.before
    lines = visible(opening).split("\n")
    assert any(len(line) > 30 for line in lines)  # the long opening was wrapped, not cut short
    assert all(len(line) <= 40 for line in lines), visible(opening)
    child.send("55")
    child.sendcontrol("c")  # drops the line, stays in the tutor
    child.expect(PROMPT)
    child.sendline("5")
    child.expect("Not quite")
    child.expect(PROMPT)
    child.setwinsize(24, 70)  # resize: the next turn wraps to the new width
    child.sendline("6")
    child.expect("I read that as 6")
    child.expect(PROMPT)
    reply = visible(child.before)
    assert max(len(line) for line in reply.split("\n")) > 40
    assert all(len(line) <= 70 for line in reply.split("\n"))
    child.sendcontrol("d")
    child.expect("EXIT 0")
    child.expect(pexpect.EOF)
    assert "55" not in visible(child.before)


def test_no_color_means_no_colour_codes(home, tmp_path):
    child = fake(home, tmp_path, mode="mono")
    child.expect(PROMPT)
    child.sendline("5")
    child.expect("Not quite")  # the prompt may be redrawn before the reply: wait for the reply
    child.expect(PROMPT)
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    everything = child.before
    assert not re.search(r"\x1b\[[0-9;]*3[0-7]m|\x1b\[[0-9;]*9[0-7]m|\x1b\[38;", everything)


def test_a_crash_inside_the_prompt_restores_the_terminal_and_hides_the_traceback(home, tmp_path):
    script = tmp_path / "fake_session.py"
    script.write_text(FAKE, encoding="utf-8")
    child = pexpect.spawn("bash", ["-c", f"'{sys.executable}' '{script}' color; stty -a"], env=env(home),
                          encoding="utf-8", dimensions=(24, 80), timeout=60)
    child.expect(PROMPT)
    child.sendline("break")
    child.expect("EXIT 1")
    said = visible(child.before)
    child.expect(pexpect.EOF)
    after = visible(child.before)
    assert "Something went wrong inside the tutor (not your fault)" in " ".join(said.split())
    assert "Traceback" not in said + after
    # the terminal is back in normal (cooked) mode: line editing and echo are on
    assert re.search(r"(?<!-)icanon", after) and re.search(r"(?<!-)\becho\b", after)
    assert "RuntimeError: broken prompt" in (home / "derivtutor.log").read_text(encoding="utf-8")


def test_lesson1_right_wrong_hint_ctrl_c_ctrl_d_then_resume(home):
    child = spawn(home, ["-m", "derivtutor", "start", "lesson1"])
    child.expect(PROMPT)
    assert "What is J there?" in visible(child.before)
    child.sendline("9")  # right (J = w² at w = 3), typed before SymPy has finished loading
    child.expect("thinking…")
    child.expect("Right")
    child.expect(PROMPT)
    child.sendline("9")  # wrong for J at 3.001
    child.expect(TUTOR)
    child.expect(PROMPT)
    child.sendline("hint")
    child.expect(r"Hint \d/\d")  # the reply, not the typed word redrawn in the prompt
    child.expect(PROMPT)
    child.send("123")
    child.sendcontrol("c")
    child.expect(PROMPT)
    child.sendcontrol("d")
    child.expect("Saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert Store.open(home).load_state("lesson1")["pos"] > 0

    again = spawn(home, ["-m", "derivtutor", "start"])
    again.expect(PROMPT)
    assert "Lesson 1: What a derivative is." in visible(again.before)  # shown before SymPy loads
    again.expect(r"Welcome back! You were at step \d+ of \d+")
    again.expect(PROMPT)
    again.sendcontrol("d")
    again.expect(pexpect.EOF)


def test_kill_9_the_moment_the_verdict_shows_loses_nothing(home):
    """The answer is in the store before "Right" reaches the screen, in the REPL and in plain mode."""
    import signal

    for args in (["-m", "derivtutor", "start", "lesson1"], ["-m", "derivtutor", "start", "lesson1", "--plain"]):
        Store.open(home).clear()
        child = spawn(home, args)
        child.expect(PROMPT)
        child.sendline("9")  # right: J = w² at w = 3
        child.expect("Right")
        os.kill(child.pid, signal.SIGKILL)
        child.expect(pexpect.EOF)
        child.close()
        answers = [a["answer"] for a in Store.open(home).attempts("lesson1")]
        assert answers == ["9"], args



def test_a_folder_named_history_is_no_traceback(home):
    """A folder where the history file should be: the chat works, without history."""
    (home / "history").mkdir()
    child = spawn(home, ["-m", "derivtutor", "start", "lesson1"])
    child.expect(PROMPT)
    child.sendline("9")
    child.expect("Right")
    child.expect(PROMPT)
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    seen = visible(child.before)
    assert "Traceback" not in seen and "Press ENTER" not in seen and "Unhandled" not in seen
    assert child.exitstatus == 0

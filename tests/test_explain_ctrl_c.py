"""Ctrl-C in free play, in a real terminal: it stops the line within a second, twice is no crash,
and the line given up on never comes back to replace what the learner typed since.

The slow line is made slow on purpose: a small launcher makes `J = …` with a variable `q` spend
four seconds in the tutor's own process (work no worker kill can stop), the worst case for the
shell. The last test stops a real calculation in the worker.
"""

import os
import re
import sys
import textwrap
import time

import pexpect
import pytest

PROMPT = r"you[\s\x1b\[0-9;?m]*›"
CSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r")

LAUNCHER = textwrap.dedent('''
    import sys, time
    from derivtutor.play import play

    slow_new_function = play.PlaySession._new_function

    def new_function(self, reading, line):
        if "q" in {s.name for s in reading.expr.free_symbols}:
            time.sleep(4)  # in the tutor's own process: nothing can cut it short
        return slow_new_function(self, reading, line)

    play.PlaySession._new_function = new_function

    if __name__ == "__main__":
        from derivtutor.commands import cli
        sys.exit(cli.main(["play"]))
''')


def visible(text):
    return CSI.sub("", text)


@pytest.fixture
def tutor(tmp_path):
    script = tmp_path / "slow_play.py"
    script.write_text(LAUNCHER, encoding="utf-8")
    env = dict(os.environ, DERIVTUTOR_HOME=str(tmp_path / "home"), PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm",
               LANG="C.UTF-8", NO_COLOR="1")
    child = pexpect.spawn(sys.executable, [str(script)], env=env, encoding="utf-8", dimensions=(24, 100),
                          timeout=60)
    child.expect(PROMPT)
    yield child
    child.close(force=True)


def test_two_ctrl_c_on_a_slow_line_then_a_new_function_is_the_one_shown(tutor, tmp_path):
    tutor.sendline("J = q*w")
    time.sleep(1.0)
    tutor.sendintr()
    time.sleep(0.2)
    tutor.sendintr()
    started = time.monotonic()
    tutor.expect("Stopped")  # the prompt is back well before the four seconds are up
    assert time.monotonic() - started < 3.0
    tutor.expect(PROMPT)
    tutor.sendline("J = w^3")
    tutor.expect("What do you think")
    tutor.expect(PROMPT)
    time.sleep(4)  # long enough for the abandoned line to finish in its thread
    tutor.sendline("show")
    tutor.expect("The working")
    tutor.expect(PROMPT)
    seen = visible(tutor.before)
    assert "3·w²" in seen and "q" not in seen
    tutor.sendline("quit")
    tutor.expect(pexpect.EOF)
    shown = visible(tutor.before)
    assert "Something went wrong" not in shown
    log = tmp_path / "home" / "derivtutor.log"
    assert not log.exists() or "InvalidStateError" not in log.read_text(encoding="utf-8")


def test_one_ctrl_c_on_a_slow_line_stops_it_within_a_second_and_drops_it(tutor):
    tutor.sendline("J = q*w")
    time.sleep(0.8)
    tutor.sendintr()
    started = time.monotonic()
    tutor.expect("Stopped")
    assert time.monotonic() - started < 3.0  # about 1 s; the slack is for a loaded machine, the work takes 4
    tutor.expect(PROMPT)
    time.sleep(4)
    tutor.sendline("show")  # the dropped line set no function
    tutor.expect("First give a function")


def test_a_cancelled_action_makes_no_further_calculation_and_the_next_one_runs():
    """Killing the busy worker stops one call; the rest of that action must stop too, at once."""
    import threading

    import sympy

    from derivtutor.algebra import cas

    def main_thread_work():
        x = sympy.Symbol("x", real=True)
        with cas.action(60):
            with pytest.raises(cas.CasTimeout) as first:
                cas.expand((x + 1) ** 100000, timeout=60)
            later = time.monotonic()
            with pytest.raises(cas.CasTimeout) as second:  # what the action would do next
                cas.expand((x + 2) ** 100000, timeout=60)
            assert time.monotonic() - later < 0.5
        assert first.value.code == second.value.code == "cancelled"
        with cas.action():
            assert cas.expand((x + 1) ** 2) == x**2 + 2 * x + 1

    cas.call("ping")
    threading.Timer(0.5, cas.cancel).start()
    main_thread_work()


def test_a_given_up_line_leaves_free_play_as_it_was(monkeypatch):
    """Session level: the shell calls abandon() while the line works; the late result is dropped."""
    import threading

    from derivtutor.play import play as play_module

    release = threading.Event()
    original = play_module.PlaySession._new_function

    def waiting(self, reading, line):
        out = original(self, reading, line)  # the function is set ...
        release.wait(10)                      # ... and then the line is still busy
        return out

    session = play_module.PlaySession(lang="en", plain=True, width=70)
    session.start()
    session.answer("J = w^2")
    monkeypatch.setattr(play_module.PlaySession, "_new_function", waiting)
    result = []
    worker = threading.Thread(target=lambda: result.append(session.answer("J = sin(w)")))
    worker.start()
    time.sleep(0.3)
    session.abandon()
    release.set()
    worker.join(10)
    assert result == [[]]
    assert session.J_text == "w^2"


def test_plain_mode_ctrl_c_in_the_middle_of_a_line_keeps_nothing_of_it(monkeypatch):
    from derivtutor.play import play as play_module

    original = play_module.PlaySession._new_function

    def interrupted(self, reading, line):
        original(self, reading, line)
        raise KeyboardInterrupt

    session = play_module.PlaySession(lang="en", plain=True, width=70)
    session.start()
    session.answer("J = w^2")
    monkeypatch.setattr(play_module.PlaySession, "_new_function", interrupted)
    with pytest.raises(KeyboardInterrupt):
        session.answer("J = sin(w)")
    assert session.J_text == "w^2"


def test_a_given_up_answer_in_a_lesson_is_dropped_too(monkeypatch):
    """The lesson runner keeps the same promise: a line Ctrl-C gave up on leaves no trace."""
    import threading

    from derivtutor.teaching import lessons
    from derivtutor.teaching.runner import Runner

    run = Runner(lessons.load(lessons.shipped_dir() / "lesson1.toml", "en"), lang="en")
    run.start()
    before = run.state()
    release = threading.Event()
    original = Runner._answer

    def waiting(self, line):
        out = original(self, line)  # judged, counted, maybe moved on ...
        release.wait(10)            # ... and then the line is still busy
        return out

    monkeypatch.setattr(Runner, "_answer", waiting)
    result = []
    worker = threading.Thread(target=lambda: result.append(run.answer("6")))
    worker.start()
    time.sleep(0.3)
    run.abandon()
    release.set()
    worker.join(10)
    assert result == [[]]
    assert run.state() == before and run.events == []

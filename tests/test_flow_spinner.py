"""In a real terminal (pexpect pty): keys typed while the tutor thinks never print beside the spinner,
and a line sent before the tutor's reply was on screen waits in the prompt, unsent."""

import io
import os
import re
import sys
import textwrap

import pexpect

PROMPT = r"you[\s\x1b\[0-9;?m]*›"
SPINNER = "thinking… (Ctrl-C stops it)"
CSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r")

SLOW = textwrap.dedent('''
    import argparse, sys, time
    from derivtutor.text.messages import Message
    from derivtutor.terminal.shell import run_session

    from derivtutor.text.session import SessionParts

    class Slow(SessionParts):
        done, hints_used, words, title, position = False, 0, ["hint"], "Slow lesson", (1, 2)
        prompt = "k ≈"
        def __init__(self):
            self.events, self.lines = [], []
        def start(self):
            return [Message("question", "Predict $k$.")]
        def answer(self, line):
            self.lines.append(line)
            if line == "finish":
                time.sleep(1.5)
                self.done = True
                return [Message("feedback", "Lesson complete.", ok=True)]
            if line == "slow":
                time.sleep(1.5)
                return [Message("say", "That took a while."), Message("question", "Now predict $k$ again.")]
            return [Message("echo", "I read that as " + line), Message("feedback", "Answer number %d." % len(self.lines))]
        def state(self):
            return {}

    code = run_session(Slow(), argparse.Namespace(lang="en", plain=False, no_color=False, vi=False))
    sys.exit(code)
''')


def env(home):
    e = dict(os.environ, DERIVTUTOR_HOME=str(home), PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm", LANG="C.UTF-8")
    e.pop("NO_COLOR", None)
    return e


def spawn(home, args):
    return pexpect.spawn(sys.executable, args, env=env(home), encoding="utf-8", dimensions=(24, 100), timeout=60)


def test_keys_typed_while_thinking_wait_in_the_prompt_and_the_spinner_leaves_no_trace(tmp_path):
    script = tmp_path / "slow_session.py"
    script.write_text(SLOW, encoding="utf-8")
    child = spawn(tmp_path, [str(script)])
    child.logfile_read = screen = io.StringIO()
    child.expect(PROMPT)
    child.sendline("slow")
    child.expect_exact(SPINNER)
    child.send("6\r")  # the learner answers the question they expect, before it is drawn
    child.expect("That took a while.")
    child.expect("You sent that line while I was still working")
    child.expect(PROMPT)
    child.expect("6")  # back in the prompt, unsent
    raw = screen.getvalue()
    # Every spinner frame is erased ("\r", erase to end of line) before anything else is drawn,
    # and the terminal never echoed the 6 next to it.
    assert SPINNER in raw
    assert not re.search(re.escape(SPINNER) + r"(?!\r\x1b\[K)", raw)
    assert "stops it)6" not in CSI.sub("", raw)
    child.sendline("")  # Enter sends the held line, now that the question is on screen
    child.expect("I read that as 6")
    child.expect("Answer number 2")  # the held line was not answered before: only "slow" was
    child.expect(PROMPT)
    child.sendcontrol("d")
    child.expect(pexpect.EOF)


def test_lesson1_a_second_answer_typed_before_its_question_is_held(tmp_path):
    child = spawn(tmp_path, ["-m", "derivtutor", "start", "lesson1"])
    child.logfile_read = screen = io.StringIO()
    child.send("9\r")  # J = w² at w = 3: the question is on screen with the first prompt
    child.send("9.006001\r")  # typed straight after, before "What is J now?" was drawn
    child.expect("You sent that line while I was still working")
    child.expect(PROMPT)
    child.expect("9.006001")
    seen = " ".join(CSI.sub("", screen.getvalue()).split())
    assert seen.index("Right") < seen.index("What is J now?") < seen.index("You sent that line")
    assert "Not quite" not in seen and "✗" not in seen
    child.sendline("")
    child.expect("Right")
    child.expect(PROMPT)
    child.sendcontrol("d")
    child.expect("Saved")
    child.expect(pexpect.EOF)


def _resumed_after_one_answer(tmp_path):
    """Lesson 1 with its first question answered, left with Ctrl-D, then started again:
    the resumed tutor (its screen recorded) before anything of it is drawn."""
    first = spawn(tmp_path, ["-m", "derivtutor", "start", "lesson1"])
    first.expect(PROMPT)
    first.sendline("9")
    first.expect("Right")
    first.expect(PROMPT)
    first.sendcontrol("d")
    first.expect(pexpect.EOF)
    again = spawn(tmp_path, ["-m", "derivtutor", "start"])
    again.logfile_read = screen = io.StringIO()
    return again, screen


def test_after_a_resume_a_9_typed_at_once_waits_for_the_question(tmp_path):
    again, screen = _resumed_after_one_answer(tmp_path)
    again.send("9\r")  # typed at once, before the resumed question is on screen
    again.expect("That line came before the question above was on screen")
    again.expect(PROMPT)
    seen = " ".join(CSI.sub("", screen.getvalue()).split())
    assert seen.index("Welcome back! You were at step") < seen.index("What is J now?") < seen.index("That line came")
    assert "Not quite" not in seen and "✗" not in seen and "Hint" not in seen
    assert not re.search(re.escape(SPINNER) + r"(?!\r\x1b\[K)", screen.getvalue())
    again.sendcontrol("c")  # the held 9 is dropped; Ctrl-D leaves
    again.expect(PROMPT)
    again.sendcontrol("d")
    again.expect(pexpect.EOF)


def test_ctrl_c_from_the_keyboard_just_after_show_stops_quietly_and_the_tutor_stays(tmp_path):
    """The way tmux sends it: a Ctrl-C byte into the terminal, which signals the foreground
    group (the tutor and any calculator process it started), 0.4 s after the first computation."""
    child = spawn(tmp_path, ["-m", "derivtutor", "play"])
    child.logfile_read = screen = io.StringIO()
    child.expect(PROMPT)
    child.sendline("J = x^2 sin(3x)")
    child.sendline("at x=2")
    child.sendline("show")
    import time

    time.sleep(0.4)
    child.sendcontrol("c")
    time.sleep(1.0)
    child.sendcontrol("c")  # drops whatever is back in the prompt
    child.expect(PROMPT)
    child.sendline("help")
    child.expect("plot")
    child.expect(PROMPT)
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    seen = CSI.sub("", screen.getvalue())
    assert "Traceback" not in seen and "KeyboardInterrupt" not in seen and "went wrong" not in seen
    assert child.exitstatus == 0


def test_a_next_typed_while_the_last_answer_is_judged_does_not_fall_through_to_the_shell(tmp_path):
    script = tmp_path / "slow_session.py"
    script.write_text(SLOW, encoding="utf-8")
    shell = f'"{sys.executable}" "{script}"; read line; echo "the shell got [$line]"'
    child = pexpect.spawn("/bin/sh", ["-c", shell], env=env(tmp_path), encoding="utf-8",
                          dimensions=(24, 100), timeout=60)
    child.expect(PROMPT)
    child.sendline("finish")
    child.expect_exact(SPINNER)
    child.send("next\r")  # meant for the tutor, which is about to end the lesson
    child.expect("Lesson complete.")
    child.sendline("ls")  # now the learner talks to their shell
    child.expect(r"the shell got \[(\w*)\]")
    assert child.match.group(1) == "ls"
    child.expect(pexpect.EOF)


def test_after_a_resume_two_lines_typed_blind_are_not_glued_into_one_answer(tmp_path):
    again, screen = _resumed_after_one_answer(tmp_path)
    again.send("9\r9.006001\r")  # two answers typed before anything is on screen
    again.expect("That line came before the question above was on screen")
    again.expect(PROMPT)
    again.sendline("")  # sends what is in the prompt: the first line, alone
    again.expect(r"I read that as|Not quite|✗|Right")
    again.expect(PROMPT)
    seen = " ".join(CSI.sub("", screen.getvalue()).split())
    assert "99.006001" not in seen and "I read that as 99" not in seen
    again.sendcontrol("d")
    again.expect("Saved")
    again.expect(pexpect.EOF)


def test_ctrl_d_pressed_while_the_tutor_works_leaves_after_the_reply(tmp_path):
    script = tmp_path / "slow_session.py"
    script.write_text(SLOW, encoding="utf-8")
    child = spawn(tmp_path, [str(script)])
    child.expect(PROMPT)
    child.sendline("slow")
    child.expect_exact(SPINNER)
    child.sendcontrol("d")
    child.expect("That took a while.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

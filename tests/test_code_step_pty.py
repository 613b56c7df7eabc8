"""A code step in a real pseudo-terminal (pexpect): the learner types the lab's SymPy lines at
the `>>>` prompt, a wrong and a refused line get their sentences, Tab offers the step's names."""

import pexpect

from test_pty import PROMPT, home, spawn, visible  # noqa: F401 - `home` is the fixture

ANSWERS = ["2w", "4", "6", "-6"]  # lesson 2's steps before the first code step


def test_lesson2_code_steps_at_the_keyboard(home):
    child = spawn(home, ["-m", "derivtutor", "start", "lesson2"])
    for line in ANSWERS:
        child.expect(PROMPT)
        child.sendline(line)
        child.expect("Right")
    child.expect(">>>")
    child.sendline("J, w = symbols('J, w')")
    child.expect("Right")
    child.expect(">>>")
    child.sendline("J = w**2")
    child.expect("is now")
    child.expect(">>>")
    child.sendline("dJ_dw = diff(J, w)")
    child.expect("Right")
    child.expect(">>>")
    child.sendline("J.subs([(w, 4)])")
    child.expect("own value")
    child.expect(">>>")
    child.sendline("import os")
    child.expect("does not")
    child.expect(">>>")
    child.send("dJ_")
    child.send("\t")   # Tab completes the name the step defines
    child.send(".subs([(w, 4)])\r")
    child.expect("Right")
    child.expect(">>>")
    child.sendcontrol("d")
    child.expect("Saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in visible(child.before or "")

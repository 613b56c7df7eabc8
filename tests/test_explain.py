"""`derivtutor explain` run as a user runs it: in a subprocess, plain, JSON, on a terminal, and with bad input."""

import json
import os
import subprocess
import sys

import pexpect
import pytest

from derivtutor.algebra import calculus, cas
from derivtutor.commands import cmd_explain
from derivtutor.algebra.mathbuild import var
from derivtutor.algebra.mathinput import read


def env(**extra):
    e = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "LC_ALL", "LC_MESSAGES")}
    e.update(LANG="en_US.UTF-8", PYTHONIOENCODING="utf-8", **extra)
    return e


def explain(*args, **extra):
    return subprocess.run([sys.executable, "-m", "derivtutor", "explain", *args], capture_output=True,
                          text=True, encoding="utf-8", env=env(**extra), timeout=120)


def test_plain_text_reproduces_the_lab():
    out = explain("w^2", "--at", "w=3")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "\x1b" not in text  # a pipe gets no escape codes
    assert "J = w²" in text and "dJ/dw = 2⋅w" in text
    assert "J = 9" in text and "dJ/dw = 6" in text
    assert "6.000999999999479" in text          # the lab's k for ε = 0.001
    assert "6.000000496442226" in text          # and for ε = 1e-9, a row of the table
    assert "k = 6 + ε" in text and "6001/1000 = 6.001" in text
    table = text[text.index("As ε shrinks"):].splitlines()[2:]
    assert [row.split()[0] for row in table] == [f"1e\u2212{k}" for k in range(1, 16)]


def test_two_d_derivative_and_exact_value():
    out = explain("1/w^2", "--at", "w=4")
    assert out.returncode == 0, out.stderr
    assert "───" in out.stdout                    # drawn as a fraction, in 2-D
    assert "dJ/dw = −1/32   (decimal −0.03125)" in out.stdout
    assert "−0.031238285155041345" in out.stdout


def test_json_for_scripts():
    out = explain("(2+3w)^2", "--at", "w=3", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    w = var("w")
    assert data["input"] == "(2+3w)^2"
    assert data["parsed"] == cas.sstr(read("(2+3w)^2").expr)
    assert data["variable"] == "w" and data["point"] == {"w": "3"}
    assert data["derivative"] == cas.sstr(calculus.derivative(read("(2+3w)^2").expr, w))
    assert data["value"]["exact"] == "121" and data["slope"]["exact"] == "66"
    assert data["forward_difference"] == 66.0090000000082
    assert data["exact_forward_difference"] == "9*ε + 66"
    rows = data["differences"]
    assert len(rows) == 15 and rows[2]["eps"] == 0.001 and rows[2]["forward"] == 66.0090000000082
    assert rows[2]["forward_error"] == 66.0090000000082 - 66


def test_bad_input_exits_1_with_the_parsers_caret():
    out = explain("(2+3w")
    assert out.returncode == 1
    assert out.stdout == ""
    assert "never closed" in out.stderr and "^" in out.stderr.splitlines()[-1]
    assert "Traceback" not in out.stderr
    out = explain("(2+3w", "--json")
    assert out.returncode == 1 and json.loads(out.stdout)["caret"].endswith("^")


@pytest.mark.parametrize("args, words", [
    (["w x"], "--wrt w"),
    (["1/w", "--at", "w=0"], "1/w is undefined at w = 0: it divides by zero"),
    (["w^2", "--eps", "0"], "--eps must be a number other than 0"),
    (["w^2", "--at", "w"], "--at wants NAME=VALUE"),
    (["dJ/dw = 2w"], "not an answer"),
])
def test_unusable_input_exits_1_with_a_sentence(args, words):
    out = explain(*args)
    assert out.returncode == 1
    assert words in out.stderr + out.stdout and "Traceback" not in out.stderr  # an undefined point: on stdout, below the derivative


def test_default_point_is_said_and_defined():
    out = explain("1/(w - 3)")
    assert out.returncode == 0, out.stderr
    assert "No --at given, so I use w = 2" in out.stdout


def test_not_differentiable_point_is_explained_not_crashed():
    out = explain("abs(w)", "--at", "w=0")
    assert out.returncode == 0, out.stderr
    assert "not differentiable at w = 0" in out.stdout and "no derivative here" in out.stdout


def test_several_variables_with_wrt_and_steps():
    out = explain("w x + w^2", "--wrt", "w", "--at", "w=2,x=3", "--steps")
    assert out.returncode == 0, out.stderr
    assert "Step by step:" in out.stdout and "rule" in out.stdout
    assert "dJ/dw = 7" in out.stdout


def test_chinese():
    out = explain("w^2", "--at", "w=3", "--lang", "zh")
    assert out.returncode == 0, out.stderr
    assert "理解为" in out.stdout and "随着 ε 变小" in out.stdout


def _on_a_terminal(extra_env):
    child = pexpect.spawn(sys.executable, ["-m", "derivtutor", "explain", "w^2", "--at", "w=3"],
                          env=env(**extra_env), encoding="utf-8", timeout=120)
    child.expect(pexpect.EOF)
    child.close()
    return child.before, child.exitstatus


def test_colour_on_a_terminal_unless_no_color():
    text, status = _on_a_terminal({})
    assert status == 0 and "\x1b[" in text
    text, status = _on_a_terminal({"NO_COLOR": "1"})
    assert status == 0 and "\x1b" not in text and "6.000999999999479" in text


def test_gather_in_process_matches_the_text():
    facts = cmd_explain.gather("w^3", at_texts=["w=2"])
    assert facts.forward == 12.006000999997823
    assert facts.slope.exact == 12
    assert "12.006000999997823" in cmd_explain.as_text(facts, "en")

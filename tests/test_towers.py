"""Exponent towers are small trees with enormous values: never computed in the main process.

`explain "x^x^x" --at x=9` and `check "x^x^x" "1" --at x=9` ran for minutes (9^387420489);
now the bounded worker gets them and the learner gets a sentence.
"""

import subprocess
import sys
import time

import pytest

from derivtutor import cas
from derivtutor.mathinput import read_expression, var


def test_a_tower_is_not_small_but_an_ordinary_power_is():
    x = var("x")
    assert not cas._small((read_expression("x^x^x"), {x: 9}))
    assert cas._small((read_expression("x^x"), {x: 3}))
    assert cas._small((read_expression("3x^2 + 1/x"), {x: 2}))


@pytest.mark.parametrize("args", [
    ["explain", "x^x^x", "--at", "x=9"],
    ["explain", "x^x^x^x^x^x", "--at", "x=2"],
    ["check", "x^x^x", "1", "--at", "x=9"],
])
def test_a_tower_at_a_point_gets_a_sentence_not_a_hang(args, tmp_path):
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "derivtutor", *args], capture_output=True, text=True,
                          timeout=60, env={"DERIVTUTOR_HOME": str(tmp_path), "PATH": ""})
    said = done.stdout + done.stderr
    assert time.monotonic() - start < 30  # it ran for minutes before (the budget itself is benched)
    assert "took longer than" in said and "Traceback" not in said and "went wrong" not in said

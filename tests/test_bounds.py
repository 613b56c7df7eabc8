"""A CAS budget from the environment is always finite, so no setting crashes a command."""
import subprocess
import sys

import pytest

from derivtutor import cas


@pytest.mark.parametrize("setting, expected", [
    ("inf", cas.MAX_BUDGET), ("1e308", cas.MAX_BUDGET), ("nan", cas.DEFAULT_BUDGET),
    ("-1", cas.DEFAULT_BUDGET), ("abc", cas.DEFAULT_BUDGET), ("3", 3.0)])
def test_budget_is_finite(monkeypatch, setting, expected):
    monkeypatch.setenv("DERIVTUTOR_CAS_TIMEOUT", setting)
    assert cas.budget() == expected


def test_explain_with_infinite_budget_answers():
    env = {"DERIVTUTOR_CAS_TIMEOUT": "inf", "PATH": "", "HOME": "/nonexistent-home"}
    out = subprocess.run([sys.executable, "-m", "derivtutor", "explain", "w^2", "--at", "w=3"],
                         capture_output=True, text=True, timeout=60, env=env)
    assert "went wrong" not in out.stdout + out.stderr
    assert "6" in out.stdout

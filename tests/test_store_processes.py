"""The tutor's processes: settings from the environment, a killed tutor, a learner who is not root."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def explain(*args, env):
    environ = {**os.environ, "NO_COLOR": "1", **env}
    done = subprocess.run([sys.executable, "-m", "derivtutor", "explain", *args], capture_output=True, text=True,
                          env=environ, timeout=90)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("setting", ["99999999999999999999999", "inf", "1e308", "-5"])
def test_a_memory_cap_beyond_the_machine_still_explains(setting, tmp_path):
    rc, out, err = explain("(w^2+3*w+1)^3*exp(sin(w))/(1+w^2)^2", "--at", "w=1",
                           env={"DERIVTUTOR_CAS_MEMORY_MB": setting, "DERIVTUTOR_HOME": str(tmp_path)})
    assert rc == 0
    assert err == ""
    assert "stopped unexpectedly" not in out
    assert "dJ/dw" in out


@pytest.mark.parametrize("setting", ["inf", "1e308"])
def test_an_endless_time_budget_still_explains_quietly(setting, tmp_path):
    rc, out, err = explain("(w^2+3*w+1)^3*exp(sin(w))/(1+w^2)^2", "--at", "w=1",
                           env={"DERIVTUTOR_CAS_TIMEOUT": setting, "DERIVTUTOR_HOME": str(tmp_path)})
    assert rc == 0 and err == ""
    assert "dJ/dw" in out

"""The tutor's processes: settings from the environment, a killed tutor, a learner who is not root."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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


def _ours(marker):
    """Processes (other than this one) whose environment holds `marker`: the tutor's helpers."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                with open(f"/proc/{entry}/environ", "rb") as f:
                    if marker.encode() in f.read():
                        found.append(int(entry))
            except OSError:
                continue
    return found


@pytest.mark.parametrize("wait", [0.2, 1.0, 2.0])
def test_a_tutor_killed_mid_lesson_leaves_nothing_printing_or_running(wait, tmp_path):
    import select
    import signal
    import time

    home = str(tmp_path / "home")
    env = {**os.environ, "DERIVTUTOR_HOME": home, "NO_COLOR": "1"}
    tutor = subprocess.Popen([sys.executable, "-m", "derivtutor", "start", "lesson1", "--plain"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        opening = b""
        while b"A cost J depends on a parameter w" not in opening:  # the first step is on screen
            line = tutor.stdout.readline()
            assert line, opening
            opening += line
        tutor.stdin.write(b"9\n")
        tutor.stdin.flush()
        time.sleep(wait)  # the calculator and its warm spare are starting about now
    finally:
        os.kill(tutor.pid, signal.SIGKILL)
        tutor.wait()
    err, deadline = b"", time.monotonic() + 30
    while time.monotonic() < deadline:  # the stderr pipe stays open while any helper lives
        ready, _, _ = select.select([tutor.stderr], [], [], 1.0)
        if ready:
            chunk = os.read(tutor.stderr.fileno(), 65536)
            if not chunk:
                break
            err += chunk
    for stream in (tutor.stdin, tutor.stdout, tutor.stderr):
        stream.close()
    assert err.decode() == ""  # no BrokenPipeError traceback from a worker over the terminal
    time.sleep(0.5)
    if os.path.isdir("/proc"):
        assert _ours(home) == []


LESSON_RUNS = [["6"], ["9", "6.001", "9.006001"], ["hint", "skip", "6"], ["9", "quit"]]


@pytest.mark.parametrize("lines", LESSON_RUNS)
def test_a_lesson_run_writes_nothing_to_stderr(lines, tmp_path):
    """The calculator's processes (worker, spare, forkserver, resource tracker) start, work and stop
    without a word on the learner's terminal: no resource_tracker warning, no traceback."""
    env = {**os.environ, "DERIVTUTOR_HOME": str(tmp_path), "NO_COLOR": "1", "PYTHONWARNINGS": "default"}
    done = subprocess.run([sys.executable, "-m", "derivtutor", "start", "lesson1", "--plain"],
                          input="".join(f"{line}\n" for line in lines), capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0
    assert done.stderr == ""
    assert "Saved." in done.stdout or "Lesson complete" in done.stdout or "See you" in done.stdout


TRACKER_DIES = textwrap.dedent("""
    import os, signal, time
    from multiprocessing import resource_tracker

    def main():
        import sympy
        from derivtutor.algebra import cas

        w = sympy.Symbol("w")
        print(cas.call("expand", (w + 1) ** 30).coeff(w, 3))
        os.kill(resource_tracker._resource_tracker._pid, signal.SIGKILL)  # gone, from outside
        time.sleep(0.5)
        cas.shutdown()
        print(cas.call("expand", (w + 2) ** 30).coeff(w, 29))  # new workers: the tracker is found dead
        cas.shutdown()

    if __name__ == "__main__":
        main()
""")


def test_a_resource_tracker_found_dead_is_relaunched_without_a_warning(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(TRACKER_DIES)
    done = subprocess.run([sys.executable, str(probe)], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONWARNINGS": "default"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["4060", "60"]  # the calculator still works
    assert done.stderr == ""  # no "resource_tracker: process died unexpectedly" over the screen

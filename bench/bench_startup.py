"""Start-up figures for `derivtutor start lesson1` in a real pty (pexpect).

Prints, from one run of this script:
  - the wall time of `python -c "import sympy"` (the cost the shell hides),
  - the time until the first prompt is on screen,
  - their ratio (target: <= 0.5),
  - the time until keys typed at spawn are echoed in the prompt, against a bare
    prompt_toolkit `prompt()` in the same run (target: ratio <= 1.3),
  - the time of the first answer check after loading, and of the tenth (warm-up target: alike).

Medians over --runs runs. Needs pexpect (the test extra). Both commands run with
compiled bytecode, as an installed derivtutor does: the bytecode goes to a temporary
PYTHONPYCACHEPREFIX (nothing is written into the source tree), and one untimed run
of each fills it first.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import pexpect

PROMPT = r"you[\s\x1b\[0-9;m]*›"
TUTOR = r"tutor[\s\x1b\[0-9;m]*›"
LOADED = 3.0  # seconds to let the runner load before timing answers


PYCACHE = tempfile.mkdtemp(prefix="derivtutor-bench-pycache-")
atexit.register(shutil.rmtree, PYCACHE, True)  # the compiled bytecode goes with the run


def env(home: str | None = None) -> dict:
    e = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm", LANG="C.UTF-8", PYTHONPYCACHEPREFIX=PYCACHE)
    if home is not None:
        e["DERIVTUTOR_HOME"] = home
    for name in ("NO_COLOR", "PYTHONDONTWRITEBYTECODE"):
        e.pop(name, None)
    return e


def sympy_import() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sympy"], check=True, env=env())
    return time.perf_counter() - start


def first_prompt(answers: int = 0) -> tuple[float, list[float]]:
    """Seconds until the first prompt; then the seconds each of `answers` wrong answers took."""
    with tempfile.TemporaryDirectory() as home:
        start = time.perf_counter()
        child = pexpect.spawn(sys.executable, ["-m", "derivtutor", "start", "lesson1"], env=env(home),
                              encoding="utf-8", dimensions=(24, 100), timeout=30)
        child.expect(PROMPT)
        ready = time.perf_counter() - start
        checks = []
        if answers:
            time.sleep(LOADED)
            for _ in range(answers):
                t = time.perf_counter()
                child.sendline("5")
                child.expect(TUTOR)  # the reply, then the next prompt under it
                child.expect(PROMPT)
                checks.append(time.perf_counter() - t)
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
        child.close()
        return ready, checks


BARE_PROMPT = "from prompt_toolkit import prompt; prompt('you › ')"
MARKER = "zq"  # typed at spawn; no lesson answer or command starts with it


def keys_echoed(args: list[str]) -> float:
    """Seconds from spawn until MARKER, typed at once, is drawn by the prompt (not the tty's own echo:
    the pattern wants the prompt first, and the prompt is drawn before the keys it echoes)."""
    with tempfile.TemporaryDirectory() as home:
        start = time.perf_counter()
        child = pexpect.spawn(sys.executable, args, env=env(home), encoding="utf-8",
                              dimensions=(24, 100), timeout=30)
        child.send(MARKER)
        child.expect(PROMPT)
        child.expect(MARKER)
        echoed = time.perf_counter() - start
        child.sendcontrol("c")
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
        child.close()
        return echoed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--answers", type=int, default=10, help="answer checks to time (0 skips)")
    args = parser.parse_args()

    sympy_import()  # untimed runs: bytecode compiled and files cached for both measurements
    first_prompt()
    imports = [sympy_import() for _ in range(args.runs)]
    prompts = [first_prompt()[0] for _ in range(args.runs)]
    sym, first = statistics.median(imports), statistics.median(prompts)
    print(f"python -c 'import sympy'      median {sym * 1000:7.1f} ms  (runs: {args.runs})")
    print(f"first prompt in a pty         median {first * 1000:7.1f} ms")
    print(f"ratio first prompt / sympy    {first / sym:.2f}  (target <= 0.50: {'met' if first / sym <= 0.5 else 'NOT met'})")
    keys_echoed(["-c", BARE_PROMPT])
    bares, ourses = [], []
    for _ in range(args.runs):  # alternated, so a busy moment of the machine weighs on both alike
        bares.append(keys_echoed(["-c", BARE_PROMPT]))
        ourses.append(keys_echoed(["-m", "derivtutor", "start", "lesson1"]))
    bare, ours = statistics.median(bares), statistics.median(ourses)
    print(f"keys echoed, bare prompt()    median {bare * 1000:7.1f} ms")
    print(f"keys echoed, start lesson1    median {ours * 1000:7.1f} ms")
    print(f"ratio ours / bare             {ours / bare:.2f}  (target <= 1.30: {'met' if ours / bare <= 1.3 else 'NOT met'})")
    if any("__editable__" in str(getattr(f, "__module__", "")) for f in sys.meta_path):  # pip install -e
        print("  (an editable install: its import finder adds ~10-15 ms to every start that a learner's "
              "`pip install .` does not have; measure the README's install for the figure that counts)")
    if args.answers:
        try:
            _, checks = first_prompt(args.answers)
        except pexpect.ExceptionPexpect as err:
            print(f"answer checks: could not time them ({type(err).__name__}); is the runner importable?")
            return
        print(f"first answer check            {checks[0] * 1000:7.1f} ms")
        print(f"answer check #{len(checks):<2}              {checks[-1] * 1000:7.1f} ms")
        print(f"median of all {len(checks):<2} checks        {statistics.median(checks) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()

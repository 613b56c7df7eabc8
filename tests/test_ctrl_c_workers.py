"""Ctrl-C in a terminal signals the whole process group: the calculator's processes must not die of it.

A learner who pressed Ctrl-C while the first computation was starting saw the forkserver's
KeyboardInterrupt traceback over the screen. Here the group is signalled the way a terminal
does (killpg) while the worker and forkserver start, and nothing may reach stderr.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = textwrap.dedent("""
    import os, signal, time

    def main():
        caught = []
        signal.signal(signal.SIGINT, lambda *_: caught.append(1))  # the REPL's own handler
        from sympy import Symbol
        from derivtutor.algebra import cas
        cas.warm()
        end = time.monotonic() + 1.5
        while time.monotonic() < end:  # Ctrl-C, again and again, while SymPy loads in the workers
            os.killpg(0, signal.SIGINT)
            time.sleep(0.05)
        w = Symbol("w")
        print(cas.call("expand", (w + 1) ** 30).coeff(w, 3), bool(caught))
        cas.shutdown()

    if __name__ == "__main__":
        main()
""")


def test_ctrl_c_while_the_calculator_starts_prints_no_traceback(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    done = subprocess.run([sys.executable, str(probe)], cwd=ROOT, capture_output=True, text=True,
                          start_new_session=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["4060", "True"]  # the work still ran; the parent saw its Ctrl-Cs
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr

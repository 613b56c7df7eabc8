"""Worst wall time over hostile inputs: explain, check, a lesson answer and each free-play command.

Every input must be answered within 2 s, then a message. Each case runs in its own child
process (so one that hangs is killed and counted, not waited for); the child warms the
calculator first, then times only the learner's action, and prints the seconds and the
first message. Run: python bench/bench_hostile.py [--limit SECONDS]
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

KILL_AFTER = 15.0  # a case still running after this is reported as a hang

DIFF20 = "x^x^x^x"
for _ in range(20):
    DIFF20 = f"diff({DIFF20}, x)"

SIN40 = "w"
for _ in range(40):
    SIN40 = f"sin({SIN40})"
SIGMOID8 = "w"
for _ in range(8):
    SIGMOID8 = f"sigmoid({SIGMOID8})"
PRODUCT120 = "*".join(f"a{i}" for i in range(120))

# (surface, what to run): explain/check take argv, play takes lines (the last one is timed),
# runner takes the answer typed at the first question of lesson 2.
CASES = [
    ("explain", ["x^x^x", "--at", "x=9"]),
    ("explain", ["x^x^x^x^x^x", "--at", "x=2"]),
    ("explain", ["w^w^w^w"]),
    ("explain", ["(w+1)^1000", "--at", "w=0.1"]),
    ("explain", [DIFF20]),
    ("check", ["x^x^x", "1", "--at", "x=9"]),
    ("check", ["w^2", "x^x^x^x^x^x"]),
    ("runner", ["x^x^x^x^x^x"]),
    ("runner", [DIFF20]),
    ("runner", ["w" * 1_000_000]),
    ("play", ["J = (w+1)^10000", "at w=-1", "show"]),
    ("play", ["J = (w+1)^10000", "at w=-1", "table"]),
    ("play", ["J = (w+1)^10000", "at w=-1", "plot"]),
    ("play", ["J = x^x^x", "at x=9", "show"]),
    ("play", [DIFF20]),
    ("play", ["w" * 1_000_000]),
    ("play", [f"J = {SIN40}", "at w=2", "graph"]),
    ("play", [f"J = {SIGMOID8}", "at w=2", "graph"]),
    ("play", [f"J = {SIGMOID8}", "at w=2", "show"]),
    ("play", [f"J = {PRODUCT120}", "grad"]),
    ("play", ["J = a*w", "at a=11, w=1", "graph quiz", "a^(a^a)"]),
    ("play", ["J = (a*w+1)^2", "at a=2, w=100", "graph quiz", "(2+3w)^5000"]),
]


def child(surface: str, args: list[str]) -> dict:
    """Run one case in this process and say how long the learner waited."""
    import contextlib
    import io

    from derivtutor import cas

    cas.call("ping")  # the calculator is warm, as it is a few seconds into any session
    out = io.StringIO()
    if surface in ("explain", "check"):
        from derivtutor import cli

        start = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                cli.main([surface, *args])
            except SystemExit:
                pass
        seconds = time.perf_counter() - start
        text = out.getvalue()
    elif surface == "runner":
        from derivtutor import lessons
        from derivtutor.runner import Runner

        run = Runner(lessons.load(lessons.shipped_dir() / "lesson2.toml", "en"), lang="en")
        run.start()
        start = time.perf_counter()
        messages = run.answer(args[0])
        seconds = time.perf_counter() - start
        text = "\n".join(m.plain() for m in messages)
    else:
        from derivtutor.play import PlaySession

        play = PlaySession(lang="en", plain=True, width=70)
        play.start()
        for line in args[:-1]:
            play.answer(line)
        start = time.perf_counter()
        messages = play.answer(args[-1])
        seconds = time.perf_counter() - start
        text = "\n".join(m.plain() for m in messages)
    return {"seconds": seconds, "message": " ".join(text.split())[:110]}


def label(surface: str, args: list[str]) -> str:
    shown = " | ".join(a if len(a) <= 30 else f"{a[:12]}…({len(a)} chars)" for a in args)
    return f"{surface}: {shown}"


def main() -> int:
    limit = float(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else 2.0
    worst = 0.0
    for surface, args in CASES:
        try:
            done = subprocess.run([sys.executable, __file__, "--child"], input=json.dumps([surface, args]),
                                  capture_output=True, text=True, timeout=KILL_AFTER)
            result = json.loads(done.stdout.strip().splitlines()[-1])
        except subprocess.TimeoutExpired:
            result = {"seconds": KILL_AFTER, "message": f"(still running after {KILL_AFTER:g} s: killed)"}
        except (IndexError, json.JSONDecodeError):
            result = {"seconds": float("nan"), "message": "(crashed) " + done.stderr.strip()[-200:]}
        worst = max(worst, result["seconds"])
        flag = "ok " if result["seconds"] <= limit and result["message"] else "BAD"
        print(f"{flag} {result['seconds']:6.2f} s  {label(surface, args)}\n             → {result['message']}")
    print(f"worst: {worst:.2f} s over {len(CASES)} hostile inputs (limit {limit:g} s)")
    return 0 if worst <= limit else 1


if __name__ == "__main__":
    if "--child" in sys.argv:
        surface, args = json.loads(sys.stdin.read())
        print(json.dumps(child(surface, args)))
    else:
        sys.exit(main())

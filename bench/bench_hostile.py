"""Worst wall time over hostile inputs: explain, check, a lesson answer and each free-play command
(every command in words.PLAY_COMMANDS is timed at least once, or the bench refuses to run).

Every input must be answered within 2 s, then a message. Each case runs in its own child
process (so one that hangs is killed and counted, not waited for); the child warms the
calculator and loads SymPy first, as a session has a few seconds in, then times only the
learner's action, and prints the seconds and the first message. A crash counts as a hang. Run: python bench/bench_hostile.py [--limit SECONDS]
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
    # issue 11's misleading cases and every other free-play command, each given something hostile
    ("explain", ["asin(2*w)"]),
    ("explain", ["0^x", "--at", "x=3"]),
    ("explain", ["asin(w)", "--at", "w=1"]),
    ("explain", ["(w+1)^10000", "--at", "w=0", "--json"]),
    ("explain", ["w^2", "--wrt", "lambda: 1"]),
    ("explain", ["w^2", "--at", "q=2"]),
    ("check", ["w^2", "(a+b+c+d+f+g+h+w)^12"]),
    ("check", ["w^2", "2*w", "--wrt", "3"]),
    ("check", ["w^2", "2*w + (sin(3*w) - 3*sin(w) + 4*sin(w)^3)*(w+1)^300*exp(w)^40*tan(w)^9"]),
    ("check", ["w^2", "2*w + (sin(3*w) - 3*sin(w) + 4*sin(w)^3)*(w+1)^3000*exp(w)^400"]),
    ("runner", ["(a+b+c+d+f+g+h+w)^12"]),
    ("play", ["J = x^x^x", "help"]),
    ("play", ["help " + "x" * 100_000]),
    ("play", ["J = x^x^x", "at x=1e308"]),
    ("play", ["J = w^2", "at w=" + "9" * 1900]),  # under the line cap, so the number itself is read
    ("play", ["J = w^2", "at w=x^x^x^x"]),
    ("play", [f"J = {PRODUCT120}", "at " + ", ".join(f"a{i}=1.5" for i in range(120))]),
    ("play", ["J = w^2", "let w = 10^10^10"]),
    ("play", ["J = (w+1)^10000", "at w=-1", "eps 1e-320"]),
    ("play", ["J = (w+1)^10000", "eps 10^10^10"]),
    ("play", ["J = (w+1)^10000", "at w=-1", "wrt " + "a" * 1900]),
    ("play", [f"J = {PRODUCT120}", "wrt a119"]),
    ("play", [f"J = {PRODUCT120}", "at " + ", ".join(f"a{i}=1.5" for i in range(120)), "grad"]),
    ("play", ["J = x^x^x", "at x=9", "x^x^x^x", "save"]),
    ("play", ["J = (a*w+1)^2", "at a=2, w=100", "graph quiz", "skip"]),
    ("play", ["J = x^x^x", "at x=9", "quit"]),
    ("play", ["J = (w+1)^10000", "at w=-1", "plot errors"]),
    ("play", ["J = x^2", "at x=1e10", "plot 0..1e-300"]),
    ("play", ["J = x^2", "at x=1", "plot -1e300..1e300"]),
    ("play", [f"J = {SIGMOID8}", "at w=2", "table"]),
    ("play", ["J = 0^x", "at x=3", "show"]),
    ("play", ["J = (w+1)^10000", "at w=2", "graph quiz", "skip"]),
    ("play", ["J = max(w, 1/w)", "at w=-1", "show"]),
]


def child(surface: str, args: list[str]) -> dict:
    """Run one case in this process and say how long the learner waited."""
    import contextlib
    import io

    from derivtutor.algebra import cas

    cas.call("ping")  # the calculator is warm, as it is a few seconds into any session
    # and SymPy is loaded in this process too: a session loads it behind the welcome, and the
    # start-up of a one-shot command is bench_startup.py's figure, not this one's
    from derivtutor.algebra import calculus, check, steps  # noqa: F401
    out = io.StringIO()
    if surface in ("explain", "check"):
        from derivtutor.commands import cli

        start = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                cli.main([surface, *args])
            except SystemExit:
                pass
        seconds = time.perf_counter() - start
        text = out.getvalue()
    elif surface == "runner":
        from derivtutor.teaching import lessons
        from derivtutor.teaching.runner import Runner

        run = Runner(lessons.load(lessons.shipped_dir() / "lesson2.toml", "en"), lang="en")
        run.start()
        start = time.perf_counter()
        messages = run.answer(args[0])
        seconds = time.perf_counter() - start
        text = "\n".join(m.plain() for m in messages)
    else:
        from derivtutor.play.play import PlaySession

        play = PlaySession(lang="en", plain=True, width=70)
        play.start()
        play.load()  # what the shell starts once the welcome is drawn
        play._loading.join()
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


def _command_of(line: str) -> str | None:
    from derivtutor.text.words import PLAY_COMMANDS

    word = line.split()[0].lower() if line.split() else ""
    return word if word in PLAY_COMMANDS else None


def untimed_commands() -> list[str]:
    """Free-play commands no case times (the last line of a play case): the bench must cover them all."""
    from derivtutor.text.words import PLAY_COMMANDS

    timed = {_command_of(args[-1]) for surface, args in CASES if surface == "play"}
    return [c for c in PLAY_COMMANDS if c not in timed]


def main() -> int:
    limit = float(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else 2.0
    missing = untimed_commands()
    if missing:
        print(f"no hostile case times these free-play commands: {', '.join(missing)}")
        return 1
    worst = 0.0
    by_surface: dict[str, float] = {}
    for surface, args in CASES:
        try:
            done = subprocess.run([sys.executable, __file__, "--child"], input=json.dumps([surface, args]),
                                  capture_output=True, text=True, timeout=KILL_AFTER)
            result = json.loads(done.stdout.strip().splitlines()[-1])
        except subprocess.TimeoutExpired:
            result = {"seconds": KILL_AFTER, "message": f"(still running after {KILL_AFTER:g} s: killed)"}
        except (IndexError, json.JSONDecodeError):
            result = {"seconds": float("nan"), "message": "(crashed) " + done.stderr.strip()[-200:]}
        seconds = result["seconds"] if result["seconds"] == result["seconds"] else KILL_AFTER  # a crash counts as a hang
        worst = max(worst, seconds)
        key = surface if surface != "play" else f"play {_command_of(args[-1]) or '(a line of math)'}"
        by_surface[key] = max(by_surface.get(key, 0.0), seconds)
        bad = seconds > limit or not result["message"] or "Traceback" in result["message"] \
            or "went wrong" in result["message"]
        print(f"{'BAD' if bad else 'ok '} {result['seconds']:6.2f} s  {label(surface, args)}\n             → {result['message']}")
    print("worst per surface (free play: per command):")
    for key, seconds in sorted(by_surface.items()):
        print(f"  {key:<16} {seconds:6.2f} s")
    print(f"worst: {worst:.2f} s over {len(CASES)} hostile inputs (limit {limit:g} s)")
    return 0 if worst <= limit else 1


if __name__ == "__main__":
    if "--child" in sys.argv:
        surface, args = json.loads(sys.stdin.read())
        print(json.dumps(child(surface, args)))
    else:
        sys.exit(main())

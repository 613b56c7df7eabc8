"""Plain mode: one line in, plain text out, no escape codes; the end of input saves and exits 0."""

import argparse
import io
import os
import re
import subprocess
import sys
import textwrap

import pytest

from derivtutor.text.messages import Message
from derivtutor.text.session import SessionParts
from derivtutor.terminal.plain import PlainShell
from derivtutor.terminal.saving import LessonSaver
from derivtutor.terminal.shell import wants_plain
from derivtutor.progress.store import Store

ESC = re.compile(r"\x1b|\x9b")

FAKE = textwrap.dedent('''
    import argparse, sys
    from derivtutor.text.messages import Message
    from derivtutor.text.session import SessionParts
    from derivtutor.terminal.shell import run_session

    class Fake(SessionParts):
        done, prompt, position, hints_used, words = False, "k ≈", (1, 1), 0, ["hint"]
        def __init__(self):
            self.events = []
        def start(self):
            return [Message("say", "Take $J = w^2$ at $w = 3$. Predict `k`.")]
        def answer(self, line):
            if line == "boom":
                raise RuntimeError("secret internals")
            self.done = line == "6"
            return [Message("echo", "I read that as " + line),
                    Message("feedback", "Right." if self.done else "Not quite.", ok=self.done)]
        def state(self):
            return {}

    ns = argparse.Namespace(lang=sys.argv[1], plain=False, no_color=False, vi=False)
    sys.exit(run_session(Fake(), ns))
''')


class Fake(SessionParts):
    def __init__(self):
        self.done = False
        self.prompt = "k ≈"
        self.position = (1, 1)
        self.hints_used = 0
        self.words = []
        self.events = []
        self.lines = []

    def start(self):
        return [Message("say", "Predict $k$.")]

    def answer(self, line):
        self.lines.append(line)
        self.events.append({"lesson": "lesson1", "step": "q", "kind": "number", "correct": line == "6",
                            "attempts": 1, "hints": 0, "answer": line})
        self.done = line == "6"
        return [Message("feedback", "Right." if self.done else "Not quite.", ok=self.done)]

    def state(self):
        return {"lines": list(self.lines)}


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVTUTOR_HOME", str(tmp_path))
    return tmp_path


def env(home, **more):
    e = dict(os.environ, DERIVTUTOR_HOME=str(home), PYTHONIOENCODING="utf-8", **more)
    e.pop("NO_COLOR", None)
    return e


def run_plain(session, text, lang="en", persist=None):
    out = io.StringIO()
    code = PlainShell(session, lang, persist, stdin=io.StringIO(text), stdout=out).run()
    return code, out.getvalue()


def test_a_transcript_in_plain_text():
    session = Fake()
    code, out = run_plain(session, "5\n\n6\nnever read\n")
    assert code == 0
    assert session.lines == ["5", "6"]
    assert out == ("tutor › Predict k.\n"
                   "you   › k ≈ 5\n"
                   "tutor › ✗ Not quite.\n"
                   "you   › k ≈ \n"
                   "you   › k ≈ 6\n"
                   "tutor › ✓ Right.\n")
    assert not ESC.search(out)


def test_end_of_input_saves_and_exits_zero(home):
    store = Store.open(home)
    session = Fake()
    code, out = run_plain(session, "5\n", persist=LessonSaver(store, "lesson1"))
    assert code == 0
    assert out.endswith("tutor › Saved. `derivtutor start` continues where you stopped.\n")
    assert store.load_state("lesson1") == {"lines": ["5"]}
    assert len(store.attempts("lesson1")) == 1


def test_quit_leaves_without_reaching_the_session():
    session = Fake()
    code, out = run_plain(session, "quit\n5\n", lang="zh")
    assert code == 0 and session.lines == []
    assert "再见！" in out


def test_pipes_and_plain_flag_choose_plain_mode():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    ns = argparse.Namespace(plain=False)
    assert wants_plain(ns, io.StringIO(), Tty())
    assert wants_plain(ns, Tty(), io.StringIO())
    assert not wants_plain(ns, Tty(), Tty())
    assert wants_plain(argparse.Namespace(plain=True), Tty(), Tty())


@pytest.mark.parametrize("lang,said", [("en", "Something went wrong while I worked on that"),
                                       ("zh", "处理这个回答时出了问题")])
def test_a_session_through_a_pipe(home, lang, said):
    proc = subprocess.run([sys.executable, "-c", FAKE, lang], input="5\nboom\n6\n", capture_output=True,
                          text=True, encoding="utf-8", env=env(home), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert not ESC.search(proc.stdout)
    label = {"en": "tutor", "zh": "老师"}[lang]
    assert f"{label} › Take J = w^2 at w = 3. Predict `k`." in proc.stdout
    assert "✗ Not quite." in proc.stdout and "✓ Right." in proc.stdout
    assert said in proc.stdout and "Traceback" not in proc.stdout + proc.stderr
    assert "secret internals" in (home / "derivtutor.log").read_text(encoding="utf-8")


def test_no_colour_even_with_a_terminal_colour_setting(home):
    proc = subprocess.run([sys.executable, "-c", FAKE, "en"], input="6\n", capture_output=True, text=True,
                          encoding="utf-8", env=env(home, TERM="xterm-256color", FORCE_COLOR="1"), timeout=60)
    assert proc.returncode == 0 and not ESC.search(proc.stdout)


def cli(home, args, stdin):
    return subprocess.run([sys.executable, "-m", "derivtutor", *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", env=env(home), timeout=120)


def test_list_shows_lessons_steps_and_progress(home):
    proc = cli(home, ["list"], "")
    assert proc.returncode == 0, proc.stderr
    assert not ESC.search(proc.stdout)
    assert re.search(r"1\. lesson1  What a derivative is  \(\d+ steps, not started\)", proc.stdout)
    store = Store.open(home)
    store.save_state("lesson1", {"pos": 3}, 4, 20)
    store.close()
    proc = cli(home, ["list", "--lang", "zh"], "")
    assert re.search(r"1\. lesson1  \S+（\d+ 步，已完成 15%）", proc.stdout), proc.stdout
    store = Store.open(home)
    store.save_state("lesson1", {"pos": 20}, 20, 20, finished=True)
    store.close()
    assert "✓ complete" in cli(home, ["list"], "").stdout


def test_start_without_a_lesson_offers_a_menu_and_enter_leaves(home):
    proc = cli(home, ["start"], "\n")
    assert proc.returncode == 0, proc.stderr
    assert "1. lesson1" in proc.stdout and "Which lesson? Type its number" in proc.stdout
    proc = cli(home, ["start"], "lesson99\n\n")  # a wrong choice is explained, then asked again
    assert proc.returncode == 0 and "There is no lesson `lesson99`." in proc.stdout


def test_an_unknown_lesson_is_a_sentence_not_a_traceback(home):
    proc = cli(home, ["start", "lesson99"], "")
    assert proc.returncode == 2
    assert "There is no lesson `lesson99`." in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_printf_into_start_lesson1(home):
    proc = cli(home, ["start", "lesson1"], "6\nhint\n")
    assert proc.returncode == 0, proc.stderr
    assert not ESC.search(proc.stdout)
    out = proc.stdout
    assert out.startswith("tutor › Lesson 1: What a derivative is.")
    assert "you   › " in out and "6" in out
    assert "Hint 1/" in out
    assert out.rstrip().endswith("Saved. `derivtutor start` continues where you stopped.")
    assert Store.open(home).load_state("lesson1") is not None


def test_start_again_resumes_and_a_finished_menu_choice_works(home):
    cli(home, ["start", "lesson1"], "9\n")
    proc = cli(home, ["start"], "")  # no argument: continue the last lesson
    assert proc.returncode == 0, proc.stderr
    assert "Welcome back" in proc.stdout
    proc = cli(home, ["start", "--restart", "lesson1"], "")
    assert "Lesson 1: What a derivative is." in proc.stdout and "Welcome back" not in proc.stdout


def test_a_reader_that_goes_away_early_is_not_a_crash(tmp_path):
    env = {**os.environ, "DERIVTUTOR_HOME": str(tmp_path)}
    script = f'printf "9\\n9.006001\\n" | "{sys.executable}" -m derivtutor start lesson1 | head -1'
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert proc.stdout.startswith("tutor") and "Traceback" not in proc.stderr
    assert not (tmp_path / "derivtutor.log").exists()


def test_a_transcript_never_shows_the_prompt_twice():
    from derivtutor.terminal.plain import transcript_line

    assert transcript_line("dJ/dw =", "dJ/dw = 2w", "en") == "you   › dJ/dw = 2w\n"
    assert transcript_line("dJ/dw =", "2w", "en") == "you   › dJ/dw = 2w\n"
    assert transcript_line("", "6", "en") == "you   › 6\n"

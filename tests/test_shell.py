"""The prompt_toolkit REPL driven through a pipe: the chat loop, keys, completion, saving, loading."""

import os
import signal
import subprocess
import sys
import threading
import time
import types

import pytest
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.document import Document
from prompt_toolkit.enums import EditingMode
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from derivtutor.terminal import loader, render, toolbar
from derivtutor.terminal.completion import TutorCompleter
from derivtutor.text.messages import Message
from derivtutor.text.session import SessionParts
from derivtutor.terminal.repl import Repl, first_line
from derivtutor.terminal.saving import EventRecorder, LessonSaver
from derivtutor.progress.store import Store


class FakeRunner(SessionParts):
    """Two questions, both "6"; `hint` counts; `boom` fails inside; `slow` takes a while."""

    def __init__(self, lesson=None, state=None, lang="en", delay=0.0):
        self.lesson = lesson
        self.title = "What a derivative is"
        self.done = False
        self.prompt = "k ≈"
        self.n = (state or {}).get("n", 1)
        self.hints_used = 0
        self.words = ["hint", "skip", "w", "J"]
        self.events = []
        self.lines = []
        self.cancelled = 0
        self.delay = delay

    @property
    def position(self):
        return (self.n, 2)

    def start(self):
        return [Message("say", "Take $J = w^2$ at $w = 3$."), Message("question", "Predict $k$.")]

    def answer(self, line):
        self.lines.append(line)
        if line == "hint":
            self.hints_used += 1
            return [Message("hint", "Compare $3.001^2$ with $9$.")]
        if line == "boom":
            raise RuntimeError("secret internals")
        if line == "slow":
            time.sleep(self.delay)
            return [Message("say", "That took a while.")]
        ok = line.strip() == "6"
        self.events.append({"lesson": "lesson1", "step": f"q{self.n}", "kind": "predict",
                            "correct": ok, "attempts": 1, "hints": self.hints_used, "answer": line})
        out = [Message("echo", f"I read that as {line}"), Message("feedback", "Right." if ok else "Not quite.", ok=ok)]
        if ok:
            self.n += 1
            self.done = self.n > 2
        return out

    def cancel(self):
        self.cancelled += 1

    def state(self):
        return {"n": self.n}


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVTUTOR_HOME", str(tmp_path))
    return tmp_path


def flat(text):
    return " ".join(text.split())


def drive(session, keys, history=None, then=(), pause=0.3, **options):
    """Run the REPL on `keys` (then each of `then` `pause` seconds apart, as a person types);
    returns (exit code, transcript text, repl)."""
    said = []
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        for i, more in enumerate(then, 1):
            threading.Timer(pause * i, pipe.send_text, (more,)).start()
        repl = Repl(session, input=pipe, output=DummyOutput(), printer=lambda f: said.append(f),
                    history=history if history is not None else InMemoryHistory(), **options)
        code = repl.run()
    return code, "".join(render.text(f) for f in said), repl


def test_a_lesson_as_a_chat():
    runner = FakeRunner()
    code, said, _ = drive(runner, "5\rhint\r6\r6\r")
    assert code == 0
    assert runner.lines == ["5", "hint", "6", "6"]
    assert said.startswith("tutor › Take J = w^2 at w = 3.")
    assert "↳ I read that as 5" in said and "✗ Not quite." in said
    assert "tutor › Compare 3.001^2 with 9." in said
    assert said.count("✓ Right.") == 2
    assert "Saved" not in said  # finished: the runner says goodbye, not the shell


def test_ctrl_c_cancels_the_line_and_stays():
    runner = FakeRunner()
    code, _, _ = drive(runner, "55\x03" + "6\r" + "\x04")
    assert code == 0
    assert runner.lines == ["6"]


def test_ctrl_d_and_quit_save_and_leave(home):
    store = Store.open(home)
    for keys in ("5\r\x04", "5\rquit\r"):
        runner = FakeRunner()
        code, said, _ = drive(runner, keys, persist=LessonSaver(store, "lesson1"))
        assert code == 0
        assert runner.lines == ["5"]  # `quit` never reaches the runner
        assert "Saved. derivtutor start continues where you stopped." in flat(said)
    assert store.load_state("lesson1") == {"n": 1}
    assert [a["answer"] for a in store.attempts("lesson1")] == ["5", "5"]


def test_every_answer_is_saved_before_the_next_prompt(home):
    store = Store.open(home)
    runner = FakeRunner()
    saver = LessonSaver(store, "lesson1")
    seen = []

    def persist(session):
        out = saver(session)
        seen.append((len(store.attempts("lesson1")), store.load_state("lesson1")))
        return out

    drive(runner, "6\r6\r", persist=persist)
    assert seen[:2] == [(1, {"n": 2}), (2, {"n": 3})]
    assert runner.events == []  # drained into the store
    assert store.progress_summary()["lesson1"]["complete"] is True


def test_pasted_lines_take_the_first_and_say_so():
    runner = FakeRunner()
    code, said, _ = drive(runner, "\x1b[200~6\nhint\nwhy\x1b[201~\r\x04")
    assert runner.lines == ["6"]
    assert "You pasted 3 lines; I took only the first: 6" in said


def test_first_line_of_a_paste():
    assert first_line("6") == ("6", 1)
    assert first_line("\n  \n6\r\nhint\n") == ("6", 2)
    assert first_line("") == ("", 0)


def test_unicode_input_reaches_the_runner_unchanged():
    runner = FakeRunner()
    drive(runner, "√w · ε²\r导数\r\x04")
    assert runner.lines == ["√w · ε²", "导数"]


def test_no_grey_suggestion_of_an_earlier_answer_in_a_lesson():
    history = InMemoryHistory(["6.000999999999479"])
    runner = FakeRunner()
    # Ctrl-E (end of line) would accept a grey suggestion if there were one.
    _, _, repl = drive(runner, "6", history=history, then=["\x05\r\x04"])
    assert repl.prompt_session.auto_suggest is None
    assert runner.lines == ["6"]


def test_free_play_suggests_from_history():
    history = InMemoryHistory(["6.000999999999479"])
    runner = FakeRunner()
    runner.suggest_from_history = True
    _, _, repl = drive(runner, "6", history=history, then=["\x05\r\x04"], pause=1.0)
    assert isinstance(repl.prompt_session.auto_suggest, AutoSuggestFromHistory)
    assert runner.lines == ["6.000999999999479"]


def test_ctrl_r_searches_history():
    history = InMemoryHistory(["w^2 + 1", "hint"])
    runner = FakeRunner()
    drive(runner, "\x12w^2\r\r\x04", history=history)
    assert runner.lines == ["w^2 + 1"]


def test_tab_completes_a_command():
    runner = FakeRunner()
    drive(runner, "hi\t", then=["\r\x04"], pause=1.0)
    assert runner.lines == ["hint"]


def test_completer_offers_commands_functions_and_lesson_words():
    completer = TutorCompleter(lambda: ["w", "J", "ε"], "en")

    def offered(text):
        return {c.text: c.display_meta_text for c in completer.get_completions(Document(text), None)}

    from derivtutor.algebra.mathnames import FUNCTIONS

    assert offered("3*si") == {name: "function" for name in FUNCTIONS if name.startswith("si") and name != "si"}
    assert {"sin", "sinh", "sigmoid"} <= set(offered("3*si"))
    s_words = offered("s")
    assert s_words["skip"] == "command" and s_words["sqrt"] == "function"
    assert set(s_words) == {"skip"} | {name for name in FUNCTIONS if name.startswith("s")}
    assert set(offered("")) == {"hint", "why", "skip", "back", "repeat", "help", "where", "quit", "next"}
    assert offered("3*") == {}
    assert offered("2*ε") == {}
    assert TutorCompleter(lambda: ["weight"], "zh").get_completions(Document("we"), None).__next__().display_meta_text == "变量"


def test_vi_mode():
    runner = FakeRunner()
    _, _, repl = drive(runner, "x\x1b0i6\r\x04", vi=True)
    assert repl.prompt_session.app.editing_mode == EditingMode.VI
    assert runner.lines == ["6x"]


def test_a_failure_inside_an_answer_is_logged_not_shown(home):
    runner = FakeRunner()
    code, said, _ = drive(runner, "boom\r6\r6\r")
    assert code == 0
    assert "Traceback" not in said and "secret internals" not in said
    assert "Something went wrong while I worked on that" in said
    log = (home / "derivtutor.log").read_text(encoding="utf-8")
    assert "RuntimeError: secret internals" in log
    assert str(home / "derivtutor.log") in said.replace("\n", "").replace(" ", "")
    assert runner.lines == ["boom", "6", "6"]  # the lesson went on


def test_a_slow_answer_shows_thinking_and_ctrl_c_stops_it():
    runner = FakeRunner(delay=0.8)
    spinner = []

    class Watch(DummyOutput):
        def write(self, data):
            spinner.append(data)

    threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    said = []
    with create_pipe_input() as pipe:
        pipe.send_text("slow\r\x04")
        code = Repl(runner, input=pipe, output=Watch(), history=InMemoryHistory(),
                    printer=lambda f: said.append(render.text(f))).run()
    assert code == 0
    assert any("thinking…" in s for s in spinner)
    assert runner.cancelled == 1
    text = "".join(said)
    assert text.index("Stopping that computation") < text.index("That took a while.")


def test_toolbar_shows_where_the_learner_is_and_fits():
    runner = FakeRunner()
    runner.hints_used = 1
    wide = toolbar.toolbar_text(runner, 120)
    assert "What a derivative is · step 1/2 · hints 1" in wide and "Ctrl-D save & quit" in wide
    narrow = toolbar.toolbar_text(runner, 40)
    assert render.cwidth(narrow) <= 40 and "step 1/2" in narrow
    zh = toolbar.toolbar_text(runner, 120, "zh")
    assert "第 1/2 步" in zh and "保存并退出" in zh


class FakeLesson:
    id = "lesson1"
    number = "1"
    title = "What a derivative is"
    summary = "Nudge w by ε."

    def __init__(self):
        step = lambda kind, text: types.SimpleNamespace(kind=kind, text=text)  # noqa: E731
        self.steps = (step("say", "A cost $J$ depends on $w$."), step("number", "What is $J$ at $w = 3$?"),
                      step("say", "It was {J3}."))


class OpeningRunner(FakeRunner):
    """Says what the lesson file says, plus a line of its own: only that line is new."""

    def start(self):
        return [Message("say", "Lesson 1: What a derivative is. Nudge w by ε."),
                Message("say", "A cost $J$ depends on $w$."),
                Message("question", "What is $J$ at $w = 3$?"),
                Message("progress", "(loaded)")]


def test_the_lesson_opens_before_the_runner_has_loaded(monkeypatch):
    gate = threading.Event()
    module = types.ModuleType("fake_slow_runner")
    module.Runner = OpeningRunner
    monkeypatch.setitem(sys.modules, "fake_slow_runner", module)
    lesson = FakeLesson()
    shown = loader.preview(lesson, None)
    assert [m.text for m in shown] == ["Lesson 1: What a derivative is. Nudge w by ε.",
                                      "A cost $J$ depends on $w$.", "What is $J$ at $w = 3$?"]
    session = loader.PendingRunner(lesson, None, "en", shown, module="fake_slow_runner",
                                   warm=lambda _: gate.wait(5))
    assert session.position == (1, 3) and session.prompt == "" and not session.ready
    threading.Timer(0.4, gate.set).start()
    code, said, _ = drive(session, "6\r6\r")
    assert code == 0
    assert said.count("A cost J depends on w.") == 1  # shown once, from the file
    assert "(loaded)" in said
    assert said.index("What is J at w = 3?") < said.index("(loaded)") < said.index("I read that as 6")


def test_resuming_previews_only_the_header():
    shown = loader.preview(FakeLesson(), {"pos": 2})
    assert [m.text for m in shown] == ["Lesson 1: What a derivative is. Nudge w by ε."]
    opening = [Message("say", shown[0].text), Message("progress", "Welcome back!"), Message("question", "Q?")]
    assert [m.text for m in loader.unseen(opening, shown)] == ["Welcome back!", "Q?"]


def test_an_import_error_reaches_the_learner_as_a_sentence(home):
    lesson = FakeLesson()
    session = loader.PendingRunner(lesson, None, "en", loader.preview(lesson, None),
                                   module="derivtutor_no_such_module", warm=None)
    code, said, _ = drive(session, "6\r")
    assert code == 1
    assert "I could not load my maths engine (ModuleNotFoundError)" in said
    assert "Traceback" not in said
    assert "derivtutor_no_such_module" in (home / "derivtutor.log").read_text(encoding="utf-8")


def test_event_recorder_drains_events_for_sessions_without_a_lesson(home):
    store = Store.open(home)
    runner = FakeRunner()
    drive(runner, "5\r\x04", persist=EventRecorder(store))
    assert [a["answer"] for a in store.attempts("lesson1")] == ["5"]
    assert store.load_state("lesson1") is None


def test_start_up_modules_leave_sympy_unimported():
    code = ("import sys, derivtutor.commands.cli, derivtutor.terminal.shell, derivtutor.terminal.render, derivtutor.terminal.lexer, "
            "derivtutor.terminal.repl, derivtutor.terminal.plain, derivtutor.terminal.saving, derivtutor.terminal.keys, "
            "derivtutor.terminal.loader, derivtutor.terminal.toolbar, derivtutor.terminal.completion\n"
            "from derivtutor.teaching import lessons\nfrom derivtutor.terminal import loader\n"
            "loader.preview(lessons.find('lesson1'), None)\n"
            "print('sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_failing_warm_up_is_reported_not_raised(monkeypatch):
    module = types.ModuleType("fake_quick_runner")
    module.Runner = FakeRunner
    monkeypatch.setitem(sys.modules, "fake_quick_runner", module)
    reported = []

    def warm(_):
        raise ValueError("cold")

    session = loader.PendingRunner(FakeLesson(), None, "en", [], module="fake_quick_runner", warm=warm,
                                   report=reported.append)
    assert session.answer("6")[1].ok is True
    assert [str(e) for e in reported] == ["cold"]


def test_free_play_completes_its_own_commands_and_a_lesson_does_not_offer_them():
    from derivtutor.text.words import PLAY_COMMANDS

    play = TutorCompleter(lambda: list(PLAY_COMMANDS) + ["x"], "en")
    offered = {c.text: c.display_meta_text for c in play.get_completions(Document("pl"), None)}
    assert offered == {"plot": "command"}
    lesson = TutorCompleter(lambda: ["hint", "why", "w"], "en")
    assert not list(lesson.get_completions(Document("pl"), None))


def test_leaving_early_lets_the_session_say_goodbye_itself():
    from derivtutor.terminal.conversation import farewell

    class Leaving(SessionParts):
        done = False

        def farewell(self):
            return [Message("say", "3 cards reviewed; the next is due tomorrow.")]

    from derivtutor.terminal.saving import saver

    assert farewell(Leaving(), "en", False)[0].text.startswith("3 cards reviewed")
    lesson = SessionParts()
    lesson.done = False
    recorder = EventRecorder(types.SimpleNamespace(saving=True, notices=[]))
    assert "continues where you stopped" in farewell(lesson, "en", recorder.saving)[0].plain()
    assert farewell(lesson, "en", saver(None).saving)[0].plain() == "Bye!"


def test_free_play_in_a_pipe_does_not_promise_to_continue_a_lesson(tmp_path):
    env = {**os.environ, "DERIVTUTOR_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "derivtutor", "play", "--plain"], input="J = x^2\nquit\n",
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0 and "derivtutor start" not in out.stdout


def test_an_answer_is_committed_before_its_verdict_is_shown(home):
    """kill -9 the moment "✓ Right" appears must not lose that answer: commit, then show."""
    store = Store.open(home)
    saver = LessonSaver(store, "lesson1")
    said = []
    shown_when_saved = []

    def persist(session):
        shown_when_saved.append("".join(render.text(f) for f in said))
        return saver(session)

    with create_pipe_input() as pipe:
        pipe.send_text("6\r\x04")
        Repl(FakeRunner(), input=pipe, output=DummyOutput(), printer=said.append,
             history=InMemoryHistory(), persist=persist).run()
    assert "Right." not in shown_when_saved[0]
    assert "Right." in "".join(render.text(f) for f in said)
    assert [a["answer"] for a in store.attempts("lesson1")] == ["6"]


def test_the_plain_loop_commits_before_it_shows_the_verdict(home):
    import io

    from derivtutor.terminal.plain import PlainShell

    store = Store.open(home)
    saver = LessonSaver(store, "lesson1")
    out = io.StringIO()
    shown_when_saved = []

    def persist(session):
        shown_when_saved.append(out.getvalue())
        return saver(session)

    PlainShell(FakeRunner(), "en", persist, stdin=io.StringIO("6\n"), stdout=out).run()
    assert "Right." not in shown_when_saved[0]
    assert "Right." in out.getvalue()


def test_a_history_file_that_cannot_be_read_or_written_means_no_history(home, monkeypatch):
    import prompt_toolkit.history

    from derivtutor.terminal import repl

    def refuse(*_args, **_kwargs):
        raise PermissionError("no")

    (home / "history").write_text("\n+6\n")
    history = repl.file_history()
    monkeypatch.setattr(prompt_toolkit.history, "open", refuse, raising=False)
    assert list(history.load_history_strings()) == []
    history.store_string("7")  # silently not kept
    runner = FakeRunner()
    code, said, _ = drive(runner, "6\r6\r", history=history)
    assert code == 0 and said.count("✓ Right.") == 2


def test_a_folder_named_history_gives_an_in_memory_history(home):
    from prompt_toolkit.history import InMemoryHistory

    from derivtutor.terminal import repl

    (home / "history").mkdir()
    assert isinstance(repl.file_history(), InMemoryHistory)


class ResumingRunner(FakeRunner):
    """A resumed lesson: the preview had only the header; the question comes with the runner."""

    def start(self):
        return [Message("say", "Lesson 1: What a derivative is. Nudge w by ε."),
                Message("progress", "Welcome back! You were at step 2 of 3."),
                Message("question", "What is $J$ at $w = 3.001$?")]


def test_a_line_typed_before_the_question_is_drawn_waits_for_the_learner(monkeypatch):
    """On resume the prompt is live before the question; `9` typed at once must not be judged
    against a question the learner has not seen: it goes back into the prompt until Enter."""
    gate = threading.Event()
    module = types.ModuleType("fake_resuming_runner")
    module.Runner = ResumingRunner
    monkeypatch.setitem(sys.modules, "fake_resuming_runner", module)
    lesson = FakeLesson()
    shown = loader.preview(lesson, {"pos": 1})
    session = loader.PendingRunner(lesson, {"pos": 1}, "en", shown, module="fake_resuming_runner",
                                   warm=lambda _: gate.wait(5))
    threading.Timer(0.3, gate.set).start()
    code, said, _ = drive(session, "9\r", then=["\r", "\x04"], pause=0.8)
    assert code == 0
    assert session._runner.lines == ["9"]  # judged once, after the question was on screen
    said = flat(said)
    assert said.index("What is J at w = 3.001?") < said.index("I have not judged it") < said.index("I read that as 9")


def test_messages_never_print_beside_the_spinner():
    drawn = []

    class Slow(FakeRunner):
        def answer(self, line):
            time.sleep(0.6)
            return [Message("say", "Done.")]

    runner = Slow()
    with create_pipe_input() as pipe:
        pipe.send_text("slow\r\x04")
        output = DummyOutput()
        repl = Repl(runner, input=pipe, output=output, printer=lambda f: drawn.append((repl._spinning, f)),
                    history=InMemoryHistory())
        repl.run()
    assert drawn and not any(spinning for spinning, _ in drawn)


class Quiz(SessionParts):
    title, position, hints_used = "Quiz", (2, 5), 0


def test_free_play_toolbar_has_no_step_1_of_1():
    from derivtutor.terminal import toolbar
    from derivtutor.play.play import PlaySession

    play = PlaySession()
    line = toolbar.toolbar_text(play, 100)
    assert "free play" in line and "step" not in line
    assert "step 2/5" in toolbar.status(Quiz())

"""The terminal side of a lesson: a prompt_toolkit chat, or a plain line-in/text-out loop.

The shell knows nothing about teaching. It drives any object with the Runner
contract (docs/architecture.md): print `start()`, then for each learner line
print `answer(line)`, saving progress after every answer. Entry points for
cli.py: `run_start`, `run_list`, `run_session`.

Start-up: nothing here imports SymPy. The lesson file is read directly and its
opening is shown while the runner (and SymPy) load in the background (loader).
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path
from typing import Any, Callable, TextIO

from derivtutor.text import i18n, safe_text
from derivtutor.terminal import render, startup_gc
from derivtutor.text.messages import Message
from derivtutor.text.session import Session
from derivtutor.text.i18n import Catalog

THINKING_DELAY = 0.15  # seconds of silence before "thinking…" shows
STOP_GRACE = 0.8  # seconds after Ctrl-C before the shell stops waiting for work that did not stop
LOAD_DELAY = 0.05  # seconds after the first prompt is drawn before SymPy starts loading
STORE_DELAY = 0.3  # seconds after it before a first run's progress file is created
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
QUIT_WORDS = ("quit", "exit", "q", "退出")
LOG_NAME = "derivtutor.log"
HISTORY_NAME = "history"

TEXT = Catalog(__name__, 'TEXT')


# -- small helpers ------------------------------------------------------------------------

def data_dir() -> Path:
    """Where history and the crash log live: the progress store's folder (DERIVTUTOR_HOME wins)."""
    from derivtutor.progress.store import default_home

    return default_home()


def crash_log(error: BaseException | None = None, where: str = "") -> Path:
    """Append the traceback to the log file in the data dir (or the temp dir); return its path."""
    import tempfile
    import traceback

    text = "".join(traceback.format_exception(type(error), error, error.__traceback__)) if error else ""
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    for folder in (data_dir, lambda: Path(tempfile.gettempdir())):
        try:
            path = folder() / LOG_NAME
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as f:
                f.write(f"--- {stamp} {where}\n{text}\n")
            return path
        except OSError:
            continue
    return Path(LOG_NAME)


def first_line(text: str) -> tuple[str, int]:
    """A pasted block counts as its first non-blank line; also returns how many lines there were."""
    lines = [line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    filled = [line for line in lines if line.strip()]
    if len(filled) <= 1:
        return (filled[0] if filled else text.strip("\n")), len(filled)
    return filled[0], len(filled)


def terminal_width(default: int = 80) -> int:
    """Columns of the terminal on stdout, else $COLUMNS, else `default` (pipes)."""
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns or default
    except (AttributeError, ValueError, OSError):
        try:
            return int(os.environ.get("COLUMNS", default))
        except ValueError:
            return default


def is_quit(line: str) -> bool:
    return line.strip().lower() in QUIT_WORDS


def wants_plain(ns: Any, stdin: TextIO | None = None, stdout: TextIO | None = None) -> bool:
    """--plain, a pipe on either side, or a terminal that cannot do more (TERM=dumb)."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    if getattr(ns, "plain", False) or os.environ.get("TERM") == "dumb":
        return True
    try:
        return not (stdin.isatty() and stdout.isatty())
    except (AttributeError, ValueError):
        return True


def wants_color(ns: Any) -> bool:
    return not (getattr(ns, "no_color", False) or os.environ.get("NO_COLOR"))


def _lang(ns: Any) -> str:
    return getattr(ns, "lang", None) or i18n.language()


def _note(key: str, lang: str, kind: str = "say", **fields: object) -> Message:
    return Message(kind, i18n.tr(TEXT[key], lang, **fields))


# -- saving ---------------------------------------------------------------------------------

class FirstRunStore:
    """The progress store on a learner's first run, before its file exists.

    There is nothing to resume yet, so the file (a new SQLite database: a few writes and
    syncs) is created once the prompt is live, or at the first save, not before the
    first prompt. Its notices ("cannot save here") then come with the first answer.
    """

    def __init__(self, lang: str | None = None):
        self.lang = lang
        self._store: Any = None

    @staticmethod
    def wanted() -> bool:
        """True when the learner has no progress file yet (a folder that fails to answer counts as one)."""
        from derivtutor.progress.store import FILENAME, default_home

        try:
            return not (default_home() / FILENAME).exists()
        except (OSError, ValueError):
            return False

    def ensure_open(self) -> Any:
        if self._store is None:
            from derivtutor.progress.store import Store

            self._store = Store.open(lang=self.lang)
        return self._store

    @property
    def notices(self) -> list[str]:
        return self._store.notices if self._store is not None else []

    @property
    def saving(self) -> bool:
        return self._store.saving if self._store is not None else True

    def last_lesson(self) -> None:
        return None

    def progress_summary(self) -> dict:
        return {}

    def load_state(self, lesson_id: str) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.ensure_open(), name)


class EventRecorder:
    """After every answer: record the session's new events in the store (free play, review)."""

    def __init__(self, store: Any):
        self.store = store
        self._notices = len(store.notices)

    def prepare(self) -> None:
        """Create a first run's store file now (the prompt is live), not at the first answer."""
        ensure_open = getattr(self.store, "ensure_open", None)
        if callable(ensure_open):
            ensure_open()

    def __call__(self, session: Session) -> list[Message]:
        if not session.ready:
            return []
        events = session.events
        while events:
            self.store.record(events.pop(0))
        self.save(session)
        return self.news()

    def save(self, session: Session) -> None:
        """Nothing more to keep for a session without a lesson."""

    def news(self) -> list[Message]:
        """Store notices that appeared since last time ("could not save …")."""
        fresh = self.store.notices[self._notices:]
        self._notices = len(self.store.notices)
        return [Message("error", text) for text in fresh]


class LessonSaver(EventRecorder):
    """Events, then the runner's state and position, so `start` resumes exactly here."""

    def __init__(self, store: Any, lesson_id: str):
        super().__init__(store)
        self.lesson_id = lesson_id

    def save(self, session: Session) -> None:
        n, total = session.position
        self.store.save_state(self.lesson_id, session.state(), n, total, finished=bool(session.done))


# -- the plain loop ---------------------------------------------------------------------------

class PlainShell:
    """One line in, plain text out; no escape codes. Used for pipes, --plain and TERM=dumb."""

    def __init__(self, session: Session, lang: str, persist: Callable | None = None,
                 stdin: TextIO | None = None, stdout: TextIO | None = None):
        self.session = session
        self.lang = lang
        self.persist = persist
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.width = terminal_width()

    def show(self, messages: list[Message]) -> None:
        if messages:
            self.stdout.write(render.to_plain(messages, width=self.width, lang=self.lang))
            self.stdout.flush()

    def _save(self) -> list[Message]:
        """Commit what the session has done; returns the store's notices, if any, to show."""
        return self.persist(self.session) if self.persist is not None else []

    def run(self) -> int:
        self.show(self.session.start())
        opened = self.session.opened
        if opened is not None:
            self.session.load()
            try:
                self.show(opened.result())
            except Exception as err:  # the import failed: say so, keep the traceback out
                self.show([_note("load_broke", self.lang, "error", error=type(err).__name__,
                                 path=crash_log(err, "loading the runner"))])
                return 1
        interactive = _isatty(self.stdin)
        while not self.session.done:
            prompt = render.text(render.prompt_fragments(self.session.prompt, self.lang))
            if interactive:
                self.stdout.write(prompt)
                self.stdout.flush()
            try:
                raw = self.stdin.readline()
            except KeyboardInterrupt:  # Ctrl-C cancels the line, as in the REPL
                self.stdout.write("\n")
                continue
            if not raw:
                break
            line = raw.rstrip("\r\n")
            if not interactive:  # the terminal did not echo it: keep the transcript readable
                self.stdout.write(transcript_line(self.session.prompt, line, self.lang))
            if not line.strip():
                continue
            if is_quit(line):
                break
            try:
                messages = self.session.answer(line)
            except KeyboardInterrupt:
                self.show([_note("stopping", self.lang, "progress")])
                continue
            except Exception as err:  # noqa: BLE001 - a learner never sees a traceback
                messages = [_note("answer_broke", self.lang, "error", path=crash_log(err, "answer"))]
            self.show(messages + self._save())  # committed before the verdict is on screen
        self.show(self._save())
        self.show(farewell(self.session, self.lang, self.persist))
        return 0


def transcript_line(prompt: str, line: str, lang: str) -> str:
    """"you › dJ/dw = 2w": the learner's line after the prompt, without the prompt twice when the
    learner typed it too (never "dJ/dw = dJ/dw = 2w")."""
    said = safe_text.clean(line, keep_layout=False)
    typed_it = prompt.strip() and " ".join(said.split()).startswith(" ".join(prompt.split()))
    return render.text(render.prompt_fragments("" if typed_it else prompt, lang)) + said + "\n"


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def farewell(session: Session, lang: str, persist: Callable | None) -> list[Message]:
    """What to say when the learner leaves (quit, Ctrl-D, end of input) before the end.

    A session may say it itself (free play has nothing to resume; review sums up)."""
    if session.done:
        return []
    custom = session.farewell()
    if custom is not None:
        return list(custom)
    saving = persist is not None and getattr(getattr(persist, "store", None), "saving", True)
    return [_note("saved" if saving else "bye", lang, "progress")]


# -- entry points -------------------------------------------------------------------------------

def run_session(session: Session, ns: Any, persist: Callable | None = None) -> int:
    """Drive any object with the Runner contract, in the REPL or the plain loop.

    `persist(session) -> list[Message]` runs after every answer and at the end;
    by default the session's events are recorded in the progress store.
    """
    lang = _lang(ns)
    if persist is None and session.events is not None:
        from derivtutor.progress.store import Store

        persist = EventRecorder(Store.open(lang=lang))
    try:
        if wants_plain(ns):
            return PlainShell(session, lang, persist).run()
        return Repl(session, lang=lang, persist=persist, color=wants_color(ns),
                    vi=bool(getattr(ns, "vi", False))).run()
    except BrokenPipeError:  # the reader went away (`| head`): save quietly and leave
        if persist is not None:
            persist(session)
        raise
    except Exception as err:  # noqa: BLE001 - last line of defence: log it, say where, save
        path = crash_log(err, "shell")
        try:
            if persist is not None:
                persist(session)
        except Exception as again:  # noqa: BLE001
            crash_log(again, "saving after a crash")
        sys.stdout.write(render.to_plain([_note("broke", lang, "error", path=path)], lang=lang))
        return 1
    finally:
        _stop_workers()


def _stop_workers() -> None:
    """The cas worker process leaves with the tutor (only if cas was ever loaded)."""
    cas = sys.modules.get("derivtutor.algebra.cas")
    if cas is not None:
        try:
            cas.shutdown()
        except Exception as err:  # noqa: BLE001 - leaving must not fail
            crash_log(err, "stopping the cas worker")


def run_start(ns: Any) -> int:
    """`derivtutor start [LESSON]`: the named lesson, else the last one, else a menu."""
    # Keys typed while the tutor starts wait for the prompt, which draws them; the terminal's
    # own echo would print them above the lesson.
    restore = (lambda: None) if wants_plain(ns) else _echo_off(sys.stdin)
    try:
        return _run_start(ns)
    finally:
        restore()


def _run_start(ns: Any) -> int:
    from derivtutor.teaching import lessons
    from derivtutor.terminal import loader
    from derivtutor.progress.store import Store

    lang = _lang(ns)
    extra = list(getattr(ns, "lessons", None) or [])
    store = FirstRunStore(lang) if FirstRunStore.wanted() else Store.open(lang=lang)
    plain = wants_plain(ns)
    out = _Out(plain, lang, wants_color(ns))
    out.show([Message("error", n) for n in store.notices])
    ref = getattr(ns, "lesson", None)
    if not ref:
        last = store.last_lesson()
        if last and not store.progress_summary().get(last, {}).get("complete"):
            ref = last
    try:
        if not ref:
            skipped: list = []
            found = lessons.available(lang, extra, skipped)
            out.show([Message("error", lessons.left_out(p, lang)) for p in skipped])
            lesson = choose_lesson(found, store, lang, out, extra)
            if lesson is None:
                return 0
        else:
            lesson = lessons.find(ref, lang, extra)
    except (lessons.LessonNotFound, lessons.LessonError) as err:
        out.show([_note("no_lesson", lang, "error", error=err.localized(lang).strip())])
        return 2
    state = None if getattr(ns, "restart", False) else store.load_state(lesson.id)
    if state is not None and store.progress_summary().get(lesson.id, {}).get("complete"):
        state = None
        out.show([_note("again", lang, "progress")])
    session = loader.PendingRunner(lesson, state, lang, loader.preview(lesson, state, lang),
                                   report=lambda err: crash_log(err, "warming up"))
    return run_session(session, ns, LessonSaver(store, lesson.id))


def lesson_line(index: int, lesson: Any, summary: dict | None, lang: str) -> str:
    """"2. lesson2  Symbolic derivatives  (14 steps, 21% done)", or "✓ complete"."""
    steps = i18n.tr(TEXT["steps"], lang, n=len(lesson.steps))
    if not summary:
        where = i18n.tr(TEXT["new"], lang)
    elif summary.get("complete"):
        where = i18n.tr(TEXT["complete"], lang)
    else:
        total = summary.get("total") or len(lesson.steps)
        where = i18n.tr(TEXT["progress"], lang, pct=round(100 * summary.get("done", 0) / max(total, 1)))
    return i18n.tr(TEXT["line"], lang, i=index, id=lesson.id, title=lesson.title, steps=steps, where=where)


def run_list(ns: Any) -> int:
    """`derivtutor list`: every lesson with its title, size and the learner's progress."""
    from derivtutor.teaching import lessons
    from derivtutor.progress.store import Store

    lang = _lang(ns)
    skipped: list = []
    found = lessons.available(lang, list(getattr(ns, "lessons", None) or []), skipped)
    store = Store.open(lang=lang)
    out = _Out(wants_plain(ns), lang, wants_color(ns))
    out.show([Message("error", n) for n in store.notices])
    out.show([Message("error", lessons.left_out(p, lang)) for p in skipped])
    if not found:
        out.show([_note("no_lessons", lang)])
        return 0
    summary = store.progress_summary()
    lines = [lesson_line(i, lesson, summary.get(lesson.id), lang) for i, lesson in enumerate(found, 1)]
    out.show([_note("list_head", lang), Message("block", block="\n".join(lines))])
    return 0


def choose_lesson(found: list, store: Any, lang: str, out: "_Out", extra: list | None = None) -> Any | None:
    """A numbered menu; the answer is a number, an id or a word of a title. None leaves."""
    from derivtutor.teaching import lessons

    if not found:
        out.show([_note("no_lessons", lang)])
        return None
    summary = store.progress_summary()
    lines = [lesson_line(i, lesson, summary.get(lesson.id), lang) for i, lesson in enumerate(found, 1)]
    out.show([Message("block", block="\n".join(lines)), _note("menu", lang, "question")])
    while True:
        choice = out.ask(lang)
        if choice is None or not choice.strip() or is_quit(choice):
            return None
        choice = choice.strip()
        if choice.isdigit() and 1 <= int(choice) <= len(found):
            return found[int(choice) - 1]
        try:
            return lessons.find(choice, lang, extra or [])
        except lessons.LessonNotFound as err:
            out.show([Message("error", err.localized(lang))])


class _Out:
    """Printing before the chat starts (notices, the menu), in colour or plain."""

    def __init__(self, plain: bool, lang: str, color: bool = True):
        self.plain = plain
        self.lang = lang
        self.color = color

    def show(self, messages: list[Message]) -> None:
        if not messages:
            return
        if self.plain:
            sys.stdout.write(render.to_plain(messages, lang=self.lang))
            sys.stdout.flush()
            return
        print_turn(messages, self.lang, color=self.color)

    def ask(self, lang: str) -> str | None:
        prompt = render.text(render.prompt_fragments("", lang))
        if self.plain:
            if _isatty(sys.stdin):
                sys.stdout.write(prompt)
                sys.stdout.flush()
            line = sys.stdin.readline()
            return line.rstrip("\r\n") if line else None
        return ask_line(lang)


# -- the prompt_toolkit REPL ----------------------------------------------------------------------
# prompt_toolkit is imported inside these functions so plain mode (pipes) never loads it.

def _style():
    from prompt_toolkit.styles import Style

    return Style.from_dict(render.STYLE)


def _color_depth(color: bool):
    from prompt_toolkit.output import ColorDepth

    return None if color else ColorDepth.DEPTH_1_BIT


def print_turn(messages: list[Message], lang: str, output: Any = None, color: bool = True) -> None:
    """Print a tutor turn in colour, above a running prompt if there is one."""
    from prompt_toolkit import print_formatted_text
    from prompt_toolkit.application import get_app_session
    from prompt_toolkit.formatted_text import FormattedText

    output = output or get_app_session().output
    fragments = render.render(messages, width=output.get_size().columns, lang=lang)
    print_formatted_text(FormattedText(fragments), end="", style=_style(), output=output,
                         color_depth=_color_depth(color), include_default_pygments_style=False)


def ask_line(lang: str) -> str | None:
    """One line from the learner outside a lesson (the menu); None on Ctrl-D or Ctrl-C."""
    from prompt_toolkit import prompt
    from prompt_toolkit.formatted_text import FormattedText

    try:
        return prompt(FormattedText(render.prompt_fragments("", lang)), style=_style(),
                      include_default_pygments_style=False)
    except (EOFError, KeyboardInterrupt):
        return None


def _history():
    """Lines typed before, kept in the data dir so Up and Ctrl-R find them next time.

    A history that cannot be read or written (a folder in its place, no permission, a full
    disk) only means no history: prompt_toolkit would otherwise show its traceback screen.
    """
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    class TolerantHistory(FileHistory):
        def load_history_strings(self):
            try:
                yield from list(super().load_history_strings())
            except (OSError, ValueError):
                return

        def store_string(self, string: str) -> None:
            try:
                super().store_string(string)
            except (OSError, ValueError):
                pass

    try:
        folder = data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / HISTORY_NAME
        path.touch(exist_ok=True)
        if not path.is_file():
            return InMemoryHistory()
        return TolerantHistory(str(path))
    except OSError:
        return InMemoryHistory()


class Repl:
    """The chat in a terminal: a prompt_toolkit prompt per learner line, tutor turns printed above.

    `printer(fragments)` receives every tutor turn (tests capture it); by
    default the turn is printed to the same output as the prompt.
    """

    def __init__(self, session: Session, *, lang: str = "en", persist: Callable | None = None,
                 color: bool = True, vi: bool = False, input: Any = None, output: Any = None,
                 history: Any = None, printer: Callable | None = None):
        from prompt_toolkit import PromptSession
        from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
        from prompt_toolkit.formatted_text import FormattedText
        from prompt_toolkit.lexers import PygmentsLexer

        from derivtutor.terminal import completion, lexer, toolbar

        self.session = session
        self.lang = lang
        self.persist = persist
        self.color = color
        self.style = _style()
        self.fatal: BaseException | None = None
        self._typeahead = ""
        self._abandoned = None  # a line whose result Ctrl-C gave up waiting for, still running
        self._loading_started = False
        self._opening_asked = False   # the runner's opening drew a question the preview had not
        self._spinning = False
        self._leaving = False  # Ctrl-D came while the tutor worked
        # An earlier right answer must never show up as a grey suggestion in a lesson.
        suggest = AutoSuggestFromHistory() if session.suggest_from_history else None
        self.prompt_session = PromptSession(
            message=lambda: FormattedText(render.prompt_fragments(self.session.prompt, self.lang)),
            lexer=PygmentsLexer(lexer.MathLexer, sync_from_start=True),
            completer=completion.TutorCompleter(lambda: self.session.words, lang),
            complete_while_typing=False,
            auto_suggest=suggest,
            history=history if history is not None else _history(),
            bottom_toolbar=lambda: [("class:bottom-toolbar", toolbar.toolbar_text(
                self.session, self.output.get_size().columns, self.lang))],
            style=self.style,
            include_default_pygments_style=False,
            color_depth=_color_depth(color),
            vi_mode=vi,
            input=input,
            output=output,
        )
        self.input = self.prompt_session.app.input
        self.output = self.prompt_session.app.output
        self.printer = printer or self._print

    # -- output ---------------------------------------------------------------------------------

    def _print(self, fragments: render.Fragments) -> None:
        from prompt_toolkit import print_formatted_text
        from prompt_toolkit.formatted_text import FormattedText

        print_formatted_text(FormattedText(fragments), end="", style=self.style, output=self.output,
                             color_depth=_color_depth(self.color), include_default_pygments_style=False)

    def show(self, messages: list[Message]) -> None:
        if messages:
            if self._spinning:  # never print beside "⠸ thinking…": clear that line first
                self._spinner(None)
            width = self.output.get_size().columns
            self.printer(render.render(messages, width=width, lang=self.lang))

    def _save(self) -> list[Message]:
        """Commit what the session has done; returns the store's notices, if any, to show."""
        return self.persist(self.session) if self.persist is not None else []

    # -- the loop -----------------------------------------------------------------------------------

    def run(self) -> int:
        import asyncio

        restore = _echo_off(self.input)
        try:
            return asyncio.run(self.run_async())
        finally:  # after the loop has closed, so no prompt_toolkit cleanup comes later
            restore()

    async def run_async(self) -> int:
        self.show(self.session.start())
        opening = self._watch_opening()
        while not self.session.done and self.fatal is None and not self._leaving:
            typed, self._typeahead = self._typeahead, ""
            try:
                text = await self.prompt_session.prompt_async(default=typed, pre_run=self._after_first_draw)
            except KeyboardInterrupt:  # Ctrl-C drops the line and stays in the tutor
                continue
            except EOFError:  # Ctrl-D
                break
            line, count = first_line(text)
            if count > 1:
                self.show([_note("pasted", self.lang, "progress", n=count, line=line.strip())])
            if not line.strip():
                continue
            if is_quit(line):
                break
            if opening is not None and not opening.done():
                if not await self._busy(opening):
                    self.show([_note("not_sent", self.lang, "progress")])
                    continue
                if self._opening_asked:  # typed before the question was drawn: not an answer yet
                    self._typed_ahead()  # lines sent after it were typed blind too: dropped
                    self._typeahead = line
                    self.show([_note("held", self.lang, "progress")])
                    continue
            if self.fatal is not None:
                break
            messages = await self._answer(line)
            self.show(messages + self._save())  # committed before the verdict is on screen
            self._hold_typed_ahead()
        if self.fatal is not None:
            return 1
        self.show(self._save())
        self.show(farewell(self.session, self.lang, self.persist))
        return 0

    def _hold_typed_ahead(self) -> None:
        """A line sent at a terminal while the tutor worked was typed before its reply (and the
        next question) was on screen: it goes back in the prompt, unsent, and the learner is told.
        Scripted input (a pipe) is sent as it comes."""
        line = self._typed_ahead()
        if line and not self.session.done:
            self._typeahead = line
            self.show([_note("typed_ahead", self.lang, "progress")])

    def _typed_ahead(self) -> str | None:
        """The first whole line sent at a terminal since the last prompt, taken out of the input
        (None when none was; a line still being typed stays for the next prompt to show)."""
        try:
            if not os.isatty(self.input.fileno()):
                return None
        except (AttributeError, ValueError, OSError):
            return None
        from prompt_toolkit.input.typeahead import get_typeahead, store_typeahead

        early = get_typeahead(self.input)  # read by the last prompt along with its own line
        text = _as_typed("".join(key.data for key in early) + _typed_lines(self.input))
        if "\x04" in text:  # Ctrl-D on an empty line: leave once this reply is on screen, as at the prompt
            text, _ = text.split("\x04", 1)
            self._leaving = not re.split(r"[\r\n]", text)[-1]
        if "\r" not in text and "\n" not in text:  # still being typed: shown, unsent, in the next prompt
            if text.strip():
                self._typeahead = (self._typeahead + text).lstrip()
            else:
                store_typeahead(self.input, early)
            return None
        return first_line(text)[0].strip() or None

    def _after_first_draw(self) -> None:
        """Start loading the heavy half once the first prompt is on screen, not before."""
        if self._loading_started:
            return
        self._loading_started = True
        import asyncio

        loop = asyncio.get_running_loop()
        loop.call_soon(startup_gc.resume)
        # Keys typed at spawn are read and echoed first; SymPy's import (in a thread, but
        # holding the interpreter much of the time) and a first run's store file come after.
        loop.call_later(LOAD_DELAY, self.session.load)
        prepare = getattr(self.persist, "prepare", None)
        if callable(prepare):
            loop.call_later(STORE_DELAY, self._prepare, prepare)

    def _prepare(self, prepare: Callable) -> None:
        try:
            prepare()
        except Exception as err:  # noqa: BLE001 - the first save will say what is wrong
            crash_log(err, "opening the progress store")

    def _watch_opening(self):
        """Print the runner's opening as soon as it has loaded, above the prompt."""
        opened = self.session.opened
        if opened is None:
            return None
        import asyncio

        async def wait() -> None:
            try:
                messages = await asyncio.wrap_future(opened)
            except Exception as err:  # noqa: BLE001 - the import failed: say so and leave
                self.fatal = err
                self.show([_note("load_broke", self.lang, "error", error=type(err).__name__,
                                 path=crash_log(err, "loading the runner"))])
                app = self.prompt_session.app
                if app.is_running and not app.future.done():
                    app.exit(exception=EOFError())
                return
            self._opening_asked = any(m.kind == "question" for m in messages)
            self.show(messages)
            self.prompt_session.app.invalidate()  # the prompt and toolbar change with the runner

        return asyncio.ensure_future(wait())

    async def _answer(self, line: str) -> list[Message]:
        import asyncio

        abandoned, self._abandoned = getattr(self, "_abandoned", None), None
        if abandoned is not None and not abandoned.done():  # one line at a time: the given-up one ends first
            await self._busy(abandoned, cancel=self._cancel)
            if not abandoned.done():
                self._abandoned, self._typeahead = abandoned, line  # back in the prompt, for later
                return [_note("still_stopping", self.lang, "progress")]
        future = asyncio.get_running_loop().run_in_executor(None, self.session.answer, line)
        await self._busy(future, cancel=self._cancel)
        if not future.done():  # a second Ctrl-C: give up waiting; whatever that line does is dropped
            self._abandoned = future
            future.add_done_callback(lambda f: f.cancelled() or f.exception())  # no "never retrieved" on screen
            if self.session.abandon():  # free play and lessons drop the line, state and all
                return [_note("stopped", self.lang, "progress")]
            return [_note("stopped_waiting", self.lang, "progress")]
        try:
            return future.result()
        except Exception as err:  # noqa: BLE001 - a learner never sees a traceback
            return [_note("answer_broke", self.lang, "error", path=crash_log(err, "answer"))]

    def _cancel(self) -> None:
        """Ctrl-C while thinking: ask the session (or the cas) to stop, from a thread of its own
        so the spinner keeps turning. Without a way to stop, the cas time budget still ends it."""
        def stop() -> None:
            cas = sys.modules.get("derivtutor.algebra.cas")  # never imported here: only if it is loaded
            if not self.session.cancel() and cas is not None:
                cas.cancel()

        import threading

        threading.Thread(target=stop, name="cancel", daemon=True).start()

    async def _busy(self, future: Any, cancel: Callable | None = None) -> bool:
        """Wait for `future`, with a spinner after THINKING_DELAY; False if Ctrl-C gave up waiting.

        Between prompts the terminal is in normal mode, so Ctrl-C arrives as
        SIGINT: a loop signal handler turns it into an event here, instead of a
        KeyboardInterrupt in the middle of the work. Keys typed meanwhile stay
        in the terminal's buffer for the next prompt.
        """
        import asyncio

        loop = asyncio.get_running_loop()
        interrupted = asyncio.Event()
        handled = _catch_sigint(loop, interrupted.set)
        started, drawn, stopped_at = time.monotonic(), False, None
        try:
            while not future.done():
                waiter = asyncio.ensure_future(interrupted.wait())
                await asyncio.wait({future, waiter}, timeout=0.1 if drawn else THINKING_DELAY,
                                   return_when=asyncio.FIRST_COMPLETED)
                waiter.cancel()
                if interrupted.is_set():
                    interrupted.clear()
                    if drawn:
                        drawn = self._spinner(None)
                    if cancel is None:
                        return False
                    cancel()
                    cancel, stopped_at = None, time.monotonic()
                    self.show([_note("stopping", self.lang, "progress")])
                elif stopped_at is not None and time.monotonic() - stopped_at > STOP_GRACE:
                    return False  # Ctrl-C stops an action within a second, even work that cannot be stopped
                elif not future.done():
                    drawn = self._spinner(time.monotonic() - started)
        finally:
            if handled:
                _release_sigint(loop)
            if drawn:
                self._spinner(None)
        return True

    def _spinner(self, elapsed: float | None) -> bool:
        """Draw one frame of "⠋ thinking…" on the current line, or erase it (elapsed None)."""
        out = self.output
        out.write_raw("\r")
        out.erase_end_of_line()
        if elapsed is None:
            out.show_cursor()
        else:
            tick = SPINNER[int(elapsed * 10) % len(SPINNER)]
            line = f"{tick} {i18n.tr(TEXT['thinking'], self.lang)}"
            width = out.get_size().columns - 1
            while render.cwidth(line) > width and line:
                line = line[:-1]
            out.hide_cursor()
            out.write(line)
        out.flush()
        self._spinning = elapsed is not None
        return self._spinning


def _echo_off(stream: Any) -> Callable[[], None]:
    """Turn off the terminal's own echo and line editing for the chat; returns what turns them back on.

    prompt_toolkit draws the keys in the prompt itself, but between prompts (while the
    tutor works) the terminal would echo them where the cursor is: beside "⠸ thinking…",
    or above the next question, where erasing the spinner's line cannot reach them. Without
    line editing every key, Ctrl-D too, waits as it is for the next prompt (a line-mode
    Ctrl-D would be an end-of-file the prompt never sees). Ctrl-C still stops the work (ISIG stays).
    """
    try:
        import termios

        fd = stream.fileno()
        saved = termios.tcgetattr(fd)
        quiet = list(saved)
        quiet[3] &= ~(termios.ECHO | termios.ICANON)  # lflag
        quiet[6] = list(quiet[6])
        quiet[6][termios.VMIN], quiet[6][termios.VTIME] = 1, 0
        termios.tcsetattr(fd, termios.TCSANOW, quiet)  # TCSANOW: keys already typed are kept
    except Exception:  # noqa: BLE001 - not a terminal (a pipe in tests), or no termios
        return lambda: None

    def restore() -> None:
        try:
            termios.tcsetattr(fd, termios.TCSANOW, saved)
        except Exception:  # noqa: BLE001 - the terminal went away
            pass

    return restore


def _typed_lines(stream: Any) -> str:
    """The keys typed while the tutor worked, taken out of the terminal as they came."""
    import select

    try:
        fd = stream.fileno()
        if not os.isatty(fd):
            return ""
        data = b""
        while len(data) < 65536 and select.select([fd], [], [], 0)[0]:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            data += chunk
    except Exception:  # noqa: BLE001 - no terminal to read: nothing was typed ahead
        return ""
    return data.decode("utf-8", "replace")


def _as_typed(keys: str) -> str:
    """Raw keys as the text they type: Enter a newline, Ctrl-D kept as \\x04, Backspace
    applied, arrow keys and other controls dropped."""
    text = re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b.?", "", keys)
    kept: list[str] = []
    for ch in text:
        if ch in "\x7f\x08":
            if kept and kept[-1] not in "\r\n":
                kept.pop()
        elif ch in "\r\n\x04" or ch.isprintable():
            kept.append(ch)
    return "".join(kept)


def _catch_sigint(loop: Any, callback: Callable) -> bool:
    """Route Ctrl-C to `callback` while the tutor works; False where signals cannot be caught."""
    import signal

    try:
        loop.add_signal_handler(signal.SIGINT, callback)
    except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
        return False
    return True


def _release_sigint(loop: Any) -> None:
    import signal

    loop.remove_signal_handler(signal.SIGINT)

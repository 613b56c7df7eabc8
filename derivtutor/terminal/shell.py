"""The shell: the one entry the commands call to hold a conversation in the terminal.

`run_session(session, ns, persist)` drives any object with the Session contract
(derivtutor.text.session) in the prompt_toolkit REPL (`repl`) or, when stdin or stdout is
not a terminal, in the plain loop (`plain`), saving through `persist` after every answer
(`saving`). `run_start` and `run_list` are the `start` and `list` commands: the lesson menu,
and where a lesson resumes. The shell knows nothing about teaching.

Start-up: nothing here imports SymPy, and each loop is imported only when it runs. The
lesson file is read directly and its opening is shown while the runner (and SymPy) load in
the background (loader).
"""

from __future__ import annotations

import os
import sys
from typing import Any, Callable, TextIO

from derivtutor.terminal import render
from derivtutor.terminal.conversation import crash_log, is_quit, note
from derivtutor.text import i18n
from derivtutor.text.i18n import Catalog
from derivtutor.text.messages import Message
from derivtutor.text.session import Session

TEXT = Catalog(__name__, 'TEXT')


def _note(key: str, lang: str, kind: str = "say", **fields: object) -> Message:
    return note(TEXT, key, lang, kind, **fields)


def run_session(session: Session, ns: Any, persist: Callable | None = None) -> int:
    """Drive any object with the Session contract, in the REPL or the plain loop.

    `persist(session) -> list[Message]` runs after every answer and at the end;
    by default the session's events are recorded in the progress store.
    """
    from derivtutor.terminal import saving

    lang = _lang(ns)
    if persist is None and session.events is not None:
        from derivtutor.progress.store import Store

        persist = saving.EventRecorder(Store.open(lang=lang))
    keep = saving.saver(persist)
    try:
        if wants_plain(ns):
            from derivtutor.terminal.plain import PlainShell

            return PlainShell(session, lang, keep).run()
        from derivtutor.terminal.repl import Repl

        return Repl(session, lang=lang, persist=keep, color=wants_color(ns),
                    vi=bool(getattr(ns, "vi", False))).run()
    except BrokenPipeError:  # the reader went away (`| head`): save quietly and leave
        keep(session)
        raise
    except Exception as err:  # noqa: BLE001 - last line of defence: log it, say where, save
        path = crash_log(err, "shell")
        try:
            keep(session)
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
    from derivtutor.terminal import keys

    restore = (lambda: None) if wants_plain(ns) else keys.echo_off(sys.stdin)
    try:
        return _run_start(ns)
    finally:
        restore()


def _run_start(ns: Any) -> int:
    from derivtutor.teaching import lessons
    from derivtutor.terminal import loader, saving

    lang = _lang(ns)
    extra = list(getattr(ns, "lessons", None) or [])
    store = saving.open_store(lang)
    plain = wants_plain(ns)
    out = _Out(plain, lang, wants_color(ns))
    out.show([Message("error", n) for n in store.notices])
    ref = getattr(ns, "lesson", None) or saving.unfinished_last(store)
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
    state, told = saving.resume(store, lesson.id, bool(getattr(ns, "restart", False)), lang)
    out.show(told)
    session = loader.PendingRunner(lesson, state, lang, loader.preview(lesson, state, lang),
                                   report=lambda err: crash_log(err, "warming up"))
    return run_session(session, ns, saving.LessonSaver(store, lesson.id))


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
        from derivtutor.terminal.repl import print_turn

        print_turn(messages, self.lang, color=self.color)

    def ask(self, lang: str) -> str | None:
        prompt = render.text(render.prompt_fragments("", lang))
        if self.plain:
            from derivtutor.terminal.plain import isatty

            if isatty(sys.stdin):
                sys.stdout.write(prompt)
                sys.stdout.flush()
            line = sys.stdin.readline()
            return line.rstrip("\r\n") if line else None
        from derivtutor.terminal.repl import ask_line

        return ask_line(lang)


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

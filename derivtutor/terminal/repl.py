"""The chat in a terminal: a prompt_toolkit prompt per learner line, tutor turns printed above.

`Repl` reads each line with a PromptSession (completion, the lexer's colours, history, the
toolbar), runs the answer in a thread with a spinner, turns Ctrl-C into stopping the work,
and holds back lines typed before the question they would answer was on screen.
prompt_toolkit is imported inside the functions, so plain mode (pipes) never loads it.
"""

from __future__ import annotations

import os
import re
import sys
import time
from typing import Any, Callable

from derivtutor.terminal import keys, render, startup_gc
from derivtutor.terminal.conversation import (answer_broke, crash_log, data_dir, farewell, is_quit, load_broke,
                                              note, stopping)
from derivtutor.terminal.saving import saver
from derivtutor.text import i18n
from derivtutor.text.i18n import Catalog
from derivtutor.text.messages import Message
from derivtutor.text.session import Session

THINKING_DELAY = 0.15  # seconds of silence before "thinking…" shows
STOP_GRACE = 0.8  # seconds after Ctrl-C before the shell stops waiting for work that did not stop
LOAD_DELAY = 0.05  # seconds after the first prompt is drawn before SymPy starts loading
STORE_DELAY = 0.3  # seconds after it before a first run's progress file is created
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
HISTORY_NAME = "history"

TEXT = Catalog(__name__, 'TEXT')


def first_line(text: str) -> tuple[str, int]:
    """A pasted block counts as its first non-blank line; also returns how many lines there were."""
    lines = [line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    filled = [line for line in lines if line.strip()]
    if len(filled) <= 1:
        return (filled[0] if filled else text.strip("\n")), len(filled)
    return filled[0], len(filled)


def style():
    from prompt_toolkit.styles import Style

    return Style.from_dict(render.STYLE)


def color_depth(color: bool):
    from prompt_toolkit.output import ColorDepth

    return None if color else ColorDepth.DEPTH_1_BIT


def print_fragments(fragments: render.Fragments, output: Any, color: bool, styled: Any = None) -> None:
    """Print rendered fragments in the tutor's style (`styled`, else a fresh one) to `output`."""
    from prompt_toolkit import print_formatted_text
    from prompt_toolkit.formatted_text import FormattedText

    print_formatted_text(FormattedText(fragments), end="", style=styled or style(), output=output,
                         color_depth=color_depth(color), include_default_pygments_style=False)


def print_turn(messages: list[Message], lang: str, output: Any = None, color: bool = True) -> None:
    """Print a tutor turn in colour, above a running prompt if there is one."""
    from prompt_toolkit.application import get_app_session

    output = output or get_app_session().output
    print_fragments(render.render(messages, width=output.get_size().columns, lang=lang), output, color)


def ask_line(lang: str) -> str | None:
    """One line from the learner outside a lesson (the menu); None on Ctrl-D or Ctrl-C."""
    from prompt_toolkit import prompt
    from prompt_toolkit.formatted_text import FormattedText

    try:
        return prompt(FormattedText(render.prompt_fragments("", lang)), style=style(),
                      include_default_pygments_style=False)
    except (EOFError, KeyboardInterrupt):
        return None


def file_history():
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
        self.saver = saver(persist)
        self.color = color
        self.style = style()
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
            history=history if history is not None else file_history(),
            bottom_toolbar=lambda: [("class:bottom-toolbar", toolbar.toolbar_text(
                self.session, self.output.get_size().columns, self.lang))],
            style=self.style,
            include_default_pygments_style=False,
            color_depth=color_depth(color),
            vi_mode=vi,
            input=input,
            output=output,
        )
        self.input = self.prompt_session.app.input
        self.output = self.prompt_session.app.output
        self.printer = printer or self._print

    # -- output ---------------------------------------------------------------------------------

    def _print(self, fragments: render.Fragments) -> None:
        print_fragments(fragments, self.output, self.color, self.style)

    def show(self, messages: list[Message]) -> None:
        if messages:
            if self._spinning:  # never print beside "⠸ thinking…": clear that line first
                self._spinner(None)
            width = self.output.get_size().columns
            self.printer(render.render(messages, width=width, lang=self.lang))

    # -- the loop -----------------------------------------------------------------------------------

    def run(self) -> int:
        import asyncio

        restore = keys.echo_off(self.input)
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
                self.show([note(TEXT, "pasted", self.lang, "progress", n=count, line=line.strip())])
            if not line.strip():
                continue
            if is_quit(line):
                break
            if opening is not None and not opening.done():
                if not await self._busy(opening):
                    self.show([note(TEXT, "not_sent", self.lang, "progress")])
                    continue
                if self._opening_asked:  # typed before the question was drawn: not an answer yet
                    self._typed_ahead()  # lines sent after it were typed blind too: dropped
                    self._typeahead = line
                    self.show([note(TEXT, "held", self.lang, "progress")])
                    continue
            if self.fatal is not None:
                break
            messages = await self._answer(line)
            self.show(messages + self.saver(self.session))  # committed before the verdict is on screen
            self._hold_typed_ahead()
        if self.fatal is not None:
            return 1
        self.show(self.saver(self.session))
        self.show(farewell(self.session, self.lang, self.saver.saving))
        return 0

    def _hold_typed_ahead(self) -> None:
        """A line sent at a terminal while the tutor worked was typed before its reply (and the
        next question) was on screen: it goes back in the prompt, unsent, and the learner is told.
        Scripted input (a pipe) is sent as it comes."""
        line = self._typed_ahead()
        if line and not self.session.done:
            self._typeahead = line
            self.show([note(TEXT, "typed_ahead", self.lang, "progress")])

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
        text = keys.as_typed("".join(key.data for key in early) + keys.typed_lines(self.input))
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
        loop.call_later(STORE_DELAY, self._prepare)

    def _prepare(self) -> None:
        try:
            self.saver.prepare()
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
                self.show([load_broke(err, self.lang)])
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

        abandoned, self._abandoned = self._abandoned, None
        if abandoned is not None and not abandoned.done():  # one line at a time: the given-up one ends first
            await self._busy(abandoned, cancel=self._cancel)
            if not abandoned.done():
                self._abandoned, self._typeahead = abandoned, line  # back in the prompt, for later
                return [note(TEXT, "still_stopping", self.lang, "progress")]
        future = asyncio.get_running_loop().run_in_executor(None, self.session.answer, line)
        await self._busy(future, cancel=self._cancel)
        if not future.done():  # a second Ctrl-C: give up waiting; whatever that line does is dropped
            self._abandoned = future
            future.add_done_callback(lambda f: f.cancelled() or f.exception())  # no "never retrieved" on screen
            if self.session.abandon():  # free play and lessons drop the line, state and all
                return [note(TEXT, "stopped", self.lang, "progress")]
            return [note(TEXT, "stopped_waiting", self.lang, "progress")]
        try:
            return future.result()
        except Exception as err:  # noqa: BLE001 - a learner never sees a traceback
            return [answer_broke(err, self.lang)]

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
        handled = keys.catch_sigint(loop, interrupted.set)
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
                    self.show([stopping(self.lang)])
                elif stopped_at is not None and time.monotonic() - stopped_at > STOP_GRACE:
                    return False  # Ctrl-C stops an action within a second, even work that cannot be stopped
                elif not future.done():
                    drawn = self._spinner(time.monotonic() - started)
        finally:
            if handled:
                keys.release_sigint(loop)
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

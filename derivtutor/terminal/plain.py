"""The plain loop: one line in, plain text out, no escape codes.

For pipes, --plain and TERM=dumb: stdin is read a line per answer, each tutor turn is
written as plain text, and a line the terminal did not echo is written after its prompt so
the transcript reads as the conversation. prompt_toolkit is never imported here.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Callable, TextIO

from derivtutor.terminal import render
from derivtutor.terminal.conversation import answer_broke, farewell, is_quit, load_broke, stopping
from derivtutor.terminal.saving import saver
from derivtutor.text import safe_text
from derivtutor.text.messages import Message
from derivtutor.text.session import Session


class PlainShell:
    """One line in, plain text out; no escape codes. Used for pipes, --plain and TERM=dumb."""

    def __init__(self, session: Session, lang: str, persist: Callable | None = None,
                 stdin: TextIO | None = None, stdout: TextIO | None = None):
        self.session = session
        self.lang = lang
        self.saver = saver(persist)
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.width = terminal_width()

    def show(self, messages: list[Message]) -> None:
        if messages:
            self.stdout.write(render.to_plain(messages, width=self.width, lang=self.lang))
            self.stdout.flush()

    def run(self) -> int:
        self.show(self.session.start())
        opened = self.session.opened
        if opened is not None:
            self.session.load()
            try:
                self.show(opened.result())
            except Exception as err:  # the import failed: say so, keep the traceback out
                self.show([load_broke(err, self.lang)])
                return 1
        interactive = isatty(self.stdin)
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
                self.show([stopping(self.lang)])
                continue
            except Exception as err:  # noqa: BLE001 - a learner never sees a traceback
                messages = [answer_broke(err, self.lang)]
            self.show(messages + self.saver(self.session))  # committed before the verdict is on screen
        self.show(self.saver(self.session))
        self.show(farewell(self.session, self.lang, self.saver.saving))
        return 0


def transcript_line(prompt: str, line: str, lang: str) -> str:
    """"you › dJ/dw = 2w": the learner's line after the prompt, without the prompt twice when the
    learner typed it too (never "dJ/dw = dJ/dw = 2w")."""
    said = safe_text.clean(line, keep_layout=False)
    typed_it = prompt.strip() and " ".join(said.split()).startswith(" ".join(prompt.split()))
    return render.text(render.prompt_fragments("" if typed_it else prompt, lang)) + said + "\n"


def isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def terminal_width(default: int = 80) -> int:
    """Columns of the terminal on stdout, else $COLUMNS, else `default` (pipes)."""
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns or default
    except (AttributeError, ValueError, OSError):
        try:
            return int(os.environ.get("COLUMNS", default))
        except ValueError:
            return default

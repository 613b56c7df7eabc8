"""Tab completion: the tutor's commands, function names and the lesson's variables."""

from __future__ import annotations

import re
from typing import Callable, Iterable

from prompt_toolkit.completion import Completer, Completion

from derivtutor.text import i18n
from derivtutor.terminal.lexer import FUNCTIONS
from derivtutor.text.words import ALL_COMMANDS, LESSON_COMMANDS, LESSON_WORDS_ZH, PLAY_WORDS_ZH
from derivtutor.text.i18n import Catalog

META = Catalog(__name__, 'META')
_WORD = re.compile(r"[^\W\d]\w*$")


def candidates(words: Iterable[str], lang: str | None = None) -> list[tuple[str, str]]:
    """(word, meta key) in the order offered: commands, functions, then the lesson's own words.

    A session lists its own commands among its words (free play has more than a lesson);
    a session that lists none gets the lesson commands."""
    words = list(words)
    commands = [w for w in words if w in ALL_COMMANDS] or list(LESSON_COMMANDS)
    if (lang or i18n.language()) == "zh":  # the Chinese words for the same commands: 提示, 下一步, …
        commands += [zh for table in (LESSON_WORDS_ZH, PLAY_WORDS_ZH) for zh, en in table.items() if en in commands]
    out: dict[str, str] = {}
    for word in commands:
        out.setdefault(word, "command")
    for word in FUNCTIONS:
        out.setdefault(word, "function")
    for word in words:
        out.setdefault(word, "word")
    return list(out.items())


class TutorCompleter(Completer):
    """Completes the word before the cursor; `words` is read on every Tab (it changes by step)."""

    def __init__(self, words: Callable[[], Iterable[str]], lang: str | None = None):
        self.words = words
        self.lang = lang

    def get_completions(self, document, complete_event):
        before = document.text_before_cursor
        match = _WORD.search(before)
        prefix = match.group(0) if match else ""
        if not prefix and before.strip():
            return  # after "3*" a bare Tab would offer everything: not helpful
        only_commands = not before.strip()
        for word, kind in candidates(self.words(), self.lang):
            if only_commands and kind != "command":
                continue
            if word.startswith(prefix) and word != prefix:
                yield Completion(word, start_position=-len(prefix),
                                 display_meta=i18n.tr(META[kind], self.lang))

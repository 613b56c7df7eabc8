"""A session's `answer` that leaves no trace when the shell gives the line up.

Ctrl-C twice (or once, 0.8 s before the work stops) and the shell stops waiting for the
line under way and calls `abandon()` (the Session contract); the line's result, when it
comes, must change nothing, and neither may a line Ctrl-C broke off in the plain loop.
`LineUndo.answer` keeps what a line can change before running it and puts that back.
A session names what to keep in `_KEPT` (`_COPIED`: the ones changed in place) and
answers in `_answer`.
"""

from __future__ import annotations

import copy

from derivtutor.text.messages import Message


class LineUndo:
    _KEPT: tuple[str, ...] = ()    # attributes a line may change
    _COPIED: tuple[str, ...] = ()  # of those, the ones changed in place: kept as a copy
    _line = 0                      # the line under way (1, 2, …)
    _given_up = 0                  # the line the shell stopped waiting for (0: none)
    events: list[dict]

    def answer(self, line: str) -> list[Message]:
        self._line = ticket = self._line + 1
        kept = self._snapshot()
        try:
            out = self._answer(line)
        except KeyboardInterrupt:  # plain mode: Ctrl-C broke off the work; nothing of it is kept
            self._put_back(kept)
            raise
        if self._given_up == ticket:  # the shell stopped waiting: drop it, state and all
            self._put_back(kept)
            return []
        return out

    def abandon(self) -> bool:
        """The shell stopped waiting for the line under way: its result, when it comes, is dropped
        and the session is left as it was before that line."""
        self._given_up = self._line
        return True

    def _answer(self, line: str) -> list[Message]:
        raise NotImplementedError

    def _snapshot(self) -> dict:
        kept = {key: getattr(self, key) for key in self._KEPT}
        kept.update({key: copy.copy(kept[key]) for key in self._COPIED})
        kept["events"] = len(self.events)
        return kept

    def _put_back(self, kept: dict) -> None:
        for key in self._KEPT:
            setattr(self, key, kept[key])
        del self.events[kept["events"]:]

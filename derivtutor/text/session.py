"""The one contract between the shell and a conversation: a lesson, free play, review,
practice or the lab console.

The shell reads a line, hands it to `answer` and renders the Messages that come back; it
knows nothing else about the session. `Session` is the Protocol it is written against;
`SessionParts` gives the optional members their meaning for a session that has no use for
them, so the shell asks every session the same questions and never probes with getattr.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Protocol

from derivtutor.text.messages import Message


class Session(Protocol):
    done: bool                        # the conversation is over
    prompt: str                       # the short prompt before the input line ("k ≈")
    words: list[str]                  # what Tab completes: command words, names
    title: str                        # for the toolbar ("" for none)
    position: tuple[int, int] | None  # (step n, of N), 1-based, for the toolbar and the saved place
    hints_used: int | None            # for the toolbar (None: the session gives no hints)
    events: list[dict] | None         # answered steps not yet in the store; None: nothing to record
    ready: bool                       # False while a lesson's runner is still loading
    opened: Future | None             # the opening, when it is computed in the background
    suggest_from_history: bool        # grey suggestions from earlier lines (never in a lesson)

    def start(self) -> list[Message]: ...
    def answer(self, line: str) -> list[Message]: ...
    def load(self) -> None: ...
    def farewell(self) -> list[Message] | None: ...
    def abandon(self) -> bool: ...
    def cancel(self) -> bool: ...


class SessionParts:
    """The optional members of Session, for a session that has no use for them."""

    title = ""
    position: tuple[int, int] | None = None
    hints_used: int | None = None
    events: list[dict] | None = None
    ready = True
    opened: Future | None = None
    suggest_from_history = False

    def load(self) -> None:
        """Start what loads in the background (nothing here)."""

    def farewell(self) -> list[Message] | None:
        """What to say when the learner leaves early; None: the shell says its own goodbye."""
        return None

    def abandon(self) -> bool:
        """Drop a line the learner gave up waiting for, state and all; False: it cannot."""
        return False

    def cancel(self) -> bool:
        """Stop the current work by the session's own means; False: the shell stops the CAS."""
        return False

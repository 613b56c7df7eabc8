"""What the shell keeps in the progress store, and where a lesson resumes from it.

After every answer the shell calls its `Saver` (the session's new events, and for a lesson
its state and position), before the verdict is on screen. `start` opens the store, finds
the lesson to continue and the state to continue it from. Nothing here imports SymPy,
and the store module only when it is needed.
"""

from __future__ import annotations

from typing import Any, Callable

from derivtutor.terminal.conversation import note
from derivtutor.text.i18n import Catalog
from derivtutor.text.messages import Message
from derivtutor.text.session import Session

TEXT = Catalog(__name__, 'TEXT')


class Saver:
    """What the shell calls to keep a session's work: after every answer and at the end (the
    store's notices come back, to show), and `prepare` once the prompt is live. The base
    keeps nothing."""

    saving = True  # the learner's place is kept (the goodbye says so)

    def __call__(self, session: Session) -> list[Message]:
        return []

    def prepare(self) -> None:
        """Make ahead what the first save needs (nothing here)."""


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


class EventRecorder(Saver):
    """After every answer: record the session's new events in the store (free play, review)."""

    def __init__(self, store: Any):
        self.store = store
        self._notices = len(store.notices)

    @property
    def saving(self) -> bool:
        return self.store.saving

    def prepare(self) -> None:
        """Create a first run's store file now (the prompt is live), not at the first answer."""
        if isinstance(self.store, FirstRunStore):
            self.store.ensure_open()

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


class Callback(Saver):
    """A plain function as the Saver (the lab's, or a test's that watches each save)."""

    def __init__(self, save: Callable[[Session], list[Message]]):
        self._save = save

    def __call__(self, session: Session) -> list[Message]:
        return self._save(session)


class NoSaving(Saver):
    """No store at all: nothing is kept, and the goodbye does not promise to continue."""

    saving = False


def saver(persist: Callable[[Session], list[Message]] | None) -> Saver:
    """The Saver for what a command passed: a Saver as it is, a function wrapped, None: nothing."""
    if persist is None:
        return NoSaving()
    return persist if isinstance(persist, Saver) else Callback(persist)


def open_store(lang: str) -> Any:
    """The store for `start`: on a first run its file is made only once the prompt is live."""
    from derivtutor.progress.store import Store

    return FirstRunStore(lang) if FirstRunStore.wanted() else Store.open(lang=lang)


def unfinished_last(store: Any) -> str | None:
    """The lesson the learner last worked on, unless they finished it."""
    last = store.last_lesson()
    if last and not store.progress_summary().get(last, {}).get("complete"):
        return last
    return None


def resume(store: Any, lesson_id: str, restart: bool, lang: str) -> tuple[dict | None, list[Message]]:
    """The saved state to continue from, or None: --restart, a new lesson, or a finished one
    (which begins again, and the learner is told)."""
    state = None if restart else store.load_state(lesson_id)
    if state is not None and store.progress_summary().get(lesson_id, {}).get("complete"):
        return None, [note(TEXT, "again", lang, "progress")]
    return state, []

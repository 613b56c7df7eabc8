"""When a review card comes back: FSRS scheduling of the learner's answered steps.

Pure (cards and events in, cards and dates out), so it is tested without a terminal or a
lesson, and light: the store reschedules a card inside the transaction that records the
answer, and `derivtutor list` reads progress without loading fsrs at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable

PLAY = "play"

# fsrs is imported lazily: `derivtutor list` reads progress without loading the scheduler.
_scheduler = None


def scheduler():
    """One FSRS scheduler: a wrong answer returns in 10 minutes, no random fuzz (reproducible)."""
    global _scheduler
    if _scheduler is None:
        from fsrs import Scheduler

        step = (timedelta(minutes=10),)
        _scheduler = Scheduler(learning_steps=step, relearning_steps=step, enable_fuzzing=False)
    return _scheduler


# Rating from an answered step: the first row whose test holds. Ratings are fsrs.Rating values.
AGAIN, HARD, GOOD = 1, 2, 3
RATING_RULES: tuple[tuple[str, Callable[[dict], bool], int], ...] = (
    ("wrong or shown", lambda e: not e.get("correct") or bool(e.get("revealed"))
     or e.get("outcome") in ("revealed", "skipped", "missed"), AGAIN),
    ("solved after help", lambda e: e.get("outcome") == "after_help", HARD),
    ("solved after a hint", lambda e: int(e.get("hints", 0)) > 0, HARD),
    ("solved after a wrong try", lambda e: int(e.get("attempts", 1)) > 1, HARD),
    ("solved at once", lambda e: True, GOOD),
)


def rating_for(event: dict):
    """correct → Good, wrong → Again, solved after a hint (or a wrong try) → Hard."""
    from fsrs import Rating

    return Rating(next(rating for _, test, rating in RATING_RULES if test(event)))


def utc(ts: float | None = None) -> datetime:
    """A unix time as the timezone-aware UTC datetime fsrs requires."""
    return datetime.fromtimestamp(ts, timezone.utc) if ts is not None else datetime.now(timezone.utc)


def new_card(now: datetime) -> dict:
    """A card never reviewed, due at once (fsrs Card.to_dict())."""
    from fsrs import Card

    return Card(card_id=int(now.timestamp() * 1000), due=now).to_dict()


def card_after(card: dict | None, rating, now: datetime) -> dict:
    """The card (fsrs Card.to_dict()) after one review; None means a new card."""
    from fsrs import Card, Rating

    try:
        current = Card.from_dict(card) if card else None
    except (KeyError, TypeError, ValueError):  # a card damaged on disk is scheduled afresh
        current = None
    if current is None:
        current = Card(card_id=int(now.timestamp() * 1000), due=now)
    updated, _log = scheduler().review_card(current, Rating(int(rating)), review_datetime=now)
    return updated.to_dict()


@dataclass(frozen=True)
class ReviewCard:
    """One card as the store keeps it; ``card`` is None for a step never answered (review --all)."""

    kind: str  # "lesson" or "play"
    lesson: str
    step: str
    payload: dict = field(default_factory=dict)
    card: dict | None = None
    due: str = ""
    last_rating: int = 0
    reps: int = 0

    @property
    def missed(self) -> bool:
        return self.last_rating == AGAIN

    @property
    def due_at(self) -> datetime:
        return datetime.fromisoformat(self.due) if self.due else utc(0)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.lesson, self.step)


def due_cards(cards: Iterable[ReviewCard], now: datetime) -> list[ReviewCard]:
    """The cards due at ``now``: missed ones first, then the longest overdue."""
    due = [c for c in cards if c.due_at <= now]
    return sorted(due, key=lambda c: (not c.missed, c.due_at))


def next_due(cards: Iterable[ReviewCard], results: Iterable[dict] = (), now: datetime | None = None) -> datetime | None:
    """When the next review falls due, counting the answers of a session not yet stored."""
    now = now or utc()
    dues = {c.key: c.due_at for c in cards}
    by_key = {c.key: c for c in cards}
    for event in results:
        key = (card_kind(event), event["lesson"], event["step"])
        old = by_key.get(key)
        after = card_after(old.card if old else None, rating_for(event), now)
        dues[key] = datetime.fromisoformat(after["due"])
        by_key[key] = ReviewCard(*key, card=after, due=after["due"])
    return min(dues.values(), default=None)


def card_kind(event: dict) -> str:
    return PLAY if event.get("kind") == PLAY else "lesson"

"""Self-paced review: every graded step is an FSRS card; due cards come back, missed ones first.

The scheduling here is pure (cards and events in, cards and dates out) so it is
tested without a terminal or a lesson. ``ReviewSession`` then plays the due
cards as one conversation with the runner's contract: one Runner per card,
restricted to that card's step.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable

from derivtutor.i18n import tr
from derivtutor.messages import Message

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


def card_after(card: dict | None, rating, now: datetime) -> dict:
    """The card (fsrs Card.to_dict()) after one review; None means a new card."""
    from fsrs import Card, Rating

    current = Card.from_dict(card) if card else Card(card_id=int(now.timestamp() * 1000), due=now)
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


TEXT = {
    "nothing": {"en": "Nothing is due for review.", "zh": "目前没有需要复习的题目。"},
    "intro": {"en": "{n} question(s) to review, missed ones first.", "zh": "有 {n} 道题需要复习，先复习答错的。"},
    "card": {"en": "Review {i} of {n}: {lesson}", "zh": "复习第 {i} 题，共 {n} 题：{lesson}"},
    "score": {"en": "Review done: {right} of {n} right at the first try.", "zh": "复习完成：{n} 题中首次答对 {right} 题。"},
    "missed": {"en": "To look at again: {steps}.", "zh": "需要再看看的：{steps}。"},
    "next": {"en": "Next review due: {when}.", "zh": "下次复习时间：{when}。"},
    "none_next": {"en": "No review is scheduled.", "zh": "暂无安排的复习。"},
    "gone": {"en": "Skipped {lesson}/{step}: that question is no longer in the lesson.",
             "zh": "已跳过 {lesson}/{step}：课程中已没有这道题。"},
    "play_q": {"en": "From your free play: what is $d/d{var}$ of $J = {expr}$?",
               "zh": "来自自由练习：$J = {expr}$ 对 ${var}$ 的导数是多少？"},
}


def local_time(when: datetime) -> str:
    """A due date as the learner reads it: local time, to the minute."""
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def summary(results: list[dict], due: datetime | None, lang: str = "en") -> list[Message]:
    """The closing messages of a review session: score, what to look at again, next due date."""
    right = sum(1 for e in results if rating_for(e) >= GOOD)
    out = [Message("progress", tr(TEXT["score"], lang, right=right, n=len(results)))] if results else []
    missed = [f"{e['lesson']}/{e['step']}" for e in results if rating_for(e) == AGAIN]
    if missed:
        out.append(Message("say", tr(TEXT["missed"], lang, steps=", ".join(missed))))
    when = tr(TEXT["next"], lang, when=local_time(due)) if due else tr(TEXT["none_next"], lang)
    out.append(Message("say", when))
    return out


# ---- the session ---------------------------------------------------------------------------


class ReviewSession:
    """Due cards as one conversation, with the Runner contract (start/answer/done/prompt/position/events).

    Events are tagged ``mode="review"``. With a ``store`` each is committed the
    moment it happens; without one they are left in ``events`` for the caller, as
    with a Runner. The closing summary counts them either way.
    """

    resumable = False  # nothing to save_state: the store's cards are the session's state

    def __init__(self, cards: list[ReviewCard], all_cards: list[ReviewCard] | None = None,
                 lang: str = "en", extra_dirs: Iterable[str] = (),
                 make_question: Callable[[ReviewCard, str], object] | None = None,
                 now: datetime | None = None, store=None):
        self.store = store
        self.cards = list(cards)
        self.all_cards = list(all_cards) if all_cards is not None else list(cards)
        self.lang = lang
        self.extra_dirs = tuple(extra_dirs)
        self.make_question = make_question or self._question
        self.now = now
        self.events: list[dict] = []
        self.results: list[dict] = []
        self.done = False
        self._index = -1
        self._current = None
        self._lessons: dict[str, object] = {}
        self._gone: set[tuple[str, str, str]] = set()  # cards whose question no longer exists

    @classmethod
    def from_store(cls, store, lesson: str | None = None, redo_all: bool = False,
                   lang: str = "en", extra_dirs: Iterable[str] = (), now: datetime | None = None) -> "ReviewSession":
        """The due cards (of one lesson, or all), or with redo_all every graded step of the lesson."""
        everything = store.cards()
        at = now or utc()
        if redo_all and lesson:
            session = cls([], everything, lang, extra_dirs, now=now, store=store)
            session.cards = session._lesson_cards(lesson, everything)
            return session
        mine = [c for c in everything if lesson is None or c.lesson == lesson]
        return cls(due_cards(mine, at), everything, lang, extra_dirs, now=now, store=store)

    # -- the contract --

    @property
    def prompt(self) -> str:
        return getattr(self._current, "prompt", "") or "›"

    @property
    def position(self) -> tuple[int, int]:
        return (max(self._index, 0) + 1, max(len(self.cards), 1))

    @property
    def hints_used(self) -> int:
        return int(getattr(self._current, "hints_used", 0))

    @property
    def words(self) -> list[str]:
        return list(getattr(self._current, "words", []))

    def state(self) -> dict:
        return {}

    def start(self) -> list[Message]:
        if not self.cards:
            self.done = True
            return [Message("say", tr(TEXT["nothing"], self.lang)), *self._closing(summary_=False)]
        out = [Message("say", tr(TEXT["intro"], self.lang, n=len(self.cards)))]
        return out + self._advance()

    def answer(self, line: str) -> list[Message]:
        if self.done or self._current is None:
            return []
        out = list(self._current.answer(line))
        self._drain()
        if getattr(self._current, "quit", False):  # `quit` ends the whole review, with its summary
            self._current, self.done = None, True
            return out + self._closing()
        if getattr(self._current, "done", False):
            out = [m for m in out if not _lesson_complete(m)]
            out += self._advance()
        return out

    def farewell(self) -> list[Message]:
        """The learner left early (quit, Ctrl-D): what was answered is saved; sum it up."""
        self._current, self.done = None, True
        return self._closing()

    # -- inside --

    def _advance(self) -> list[Message]:
        """Open the next card that can still be asked; close the session after the last."""
        out: list[Message] = []
        while True:
            self._index += 1
            if self._index >= len(self.cards):
                self._current = None
                self.done = True
                return out + self._closing()
            card = self.cards[self._index]
            try:
                question = self.make_question(card, self.lang)
            except LookupError:
                self._gone.add(card.key)
                out.append(Message("say", tr(TEXT["gone"], self.lang, lesson=card.lesson, step=card.step)))
                continue
            self._current = question
            heading = tr(TEXT["card"], self.lang, i=self._index + 1, n=len(self.cards),
                         lesson=card.lesson if card.kind != PLAY else tr({"en": "free play", "zh": "自由练习"}, self.lang))
            out.append(Message("progress", heading, data={"lesson": card.lesson, "step": card.step}))
            out += list(question.start())
            self._drain()
            if getattr(question, "done", False):
                continue
            return out

    def _drain(self) -> None:
        pending = getattr(self._current, "events", None)
        if not pending:
            return
        for event in pending:
            tagged = {**event, "mode": "review"}
            if self.store is not None:
                self.store.record(tagged)
            else:
                self.events.append(tagged)
            self.results.append(tagged)
        pending.clear()

    def _closing(self, summary_: bool = True) -> list[Message]:
        askable = [c for c in self.all_cards if c.key not in self._gone]
        due = next_due(askable, self.results, self.now or utc())
        if summary_:
            return summary(self.results, due, self.lang)
        when = tr(TEXT["next"], self.lang, when=local_time(due)) if due else tr(TEXT["none_next"], self.lang)
        return [Message("say", when)]

    def _lesson(self, ref: str):
        if ref not in self._lessons:
            from derivtutor import lessons

            self._lessons[ref] = lessons.find(ref, lang=self.lang, extra_dirs=self.extra_dirs)
        return self._lessons[ref]

    def _lesson_cards(self, ref: str, everything: list[ReviewCard]) -> list[ReviewCard]:
        lesson = self._lesson(ref)
        known = {(c.lesson, c.step): c for c in everything if c.kind == "lesson"}
        return [known.get((lesson.id, s.id)) or ReviewCard("lesson", lesson.id, s.id)
                for s in lesson.steps if getattr(s, "graded", False)]

    def _question(self, card: ReviewCard, lang: str):
        """A Runner limited to the card's step, or a PlayQuestion; LookupError when it is gone."""
        if card.kind == PLAY:
            return PlayQuestion(card.payload.get("expr", card.step), card.payload.get("var", "w"), lang)
        from derivtutor.lessons import LessonError

        try:
            lesson = self._lesson(card.lesson)
        except LessonError as err:  # the lesson file broke since the card was made
            raise LookupError(card.lesson) from err
        if lesson.step_by_id(card.step) is None:  # LessonNotFound above is a LookupError too
            raise LookupError(card.step)
        from derivtutor.runner import Runner

        return Runner(lesson, lang=lang, only=[card.step])


def _lesson_complete(message: Message) -> bool:
    """The runner's "lesson complete: 1 of 1" line; in a review the session's summary says it instead."""
    return message.kind == "feedback" and {"right", "graded"} <= set(message.data)


class PlayQuestion:
    """Re-asks the derivative of a function saved from free play (Runner contract, one question)."""

    words = ["hint", "skip"]

    def __init__(self, expr: str, var: str, lang: str = "en"):
        self.expr_text, self.var, self.lang = expr, var, lang
        self.events: list[dict] = []
        self.done = False
        self.prompt = f"dJ/d{var} ="
        self.position = (1, 1)
        self.hints_used = 0
        self.attempts = 0
        self._started = 0.0

    def start(self) -> list[Message]:
        self._started = time.monotonic()
        return [Message("question", tr(TEXT["play_q"], self.lang, var=self.var, expr=self.expr_text))]

    def answer(self, line: str) -> list[Message]:
        from derivtutor import mathinput

        text = line.strip()
        if text in PLAY_COMMANDS:
            return PLAY_COMMANDS[text](self)
        try:
            reading = mathinput.read(text)
        except mathinput.MathInputError as err:
            return [Message("error", err.localized(self.lang), block=err.caret())]
        self.attempts += 1
        verdict = self._check(reading.expr, text)
        out = [Message("feedback", verdict.localized(self.lang), ok=verdict.correct)]
        if verdict.correct:
            self._finish(True, False, text)
        return out

    def _function(self):
        from derivtutor import mathinput

        return mathinput.read_expression(self.expr_text), mathinput.var(self.var)

    def _check(self, answer, typed: str):
        from derivtutor import check

        J, wrt = self._function()
        return check.check_derivative(J, answer, wrt, typed=typed, lang=self.lang)

    def _hint(self) -> list[Message]:
        from derivtutor import calculus, mathinput

        self.hints_used += 1
        J, wrt = self._function()
        for point in HINT_POINTS:  # the first point where J is defined
            try:
                slope = calculus.central_difference(J, wrt, {wrt: point}, 1e-6)
            except (ValueError, ArithmeticError):
                continue
            return [Message("hint", tr(PLAY_TEXT["hint"], self.lang, var=self.var, at=point,
                                       slope=f"{slope:.4g}", expr=mathinput.show(J)))]
        return [Message("hint", tr(PLAY_TEXT["rule"], self.lang))]

    def _skip(self) -> list[Message]:
        from derivtutor import calculus, mathinput

        J, wrt = self._function()
        shown = mathinput.show(calculus.derivative(J, wrt))
        self._finish(False, True, "")
        return [Message("say", tr(PLAY_TEXT["shown"], self.lang, var=self.var, answer=shown))]

    def _finish(self, correct: bool, revealed: bool, answer: str) -> None:
        self.done = True
        self.events.append({
            "lesson": PLAY, "step": f"{self.var}:{self.expr_text}", "kind": PLAY,
            "correct": correct, "attempts": max(self.attempts, 1), "hints": self.hints_used,
            "revealed": revealed, "seconds": round(time.monotonic() - self._started, 3),
            "answer": answer, "lang": self.lang,
        })


HINT_POINTS = (1, 2, 0.5, 3)
PLAY_TEXT = {
    "hint": {"en": "Near ${var} = {at}$ the slope of $J = {expr}$ is about {slope}; does your answer give that at ${var} = {at}$?",
             "zh": "在 ${var} = {at}$ 附近，$J = {expr}$ 的斜率约为 {slope}；你的答案在 ${var} = {at}$ 处是这个值吗？"},
    "rule": {"en": "Split $J$ into pieces and take the derivative of each: sum, product, chain rule.",
             "zh": "把 $J$ 拆成几部分，分别求导：和、积、链式法则。"},
    "shown": {"en": "The derivative is $dJ/d{var} = {answer}$.", "zh": "导数是 $dJ/d{var} = {answer}$。"},
}
PLAY_COMMANDS: dict[str, Callable[[PlayQuestion], list[Message]]] = {
    "hint": PlayQuestion._hint,
    "skip": PlayQuestion._skip,
}


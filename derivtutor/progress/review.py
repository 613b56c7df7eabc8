"""Self-paced review: every graded step is an FSRS card; due cards come back, missed ones first.

When a card comes back is schedule's (pure FSRS scheduling); ``ReviewSession`` here plays the due
cards as one conversation with the runner's contract: one Runner per lesson
card, restricted to that card's step and told where it is from; a practice
question (`practice.QuestionItem`) per free-play card. There is always
something to do: the due cards are topped up with those due soonest, and
practice on the weakest skill follows the last card.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Iterable

from derivtutor.progress.schedule import AGAIN, GOOD, PLAY, ReviewCard, card_kind, due_cards, next_due, rating_for, utc
from derivtutor.text import linecap, numbers
from derivtutor.text.i18n import Catalog, listing, tr
from derivtutor.text.messages import Message
from derivtutor.text.session import SessionParts

TEXT = Catalog(__name__, 'TEXT')


def local_time(when: datetime) -> str:
    """A due date as the learner reads it: local time, to the minute."""
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def summary(results: list[dict], due: datetime | None, lang: str = "en",
            name: Callable[[dict], str] = lambda e: f"{e['lesson']}/{e['step']}") -> list[Message]:
    """The closing messages of a review session: score, what to look at again, next due date."""
    right = sum(1 for e in results if rating_for(e) >= GOOD)
    out = [Message("progress", tr(TEXT["score"], lang, right=right, n=len(results)))] if results else []
    missed = [name(e) for e in results if rating_for(e) == AGAIN]
    if missed:
        out.append(Message("say", tr(TEXT["missed"], lang, steps=listing(missed))))
    when = tr(TEXT["next"], lang, when=local_time(due)) if due else tr(TEXT["none_next"], lang)
    out.append(Message("say", when))
    return out


# ---- the session ---------------------------------------------------------------------------

EARLY = 5  # the due cards are topped up to this many with the ones due soonest
SESSION_TEXT = Catalog(__name__, 'SESSION_TEXT')


def card_context(lesson, step, lang: str = "en") -> str:
    """The facts a card needs to read on its own: the function, the point, ε (from the step or the one it follows)."""
    from derivtutor.algebra import mathinput

    def facts_of(s) -> list[str]:
        answer = s.get("answer") if isinstance(s.get("answer"), dict) else {}
        J = s.get("J") or next((answer[k] for k in ("derivative", "forward", "central") if k in answer), None)
        value = answer.get("value") if not J else None  # a value asked for is not always J (w − α·2w)
        if not isinstance(J or value, str):
            return []
        out = [f"$J = {mathinput.show(mathinput.read_expression(J))}$" if J
               else f"${mathinput.show(mathinput.read_expression(value))}$"]
        at = s.get("at") or answer.get("at") or {}
        point = listing((f"{k} = {v}" for k, v in at.items() if isinstance(v, (int, float))), math=True)
        if point["zh"]:
            out.append(tr(SESSION_TEXT["at"], lang, point=point))
        eps = s.get("eps") or answer.get("eps")
        if isinstance(eps, (int, float)):
            out.append(f"$ε = {numbers.figures(eps)}$")
        return out

    facts: list[str] = []
    for earlier in reversed(lesson.steps[: step.index + 1]):  # this step, else the nearest before it
        facts = facts_of(earlier)
        if facts:
            break
    if step.kind == "graph" or not facts:
        return ""
    # the facts are clauses (the function, the point, ε): a Chinese sentence separates them with ，
    return tr(SESSION_TEXT["from"], lang, title=lesson.title, facts=tr(SESSION_TEXT["facts_sep"], lang).join(facts))


class ReviewSession(SessionParts):
    """Due cards as one conversation, with the Runner contract (start/answer/done/prompt/position/events).

    Events are tagged ``mode="review"``. With a ``store`` each is committed the
    moment it happens; without one they are left in ``events`` for the caller, as
    with a Runner. The closing summary counts them either way. With ``then``
    (a function making a practice session) the conversation goes on into
    practice after the last card instead of ending.
    """

    resumable = False  # nothing to save_state: the store's cards are the session's state

    def __init__(self, cards: list[ReviewCard], all_cards: list[ReviewCard] | None = None,
                 lang: str = "en", extra_dirs: Iterable[str] = (),
                 make_question: Callable[[ReviewCard, str], object] | None = None,
                 now: datetime | None = None, store=None, intro: str = "intro",
                 then: Callable[[], object] | None = None):
        self.store = store
        self.cards = list(cards)
        self.all_cards = list(all_cards) if all_cards is not None else list(cards)
        self.lang = lang
        self.extra_dirs = tuple(extra_dirs)
        self.make_question = make_question or self._question
        self.now = now
        self.intro = intro
        self.then = then
        self.early_from = len(self.cards)  # cards from here on are not due yet (offered early)
        self.events: list[dict] = []
        self.results: list[dict] = []
        self.done = False
        self._index = -1
        self._current = None
        self._last = None  # the card answered last: `why` explains it
        self._practice = None
        self._lessons: dict[str, object] = {}
        self._gone: set[tuple[str, str, str]] = set()  # cards whose question no longer exists

    @classmethod
    def from_store(cls, store, lesson: str | None = None, redo_all: bool = False,
                   lang: str = "en", extra_dirs: Iterable[str] = (), now: datetime | None = None) -> "ReviewSession":
        """The due cards (of one lesson, or all); with redo_all every question (of the lesson, or every
        one answered); with nothing due, the cards due soonest and then practice on the weakest skill."""
        everything = store.cards()
        at = now or utc()
        session = cls([], everything, lang, extra_dirs, now=now, store=store)
        mine = [c for c in everything if lesson is None or c.lesson == lesson]
        if redo_all:
            session.intro = "all"
            session.cards = missed_first(session._lesson_cards(lesson, everything) if lesson
                                         else mine or session._every_lesson_card())
            session.early_from = len(session.cards)
            return session
        due = due_cards(mine, at)
        # Always something to do: top up with the cards due soonest (a question missed a minute
        # ago among them), then practice on the weakest skill.
        later = sorted((c for c in mine if c.due_at > at), key=lambda c: c.due_at)
        session.cards = due + missed_first(later[: max(0, EARLY - len(due))])
        session.early_from = len(due)
        session.intro = "intro" if due else "early"
        session.then = lambda: _weakest_practice(store, lang)
        return session

    # -- the contract --

    @property
    def _active(self):
        return self._practice or self._current

    @property
    def prompt(self) -> str:
        return getattr(self._active, "prompt", "") or "›"

    @property
    def position(self) -> tuple[int, int]:
        if self._practice is not None:
            return self._practice.position
        return (max(self._index, 0) + 1, max(len(self.cards), 1))

    @property
    def hints_used(self) -> int:
        return int(getattr(self._active, "hints_used", 0))

    @property
    def words(self) -> list[str]:
        return list(getattr(self._active, "words", []))

    def state(self) -> dict:
        return {}

    def start(self) -> list[Message]:
        if self.intro == "early":  # nothing due: say when, then offer what is nearest
            return [Message("say", tr(TEXT["nothing"], self.lang)), *self._closing(summary_=False)] + self._advance()
        if not self.cards:
            self.done = True
            return [Message("say", tr(TEXT["nothing"], self.lang)), *self._closing(summary_=False)]
        text = SESSION_TEXT["all"] if self.intro == "all" else TEXT["intro"]
        return [Message("say", tr(text, self.lang, n=min(len(self.cards), self.early_from)))] + self._advance()

    def answer(self, line: str) -> list[Message]:
        refused = linecap.refuse(line, self.lang)  # before any parsing: a 1 MB line is not read
        if refused:
            return refused
        if self._practice is not None:
            return self._practice_answer(line)
        if self.done or self._current is None:
            return []
        from derivtutor.progress import practice_judge

        if practice_judge.command(line) == "why" and self._last is not None and not _answered(self._current):
            return _explain(self._last)  # the card just answered, as `why` does in a lesson
        out = list(self._current.answer(line))
        self._drain()
        if getattr(self._current, "quit", False):  # `quit` ends the whole review, with its summary
            self._current, self.done = None, True
            return out + self._closing()
        if getattr(self._current, "done", False):
            out = [m for m in out if not _lesson_complete(m) and not self._after_text(m)]
            self._last = self._current
            out += self._advance()
        return out

    def farewell(self) -> list[Message]:
        """The learner left early (quit, Ctrl-D): what was answered is saved; sum it up."""
        if self._practice is not None:
            self.done = True
            return self._practice.farewell()
        self._current, self.done = None, True
        return self._closing()

    # -- inside --

    def _advance(self) -> list[Message]:
        """Open the next card that can still be asked; after the last, sum up (and go on into practice)."""
        out: list[Message] = []
        while True:
            self._index += 1
            if self._index >= len(self.cards):
                self._current = None
                return out + self._after_last()
            card = self.cards[self._index]
            if self._index == self.early_from:
                out.append(Message("say", tr(SESSION_TEXT["early"], self.lang, n=len(self.cards) - self.early_from)))
            try:
                question = self.make_question(card, self.lang)
            except LookupError:
                self._gone.add(card.key)
                out.append(Message("say", tr(TEXT["gone"], self.lang, lesson=card.lesson, step=card.step)))
                continue
            self._current = question
            heading = tr(TEXT["card"], self.lang, i=self._index + 1, n=len(self.cards), lesson=self._label(card))
            out.append(Message("progress", heading, data={"lesson": card.lesson, "step": card.step}))
            out += self._context(card)
            out += list(question.start())
            self._drain()
            if getattr(question, "done", False):
                continue
            return out

    def _after_last(self) -> list[Message]:
        closing = self._closing() if self.results or self.intro != "early" else []
        if self.then is None:
            self.done = True
            return closing
        self._practice = self.then()
        return closing + list(self._practice.start())

    def _practice_answer(self, line: str) -> list[Message]:
        from derivtutor.progress import practice_judge

        if practice_judge.command(line) == "why" and self._last is not None and self._practice._last is None:
            return _explain(self._last)  # no practice answered yet: the last card is what `why` is about
        out = list(self._practice.answer(line))
        self.events += [e for e in self._practice.events]
        self._practice.events.clear()
        self.done = bool(self._practice.done)
        return out

    def _name(self, event: dict) -> str:
        """A missed question as the summary names it: where it is from, and which."""
        kind = card_kind(event)
        card = ReviewCard(kind, event["lesson"], event["step"])
        which = f"J = {event['step'].partition(':')[2]}" if kind == PLAY else event["step"]
        return tr(SESSION_TEXT["missed_name"], self.lang, label=self._label(card), which=which)

    def _label(self, card: ReviewCard) -> str:
        """The lesson's title (what the learner saw), not its file id."""
        if card.kind == PLAY:
            return tr(SESSION_TEXT["free_play"], self.lang)
        try:
            return self._lesson(card.lesson).title
        except Exception:  # noqa: BLE001 - a broken lesson file still gets its card asked or skipped
            return card.lesson

    def _context(self, card: ReviewCard) -> list[Message]:
        if card.kind == PLAY:
            return []
        try:
            lesson = self._lesson(card.lesson)
            step = lesson.step_by_id(card.step)
            text = card_context(lesson, step, self.lang) if step is not None else ""
        except Exception:  # noqa: BLE001 - the context is a help; the card itself reports a broken lesson
            text = ""
        return [Message("say", text)] if text else []

    def _after_text(self, message: Message) -> bool:
        """The lesson's `after` sentence leads on to the next step of the lesson; a card has none."""
        runner = self._current
        step = getattr(getattr(runner, "lesson", None), "steps", None)
        if message.kind != "say" or step is None or getattr(runner, "last_answered", None) is None:
            return False
        answered = runner.lesson.steps[runner.last_answered]
        after = answered.get("after")
        return bool(after) and message.text == runner.fill(after, answered)

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
            return summary(self.results, due, self.lang, self._name)
        when = tr(TEXT["next"], self.lang, when=local_time(due)) if due else tr(TEXT["none_next"], self.lang)
        return [Message("say", when)]

    def _lesson(self, ref: str):
        if ref not in self._lessons:
            from derivtutor.teaching import lessons

            self._lessons[ref] = lessons.find(ref, lang=self.lang, extra_dirs=self.extra_dirs)
        return self._lessons[ref]

    def _lesson_cards(self, ref: str, everything: list[ReviewCard]) -> list[ReviewCard]:
        lesson = self._lesson(ref)
        known = {(c.lesson, c.step): c for c in everything if c.kind == "lesson"}
        return [known.get((lesson.id, s.id)) or ReviewCard("lesson", lesson.id, s.id)
                for s in lesson.steps if getattr(s, "graded", False)]

    def _every_lesson_card(self) -> list[ReviewCard]:
        """With nothing answered yet, `review --all` means every graded question of every lesson."""
        from derivtutor.teaching import lessons

        return [ReviewCard("lesson", lesson.id, s.id) for lesson in lessons.available(self.lang, list(self.extra_dirs))
                for s in lesson.steps if s.graded]

    def _question(self, card: ReviewCard, lang: str):
        """A Runner limited to the card's step, or a PlayQuestion; LookupError when it is gone."""
        if card.kind == PLAY:
            return PlayQuestion(card.payload.get("expr", card.step), card.payload.get("var", "w"), lang)
        from derivtutor.teaching.lessons import LessonError

        try:
            lesson = self._lesson(card.lesson)
        except LessonError as err:  # the lesson file broke since the card was made
            raise LookupError(card.lesson) from err
        if lesson.step_by_id(card.step) is None:  # LessonNotFound above is a LookupError too
            raise LookupError(card.step)
        from derivtutor.teaching.runner import Runner

        return Runner(lesson, lang=lang, only=[card.step])


def missed_first(cards: list[ReviewCard]) -> list[ReviewCard]:
    """The same cards, the missed ones first (otherwise in the order given)."""
    return sorted(cards, key=lambda c: not c.missed)


def _answered(question) -> bool:
    return bool(getattr(question, "answered", False) or getattr(question, "attempts", 0)
                or getattr(question, "tries", 0))


def _explain(question) -> list[Message]:
    """`why` for a card already answered: the runner's own, or a free-play card's working."""
    explain = getattr(question, "explain", None) or getattr(question, "_cmd_why", None)
    return list(explain()) if explain else []


def _weakest_practice(store, lang: str):
    from derivtutor.progress import mastery
    from derivtutor.progress.practice import PracticeSession

    return PracticeSession(mastery.weakest(store.mastery()), lang, store=store, weakest=True)


def _lesson_complete(message: Message) -> bool:
    """The runner's "lesson complete: 1 of 1" line; in a review the session's summary says it instead."""
    return message.kind == "feedback" and {"right", "graded"} <= set(message.data)


def PlayQuestion(expr: str, var: str, lang: str = "en"):
    """A function saved from free play, re-asked as a practice question: the lesson's commands and judging."""
    import sympy

    from derivtutor.algebra import mathinput
    from derivtutor.teaching import skills
    from derivtutor.progress.practice import QuestionItem
    from derivtutor.progress.practice_gen import Question

    J, wrt = mathinput.read_expression(expr), mathinput.var(var)
    tags = skills.of_derivative(J, wrt)
    q = Question(tags[0] if tags else "power", "derivative", J, wrt, sympy.diff(J, wrt), tags=tags)
    item = QuestionItem(q, lang, record={"lesson": PLAY, "step": f"{var}:{expr}", "kind": PLAY})
    item.text = tr(TEXT["play_q"], lang, var=var, expr=expr)
    return item

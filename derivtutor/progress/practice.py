"""`derivtutor practice [SKILL]`: fresh questions for a skill, without end, harder as mastery grows.

`QuestionItem` is one question as a conversation with the lesson's commands
(hint, why, skip, help, repeat, quit, in English or Chinese) and the lesson's
policy (three tries, hints from the derivation, the answer shown only when
tries run out, on the last hint, or on skip). `PracticeSession` asks item after
item with the Runner contract; review's free-play cards are items too.
"""

from __future__ import annotations

import random
import time
from typing import Callable

from derivtutor.teaching import skills
from derivtutor.text.i18n import Catalog, listing, tr
from derivtutor.text.messages import Message
from derivtutor.text.session import SessionParts

MAX_TRIES = 3
PRACTICE = "practice"  # the lesson name of practice answers in the store

T = Catalog(__name__, 'T')


def t(key: str, lang: str, **fields) -> str:
    return tr(T[key], lang, **fields)


# ---- one question ------------------------------------------------------------------------------


def question_text(q, lang: str) -> str:
    """The whole question in one sentence: the function, the point, what is asked."""
    from derivtutor.algebra import mathinput
    from derivtutor.progress import practice_gen

    w = q.wrt.name
    fields = dict(J=mathinput.show(q.J), w=w, a=mathinput.show(q.at.get(q.wrt, "")) if q.at else "",
                  eps=mathinput.show(q.eps) if q.eps is not None else "",
                  alpha=mathinput.show(q.alpha) if q.alpha is not None else "")
    if q.kind == "derivative":
        return t("partial" if len(q.J.free_symbols) > 1 else "derivative", lang, **fields)
    if q.kind == "choose_eps":
        how = t("central_word" if q.central else "forward_word", lang)
        options = "\n".join(f"  {i}. ε = {practice_gen.eps_text(e)}" for i, e in enumerate(q.options, 1))
        return t("choose_eps", lang, how=how, **fields) + "\n" + options
    if q.kind == "backprop":
        nodes = listing(f"${name} = {mathinput.show(f)}$" for name, f in q.nodes)
        return t("backprop", lang, nodes=nodes, **fields)
    return t(q.kind, lang, **fields)


def prompt_for(q, lang: str) -> str:
    if q.answer == "derivative":
        return t("prompt_partial" if len(q.J.free_symbols) > 1 else "prompt_derivative", lang, w=q.wrt.name)
    if q.answer == "choice":
        return t("prompt_choice", lang, n=len(q.options))
    return t("prompt_predict" if q.answer == "predict" else "prompt_number", lang)


def answer_text(q) -> str:
    """The answer as the reveal shows it (a derivative in the derivation's own form)."""
    from derivtutor.algebra import mathinput
    from derivtutor.progress import practice_gen

    if q.answer == "choice":
        return f"{int(q.expected)}. ε = {practice_gen.eps_text(q.options[int(q.expected) - 1])}"
    if q.answer == "derivative":
        return f"d{'J'}/d{q.wrt.name} = {mathinput.show(_derivation(q).result)}"
    return mathinput.show(q.expected)


def _derivation(q):
    from derivtutor.progress import practice_gen

    return practice_gen.derivation(q.J, q.wrt)


def derivation_lines(q, lang: str) -> list[str]:
    from derivtutor.algebra import steps_text

    return steps_text.plain_lines(_derivation(q), lang)


def hints_for(q, lang: str) -> list[str]:
    """Hints built from the derivation: the first rule, then the pieces (the last hint reveals, as in a lesson)."""
    import sympy

    from derivtutor.algebra import mathinput

    w, show = q.wrt.name, mathinput.show
    lines = derivation_lines(q, lang)
    rule = lines[0].split(":")[0].strip() if lines else ""
    if q.answer == "derivative":
        pieces = t("pieces_sep", lang).join(line.strip() for line in lines[1:3])
        return [t("hint_rule", lang, rule=rule)] + ([t("hint_pieces", lang, pieces=pieces)] if pieces else [])
    if q.kind in ("value", "predict"):
        return [t("hint_rule", lang, rule=rule), t("hint_derivative_first", lang, w=w, d=show(_derivation(q).result)),
                t("hint_put_in", lang, w=w, a=show(q.at[q.wrt]))]
    if q.kind in ("forward", "central"):
        a = q.at[q.wrt]
        values = dict(w=w, plus=show(q.J.subs(q.wrt, a + q.eps)), here=show(q.J.subs(q.wrt, a)),
                      minus=show(q.J.subs(q.wrt, a - q.eps)))
        return [t("hint_values_central" if q.central else "hint_values", lang, **values)]
    if q.kind == "choose_eps":
        return [t("hint_eps", lang)]
    if q.kind == "backprop":
        parts = []
        for (name, f), (nxt, g) in zip(q.nodes, q.nodes[1:]):
            wrt = q.wrt if not parts else mathinput.var(q.nodes[len(parts) - 1][0])
            parts.append(f"∂{name}/∂{wrt.name} = {show(sympy.diff(f, wrt))}")
        last = mathinput.var(q.nodes[-2][0])
        parts.append(f"∂J/∂{last.name} = {show(sympy.diff(q.nodes[-1][1], last))}")
        return [t("hint_graph", lang, locals=listing(parts))]
    return [t("hint_gd", lang, w=w, a=show(q.at[q.wrt]), g=show(_derivation(q).result.subs(q.at)))]


class QuestionItem:
    """One question as a conversation (Runner contract): commands first, then the answer is judged.

    ``record`` names the event (lesson, step, kind); attempts counts every
    judged try, right or wrong, and ``outcome`` says how it ended.
    """

    def __init__(self, q, lang: str = "en", record: dict | None = None):
        self.q, self.lang = q, lang
        self.record = record or {"lesson": PRACTICE, "step": f"{q.kind}:{q.key}", "kind": PRACTICE,
                                 "mode": PRACTICE}
        self.events: list[dict] = []
        self.done = self.quit = False
        self.answered = False
        self.attempts = self.hints_used = 0
        self.position = (1, 1)
        self.prompt = prompt_for(q, lang)
        self.words = ["hint", "why", "skip", "help", "repeat", "quit"]
        self.text = question_text(q, lang)
        self._started = 0.0
        self._hints: list[str] | None = None

    def start(self) -> list[Message]:
        self._started = time.monotonic()
        return [Message("question", self.text, data={"kind": self.q.kind})]

    def answer(self, line: str) -> list[Message]:
        from derivtutor.progress import practice_judge

        if self.done:
            return []
        if not line.strip():
            return self.start()
        word = practice_judge.command(line)
        if word is not None:
            handler = COMMANDS.get(word)
            return handler(self) if handler else [Message("say", t("not_here", self.lang, word=line.strip()))]
        judged = practice_judge.judge(self.q, line, self.lang)
        if judged.correct is None:
            return judged.messages
        self.attempts += 1
        if judged.correct:
            return judged.messages + self._finish(True, judged.typed)
        if self.attempts >= MAX_TRIES:
            return (judged.messages + [Message("feedback", t("reveal", self.lang, answer=answer_text(self.q)), ok=False)]
                    + self._working() + self._finish(False, judged.typed, revealed=True))
        left = MAX_TRIES - self.attempts
        return judged.messages + [Message("say", t("try_again", self.lang, left=left))]

    # -- commands --

    def _hint(self) -> list[Message]:
        if self._hints is None:
            self._hints = hints_for(self.q, self.lang)
        total = len(self._hints) + 1  # the last "hint" shows the answer, as in a lesson
        self.hints_used += 1
        if self.hints_used < total:
            return [Message("hint", t("hint", self.lang, n=self.hints_used, total=total, text=self._hints[self.hints_used - 1]))]
        return ([Message("hint", t("hint_reveal", self.lang, answer=answer_text(self.q)))] + self._working()
                + self._finish(False, "hint", revealed=True))

    def _why(self) -> list[Message]:
        """In a lesson `why` explains the question just answered; here that is this one once it is over."""
        return [Message("say", t("why_none", self.lang))]

    def _skip(self) -> list[Message]:
        return [Message("say", t("skipped", self.lang, answer=answer_text(self.q)))] + self._finish(
            False, "skip", revealed=True, skipped=True)

    def _help(self) -> list[Message]:
        return [Message("say", block=t("help", self.lang))]

    def _quit(self) -> list[Message]:
        self.done = self.quit = True
        return []

    def _working(self) -> list[Message]:
        if self.q.answer not in ("derivative",) and self.q.kind not in ("value", "predict"):
            return []
        return [Message("say", t("why_plain", self.lang)), Message("block", block="\n".join(derivation_lines(self.q, self.lang)))]

    def explain(self) -> list[Message]:
        """`why` after the question is over: the working, rule by rule."""
        return self._working() or [Message("say", block="\n".join(hints_for(self.q, self.lang)))]

    def _finish(self, correct: bool, answer: str, revealed: bool = False, skipped: bool = False) -> list[Message]:
        self.done, self.answered = True, True
        first = correct and self.attempts <= 1 and not self.hints_used
        outcome = ("first_try" if first else "after_help" if correct else "skipped" if skipped
                   else "revealed" if revealed else "wrong")
        self.events.append({
            **self.record, "correct": correct, "attempts": max(self.attempts, 1), "hints": self.hints_used,
            "revealed": revealed, "skipped": skipped, "outcome": outcome, "skills": list(self.q.tags),
            "seconds": round(time.monotonic() - self._started, 3), "answer": answer, "lang": self.lang,
        })
        return []


COMMANDS: dict[str, Callable[[QuestionItem], list[Message]]] = {
    "hint": QuestionItem._hint, "why": QuestionItem._why, "skip": QuestionItem._skip,
    "next": QuestionItem._skip, "help": QuestionItem._help, "repeat": QuestionItem.start,
    "quit": QuestionItem._quit,
}


# ---- a run of questions ---------------------------------------------------------------------------


class PracticeSession(SessionParts):
    """Fresh questions for one skill, one after another (Runner contract); answers go to the store at once."""

    resumable = False

    def __init__(self, skill: str, lang: str = "en", seed: int | None = None, store=None,
                 count: int | None = None, weakest: bool = False, heading: bool = True):
        self.skill, self.lang, self.store, self.count = skill, lang, store, count
        self.seed = seed if seed is not None else _new_seed()
        self.rng = random.Random(self.seed)
        self.weakest, self.heading = weakest, heading
        self.events: list[dict] = []
        self.results: list[dict] = []
        self.asked: list = []
        self.done = False
        self._item: QuestionItem | None = None
        self._last: QuestionItem | None = None
        self._seen: set[str] = set()

    # -- the contract --

    @property
    def prompt(self) -> str:
        return self._item.prompt if self._item else "›"

    @property
    def position(self) -> tuple[int, int]:
        return (len(self.asked), max(self.count or len(self.asked), 1))

    @property
    def hints_used(self) -> int:
        return self._item.hints_used if self._item else 0

    @property
    def words(self) -> list[str]:
        return list(self._item.words) if self._item else []

    def state(self) -> dict:
        return {}

    def start(self) -> list[Message]:
        out = []
        if self.heading:
            key = ("intro_new" if self._mastery() is None else "intro_weakest") if self.weakest else "intro"
            out.append(Message("say", t(key, self.lang, skill=skills.name(self.skill, self.lang), pct=self._pct())))
        return out + self._next()

    def answer(self, line: str) -> list[Message]:
        from derivtutor.progress import practice_judge

        if self.done or self._item is None:
            return []
        if practice_judge.command(line) == "why" and self._last is not None:
            return self._last.explain()
        out = self._item.answer(line)
        self._drain()
        if self._item.quit:
            return out + self.farewell()
        if self._item.done:
            self._last = self._item
            if self.count is not None and len(self.asked) >= self.count:
                return out + self.farewell()
            out += self._next()
        return out

    def farewell(self) -> list[Message]:
        self._item, self.done = None, True
        right = sum(1 for e in self.results if e.get("outcome") == "first_try")
        if not self.results:
            return [Message("say", t("bye", self.lang))]
        return [Message("progress", t("summary", self.lang, right=right, n=len(self.results),
                                      skill=skills.name(self.skill, self.lang), pct=self._pct()))]

    # -- inside --

    def level(self) -> int:
        from derivtutor.progress import mastery

        return mastery.difficulty(self._mastery())

    def _mastery(self) -> float | None:
        from derivtutor.progress import mastery

        known = self.store.mastery() if self.store is not None else mastery.fold(self.results)
        entry = known.get(self.skill)
        return entry["level"] if entry else None

    def _pct(self) -> str:
        from derivtutor.progress import mastery

        return mastery.percent(self._mastery())

    def _next(self) -> list[Message]:
        from derivtutor.progress import practice_gen

        q = practice_gen.generate(self.skill, self.rng, self.level(), self._seen)
        self._seen.add(q.key)
        self.asked.append(q)
        self._item = QuestionItem(q, self.lang)
        head = Message("progress", t("numbered", self.lang, i=len(self.asked), skill=skills.name(self.skill, self.lang),
                                     level=q.level))
        return [head] + self._item.start()

    def _drain(self) -> None:
        for event in self._item.events:
            if self.store is not None:
                self.store.record(event)
            else:
                self.events.append(event)
            self.results.append(event)
        self._item.events.clear()


def _new_seed() -> int:
    return random.SystemRandom().randrange(2**31)


def resolve_skill(name: str | None) -> str | None:
    """A skill id from what was typed: an id, a word of its English or Chinese name; None if nothing fits."""
    if not name:
        return None
    text = name.strip().lower().replace("-", "_").replace(" ", "_")
    if text in skills.BY_ID:
        return text
    for s in skills.SKILLS:
        if text in s.en.lower().replace(" ", "_").replace("-", "_").split("_") or name.strip() in s.zh:
            return s.id
    return None

"""One lesson as a conversation: the learner's line goes in, the tutor's messages come out.

A short state machine: present the step, read a line, run a command or judge an answer, say
the verdict, move on. What differs from one kind of step to another (the prompt, how a line
is judged, the answer revealed, the default hints) is asked of the step's kind (kinds/).
No UI here: the shell renders the messages, the store saves `state()` and `events`.
"""

from __future__ import annotations

import difflib
import time
from typing import Any

from derivtutor.teaching import answers, kinds, lesson_shapes, lessons, lint, question, runner_state
from derivtutor.algebra import cas, mathinput, mathprinter
from derivtutor.text import linecap
from derivtutor.teaching.answers import StepInvalid
from derivtutor.text.i18n import Catalog, sentence, tr
from derivtutor.teaching.lesson_model import PLACEHOLDER, Lesson, Step
from derivtutor.text.messages import Message
from derivtutor.text.line_undo import LineUndo
from derivtutor.text.session import SessionParts
from derivtutor.text.words import LESSON_ALIASES as ALIASES, LESSON_COMMANDS as COMMANDS, command_key
from derivtutor.algebra.mathnames import normalize

# The kinds import what they judge with inside their methods (the loader reads their schema at
# start-up, without SymPy); the runner imports it up front, so that the shell's background load
# of the runner also readies the first answer of a code or graph step.
from derivtutor.teaching import code_step, diagnosis  # noqa: F401,E402

MAX_TRIES = question.MAX_TRIES

T = Catalog(__name__, 'T')


class Runner(LineUndo, SessionParts):
    """The state machine of one lesson. `state()` round-trips through JSON."""

    def __init__(self, lesson: Lesson, state: dict | None = None, lang: str = "en", only: list[str] | None = None):
        self.lesson = lesson
        self.lang = lang
        self.only = list(only) if only is not None else None
        self.order = [s.index for s in lesson.steps
                      if self.only is None or (s.graded and s.id in self.only)]
        restored = runner_state.restore(state, len(self.order), len(lesson.steps))  # a damaged save: reset
        self.state_note = restored.told(lang)
        state = restored.state
        self.pos = min(int(state.get("pos", 0)), len(self.order))
        self.attempt = question.Attempt(int(state.get("tries", 0)), int(state.get("hints", 0)))
        self.rounds = int(state.get("rounds", 0))
        self.saved_text: dict[str, str] = dict(state.get("saved", {}))
        self.revealed: list[list] = [list(x) for x in state.get("revealed", [])]
        self.results: dict[str, bool] = dict(state.get("results", {}))
        self.outcomes: dict[str, str] = dict(state.get("outcomes", {}))
        self.last_answered: int | None = state.get("last_answered")
        self.resumed = bool(state) and self.pos > 0
        self.quit = False  # the learner typed quit (review ends its whole session on it)
        self.done = self.pos >= len(self.order)
        self.events: list[dict] = []
        self.prompt = ""
        self._started = time.monotonic()
        self._values: dict[str, answers.Computed] = {}
        # A lesson from outside the shipped folder is checked in full before it runs, so a
        # broken one is refused with every problem listed rather than failing half-way.
        self.problems = [] if lessons.is_shipped(lesson) else lint.validate_math(lesson)
        if self.problems:
            self.done = True

    # --- the contract with the shell ---------------------------------------

    tries = property(lambda self: self.attempt.tries, lambda self, n: setattr(self.attempt, "tries", n),
                     doc="Tries the learner made at this question, the right one included.")
    hints_used = property(lambda self: self.attempt.hints, lambda self, n: setattr(self.attempt, "hints", n),
                          doc="Hints shown at this question (the toolbar reads it).")

    @property
    def position(self) -> tuple[int, int]:
        return (min(self.pos + 1, len(self.order)), len(self.order))

    @property
    def words(self) -> list[str]:
        names: set[str] = set()
        for step in self.lesson.steps:
            for key in ("J",):
                if isinstance(step.get(key), str):
                    names |= {c for c in step.get(key) if c.isalpha()}
        if not self.done and self.order:  # the names a line can use here (a code step's)
            names |= self.kind.names(self, self.step)
        return sorted(COMMANDS) + sorted(names)

    def state(self) -> dict:
        return {"lesson": self.lesson.id, "pos": self.pos, "tries": self.tries, "hints": self.hints_used,
                "rounds": self.rounds, "saved": dict(self.saved_text), "revealed": [list(x) for x in self.revealed],
                "results": dict(self.results), "outcomes": dict(self.outcomes), "last_answered": self.last_answered}

    def start(self) -> list[Message]:
        from derivtutor.teaching.lint_text import problem_text

        if self.problems:
            return [Message("error", self.t("broken_lesson", n=len(self.problems)),
                            block="\n".join(problem_text(p, self.lang) for p in self.problems))]
        out: list[Message] = []
        if self.only is None:
            out.append(Message("say", self.t("welcome", n=self.lesson.number or self.lesson.id,
                                              title=self.lesson.title, summary=self.lesson.summary)))
        if self.state_note:  # after the welcome, which the shell may already have shown from the file
            out.append(Message("error", self.state_note))
        if self.resumed and not self.done:
            n, total = self.position
            out.append(Message("progress", self.t("welcome_back", n=n, total=total)))
        return out + self._present()

    # What a line may change, put back when the shell gives it up (LineUndo.answer runs _answer).
    _KEPT = ("pos", "rounds", "last_answered", "done", "quit", "prompt", "_started",
             "attempt", "saved_text", "revealed", "results", "outcomes")
    _COPIED = ("attempt", "saved_text", "results", "outcomes")

    def _snapshot(self) -> dict:
        kept = super()._snapshot()
        kept["revealed"] = [list(x) for x in self.revealed]  # its pairs change in place too
        return kept

    def _answer(self, line: str) -> list[Message]:
        refused = linecap.refuse(line, self.lang)  # before any parsing: a 1 MB line is not read
        if refused:
            return refused
        line = normalize(line).strip()
        if self.done:
            if ALIASES.get(command_key(line), command_key(line)) == "quit":
                return [Message("say", self.t("quit"))]
            return [Message("say", self.t("already_done"))]
        if not line:
            return self._present(repeat=True)
        command = ALIASES.get(command_key(line), command_key(line))
        if command in COMMANDS:
            return getattr(self, f"_cmd_{command}")()
        suggestion = self._mistyped_command(line)
        if suggestion:
            return [Message("error", self.t("did_you_mean", word=line, command=suggestion))]
        step = self.step
        try:
            with cas.action():  # one budget for this answer, however many calculations it takes
                return self.kind.answer(self, step, line)
        except StepInvalid as err:
            return [Message("error", self.t("computation_failed", message=err.localized(self.lang).rstrip("。")))]
        except cas.CasTimeout as err:  # a runaway computation was stopped; the lesson goes on
            return [Message("error", sentence(err.localized(self.lang), self.lang))]

    # --- helpers -------------------------------------------------------------

    def t(self, key: str, **fields) -> str:
        return tr(T[key], self.lang, **fields)

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.order[self.pos]]

    @property
    def kind(self) -> kinds.StepKind:
        return kinds.of(self.step)

    @property
    def saved(self) -> dict[str, Any]:
        """The learner's saved answers (kept as text they typed), with the lesson's values."""
        parsed = {name: mathinput.read_expression(text) for name, text in self.saved_text.items()}
        return answers.Known(parsed, self.lesson, self.step if not self.done else None)

    def _mistyped_command(self, line: str) -> str | None:
        word = line.lower()
        if not word.isalpha() or len(word) < 3:
            return None
        if self.kind.reads_as_answer(self, self.step, line):
            return None
        close = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.6)
        return close[0] if close else None

    def fill(self, text: str, step: Step | None = None) -> str:
        """Put computed values and saved answers into {name} placeholders."""
        def value(match):
            name, spec = match.group(1), match.group(2)
            computed = self._value(name, step)
            return computed.shown(spec) if computed is not None else match.group(0)
        return PLACEHOLDER.sub(value, text)

    def _value(self, name: str, step: Step | None) -> answers.Computed | None:
        if step is not None and name in (step.get("values") or {}):
            return answers.compute(step.get("values")[name], self.saved, self.lesson)
        if name in self.saved_text:
            expr = self.saved[name]
            return answers.Computed(expr, answers.as_float(expr))
        if name in self.lesson.values:
            if name not in self._values:
                self._values[name] = answers.compute(self.lesson.values[name], self.saved, self.lesson)
            return self._values[name]
        return None

    # --- presenting a step -----------------------------------------------------

    def _present(self, repeat: bool = False) -> list[Message]:
        out: list[Message] = []
        while not self.done and not self.step.graded:
            out.append(Message("say", self.fill(self.step.text, self.step)))
            self._advance()
        if self.done:
            return out + self._finish()
        step = self.step
        out += self.kind.before(self, step)
        text = self.kind.question_text(self, step)
        function = step.get("J") or next((step.get("answer")[k] for k in lesson_shapes.COMPUTED_KEYS[:2]
                                          if isinstance(step.get("answer"), dict) and k in step.get("answer")), None)
        if repeat and isinstance(function, str) and "J" not in step.text:  # "At w = 2?" stands on its own
            text = f"{self.t('repeat_J', J=mathprinter.show(answers.expression(function)))} {text}"
        out.append(Message("question", text, data={"step": step.id, "kind": step.kind}))
        self.prompt = self.kind.prompt(self, step)
        if not repeat:
            self._started = time.monotonic()
        return out

    # --- moving on ---------------------------------------------------------------

    def _advance(self) -> None:
        self.pos += 1
        self.tries = 0
        self.hints_used = 0
        self.rounds = 0
        self.done = self.pos >= len(self.order)

    def _finish(self) -> list[Message]:
        self.prompt = ""
        if self.only is not None:  # a review question: the review session sums up, not the lesson
            return []
        graded = [s for s in (self.lesson.steps[i] for i in self.order) if s.graded]
        right = sum(1 for s in graded if self.results.get(s.id))
        counts = {o: sum(1 for s in graded if self.outcomes.get(s.id) == o) for o in question.OUTCOMES}
        parts = [self.t("finished_part", n=counts[o], what=self.t(key))
                 for o, key in ((question.AFTER_HELP, "after_help"), (question.MISSED, "missed"),
                                (question.REVEALED, "revealed"), (question.SKIPPED, "skipped_n")) if counts[o]]
        sep = "，" if self.lang == "zh" else ", "
        text = self.t("finished", first=counts[question.FIRST_TRY], graded=len(graded),
                      rest="".join(sep + p for p in parts))
        earned = right * 2 > len(graded) and counts[question.SKIPPED] + counts[question.REVEALED] < len(graded) / 2
        text += ("" if self.lang == "zh" else " ") + (self.t("well_done") if earned else self.t("come_back"))
        # ✓ when the lesson went well; otherwise no mark: a summary is not a wrong answer
        return [Message("feedback", text, ok=True if earned else None,
                        data={"right": right, "graded": len(graded), **counts})]

    def _record(self, correct: bool, answer: str, revealed: bool = False, skipped: bool = False) -> None:
        step = self.step
        self.results[step.id] = correct
        outcome = self.attempt.outcome(correct, revealed, skipped)
        if self.kind.explores and correct:
            outcome = question.FIRST_TRY  # an experiment's rounds are explorations, not wrong tries
        self.outcomes[step.id] = outcome
        self.last_answered = step.index
        self.events.append({"lesson": self.lesson.id, "step": step.id, "kind": step.kind, "correct": correct,
                            "attempts": self.tries, "hints": self.hints_used, "revealed": revealed,
                            "skipped": skipped, "outcome": outcome, "seconds": round(time.monotonic() - self._started, 3),
                            "answer": answer, "lang": self.lang})

    def close(self, correct: bool, answer: str, revealed: bool = False, skipped: bool = False) -> list[Message]:
        """The step is answered (or revealed): record it, say `after`, move on."""
        step = self.step
        if step.get("save") and step.get("save") not in self.saved_text:
            self.saved_text[step.get("save")] = mathprinter.show(self.kind.stand_in(self.lesson, step, self.saved))
        self._record(correct, answer, revealed, skipped)
        self.kind.learned(self, step)
        out = []
        if step.get("after"):
            out.append(Message("say", self.fill(step.get("after"), step)))
        self._advance()
        return out + self._present()

    # --- what a step's kind asks of the conversation (with `close` and `fill`) --------------

    def as_question(self, step: Step, asks: str, expected=None, J=None, wrt=None) -> question.Question:
        """This step as the question core's record: what is asked, exactness, anticipated answers."""
        expected_answers = tuple(question.Anticipated(answers.expression(str(a["answer"]), "anticipated answer"),
                                                      self.fill(a["say"], step))
                                 for a in step.get("anticipate") or ())
        return question.Question(asks, expected, J, wrt, exact=bool(step.get("exact")),
                                 tolerance=step.get("tolerance") or {}, anticipated=expected_answers)

    def wrong(self, line: str, messages: list[Message], final: bool) -> list[Message]:
        """A wrong try (already counted): a more specific hint each time; on the last try, the answer and move on."""
        if final:
            reveal = Message("feedback", self.t("reveal_after_tries", answer=self._answer_text()), ok=False)
            return messages + [reveal] + self.kind.working(self, self.step) + self.close(False, line, revealed=True)
        hints = self._hints()
        out = list(messages)
        if self.hints_used < len(hints):  # the next hint not yet seen: more specific each time
            self.hints_used += 1
            out.append(Message("hint", self.t("hint", n=self.hints_used, total=len(hints), text=hints[self.hints_used - 1])))
        left = MAX_TRIES - self.tries
        out.append(Message("say", self.t("try_again", left=left,
                                         tries=self.t("tries_one" if left == 1 else "tries_many"))))
        return out

    def expected(self, step: Step | None = None):
        """What the step (the current one by default) expects, with the answers saved so far."""
        step = step or self.step
        return kinds.expected(self.lesson, step, self.saved)

    # --- the answer and the hints -----------------------------------------------------------

    def _answer_text(self) -> str:
        return self.kind.answer_text(self, self.step)

    def _hints(self) -> list[str]:
        """The author's hints, else the kind's own; the answer itself comes after the last."""
        step = self.step
        authored = [self.fill(h, step) for h in step.get("hints") or []]
        return authored or self.kind.default_hints(self, step)

    # --- commands ------------------------------------------------------------------------

    def _cmd_hint(self) -> list[Message]:
        hints = self._hints()
        if self.hints_used < len(hints):
            self.hints_used += 1
            return [Message("hint", self.t("hint", n=self.hints_used, total=len(hints), text=hints[self.hints_used - 1]))]
        if self.kind.explores:
            return [Message("hint", self.t("no_more_hints"))]
        self.hints_used += 1
        return ([Message("hint", self.t("hint_reveal", answer=self._answer_text()))] + self.kind.working(self, self.step)
                + self.close(False, "hint", revealed=True))

    def _cmd_why(self) -> list[Message]:
        if self.last_answered is None:
            return [Message("say", self.t("why_none"))]
        step = self.lesson.steps[self.last_answered]
        out = []
        if step.get("why"):
            out.append(Message("say", self.fill(step.get("why"), step)))
        out += kinds.of(step).why(self, step)
        return out or [Message("say", self.t("why_none"))]

    def _cmd_skip(self) -> list[Message]:
        step = self.step
        answer = self._answer_text()
        text = self.t("skipped", answer=answer) if answer and answer != "—" else self.t("skipped_plain")
        return [Message("say", text)] + self.kind.skipped(self, step) + self.close(False, "skip", revealed=True, skipped=True)

    def _cmd_next(self) -> list[Message]:
        if self.kind.explores:
            self._record(True, "next")
            self._advance()
            return self._present()
        return [Message("say", self.t("next_graded"))]

    def _cmd_back(self) -> list[Message]:
        target = self.pos - 1
        while target >= 0 and not self.lesson.steps[self.order[target]].graded:
            target -= 1
        if target < 0:
            return [Message("say", self.t("back_first"))] + self._present(repeat=True)
        self.pos, self.tries, self.hints_used, self.rounds = target, 0, 0, 0
        return self._present()

    def _cmd_repeat(self) -> list[Message]:
        return self._present(repeat=True)

    def _cmd_help(self) -> list[Message]:
        return [Message("say", block=self.t("help"))]

    def _cmd_where(self) -> list[Message]:
        n, total = self.position
        return [Message("progress", self.t("where", lesson=self.lesson.number or self.lesson.id, n=n, total=total,
                                           title=self.lesson.title, hints=self.hints_used))]

    def _cmd_quit(self) -> list[Message]:
        self.done = True
        self.quit = True
        return [Message("say", self.t("quit"))]

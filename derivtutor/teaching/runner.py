"""One lesson as a conversation: the learner's line goes in, the tutor's messages come out.

No UI here: the shell renders the messages, the store saves `state()` and `events`.
"""

from __future__ import annotations

import difflib
import time
from typing import Any

from derivtutor.teaching import answers, code_step, diagnosis, lessons, question, runner_state
from derivtutor.algebra import calculus, cas, mathinput
from derivtutor.text import columns, linecap, numbers
from derivtutor.teaching.answers import StepInvalid
from derivtutor.text.i18n import Catalog, tr
from derivtutor.teaching.lessons import PLACEHOLDER, Lesson, Step
from derivtutor.algebra.mathinput import MathInputError
from derivtutor.text.messages import Message
from derivtutor.text.session import SessionParts
from derivtutor.text.words import LESSON_ALIASES as ALIASES, LESSON_COMMANDS as COMMANDS, command_key
from derivtutor.algebra.mathnames import normalize

MAX_TRIES = question.MAX_TRIES
EPS = mathinput.var("ε")

T = Catalog(__name__, 'T')

# Hints for steps whose author wrote none: general, then specific, then the answer.
DEFAULT_HINTS = {
    "derivative": [{"en": "Which rule fits J = {J}: power, product, quotient or chain?",
                    "zh": "J = {J} 适用哪条法则：幂法则、乘积法则、商法则还是链式法则？"},
                   {"en": "The first rule to use here: {rule}.", "zh": "这里先用：{rule}。"}],
    "number": [{"en": "Work it out step by step; a fraction such as -1/4 is fine.",
                "zh": "一步一步算；可以写成分数，例如 -1/4。"}],
    "expression": [{"en": "Any equivalent form is accepted: expand or factor as you like.",
                    "zh": "任何等价的写法都可以：展开或因式分解都行。"}],
    "predict": [{"en": "Ask: if w moves by ε, about how many ε does J move?",
                 "zh": "想一想：w 变化 ε 时，J 大约变化多少个 ε？"}],
    "graph": [{"en": "Backprop multiplies: the local derivative times the gradient arriving from the right.",
               "zh": "反向传播就是相乘：局部导数乘以从下游（图中下方）传回来的梯度。"}],
    "choice": [{"en": "Read each option once more against what the tutor just computed.",
                "zh": "对照刚才的计算结果，再读一遍每个选项。"}],
}


def short(x: float) -> str:
    """A float as people read it (6.001), next to which the full repr can be shown."""
    return numbers.figures(x)


class Runner(SessionParts):
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
        self.problems = [] if lessons.is_shipped(lesson) else lessons.validate_math(lesson)
        if self.problems:
            self.done = True

    # --- the contract with the shell ---------------------------------------

    @property
    def tries(self) -> int:
        """Tries the learner made at this question, the right one included."""
        return self.attempt.tries

    @tries.setter
    def tries(self, n: int) -> None:
        self.attempt.tries = n

    @property
    def hints_used(self) -> int:
        return self.attempt.hints

    @hints_used.setter
    def hints_used(self, n: int) -> None:
        self.attempt.hints = n

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
        if not self.done and self.order and self.step.kind == "code":  # the names a line can use here
            names |= self._code_names() | {"diff", "subs", "symbols"}
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

    def answer(self, line: str) -> list[Message]:
        self._line = ticket = getattr(self, "_line", 0) + 1
        kept = self._snapshot()
        try:
            out = self._answer_line(line)
        except KeyboardInterrupt:  # plain mode: Ctrl-C broke off the work; nothing of it is kept
            self._put_back(kept)
            raise
        if getattr(self, "_abandoned", None) == ticket:  # the shell stopped waiting: drop it, state and all
            self._put_back(kept)
            return []
        return out

    def abandon(self) -> bool:
        """The shell stopped waiting for the line under way (Ctrl-C): when its result comes it is
        dropped, and the lesson is left as it was before that line."""
        self._abandoned = getattr(self, "_line", 0)
        return True

    _KEPT = ("pos", "rounds", "last_answered", "done", "quit", "prompt", "_started")

    def _snapshot(self) -> dict:
        kept = {key: getattr(self, key) for key in self._KEPT}
        kept.update(attempt=question.Attempt(self.attempt.tries, self.attempt.hints), events=len(self.events),
                    saved_text=dict(self.saved_text), revealed=[list(x) for x in self.revealed],
                    results=dict(self.results), outcomes=dict(self.outcomes))
        return kept

    def _put_back(self, kept: dict) -> None:
        for key in (*self._KEPT, "attempt", "saved_text", "revealed", "results", "outcomes"):
            setattr(self, key, kept[key])
        del self.events[kept["events"]:]

    def _answer_line(self, line: str) -> list[Message]:
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
                return getattr(self, f"_answer_{step.kind}")(step, line)
        except StepInvalid as err:
            return [Message("error", self.t("computation_failed", message=err.localized(self.lang).rstrip("。")))]
        except cas.CasTimeout as err:  # a runaway computation was stopped; the lesson goes on
            return [Message("error", _sentence(err.localized(self.lang), self.lang))]

    # --- helpers -------------------------------------------------------------

    def t(self, key: str, **fields) -> str:
        return tr(T[key], self.lang, **fields)

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.order[self.pos]]

    @property
    def saved(self) -> dict[str, Any]:
        """The learner's saved answers (kept as text they typed), with the lesson's values."""
        parsed = {name: mathinput.read_expression(text) for name, text in self.saved_text.items()}
        return answers.Known(parsed, self.lesson, self.step if not self.done else None)

    def _mistyped_command(self, line: str) -> str | None:
        word = line.lower()
        if not word.isalpha() or len(word) < 3:
            return None
        if self.step.kind in ("derivative", "expression") or (self.step.kind == "experiment" and self.step.get("ask") == "J"):
            if self._parses(line):
                return None
        if self.step.kind == "code" and (word in self._code_names() or line in self._code_names()
                                         or code_step.known_word(line)):
            return None
        close = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.6)
        return close[0] if close else None

    @staticmethod
    def _parses(line: str) -> bool:
        try:
            mathinput.read(line)
            return True
        except MathInputError:
            return False

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
            return answers.Computed(expr, _float(expr))
        if name in self.lesson.values:
            if name not in self._values:
                self._values[name] = answers.compute(self.lesson.values[name], self.saved, self.lesson)
            return self._values[name]
        return None

    def _J(self, step: Step):
        J = answers.expression(step.get("J"), "J")
        return J, answers.variable(J, step.get("wrt"))

    def _reading(self, line: str, variables=None) -> tuple[mathinput.Reading | None, list[Message]]:
        """The learner's line read by the safe parser, with its echo; with the step's
        variables known, `2W` is questioned ("did you mean w?") rather than graded."""
        return question.read(line, self.lang, variables)

    def _number(self, line: str) -> tuple[Any, str, list[Message]]:
        """A constant the learner typed, with the text of the number itself (for rounding)."""
        reading, messages = self._reading(line)
        if reading is None:
            return None, "", messages
        if reading.expr.free_symbols or not reading.expr.is_number:
            return None, "", [Message("error", self.t("need_number"))]
        typed = line.split("=")[-1].strip()
        return reading.expr, typed, ([] if _is_plain_number(typed) else messages)

    # --- presenting a step -----------------------------------------------------

    def _present(self, repeat: bool = False) -> list[Message]:
        out: list[Message] = []
        while not self.done and self.step.kind == "say":
            out.append(Message("say", self.fill(self.step.text, self.step)))
            self._advance()
        if self.done:
            return out + self._finish()
        step = self.step
        if step.kind == "graph":
            out.append(Message("block", block=self._draw_graph(step)))
        text = self.fill(step.text, step)
        if step.kind == "choice":
            options = "\n".join(f"  {i}. {self.fill(o, step)}" for i, o in enumerate(step.get("options"), 1))
            text = f"{text}\n{options}"
        function = step.get("J") or next((step.get("answer")[k] for k in lessons.COMPUTED_KEYS[:2]
                                          if isinstance(step.get("answer"), dict) and k in step.get("answer")), None)
        if repeat and isinstance(function, str) and "J" not in step.text:  # "At w = 2?" stands on its own
            text = f"{self.t('repeat_J', J=mathinput.show(answers.expression(function)))} {text}"
        out.append(Message("question", text, data={"step": step.id, "kind": step.kind}))
        self.prompt = self._prompt(step)
        if not repeat:
            self._started = time.monotonic()
        return out

    def _prompt(self, step: Step) -> str:
        if step.kind == "predict":
            return self.t("prompt_k")
        if step.kind == "choice":
            return self.t("prompt_choice", n=len(step.get("options")))
        if step.kind == "derivative":
            J, wrt = self._J(step)
            return self.t("prompt_derivative", w=wrt.name, d=self._d(step, J, wrt)[0])
        if step.kind == "expression":
            return self.t("prompt_expression")
        if step.kind == "code":
            return tr(code_step.T["prompt"], self.lang)
        if step.kind == "experiment":
            ask = step.get("ask")
            if ask == "at":
                return self.t("prompt_at", w=self._J(step)[1].name)
            return self.t(f"prompt_{ask}")
        return self.t("prompt_number")

    def _draw_graph(self, step: Step) -> str:
        built = answers.graph_for(self.lesson, step.get("graph"))
        known = [x for x in self.revealed if x and x[0] == step.get("graph")]
        return built.draw(width=56, reveal={tuple(x[1:]) for x in known}, lang=self.lang)

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
        return [Message("feedback", text, ok=earned,
                        data={"right": right, "graded": len(graded), **counts})]

    def _record(self, correct: bool, answer: str, revealed: bool = False, skipped: bool = False) -> None:
        step = self.step
        self.results[step.id] = correct
        outcome = self.attempt.outcome(correct, revealed, skipped)
        if step.kind == "experiment" and correct:
            outcome = question.FIRST_TRY  # an experiment's rounds are explorations, not wrong tries
        self.outcomes[step.id] = outcome
        self.last_answered = step.index
        self.events.append({"lesson": self.lesson.id, "step": step.id, "kind": step.kind, "correct": correct,
                            "attempts": self.tries, "hints": self.hints_used, "revealed": revealed,
                            "skipped": skipped, "outcome": outcome, "seconds": round(time.monotonic() - self._started, 3),
                            "answer": answer, "lang": self.lang})

    def _close(self, correct: bool, answer: str, revealed: bool = False, skipped: bool = False) -> list[Message]:
        """The step is answered (or revealed): record it, say `after`, move on."""
        step = self.step
        if step.get("save") and step.get("save") not in self.saved_text:
            self.saved_text[step.get("save")] = mathinput.show(answers.stand_in(self.lesson, step, self.saved))
        self._record(correct, answer, revealed, skipped)
        self._learn_graph(step)
        out = []
        if step.get("after"):
            out.append(Message("say", self.fill(step.get("after"), step)))
        self._advance()
        return out + self._present()

    def _learn_graph(self, step: Step) -> None:
        if step.kind == "graph":
            (what, target), = step.get("ask").items()
            entry = [step.get("graph"), what] + (list(target) if isinstance(target, list) else [target])
            if entry not in self.revealed:
                self.revealed.append(entry)

    def _question(self, step: Step, asks: str, expected=None, J=None, wrt=None) -> question.Question:
        """This step as the question core's record: what is asked, exactness, anticipated answers."""
        expected_answers = tuple(question.Anticipated(answers.expression(str(a["answer"]), "anticipated answer"),
                                                      self.fill(a["say"], step))
                                 for a in step.get("anticipate") or ())
        return question.Question(asks, expected, J, wrt, exact=bool(step.get("exact")),
                                 tolerance=step.get("tolerance") or {}, anticipated=expected_answers)

    def _wrong(self, line: str, messages: list[Message], final: bool) -> list[Message]:
        """A wrong try (already counted): a more specific hint each time; on the last try, the answer and move on."""
        if final:
            reveal = Message("feedback", self.t("reveal_after_tries", answer=self._answer_text()), ok=False)
            return messages + [reveal] + self._explain_answer() + self._close(False, line, revealed=True)
        hints = self._hints()
        out = list(messages)
        if self.hints_used < len(hints):  # the next hint not yet seen: more specific each time
            self.hints_used += 1
            out.append(Message("hint", self.t("hint", n=self.hints_used, total=len(hints), text=hints[self.hints_used - 1])))
        left = MAX_TRIES - self.tries
        out.append(Message("say", self.t("try_again", left=left,
                                         tries=self.t("tries_one" if left == 1 else "tries_many"))))
        return out

    # --- expected answers, hints, explanations -----------------------------------------

    def _expected(self, step: Step | None = None):
        step = step or self.step
        return answers.expected(self.lesson, step, self.saved)

    def _answer_text(self) -> str:
        step = self.step
        if step.kind == "choice":
            option = self.fill(step.get("options")[step.get("answer") - 1], step).rstrip(".。")
            return f"{step.get('answer')}. {option}"
        if step.kind == "experiment":
            return "—"
        expected = self._expected()
        if step.kind == "code":
            return code_step.solution_text(step, expected, self.lang)
        if isinstance(expected, answers.Computed):
            return expected.shown(both=True)
        if step.kind in ("derivative", "predict"):
            J, wrt = self._J(step)
            if step.kind == "predict":
                value = calculus.value(expected, answers.point(step.get("at"), self.saved))
                return mathinput.show(value.exact)
            return f"{self._d(step, J, wrt)} = {mathinput.show(expected)}"
        return mathinput.show(expected)

    def _d(self, step: Step, J, wrt) -> str:
        """dJ/dw, or ∂J/∂w where J has several variables or the question itself writes ∂ (lesson 1's rule)."""
        partial = len(J.free_symbols) > 1 or "∂" in self.fill(step.get("text") or "", step)
        return f"∂J/∂{wrt.name}" if partial else f"dJ/d{wrt.name}"

    def _hints(self) -> list[str]:
        step = self.step
        authored = [self.fill(h, step) for h in step.get("hints") or []]
        if authored:
            return authored
        if step.kind == "code":
            return code_step.default_hints(self._code_env(step), self.lang)
        hints = []
        for entry in DEFAULT_HINTS.get(step.kind, []):
            fields = {}
            if step.kind == "derivative":
                J, wrt = self._J(step)
                fields = {"J": mathinput.show(J), "rule": self._first_rule(J, wrt)}
            hints.append(tr(entry, self.lang, **fields))
        return hints

    def _first_rule(self, J, wrt) -> str:
        try:
            from derivtutor.algebra import steps, steps_text

            lines = steps_text.plain_lines(steps.derive(J, wrt), self.lang)
            return lines[0].strip() if lines else "?"
        except Exception:  # the hint is a nicety; never let it break the lesson
            return "?"

    def _explain_answer(self) -> list[Message]:
        """After a reveal: the working, rule by rule, for derivatives."""
        step = self.step
        if step.kind == "code":  # the solution run, in SymPy's own output form
            return code_step.solution_blocks(self._code_env(step), step, self.lang)
        if step.kind != "derivative":
            return []
        J, wrt = self._J(step)
        return self._derivation(J, wrt)

    def _derivation(self, J, wrt) -> list[Message]:
        try:
            from derivtutor.algebra import steps, steps_text

            lines = steps_text.plain_lines(steps.derive(J, wrt), self.lang)
        except Exception:  # the derivation is a nicety; the answer is already shown
            return []
        return [Message("say", self.t("why_plain")), Message("block", block="\n".join(lines))]

    # --- commands ------------------------------------------------------------------------

    def _cmd_hint(self) -> list[Message]:
        hints = self._hints()
        if self.hints_used < len(hints):
            self.hints_used += 1
            return [Message("hint", self.t("hint", n=self.hints_used, total=len(hints), text=hints[self.hints_used - 1]))]
        if self.step.kind == "experiment":
            return [Message("hint", self.t("no_more_hints"))]
        self.hints_used += 1
        return ([Message("hint", self.t("hint_reveal", answer=self._answer_text()))] + self._explain_answer()
                + self._close(False, "hint", revealed=True))

    def _cmd_why(self) -> list[Message]:
        if self.last_answered is None:
            return [Message("say", self.t("why_none"))]
        step = self.lesson.steps[self.last_answered]
        out = []
        if step.get("why"):
            out.append(Message("say", self.fill(step.get("why"), step)))
        if step.kind == "predict":  # why k was not the derivative: the ε terms, round-off
            out += self._gap_explanation(step)
        if step.kind in ("derivative", "predict", "experiment") and step.get("J"):
            out += self._derivation(*self._J(step))
        if step.kind == "code" and code_step.derivative_spec(step):
            out += self._derivation(*code_step.derivative_spec(step)[:2])
        return out or [Message("say", self.t("why_none"))]

    def _cmd_skip(self) -> list[Message]:
        step = self.step
        answer = self._answer_text() if step.kind != "experiment" else None
        text = self.t("skipped", answer=answer) if answer and answer != "—" else self.t("skipped_plain")
        return [Message("say", text)] + self._measured(step) + self._close(False, "skip", revealed=True, skipped=True)

    def _measured(self, step: Step) -> list[Message]:
        """A skipped or revealed prediction still shows what it measures: the computer's k."""
        if step.kind != "predict":
            return []
        J, wrt = self._J(step)
        try:
            k = calculus.forward_difference(J, wrt, answers.point(step.get("at"), self.saved), float(step.get("eps")))
        except calculus.UndefinedAt as err:
            return [Message("error", _sentence(err.localized(self.lang), self.lang))]
        return [Message("say", self.t("measured_full", k=repr(k)))] + self._gap_after(step)

    def _gap_after(self, step: Step) -> list[Message]:
        """The gap explained right after a prediction, unless the lesson's next step asks the learner
        why (`explain_gap = false`); `why` explains it either way."""
        return self._gap_explanation(step) if step.get("explain_gap", True) else []

    def _cmd_next(self) -> list[Message]:
        if self.step.kind == "experiment":
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

    # --- answering each kind of step ----------------------------------------------------

    def _answer_number(self, step: Step, line: str) -> list[Message]:
        value, typed, echo = self._number(line)
        if value is None:
            return echo
        expected = self._expected()
        asked = self._question(step, "number", expected.target)
        result = question.respond(asked, self.attempt, value, typed, self.lang)
        if result.correct:
            if step.get("save"):
                self.saved_text[step.get("save")] = typed if _is_plain_number(typed) else mathinput.show(value)
            return echo + [Message("feedback", self.t("right_number", value=_as_typed(expected, value, typed)), ok=True)] + self._close(True, line)
        found = diagnosis.number_step(step, self.saved, value, typed)
        return self._wrong(line, echo + _diagnosed(asked, value, result, found, self.lang), result.final)

    def _answer_expression(self, step: Step, line: str) -> list[Message]:
        reading, echo = self._reading(line, {s.name for s in self._expected().free_symbols})
        if reading is None:
            return echo
        result = question.respond(self._question(step, "expression", self._expected()), self.attempt,
                                  reading.expr, None, self.lang)
        if result.correct:
            return echo + [Message("feedback", self.t("right"), ok=True)] + self._close(True, line)
        return self._wrong(line, echo + result.messages, result.final)

    def _answer_derivative(self, step: Step, line: str) -> list[Message]:
        J, wrt = self._J(step)
        reading, echo = self._reading(line, {s.name for s in J.free_symbols} | {wrt.name})
        if reading is None:
            return echo
        if reading.form == "diff":
            return echo + [Message("say", self.t("ask_sympy"))]
        result = question.respond(self._question(step, "derivative", None, J, wrt), self.attempt,
                                  reading.expr, None, self.lang)
        if result.correct:
            return (echo + [Message("feedback", self.t("right"), ok=True),
                            Message("math", f"{self._d(step, J, wrt)} = {mathinput.show(reading.expr)}", expr=reading.expr)]
                    + self._close(True, line))
        return self._wrong(line, echo + result.messages, result.final)

    def _answer_choice(self, step: Step, line: str) -> list[Message]:
        options = step.get("options")
        choice = _choice_index(line, options)
        if choice is None:
            return [Message("error", self.t("need_choice", n=len(options)))]
        explain = step.get("explain") or []
        note = [Message("say", self.fill(explain[choice - 1], step))] if choice - 1 < len(explain) and explain[choice - 1] else []
        self.attempt.tries += 1
        if choice == step.get("answer"):
            return [Message("feedback", self.t("right"), ok=True)] + note + self._close(True, line)
        return self._wrong(line, [Message("feedback", self.t("choice_wrong"), ok=False)] + note,
                           self.attempt.out_of_tries(self._question(step, "choice")))

    def _answer_predict(self, step: Step, line: str) -> list[Message]:
        prediction, typed, echo = self._number(line)
        if prediction is None:
            return echo
        J, wrt = self._J(step)
        at = answers.point(step.get("at"), self.saved)
        eps = float(step.get("eps"))
        try:
            k = calculus.forward_difference(J, wrt, at, eps)
            exact = calculus.value(calculus.derivative(J, wrt), at)
        except calculus.UndefinedAt as err:
            return [Message("error", _sentence(err.localized(self.lang), self.lang))]
        rel = float((step.get("tolerance") or {}).get("rel", 0.05))
        p = float(prediction)
        scale = max(abs(exact.decimal), 1e-12)
        close = abs(p - exact.decimal) <= rel * scale or abs(p - k) <= rel * max(abs(k), 1e-12)
        labels = self.t("predict_rows", w=wrt.name, d=_d(J)).split("|")
        exact_text = mathinput.show(exact.exact)
        measured = short(k) if short(k) != exact_text else repr(k)  # the digits the step is about, not "6" beside "6"
        values = (typed or mathinput.show(prediction), measured, exact_text)
        out = echo + [Message("block", block=_table(labels, values))]
        if measured != repr(k):
            out.append(Message("say", self.t("measured_full", k=repr(k))))
        if close:
            out.append(Message("feedback", self.t("predict_close", pct=_pct(rel)), ok=True))
        else:
            out.append(Message("feedback", self.t("predict_far", off=short(abs(p - exact.decimal))), ok=False))
        out += self._gap_after(step)
        self.tries += 1
        return out + self._close(close, line)

    def _gap_explanation(self, step: Step) -> list[Message]:
        """Why the measured k is not the derivative: the ε terms, and round-off."""
        J, wrt = self._J(step)
        at = answers.point(step.get("at"), self.saved)
        eps = float(step.get("eps"))
        try:
            k = calculus.forward_difference(J, wrt, at, eps)
            exact = calculus.value(calculus.derivative(J, wrt), at)
            exact_k = calculus.exact_forward_difference(J, wrt, at, EPS)
        except calculus.UndefinedAt as err:
            return [Message("error", _sentence(err.localized(self.lang), self.lang))]
        eps_exact = mathinput.read_number(repr(eps))
        exact_at = exact_k.subs(EPS, eps_exact)
        truncation = float(exact_at - exact.exact)
        roundoff = k - float(exact_at)
        if truncation == 0 and abs(roundoff) < 1e-15 * max(1.0, abs(k)):
            return [Message("say", self.t("gap_none", w=wrt.name))]
        quotient = calculus.show_quotient(exact_k, exact.exact)
        at_eps = answers.decimal_text(exact_at, any_denominator=True) or mathinput.show(exact_at)
        gap = k - exact.decimal  # in Chinese a gap is a size, said with its direction: 大 0.001, 小 2.2e-13
        fields = dict(w=wrt.name, exact_k=quotient, gap=short(gap), round=numbers.figures(roundoff, 2),
                      gap_abs=short(abs(gap)), gap_dir="大" if gap > 0 else "小",
                      round_abs=numbers.figures(abs(roundoff), 2), round_dir="大" if roundoff > 0 else "小",
                      quotient=quotient if quotient == at_eps else f"{quotient} = {at_eps}")  # never "2 = 2"
        key = "gap_truncation" if abs(truncation) >= abs(roundoff) else "gap_roundoff"
        return [Message("say", self.t(key, **fields))]

    def _answer_experiment(self, step: Step, line: str) -> list[Message]:
        ask = step.get("ask")
        out: list[Message]
        if ask == "J":
            reading, echo = self._reading(line)
            if reading is None:
                return echo
            J = reading.expr
            wrt = answers.variable(J, step.get("wrt")) if J.free_symbols else mathinput.var(step.get("wrt") or "w")
            at = answers.point(step.get("at") or {wrt.name: 1}, self.saved)
            eps = float(step.get("eps", 0.001))
            # show_derivative = false: a later lesson asks for this derivative, so give only the measured k
            # (and say nothing about a derivative the learner was not shown: √(w − 2) at 2 has its k)
            shows_d = step.get("show_derivative", True)
            try:  # J itself first: ln(w − 2) at w = 2 is about the log, not about its derivative 1/(w − 2)
                k = calculus.forward_difference(J, wrt, at, eps)
                d = calculus.derivative(J, wrt) if shows_d else None
                value = calculus.derivative_at(J, wrt, at) if shows_d else None
            except calculus.UndefinedAt as err:
                return echo + [Message("error", _sentence(err.localized(self.lang), self.lang))]
            key = "experiment_J" if shows_d else "experiment_J_k"
            out = echo + [Message("say", self.t(key, J=reading.shown, w=wrt.name, d=mathinput.show(d) if shows_d else "",
                                                 at=mathinput.show(at[wrt]),
                                                 value=mathinput.show(value.exact) if shows_d else "",
                                                 eps=repr(eps), k=repr(k)))]
            saved_text = line.split("=")[-1].strip()
        else:
            number, typed, echo = self._number(line)
            if number is None:
                return echo
            J, wrt = self._J(step)
            at = answers.point(step.get("at"), self.saved)
            eps = float(step.get("eps", 0.001))
            if ask == "eps":
                if not (0 < number < 1):
                    return [Message("error", self.t("need_positive_eps"))]
                eps = float(number)
            else:
                at = {**at, wrt: number}
            try:
                k = calculus.forward_difference(J, wrt, at, eps)
                exact = calculus.value(calculus.derivative(J, wrt), at)
            except calculus.UndefinedAt as err:
                return echo + [Message("error", _sentence(err.localized(self.lang), self.lang))]
            if ask == "eps":
                error = k - exact.decimal
                exact_k = calculus.exact_forward_difference(J, wrt, at, EPS).subs(EPS, number)
                truncation = abs(float(exact_k - exact.exact))
                out = echo + [Message("say", self.t("experiment_k", eps=typed or repr(eps), k=repr(k),
                                                     d=mathinput.show(exact.exact), err=numbers.figures(error, 3)))]
                out.append(Message("say", self.t("experiment_trunc" if truncation >= abs(k - float(exact_k)) else "experiment_round")))
            else:
                value = calculus.value(J, at)
                out = echo + [Message("say", self.t("experiment_at", w=wrt.name, at=mathinput.show(number),
                                                     J=mathinput.show(value.exact), d=mathinput.show(exact.exact), k=repr(k)))]
            saved_text = typed or mathinput.show(number)
        if step.get("save"):
            self.saved_text[step.get("save")] = saved_text
        self.rounds += 1
        if self.rounds >= int(step.get("rounds", 1)):
            self.tries = self.rounds
            return out + [Message("say", self.t("experiment_end"))] + self._close(True, line)
        return out + [Message("say", self.t("experiment_more"))]

    def _code_env(self, step: Step):
        """The names this code step runs with (the lesson's setup, earlier solutions, its own setup)."""
        try:
            return code_step.environment(code_step.lines_for(self.lesson, step))
        except code_step.SetupFailed as err:
            raise StepInvalid(str(err), zh=f"`{err.line}` 无法运行：{err.sentence('zh')}") from None

    def _code_names(self) -> set[str]:
        try:
            return set(self._code_env(self.step).names)
        except StepInvalid:
            return set()

    def _answer_code(self, step: Step, line: str) -> list[Message]:
        """A line of the labs' Python: run in the lab interpreter, judged by the value it computes."""
        ran = code_step.run_try(self._code_env(step), line, self.lang, step.get("value_of"))
        if not ran.counted:  # refused, failing, or nothing to judge: the try is not counted
            return ran.messages
        if ran.value is None:  # it ran and computed something that is not math: a wrong try
            self.attempt.tries += 1
            return self._wrong(line, ran.messages, self.attempt.out_of_tries(self._question(step, "code")))
        expected = self._expected()
        asked = self._question(step, code_step.asks(expected), code_step.target(expected))
        result = question.respond(asked, self.attempt, ran.value, None, self.lang)
        if result.correct:
            return ran.messages + [Message("feedback", self.t("right"), ok=True)] + self._close(True, line)
        try:
            found = code_step.diagnose(step, ran.value, expected, self.saved)
        except Exception:  # noqa: BLE001 - a diagnosis is a nicety; the checker's sentence stands
            found = None
        return self._wrong(line, ran.messages + _diagnosed(asked, ran.value, result, found, self.lang), result.final)

    def _answer_graph(self, step: Step, line: str) -> list[Message]:
        spec = self.lesson.graphs[step.get("graph")]
        reading, echo = self._reading(line, {str(n) for n, _ in spec["nodes"]} | set(spec["inputs"]))
        if reading is None:
            return echo
        expected = self._expected()
        value = reading.expr
        note = []
        (what, target), = step.get("ask").items()
        name = question.bare_name(value)
        if name is not None and what == "value" and name == target:  # "what is J?" — `J`
            return [Message("error", tr(question.T["bare_name"], self.lang, name=name))]
        if value.free_symbols:
            from derivtutor.algebra.graph import GraphError

            built = answers.graph_for(self.lesson, step.get("graph"))
            try:
                value = built.evaluate(reading.expr)
            except GraphError as err:
                return echo + [Message("error", _sentence(err.localized(self.lang), self.lang))]
            note = [Message("say", self.t("graph_value_of", value=mathinput.show(value)))]
        else:
            echo = [] if _is_plain_number(line.split("=")[-1].strip()) else echo
        asked = self._question(step, "number", expected.target)
        result = question.respond(asked, self.attempt, value, line.split("=")[-1].strip(), self.lang)
        if result.correct:
            shown = _as_typed(expected, value, line.split("=")[-1].strip())
            return echo + note + [Message("feedback", self.t("right_number", value=shown), ok=True)] + self._close(True, line)
        found = diagnosis.graph_step(self.lesson, step, reading.expr, value)
        return self._wrong(line, echo + note + _diagnosed(asked, value, result, found, self.lang), result.final)


def _diagnosed(asked, answer, result, found, lang: str) -> list[Message]:
    """A wrong try's feedback: the author's own message for an anticipated answer first, then
    the step's diagnosis (a chain stopped early, a sign slip: diagnosis.py), else the checker's."""
    if found is None or question.anticipated(asked, answer):
        return result.messages
    return [Message("feedback", found.text(lang), ok=False)]


def _sentence(text: str, lang: str) -> str:
    """An error said as a whole sentence: a Chinese one ends with 。 (the calculus and graph layers
    write clauses, to be embedded as well as said)."""
    return text + "。" if lang == "zh" and text and text[-1] not in "。？！）”" else text


def _as_typed(expected, value, typed: str) -> str:
    """The right number as the learner wrote it when they wrote exactly it as a decimal (2.4, not
    12/5 = 2.4); otherwise the expected one, with its decimal beside a fraction."""
    from derivtutor.algebra.mathnames import normalize

    typed = normalize(typed)
    if "." in typed and _is_plain_number(typed) and expected.exact is not None and value == expected.exact:
        return answers.decimal_text(value, any_denominator=True) or expected.shown(both=True)
    return expected.shown(both=True)


def _d(J) -> str:
    """Lesson 1's notation: d for one variable, ∂ when J has several."""
    return "∂" if len(getattr(J, "free_symbols", ())) > 1 else "d"


def _float(expr) -> float | None:
    try:
        return float(expr)
    except (TypeError, ValueError):
        return None


def _is_plain_number(text: str) -> bool:
    """No need to echo "I read that as 6" for a plain 6."""
    try:
        float(text)
        return True
    except ValueError:
        return False


def _table(labels: list[str], values: tuple[str, ...]) -> str:
    """Two aligned columns; labels may be Chinese, so pad by display width."""
    pad = max(columns.width(label) for label in labels) + 3
    return "\n".join(columns.pad(label, pad) + value for label, value in zip(labels, values))


def _pct(rel: float) -> str:
    return short(rel * 100)


def _choice_index(line: str, options: list[str]) -> int | None:
    text = line.strip().rstrip(".").lower()
    if text.isdigit() and 1 <= int(text) <= len(options):
        return int(text)
    if len(text) == 1 and "a" <= text <= "z" and ord(text) - 96 <= len(options):
        return ord(text) - 96
    for i, option in enumerate(options, 1):
        if text == option.strip().lower():
            return i
    return None

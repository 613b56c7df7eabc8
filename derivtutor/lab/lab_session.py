"""`derivtutor lab`: the labs' cells typed line by line, run by our own interpreter (lab_interp).

A session with the shell's contract (start, answer, prompt, done, words, position, state,
farewell), like `play.PlaySession`: it takes the learner's line and returns Messages as data.
Outputs are "block" messages printed as is, so a pipe gets exactly what Python would print.
"""

from __future__ import annotations

from derivtutor.interpreter import lab_callables, lab_interp
from derivtutor.interpreter.lab_text import failure, output_messages, say
from derivtutor.text import i18n
from derivtutor.text.i18n import Catalog
from derivtutor.text.messages import Message
from derivtutor.text.session import SessionParts

T = Catalog(__name__, 'T')


class LabSession(SessionParts):
    """The lab console with the shell's contract; `In [n]:` counts the lines that ran."""

    suggest_from_history = True

    def __init__(self, lang: str = "en", state: dict | None = None):
        self.lang = lang
        self.interp = lab_interp.Interpreter()
        self.count = 1
        self.done = False
        self.topic: tuple | None = None  # what `why` explains: ("gap", Gap) or ("diff", args of the last diff)

    @property
    def title(self) -> str:
        return i18n.tr(T["title"], self.lang)

    @property
    def prompt(self) -> str:
        return f"In [{self.count}]:"

    @property
    def position(self) -> tuple[int, int]:
        return (1, 1)

    @property
    def words(self) -> list[str]:
        return sorted(set(self.interp.defined()) | set(lab_callables.BUILTINS) | {"help", "quit", "why"}
                      | set(lab_callables.SYMPY_NAMES) | set(lab_callables.METHODS))

    def state(self) -> dict:
        return {"count": self.count}

    def start(self) -> list[Message]:
        from derivtutor.algebra import cas

        cas.warm()  # the bounded worker loads SymPy while the learner types the first lines
        return [Message("say", say("hello", self.lang))]

    def farewell(self) -> list[Message]:
        return [Message("progress", say("bye", self.lang))]

    def answer(self, line: str) -> list[Message]:
        if line.strip() in ("help", "?"):
            return [Message("say", say("help", self.lang))]
        if line.strip() == "why":
            return self.why()
        self.interp.last_diff = None
        try:
            outcome = self.interp.run(line)
        except Exception as err:  # noqa: BLE001 - no traceback reaches a learner: each is a sentence
            problem = failure(err)
            return [Message("say" if problem.code == "not_needed" else "error", problem.localized(self.lang))]
        self.count += 1
        return self.messages(outcome) + self.notes(outcome)

    def notes(self, outcome: lab_interp.Outcome) -> list[Message]:
        """The tutor beside the console: after a finite difference, how far k is from the derivative."""
        from derivtutor.lab import lab_notes

        if self.interp.last_diff is not None:
            self.topic = ("diff", self.interp.last_diff)
        try:
            gap = lab_notes.finite_difference(self.interp, outcome.statement, outcome.value)
        except Exception:  # noqa: BLE001 - a note is a nicety; the line has run
            gap = None
        if gap is None:
            return []
        self.topic = ("gap", gap)
        return [Message("say", gap.note(self.lang))]

    def why(self) -> list[Message]:
        """`why`: the split of the last finite difference's gap, or the steps of the last diff."""
        from derivtutor.algebra import cas
        from derivtutor.lab import lab_notes

        if self.topic is None:
            return [Message("say", i18n.tr(lab_notes.T["why_none"], self.lang))]
        kind, what = self.topic
        if kind == "gap":
            return [Message("say", what.why(self.lang))]
        try:
            with cas.action():
                parts = lab_notes.derivation(what, self.lang)
        except Exception:  # noqa: BLE001 - the steps are a nicety; the derivative is already shown
            return [Message("say", i18n.tr(lab_notes.T["why_diff_big"], self.lang))]
        out = []
        for sentence, block in parts:
            out.append(Message("say", sentence))
            if block:
                out.append(Message("block", block=block))
        return out

    @staticmethod
    def messages(outcome: lab_interp.Outcome) -> list[Message]:
        return output_messages("".join(outcome.printed), outcome.shown)

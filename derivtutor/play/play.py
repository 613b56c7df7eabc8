"""Free play (`derivtutor play`): any function the learner brings, as a conversation.

`PlaySession` has the lesson runner's contract (start, answer, done, prompt, …),
so the shell drives it like a lesson. It holds the state (J, the point, ε, the
variable, a quiz in progress) and dispatches commands from a table; the
explanations themselves are built in `play_explain` and `play_graph`, and the command
words' handlers live in `play_commands` (a mixin of PlaySession). SymPy and
the algebra modules are imported lazily: `load()` starts them in the background.
"""

from __future__ import annotations

import difflib
import re
import shutil
import threading
from typing import Any, Callable

from derivtutor.algebra import cas
from derivtutor.text import i18n, linecap
from derivtutor.text.errors import TutorError
from derivtutor.text.i18n import Catalog, sentence, tr
from derivtutor.text.line_undo import LineUndo
from derivtutor.text.messages import Message
from derivtutor.text.session import SessionParts
from derivtutor.text.words import PLAY_ALIASES, PLAY_COMMANDS
from derivtutor.algebra.mathnames import normalize
from derivtutor.play.play_commands import PlayCommands
from derivtutor.teaching.question import is_plain_number

DEFAULT_EPS = 0.001          # the labs' ε
MARGIN = 10                  # columns the shell's "tutor ›" label takes
FUNCTION_NAMES = ("J", "f", "L", "cost", "loss", "g", "h")  # names a definition may give the function
PREFERRED_WRT = ("w", "x", "b")

T = Catalog(__name__, 'T')

COMMANDS = PLAY_COMMANDS
ALIASES = PLAY_ALIASES
_COMMAND = re.compile(r"^\s*([^\W\d_]+|\?)(?![\w(])\s*(.*?)\s*$")


class PlaySession(PlayCommands, LineUndo, SessionParts):
    """Free play with the Runner contract; `plain` picks text plots over braille."""

    suggest_from_history = True

    @property
    def title(self) -> str:
        return self.t("title")

    def __init__(self, lang: str = "en", store: Any = None, plain: bool = False, width: int | None = None,
                 state: dict | None = None):
        self.lang = lang
        self.store = store
        self.plain = plain
        self.width = width or max(40, shutil.get_terminal_size((80, 24)).columns - MARGIN)
        self.done = False
        self.hints_used = 0
        self.events: list[dict] = []
        self.J = None
        self.J_text = ""
        self.name = "J"
        self.wrt_name: str | None = None
        self.wrt_chosen = False        # the learner picked the variable with `wrt`
        self.at: dict[str, Any] = {}
        self.eps = DEFAULT_EPS
        self.awaiting = False          # the tutor asked for the learner's derivative
        self.outcome: str | None = None  # "right" | "wrong" | "shown" for the current function
        self.learner = None            # the learner's last wrong derivative
        self.attempt = question_attempt()  # tries at the current function
        self.quiz = None               # a play_graph.GraphQuiz in progress
        self._loading: threading.Thread | None = None
        self._state = state or {}

    # --- the contract with the shell -----------------------------------------------------

    @property
    def prompt(self) -> str:
        if self.quiz is not None:
            return f"{self.quiz.local_name()} ="
        if self.awaiting:
            return f"{self._d()} ="
        return ""

    @property
    def position(self) -> tuple[int, int]:
        if self.quiz is not None:
            return (self.quiz.index + 1, len(self.quiz.steps))
        return (1, 1)

    @property
    def words(self) -> list[str]:
        names = sorted(s.name for s in self.J.free_symbols) if self.J is not None else []
        return list(COMMANDS) + ["errors", "quiz"] + names

    def state(self) -> dict:
        return {"J": self.J_text, "name": self.name, "wrt": self.wrt_name, "wrt_chosen": self.wrt_chosen, "eps": self.eps,
                "at": {k: str(v) for k, v in self.at.items()}}

    def farewell(self) -> list[Message]:
        """What to say when the shell ends the session itself (quit, Ctrl-D): free play has nothing to resume."""
        return [Message("progress", self.t("bye"))]

    def load(self) -> None:
        """Import SymPy and the algebra modules in the background while the learner reads the welcome."""
        if self._loading is None:
            self._loading = threading.Thread(target=_warm, name="load play", daemon=True)
            self._loading.start()

    def start(self) -> list[Message]:
        out = [Message("error", notice) for notice in getattr(self.store, "notices", [])]
        out.append(Message("say", self.t("welcome")))
        if self._state.get("J"):
            out += self._restore(self._state)
        return out

    # What a line may change, put back when the shell gives it up (LineUndo.answer runs _answer).
    _KEPT = ("J", "J_text", "name", "wrt_name", "wrt_chosen", "at", "eps", "awaiting", "outcome",
             "learner", "attempt", "quiz", "hints_used", "done")
    _COPIED = ("at", "attempt", "quiz")

    def _answer(self, line: str) -> list[Message]:
        refused = linecap.refuse(line, self.lang)  # before any parsing: a 1 MB line is not read
        if refused:
            return refused
        line = normalize(line).strip()  # J ＝ w x, at w＝2，x＝3: split and matched as ASCII
        if not line:
            return []
        try:
            with cas.action():  # one budget for this line, however many calculations it takes
                return self._dispatch(line)
        except TutorError as err:  # the project's own errors, in words; anything else is a bug
            return self._refusal(err)

    # --- dispatch -------------------------------------------------------------------------------

    def t(self, key: str, **fields) -> str:
        return tr(T[key], self.lang, **fields)

    def _dispatch(self, line: str) -> list[Message]:
        match = _COMMAND.match(line)
        if match:
            word, rest = match.group(1), match.group(2)
            command = ALIASES.get(word, word.lower())
            if command in COMMANDS:
                if rest.startswith("=") and command in ("eps", "wrt"):
                    rest = rest[1:].strip()
                return HANDLERS[command](self, rest)
            if not rest and len(word) >= 3 and word.isalpha():
                suggestion = self._single_word(word, line)
                if suggestion is not None:
                    return suggestion
        return self._math(line)

    def _single_word(self, word: str, line: str) -> list[Message] | None:
        """A lone word: a mistyped command, unless the tutor is waiting for an answer it could be."""
        close = difflib.get_close_matches(word.lower(), COMMANDS, n=1, cutoff=0.7)
        if close:
            return [Message("error", self.t("did_you_mean", word=word, command=close[0]))]
        if (self.awaiting or self.quiz is not None) and self._parses(line):
            return None
        from derivtutor.algebra import mathnames

        if mathnames.canonical_function(word.lower()) is not None:
            return None  # `sin` alone: let the parser say what is missing
        from derivtutor.text.safe_text import quote

        return [Message("error", self.t("unknown", word=quote(word)))]  # a pasted 1 MB word is not echoed whole

    @staticmethod
    def _parses(line: str) -> bool:
        from derivtutor.algebra import matherror, mathinput

        try:
            mathinput.read(line)
        except matherror.MathInputError:
            return False
        return True

    def _math(self, line: str) -> list[Message]:
        """A line of math: a new function, the learner's derivative, or a quiz answer."""
        from derivtutor.algebra import mathinput

        reading = mathinput.read(line)  # a typing error: `_refusal` shows where
        echo = [] if is_plain_number(line) else [Message("echo", self.t("read_as", expr=self._as_read(reading)))]
        echo += [Message("echo", note) for note in reading.localized_notes(self.lang)]
        if reading.form == "define" and self.J is not None and reading.name in {s.name for s in self.J.free_symbols} \
                and reading.expr.is_number:
            return self._set_point({reading.name: reading.expr})
        if self.quiz is not None and reading.form in ("expr", "answer"):
            return echo + self._quiz_answer(reading, line)
        if reading.form == "diff":
            if self.J is not None and reading.expr == self.J and (reading.wrt in (None, self._wrt().name)):
                return echo + [Message("say", self.t("ask_sympy"))]
            return echo + self._new_function(reading, line)
        if reading.form == "answer" or (reading.form == "expr" and self.awaiting):
            return echo + self._check(reading, line)
        return echo + self._new_function(reading, line)

    def _as_read(self, reading) -> str:
        shown = reading.shown  # decimals as typed: 0.1·w, not w/10
        if reading.form == "define":
            return f"{reading.name or 'J'} = {shown}"
        if reading.form == "answer":
            return f"{self._d(reading.name, reading.wrt)} = {shown}"
        if reading.form == "diff":
            return f"d/d{reading.wrt or self._pick_wrt(reading.expr)} ({shown})"
        return shown

    # --- a new function and the learner's derivative -------------------------------------------------

    def _new_function(self, reading, line: str) -> list[Message]:
        self.J = reading.expr
        self.name = reading.name if reading.form == "define" and reading.name in FUNCTION_NAMES else "J"
        self.J_text = self._text_of(reading, line)
        self.quiz = None
        self._fresh_tries()
        if reading.wrt:
            self.wrt_name = reading.wrt
        elif not self.wrt_chosen:
            self.wrt_name = None  # the last function's variable is no reason to prefer it for this one
        self.wrt_name = self._pick_wrt(self.J)
        out: list[Message] = []
        if reading.at:
            out += self._set_point(dict(reading.at), quiet=True)
        return out + self._ask()

    @staticmethod
    def _text_of(reading, line: str) -> str:
        """What goes to review: the learner's own right-hand side, or SymPy's form of a diff(…) line."""
        if reading.form == "define":
            return line.split("=", 1)[1].strip()
        if reading.form == "expr":
            return line
        import sympy

        return sympy.sstr(reading.expr)

    def _pick_wrt(self, J) -> str:
        names = [s.name for s in J.free_symbols]
        if self.wrt_name in names:
            return self.wrt_name
        for name in PREFERRED_WRT:
            if name in names:
                return name
        if names:
            return sorted(names)[0]
        return self.wrt_name or (next(iter(self.at)) if len(self.at) == 1 else "w")

    def _fresh_tries(self) -> None:
        """A new function or variable: no tries at it yet, nothing right or wrong."""
        self.outcome, self.learner = None, None
        self.attempt = question_attempt()

    def _wrt(self):
        from derivtutor.algebra import mathbuild

        return mathbuild.var(self.wrt_name or self._pick_wrt(self.J))

    def _d(self, name: str | None = None, wrt: str | None = None) -> str:
        partial = self.J is not None and len(self.J.free_symbols) > 1
        mark = "∂" if partial else "d"
        return f"{mark}{name or self.name}/{mark}{wrt or self.wrt_name or 'w'}"

    def _problem(self):
        from derivtutor.play.play_explain import Problem

        return Problem(self.J, self._wrt(), dict(self.at), self.eps, self.name)

    def _ask(self) -> list[Message]:
        from derivtutor.play import play_explain

        p = self._problem()
        if not self.J.free_symbols:
            self.awaiting = False
            return play_explain.constant_note(p, self.lang)
        out = []
        if p.partial:
            names = [s.name for s in p.variables]
            other = next(n for n in names if n != p.wrt.name)
            out.append(Message("say", self.t("several", name=self.name, names=i18n.join(names, self.lang), w=p.wrt.name,
                                              other=other)))
        self.awaiting = True
        return out + [Message("question", self.t("ask", d=self._d()))]

    def _check(self, reading, line: str) -> list[Message]:
        if self.J is None:
            return [Message("error", self.t("no_function"))]
        if reading.wrt and reading.wrt != self.wrt_name and reading.wrt in {s.name for s in self.J.free_symbols}:
            self.wrt_name = reading.wrt
        typed = line.split("=", 1)[1].strip() if reading.form == "answer" else line
        from derivtutor.teaching import question

        asked = question.Question("derivative", J=self.J, wrt=self._wrt(), max_tries=None)
        result = question.respond(asked, self.attempt, reading.expr, typed, self.lang)
        if result.correct:
            self.awaiting = False
            if self.outcome is None:
                self.outcome = "right"
            self.learner = None  # the right answer's numbers, not the previous wrong try's
            return result.messages + self._explanation()
        self.outcome, self.learner = "wrong", reading.expr
        return result.messages + [Message("say", self.t("try_again"))]

    def _explanation(self) -> list[Message]:
        from derivtutor.play import play_explain

        p = self._problem()
        if not self.J.free_symbols:
            return play_explain.constant_note(p, self.lang)
        return play_explain.derivation(p, self.lang) + self._numbers(p, with_answer=True)

    def _numbers(self, p, with_answer: bool = False) -> list[Message]:
        from derivtutor.algebra import calculus
        from derivtutor.play import play_explain

        learner = self.learner if with_answer and self.outcome == "wrong" else None
        try:
            return play_explain.numbers(p, self.lang, learner)
        except calculus.UndefinedAt as err:
            return [Message("error", sentence(err.localized(self.lang), self.lang))]

    # --- the point and the quiz -------------------------------------------------------------

    def _set_point(self, point: dict, quiet: bool = False) -> list[Message]:
        from derivtutor.play.play_explain import point_text

        self.at.update(point)
        if self.quiz is not None:
            self.quiz = None
        names = [s.name for s in self.J.free_symbols] if self.J is not None else []
        shown = [n for n in self.at if n in names or n in point] if names else None
        out = [Message("progress", self.t("point_set", point=point_text(self.at, shown)))]
        if quiet or self.J is None or self.awaiting or not self.J.free_symbols:
            return out
        return out + self._numbers(self._problem())

    def _quiz_answer(self, reading, line: str) -> list[Message]:
        typed = line.split("=", 1)[1].strip() if reading.form == "answer" else line
        return self._quiz_step(self.quiz.answer(reading.expr, typed))

    def _quiz_step(self, messages: list[Message]) -> list[Message]:
        if self.quiz is not None and self.quiz.done:
            self.quiz = None
        return messages

    # --- errors and state ------------------------------------------------------------------------

    def _refusal(self, err: TutorError) -> list[Message]:
        """One of the project's own errors, in words: a stopped computation, or what went wrong."""
        if isinstance(err, cas.CasTimeout):
            if err.code == "cancelled":  # Ctrl-C: say it stopped, not that it was slow
                return [Message("progress", err.localized(self.lang))]
            return [Message("error", self.t("timeout"))]
        from derivtutor.algebra.matherror import MathInputError  # already imported: it reads every line

        caret = err.caret() if isinstance(err, MathInputError) else None  # a typing error points at its column
        return [Message("error", sentence(err.localized(self.lang), self.lang), block=caret)]

    def _restore(self, state: dict) -> list[Message]:
        from derivtutor.algebra import mathinput

        self.eps = float(state.get("eps", DEFAULT_EPS))
        self.at = {k: mathinput.read_number(v) for k, v in (state.get("at") or {}).items()}
        self.wrt_name = state.get("wrt")
        self.wrt_chosen = bool(state.get("wrt_chosen"))
        reading = mathinput.read(state["J"])
        out = self._new_function(reading, state["J"])
        self.name = state.get("name") or self.name
        return out


HANDLERS: dict[str, Callable[[PlaySession, str], list[Message]]] = {
    name: getattr(PlaySession, f"_cmd_{name}") for name in COMMANDS
}


def question_attempt():
    from derivtutor.teaching.question import Attempt

    return Attempt()


def _warm() -> None:
    """Parse, differentiate and check once, so the learner's first function is as quick as the tenth."""
    try:
        from derivtutor.algebra import check, mathbuild, mathinput, steps, steps_text
        from derivtutor.play import play_explain

        w = mathbuild.var("w")
        J = mathinput.read_expression("w^2 sin(3w)")
        steps_text.plain_lines(steps.derive(J, w))
        check.check_derivative(J, mathinput.read_expression("2w"), w)
        play_explain.table(play_explain.Problem(J, w, {"w": mathinput.read_number("2")}, DEFAULT_EPS), "en")
    except Exception:  # noqa: BLE001 - warming is a bonus; the real call reports any error
        pass

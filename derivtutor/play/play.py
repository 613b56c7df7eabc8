"""Free play (`derivtutor play`): any function the learner brings, as a conversation.

`PlaySession` has the lesson runner's contract (start, answer, done, prompt, …),
so the shell drives it like a lesson. It holds the state (J, the point, ε, the
variable, a quiz in progress) and dispatches commands from a table; the
explanations themselves are built in `play_explain` and `play_graph`. SymPy and
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
from derivtutor.text.i18n import Catalog, tr
from derivtutor.text.messages import Message
from derivtutor.text.session import SessionParts
from derivtutor.text.words import PLAY_ALIASES, PLAY_COMMANDS
from derivtutor.algebra.mathnames import normalize

DEFAULT_EPS = 0.001          # the labs' ε
MAX_EPS = 10.0               # a wide secant is still a secant
MARGIN = 10                  # columns the shell's "tutor ›" label takes
FUNCTION_NAMES = ("J", "f", "L", "cost", "loss", "g", "h")  # names a definition may give the function
PREFERRED_WRT = ("w", "x", "b")

T = Catalog(__name__, 'T')

COMMANDS = PLAY_COMMANDS
ALIASES = PLAY_ALIASES
_COMMAND = re.compile(r"^\s*([^\W\d_]+|\?)(?![\w(])\s*(.*?)\s*$")
_NAME = re.compile(r"^[^\W\d_]\w*$")
_RANGE = re.compile(r"^\[?\s*(\S+?)\s*(?:\.\.|…|,|\s+to\s+|\s)\s*(\S+?)\s*\]?$")


class PlaySession(SessionParts):
    """Free play with the Runner contract; `plain` picks text plots over braille."""

    suggest_from_history = True

    @property
    def title(self) -> str:
        return tr({"en": "free play", "zh": "自由练习"}, self.lang)

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
        self._line = 0                 # which typed line is being worked on
        self._abandoned: set[int] = set()  # lines whose result the learner gave up waiting for

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

    def answer(self, line: str) -> list[Message]:
        self._line += 1
        ticket, before = self._line, self._snapshot()
        try:
            out = self._answer(line)
        except KeyboardInterrupt:  # plain mode: Ctrl-C broke off the work; nothing of it is kept
            self._put_back(before)
            raise
        if ticket in self._abandoned:  # the shell stopped waiting (Ctrl-C): discard, state and all
            self._abandoned.discard(ticket)
            self._put_back(before)
            return []
        return out

    def abandon(self) -> bool:
        """The shell stopped waiting for the line under way: its result, when it comes, is dropped
        and the session is left as it was before that line."""
        self._abandoned.add(self._line)
        return True

    _KEPT = ("J", "J_text", "name", "wrt_name", "wrt_chosen", "at", "eps", "awaiting", "outcome",
             "learner", "attempt", "quiz", "hints_used", "done")

    def _snapshot(self) -> dict:
        import copy

        kept = {key: getattr(self, key) for key in self._KEPT}
        kept["at"] = dict(self.at)
        kept["attempt"], kept["quiz"] = copy.copy(self.attempt), copy.copy(self.quiz)
        kept["events"] = len(self.events)
        return kept

    def _put_back(self, kept: dict) -> None:
        for key in self._KEPT:
            setattr(self, key, kept[key])
        del self.events[kept["events"]:]

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
        except Exception as err:  # noqa: BLE001 - only the project's own errors are turned into words
            handled = self._explain_error(err)
            if handled is None:
                raise
            return handled

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
        from derivtutor.algebra import matherror, mathinput

        try:
            reading = mathinput.read(line)
        except matherror.MathInputError as err:
            return [Message("error", err.localized(self.lang), block=err.caret())]
        echo = [] if _plain_number(line) else [Message("echo", self.t("read_as", expr=self._as_read(reading)))]
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
        self.outcome, self.learner = None, None
        self.attempt = question_attempt()
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
            return [Message("error", err.localized(self.lang))]

    # --- commands ------------------------------------------------------------------------------

    def _needs_function(self) -> list[Message] | None:
        return [Message("error", self.t("no_function"))] if self.J is None else None

    def _no_args(self, command: str, rest: str) -> list[Message] | None:
        return [Message("error", self.t("args", command=command))] if rest else None

    def _cmd_help(self, rest: str) -> list[Message]:
        return [Message("say", block=self.t("help"))]

    def _cmd_show(self, rest: str) -> list[Message]:
        if self.quiz is not None:
            return self._quiz_step(self.quiz.reveal())
        blocked = self._no_args("show", rest) or self._needs_function()
        if blocked:
            return blocked
        if self.awaiting and self.outcome is None:
            self.outcome = "shown"
            self.hints_used += 1
        self.awaiting = False
        return self._explanation()

    def _cmd_skip(self, rest: str) -> list[Message]:
        if self.quiz is not None:
            return self._quiz_step(self.quiz.reveal())
        if self.awaiting:
            return self._cmd_show(rest)
        return [Message("say", self.t("nothing_to_skip"))]

    def _cmd_at(self, rest: str) -> list[Message]:
        from derivtutor.algebra import mathbuild, matherror, mathinput

        pairs = [part.strip() for part in re.split(r"[,;，；]|\band\b", rest) if part.strip()]
        if not pairs:
            return [Message("error", self.t("bad_point"))]
        point: dict[str, Any] = {}
        for pair in pairs:
            name, sep, value = pair.partition("=")
            name = name.strip()
            if not sep and len(pairs) == 1 and self.J is not None and len(self.J.free_symbols) == 1:
                name, value = self._wrt().name, pair  # `at 2` for a one-variable J
            elif not sep:
                return [Message("error", self.t("bad_point"))]
            if not _NAME.match(name):
                return [Message("error", self.t("bad_name", name=name))]
            try:
                number = mathinput.read_number(value.strip())
            except matherror.MathInputError as err:
                return [Message("error", err.localized(self.lang), block=err.caret())]
            point[mathbuild.var(name).name] = number
        return self._set_point(point)

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

    def _cmd_eps(self, rest: str) -> list[Message]:
        from derivtutor.algebra import matherror, mathinput
        from derivtutor.play.play_explain import eps_text

        try:
            number = mathinput.read_number(rest)
        except matherror.MathInputError:
            return [Message("error", self.t("bad_eps"))]
        value = float(number)
        if not 0 < value <= MAX_EPS:
            return [Message("error", self.t("bad_eps"))]
        self.eps = value
        out = [Message("progress", self.t("eps_set", eps=eps_text(value)))]
        if self.J is None or self.awaiting or not self.J.free_symbols or self._problem().missing:
            return out
        return out + self._numbers(self._problem())

    def _cmd_wrt(self, rest: str) -> list[Message]:
        from derivtutor.algebra import mathbuild

        if not _NAME.match(rest):
            return [Message("error", self.t("bad_wrt"))]
        name = mathbuild.var(rest).name
        self.wrt_chosen = True
        if self.J is None:
            self.wrt_name = name
            return [Message("progress", self.t("wrt_set", w=name))]
        names = sorted(s.name for s in self.J.free_symbols)
        if name not in names:
            return [Message("say", self.t("wrt_absent", name=self.name, w=name, names=i18n.join(names, self.lang) or "—"))]
        self.wrt_name = name
        self.outcome, self.learner = None, None
        self.attempt = question_attempt()
        return [Message("progress", self.t("wrt_set", w=name))] + self._ask()

    def _cmd_let(self, rest: str) -> list[Message]:
        return self._cmd_at(rest)

    def _cmd_grad(self, rest: str) -> list[Message]:
        from derivtutor.play import play_explain

        blocked = self._no_args("grad", rest) or self._needs_function()
        return blocked or play_explain.gradient(self._problem(), self.lang)

    def _cmd_table(self, rest: str) -> list[Message]:
        from derivtutor.play import play_explain

        blocked = self._no_args("table", rest) or self._needs_function()
        return blocked or self._constant_or(lambda p: play_explain.table(p, self.lang, self.width))

    def _cmd_plot(self, rest: str) -> list[Message]:
        from derivtutor.play import play_explain

        blocked = self._needs_function()
        if blocked:
            return blocked
        if rest.lower() in ("errors", "error", "err", "误差"):
            return self._constant_or(lambda p: play_explain.error_plot(p, self.lang, not self.plain, self.width))
        x_range = None
        if rest:
            x_range = self._range(rest)
            if x_range is None:
                return [Message("error", self.t("bad_range"))]
        return play_explain.function_plot(self._problem(), self.lang, not self.plain, x_range, self.width)

    def _range(self, text: str) -> tuple[float, float] | None:
        from derivtutor.algebra import matherror, mathinput

        match = _RANGE.match(text.strip())
        if not match:
            return None
        try:
            lo, hi = (float(mathinput.read_number(v)) for v in match.groups())
        except matherror.MathInputError:
            return None
        return (lo, hi) if lo < hi else None

    def _constant_or(self, make: Callable) -> list[Message]:
        from derivtutor.play import play_explain

        p = self._problem()
        return play_explain.constant_note(p, self.lang) if not self.J.free_symbols else make(p)

    def _cmd_graph(self, rest: str) -> list[Message]:
        from derivtutor.play import play_graph

        blocked = self._needs_function()
        if blocked:
            return blocked
        if rest.lower() in ("quiz", "测验"):
            built, why = play_graph.build(self.J, self.at, self.lang)
            if built is None:
                return why
            self.quiz = play_graph.GraphQuiz(built, self.eps, self.lang)
            self.awaiting = False
            return self.quiz.start()
        if rest:
            return [Message("error", self.t("args", command="graph"))]
        return play_graph.walkthrough(self.J, self.at, self.eps, self.lang, self.width)

    def _quiz_answer(self, reading, line: str) -> list[Message]:
        typed = line.split("=", 1)[1].strip() if reading.form == "answer" else line
        return self._quiz_step(self.quiz.answer(reading.expr, typed))

    def _quiz_step(self, messages: list[Message]) -> list[Message]:
        if self.quiz is not None and self.quiz.done:
            self.quiz = None
        return messages

    def _cmd_save(self, rest: str) -> list[Message]:
        blocked = self._no_args("save", rest) or self._needs_function()
        if blocked:
            return blocked
        if self.store is None or not getattr(self.store, "saving", True):
            return [Message("error", self.t("no_store"))]
        if self.outcome is None:
            return [Message("say", self.t("save_untried"))]
        if self.outcome == "right":
            return [Message("say", self.t("save_right"))]
        self.store.save_play(self.J_text, self._wrt().name, self.lang)
        notices = [Message("error", n) for n in getattr(self.store, "notices", [])[-1:]
                   if not getattr(self.store, "saving", True)]
        return notices or [Message("feedback", self.t("saved", name=self.name, expr=self.J_text), ok=True)]

    def _cmd_quit(self, rest: str) -> list[Message]:
        self.done = True
        return [Message("say", self.t("bye"))]

    # --- errors and state ------------------------------------------------------------------------

    def _explain_error(self, err: Exception) -> list[Message] | None:
        """The project's own exceptions, in words; None for anything else (a real bug)."""
        if isinstance(err, cas.CasTimeout):
            if getattr(err, "code", None) == "cancelled":  # Ctrl-C: say it stopped, not that it was slow
                return [Message("progress", err.localized(self.lang))]
            return [Message("error", self.t("timeout"))]
        if not isinstance(err, TutorError):
            return None
        caret = getattr(err, "caret", None)  # a typing error points at its column
        return [Message("error", err.localized(self.lang), block=caret() if caret else None)]

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


def _plain_number(text: str) -> bool:
    """No need to echo "I read that as 6" for a plain 6."""
    try:
        float(text)
    except ValueError:
        return False
    return True


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

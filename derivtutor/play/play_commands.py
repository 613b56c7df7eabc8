"""Free play's command words (`at`, `eps`, `wrt`, `table`, `plot`, `graph`, `save`, …).

Each reads its argument, changes what free play is looking at (the point, ε, the
variable, a quiz) and says what changed. They are methods of `PlaySession` (this is its
mixin) because every one of them reads or sets the session's state; the conversation
itself, the learner's function and derivative, stays in `derivtutor.play.play`.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from derivtutor.text import i18n
from derivtutor.text.messages import Message

MAX_EPS = 10.0               # a wide secant is still a secant
_NAME = re.compile(r"^[^\W\d_]\w*$")
_RANGE = re.compile(r"^\[?\s*(\S+?)\s*(?:\.\.|…|,|\s+to\s+|\s)\s*(\S+?)\s*\]?$")


class PlayCommands:
    """The `_cmd_<word>` handlers; `play.HANDLERS` maps each command word to one."""

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
        from derivtutor.algebra import mathbuild, mathinput

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
            point[mathbuild.var(name).name] = mathinput.read_number(value.strip())  # a typo: the session shows it
        return self._set_point(point)

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
        self._fresh_tries()
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

"""Load the heavy half of the tutor (the runner, and SymPy under it) in a background thread.

The learner reads the lesson's first text while SymPy imports. The result is
published through a concurrent.futures Future, so an import error is raised
in the main thread when it asks for the runner, instead of leaving it waiting.
"""

from __future__ import annotations

import importlib
import threading
from concurrent.futures import Future
from typing import Any, Callable

from derivtutor.text.i18n import Catalog
from derivtutor.text.session import SessionParts

RUNNER = "derivtutor.teaching.runner"
WARM_TEXT = "3w^2 + 1/w"  # a power, a quotient, a sum: the work a first answer check does


def load(module: str, warm: Callable[[Any], None] | None = None,
         report: Callable[[BaseException], None] | None = None) -> Future:
    """Import `module` (then run `warm(module)`) in a daemon thread; the Future holds the module.

    A failing warm-up is only passed to `report` (the shell writes it to its log):
    it makes the first answer slower, not wrong.
    """
    future: Future = Future()

    def work() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            loaded = importlib.import_module(module)
        except BaseException as err:  # noqa: BLE001 - handed to the main thread, not swallowed
            future.set_exception(err)
            return
        if warm is not None:
            try:
                warm(loaded)
            except Exception as err:  # noqa: BLE001
                if report is not None:
                    report(err)
        future.set_result(loaded)

    threading.Thread(target=work, name=f"load {module}", daemon=True).start()
    return future


def warm_up(_module: Any = None) -> None:
    """Parse, differentiate and check a small expression, read the sentence tables of every
    module loaded so far, and start the cas worker.

    SymPy fills caches on first use; doing it now makes the first answer check
    as fast as the tenth.
    """
    from derivtutor.algebra import calculus, cas, check, mathbuild, mathinput

    w = mathbuild.var("w")
    expr = mathinput.read(WARM_TEXT).expr
    slope = calculus.derivative(expr, w)
    calculus.forward_difference(expr, w, {w: 3}, 0.001)
    check.check_derivative(expr, slope, w)
    Catalog.load_all()
    cas.warm()


def _same(text: str) -> str:
    return " ".join(text.split())


def unseen(opening: list, shown: list) -> list:
    """The runner's opening messages minus what was already shown from the lesson file.

    When the last shown text is in the opening, everything up to it was shown
    (or stood in for, like the runner's own welcome line); otherwise only exact
    repeats are dropped.
    """
    if not shown:
        return list(opening)
    seen = {_same(m.text) for m in shown if m.text}
    last = _same(shown[-1].text)
    for i, message in enumerate(opening):
        if _same(message.text) == last:
            return list(opening[i + 1:])
    return [m for m in opening if not (m.text and _same(m.text) in seen and not m.block)]


TEXT = Catalog(__name__, 'TEXT')


def preview(lesson: Any, state: dict | None, lang: str = "en") -> list:
    """What can be shown from the lesson file alone: a header and its text up to the first question.

    Stops before any text that needs a computed value ({name}); only the header
    when resuming (the runner knows where the learner stands).
    """
    from derivtutor.text.i18n import tr
    from derivtutor.text.messages import Message

    number = lesson.number or lesson.id
    shown = [Message("say", tr(TEXT["header"], lang, n=number, title=lesson.title,
                               summary=lesson.summary))]
    if state:
        return shown
    for step in lesson.steps:
        text = step.text.strip()
        if "{" in text or step.kind in ("graph", "choice"):
            break  # a computed value, a drawn graph or the options come with the runner
        shown.append(Message("say" if step.kind == "say" else "question", text))
        if step.kind != "say":
            break
    return shown


class PendingRunner(SessionParts):
    """A Runner whose module is still loading: it answers from the lesson file until then.

    `opened` resolves to the runner's opening messages not already shown (or to
    the import error); the shell waits for it before passing on an answer.
    Loading starts with `load()`, so the first prompt is not slowed by SymPy's
    import competing for the interpreter.
    """

    def __init__(self, lesson: Any, state: dict | None, lang: str, shown: list,
                 module: str = RUNNER, warm: Callable[[Any], None] | None = warm_up,
                 report: Callable[[BaseException], None] | None = None):
        self.lesson = lesson
        self.title = lesson.title
        self.lang = lang
        self.suggest_from_history = False
        self._state = state
        self._shown = shown
        self._module = module
        self._warm = warm
        self._report = report
        self._loading: Future | None = None
        self._runner: Any = None
        self.opened: Future = Future()

    def load(self) -> Future:
        """Start importing (once). The shell calls it after the first prompt is drawn."""
        if self._loading is None:
            self._loading = load(self._module, self._warm, self._report)
            self._loading.add_done_callback(self._build)
        return self._loading

    def _build(self, future: Future) -> None:
        """Runs in the loading thread: construct the runner and take its opening."""
        try:
            module = future.result()
            runner = module.Runner(self.lesson, self._state, lang=self.lang)
            opening = runner.start()
        except BaseException as err:  # noqa: BLE001 - delivered through `opened`
            self.opened.set_exception(err)
            return
        self._runner = runner
        self.opened.set_result(unseen(opening, self._shown))

    @property
    def ready(self) -> bool:
        return self._runner is not None

    # Until the runner is there, what the lesson file can tell: not done, step 1, no hints yet.

    @property
    def done(self) -> bool:
        return self._runner.done if self._runner is not None else False

    @property
    def prompt(self) -> str:
        return self._runner.prompt if self._runner is not None else ""

    @property
    def position(self) -> tuple[int, int]:
        return self._runner.position if self._runner is not None else (1, len(self.lesson.steps))

    @property
    def hints_used(self) -> int:
        return self._runner.hints_used if self._runner is not None else 0

    @property
    def words(self) -> list[str]:
        if self._runner is not None:
            return self._runner.words
        from derivtutor.terminal.lexer import COMMANDS

        return list(COMMANDS)

    @property
    def events(self) -> list:
        return self._runner.events if self._runner is not None else []

    def state(self) -> dict | None:
        return self._runner.state() if self._runner is not None else self._state

    def abandon(self) -> bool:
        return self._runner is not None and self._runner.abandon()

    def start(self) -> list:
        """The opening is shown from the lesson file (`preview`); the rest arrives by `opened`."""
        return list(self._shown)

    def answer(self, line: str) -> list:
        self.load()
        self.opened.result()  # waits for the import; raises its error here, in the caller
        return self._runner.answer(line)

"""A lesson's `code` step: the learner writes a line of the labs' Python, and it is judged by
what it computes.

The line runs in the lab interpreter (lab_interp: `ast.parse` and a whitelist walk, never
eval) with the lesson's names defined: the lesson's `setup` lines, then, step by step, each
earlier code step's `setup` and `solution`, then this step's `setup`. The setup is lesson
text, so it goes through the same interpreter. Each try runs on a copy of those names, so a
wrong try (`J = 5`) leaves nothing behind.

The value the line computes (a bare expression, the value assigned, or print's one argument)
is handed to the question core (question.py) as math; this module only adds what is
particular to code: SymPy's output shown as the lab shows it, a refused or failing line said
in the interpreter's sentence (the try is not counted), and the code slips named (J's value
instead of its derivative, the derivative not yet substituted).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from derivtutor.interpreter import lab_callables, lab_interp, lab_text, lab_values
from derivtutor.text import safe_text
from derivtutor.text.i18n import Catalog, tr
from derivtutor.text.messages import Message

CACHE_SIZE = 64

T = Catalog(__name__, 'T')


class SetupFailed(ValueError):
    """A setup (or solution) line of a lesson that the interpreter refuses or cannot run."""

    def __init__(self, line: str, code: str, fields: dict):
        self.line = line
        self.code = code
        self.fields = fields
        super().__init__(f"`{line}` does not run: {self.sentence('en')}")

    def sentence(self, lang: str) -> str:
        return lab_text.say(self.code, lang, **self.fields)


# ------------------------------------------------------------------ the names a step runs with


def lines_for(lesson, step) -> tuple[str, ...]:
    """Every line that runs before the learner's: the lesson's setup, then each code step's
    setup and (for the earlier ones) its solution, in lesson order."""
    lines = list(lesson_setup(lesson))
    for other in lesson.steps[: step.index + 1]:
        if other.kind != "code":
            continue
        lines += list(other.get("setup") or [])
        if other.index != step.index:
            lines.append(other.get("solution"))
    return tuple(lines)


def lesson_setup(lesson) -> tuple[str, ...]:
    return tuple(getattr(lesson, "setup", ()) or ())


_CACHE: "OrderedDict[tuple[str, ...], lab_interp.Interpreter]" = OrderedDict()


def environment(lines: tuple[str, ...]) -> lab_interp.Interpreter:
    """An interpreter that has run `lines` (cached by the lines themselves; copy before use)."""
    lines = tuple(lines)
    if lines in _CACHE:
        _CACHE.move_to_end(lines)
        return _CACHE[lines]
    # The longest prefix already run, so a lesson's steps share their setup work.
    cut = len(lines)
    while cut > 0 and lines[:cut] not in _CACHE:
        cut -= 1
    interp = _CACHE[lines[:cut]].copy() if cut else lab_interp.Interpreter()
    for line in lines[cut:]:
        _run_setup_line(interp, line)
    _CACHE[lines] = interp
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return interp


def known_word(word: str) -> bool:
    """A word the lab console knows (print, round, diff …): code, not a mistyped command."""
    return word in lab_callables.BUILTINS or word in lab_callables.SYMPY_NAMES or word in lab_callables.METHODS


def _run_setup_line(interp: lab_interp.Interpreter, line: Any) -> lab_interp.Outcome:
    if not isinstance(line, str):
        raise SetupFailed(str(line), "syntax", {"line": 1, "col": 1})
    try:
        return interp.run(line)
    except Exception as err:  # noqa: BLE001 - said as the interpreter would
        problem = lab_text.failure(err)
        raise SetupFailed(line, problem.code, problem.fields) from None


# ------------------------------------------------------------------ one try


@dataclass
class Ran:
    """One line the learner typed, run: what to show, and the value to judge (None: nothing to judge)."""

    messages: list[Message] = field(default_factory=list)
    value: Any = None         # the value as math (SymPy, the lesson's own symbols)
    counted: bool = False     # a try the question core counts (refused and failing lines are not)
    shown: str | None = None  # the value as the lab prints it (SymPy's str)


def run_try(base: lab_interp.Interpreter, line: str, lang: str, value_of: str | None = None) -> Ran:
    """Run the learner's line on a copy of the step's names; never raises."""
    interp = base.copy()
    try:
        outcome = interp.run(line)
    except Exception as err:  # noqa: BLE001 - no traceback reaches a learner: each is a sentence
        problem = lab_text.failure(err)
        if problem.code == "not_needed":  # a kind note, and the session goes on
            return Ran([Message("say", problem.localized(lang))])
        return _refused(problem.localized(lang), lang)
    shown_out = _out_blocks(outcome)
    if value_of:
        if value_of not in interp.names:
            return Ran(shown_out + [Message("feedback", tr(T["undefined_name"], lang, name=value_of), ok=False)],
                       counted=True)
        value = interp.names[value_of]
    elif not outcome.computed:
        return Ran(shown_out + [Message("say", tr(T["no_value"], lang))])
    else:
        value = outcome.value
    shown = _shown(value)
    if outcome.assigned and not value_of:  # Jupyter shows nothing for an assignment; the tutor does
        shown_out.append(Message("echo", tr(T["assigned"], lang, name=outcome.assigned, value=_short(shown))))
    math = as_math(value)
    if math is None:
        return Ran(shown_out + [Message("feedback", tr(T["not_math"], lang, shown=_short(shown)), ok=False)],
                   counted=True, shown=shown)
    return Ran(shown_out, math, True, shown)


def _refused(sentence: str, lang: str) -> Ran:
    sep = "" if lang == "zh" else " "  # a Chinese sentence runs on into the full-width bracket
    return Ran([Message("error", f"{sentence}{sep}{tr(T['not_counted'], lang)}")])


def _out_blocks(outcome: lab_interp.Outcome) -> list[Message]:
    """What the lab console would print for this line (Python's own output, ASCII minus and all)."""
    return lab_text.output_messages("".join(outcome.printed), outcome.shown)


def _shown(value: Any) -> str:
    try:
        return lab_values.show(value) or "None"
    except Exception:  # noqa: BLE001 - a value too big to print is still judged
        return "…"


def _short(text: str | None) -> str:
    return safe_text.clean(text or "", keep_layout=False)[:60]


def as_math(value: Any):
    """A computed value as the tutor's math: SymPy with the one real Symbol per name
    (mathbuild.var); Python numbers as SymPy numbers; anything else None."""
    import sympy

    from derivtutor.algebra import mathbuild

    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, float):
        return sympy.Float(value) if value == value and abs(value) != float("inf") else None
    if isinstance(value, sympy.Expr):
        mapping = {s: mathbuild.var(s.name) for s in value.free_symbols if isinstance(s, sympy.Symbol)}
        return value.xreplace(mapping)
    return None


# ------------------------------------------------------------------ what the step expects


def expected(step, saved, lesson):
    """The value the step's line must compute: a computed number (answers.Computed) or a formula."""
    from derivtutor.teaching import answers

    answer = step.get("answer")
    if isinstance(answer, str):
        try:
            return answers.compute(answer, saved, lesson)
        except answers.StepInvalid:
            return answers.expression(answer, "answer")
    return answers.compute(answer, saved, lesson)


def target(value):
    """What a computed value is compared with (the exact one when there is one)."""
    return value.target if hasattr(value, "target") else value


def asks(expected_value) -> str:
    return "number" if getattr(target(expected_value), "is_number", False) else "expression"


def shown_expected(expected_value) -> str:
    from derivtutor.algebra import mathprinter

    if hasattr(expected_value, "shown"):
        return expected_value.shown(both=True)
    return mathprinter.show(expected_value)


def solution_text(step, expected_value, lang: str) -> str:
    """The revealed answer: a line that works, and what it computes."""
    return tr(T["solution"], lang, line=step.get("solution"), value=shown_expected(expected_value))


def solution_blocks(base: lab_interp.Interpreter, step, lang: str) -> list[Message]:
    """The solution run, so the learner sees SymPy's own output form of the answer."""
    ran = run_try(base, step.get("solution"), lang)
    blocks = [m for m in ran.messages if m.kind == "block"]
    if not blocks and ran.shown:
        blocks = [Message("block", block=safe_text.clean(ran.shown))]
    return blocks  # the line itself is in the revealed answer, in code marks


def default_hints(base: lab_interp.Interpreter, lang: str) -> list[str]:
    """For a code step whose author wrote no hints: the names the line can use."""
    names = ", ".join(f"`{n}`" for n in sorted(base.names) if not isinstance(base.names[n], lab_values.Function))
    return [tr(T["hint"], lang, names=names or "—")]


# ------------------------------------------------------------------ the slips of code


@dataclass(frozen=True)
class Found:
    """A code slip recognised in a wrong value: a message table and its fields."""

    key: str
    fields: dict

    def text(self, lang: str) -> str:
        return tr(T[self.key], lang, **self.fields)


def derivative_spec(step):
    """(J, wrt, point) when the step asks for a derivative (at a point or as a formula), else None."""
    from derivtutor.teaching import answers

    spec = step.get("answer")
    if not isinstance(spec, dict) or "derivative" not in spec:
        return None
    J = answers.expression(spec["derivative"], "J")
    return J, answers.variable(J, spec.get("wrt")), spec.get("at")


def diagnose(step, value, expected_value, saved) -> Found | None:
    """Which code slip gives exactly this value: J.subs instead of the derivative, the
    derivative left as a formula, J itself; a number asked and symbols left in. The messages
    hold the learner's own value and never the right answer."""
    from derivtutor.teaching import answers
    from derivtutor.algebra import calculus, check, mathprinter

    spec = derivative_spec(step)
    names = sorted(s.name for s in value.free_symbols)
    want = target(expected_value)
    if step.get("value_of") and getattr(want, "is_Symbol", False) and value != want:
        return Found("name_holds", {"name": step.get("value_of"), "value": _sympy_str(value)})
    if spec is not None:
        J, wrt, at_spec = spec
        d = calculus.derivative(J, wrt)
        at = answers.point(at_spec, saved) if at_spec else {}
        point = calculus.point_text(at) if at else ""  # the form of each language (w = 2, x = 3 / w = 2、x = 3)
        sstr = _sympy_str(value)
        if at and not value.free_symbols:
            try:
                J_at = calculus.value(J, at).exact
            except calculus.UndefinedAt:
                J_at = None
            if J_at is not None and _same(value, J_at, check) and not _same(value, target(expected_value), check):
                shown_at = ", ".join(mathprinter.show(v) for v in at.values())
                return Found("J_value", {"at": shown_at, "value": mathprinter.show(value), "w": wrt.name, "point": point})
        if value.free_symbols:
            if at and _same(value, d, check):
                return Found("formula", {"value": sstr, "w": wrt.name, "point": point})
            if _same(value, J, check):
                return Found("J_itself", {"value": sstr, "w": wrt.name})
    if not value.free_symbols and getattr(want, "free_symbols", None):
        return Found("formula_asked", {"value": _sympy_str(value),
                                       "names": ", ".join(sorted(x.name for x in want.free_symbols))})
    if value.free_symbols and asks(expected_value) == "number":
        return Found("has_symbols", {"value": _sympy_str(value), "names": ", ".join(names)})
    return None


def _same(a, b, check) -> bool:
    try:
        return bool(check.equivalent(a, b).equal)
    except Exception:  # noqa: BLE001 - undecided is not a match
        return False


def _sympy_str(value) -> str:
    try:
        return safe_text.clean(lab_values.show(value) or "", keep_layout=False)[:60]
    except Exception:  # noqa: BLE001
        return "…"


# ------------------------------------------------------------------ lint


def validate(lesson, step, saved) -> None:
    """What lint checks for a code step: every setup line runs, the expected answer is computable,
    and the solution computes it (judged by the question core). Raises answers.StepInvalid."""
    from derivtutor.teaching import answers, question

    solution = step.get("solution")
    if not isinstance(solution, str) or not solution.strip():
        raise answers.StepInvalid("`solution` must be a line of code that computes the answer")
    for line in list(lesson_setup(lesson)) + list(step.get("setup") or []):
        if not isinstance(line, str):
            raise answers.StepInvalid("every `setup` line must be a string")
    try:
        base = environment(lines_for(lesson, step))
    except SetupFailed as err:
        raise answers.StepInvalid(f"setup line {err}", zh=f"设置行 `{err.line}` 无法运行：{err.sentence('zh')}") from None
    want = expected(step, saved, lesson)
    try:
        _run_setup_line(base.copy(), solution)
    except SetupFailed as err:
        raise answers.StepInvalid(f"the solution {err}", zh=f"参考答案 `{err.line}` 无法运行：{err.sentence('zh')}") from None
    ran = run_try(base, solution, "en", step.get("value_of"))
    if ran.value is None:
        raise answers.StepInvalid(f"the solution `{solution}` computes no value to compare with the answer")
    asked = question.Question(asks(want), target(want), exact=bool(step.get("exact")),
                              tolerance=step.get("tolerance") or {})
    verdict = question.judge(asked, ran.value, None, "en")
    if not verdict.correct:
        raise answers.StepInvalid(f"the solution `{solution}` computes {ran.shown}, not the expected answer "
                                  f"{shown_expected(want)}")

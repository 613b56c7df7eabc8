"""`derivtutor lint`: every lesson file loaded, every formula read and every expected answer
computed the way the runner will, and passed through the tutor's own checker.

Loading (lessons.py) checks the schema without SymPy; this module does the math, once per
step through the step's kind (kinds/), with stand-ins for the answers earlier steps save.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from derivtutor.teaching import answers, kinds, lessons
from derivtutor.teaching.lesson_model import Lesson, Problem, Step
from derivtutor.text import i18n, safe_text
from derivtutor.text.i18n import Catalog, tr

LINT_TEXT = Catalog(__name__, 'LINT_TEXT')


def validate_math(lesson: Lesson) -> list[Problem]:
    """Parse every formula and compute every expected answer the way the runner will."""
    problems = []
    for step in lesson.steps:
        problems += _checked(lesson, step.line, f"step {step.index + 1} ({step.kind})",
                             f"第 {step.index + 1} 步（{step.kind}）", lambda: validate_step(lesson, step))
    for name, spec in lesson.values.items():
        problems += _checked(lesson, 1, f"value `{name}`", f"值 `{name}`", lambda: answers.compute(spec, {}, lesson))
    return problems


def _checked(lesson: Lesson, line: int, what: str, what_zh: str, check) -> list[Problem]:
    """Run one check; what it refuses is a problem at the line, said in English and Chinese.

    Loading has checked every shape the checks index or iterate, so any other exception is a
    bug of the tutor's: it is still said as a problem at the line (an author never gets a
    traceback), and the tests of lesson shapes refuse to see one."""
    try:
        check()
    except answers.StepInvalid as err:
        return [Problem(str(lesson.path), line, f"{what}: {err}", f"{what_zh}：{err.zh}" if err.zh else None)]
    except Exception as err:  # noqa: BLE001 - see the docstring
        return [Problem(str(lesson.path), line, tr(LINT_TEXT["unchecked"], "en", what=what, error=type(err).__name__),
                        zh=tr(LINT_TEXT["unchecked"], "zh", what=what_zh, error=type(err).__name__))]
    return []


def validate_step(lesson: Lesson, step: Step) -> None:
    """Everything the runner will compute for this step, computed once now; and the
    expected answer must pass the tutor's own checker."""
    saved = sample_saved(lesson, step)
    for name, spec in (step.get("values") or {}).items():
        answers.compute(spec, saved, lesson)
    kinds.of(step).validate(lesson, step, saved)
    _validate_anticipated(lesson, step, saved)


def _validate_anticipated(lesson: Lesson, step: Step, saved: dict[str, Any]) -> None:
    """Each anticipated answer parses, is not the expected answer, and is listed once."""
    from derivtutor.algebra import check

    entries = step.get("anticipate") or []
    if not entries:
        return
    right = kinds.expected(lesson, step, saved)
    right = right.target if isinstance(right, answers.Computed) else right
    seen: list = []
    for entry in entries:
        answer = answers.expression(str(entry["answer"]), "anticipated answer")
        if check.equivalent(answer, right).equal:
            raise answers.StepInvalid(f"the anticipated answer `{entry['answer']}` is the expected answer")
        if any(check.equivalent(answer, other).equal for other in seen):
            raise answers.StepInvalid(f"the anticipated answer `{entry['answer']}` is listed twice")
        seen.append(answer)


def sample_saved(lesson: Lesson, step: Step) -> answers.Known:
    """Stand-ins for answers saved by earlier steps, so lint can compute what depends on them."""
    saved = answers.Known({}, lesson, step)
    for earlier in lesson.steps[: step.index]:
        if earlier.get("save"):
            saved[earlier.get("save")] = kinds.of(earlier).stand_in(lesson, earlier, saved)
    return saved


def lint(paths: list[str] | None = None) -> list[Problem]:
    files: list[Path] = []
    for p in paths or [str(lessons.shipped_dir())]:
        path = Path(p)
        if lessons.is_dir(path):
            files += sorted(path.rglob("*.toml"))
        else:
            files.append(path)
    problems: list[Problem] = []
    if not files:
        return [Problem(str(paths), 0, "no lesson files found")]
    for file in files:
        lang = file.parent.name if file.parent.name in ("zh",) else "en"
        try:
            lesson = lessons.load(file, lang)
        except lessons.LessonError as err:
            problems += err.problems
            continue
        problems += validate_math(lesson)
        problems += _control_problems(file)
    return problems


def _control_problems(file: Path) -> list[Problem]:
    """Control characters in a lesson's strings would print raw to the learner's terminal."""
    found = safe_text.lesson_controls(lessons.read_text(file))
    return [Problem(str(file), line, tr(safe_text.LINT_MESSAGE, codepoint=code),
                    zh=tr(safe_text.LINT_MESSAGE, "zh", codepoint=code)) for line, code in found]


def run_lint(ns) -> int:
    paths = list(getattr(ns, "paths", []) or [])
    problems = lint(paths)
    from derivtutor.teaching.lint_text import problem_text

    for problem in problems:
        print(safe_text.clean(problem_text(problem, i18n.language())))
    if problems:
        print(tr(LINT_TEXT["bad"], n=len(problems)), file=sys.stderr)
        return 1
    count = sum(len(list(Path(p).rglob("*.toml"))) if lessons.is_dir(Path(p)) else 1
                for p in paths or [str(lessons.shipped_dir())])
    print(tr(LINT_TEXT["ok"], n=count))
    return 0

"""Lesson files: finding them, loading them, and telling authors exactly what is wrong.

Loading checks the schema without SymPy (so the first screen shows at once): the fields
each kind of step takes come from its class in kinds/, the shapes of nested values (graphs,
computed numbers, tolerances) from lesson_shapes.py. The math half of the checks (every
formula read, every expected answer computed) is lint.py's; `derivtutor lint` runs both.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

from derivtutor.teaching import kinds, lesson_shapes
from derivtutor.teaching.lesson_shapes import field_line, said
from derivtutor.teaching.lesson_model import PLACEHOLDER, Lesson, Problem, Step
from derivtutor.text import i18n, safe_text, toml
from derivtutor.text.errors import TutorError
from derivtutor.text.i18n import Catalog, Forms, listing, tr

ENV_DIRS = "DERIVTUTOR_LESSONS"

ERRORS = Catalog(__name__, 'ERRORS')
NOT_FOUND = Catalog(__name__, 'NOT_FOUND')


class LessonError(TutorError):
    """A lesson that cannot be used; every problem is listed, nothing is half-loaded.

    Each problem is its own sentence, said in the reader's language by lint_text (which
    knows the Chinese of every English problem), so this error has no table of its own."""

    code = "invalid_lesson"

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__()

    def localized(self, lang: str | None = None) -> str:
        if lang != "zh":
            return "\n".join(str(p) for p in self.problems)
        from derivtutor.teaching import lint_text  # its patterns are compiled only when a lesson is broken

        return "\n".join(lint_text.problem_text(p, lang) for p in self.problems)


class LessonNotFound(TutorError, LookupError):
    """No lesson by that name: the names there are, and the closest one."""

    code = "not_found"
    table = ERRORS

    def __init__(self, ref: str, known: list[str]):
        self.ref = ref
        self.known = known
        close = _close_matches(ref, known, n=1)
        hint = Forms({lang: tr(NOT_FOUND["did_you_mean"], lang, name=close[0]) for lang in i18n.LANGUAGES}) if close else ""
        super().__init__(ref=ref, hint=hint, known=listing(known) if known else NOT_FOUND["none"])


# --- where lessons are -------------------------------------------------------

def shipped_dir() -> Path:
    """The lessons that come with derivtutor (installed as derivtutor/course, or lessons/ in a checkout)."""
    here = Path(__file__).resolve().parent.parent  # derivtutor/
    for candidate in (here / "course", here.parent / "lessons"):
        if candidate.is_dir():
            return candidate
    return here / "course"


def is_shipped(lesson: "Lesson") -> bool:
    """Shipped lessons are linted by the tests; others are checked in full before they run."""
    try:
        lesson.path.resolve().relative_to(shipped_dir().resolve())
        return True
    except ValueError:
        return False


def lesson_dirs(extra_dirs: tuple[str, ...] | list[str] = ()) -> list[Path]:
    dirs = [Path(d) for d in extra_dirs]
    dirs += [Path(d) for d in os.environ.get(ENV_DIRS, "").split(os.pathsep) if d]
    dirs.append(shipped_dir())
    return dirs


def is_dir(path: Path) -> bool:
    """Path.is_dir, but False (not OSError) for a name too long or a folder we may not look into."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _files(lang: str, extra_dirs) -> dict[str, Path]:
    """lesson file stem -> path; a translation shadows the English file of the same name."""
    found: dict[str, Path] = {}
    for base in reversed(lesson_dirs(extra_dirs)):
        for folder in (base, base / lang) if lang != "en" else (base,):
            if is_dir(folder):
                try:
                    paths = sorted(folder.glob("*.toml"))
                except OSError:  # unreadable folder: its lessons are simply not there
                    continue
                for path in paths:
                    found[path.stem] = path
    return found


def folder_notices(extra_dirs=(), lang: str | None = None) -> list[str]:
    """One sentence for each lessons folder (--lessons or DERIVTUTOR_LESSONS) that cannot be used."""
    notices = []
    for folder in lesson_dirs(extra_dirs)[:-1]:  # the shipped folder is always there
        try:
            if folder.is_dir():
                os.listdir(folder)
                continue
            reason = tr(FILE_TEXT["no_folder"], lang) if not folder.exists() else tr(FILE_TEXT["not_folder"], lang)
        except OSError as err:
            reason = i18n.os_reason(err)
        except ValueError:  # a NUL in the name
            reason = tr(FILE_TEXT["no_folder"], lang)
        notices.append(tr(FILE_TEXT["bad_folder"], lang, path=safe_text.quote(str(folder)), reason=reason))
    return notices


def available(lang: str = "en", extra_dirs=(), skipped: list[Problem] | None = None) -> list[Lesson]:
    """Every lesson that loads, in id order; broken files are left out (lint reports them).

    With ``skipped``, the first problem of each file left out is appended to it, so a
    command can name the file instead of dropping it silently."""
    lessons = []
    for path in _files(lang, extra_dirs).values():
        try:
            lessons.append(load(path, lang))
        except LessonError as err:
            if skipped is not None and err.problems:
                skipped.append(err.problems[0])
            continue
    return sorted(lessons, key=lambda l: (len(l.id), l.id))


def find(ref: str, lang: str = "en", extra_dirs=()) -> Lesson:
    """`lesson2`, `2`, or a word of the title (`symbolic`) all find lesson 2."""
    files = _files(lang, extra_dirs)
    key = ref.strip().lower()
    if key in files:
        return load(files[key], lang)
    lessons = available(lang, extra_dirs)
    for lesson in lessons:
        if key in (lesson.id.lower(), lesson.number):
            return lesson
    words = [l for l in lessons if key and key in l.title.lower().split() + [l.title.lower()]]
    words = words or [l for l in lessons if len(key) >= 3 and key in l.title.lower()]
    if len(words) >= 1:
        return words[0]
    raise LessonNotFound(ref, [l.id for l in lessons])


def _close_matches(word: str, choices, n: int = 1) -> list[str]:
    """"Did you mean …?" candidates; difflib is imported only when a name is wrong (start-up loads lessons)."""
    import difflib

    return difflib.get_close_matches(word, choices, n=n)


# --- loading and the schema --------------------------------------------------

def _line_index(text: str) -> tuple[list[int], list[str]]:
    """Line numbers of each [[steps]] header, and the raw lines, for file:line messages."""
    lines = text.splitlines()
    headers = [i + 1 for i, line in enumerate(lines) if line.strip().startswith("[[steps]]")]
    return headers, lines


def _type_name(t) -> str:
    names = {str: "a string", int: "a whole number", float: "a number", list: "a list", dict: "a table",
             bool: "true or false"}
    if isinstance(t, tuple):
        return " or ".join(names[x] for x in t)
    return names[t]


def _check_step(path: str, raw: Any, index: int, line: int, lines: list[str]) -> tuple[Step | None, list[Problem]]:
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        return None, [Problem(path, line, f"step {index + 1} must be a table")]
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in kinds.KINDS:  # a list or table is no kind (and unhashable)
        kind = lesson_shapes.shown(kind)
        close = _close_matches(kind, kinds.KINDS, n=1)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        where = field_line(lines, line, "kind")
        return None, [Problem(path, where, f"step {index + 1}: `kind` must be one of {', '.join(kinds.KINDS)}, not `{kind}`{hint}")]
    step_kind = kinds.KINDS[kind]
    allowed = step_kind.allowed()
    types = step_kind.field_types()
    for key in step_kind.required:
        if key not in raw:
            problems.append(Problem(path, line, f"step {index + 1} ({kind}): `{key}` is missing"))
    for key, value in raw.items():  # a field's line is looked up only for a message (start-up loads this)
        if key not in allowed:
            close = _close_matches(key, allowed, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            problems.append(Problem(path, field_line(lines, line, key),
                                    f"step {index + 1} ({kind}): unknown field `{key}`{hint}"))
            continue
        expected = types.get(key)
        if expected is not None and not isinstance(value, expected) or isinstance(value, bool) and expected is not bool:
            problems.append(Problem(path, field_line(lines, line, key), f"step {index + 1} ({kind}): `{key}` must be {_type_name(expected)}"))
    for key, message in step_kind.field_problems(raw):
        where = line if key is None else field_line(lines, line, key)
        problems.append(Problem(path, where, f"step {index + 1} ({kind}): {message}"))
    if isinstance(raw.get("tolerance"), dict):
        problems += lesson_shapes.check_tolerance(path, field_line(lines, line, "tolerance"), raw["tolerance"], index, kind)
    if "eps" in raw:
        problems += lesson_shapes.check_eps(path, field_line(lines, line, "eps"), raw["eps"], index, kind)
    if step_kind.computes_answer and isinstance(raw.get("answer"), dict):
        problems += lesson_shapes.check_computed(path, field_line(lines, line, "answer"), raw["answer"], f"step {index + 1}")
    for name, spec in (raw.get("values") or {}).items() if isinstance(raw.get("values"), dict) else ():
        if isinstance(spec, dict):
            problems += lesson_shapes.check_computed(path, field_line(lines, line, "values"), spec,
                                                     f"step {index + 1} value `{name}`")
    if problems:
        return None, problems
    return Step(index=index, kind=kind, fields=dict(raw), line=line, graded=step_kind.graded), []


MAX_FILE_BYTES = 1_000_000  # the longest shipped lesson is about 30 kB
FILE_TEXT = Catalog(__name__, 'FILE_TEXT')


def left_out(problem: Problem, lang: str | None = None) -> str:
    """One sentence naming a lesson file that `available` skipped, and why."""
    from derivtutor.teaching import lint_text

    said_in = lang or i18n.language()
    message = (problem.zh or lint_text.localize(problem.message, "zh")) if said_in == "zh" else problem.message
    reason = message.rstrip("。.")
    return tr(FILE_TEXT["left_out"], lang, path=problem.path, reason=reason)


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def read_text(path: Path) -> str:
    """A lesson file's text, refusing devices, pipes and huge files before reading a byte."""
    shown = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise LessonError([said(shown, 1, FILE_TEXT["not_file"])])
        if info.st_size > MAX_FILE_BYTES:
            raise LessonError([said(shown, 1, FILE_TEXT["too_big"], size=_megabytes(info.st_size),
                                    limit=_megabytes(MAX_FILE_BYTES))])
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat
        if len(data) > MAX_FILE_BYTES:
            raise LessonError([said(shown, 1, FILE_TEXT["too_big"], size=_megabytes(len(data)),
                                    limit=_megabytes(MAX_FILE_BYTES))])
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise LessonError([said(shown, 1, FILE_TEXT["not_utf8"])]) from None
    except OSError as err:
        reason = i18n.os_reason(err)
        raise LessonError([said(shown, 1, FILE_TEXT["unreadable"], reason=reason)]) from None


def _deepest_line(text: str) -> int:
    """The line where brackets nest deepest (where a too-deep file goes wrong), 1-based."""
    depth = deepest = 0
    where = 1
    for number, line in enumerate(text.splitlines(), 1):
        for ch in line:
            if ch in "[{":
                depth += 1
                if depth > deepest:
                    deepest, where = depth, number
            elif ch in "]}":
                depth -= 1
    return where


def load(path: Path | str, lang: str = "en") -> Lesson:
    """Read and schema-check one lesson file; raise LessonError listing every problem."""
    path = Path(path)
    shown = str(path)
    text = read_text(path)
    try:
        data = toml.loads(text)
    except toml.TOMLDecodeError as err:
        match = re.search(r"line (\d+)", str(err))
        raise LessonError([Problem(shown, int(match.group(1)) if match else 1, f"not valid TOML: {err}")]) from None
    except RecursionError:  # tomllib recurses once per level of [[[…]]] or {a={…}}
        raise LessonError([said(shown, _deepest_line(text), FILE_TEXT["too_deep"])]) from None
    headers, lines = _line_index(text)
    problems: list[Problem] = []
    for key in data:  # `stepz = …` or [valuse] would otherwise be skipped in silence
        if key not in TOP_LEVEL:
            close = _close_matches(key, TOP_LEVEL, n=1)
            where = _top_line(lines, key)
            problems.append(said(shown, where, FILE_TEXT["unknown_top_close" if close else "unknown_top"],
                                 key=safe_text.quote(key), close=close[0] if close else ""))
    for key in ("id", "title", "summary"):
        if not isinstance(data.get(key), str) or not data.get(key).strip():
            problems.append(Problem(shown, field_line(lines, 1, key), f"the lesson needs `{key}` (a string)"))
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        problems.append(Problem(shown, 1, "the lesson has no steps: add [[steps]] tables"))
        raw_steps = []
    steps = []
    seen_ids: dict[str, int] = {}
    for index, raw in enumerate(raw_steps):
        line = headers[index] if index < len(headers) else 1
        step, step_problems = _check_step(shown, raw, index, line, lines)
        problems += step_problems
        step_id = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(step_id, str) and step_id in seen_ids:
            problems.append(Problem(shown, field_line(lines, line, "id"),
                                    f"step {index + 1}: id `{step_id}` is already used by step {seen_ids[step_id] + 1}"))
        if isinstance(step_id, str):
            seen_ids.setdefault(step_id, index)
        if step is not None:
            steps.append(step)
    values = data.get("values", {})
    if not isinstance(values, dict):
        problems.append(Problem(shown, field_line(lines, 1, "values"), "`values` must be a table"))
        values = {}
    for name, spec in values.items():
        if isinstance(spec, dict):
            problems += lesson_shapes.check_computed(shown, field_line(lines, 1, name), spec, f"value `{name}`")
    graphs = data.get("graphs", {})
    problems += lesson_shapes.check_graphs(shown, lines, graphs)
    graphs = graphs if isinstance(graphs, dict) else {}
    for step in steps:  # what a step refers to elsewhere in the file (a graph step's graph)
        for key, message in kinds.of(step).lesson_problems(step, graphs):
            problems.append(Problem(shown, field_line(lines, step.line, key), f"step {step.index + 1}: {message}"))
    problems += _check_placeholders(shown, lines, steps, values)
    setup = data.get("setup", [])
    if not isinstance(setup, list) or not all(isinstance(x, str) for x in setup):
        problems.append(Problem(shown, field_line(lines, 1, "setup"), "`setup` must be a list of lines of code (strings)"))
        setup = []
    if problems:
        raise LessonError(problems)
    return Lesson(id=data["id"], title=data["title"], summary=data["summary"], path=path, lang=lang,
                  steps=tuple(steps), values=values, graphs=graphs,
                  setup=tuple(setup))


TOP_LEVEL = ("id", "title", "summary", "steps", "values", "graphs", "setup")


def _top_line(lines: list[str], key: str) -> int:
    """The line where a top-level key is written: `key = …`, [key] or [[key]] (else line 1)."""
    pattern = re.compile(rf"^\s*(\[\[?\s*)?{re.escape(key)}\s*(=|\]|\.)")
    return next((n for n, raw in enumerate(lines, 1) if pattern.match(raw)), 1)


def _check_placeholders(path: str, lines: list[str], steps: list[Step], values: dict) -> list[Problem]:
    """Every {name} in a text must be a value or a learner's answer saved by an earlier step."""
    problems = []
    known = set(values)
    texts = ("text", "after", "why")
    for step in steps:
        local = known | set(step.get("values") or {})
        for key in texts:
            if key == "after" and step.get("save"):  # shown once the step is answered and saved
                local = local | {step.get("save")}
            for match in PLACEHOLDER.finditer(step.get(key) or ""):
                if match.group(1) not in local:
                    problems.append(Problem(path, field_line(lines, step.line, key),
                                            f"step {step.index + 1}: `{{{match.group(1)}}}` is not a value of the lesson or of this step, nor saved by an earlier step"))
        for hint in step.get("hints") or []:
            if not isinstance(hint, str):
                problems.append(Problem(path, field_line(lines, step.line, "hints"), f"step {step.index + 1}: every hint must be a string"))
        if step.get("save"):
            known.add(step.get("save"))
        from derivtutor.teaching.skills import IDS, unknown  # the skill list (no SymPy)

        for tag in unknown(step.get("skills") or []):
            problems.append(Problem(path, field_line(lines, step.line, "skills"),
                                    f"step {step.index + 1}: `{tag}` is not a skill; skills are: {', '.join(IDS)}"))
    return problems

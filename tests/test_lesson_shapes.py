"""Instructors write lessons by hand: whatever shape of TOML a lesson file holds (a list where a
table belongs, a number for a string, a table for a list, a field left out), loading and lint answer with
problems at file:line, said in English and in Chinese, never with an exception; and the
runner starts on whatever loads cleanly."""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derivtutor.teaching import lessons, lint, lint_text
from derivtutor.teaching.runner import Runner

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

SHIPPED = sorted(lessons.shipped_dir().rglob("*.toml"))
HAN = re.compile(r"[\u4e00-\u9fff]")
CODE = re.compile(r"`[^`]*`")
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]{2,})+")
KINDS = {"say", "predict", "number", "expression", "derivative", "choice", "experiment", "graph", "code", "TOML"}


# --- writing a lesson back as TOML ----------------------------------------------------------------

def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _string(key)


def _string(text: str) -> str:
    escaped = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
    return '"' + "".join(escaped.get(c) or (f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F else c)
                         for c in text) + '"'


def _inline(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return "{" + ", ".join(f"{_key(k)} = {_inline(v)}" for k, v in value.items()) + "}"


def _tables(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def to_toml(data: dict) -> str:
    """Top-level fields first, then a [section] per table and a [[section]] per array of tables
    (as authors write lessons, so the loader's file:line lookups see familiar headers)."""
    out = [f"{_key(k)} = {_inline(v)}" for k, v in data.items() if not isinstance(v, dict) and not _tables(v)]
    for key, value in data.items():
        if isinstance(value, dict):
            out += ["", f"[{_key(key)}]"] + [f"{_key(k)} = {_inline(v)}" for k, v in value.items()]
    for key, value in data.items():
        if _tables(value):
            for table in value:
                out += ["", f"[[{_key(key)}]]"] + [f"{_key(k)} = {_inline(v)}" for k, v in table.items()]
    return "\n".join(out) + "\n"


# --- the mutations -------------------------------------------------------------------------------

def paths(value, here=()):
    """Every place in a parsed lesson a value sits, as a tuple of keys and indices."""
    yield here
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        yield from paths(inner, here + (key,))


def replaced(data, path, new):
    if not path:
        return new
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = replaced(data[path[0]], path[1:], new)
    return copy


def without(data, path):
    """The lesson with the value at `path` taken out (a field forgotten, a list one entry shorter)."""
    copy = dict(data) if isinstance(data, dict) else list(data)
    if len(path) == 1:
        del copy[path[0]]
    else:
        copy[path[0]] = without(data[path[0]], path[1:])
    return copy


def at(data, path):
    for key in path:
        data = data[key]
    return data


OTHER_VALUES = ["x", 7, 0, -1, 2.5, float("inf"), True, [1], ["g"], [[1, 2]], {"k": 1}, {"g": 1}, [], {},
                "w" * 5000, "a\x01b\x1b[31mc\x7f", "{nothing}", "w^^2"]


def toml_type(value) -> str:
    return "table" if isinstance(value, dict) else type(value).__name__


PARSED = {path: tomllib.loads(path.read_text(encoding="utf-8")) for path in SHIPPED}


def lint_problems(path: Path):
    """Loading and lint, which must answer with problems or with none, never raise."""
    problems = lint.lint([str(path)])
    for problem in problems:
        assert isinstance(problem.line, int) and problem.line >= 1, problem
        assert "could not check" not in problem.message, problem  # a check crashed: loading let a shape through
        english = lint_text.problem_text(problem, "en")
        chinese = lint_text.problem_text(problem, "zh")
        assert english.startswith(f"{path}:{problem.line}: ") and chinese.startswith(f"{path}:{problem.line}: ")
        bare = CODE.sub(" ", chinese.split(": ", 1)[-1])
        untranslated = [m for m in ENGLISH.findall(bare) if not set(re.split(r"[ ,'-]+", m)) <= KINDS]
        assert HAN.search(chinese) and not untranslated, (problem.message, chinese)
    return problems


def test_the_shipped_lessons_written_back_lint_clean(tmp_path):
    for source, data in PARSED.items():
        path = tmp_path / source.name
        path.write_text(to_toml(data), encoding="utf-8")
        assert lint_problems(path) == [], source


def _drawn(data):
    """A shipped lesson and a path to one of its values, drawn by hypothesis."""
    source = data.draw(st.sampled_from(SHIPPED), label="lesson")
    lesson = PARSED[source]
    return source, lesson, data.draw(st.sampled_from([p for p in paths(lesson) if p]), label="path")


def _written(tmp_path_factory, source, data: dict) -> tuple[Path, str]:
    """The changed lesson written to a file of the same name, and its language."""
    path = tmp_path_factory.mktemp("shape") / source.name
    path.write_text(to_toml(data), encoding="utf-8")
    return path, "zh" if source.parent.name == "zh" else "en"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_value_of_another_type_gives_problems_not_a_crash(tmp_path_factory, data):
    source, lesson, where = _drawn(data)
    old = at(lesson, where)
    new = data.draw(st.sampled_from([v for v in OTHER_VALUES if toml_type(v) != toml_type(old)]), label="value")
    path, lang = _written(tmp_path_factory, source, replaced(lesson, where, new))
    if not lint_problems(path):
        lesson = lessons.load(path, lang)
        assert Runner(lesson, lang=lang).start()
        step = lesson.steps[where[1]] if where[0] == "steps" and len(where) > 1 and where[1] < len(lesson.steps) else None
        if step is not None and step.graded:  # the changed step itself, asked, hinted, answered and skipped
            run = Runner(lesson, lang=lang, only=[step.id])
            assert run.start()
            for line in ("1", "w", "hint", "why", "2", "skip"):
                if not run.done:
                    run.answer(line)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_value_left_out_gives_problems_not_a_crash(tmp_path_factory, data):
    source, lesson, where = _drawn(data)
    path, lang = _written(tmp_path_factory, source, without(lesson, where))
    if not lint_problems(path):
        assert Runner(lessons.load(path, lang), lang=lang).start()


# --- by hand: the shapes an instructor most likely gets wrong ------------------------------------

HEAD = 'id = "t"\ntitle = "t"\nsummary = "s"\n'
GRAPH_STEP = '\n[[steps]]\nkind = "graph"\nid = "a"\ntext = "t"\ngraph = "g"\nask = { value = "c" }\n'
SHAPES = {
    "graphs_list": (HEAD + 'graphs = ["g"]\n' + GRAPH_STEP, 4, "`graphs`"),
    "nodes_string": (HEAD + '[graphs.g]\nnodes = "c = a * b"\ninputs = { a = 1, b = 2 }\n' + GRAPH_STEP, 5, "`nodes`"),
    "inputs_array": (HEAD + '[graphs.g]\nnodes = [["c", "a * b"]]\ninputs = [1, 2]\n' + GRAPH_STEP, 6, "`inputs`"),
    "node_not_pair": (HEAD + '[graphs.g]\nnodes = [["c"]]\ninputs = { a = 1 }\n' + GRAPH_STEP, 5, "`nodes`"),
    "options_table": (HEAD + '[[steps]]\nkind = "choice"\nid = "a"\ntext = "t"\noptions = { a = "x" }\nanswer = 1\n',
                      8, "`options`"),
    "hints_number": (HEAD + '[[steps]]\nkind = "number"\nid = "a"\ntext = "t"\nanswer = 3\nhints = 4\n', 9, "`hints`"),
    "kind_list": (HEAD + '[[steps]]\nkind = ["say"]\ntext = "t"\n', 5, "`kind`"),
    "flag_string": (HEAD + '[[steps]]\nkind = "number"\nid = "a"\ntext = "t"\nanswer = 3\nexact = "yes"\n', 9, "`exact`"),
    "eps_zero": (HEAD + '[[steps]]\nkind = "predict"\nid = "a"\ntext = "t"\nJ = "w^2"\nat = { w = 3 }\neps = 0\n', 10,
                 "`eps`"),
    "computed_eps_string": (HEAD + '[values]\nk = { forward = "w^2", at = { w = 3 }, eps = "small" }\n'
                            '[[steps]]\nkind = "say"\ntext = "{k}"\n', 5, "`eps`"),
    "ask_target_table": (HEAD + '[graphs.g]\nnodes = [["c", "a * b"]]\ninputs = { a = 1, b = 2 }\n'
                         '[[steps]]\nkind = "graph"\nid = "a"\ntext = "t"\ngraph = "g"\nask = { grad = {} }\n', 12, "`ask`"),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_a_value_of_the_wrong_shape_is_a_problem_at_its_line(tmp_path, name):
    text, line, field = SHAPES[name]
    path = tmp_path / "lesson.toml"
    path.write_text(text, encoding="utf-8")
    problems = lint_problems(path)
    assert any(p.line == line and field in p.message for p in problems), [str(p) for p in problems]
    with pytest.raises(lessons.LessonError):
        lessons.load(path)


def test_a_graph_that_uses_a_name_it_lacks_is_said_in_chinese_too(tmp_path):
    path = tmp_path / "lesson.toml"
    path.write_text(HEAD + '[graphs.g]\nnodes = [["c", "a * b"]]\ninputs = { a = 1 }\n' + GRAPH_STEP, encoding="utf-8")
    lessons.load(path)  # its shape is right: lint finds the name `b` missing
    problems = lint_problems(path)
    assert [p.line for p in problems] == [8] and "`b`" in problems[0].message
    assert "`b`" in lint_text.problem_text(problems[0], "zh")


@pytest.mark.parametrize("head, tail, line_text, close", [
    ("stepz = 3\n", "", "stepz = 3", "steps"),            # a typo of a key
    ("", "\n[valuse]\nk = 1\n", "[valuse]", "values"),   # a typo of a table
    ('author = "me"\n', "", 'author = "me"', None)])      # a key lessons do not have
def test_an_unknown_top_level_field_is_a_problem_at_its_line(tmp_path, head, tail, line_text, close):
    path = tmp_path / "typo.toml"
    path.write_text(head + SHIPPED[0].read_text(encoding="utf-8") + tail, encoding="utf-8")
    with pytest.raises(lessons.LessonError) as caught:
        lessons.load(path)
    (problem,) = caught.value.problems
    assert path.read_text(encoding="utf-8").splitlines()[problem.line - 1] == line_text
    assert (f"did you mean `{close}`" if close else "id, title, summary") in problem.message
    assert "未知的顶层字段" in lint_text.problem_text(problem, "zh")

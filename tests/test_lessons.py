"""Lesson files: found by id, number or title word; every problem reported as file:line."""

import subprocess
import sys
from pathlib import Path

import pytest

from derivtutor.teaching import lessons, lint

DATA = Path(__file__).parent / "data"


def test_a_lesson_is_found_by_id_number_or_a_word_of_its_title():
    assert lessons.find("lesson2").id == "lesson2"
    assert lessons.find("2").id == "lesson2"
    assert lessons.find("symbolic").id == "lesson2"


def test_an_unknown_lesson_suggests_the_closest():
    with pytest.raises(lessons.LessonNotFound) as err:
        lessons.find("lesson22")
    assert "lesson2" in str(err.value)


def test_extra_lesson_folders_come_from_the_option_and_the_environment(monkeypatch):
    assert lessons.find("demo", extra_dirs=[str(DATA)]).title.startswith("A demo")
    monkeypatch.setenv(lessons.ENV_DIRS, str(DATA))
    assert lessons.find("demo").id == "demo"


def test_a_broken_lesson_is_refused_with_every_problem_and_its_line():
    with pytest.raises(lessons.LessonError) as err:
        lessons.load(DATA / "bad.toml")
    text = [str(p) for p in err.value.problems]
    assert any(t.startswith(f"{DATA / 'bad.toml'}:6:") and "did you mean `say`" in t for t in text)
    assert any(":12:" in t and "`tolerence`" in t and "tolerance" in t for t in text)
    assert any(":19:" in t and "between 1 and 2" in t for t in text)
    assert any("already used" in t for t in text)
    assert any("{nothing}" in t for t in text)
    assert any("`id` is missing" in t for t in text)


def test_invalid_toml_points_at_its_line(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text('id = "x"\ntitle = "t"\nsummary = "s"\n[[steps]]\nkind = say\n', encoding="utf-8")
    with pytest.raises(lessons.LessonError) as err:
        lessons.load(path)
    assert err.value.problems[0].line == 5


def test_a_broken_lesson_is_not_offered():
    ids = [l.id for l in lessons.available(extra_dirs=[str(DATA)])]
    assert "demo" in ids and "bad" not in ids


def test_translation_shadows_english_and_falls_back(tmp_path):
    (tmp_path / "zh").mkdir()
    src = (DATA / "demo.toml").read_text(encoding="utf-8")
    (tmp_path / "demo.toml").write_text(src, encoding="utf-8")
    (tmp_path / "zh" / "demo.toml").write_text(src.replace("A demo of every step kind", "演示"), encoding="utf-8")
    assert lessons.find("demo", lang="zh", extra_dirs=[str(tmp_path)]).title == "演示"
    assert lessons.find("demo", lang="en", extra_dirs=[str(tmp_path)]).title.startswith("A demo")


def test_loading_lessons_does_not_import_sympy():
    code = "import sys; from derivtutor.teaching import lessons; lessons.available(); print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_lint_reports_math_that_does_not_parse(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text('id = "m"\ntitle = "t"\nsummary = "s"\n\n[[steps]]\nid = "d"\nkind = "derivative"\n'
                    'J = "w^^2"\ntext = "?"\n', encoding="utf-8")
    problems = [str(p) for p in lint.lint([str(path)])]
    assert len(problems) == 1 and problems[0].startswith(f"{path}:5:") and "does not parse" in problems[0]


def test_lint_passes_on_the_demo_and_fails_on_the_broken_file():
    assert lint.lint([str(DATA / "demo.toml")]) == []
    assert lint.lint([str(DATA / "bad.toml")])


def test_lint_command_exit_codes():
    ok = subprocess.run([sys.executable, "-m", "derivtutor", "lint", str(DATA / "demo.toml")], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = subprocess.run([sys.executable, "-m", "derivtutor", "lint", str(DATA / "bad.toml")], capture_output=True, text=True)
    assert bad.returncode == 1 and "bad.toml:6:" in bad.stdout and "Traceback" not in bad.stderr


@pytest.mark.parametrize("spec, message", [
    ('{ forward = "w^2", at = { w = 3 } }', "`forward` needs `eps`"),
    ('{ value = "w^2" }', "`value` needs `at"),
    ('{ derivative = "w^2", at = 3 }', "`derivative` needs `at"),
    ('{ value = "w^2", derivative = "w", at = { w = 1 } }', "exactly one of"),
    ('{ value = "w^2", at = { w = 1 }, step = 2 }', "unknown key `step`"),
])
def test_a_computed_number_says_what_it_lacks(tmp_path, spec, message):
    path = tmp_path / "v.toml"
    path.write_text(f'id = "v"\ntitle = "t"\nsummary = "s"\n\n[[steps]]\nid = "n"\nkind = "number"\ntext = "?"\n'
                    f'answer = {spec}\n', encoding="utf-8")
    with pytest.raises(lessons.LessonError) as err:
        lessons.load(path)
    assert any(message in str(p) and ":9:" in str(p) for p in err.value.problems), err.value.problems

"""Hostile lesson files and folders: each is named in one friendly sentence, the other lessons keep working."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
DEMO = (DATA / "demo.toml").read_text(encoding="utf-8")


def tutor(*args, home, stdin="", env=None, timeout=60, cwd=None):
    """Run `derivtutor ARGS` as a learner would, with its own data folder; the tutor's
    wrapped lines are joined again (a wrapped line goes on after six or more spaces)."""
    environ = {**os.environ, "DERIVTUTOR_HOME": str(home), "NO_COLOR": "1", **(env or {})}
    environ.pop("DERIVTUTOR_LESSONS", None)
    done = subprocess.run([sys.executable, "-m", "derivtutor", *args], input=stdin, capture_output=True,
                          text=True, env=environ, timeout=timeout, cwd=cwd)
    join = lambda text: re.sub(r"(?<=[\u3000-\u9fff，。：；（）])\n {6,}|\n {6,}(?=[\u3000-\u9fff，。：；（）])", "",
                               re.sub(r"(?<=[^\u3000-\u9fff，。：；（）\n])\n {6,}(?=[^\u3000-\u9fff，。：；（） ])", " ", text))
    return done.returncode, join(done.stdout), join(done.stderr)


def no_crash(rc, out, err):
    assert rc != 70, err
    assert "Traceback" not in out + err
    assert "something went wrong" not in out + err


@pytest.fixture
def deep_folder(tmp_path):
    """A lessons folder with the demo lesson and one file nesting an array 5000 levels deep."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "demo.toml").write_text(DEMO, encoding="utf-8")
    (folder / "deep.toml").write_text('id = "deep"\ntitle = "t"\nsummary = "s"\na = ' + "[" * 5000 + "]" * 5000 + "\n",
                                      encoding="utf-8")
    return folder


def test_list_names_a_too_deeply_nested_file_and_still_lists_the_others(deep_folder, tmp_path):
    rc, out, err = tutor("list", "--plain", "--lessons", "lessons", home=tmp_path / "home", cwd=tmp_path)
    no_crash(rc, out, err)
    assert rc == 0
    assert "deep.toml was left out" in out and "nests arrays or tables too deeply" in out
    assert "demo" in out and "lesson1" in out


def test_list_in_chinese_names_the_file_in_chinese(deep_folder, tmp_path):
    rc, out, err = tutor("--lang", "zh", "list", "--plain", "--lessons", "lessons", home=tmp_path / "home",
                         cwd=tmp_path)
    no_crash(rc, out, err)
    assert "deep.toml 没有加载" in out and "嵌套太深" in out


def test_progress_start_and_lint_survive_a_too_deeply_nested_file(deep_folder, tmp_path):
    home = tmp_path / "home"
    rc, out, err = tutor("progress", "--lessons", str(deep_folder), home=home)
    no_crash(rc, out, err)
    assert rc == 0 and "No progress yet" in out
    rc, out, err = tutor("start", "--plain", "--lessons", "lessons", home=home, stdin="demo\n", cwd=tmp_path)
    no_crash(rc, out, err)
    assert "deep.toml was left out" in out and "What is J = w^3 at w = 2?" in out
    rc, out, err = tutor("lint", str(deep_folder), home=home)
    no_crash(rc, out, err)
    assert rc == 1
    assert f"{deep_folder / 'deep.toml'}:4: this file nests arrays or tables too deeply" in out
    assert "demo.toml" not in out  # the good lesson has no problems


def test_lint_refuses_a_device_at_once(tmp_path):
    rc, out, err = tutor("lint", "/dev/zero", home=tmp_path, timeout=20)
    no_crash(rc, out, err)
    assert rc == 1 and "/dev/zero:1: this is not an ordinary file" in out


def test_a_huge_lesson_file_is_refused_unread_and_named(tmp_path):
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "demo.toml").write_text(DEMO, encoding="utf-8")
    with (folder / "huge.toml").open("w", encoding="utf-8") as f:
        f.write('id = "huge"\ntitle = "t"\nsummary = "s"\n')
        f.write("# padding\n" * 200_000)  # 2 MB
    rc, out, err = tutor("list", "--plain", "--lessons", "lessons", home=tmp_path / "home", cwd=tmp_path)
    no_crash(rc, out, err)
    assert "huge.toml was left out: this file is 2.0 MB, more than a lesson can be (1.0 MB)" in out
    assert "demo" in out
    rc, out, err = tutor("--lang", "zh", "lint", str(folder / "huge.toml"), home=tmp_path / "home")
    assert rc == 1 and "超过了课程文件的上限" in out


@pytest.mark.parametrize("command", [["list", "--plain"], ["progress"], ["export"], ["start", "--plain", "lesson1"]])
def test_a_lessons_folder_name_too_long_for_the_system_is_one_sentence(command, tmp_path):
    rc, out, err = tutor(*command, "--lessons", "a" * 300, home=tmp_path / "home", stdin="")
    no_crash(rc, out, err)
    assert rc == 0
    assert "The lessons folder aaaaaaaaa" in err and "cannot be used (file name too long)" in err
    assert "the other lessons are still here" in err


def test_a_missing_lessons_folder_is_said_in_chinese(tmp_path):
    rc, out, err = tutor("--lang", "zh", "list", "--plain", "--lessons", "no-such-folder", home=tmp_path / "home")
    no_crash(rc, out, err)
    assert "无法使用课程文件夹 no-such-folder（没有这个文件夹）；其他课程照常可用。" in err
    assert "lesson1" in out


def test_lint_of_a_path_too_long_names_it(tmp_path):
    rc, out, err = tutor("lint", "b" * 300, home=tmp_path / "home")
    no_crash(rc, out, err)
    assert rc == 1 and "b" * 300 + ":1: cannot read this file (file name too long)." in out


def lesson_folder(tmp_path, name, steps):
    folder = tmp_path / "lessons"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.toml").write_text(f'id = "{name}"\ntitle = "T"\nsummary = "S"\n\n{steps}', encoding="utf-8")
    return folder


HUGE_POINT = '''[[steps]]
id = "p"
kind = "predict"
text = "Predict k."
J = "w^2"
at = { w = 1e308 }
eps = 0.001
'''


def test_lint_reports_a_point_beyond_what_the_tutor_reads(tmp_path):
    folder = lesson_folder(tmp_path, "huge", HUGE_POINT)
    rc, out, err = tutor("lint", str(folder), home=tmp_path / "home")
    no_crash(rc, out, err)
    assert rc == 1
    assert "huge.toml:5: step 1 (predict): `1e+308` is not a number the tutor can use" in out
    assert "keep the power of ten between 1e-300 and 1e300" in out


def test_start_of_a_lesson_with_a_huge_point_names_the_problem(tmp_path):
    lesson_folder(tmp_path, "huge", HUGE_POINT)
    rc, out, err = tutor("start", "--plain", "--lessons", "lessons", "huge", home=tmp_path / "home", stdin="6\n",
                         cwd=tmp_path)
    no_crash(rc, out, err)
    assert "`1e+308` is not a number the tutor can use" in out


BAD_TOLERANCE = '''[[steps]]
id = "n"
kind = "number"
text = "What is 2 + 2?"
answer = "4"
tolerance = {abs = "x"}
'''


def test_lint_refuses_a_tolerance_that_is_not_a_number(tmp_path):
    folder = lesson_folder(tmp_path, "tol", BAD_TOLERANCE)
    rc, out, err = tutor("lint", str(folder), home=tmp_path / "home")
    no_crash(rc, out, err)
    assert rc == 1
    assert "tol.toml:10: step 1 (number): `tolerance.abs` must be a number, at least 0 (such as 0.01), not `'x'`" in out
    rc, out, err = tutor("--lang", "zh", "lint", str(folder), home=tmp_path / "home")
    assert "第 1 步（number）：`tolerance.abs` 必须是不小于 0 的数（例如 0.01），不能是 `'x'`" in out


@pytest.mark.parametrize("tolerance", ['{abs = "x"}', "{rel = -1}", "{rel = nan}", "{absolute = 0.1}"])
def test_a_bad_tolerance_never_reaches_a_wrong_answer(tolerance, tmp_path):
    lesson_folder(tmp_path, "tol", BAD_TOLERANCE.replace('{abs = "x"}', tolerance))
    rc, out, err = tutor("start", "--plain", "--lessons", "lessons", "tol", home=tmp_path / "home",
                         stdin="5\n4\n", cwd=tmp_path)
    no_crash(rc, out, err)
    assert "`tolerance" in out
    assert "What is 2 + 2?" not in out  # refused at load, before the question is asked

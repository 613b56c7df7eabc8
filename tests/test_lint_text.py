"""A Chinese author or learner reads lesson-file problems in Chinese: every problem lint can
find, a lesson that is not there, a broken lesson file at `start`."""

from __future__ import annotations

import re

import pytest

from derivtutor.commands import cli
from derivtutor.teaching import lessons, lint, lint_text

CODE = re.compile(r"`[^`]*`")
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]{2,})+")
KINDS = {"say", "predict", "number", "expression", "derivative", "choice", "experiment", "graph", "TOML"}

HEAD = 'id = "t"\ntitle = "t"\nsummary = "s"\n'
BROKEN = {
    "no_fields": '[[steps]]\nkind = "say"\ntext = "x"\n',
    "no_steps": HEAD,
    "bad_toml": HEAD + "[[steps]\n",
    "step_not_table": HEAD + 'steps = [1]\n',
    "bad_kind": HEAD + '[[steps]]\nkind = "numbr"\nid = "a"\ntext = "t"\n',
    "missing_and_unknown": HEAD + '[[steps]]\nkind = "number"\ntext = "t"\nanswr = "3"\n',
    "wrong_type": HEAD + '[[steps]]\nkind = "number"\nid = "a"\ntext = 3\nanswer = "3"\n',
    "choice_range": HEAD + '[[steps]]\nkind = "choice"\nid = "a"\ntext = "t"\noptions = ["x", "y"]\nanswer = 5\n',
    "experiment_ask": HEAD + '[[steps]]\nkind = "experiment"\nid = "a"\ntext = "t"\nask = "frob"\n',
    "graph_ask": HEAD + '[[steps]]\nkind = "graph"\nid = "a"\ntext = "t"\ngraph = "g"\nask = { frob = 1 }\n',
    "no_graph": HEAD + '[[steps]]\nkind = "graph"\nid = "a"\ntext = "t"\ngraph = "g"\nask = { value = "c" }\n',
    "bad_graph": HEAD + '[graphs.g]\nnodes = 3\n[[steps]]\nkind = "say"\nid = "a"\ntext = "t"\n',
    "same_id": HEAD + '[[steps]]\nkind = "say"\nid = "a"\ntext = "t"\n[[steps]]\nkind = "say"\nid = "a"\ntext = "u"\n',
    "placeholder": HEAD + '[[steps]]\nkind = "say"\nid = "a"\ntext = "{nothing}"\nhints = [1]\nskills = ["frob"]\n',
    "values": HEAD + 'values = 3\n[[steps]]\nkind = "say"\nid = "a"\ntext = "t"\n',
    "computed": HEAD + '[values.k]\nforward = "w^2"\nfoo = 1\n[values.m]\nvalue = "w"\n[values.n]\nforward = "w^2"\n'
                       'at = { w = 1 }\n[[steps]]\nkind = "say"\nid = "a"\ntext = "t"\n',
    "math": HEAD + '[[steps]]\nkind = "number"\nid = "a"\ntext = "t"\nanswer = "w^"\n'
                   '[[steps]]\nkind = "number"\nid = "b"\ntext = "t"\nanswer = "1/0"\n'
                   '[[steps]]\nkind = "derivative"\nid = "c"\ntext = "t"\nJ = "w x"\n'
                   '[[steps]]\nkind = "choice"\nid = "d"\ntext = "t"\noptions = ["", "x"]\nanswer = 1\n'
                   '[[steps]]\nkind = "expression"\nid = "e"\ntext = "t"\nanswer = "w^2"\n'
                   'anticipate = [{ answer = "w^2", say = "s" }, { answer = "w", say = "s" }, { answer = "w", say = "s" }]\n'
                   '[[steps]]\nkind = "number"\nid = "f"\ntext = "t"\nanswer = "{later}"\n',
}


def english(text: str) -> list[str]:
    bare = CODE.sub(" ", text.split(": ", 1)[-1])  # file:line stays as editors read it
    return [m for m in ENGLISH.findall(bare) if not set(re.split(r"[ ,'-]+", m)) <= KINDS]


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_every_problem_lint_finds_reads_in_chinese(tmp_path, name, chinese):
    path = tmp_path / "lesson.toml"
    path.write_text(BROKEN[name], encoding="utf-8")
    problems = lint.lint([str(path)])
    assert problems, name
    for problem in problems:
        text = lint_text.problem_text(problem, "zh")
        assert text.startswith(f"{path}:{problem.line}: ") and not english(text), (problem.message, text)
        assert lint_text.problem_text(problem, "en") == str(problem)


def test_lint_prints_chinese_on_the_command_line(tmp_path, capsys, chinese):
    path = tmp_path / "lesson.toml"
    path.write_text(BROKEN["bad_kind"], encoding="utf-8")
    assert cli.main(["--lang", "zh", "lint", str(path)]) == 1
    out = capsys.readouterr()
    assert "第 1 步：`kind` 必须是 `say`、`predict`、`number`" in out.out and "（你是想写 `number` 吗？）" in out.out
    assert "发现 1 个问题。" in out.err


def test_a_lesson_that_is_not_there_is_said_in_chinese(capsys, chinese):
    assert cli.main(["--lang", "zh", "--plain", "start", "lesson9"]) == 2
    said = capsys.readouterr()
    shown = " ".join((said.out + said.err).split())
    assert "没有找到课程 `lesson9`。你是想找 `lesson4` 吗？现有的课程：lesson1、 lesson2、lesson3" in shown
    err = lessons.LessonNotFound("lesson9", ["lesson1", "lesson2"])
    assert err.localized("en") == str(err) and str(err).startswith("There is no lesson `lesson9`. Did you mean")

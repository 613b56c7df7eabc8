"""How Chinese sentences read: points and lists with 、, a nudge that stays small, numbers as typed."""

from __future__ import annotations

import pytest

from derivtutor.text import i18n
from derivtutor.teaching import lessons
from derivtutor.teaching.runner import Runner


pytestmark = pytest.mark.usefixtures("chinese")  # tests/conftest.py


def zh_runner(n: int, step_id: str) -> Runner:
    run = Runner(lessons.load(lessons.shipped_dir() / "zh" / f"lesson{n}.toml", "zh"), lang="zh")
    run.start()
    while run.step.id != step_id:
        run.answer("跳过")
    return run


def said(messages) -> str:
    return "\n".join(m.plain() for m in messages)


def test_a_counterexample_point_reads_as_chinese_with_a_small_nudge():
    run = zh_runner(1, "expand-square")
    out = said(run.answer("2"))
    assert "在 w = 2、ε = 0.1 处，你的表达式等于 2，而正确的表达式等于 4.41。" in out


def test_a_point_in_english_keeps_its_commas():
    run = Runner(lessons.load(lessons.shipped_dir() / "lesson1.toml", "en"), lang="en")
    run.start()
    while run.step.id != "expand-square":
        run.answer("skip")
    assert "at w = 2, ε = 0.1 your expression gives 2" in said(run.answer("2"))


def test_listing_gives_each_language_its_separator():
    point = i18n.listing(["w = 2", "x = 3"], math=True)
    assert i18n.tr("在 {p} 处", "zh", p=point) == "在 $w = 2$、$x = 3$ 处"
    assert i18n.tr("at {p}", "en", p=point) == "at $w = 2, x = 3$"


def test_the_variables_a_lesson_offers_are_listed_with_the_chinese_mark():
    run = zh_runner(3, "lab-dJ-dw-formula")
    assert "可用的变量是 d、x。" in said(run.answer("w"))


def test_a_j_of_several_variables_is_answered_in_partial_notation():
    run = zh_runner(4, "dJ-dw")
    for _ in range(3):
        out = run.answer("2")
    assert "来看答案：∂J/∂w = " in said(out) and "dJ/dw" not in said(out)


def test_a_graph_step_names_its_partials_with_the_curly_d():
    run = zh_runner(3, "lab-dJ-dd")
    out = said(run.answer("2"))
    assert "你的数是 ∂J/∂d 在另一个 d" in out and "dJ/dd" not in out


def test_a_decimal_typed_comes_back_as_that_decimal():
    run = zh_runner(1, "gd-step")
    assert "对了：2.4。" in said(run.answer("２．４"))
    run = zh_runner(1, "own-J")
    out = said(run.answer("０．１"))
    assert "我把它理解为 0.1" in out and "对于 J = 0.1，" in out and "1/10" not in out


def test_a_fraction_typed_still_gets_its_decimal_beside_it():
    run = zh_runner(1, "gd-step")
    assert "对了：12/5 = 2.4。" in said(run.answer("12/5"))


def test_a_gap_is_a_size_with_a_direction_never_a_negative_number():
    run = zh_runner(2, "predict-2w-at-3")
    out = said(run.answer("2"))
    assert "计算机算出的 k 比它小 2.2e-13" in out and "-2.2e-13" not in out
    run = zh_runner(1, "predict-w2-at-3")
    assert "所以 k 比导数大 0.001，" in said(run.answer("6"))


def test_the_chain_rule_analogy_is_one_a_chinese_reader_knows():
    text = (lessons.shipped_dir() / "zh" / "lesson3.toml").read_text(encoding="utf-8")
    assert "欧元" not in text and "克朗" not in text and "1 箱装 {d_sq_aw} 盒" in text
    assert "往左" not in text and "从右往左" not in text  # the graph is drawn top to bottom


def test_a_traditional_chinese_locale_is_told_even_before_help(monkeypatch, capsys):
    from derivtutor.commands import cli

    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "zh_HK.UTF-8")
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    said = capsys.readouterr()
    assert said.err.strip() == i18n.TRADITIONAL_NOTICE and said.out.startswith("用法：")
    with pytest.raises(SystemExit):
        cli.main(["--lang", "en", "--help"])
    assert not capsys.readouterr().err


def test_progress_in_plain_text_reads_as_chinese():
    from derivtutor.progress import mastery
    from derivtutor.teaching import skills

    lines = mastery.progress_lines({"evaluate": {"level": 0.5, "answered": 1}}, "zh", chart=False)
    assert f"{skills.name('evaluate', 'zh')}：50%（已答 1 题）" in lines


def test_close_in_the_last_digit_is_said_only_of_a_rounding_slip():
    run = zh_runner(1, "value-inv-at-2")
    out = said(run.answer("2"))
    assert "最后一位" not in out and "2 太大了" in out
    run = zh_runner(1, "J-at-3.001")
    assert "很接近：9.005 的最后一位不对" in said(run.answer("9.005"))


def test_practice_names_the_chinese_command_words():
    from derivtutor.progress.practice import PracticeSession

    session = PracticeSession("power", "zh", seed=1, count=2)
    session.start()
    helped = said(session.answer("帮助"))
    assert "提示    hint" in helped and "退出    quit" in helped
    assert "输入 `提示` 看提示" in said(session.answer("2"))


def test_an_experiment_on_the_learners_own_function_speaks_of_that_function(tmp_path):
    path = tmp_path / "lesson.toml"
    path.write_text('id = "t"\ntitle = "试验"\nsummary = "s"\n[[steps]]\nid = "own"\nkind = "experiment"\n'
                    'ask = "J"\nat = { w = 2 }\nrounds = 5\ntext = "输入一个函数。"\n', encoding="utf-8")
    run = Runner(lessons.load(path, "zh"), lang="zh")
    run.start()
    assert "ln(w − 2) 在 w = 2 处没有定义：对数里面必须是正数。" in said(run.answer("ln(w - 2)"))
    assert "√(w − 2) 在 w = 2 处不可导" in said(run.answer("sqrt(w - 2)"))
    assert "对于 J = 0.5·w²：dJ/dw = w；在 w = 2 处等于 2，ε = 0.001 时前向差分为 2.0004999999998496。" in said(run.answer("０．５w^2"))


def test_a_lesson_whose_math_is_broken_says_so_in_chinese(tmp_path):
    path = tmp_path / "lesson.toml"
    path.write_text('id = "t"\ntitle = "坏课"\nsummary = "s"\n[[steps]]\nid = "a"\nkind = "number"\n'
                    'text = "多少？"\nanswer = "w^"\n', encoding="utf-8")
    run = Runner(lessons.load(path, "zh"), lang="zh")
    out = run.start()
    assert out[0].text.startswith("这个课程文件有 1 个问题，无法运行。")
    assert "第 1 步（number）：`w^` 不是数：`^` 后面缺少内容。" in out[0].block


def test_a_file_error_is_said_in_the_learners_language(tmp_path):
    """strerror is English only: the reason a file cannot be used comes from our own table."""
    from derivtutor.text import i18n

    err = OSError(2, "No such file or directory")
    assert i18n.tr(i18n.os_reason(err), "zh") == "文件或文件夹不存在"
    assert i18n.tr(i18n.os_reason(err), "en") == "no such file or folder"
    assert "系统错误" in i18n.tr(i18n.os_reason(OSError(9999, "Odd")), "zh")


def test_a_wrong_choice_in_chinese_points_at_the_usage_line_not_an_english_list():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "derivtutor", "export", "--format", "xx", "--lang", "zh"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "无效的选择：'xx'" in done.stderr and "{json,csv}" in done.stderr
    assert "', '" not in done.stderr  # argparse's own ASCII list

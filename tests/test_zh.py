"""A Chinese learner's sessions: every lesson and free play driven with wrong answers, hints,
Chinese command words, full-width input and broken input; nothing English may reach the
screen outside code marks and math, and the glossary's terms are the only ones used."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import derivtutor
from derivtutor.text import glossary, i18n, words
from derivtutor.teaching import lessons
from derivtutor.teaching.lesson_model import Lesson
from derivtutor.play.play import PlaySession
from derivtutor.teaching.runner import Runner

CODE_OR_MATH = re.compile(r"`[^`]*`|\$[^$]*\$")
# Two English words in a row (not function names or command words) make an English phrase.
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]{2,})+\b")
MATH_WORDS = {"sin", "cos", "tan", "exp", "ln", "log", "sqrt", "tanh", "abs", "diff", "subs", "dJ", "dw",
              "SymPy", "Tab", "Ctrl", "JSON", "csv", "json", "bug", "errors", "quiz", "NAME", "VALUE"}
MATH_WORDS |= set(words.ALL_COMMANDS) | {"atan", "asin", "acos", "du", "dv", "dx", "sinh", "cosh", "sign", "sigmoid",
                                         "relu", "softplus"}

WRONG_AND_HOSTILE = ["2", "-1", "w^", "9。", "０．１", "（2）", "abc", "J(w,", "ln(w - 2)", "1/0", "wx",
                     "α（x²＋1）", "x y z", "√", "2**99999999", "\x07", "hint", "提示", "不知道", "？", "?",
                     "为什么", "重复", "帮助", "进度", "下一步",
                     # errors of every layer: parser, line cap, calculus, huge values, control characters
                     "hnt", "wrt w", "at w=2", "a" * 2100, "1e999", "0/0", "x**x**x**x", "（", "３＋", "J(w, b)",
                     "sin(", "w)", "\x1b[31m", "ｗ＾２", "我不会", "ln(0)", "sqrt(-1)", "diff(w^2, w)"]
PLAY_LINES = ["帮助", "J ＝ w x + w²", "at w＝2，x＝3", "显示", "表格", "graph", "wrt q", "梯度", "eps 5",
              "eps -1", "plot", "保存", "跳过", "frob", "J = ln(w-2)", "at w=2", "显示", "J = x y", "wx",
              "J = 1/(w-1)", "at w=1", "show", "2w", "不知道", "？",
              "help", "J = w^", "J = 2**99999999", "at w=abc", "eps 0", "wrt", "grad", "check 2w",
              "J = x^x^x^x", "at x=9", "show", "J = |w|", "at w=0", "show", "table", "plot", "plot errors",
              "graph", "graph quiz", "2", "skip", "J = sin(w)/w", "at w=0", "table", "let w = 1", "w = 3",
              "a" * 2100, "\x1b[2J", "J ＝ ｗ＾２", "显示", "退出"]


def english(text: str) -> list[str]:
    bare = CODE_OR_MATH.sub(" ", text)
    found = []
    for match in ENGLISH.finditer(bare):
        phrase = [w for w in re.split(r"[ ,'-]+", match.group(0)) if w not in MATH_WORDS]
        if len(phrase) >= 2:
            found.append(match.group(0))
    return found


def shown(messages) -> list[str]:
    return [part for m in messages for part in (m.text, m.block) if part]


pytestmark = pytest.mark.usefixtures("chinese")  # tests/conftest.py


def zh_lesson(n: int) -> Lesson:
    return lessons.load(lessons.shipped_dir() / "zh" / f"lesson{n}.toml", "zh")


@pytest.mark.parametrize("n", (1, 2, 3, 4))
def test_a_chinese_lesson_never_speaks_english(n):
    run = Runner(zh_lesson(n), lang="zh")
    screen = shown(run.start())
    while not run.done:
        step = run.step.id
        for line in WRONG_AND_HOSTILE:
            if run.done or run.step.id != step:
                break
            screen += shown(run.answer(line))
        if not run.done and run.step.id == step:
            screen += shown(run.answer("跳过"))
    bad = [(text, english(text)) for text in screen if english(text)]
    assert not bad, bad[:5]
    doubled = [text for text in screen if re.search(r"[。，：；][。，：；]", text)]
    assert not doubled, doubled[:5]  # never "。。" or "：。"
    closing = [text for text in screen if text.startswith("本课完成")]
    assert closing and not [text for text in closing if "。 " in text], closing


def test_free_play_in_chinese_never_speaks_english():
    play = PlaySession(lang="zh", plain=True, width=70)
    screen = shown(play.start())
    for line in PLAY_LINES:
        screen += shown(play.answer(line))
    bad = [(text, english(text)) for text in screen if english(text)]
    assert not bad, bad[:5]
    assert play.title == "自由练习"


@pytest.mark.parametrize("line,command", [("返回", "back"), ("下一步", "next"), ("不知道", "hint"),
                                          ("？", "help"), ("提示。", "hint"), ("重复", "repeat"),
                                          ("帮助", "help"), ("退出", "quit")])
def test_chinese_command_words_are_commands(line, command):
    from derivtutor.algebra.mathnames import normalize

    key = words.command_key(normalize(line))
    assert words.LESSON_ALIASES.get(key, key) == command


def test_retry_lines_and_help_name_the_chinese_words():
    from derivtutor.teaching.runner import T

    assert "`提示`" in i18n.tr(T["try_again"], "zh")
    helped = i18n.tr(T["help"], "zh")
    for command in words.LESSON_COMMANDS:
        assert command in helped and words.zh_word(command) in helped
    assert "next" in i18n.tr(T["help"], "en")


def test_tab_completes_chinese_words():
    from derivtutor.terminal.completion import candidates

    offered = [w for w, kind in candidates(["hint", "next", "back", "w"], "zh") if kind == "command"]
    assert {"提示", "下一步", "返回", "不知道"} <= set(offered)
    assert "提示" not in [w for w, _ in candidates(["hint"], "en")]


def test_argparse_speaks_chinese(capsys):
    from derivtutor.commands import cli

    with pytest.raises(SystemExit):
        cli.main(["--lang", "zh", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：") and "选项：" in out and "显示这份帮助并退出" in out
    helps = [line.split("  ")[-1] for line in out.splitlines() if "[" not in line and "derivtutor" not in line]
    assert not [h for h in helps if english(h)], out
    with pytest.raises(SystemExit):
        cli.main(["--lang", "zh", "check"])
    err = capsys.readouterr().err
    assert "缺少以下参数：J, ANSWER" in err and "error" not in err
    with pytest.raises(SystemExit):
        cli.main(["--lang", "zh", "frob"])
    assert "无效的选择" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["--lang", "en", "frob"])
    assert "invalid choice" in capsys.readouterr().err


def test_every_help_text_has_a_chinese_form():
    import argparse

    from derivtutor.commands import cli, cli_zh

    for command in cli.COMMANDS:
        parser = cli.build_parser(command.name)
        subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        for action in parser._actions + subparsers.choices[command.name]._actions:
            if action.help and action.help is not argparse.SUPPRESS:
                with cli_zh.speaking("zh"):
                    assert cli_zh.translate(action.help) != action.help, action.help


def test_the_locale_picks_chinese(monkeypatch):
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANGUAGE", "zh_CN:en")
    assert i18n.detect_language() == "zh" and not i18n.traditional_locale()
    monkeypatch.setenv("LANGUAGE", "zh_TW")
    assert i18n.detect_language() == "zh" and i18n.traditional_locale()


# --- one word for one idea -----------------------------------------------------------------------

def test_the_chinese_lessons_use_the_glossary_terms():
    for n in (1, 2, 3, 4):
        text = (lessons.shipped_dir() / "zh" / f"lesson{n}.toml").read_text(encoding="utf-8")
        assert not glossary.coined(text), (n, glossary.coined(text))
    whole = "".join((lessons.shipped_dir() / "zh" / f"lesson{n}.toml").read_text(encoding="utf-8") for n in (1, 2, 3, 4))
    for key in ("derivative", "partial", "chain_rule", "backprop", "graph", "difference_quotient",
                "forward_difference", "central_difference", "truncation_error", "roundoff_error",
                "learning_rate", "gradient_descent", "gradient_check", "nudge"):
        assert glossary.term(key) in whole, key


def test_the_nudge_is_defined_where_it_is_introduced():
    nudge = glossary.terms()["nudge"]
    first = (lessons.shipped_dir() / "zh" / f"{nudge.introduced}.toml").read_text(encoding="utf-8")
    assert f"叫作{nudge.zh}" in first


MODULES = {m.name.rsplit(".", 1)[-1]: m.name for m in pkgutil.walk_packages(derivtutor.__path__, "derivtutor.")
           if not m.ispkg and not m.name.endswith("__main__")}  # every module, whichever layer holds it
UI_MODULES = tuple(sorted(MODULES))


def _zh_strings(value):
    if isinstance(value, dict):
        if "zh" in value and isinstance(value["zh"], str):
            yield value["zh"]
        for v in value.values():
            yield from _zh_strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _zh_strings(v)


@pytest.mark.parametrize("name", UI_MODULES)
def test_the_interface_tables_use_the_glossary_terms(name):
    module = importlib.import_module(MODULES[name])
    tables = [v for v in vars(module).values() if isinstance(v, (dict, list, tuple))]
    strings = [s for t in tables for s in _zh_strings(t)]
    if name == "cli_zh":
        strings = list(module.ZH.values())
    if name == "lint_text":
        strings += [zh for _, zh in module._PATTERNS]
    assert not [(s, glossary.coined(s)) for s in strings if glossary.coined(s)]


CLI_RUNS = [["explain", "w^"], ["explain", "ln(w-2)", "--at", "w=2"], ["explain", "w*x"], ["explain", "5"],
            ["explain", "w^2", "--eps", "5"], ["check", "w^3", "3w"], ["check", "w^3", "J"], ["check", "w*x", "2"],
            ["check", "1/w", "1", "--at", "w=0"], ["check", "w^2", "abc("], ["check", "w^", "2"],
            ["practice", "frob"], ["progress"], ["progress", "--plain"], ["review", "nolesson"], ["start", "lesson9"],
            ["lint", "nowhere.toml"], ["export", "--format", "xml"], ["frob"], ["list"]]


@pytest.mark.parametrize("argv", CLI_RUNS, ids=lambda a: " ".join(a))
def test_every_command_and_its_errors_speak_chinese(argv, capsys, monkeypatch, tmp_path):
    from derivtutor.commands import cli

    monkeypatch.setenv("DERIVTUTOR_HOME", str(tmp_path))
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(""))
    try:
        cli.main(["--lang", "zh", "--plain", *argv])
    except SystemExit:
        pass
    said = capsys.readouterr()
    lines = [line.split("：", 1)[-1] for line in (said.out + said.err).splitlines()
             if not line.startswith(("用法：", " "))]  # argparse's usage line is the syntax itself
    # a command to type and argparse's quoted choices are what the learner types, not sentences
    bad = [line for line in lines if english(re.sub(r"'[^']*'|derivtutor [a-z]+ ?\w*", " ", line))]
    assert not bad, (argv, bad)
    assert said.out + said.err


PRACTICE_LINES = ["2", "w^", "wx", "提示", "不知道", "为什么", "跳过", "０．１", "ln(0)", "hnt", "？", "返回", "2",
                  "跳过", "2", "跳过"]
LAB_LINES = ["x = 1", "print(x)", "import os", "open('f')", "x +", "y", "1/0", "帮助", "help", "def f(): pass",
             "for i in range(3): print(i)", "__import__('os')", "import sympy", "from sympy import *",
             "w = symbols('w')", "diff(w**2, w)", "a[0]", "{1, 2}", "3 ^ 2", "退出"]


@pytest.mark.parametrize("skill", __import__("derivtutor.teaching.skills", fromlist=["IDS"]).IDS)
def test_practice_in_chinese_never_speaks_english(skill):
    from derivtutor.progress.practice import PracticeSession

    session = PracticeSession(skill, "zh", seed=1, count=3)
    screen = shown(session.start())
    for line in PRACTICE_LINES:
        if getattr(session, "done", False):
            break
        screen += shown(session.answer(line))
    bad = [(text, english(text)) for text in screen if english(text)]
    assert not bad, bad[:5]


def test_the_lab_in_chinese_never_speaks_english():
    from derivtutor.lab.lab_session import LabSession

    lab = LabSession("zh")
    screen = shown(lab.start())
    for line in LAB_LINES:
        screen += shown(lab.answer(line))
    bad = [(text, english(text)) for text in screen if english(text)]
    assert not bad, bad[:5]
    assert any("`for` 循环" in text for text in screen)


# Single English words a Chinese sentence may hold: names of things the learner types or reads
# in code (Python, SymPy), and the command words (listed with their Chinese ones).
ALLOWED_WORDS = MATH_WORDS | {"Python", "SymPy", "bug", "wrt", "let", "eps", "TOML", "sympy", "print",
                              "symbols", "derivtutor", "review", "lesson"}


def test_no_lone_english_word_in_a_chinese_sentence():
    words_seen = {}
    for n in (1, 2, 3, 4):
        run = Runner(zh_lesson(n), lang="zh")
        texts = [m.text for m in run.start()]
        while not run.done:
            step = run.step.id
            for line in WRONG_AND_HOSTILE[:12]:
                if run.done or run.step.id != step:
                    break
                texts += [m.text for m in run.answer(line)]
            if not run.done and run.step.id == step:
                texts += [m.text for m in run.answer("跳过")]
        for text in texts:
            for word in re.findall(r"[A-Za-z]{3,}", CODE_OR_MATH.sub(" ", text)):
                if word not in ALLOWED_WORDS and not text.startswith("回答问题"):  # the help table pairs the words
                    words_seen.setdefault(word, text)
    assert not words_seen, words_seen

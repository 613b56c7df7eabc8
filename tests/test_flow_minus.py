"""One rule for minus signs: − (U+2212) in the maths the tutor writes; ASCII '-' only in code and the lab."""

import os
import re
import subprocess
import sys

from derivtutor.teaching import lessons
from derivtutor.terminal import render
from derivtutor.lab.lab_session import LabSession
from derivtutor.text.messages import Message
from derivtutor.teaching.runner import Runner

ASCII_MINUS_NUMBER = re.compile(r"(?<![\w.)\]}])-(?=\.?\d)")


def outside_code(text):
    return re.sub(r"`[^`\n]+`", "", text)


def skipped_transcript(n, lang="en"):
    path = lessons.shipped_dir() / ("zh/" if lang == "zh" else "") / f"lesson{n}.toml"
    runner = Runner(lessons.load(path, lang), lang=lang)
    out = runner.start()
    while not runner.done:
        out += runner.answer("skip")
    return render.to_plain(out, width=100, lang=lang)


def test_the_nudge_and_the_exact_value_carry_the_same_minus():
    said = skipped_transcript(2)
    assert "The nudge gives −0.2498750624687629, against the exact −1/4." in said
    assert "−0.031238285155041345" in said
    for lang in ("en", "zh"):
        for n in (1, 2, 3, 4):
            said = outside_code(skipped_transcript(n, lang))
            assert not ASCII_MINUS_NUMBER.search(said), (n, lang, ASCII_MINUS_NUMBER.search(said))


def test_code_keeps_python_minus_and_words_keep_their_hyphens():
    shown = render.to_plain([Message("say", "In SymPy, `J.subs([(w, -3)])` gives $-6$; a right-to-left "
                                            "pass over 10-15 digits, k = -0.5, ε = 1e-7.")], width=200)
    assert "`J.subs([(w, -3)])`" in shown
    assert "gives −6;" in shown and "right-to-left" in shown and "10-15 digits" in shown
    assert "k = −0.5" in shown and "1e−7" in shown


def test_a_formula_and_a_table_use_the_true_minus_and_keep_their_columns():
    table = "ε      forward\n1e-1   -0.030116002379535975\n1e-2   -0.031133201907947855"
    shown = render.to_plain([Message("math", "$dJ/dw = -1/w^2$"), Message("block", block=table)], width=80)
    assert "dJ/dw = −1/w^2" in shown
    rows = [line for line in shown.splitlines() if "0.03" in line]
    assert [row.index("−0.03") - row.index("1e") for row in rows] == [7, 7]  # columns as in the table


def test_the_lab_console_prints_python_character_for_character():
    lab = LabSession(lang="en")
    lab.start()
    lab.answer("x = -0.5")
    shown = render.to_plain(lab.answer("x") + lab.answer('print(f"k = {x*2}")'), width=80)
    assert "-0.5" in shown and "k = -1.0" in shown and "−" not in shown


def test_explain_and_check_follow_the_rule(tmp_path):
    env = dict(os.environ, DERIVTUTOR_HOME=str(tmp_path))
    env.pop("NO_COLOR", None)
    out = subprocess.run([sys.executable, "-m", "derivtutor", "explain", "1/w^2", "--at", "w=4"],
                         capture_output=True, text=True, encoding="utf-8", env=env, timeout=120).stdout
    assert "dJ/dw = −1/32   (decimal −0.03125)" in out
    assert "= −0.031238285155041345" in out
    assert not ASCII_MINUS_NUMBER.search(out)
    out = subprocess.run([sys.executable, "-m", "derivtutor", "check", "1/w", "1/w^2", "--at", "w=2"],
                         capture_output=True, text=True, encoding="utf-8", env=env, timeout=120).stdout
    assert "−1/w²" in out and not ASCII_MINUS_NUMBER.search(out)

"""`derivtutor progress` and `export` as a learner and an instructor read them."""

import json
import os
import re
import subprocess
import sys
from datetime import date

import pytest

from derivtutor.commands import cmd_progress as cmd
from derivtutor.progress import mastery
from derivtutor.progress.store import Store

ENTRY = {"done": 6, "total": 18, "complete": False, "answered": 8, "accuracy": 0.75, "hints": 6,
         "seconds": 125.0, "first_try": 6}
TITLES = {"lesson1": "What a derivative is, and how to measure one by nudging w"}


def report(lang, columns):
    lines = cmd.progress_lines({"lesson1": ENTRY}, TITLES, [("2024-05-10", 5)], date(2024, 5, 10), lang,
                               chart=True, columns=columns)
    known = {"power": {"level": 0.63, "answered": 4}, "forward_difference": {"level": 0.47, "answered": 3}}
    lines += [""] + mastery.progress_lines(known, lang, True)
    return cmd.fit(lines, columns)


@pytest.mark.parametrize("columns", [100, 80, 60, 40])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_progress_fits_the_terminal_and_never_cuts_a_word(lang, columns):
    shown = report(lang, columns)
    assert all(cmd._width(line) <= columns for line in shown), [l for l in shown if cmd._width(l) > columns]
    whole = " ".join(cmd.progress_lines({"lesson1": ENTRY}, TITLES, [("2024-05-10", 5)], date(2024, 5, 10),
                                        lang, chart=True, columns=columns)).split()
    words = " ".join(shown).split()
    for word in whole:
        if lang == "en":
            assert word in words, word  # every word is on one line, whole
    if lang == "en":
        assert "hints" in words and "answered" in words


def test_the_two_weeks_chart_says_its_scale():
    shown = "\n".join(report("en", 100))
    assert "Last 14 days" in shown and "13 days ago … today; █ = 5 answered steps" in shown
    zh = "\n".join(report("zh", 100))
    assert "13 天前 … 今天" in zh


def test_export_rounds_seconds_so_an_instructor_sees_no_float_noise(tmp_path):
    store = Store.open(tmp_path)
    store.record({"lesson": "lesson1", "step": "J-at-3", "kind": "number", "correct": True, "attempts": 1,
                  "hints": 0, "seconds": 595.4529999999997, "answer": "9"})
    store.close()
    env = dict(os.environ, DERIVTUTOR_HOME=str(tmp_path))
    run = lambda *a: subprocess.run([sys.executable, "-m", "derivtutor", "export", *a], capture_output=True,
                                    text=True, encoding="utf-8", env=env, timeout=120).stdout
    csv_text, json_text = run("--format", "csv"), run("--format", "json")
    assert ",595.453," in csv_text and "595.45299" not in csv_text
    assert json.loads(json_text)["attempts"][0]["seconds"] == 595.453
    assert not re.search(r"\d\.\d{12,}", csv_text + json_text)

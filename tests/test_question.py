"""The question core as a learner meets it: one try counted per answer, the corrected answer
only when tries run out, the author's sentence for an anticipated answer, honest scores."""

import argparse
import io

from derivtutor.teaching import answers, kinds, lessons, question
from derivtutor.teaching.kinds.base import J_of
from derivtutor.algebra import mathinput
from derivtutor.play.play import PlaySession
from derivtutor.teaching.runner import Runner
from derivtutor.progress.store import Store


def lesson(name, lang="en"):
    return lessons.load(lessons.find(name, lang) if hasattr(lessons, "find") else lessons.shipped_dir() / f"{name}.toml", lang)


def at(runner, step_id):
    runner.start()
    while runner.step.id != step_id:
        runner.answer("skip")
    return runner


def text(messages):
    return "\n".join(m.text or "" for m in messages)


def right_answer(runner):
    """What a learner who knows the answer types (computed as the runner computes it)."""
    step = runner.step
    if step.kind == "experiment":
        return "next"
    if step.kind == "choice":
        return str(step.get("answer"))
    if step.kind == "code":  # a line of the labs' Python: the author's working line
        return step.get("solution")
    expected = kinds.expected(runner.lesson, step, runner.saved)
    if isinstance(expected, answers.Computed):
        return mathinput.show(expected.exact) if expected.exact is not None else repr(expected.decimal)
    if step.kind == "predict":
        J, wrt = J_of(step)
        return mathinput.show(expected.subs(answers.point(step.get("at"), runner.saved)))
    return mathinput.show(expected).replace("−", "-")


def test_exact_please_refuses_a_rounded_decimal_and_names_the_anticipated_slip():
    for lang in ("en", "zh"):
        runner = at(Runner(lessons.load(lessons.shipped_dir() / ("zh/" if lang == "zh" else "") / "lesson1.toml", lang), lang=lang), "J-at-3.001")
        first = runner.answer("9.006")
        assert not any(m.kind == "feedback" and m.ok for m in first) and runner.step.id == "J-at-3.001"
        slip = runner.answer("9.003")
        assert ("middle term twice" if lang == "en" else "中间项要算两次") in text(slip)
        assert runner.tries == 2
        right = runner.answer("9.006001")
        assert any(m.kind == "feedback" and m.ok for m in right)
        assert runner.events[-1]["outcome"] == "after_help" and runner.events[-1]["attempts"] == 3


def test_the_first_wrong_try_does_not_show_the_corrected_answer():
    runner = at(Runner(lessons.load(lessons.shipped_dir() / "lesson2.toml")), "d-w2")
    said = text(runner.answer("w"))  # the power rule's exponent dropped: a named mistake, no answer yet
    assert "corrected" not in said and "2·w" not in said.split("Yours")[0] + said.split(";")[-1]
    assert "Try again" in said
    runner.answer("3w")
    last = text(runner.answer("w"))
    assert "2·w" in last  # tries ran out: now the answer is shown


def test_the_cost_J_is_not_answered_by_its_own_name():
    runner = at(Runner(lessons.load(lessons.shipped_dir() / "lesson3.toml")), "lab-J")
    said = runner.answer("J")
    assert runner.step.id == "lab-J" and runner.tries == 0 and said[0].kind == "error"


def test_next_at_a_graded_question_says_what_it_does_and_does_not_skip():
    runner = at(Runner(lessons.load(lessons.shipped_dir() / "lesson2.toml")), "d-2w")
    said = text(runner.answer("next"))
    assert runner.step.id == "d-2w" and "skip" in said and "Skipped" not in said


def test_one_wrong_first_try_is_not_a_perfect_score_in_the_summary_store_and_export():
    runner = Runner(lessons.load(lessons.shipped_dir() / "lesson2.toml"))
    runner.start()
    store = Store.memory()
    runner.answer("5w")  # one wrong first try at d-w2
    last = []
    while not runner.done:
        last = runner.answer(right_answer(runner))
    for event in runner.events:
        store.record(event)
    summary = text(last)
    graded = sum(1 for s in runner.lesson.steps if s.graded)
    assert f"{graded - 1} of {graded} right first time, 1 after a hint or a wrong try" in summary
    entry = store.progress_summary()["lesson2"]
    assert entry["first_try"] == graded - 1 and entry["after_help"] == 1 and entry["accuracy"] < 1
    assert [a["outcome"] for a in store.attempts()].count("first_try") == graded - 1


def test_an_all_skipped_lesson_does_not_end_with_well_done():
    for lang, praise in (("en", "Well done"), ("zh", "做得好")):
        runner = Runner(lessons.load(lessons.shipped_dir() / ("zh/" if lang == "zh" else "") / "lesson2.toml", lang), lang=lang)
        runner.start()
        last = []
        while not runner.done:
            last = runner.answer("skip") if runner.step.kind != "experiment" else runner.answer("next")
        assert praise not in text(last) and "review" in text(last)
        assert {e["outcome"] for e in runner.events if e["kind"] != "experiment"} == {"skipped"}


def test_outcome_words():
    assert question.outcome_of(True, 1, 0) == "first_try"
    assert question.outcome_of(True, 2, 0) == "after_help"
    assert question.outcome_of(True, 1, 1) == "after_help"
    assert question.outcome_of(False, 3, 0, revealed=True) == "revealed"
    assert question.outcome_of(False, 0, 0, revealed=True, skipped=True) == "skipped"


def test_free_play_a_right_answer_after_a_wrong_one_shows_no_old_verdict():
    play = PlaySession(lang="en", plain=True, width=80)
    play.start()
    play.answer("J = log(1+e^w)")
    wrong = text(play.answer("1/(1+e^w)"))
    right = play.answer("sigmoid(w)")
    said = text(right)
    assert [m.ok for m in right if m.kind == "feedback"] == [True]
    assert "1/(1 + e^w)" not in said and "1/(e^w + 1)" not in said and "yours" not in said.lower()
    assert said.count("Correct") + said.count("Right!") == 1
    assert wrong  # the wrong try was answered


def test_repeat_restates_the_function_of_a_short_question():
    runner = at(Runner(lessons.load(lessons.shipped_dir() / "lesson2.toml")), "d-w2-at-minus-3")
    asked = [m for m in runner.answer("repeat") if m.kind == "question"][0].text
    assert "J = w²" in asked and "−3" in asked


def test_a_skipped_prediction_shows_the_k_it_measures():
    for lang in ("en", "zh"):
        runner = at(Runner(lessons.load(lessons.shipped_dir() / ("zh/" if lang == "zh" else "") / "lesson2.toml", lang), lang=lang), "predict-2w-at-3")
        assert "1.9999999999997797" in text(runner.answer("skip"))


def test_an_experiment_says_when_it_ends():
    runner = Runner(lessons.load(lessons.shipped_dir() / "lesson1.toml"))
    runner.start()
    while not (runner.step.kind == "experiment" and runner.step.get("ask") == "eps"):
        runner.answer("skip")
    step, said = runner.step.id, []
    while runner.step.id == step:
        said = runner.answer("0.0001")
    assert "last round" in text(said)


LAB_NUMBERS = {  # the labs' printed numbers, in the lesson that computes each
    1: ["6.000999999999479", "6.000000496442226"],
    2: ["6.000999999999479", "1.9999999999997797", "12.006000999997823", "-0.2498750624687629",
        "-0.031238285155041345"],
    3: ["22.000999999988835", "66.0090000000082", "3.0004999999997395", "3.0005000000006277",
        "1.000000000000334"],
}


def skip_through(n, lang):
    path = lessons.shipped_dir() / ("zh/" if lang == "zh" else "") / f"lesson{n}.toml"
    runner = Runner(lessons.load(path, lang), lang=lang)
    out = runner.start()
    while not runner.done:
        out += runner.answer("next" if runner.step.kind == "experiment" else "skip")
    return "\n".join(f"{m.text or ''}\n{m.block or ''}" for m in out).replace("−", "-")


def test_every_lab_number_is_in_a_skip_through_transcript_in_both_languages():
    for n, numbers in LAB_NUMBERS.items():
        for lang in ("en", "zh"):
            transcript = skip_through(n, lang)
            assert [x for x in numbers if x not in transcript] == [], (n, lang)


def test_predictions_show_the_digits_they_are_about_and_no_x_equals_x():
    import re

    for n in (1, 2):
        for lang in ("en", "zh"):
            path = lessons.shipped_dir() / ("zh/" if lang == "zh" else "") / f"lesson{n}.toml"
            runner = Runner(lessons.load(path, lang), lang=lang)
            out = runner.start()
            while not runner.done:
                step = runner.step
                out += runner.answer(right_answer(runner) if step.kind == "predict" else
                                     "next" if step.kind == "experiment" else "skip")
            said = text(out)
            assert not re.search(r"(?<![\w.])(\d[\d.]*) = \1(?![\d.])", said), (n, lang)
            for table in (m.block for m in out if m.kind == "block" and m.block and "|" not in m.block):
                rows = [line.split()[-1] for line in table.splitlines()]
                if len(rows) == 3:
                    assert rows[1] != rows[2], table


def test_progress_at_100_columns_never_wraps_mid_word_and_its_chart_has_a_scale():
    from datetime import date

    from derivtutor.commands import cmd_progress as cmd

    entry = {"done": 6, "total": 18, "complete": False, "answered": 8, "accuracy": 0.75, "hints": 6,
             "seconds": 125.0, "first_try": 6}
    titles = {"lesson1": "What a derivative is, and how to measure one by nudging w"}
    lines = cmd.progress_lines({"lesson1": entry}, titles, [("2024-05-10", 5)], date(2024, 5, 10), chart=True,
                               columns=100)
    for line in "\n".join(lines).splitlines():
        assert cmd._width(line) <= 100, line
    assert "6 hints · 2 min" in "\n".join(lines)
    assert "13 days ago … today; █ = 5 answered steps" in lines[-2]


def test_lesson3_speaks_of_the_drawings_direction_not_left_and_right():
    for lang, words in (("en", ("left to right", "right to left", "right end")), ("zh", ("从左到右", "从右往左", "最右端"))):
        transcript = skip_through(3, lang)
        assert not [w for w in words if w in transcript], lang


def test_the_chain_rule_names_one_substitution_letter_throughout():
    from derivtutor.algebra import steps, steps_text

    w = mathinput.var("w")
    for J in ("e^(-w)", "e^(u - w)"):
        line = steps_text.plain_lines(steps.derive(mathinput.read_expression(J), w))[0]
        letter = line.split("let ")[1][0]
        outer = line.split(" = ")[2].split("d/d")[1][0]  # the letter of "d/dv e^v"
        assert letter == outer, line


def test_in_a_pipe_exact_please_and_export_counts_what_happened(tmp_path):
    import json
    import os
    import subprocess
    import sys

    env = dict(os.environ, DERIVTUTOR_HOME=str(tmp_path), PYTHONIOENCODING="utf-8")
    typed = "skip\n9.006\n9.006001\nquit\n"
    run = subprocess.run([sys.executable, "-m", "derivtutor", "start", "lesson1"], input=typed, text=True,
                         capture_output=True, env=env, timeout=60)
    assert "Traceback" not in run.stdout + run.stderr
    assert "Right: 9.006001" in run.stdout and run.stdout.count("Right: 9.006001") == 1
    exported = subprocess.run([sys.executable, "-m", "derivtutor", "export"], text=True, capture_output=True,
                              env=env, timeout=60)
    rows = json.loads(exported.stdout)["attempts"]
    assert [(r["step"], r["outcome"], r["attempts"]) for r in rows][:2] == [
        (rows[0]["step"], "skipped", 0), ("J-at-3.001", "after_help", 2)]


def test_old_rows_are_given_an_outcome_when_the_store_migrates(tmp_path):
    import sqlite3

    from derivtutor.progress import store as store_mod

    Store.open(tmp_path).close()
    conn = sqlite3.connect(tmp_path / store_mod.FILENAME)
    before = next(i for i, m in enumerate(store_mod.MIGRATIONS) if "ADD COLUMN outcome" in m)
    conn.execute(f"PRAGMA user_version = {before}")  # as written just before the outcome column
    conn.execute("ALTER TABLE attempts DROP COLUMN outcome")
    rows = [("a", "number", 1, 0, 0, 0), ("b", "number", 1, 1, 0, 0), ("c", "number", 0, 3, 0, 1),
            ("d", "predict", 1, 1, 0, 0)]
    for step, kind, correct, attempts, hints, revealed in rows:
        conn.execute("INSERT INTO attempts (ts, lesson, step, kind, mode, correct, attempts, hints, revealed,"
                     " seconds, answer, lang) VALUES (0, 'lesson1', ?, ?, 'lesson', ?, ?, ?, ?, 1.5, '', 'en')",
                     (step, kind, correct, attempts, hints, revealed))
    conn.commit()
    conn.close()
    with Store.open(tmp_path) as s:
        got = [(a["step"], a["outcome"], a["attempts"]) for a in s.attempts()]
    assert got == [("a", "first_try", 1), ("b", "after_help", 2), ("c", "revealed", 3), ("d", "first_try", 1)]

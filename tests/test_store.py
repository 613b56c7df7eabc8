"""The progress store: what is recorded comes back, summaries add up, the schema migrates."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from derivtutor.text import columns
from derivtutor.progress import store as store_mod
from derivtutor.progress import store_schema
from derivtutor.progress.store import FILENAME, SCHEMA_VERSION, Store


def event(step="s1", lesson="lesson1", **over):
    base = dict(lesson=lesson, step=step, kind="number", correct=True, attempts=1, hints=0,
                revealed=False, seconds=2.5, answer="6", lang="en")
    base.update(over)
    return base


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    yield s
    s.close()


def test_opens_a_fresh_file_in_wal_mode_at_current_version(tmp_path, store):
    assert store.saving and store.notices == []
    assert store.path == tmp_path / FILENAME
    conn = sqlite3.connect(tmp_path / FILENAME)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_home_comes_from_environment_when_not_given(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVTUTOR_HOME", str(tmp_path / "elsewhere"))
    with Store.open() as s:
        assert s.path == tmp_path / "elsewhere" / FILENAME and s.saving


def test_record_is_visible_to_another_connection_at_once(tmp_path, store):
    store.record(event("a", correct=True))
    store.record(event("b", correct=False, attempts=3, hints=2, revealed=True, answer="w"))
    other = sqlite3.connect(tmp_path / FILENAME)
    rows = other.execute("SELECT step, correct, attempts, hints, revealed, answer FROM attempts ORDER BY id").fetchall()
    other.close()
    assert rows == [("a", 1, 1, 0, 0, "6"), ("b", 0, 3, 2, 1, "w")]


def test_attempts_round_trip(store):
    store.record(event("a", seconds=4.25, answer="3w²", lang="zh"))
    [row] = store.attempts()
    assert row["step"] == "a" and row["seconds"] == 4.25 and row["answer"] == "3w²" and row["lang"] == "zh"
    assert row["correct"] is True and row["revealed"] is False and row["mode"] == "lesson"


def test_state_round_trip_and_resume_point(store):
    assert store.load_state("lesson2") is None
    state = {"index": 6, "saved": {"my_w": "3"}, "text": "中文"}
    store.save_state("lesson2", state, position=7, total=18)
    assert store.load_state("lesson2") == state
    summary = store.progress_summary()["lesson2"]
    assert (summary["done"], summary["total"], summary["position"], summary["complete"]) == (6, 18, 7, False)
    store.save_state("lesson2", {"index": 18}, position=18, total=18, finished=True)
    assert store.progress_summary()["lesson2"]["complete"] is True
    assert store.progress_summary()["lesson2"]["done"] == 18


def test_progress_summary_counts_lesson_answers_not_review_answers(store):
    store.record(event("a", correct=True, seconds=2))
    store.record(event("b", correct=False, hints=1, seconds=3))
    store.record(event("c", correct=True, attempts=2, seconds=5))
    store.record(event("a", correct=False, mode="review", seconds=100))
    s = store.progress_summary()["lesson1"]
    assert (s["answered"], s["correct"], s["first_try"], s["hints"]) == (3, 2, 1, 1)
    assert s["accuracy"] == pytest.approx(1 / 3) and s["seconds"] == pytest.approx(10)


def test_last_lesson_is_the_most_recently_saved(store):
    assert store.last_lesson() is None
    store.clock.now = 1000.0
    store.save_state("lesson1", {}, 2, 5)
    store.clock.now = 2000.0
    store.save_state("lesson2", {}, 1, 5)
    assert store.last_lesson() == "lesson2"
    store.clock.now = 3000.0
    store.save_state("lesson1", {}, 3, 5)
    assert store.last_lesson() == "lesson1"


def test_graded_steps_become_cards_and_say_steps_do_not(store):
    store.record(event("q1", correct=True))
    store.record(event("intro", kind="say"))
    store.record(event("q2", correct=False))
    assert sorted(c.step for c in store.cards()) == ["q1", "q2"]
    cards = {c.step: c for c in store.cards()}
    assert cards["q2"].missed and not cards["q1"].missed
    assert cards["q2"].due_at < cards["q1"].due_at


def test_answering_a_card_again_updates_it_in_place(store):
    store.record(event("q1", correct=False))
    store.record(event("q1", correct=True, mode="review"))
    [card] = store.cards()
    assert card.reps == 2 and card.last_rating == 3


def test_save_play_makes_a_missed_play_card(store):
    store.save_play("w^3 + 2w", "w", lang="zh")
    [card] = store.cards(kind="play")
    assert card.missed and card.payload == {"expr": "w^3 + 2w", "var": "w", "lang": "zh"}
    store.record({"lesson": "play", "step": card.step, "kind": "play", "correct": True})
    [again] = store.cards(kind="play")
    assert again.reps == 2 and not again.missed and again.payload["lang"] == "zh"


def test_clear_one_lesson_keeps_the_others(store):
    for lesson in ("lesson1", "lesson2"):
        store.record(event("q", lesson=lesson))
        store.save_state(lesson, {"x": 1}, 2, 4)
    store.clear("lesson1")
    assert set(store.progress_summary()) == {"lesson2"}
    assert {c.lesson for c in store.cards()} == {"lesson2"}
    assert store.load_state("lesson1") is None
    store.clear()
    assert store.progress_summary() == {} and store.cards() == [] and store.attempts() == []


def test_active_days_are_local_dates(store):
    import time

    for day in (0, 1, 1, 3):
        store.clock.now = time.mktime((2024, 5, 1 + day, 12, 0, 0, 0, 0, -1))
        store.record(event(f"q{day}"))
    assert store.activity() == [("2024-05-01", 1), ("2024-05-02", 2), ("2024-05-04", 1)]


def test_memory_store_works_without_a_file():
    s = Store.memory()
    s.record(event())
    s.save_state("lesson1", {"a": 1}, 2, 3)
    assert not s.saving and s.path is None
    assert s.progress_summary()["lesson1"]["answered"] == 1


def test_migrations_run_from_an_older_version(tmp_path, monkeypatch):
    # Pretend the next version adds a column: a file of this version must be brought up to date, data kept.
    path = tmp_path / FILENAME
    with Store.open(tmp_path) as s:
        s.record(event("old"))
    nxt = len(store_mod.MIGRATIONS) + 1
    monkeypatch.setattr(store_mod, "MIGRATIONS", store_mod.MIGRATIONS + ("ALTER TABLE attempts ADD COLUMN note TEXT",))
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", nxt)
    with Store.open(tmp_path) as s:
        assert s.saving and [a["step"] for a in s.attempts()] == ["old"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == nxt
    assert "note" in [r[1] for r in conn.execute("PRAGMA table_info(attempts)")]
    conn.close()


def test_statements_split_ignores_comments():
    script = "CREATE TABLE t (a INT -- a note; with a semicolon\n); CREATE INDEX i ON t (a);"
    assert store_schema.statements(script) == ["CREATE TABLE t (a INT \n)", "CREATE INDEX i ON t (a)"]


def test_importing_store_does_not_import_sympy_or_fsrs():
    code = "import sys, derivtutor.progress.store; print('sympy' in sys.modules, 'fsrs' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_state_is_stored_as_json(tmp_path, store):
    store.save_state("lesson1", {"answers": [1, 2.5, "w^2"]}, 1, 2)
    raw = sqlite3.connect(tmp_path / FILENAME).execute("SELECT state FROM lessons").fetchone()[0]
    assert json.loads(raw) == {"answers": [1, 2.5, "w^2"]}


def test_unreadable_state_reads_as_none(tmp_path, store):
    store.save_state("lesson1", {"a": 1}, 1, 2)
    conn = sqlite3.connect(tmp_path / FILENAME)
    conn.execute("UPDATE lessons SET state = 'not json{'")
    conn.commit()
    conn.close()
    assert store.load_state("lesson1") is None


# ---- the progress, export and reset commands ---------------------------------------------------

import argparse  # noqa: E402
import csv  # noqa: E402
import io  # noqa: E402
from datetime import date  # noqa: E402

from derivtutor.commands import cmd_progress as cmd  # noqa: E402


def test_streak_counts_days_in_a_row_up_to_today_or_yesterday():
    today = date(2024, 5, 10)
    assert cmd.streak(["2024-05-08", "2024-05-09", "2024-05-10"], today) == 3
    assert cmd.streak(["2024-05-08", "2024-05-09"], today) == 2  # today is not over yet
    assert cmd.streak(["2024-05-07", "2024-05-08"], today) == 0
    assert cmd.streak(["2024-05-01", "2024-05-03", "2024-05-10"], today) == 1
    assert cmd.streak([], today) == 0


def test_bar_fills_in_eighths_and_keeps_its_width():
    assert columns.bar(0, 4) == "    " and columns.bar(1, 4) == "████"
    assert columns.bar(0.5, 4) == "██  " and columns.bar(1 / 32, 4) == "▏   "
    assert all(len(columns.bar(i / 97)) == columns.BAR_WIDTH for i in range(98))


def test_sparkline_scales_to_the_busiest_day():
    assert cmd.sparkline([0, 1, 8, 4]) == " ▁█▄"
    assert cmd.sparkline([0, 0]) == "  "


def test_progress_report_plain_and_chart():
    summary = {
        "lesson1": {**store_mod._summary(6, 18, False, 7, None), "answered": 4, "correct": 3,
                    "accuracy": 0.75, "hints": 2, "seconds": 600},
        "lesson9": store_mod._summary(5, 5, True, 5, None),
    }
    titles = {"lesson1": "What a derivative is", "lesson2": "Symbolic derivatives"}
    activity = [("2024-05-09", 3), ("2024-05-10", 1)]
    plain = cmd.progress_lines(summary, titles, activity, date(2024, 5, 10), "en", chart=False)
    assert plain[1] == "lesson1  What a derivative is: 6 of 18 steps · right first time 75% · 2 hints · 10 min"
    assert plain[2] == "lesson2  Symbolic derivatives: not started"
    assert plain[3].startswith("lesson9: complete")
    assert plain[4].endswith("0 0 0 0 0 0 0 0 0 0 0 0 3 1") and plain[5] == "Streak: 2 day(s) in a row."
    fancy = cmd.progress_lines(summary, titles, activity, date(2024, 5, 10), "zh", chart=True)
    assert fancy[0] == "你的学习进度" and "█" in fancy[1] and " 33%" in fancy[1] and "   ✓" in fancy[3]
    assert "一次答对 75%" in fancy[1] and fancy[-1] == "连续学习：2 天。"
    assert cmd.progress_lines({}, titles, [], date(2024, 5, 10)) == [cmd.tr(cmd.TEXT["nothing"], "en")]


def test_progress_chart_columns_line_up_with_chinese_titles():
    from derivtutor.terminal.render import cwidth

    titles = {"lesson1": "导数是什么", "lesson2": "A longer English title"}
    summary = {"lesson1": store_mod._summary(1, 2, False, 2, None)}
    lines = cmd.progress_lines(summary, titles, [("2024-05-10", 1)], date(2024, 5, 10), chart=True)
    # the percentage ends in the same terminal column although one title is in wide characters
    columns = [cwidth(line[: line.index("%") + 1]) for line in lines[1:3]]
    assert columns[0] == columns[1]
    assert "50%" in lines[1] and " 0%" in lines[2]


def _ns(**kw):
    base = dict(lang="en", plain=True, lessons=[], chart="never", format="json", output=None, lesson=None, yes=False)
    base.update(kw)
    return argparse.Namespace(**base)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVTUTOR_HOME", str(tmp_path))
    with Store.open() as s:
        s.record(event("a", correct=True, answer="6"))
        s.record(event("b", correct=False, answer="3w, 2", lang="zh"))
        s.save_state("lesson1", {"i": 2}, 3, 10)
        s.record(event("c", lesson="lesson2"))
    return tmp_path


def test_run_progress_prints_the_report(home, capsys):
    assert cmd.run_progress(_ns()) == 0
    out = capsys.readouterr().out
    assert "lesson1  What a derivative is: 2 of 10 steps · right first time 50%" in out and "Streak: 1 day" in out


def test_export_csv_has_one_row_per_answer(home, capsys):
    assert cmd.run_export(_ns(format="csv")) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["lesson"], r["step"], r["correct"]) for r in rows] == [
        ("lesson1", "a", "true"), ("lesson1", "b", "false"), ("lesson2", "c", "true")]
    assert rows[1]["answer"] == "3w, 2" and rows[1]["lang"] == "zh" and "T" in rows[0]["time"]


def test_export_json_to_a_file(home, tmp_path, capsys):
    target = tmp_path / "out" / "progress.json"
    target.parent.mkdir()
    assert cmd.run_export(_ns(output=str(target))) == 0
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["format"] == "derivtutor-progress"
    assert doc["lessons"]["lesson1"]["title"] == "What a derivative is"
    assert doc["lessons"]["lesson1"]["accuracy"] == 0.5 and len(doc["attempts"]) == 3
    assert {(c["lesson"], c["step"]) for c in doc["review_cards"]} == {("lesson1", "a"), ("lesson1", "b"), ("lesson2", "c")}
    assert str(target) in capsys.readouterr().err


def test_export_to_an_unwritable_place_is_a_message_not_a_traceback(home, tmp_path, capsys):
    assert cmd.run_export(_ns(output=str(tmp_path / "no-such-dir" / "x.json"))) == 1
    assert "Cannot write" in capsys.readouterr().err


def test_reset_in_a_pipe_without_yes_does_nothing(home, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cmd.run_reset(_ns()) == 1
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert cmd.run_reset(_ns(lesson="lesson1")) == 1
    assert "Nothing was changed" in capsys.readouterr().out
    with Store.open() as s:
        assert set(s.progress_summary()) == {"lesson1", "lesson2"}


def test_reset_one_lesson_after_a_yes(home, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    assert cmd.run_reset(_ns(lesson="1")) == 0  # `1` finds lesson1, as `start 1` does
    with Store.open() as s:
        assert set(s.progress_summary()) == {"lesson2"}


def test_reset_everything_with_yes_flag_asks_nothing(home, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cmd.run_reset(_ns(yes=True)) == 0
    with Store.open() as s:
        assert s.progress_summary() == {} and s.cards() == []


def test_reset_of_a_lesson_without_progress(home, capsys):
    assert cmd.run_reset(_ns(lesson="lesson3", yes=True)) == 1
    assert "no saved progress for lesson3" in capsys.readouterr().out


def test_reset_when_not_saving_changes_nothing(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("DERIVTUTOR_HOME", str(blocker / "sub"))
    assert cmd.run_reset(_ns(yes=True)) == 1
    err = capsys.readouterr().err
    assert "will not be saved" in err and "Nothing can be changed" in err

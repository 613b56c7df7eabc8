"""A progress file that SQLite reads but that is not (or no longer) a whole derivtutor store.

Each one is set aside (renamed, never deleted) with a notice saying where it went, what is
still whole in it comes along, and the tutor goes on with a store that saves.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sqlite3
import subprocess
import sys

import pytest

from derivtutor.commands import cmd_progress
from derivtutor.progress import store as store_mod
from derivtutor.progress.store import FILENAME, Store

COMMANDS = [["list", "--plain"], ["progress"], ["export"], ["review", "--plain"]]


def tutor(*args, home, stdin=""):
    environ = {**os.environ, "DERIVTUTOR_HOME": str(home), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "derivtutor", *args], input=stdin, capture_output=True, text=True,
                          env=environ, timeout=90)
    join = lambda text: re.sub(r"\n {6,}", " ", text)  # the tutor's wrapped lines, joined again
    return done.returncode, join(done.stdout), join(done.stderr)


def flat(text):
    """Without spaces and line breaks: a long path may be wrapped anywhere."""
    return re.sub(r"\s+", "", text)


def no_crash(rc, out, err):
    assert rc != 70, err
    assert "Traceback" not in out + err and "something went wrong" not in out + err


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kept_files(folder):
    return [p for p in folder.iterdir() if ".corrupt-" in p.name and not p.name.endswith(("-wal", "-shm"))]


def learner_progress(folder):
    """A store with three answered steps of lesson 1 and their review cards."""
    with Store.open(folder) as s:
        for i, step in enumerate(("measure", "nudge", "slope")):
            s.record({"lesson": "lesson1", "step": step, "kind": "number", "correct": True, "attempts": 1,
                      "hints": 0, "revealed": False, "seconds": 2.0, "answer": "9", "lang": "en"})
            s.save_state("lesson1", {"index": i + 1}, i + 2, 24)
    return folder / FILENAME


def damage(path, *statements):
    conn = sqlite3.connect(path)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("command", COMMANDS)
def test_a_foreign_database_at_version_1_is_set_aside_untouched(command, tmp_path):
    path = tmp_path / FILENAME
    damage(path, "CREATE TABLE notes (x TEXT)", "INSERT INTO notes VALUES ('mine')", "PRAGMA user_version = 1")
    before = digest(path)
    rc, out, err = tutor(*command, home=tmp_path)
    no_crash(rc, out, err)
    assert rc == 0
    [kept] = kept_files(tmp_path)
    assert digest(kept) == before  # renamed as it was, not migrated, not deleted
    said = out + err
    assert "does not hold derivtutor's tables" in said and f"itwaskeptas{kept}" in flat(said)
    assert "Cannot write" not in said
    with Store.open(tmp_path) as s:
        assert s.saving and s.notices == []


@pytest.mark.parametrize("command", COMMANDS)
def test_a_dropped_cards_table_keeps_the_rest_of_the_progress(command, tmp_path):
    damage(learner_progress(tmp_path), "DROP TABLE cards")
    rc, out, err = tutor(*command, home=tmp_path)
    no_crash(rc, out, err)
    assert rc == 0
    [kept] = kept_files(tmp_path)
    assert "Part of your progress file was damaged" in out + err
    assert f"waskeptas{kept},andeverythingthatcouldstillbereadwascopiedintoafreshone." in flat(out + err)
    with Store.open(tmp_path) as s:
        assert s.saving and s.notices == []
        assert [a["step"] for a in s.attempts()] == ["measure", "nudge", "slope"]
        assert s.progress_summary()["lesson1"]["done"] == 3


@pytest.mark.parametrize("command", COMMANDS)
def test_damaged_card_json_is_set_aside_and_the_whole_cards_come_along(command, tmp_path):
    damage(learner_progress(tmp_path), "UPDATE cards SET card = '{oops' WHERE step = 'nudge'",
           "UPDATE cards SET payload = '[1' WHERE step = 'slope'")
    rc, out, err = tutor(*command, home=tmp_path)
    no_crash(rc, out, err)
    assert rc == 0
    assert "Part of your progress file was damaged" in out + err
    with Store.open(tmp_path) as s:
        assert [c.step for c in s.cards()] == ["measure"]
        assert len(s.attempts()) == 3


def test_a_damaged_number_in_the_lessons_table_is_set_aside_too(tmp_path):
    damage(learner_progress(tmp_path), "UPDATE lessons SET position = 'abc'")
    rc, out, err = tutor("progress", home=tmp_path)
    no_crash(rc, out, err)
    assert "Part of your progress file was damaged" in err
    assert "right first time 100%" in out  # the answered steps still count


def test_the_damaged_notice_in_chinese(tmp_path):
    damage(learner_progress(tmp_path), "DROP TABLE cards")
    rc, out, err = tutor("--lang", "zh", "progress", home=tmp_path)
    no_crash(rc, out, err)
    [kept] = kept_files(tmp_path)
    assert f"进度文件有一部分已损坏；原文件已保留为{kept}，仍能读取的内容都已复制到新建的进度文件中。" in flat(err)


def test_a_folder_in_place_of_the_file_is_named_for_what_it_is(tmp_path):
    (tmp_path / FILENAME).mkdir()
    rc, out, err = tutor("progress", home=tmp_path)
    no_crash(rc, out, err)
    assert f"{tmp_path / FILENAME}isafolderoraspecialfile,notaprogressfile" in flat(err)
    assert "Cannot write" not in err
    assert (tmp_path / FILENAME).is_dir()


def test_a_pipe_in_place_of_the_file_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / FILENAME)
    rc, out, err = tutor("list", "--plain", home=tmp_path)
    no_crash(rc, out, err)
    assert "is a folder or a special file, not a progress file" in out


def test_an_unwritable_data_folder_still_shows_the_progress_saved_there(tmp_path, monkeypatch, capsys):
    learner_progress(tmp_path)
    before = digest(tmp_path / FILENAME)
    monkeypatch.setattr(store_mod.os, "access", lambda path, mode: False)  # as root ignores file modes
    monkeypatch.setenv("DERIVTUTOR_HOME", str(tmp_path))
    assert cmd_progress.run_progress(argparse.Namespace(lang="en", chart="never", lessons=[])) == 0
    out, err = capsys.readouterr()
    assert f"Cannot write to {tmp_path}; your progress so far is shown, but new progress will not be saved." in err
    assert "What a derivative is: 3 of 24 steps" in out
    with Store.open(tmp_path) as s:
        assert not s.saving
        s.record({"lesson": "lesson1", "step": "more", "kind": "number", "correct": True, "answer": "1"})
        assert len(s.attempts()) == 4  # the session goes on, in memory
    monkeypatch.undo()
    assert digest(tmp_path / FILENAME) == before
    with Store.open(tmp_path) as s:
        assert len(s.attempts()) == 3


def test_the_read_only_notice_in_chinese(tmp_path, monkeypatch):
    learner_progress(tmp_path)
    monkeypatch.setattr(store_mod.os, "access", lambda path, mode: False)
    with Store.open(tmp_path, lang="zh") as s:
        assert s.notices == [f"无法写入 {tmp_path}；之前的学习进度照常显示，但新的进度不会被保存。"]
        assert s.load_state("lesson1") == {"index": 3}


def test_a_card_with_missing_fields_is_scheduled_afresh_when_answered(tmp_path):
    damage(learner_progress(tmp_path), "UPDATE cards SET card = '{}' WHERE step = 'nudge'")
    with Store.open(tmp_path) as s:
        s.record({"lesson": "lesson1", "step": "nudge", "kind": "number", "correct": True, "answer": "6"})
        [card] = [c for c in s.cards() if c.step == "nudge"]
        assert card.reps == 2 and card.card["due"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through a read-only mode (the test above covers root)")
@pytest.mark.parametrize("locked", ["folder", "file"])
def test_a_read_only_folder_or_file_shows_the_saved_progress(locked, tmp_path):
    path = learner_progress(tmp_path)
    before = digest(path)
    target = tmp_path if locked == "folder" else path
    mode = target.stat().st_mode
    target.chmod(0o555 if locked == "folder" else 0o444)
    try:
        rc, out, err = tutor("progress", home=tmp_path)
    finally:
        target.chmod(mode)
    no_crash(rc, out, err)
    assert f"Cannot write to {target}; your progress so far is shown" in err
    assert "What a derivative is: 3 of 24 steps" in out
    assert digest(path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root may look into any folder")
def test_a_data_folder_inside_a_folder_we_may_not_enter_runs_without_saving(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o000)
    try:
        rc, out, err = tutor("start", "lesson1", "--plain", home=locked / "derivtutor", stdin="6\n")
    finally:
        locked.chmod(0o755)
    no_crash(rc, out, err)
    assert flat(f"Cannot write to {locked / 'derivtutor'}; this session will not be saved.") in flat(out)
    assert "Not quite" in out

"""Progress is never lost and the store never stops a lesson: kills, bad files, bad folders, two tutors."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading

import pytest

from derivtutor.progress import store as store_mod
from derivtutor.progress.store import FILENAME, Store


def event(step, lesson="lesson1", **over):
    base = dict(lesson=lesson, step=step, kind="number", correct=True, attempts=1, hints=0,
                revealed=False, seconds=1.0, answer="1", lang="en")
    base.update(over)
    return base


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---- killed mid-lesson -----------------------------------------------------------------------

WRITER = textwrap.dedent("""
    import sys, time
    from derivtutor.progress.store import Store
    s = Store.open(sys.argv[1])
    i = 0
    while True:
        s.record({"lesson": "lesson1", "step": f"s{i}", "kind": "number", "correct": i % 2 == 0,
                  "attempts": 1, "hints": 0, "revealed": False, "seconds": 1.0, "answer": str(i), "lang": "en"})
        s.save_state("lesson1", {"index": i + 1}, i + 2, 10_000)
        print(i, flush=True)   # only after the commit returned: the tutor has moved on
        i += 1
""")


def test_sigkill_mid_lesson_keeps_every_answered_step(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    acknowledged = -1
    try:
        while acknowledged < 40:
            line = proc.stdout.readline()
            assert line, "the writer died on its own"
            acknowledged = int(line)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    with Store.open(tmp_path) as s:
        assert s.saving and s.notices == []
        steps = [a["step"] for a in s.attempts()]
        assert steps[: acknowledged + 1] == [f"s{i}" for i in range(acknowledged + 1)]
        assert s.load_state("lesson1")["index"] >= acknowledged + 1
        assert len(s.cards()) >= acknowledged + 1


# ---- bad files -------------------------------------------------------------------------------

def _only_corrupt_copy(folder):
    kept = [p for p in folder.iterdir() if ".corrupt-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1
    return kept[0]


def test_a_file_that_is_not_sqlite_is_set_aside_not_deleted(tmp_path):
    junk = b"these are my notes, not a database\n" * 100
    (tmp_path / FILENAME).write_bytes(junk)
    with Store.open(tmp_path) as s:
        assert s.saving
        assert len(s.notices) == 1 and "\n" not in s.notices[0]
        kept = _only_corrupt_copy(tmp_path)
        assert kept.name.startswith(FILENAME + ".corrupt-") and kept.name in s.notices[0]
        assert kept.read_bytes() == junk
        s.record(event("fresh"))
    with Store.open(tmp_path) as again:
        assert again.notices == [] and [a["step"] for a in again.attempts()] == ["fresh"]


def test_a_damaged_sqlite_file_is_set_aside(tmp_path):
    with Store.open(tmp_path) as s:
        for i in range(300):
            s.record(event(f"s{i}", answer="x" * 200))
    path = tmp_path / FILENAME
    data = bytearray(path.read_bytes())
    for page in range(1, len(data) // 4096):  # scribble over every page but the header page
        data[page * 4096 : page * 4096 + 100] = b"\xff" * 100
    path.write_bytes(bytes(data))
    damaged = digest(path)
    with Store.open(tmp_path) as s:
        assert s.saving and len(s.notices) == 1
        assert digest(_only_corrupt_copy(tmp_path)) == damaged
        assert s.attempts() == []


def test_corrupt_notice_in_chinese(tmp_path):
    (tmp_path / FILENAME).write_bytes(b"x" * 5000)
    with Store.open(tmp_path, lang="zh") as s:
        assert "进度文件" in s.notices[0]


def test_a_directory_at_the_database_path_runs_without_saving(tmp_path):
    (tmp_path / FILENAME).mkdir()
    with Store.open(tmp_path) as s:
        assert not s.saving and len(s.notices) == 1
        s.record(event("a"))
        assert len(s.attempts()) == 1
    assert (tmp_path / FILENAME).is_dir()


# ---- bad folders -----------------------------------------------------------------------------

def test_a_data_dir_that_cannot_be_created_runs_in_memory(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with Store.open(blocker / "derivtutor") as s:
        assert not s.saving and s.path is None
        assert len(s.notices) == 1 and "will not be saved" in s.notices[0]
        s.record(event("a"))
        s.save_state("lesson1", {"i": 1}, 2, 3)
        assert s.load_state("lesson1") == {"i": 1}


def test_a_missing_data_dir_is_created(tmp_path):
    with Store.open(tmp_path / "new" / "deeper") as s:
        assert s.saving and (tmp_path / "new" / "deeper" / FILENAME).exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through a read-only mode")
def test_a_read_only_data_dir_runs_in_memory(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with Store.open(folder) as s:
            assert not s.saving and len(s.notices) == 1
            s.record(event("a"))
    finally:
        folder.chmod(0o755)
    assert list(folder.iterdir()) == []


def test_a_data_dir_without_write_permission_runs_in_memory(tmp_path, monkeypatch):
    # The same path as above, for when the tests run as root (who ignores file modes).
    monkeypatch.setattr(store_mod.os, "access", lambda path, mode: False)
    with Store.open(tmp_path) as s:
        assert not s.saving and len(s.notices) == 1 and str(tmp_path) in s.notices[0]
    assert list(tmp_path.iterdir()) == []


def test_a_disk_failure_mid_session_keeps_the_session_in_memory(tmp_path, monkeypatch):
    s = Store.open(tmp_path)
    s.record(event("before"))
    real = store_mod._transaction
    calls = {"n": 0}

    def failing_once(conn, work):
        calls["n"] += 1
        if calls["n"] == 1:
            raise sqlite3.OperationalError("disk I/O error")
        return real(conn, work)

    monkeypatch.setattr(store_mod, "_transaction", failing_once)
    s.record(event("during"))
    assert not s.saving and len(s.notices) == 1 and "disk I/O error" in s.notices[0]
    assert [a["step"] for a in s.attempts()] == ["before", "during"]
    s.close()


# ---- a newer version -------------------------------------------------------------------------

def test_a_file_from_a_newer_version_is_left_untouched(tmp_path):
    with Store.open(tmp_path) as s:
        s.record(event("mine"))
    path = tmp_path / FILENAME
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = digest(path)
    with Store.open(tmp_path) as s:
        assert not s.saving and len(s.notices) == 1 and "newer" in s.notices[0]
        s.record(event("this-session"))
        assert [a["step"] for a in s.attempts()] == ["this-session"]
    assert digest(path) == before
    assert not [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]


# ---- two tutors at once ----------------------------------------------------------------------

CONCURRENT = textwrap.dedent("""
    import sys
    from derivtutor.progress.store import Store
    home, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    s = Store.open(home)
    assert s.saving, s.notices
    for i in range(n):
        # every process answers the same shared card too: a lost update would lose reps
        s.record({"lesson": "lesson1", "step": "shared", "kind": "number", "correct": i % 3 != 0})
        s.record({"lesson": "lesson1", "step": f"{name}-{i}", "kind": "number", "correct": True})
        s.save_state("lesson1", {"by": name, "i": i}, i + 1, n)
    s.close()
""")


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    Store.open(tmp_path).close()  # both start from an existing file, as two tutors would
    n = 150
    procs = [subprocess.Popen([sys.executable, "-c", CONCURRENT, str(tmp_path), name, str(n)],
                              stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with Store.open(tmp_path) as s:
        assert len(s.attempts()) == 4 * n
        shared = [c for c in s.cards() if c.step == "shared"]
        assert shared[0].reps == 2 * n
        assert len(s.cards()) == 2 * n + 1


def test_two_processes_creating_the_store_at_once(tmp_path):
    procs = [subprocess.Popen([sys.executable, "-c", CONCURRENT, str(tmp_path / "new"), name, "5"],
                              stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    with Store.open(tmp_path / "new") as s:
        assert len(s.attempts()) == 20


def test_threads_with_their_own_stores_lose_nothing(tmp_path):
    Store.open(tmp_path).close()
    errors = []

    def tutor(name):
        try:
            with Store.open(tmp_path) as s:
                for i in range(60):
                    s.record(event("shared", correct=bool(i % 2)))
                    s.record(event(f"{name}{i}"))
        except Exception as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=tutor, args=(n,)) for n in "xyz"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store.open(tmp_path) as s:
        assert len(s.attempts()) == 360
        assert next(c for c in s.cards() if c.step == "shared").reps == 180

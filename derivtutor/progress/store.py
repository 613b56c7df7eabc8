"""The learner's progress in one SQLite file: answered steps, where each lesson stands, review cards.

Every answered step is its own short transaction, committed before the tutor
says anything else, so a crash or a kill loses nothing already answered. The
store never stops a lesson: a bad file is set aside, an unwritable folder or a
file from a newer derivtutor means running without saving, and each case
leaves a one-line notice for the learner.

This module holds the schema (MIGRATIONS) and the Store's reads and writes; opening the
file, setting it aside and salvaging it is store_file's, the checks against the schema
store_schema's. No SymPy here (start-up module); the review scheduler is imported only
when a graded step is recorded.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from derivtutor.progress import store_file
from derivtutor.progress.store_file import StoreError
from derivtutor.progress.store_schema import card_ok, migrate
from derivtutor.progress.store_sql import connect
from derivtutor.progress.store_sql import transaction as _transaction  # a name here: a test makes one write fail

FILENAME = "progress.sqlite3"
ENV_HOME = "DERIVTUTOR_HOME"
PLAY = "play"  # the lesson name of free-play cards (their kind is "play" too)
PRACTICE = "practice"  # the mode (and lesson name) of generated practice answers: no review card

# Migration i takes the schema from version i to i + 1. Append, never edit. The file checks take
# these as an argument, so they always compare a file with the schema of the running Store.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE attempts (
        id       INTEGER PRIMARY KEY,
        ts       REAL    NOT NULL,       -- unix time the step was answered
        lesson   TEXT    NOT NULL,
        step     TEXT    NOT NULL,
        kind     TEXT    NOT NULL,
        mode     TEXT    NOT NULL,       -- "lesson" or "review"
        correct  INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        hints    INTEGER NOT NULL,
        revealed INTEGER NOT NULL,
        seconds  REAL    NOT NULL,
        answer   TEXT    NOT NULL,
        lang     TEXT    NOT NULL
    );
    CREATE INDEX attempts_lesson ON attempts (lesson, mode);
    CREATE TABLE lessons (
        lesson   TEXT PRIMARY KEY,
        state    TEXT    NOT NULL,       -- the runner's state, JSON
        position INTEGER NOT NULL,       -- the 1-based step the learner is at
        total    INTEGER NOT NULL,
        finished INTEGER NOT NULL,
        updated  REAL    NOT NULL
    );
    CREATE TABLE cards (
        kind        TEXT    NOT NULL,    -- "lesson" or "play"
        lesson      TEXT    NOT NULL,
        step        TEXT    NOT NULL,    -- step id; for play cards the expression text
        payload     TEXT    NOT NULL,    -- JSON: what re-asking needs (play: expr, var, lang)
        card        TEXT    NOT NULL,    -- fsrs Card.to_dict(), JSON
        due         TEXT    NOT NULL,    -- ISO time in UTC, copied out of card for ordering
        last_rating INTEGER NOT NULL,
        reps        INTEGER NOT NULL,
        updated     REAL    NOT NULL,
        PRIMARY KEY (kind, lesson, step)
    );
    CREATE INDEX cards_due ON cards (due);
    """,
    """
    CREATE TABLE skill_results (
        id       INTEGER PRIMARY KEY,
        ts       REAL    NOT NULL,       -- when the question was answered
        skill    TEXT    NOT NULL,       -- a skills.SKILLS id
        lesson   TEXT    NOT NULL,       -- lesson id, "play" or "practice"
        step     TEXT    NOT NULL,
        mode     TEXT    NOT NULL,       -- "lesson", "review" or "practice"
        score    REAL    NOT NULL,       -- mastery.evidence: 1 first try, 0.5 after help, 0 missed
        weight   REAL    NOT NULL
    );
    CREATE INDEX skill_results_skill ON skill_results (skill);
    CREATE TABLE mastery (
        skill    TEXT PRIMARY KEY,
        level    REAL    NOT NULL,       -- 0..1, mastery.update folded over skill_results in order
        answered INTEGER NOT NULL,
        updated  REAL    NOT NULL
    );
    """,
    # What happened to each answered step, in one word (question.OUTCOMES), and `attempts` as
    # every try including the right one (old rows stored wrong tries only for right answers).
    """
    ALTER TABLE attempts ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
    UPDATE attempts SET outcome = CASE
        WHEN revealed AND attempts < 3 AND NOT correct AND kind NOT IN ('predict', 'experiment') THEN 'skipped'
        WHEN revealed THEN 'revealed'
        WHEN NOT correct THEN 'missed'
        WHEN kind IN ('predict', 'experiment') OR (attempts = 0 AND hints = 0) THEN 'first_try'
        ELSE 'after_help' END;
    UPDATE attempts SET attempts = attempts + 1
        WHERE correct AND NOT revealed AND kind NOT IN ('predict', 'experiment', 'play');
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def default_home() -> Path:
    """DERIVTUTOR_HOME, else the platform's per-user data folder."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("derivtutor", appauthor=False))


@dataclass
class _Stamp:
    """The clock, replaceable in tests (time travel for streaks and due dates)."""

    now: float | None = None

    def __call__(self) -> float:
        return time.time() if self.now is None else self.now


class Store:
    """Progress in SQLite, or in memory when it cannot be saved (then ``saving`` is False)."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, lang: str | None = None):
        self._conn = conn
        self.path = path
        self.saving = path is not None
        self.notices: list[str] = []
        self.lang = lang
        self.clock = _Stamp()

    # ---- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, home: str | os.PathLike | None = None, lang: str | None = None) -> "Store":
        """Open the learner's store; never raises for bad files or folders (falls back, fills notices)."""
        folder = Path(home).expanduser() if home is not None else default_home()
        path = folder / FILENAME
        try:
            conn, notice = store_file.open_file(folder, path, MIGRATIONS, lang)
            store = cls(conn, path, lang)
        except StoreError as err:
            copy = store_file.read_only_copy(path, MIGRATIONS) if err.code == "unwritable" else None
            if copy is not None:  # what was saved is still shown; nothing new is written
                notice = StoreError("read_only", **err.fields).localized(lang)
                store = cls(copy, None, lang)
            else:
                notice = err.localized(lang)
                store = cls.memory(lang)
        if notice is not None:
            store.notices.insert(0, notice)
        return store

    @classmethod
    def memory(cls, lang: str | None = None) -> "Store":
        """A store that keeps nothing after the process ends."""
        conn = connect(":memory:")
        migrate(conn, MIGRATIONS)
        return cls(conn, None, lang)

    def close(self) -> None:
        try:
            self._conn.close()
        except sqlite3.Error:
            pass

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writing -------------------------------------------------------------------------

    def record(self, event: dict) -> None:
        """One answered step, committed at once; a graded step also moves its review card."""
        row = _attempt_row(event, self.clock())
        graded = row["kind"] != "say" and event.get("graded", True)

        def write(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO attempts (ts, lesson, step, kind, mode, correct, attempts, hints,"
                " revealed, seconds, answer, lang, outcome) VALUES (:ts, :lesson, :step, :kind, :mode,"
                " :correct, :attempts, :hints, :revealed, :seconds, :answer, :lang, :outcome)", row)
            if graded and row["mode"] != PRACTICE:  # practice questions are fresh each time: no card
                self._review_card(conn, PLAY if row["kind"] == PLAY else "lesson", row["lesson"], row["step"], event)
            if tags:
                self._skill_results(conn, row, event, tags)

        from derivtutor.teaching import event_skills  # the skills an answer exercised: its own, else its lesson's

        tags = event_skills.of_event(event) if graded else ()
        self._write(write)

    def save_play(self, expr: str, var: str, lang: str | None = None) -> None:
        """Add a free-play function the learner got wrong to review: a missed card, due at once."""
        payload = {"expr": expr, "var": var, "lang": lang or self.lang or "en"}
        from derivtutor.progress import schedule

        now = self.clock()
        card = schedule.new_card(schedule.utc(now))

        def write(conn: sqlite3.Connection) -> None:
            key = (PLAY, PLAY, f"{var}:{expr}")
            found = conn.execute("SELECT reps FROM cards WHERE kind = ? AND lesson = ? AND step = ?", key).fetchone()
            _put_card(conn, key, payload, card, schedule.AGAIN, (found[0] if found else 0) + 1, now)  # the miss counts

        self._write(write)

    def save_state(self, lesson: str, state: dict, position: int, total: int, finished: bool = False) -> None:
        """Where a lesson stands: the runner's state (JSON) and the step the learner is at."""
        text = json.dumps(state, ensure_ascii=False)
        self._write(lambda conn: conn.execute(
            "INSERT INTO lessons (lesson, state, position, total, finished, updated)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (lesson) DO UPDATE SET state = excluded.state,"
            " position = excluded.position, total = excluded.total, finished = excluded.finished,"
            " updated = excluded.updated",
            (lesson, text, int(position), int(total), int(bool(finished)), self.clock()),
        ))

    def clear(self, lesson: str | None = None) -> None:
        """Forget one lesson (its steps, place and cards), or everything."""
        where, args = ("WHERE lesson = ?", (lesson,)) if lesson is not None else ("", ())

        def write(conn: sqlite3.Connection) -> None:
            for table in ("attempts", "lessons", "cards", "skill_results"):
                conn.execute(f"DELETE FROM {table} {where}", args)
            _refold_mastery(conn)

        self._write(write)

    def _skill_results(self, conn, row: dict, event: dict, tags: tuple[str, ...]) -> None:
        """One row per skill the answer exercised, and each skill's mastery moved (same transaction)."""
        from derivtutor.progress import mastery

        score, weight = mastery.evidence(event)
        for skill in tags:
            conn.execute(
                "INSERT INTO skill_results (ts, skill, lesson, step, mode, score, weight)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", (row["ts"], skill, row["lesson"], row["step"], row["mode"], score, weight))
            found = conn.execute("SELECT level, answered FROM mastery WHERE skill = ?", (skill,)).fetchone()
            level, answered = found if found else (mastery.PRIOR, 0)
            conn.execute(
                "INSERT INTO mastery (skill, level, answered, updated) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (skill) DO UPDATE SET level = excluded.level, answered = excluded.answered,"
                " updated = excluded.updated",
                (skill, mastery.update(level, score, weight), answered + 1, row["ts"]))

    def _review_card(self, conn, kind: str, lesson: str, step: str, event: dict) -> None:
        """Read, reschedule and write one card inside the caller's transaction (no lost update)."""
        from derivtutor.progress import schedule

        found = conn.execute(
            "SELECT card, reps, payload FROM cards WHERE kind = ? AND lesson = ? AND step = ?",
            (kind, lesson, step),
        ).fetchone()
        whole = found is not None and card_ok(found[2], found[0], "")
        rating = schedule.rating_for(event)
        card = schedule.card_after(json.loads(found[0]) if whole else None, rating, schedule.utc(self.clock()))
        _put_card(conn, (kind, lesson, step), json.loads(found[2]) if whole else {}, card, int(rating),
                  (found[1] if found else 0) + 1, self.clock())

    def _write(self, work) -> None:
        """Run ``work(conn)`` in one short BEGIN IMMEDIATE transaction; a failing disk means memory from now on."""
        try:
            _transaction(self._conn, work)
        except sqlite3.Error as err:
            if not self.saving:
                raise
            self._fall_back(err)
            _transaction(self._conn, work)

    def _fall_back(self, err: Exception) -> None:
        """Keep the session going in memory, with what this process can still read."""
        memory = connect(":memory:")
        try:
            self._conn.backup(memory)
        except sqlite3.Error:
            memory.close()
            memory = connect(":memory:")
            migrate(memory, MIGRATIONS)
        self.close()
        self._conn = memory
        self.saving = False
        self.notices.append(StoreError("lost", error=str(err) or type(err).__name__).localized(self.lang))

    # ---- reading -------------------------------------------------------------------------

    def load_state(self, lesson: str) -> dict | None:
        """The runner's saved state for a lesson, or None when it was never started (or is unreadable)."""
        row = self._read_one("SELECT state FROM lessons WHERE lesson = ?", (lesson,))
        if row is None:
            return None
        try:
            state = json.loads(row[0])
        except ValueError:
            return None
        return state if isinstance(state, dict) else None

    def last_lesson(self) -> str | None:
        """The lesson touched most recently (to suggest where to continue)."""
        row = self._read_one("SELECT lesson FROM lessons ORDER BY updated DESC, rowid DESC LIMIT 1", ())
        return row[0] if row else None

    def progress_summary(self) -> dict[str, dict]:
        """lesson -> done, total, complete, position, answered, correct, accuracy, hints, seconds, last."""
        out: dict[str, dict] = {}
        for lesson, position, total, finished, updated in self._read_all(
            "SELECT lesson, position, total, finished, updated FROM lessons", ()
        ):
            done = total if finished else max(0, min(position - 1, total))
            out[lesson] = _summary(done, total, bool(finished), position, last=updated)
        for lesson, answered, correct, first_try, after_help, revealed, skipped, hints, seconds, last in self._read_all(
            "SELECT lesson, COUNT(*), SUM(correct), SUM(outcome = 'first_try'), SUM(outcome = 'after_help'),"
            " SUM(outcome = 'revealed'), SUM(outcome = 'skipped'),"
            " SUM(hints), SUM(seconds), MAX(ts) FROM attempts WHERE mode = 'lesson' GROUP BY lesson",
            (),
        ):
            entry = out.setdefault(lesson, _summary(0, 0, False, 1, last=last))
            entry.update(  # accuracy: right first time, so a miss or a shown answer lowers it
                answered=answered, correct=correct, first_try=first_try, after_help=after_help,
                revealed=revealed, skipped=skipped, hints=hints,
                seconds=round(seconds or 0.0, 3), accuracy=first_try / answered if answered else None,
                last=max(entry["last"] or 0, last or 0),
            )
        return out

    def attempts(self, lesson: str | None = None) -> list[dict]:
        """Every answered step in order (for export and charts)."""
        where, args = ("WHERE lesson = ?", (lesson,)) if lesson else ("", ())
        rows = self._read_dicts("SELECT ts, lesson, step, kind, mode, correct, attempts, hints, revealed, seconds,"
                                f" answer, lang, outcome FROM attempts {where} ORDER BY id", args)
        for r in rows:
            r["correct"], r["revealed"] = bool(r["correct"]), bool(r["revealed"])
        return rows

    def activity(self) -> list[tuple[str, int]]:
        """(local date YYYY-MM-DD, answered steps that day) for every active day, oldest first."""
        rows = self._read_all("SELECT date(ts, 'unixepoch', 'localtime') AS d, COUNT(*) FROM attempts"
                              " GROUP BY d ORDER BY d", ())
        return [(d, n) for d, n in rows]

    def cards(self, lesson: str | None = None, kind: str | None = None) -> list:
        """Review cards as schedule.ReviewCard records, soonest due first."""
        from derivtutor.progress.schedule import ReviewCard

        clauses, args = [], []
        for column, value in (("lesson", lesson), ("kind", kind)):
            if value is not None:
                clauses.append(f"{column} = ?")
                args.append(value)
        where = "WHERE " + " AND ".join(clauses) if clauses else ""
        rows = self._read_all("SELECT kind, lesson, step, payload, card, due, last_rating, reps FROM cards"
                              f" {where} ORDER BY due", tuple(args))
        return [ReviewCard(kind=k, lesson=les, step=s, payload=json.loads(p), card=json.loads(c),
                           due=d, last_rating=r, reps=n)
                for k, les, s, p, c, d, r, n in rows if card_ok(p, c, d)]  # damaged since opening: left out

    def mastery(self) -> dict[str, dict]:
        """skill -> {"level": 0..1, "answered": n, "updated": unix time} for every practised skill."""
        return {skill: {"level": level, "answered": n, "updated": updated}
                for skill, level, n, updated in self._read_all("SELECT skill, level, answered, updated FROM mastery", ())}

    def skill_results(self) -> list[dict]:
        """Every (answer, skill) pair in order, with the score and weight mastery used (for export)."""
        return self._read_dicts("SELECT ts, skill, lesson, step, mode, score, weight FROM skill_results ORDER BY id", ())

    def _read_one(self, sql: str, args: tuple):
        return self._conn.execute(sql, args).fetchone()

    def _read_all(self, sql: str, args: tuple) -> list:
        return self._conn.execute(sql, args).fetchall()

    def _read_dicts(self, sql: str, args: tuple) -> list[dict]:
        """Rows as {column: value}, for export."""
        cur = self._conn.execute(sql, args)
        names = [c[0] for c in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]


def _summary(done: int, total: int, complete: bool, position: int, last: float | None) -> dict:
    return {
        "done": done, "total": total, "complete": complete, "position": position,
        "answered": 0, "correct": 0, "first_try": 0, "after_help": 0, "revealed": 0, "skipped": 0,
        "hints": 0, "seconds": 0.0,
        "accuracy": None, "last": last,
    }


def _put_card(conn: sqlite3.Connection, key: tuple[str, str, str], payload: dict, card: dict, rating: int,
              reps: int, now: float) -> None:
    """Write one review card (kind, lesson, step), replacing the one it reschedules."""
    conn.execute(
        "INSERT INTO cards (kind, lesson, step, payload, card, due, last_rating, reps, updated)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, lesson, step) DO UPDATE SET"
        " payload = excluded.payload, card = excluded.card, due = excluded.due,"
        " last_rating = excluded.last_rating, reps = excluded.reps, updated = excluded.updated",
        (*key, json.dumps(payload, ensure_ascii=False), json.dumps(card), card["due"], rating, reps, now))


def _refold_mastery(conn: sqlite3.Connection) -> None:
    """Mastery again from the skill results that are left (after `clear`)."""
    from derivtutor.progress import mastery

    conn.execute("DELETE FROM mastery")
    levels: dict[str, list] = {}
    for skill, score, weight, ts in conn.execute("SELECT skill, score, weight, ts FROM skill_results ORDER BY id"):
        entry = levels.setdefault(skill, [mastery.PRIOR, 0, ts])
        entry[0], entry[1], entry[2] = mastery.update(entry[0], score, weight), entry[1] + 1, ts
    conn.executemany("INSERT INTO mastery (skill, level, answered, updated) VALUES (?, ?, ?, ?)",
                     [(s, lv, n, ts) for s, (lv, n, ts) in levels.items()])


def _attempt_row(event: dict, now: float) -> dict:
    """An event dict from the runner as a row; missing keys get harmless defaults."""
    return {
        "ts": float(event.get("ts", now)),
        "lesson": str(event["lesson"]),
        "step": str(event["step"]),
        "kind": str(event.get("kind", "")),
        "mode": str(event.get("mode", "lesson")),
        "correct": int(bool(event.get("correct"))),
        "attempts": int(event.get("attempts", 1)),
        "hints": int(event.get("hints", 0)),
        "revealed": int(bool(event.get("revealed"))),
        "seconds": float(event.get("seconds", 0.0)),
        "answer": str(event.get("answer", "")),
        "lang": str(event.get("lang", "en")),
        "outcome": str(event.get("outcome") or _outcome(event)),
    }


def _outcome(event: dict) -> str:
    """For an event that does not say its outcome (older sessions): derived from its fields."""
    from derivtutor.teaching.question import outcome_of

    return outcome_of(bool(event.get("correct")), int(event.get("attempts", 1)), int(event.get("hints", 0)),
                      bool(event.get("revealed")), bool(event.get("skipped")))

"""The learner's progress in one SQLite file: answered steps, where each lesson stands, review cards.

Every answered step is its own short transaction, committed before the tutor
says anything else, so a crash or a kill loses nothing already answered. The
store never stops a lesson: a bad file is set aside, an unwritable folder or a
file from a newer derivtutor means running without saving, and each case
leaves a one-line notice for the learner.

No SymPy here (start-up module); the review scheduler is imported only when a
graded step is recorded.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from derivtutor.text.i18n import Catalog, tr

FILENAME = "progress.sqlite3"
ENV_HOME = "DERIVTUTOR_HOME"
BUSY_TIMEOUT_MS = 10_000
PLAY = "play"  # the lesson name of free-play cards (their kind is "play" too)
PRACTICE = "practice"  # the mode (and lesson name) of generated practice answers: no review card

# Migration i takes the schema from version i to i + 1. Append, never edit.
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

NOTICES = Catalog(__name__, 'NOTICES')


class StoreError(Exception):
    """A store that cannot be used for saving; Store.open turns it into a notice."""

    def __init__(self, code: str, **fields: object):
        super().__init__(code)
        self.code = code
        self.fields = fields


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
        notices: list[str] = []
        try:
            conn = _open_file(folder, path, notices, lang)
            store = cls(conn, path, lang)
        except StoreError as err:
            copy = _read_only_copy(path) if err.code == "unwritable" else None
            if copy is not None:  # what was saved is still shown; nothing new is written
                notices.append(tr(NOTICES["read_only"], lang, **err.fields))
                store = cls(copy, None, lang)
            else:
                notices.append(tr(NOTICES[err.code], lang, **err.fields))
                store = cls.memory(lang)
        store.notices[:0] = notices
        return store

    @classmethod
    def memory(cls, lang: str | None = None) -> "Store":
        """A store that keeps nothing after the process ends."""
        conn = _connect(":memory:")
        _migrate(conn)
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
                " :correct, :attempts, :hints, :revealed, :seconds, :answer, :lang, :outcome)",
                row,
            )
            if graded and row["mode"] != PRACTICE:  # practice questions are fresh each time: no card
                card_kind = PLAY if row["kind"] == PLAY else "lesson"
                self._review_card(conn, card_kind, row["lesson"], row["step"], event, None)
            if tags:
                self._skill_results(conn, row, event, tags)

        tags = _skills_of(event) if graded else ()
        self._write(write)

    def save_play(self, expr: str, var: str, lang: str | None = None) -> None:
        """Add a free-play function the learner got wrong to review: a missed card, due at once."""
        payload = {"expr": expr, "var": var, "lang": lang or self.lang or "en"}
        from derivtutor.progress import review

        now = self.clock()
        card = review.new_card(review.utc(now))

        def write(conn: sqlite3.Connection) -> None:
            found = conn.execute("SELECT reps FROM cards WHERE kind = ? AND lesson = ? AND step = ?",
                                 (PLAY, PLAY, f"{var}:{expr}")).fetchone()
            conn.execute(
                "INSERT INTO cards (kind, lesson, step, payload, card, due, last_rating, reps, updated)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, lesson, step) DO UPDATE SET"
                " payload = excluded.payload, card = excluded.card, due = excluded.due,"
                " last_rating = excluded.last_rating, reps = excluded.reps, updated = excluded.updated",
                (PLAY, PLAY, f"{var}:{expr}", json.dumps(payload, ensure_ascii=False), json.dumps(card),
                 card["due"], review.AGAIN, (found[0] if found else 0) + 1, now))  # the miss in play counts

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
            _refold_mastery(conn, self.clock())

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

    def _review_card(self, conn, kind: str, lesson: str, step: str, event: dict, payload: dict | None) -> None:
        """Read, reschedule and write one card inside the caller's transaction (no lost update)."""
        from derivtutor.progress import review

        found = conn.execute(
            "SELECT card, reps, payload FROM cards WHERE kind = ? AND lesson = ? AND step = ?",
            (kind, lesson, step),
        ).fetchone()
        old = json.loads(found[0]) if found and _card_ok(found[2], found[0], "") else None
        rating = review.rating_for(event)
        card = review.card_after(old, rating, review.utc(self.clock()))
        if payload is None:
            payload = json.loads(found[2]) if found and _card_ok(found[2], found[0], "") else {}
        conn.execute(
            "INSERT INTO cards (kind, lesson, step, payload, card, due, last_rating, reps, updated)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, lesson, step) DO UPDATE SET"
            " payload = excluded.payload, card = excluded.card, due = excluded.due,"
            " last_rating = excluded.last_rating, reps = excluded.reps, updated = excluded.updated",
            (kind, lesson, step, json.dumps(payload, ensure_ascii=False), json.dumps(card),
             card["due"], int(rating), (found[1] if found else 0) + 1, self.clock()),
        )

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
        memory = _connect(":memory:")
        try:
            self._conn.backup(memory)
        except sqlite3.Error:
            memory.close()
            memory = _connect(":memory:")
            _migrate(memory)
        self.close()
        self._conn = memory
        self.saving = False
        self.notices.append(tr(NOTICES["lost"], self.lang, error=str(err) or type(err).__name__))

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
        cur = self._conn.execute(
            "SELECT ts, lesson, step, kind, mode, correct, attempts, hints, revealed, seconds,"
            f" answer, lang, outcome FROM attempts {where} ORDER BY id", args,
        )
        names = [c[0] for c in cur.description]
        rows = [dict(zip(names, r)) for r in cur.fetchall()]
        for r in rows:
            r["correct"], r["revealed"] = bool(r["correct"]), bool(r["revealed"])
        return rows

    def activity(self) -> list[tuple[str, int]]:
        """(local date YYYY-MM-DD, answered steps that day) for every active day, oldest first."""
        rows = self._read_all(
            "SELECT date(ts, 'unixepoch', 'localtime') AS d, COUNT(*) FROM attempts GROUP BY d ORDER BY d", ()
        )
        return [(d, n) for d, n in rows]

    def cards(self, lesson: str | None = None, kind: str | None = None) -> list:
        """Review cards as review.ReviewCard records, soonest due first."""
        from derivtutor.progress.review import ReviewCard

        clauses, args = [], []
        for column, value in (("lesson", lesson), ("kind", kind)):
            if value is not None:
                clauses.append(f"{column} = ?")
                args.append(value)
        where = "WHERE " + " AND ".join(clauses) if clauses else ""
        rows = self._read_all(
            "SELECT kind, lesson, step, payload, card, due, last_rating, reps FROM cards"
            f" {where} ORDER BY due", tuple(args),
        )
        return [
            ReviewCard(kind=k, lesson=les, step=s, payload=json.loads(p), card=json.loads(c),
                       due=d, last_rating=r, reps=n)
            for k, les, s, p, c, d, r, n in rows if _card_ok(p, c, d)  # damaged since opening: left out
        ]

    def mastery(self) -> dict[str, dict]:
        """skill -> {"level": 0..1, "answered": n, "updated": unix time} for every practised skill."""
        return {skill: {"level": level, "answered": n, "updated": updated}
                for skill, level, n, updated in self._read_all("SELECT skill, level, answered, updated FROM mastery", ())}

    def skill_results(self) -> list[dict]:
        """Every (answer, skill) pair in order, with the score and weight mastery used (for export)."""
        cur = self._conn.execute("SELECT ts, skill, lesson, step, mode, score, weight FROM skill_results ORDER BY id")
        names = [c[0] for c in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def _read_one(self, sql: str, args: tuple):
        return self._conn.execute(sql, args).fetchone()

    def _read_all(self, sql: str, args: tuple) -> list:
        return self._conn.execute(sql, args).fetchall()


def _summary(done: int, total: int, complete: bool, position: int, last: float | None) -> dict:
    return {
        "done": done, "total": total, "complete": complete, "position": position,
        "answered": 0, "correct": 0, "first_try": 0, "after_help": 0, "revealed": 0, "skipped": 0,
        "hints": 0, "seconds": 0.0,
        "accuracy": None, "last": last,
    }


def _skills_of(event: dict) -> tuple[str, ...]:
    """The skills an answered step exercised (its own `skills`, else found from its lesson)."""
    from derivtutor.teaching import event_skills

    return event_skills.of_event(event)


def _refold_mastery(conn: sqlite3.Connection, now: float) -> None:
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


# ---- the file ------------------------------------------------------------------------------


def _connect(target: str) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so a writer takes the lock up
    # front and waits (busy_timeout) instead of failing halfway with "database is locked".
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _transaction(conn: sqlite3.Connection, work) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        work(conn)
        conn.execute("COMMIT")
    except BaseException:
        _rollback(conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    """Leave no transaction open after a failure (a failed COMMIT may leave one)."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema up to SCHEMA_VERSION, one migration per transaction."""
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version >= SCHEMA_VERSION:
                conn.execute("COMMIT")
                return
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise


def _statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit on its own)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


class _NotOurs(Exception):
    """A readable SQLite file that is not (or no longer) a whole derivtutor store."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code  # "foreign": our tables are missing; "damaged": some rows cannot be read


def _open_file(folder: Path, path: Path, notices: list[str], lang: str | None) -> sqlite3.Connection:
    """Connect to the file, setting aside a corrupt or foreign one; StoreError when we must not write."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        raise StoreError("unwritable", path=folder) from None
    try:
        kind = path.lstat().st_mode if os.path.lexists(path) else None
    except OSError:
        raise StoreError("unwritable", path=folder) from None
    if kind is not None and not stat.S_ISREG(kind) and not (stat.S_ISLNK(kind) and _is_file(path)):
        raise StoreError("not_a_file", path=path)  # a folder, a pipe (which would block), a device
    if not os.access(folder, os.W_OK):
        raise StoreError("unwritable", path=folder)
    if kind is not None and not os.access(path, os.W_OK):
        raise StoreError("unwritable", path=path)
    code = "corrupt"
    try:
        return _open_checked(path)
    except StoreError:
        raise
    except _NotOurs as err:
        code = err.code
    except sqlite3.DatabaseError as err:
        if not _is_corruption(err):
            raise StoreError("unwritable", path=folder) from None
    try:
        kept = _set_aside(path)
    except OSError:
        raise StoreError("unwritable", path=folder) from None
    try:
        conn = _open_checked(path)
    except (sqlite3.DatabaseError, _NotOurs):
        raise StoreError("unwritable", path=folder) from None
    if code != "corrupt":  # a readable file: what is still whole in it comes along
        code = "damaged" if _salvage(conn, kept) else "foreign"
    notices.append(tr(NOTICES[code], lang, name=str(kept)))
    return conn


def _open_checked(path: Path) -> sqlite3.Connection:
    conn = _connect(str(path))
    try:
        # The version and the tables are read in one transaction: read apart, a second tutor
        # creating the same file could commit its first migration in between, and its tables
        # at "version 0" would look foreign and be set aside under its feet.
        conn.execute("BEGIN")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            ours = version > SCHEMA_VERSION or _has_schema(conn, version)
        finally:
            _rollback(conn)
        if version > SCHEMA_VERSION:
            raise StoreError("newer")  # read nothing more, write nothing
        if not ours:
            raise _NotOurs("foreign")  # before WAL: a foreign file is set aside as it was
        # Switching a new file to WAL needs it to ourselves for a moment, and SQLite reports
        # "locked" at once (no busy wait) while a second tutor is creating the same file.
        _when_unlocked(lambda: conn.execute("PRAGMA journal_mode = WAL"))
        # WAL + NORMAL: a commit survives a killed process; only power loss can cost the last steps.
        conn.execute("PRAGMA synchronous = NORMAL")
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed: {check}")
        _migrate(conn)
        if _damaged(conn):
            raise _NotOurs("damaged")
        return conn
    except BaseException:
        conn.close()
        raise


def _schema_at(version: int) -> tuple[tuple[str, tuple[tuple[str, str, bool], ...]], ...]:
    """((table, ((column, declared type, not null), ...)), ...) that migrations 0..version-1 create."""
    return _schema_of(MIGRATIONS[:version])


@functools.lru_cache(maxsize=None)
def _schema_of(scripts: tuple[str, ...]) -> tuple:
    conn = sqlite3.connect(":memory:")
    try:
        for script in scripts:
            for statement in _statements(script):
                conn.execute(statement)
        return _tables(conn, "main")
    finally:
        conn.close()


def _tables(conn: sqlite3.Connection, schema: str) -> tuple:
    names = [r[0] for r in conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return tuple((name, tuple((c[1], c[2].upper(), bool(c[3]))
                              for c in conn.execute(f'PRAGMA {schema}.table_info("{name}")')))
                 for name in names)


def _has_schema(conn: sqlite3.Connection, version: int, schema: str = "main") -> bool:
    """Every table and column our migrations made by `version` is there (extra ones are allowed).

    A file at version 0 must hold no tables at all: we create ours and set the version
    in one transaction, so tables without a version were made by something else."""
    found = dict(_tables(conn, schema))
    if version == 0:
        return not found
    return all(name in found and {c[0] for c in columns} <= {c[0] for c in found[name]}
               for name, columns in _schema_at(version))


# A value of the wrong type in a column (SQLite stores whatever it is given) would break the
# reports; these are the rows that are whole.
_TYPE_OK = {"INTEGER": "typeof({c}) = 'integer'", "REAL": "typeof({c}) IN ('integer', 'real')",
            "TEXT": "typeof({c}) = 'text'"}


def _whole_rows(table: str, columns: tuple[tuple[str, str, bool], ...]) -> str:
    tests = [_TYPE_OK[kind].format(c=f'"{name}"') for name, kind, not_null in columns
             if kind in _TYPE_OK and not_null]
    return " AND ".join(tests) or "1"


def _card_ok(payload, card, due) -> bool:
    """A review card whose JSON reads as tables and whose due time reads as a time."""
    try:
        if not isinstance(json.loads(payload), dict) or not isinstance(json.loads(card), dict):
            return False
        if due:
            from datetime import datetime

            datetime.fromisoformat(due)
        return True
    except (TypeError, ValueError):
        return False


def _damaged(conn: sqlite3.Connection, schema: str = "main") -> bool:
    """Some row of the (current) schema cannot be read back: a wrong type, or a card's broken JSON."""
    for table, columns in _schema_at(SCHEMA_VERSION):
        bad = conn.execute(f"SELECT 1 FROM {schema}.{table} WHERE NOT ({_whole_rows(table, columns)}) LIMIT 1")
        if bad.fetchone():
            return True
    return any(not _card_ok(p, c, d) for p, c, d in conn.execute(f"SELECT payload, card, due FROM {schema}.cards"))


def _salvage(conn: sqlite3.Connection, kept: Path) -> int:
    """Copy every whole row of our tables from the set-aside file into the fresh one; rows copied."""
    copied = 0
    try:
        conn.execute("ATTACH DATABASE ? AS old", (str(kept),))
    except sqlite3.Error:
        return 0
    try:
        if conn.execute("PRAGMA old.user_version").fetchone()[0] != SCHEMA_VERSION:
            return 0  # an older or foreign layout: nothing we could copy column for column
        found = dict(_tables(conn, "old"))

        def copy(c: sqlite3.Connection) -> None:
            nonlocal copied
            for table, columns in _schema_at(SCHEMA_VERSION):
                if table not in found or not {c[0] for c in columns} <= {c[0] for c in found[table]}:
                    continue
                names = ", ".join(f'"{c[0]}"' for c in columns)
                rows = c.execute(f"SELECT {names} FROM old.{table} WHERE {_whole_rows(table, columns)}").fetchall()
                if table == "cards":
                    rows = [r for r in rows if _card_ok(r[3], r[4], r[5])]
                marks = ", ".join("?" for _ in columns)
                c.executemany(f"INSERT OR IGNORE INTO main.{table} ({names}) VALUES ({marks})", rows)
                copied += len(rows)

        _transaction(conn, copy)
    except sqlite3.Error:
        return 0
    finally:
        try:
            conn.execute("DETACH DATABASE old")
        except sqlite3.Error:
            pass
    return copied


def _is_file(path: Path) -> bool:
    """Path.is_file, but False (not PermissionError) inside a folder we may not look into."""
    try:
        return path.is_file()
    except OSError:
        return False


def _read_only_copy(path: Path) -> sqlite3.Connection | None:
    """The saved progress, read without writing a byte, as an in-memory store (None if unreadable)."""
    if not _is_file(path):
        return None
    from urllib.parse import quote

    uri = "file:" + quote(str(path.resolve()))
    for flags in ("?mode=ro", "?immutable=1"):  # immutable: no -shm needed in a read-only folder
        source = memory = None
        try:
            source = sqlite3.connect(uri + flags, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
            version = source.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION or not _has_schema(source, version):
                return None
            memory = _connect(":memory:")
            source.backup(memory)
            _migrate(memory)
            if _damaged(memory):
                return None
            return memory
        except sqlite3.Error:
            if memory is not None:
                memory.close()
            continue
        finally:
            if source is not None:
                source.close()
    return None


def _when_unlocked(work, tries: int = 100, pause: float = 0.05):
    """Run work, retrying while another connection briefly holds the file (about 5 s at most)."""
    for attempt in range(tries):
        try:
            return work()
        except sqlite3.OperationalError as err:
            if "locked" not in str(err).lower() or attempt == tries - 1:
                raise
            time.sleep(pause)


def _is_corruption(err: sqlite3.DatabaseError) -> bool:
    """Corrupt or not SQLite at all, as opposed to a permissions or locking problem."""
    if isinstance(err, sqlite3.OperationalError):
        text = str(err).lower()
        return "malformed" in text or "not a database" in text
    return True


def _set_aside(path: Path) -> Path:
    """Rename the file (and its -wal/-shm companions) to *.corrupt-<time>; nothing is deleted."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while kept.exists():
        n += 1
        kept = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(kept.with_name(kept.name + suffix))
    path.rename(kept)
    return kept

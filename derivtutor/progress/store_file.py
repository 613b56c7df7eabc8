"""The learner's progress file, opened so that nothing in it is ever lost.

A corrupt file, or one that holds something else, is renamed aside (*.corrupt-<time>, with
its -wal and -shm) and never deleted; a readable one that is only partly damaged has every
whole row copied into the fresh file. A file we must not write (an unwritable folder, a
special file, a file from a newer derivtutor) is a StoreError, which the Store turns into a
notice and a session in memory; an unwritable file still shows what it holds, read-only.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from pathlib import Path

from derivtutor.progress import store_schema
from derivtutor.progress.store_schema import Migrations
from derivtutor.progress.store_sql import BUSY_TIMEOUT_MS, connect, rollback, transaction, when_unlocked
from derivtutor.text.errors import TutorError
from derivtutor.text.i18n import Catalog, tr

NOTICES = Catalog(__name__, 'NOTICES')


class StoreError(TutorError):
    """A store that cannot be used for saving; Store.open turns it into a notice."""

    table = NOTICES


class _NotOurs(Exception):
    """A readable SQLite file that is not (or no longer) a whole derivtutor store."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code  # "foreign": our tables are missing; "damaged": some rows cannot be read


def open_file(folder: Path, path: Path, migrations: Migrations, lang: str | None) -> tuple[sqlite3.Connection, str | None]:
    """Connect to the file, setting aside a corrupt or foreign one (the notice that says so, or None);
    StoreError when we must not write."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        raise StoreError("unwritable", path=folder) from None
    try:
        kind = path.lstat().st_mode if os.path.lexists(path) else None
    except OSError:
        raise StoreError("unwritable", path=folder) from None
    if kind is not None and not stat.S_ISREG(kind) and not (stat.S_ISLNK(kind) and is_file(path)):
        raise StoreError("not_a_file", path=path)  # a folder, a pipe (which would block), a device
    if not os.access(folder, os.W_OK):
        raise StoreError("unwritable", path=folder)
    if kind is not None and not os.access(path, os.W_OK):
        raise StoreError("unwritable", path=path)
    code = "corrupt"
    try:
        return _open_checked(path, migrations), None
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
        conn = _open_checked(path, migrations)
    except (sqlite3.DatabaseError, _NotOurs):
        raise StoreError("unwritable", path=folder) from None
    if code != "corrupt":  # a readable file: what is still whole in it comes along
        code = "damaged" if _salvage(conn, kept, migrations) else "foreign"
    return conn, tr(NOTICES[code], lang, name=str(kept))


def _open_checked(path: Path, migrations: Migrations) -> sqlite3.Connection:
    conn = connect(str(path))
    newest = len(migrations)
    try:
        # The version and the tables are read in one transaction: read apart, a second tutor
        # creating the same file could commit its first migration in between, and its tables
        # at "version 0" would look foreign and be set aside under its feet.
        conn.execute("BEGIN")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            ours = version > newest or store_schema.has_schema(conn, migrations, version)
        finally:
            rollback(conn)
        if version > newest:
            raise StoreError("newer")  # read nothing more, write nothing
        if not ours:
            raise _NotOurs("foreign")  # before WAL: a foreign file is set aside as it was
        # Switching a new file to WAL needs it to ourselves for a moment, and SQLite reports
        # "locked" at once (no busy wait) while a second tutor is creating the same file.
        when_unlocked(lambda: conn.execute("PRAGMA journal_mode = WAL"))
        # WAL + NORMAL: a commit survives a killed process; only power loss can cost the last steps.
        conn.execute("PRAGMA synchronous = NORMAL")
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed: {check}")
        store_schema.migrate(conn, migrations)
        if store_schema.damaged(conn, migrations):
            raise _NotOurs("damaged")
        return conn
    except BaseException:
        conn.close()
        raise


def _salvage(conn: sqlite3.Connection, kept: Path, migrations: Migrations) -> int:
    """Copy every whole row of our tables from the set-aside file into the fresh one; rows copied."""
    copied = 0
    try:
        conn.execute("ATTACH DATABASE ? AS old", (str(kept),))
    except sqlite3.Error:
        return 0
    try:
        if conn.execute("PRAGMA old.user_version").fetchone()[0] != len(migrations):
            return 0  # an older or foreign layout: nothing we could copy column for column
        found = dict(store_schema.tables(conn, "old"))

        def copy(c: sqlite3.Connection) -> None:
            nonlocal copied
            for table, columns in store_schema.schema_of(migrations):
                if table not in found or not store_schema.covers(found[table], columns):
                    continue
                names = ", ".join(f'"{c[0]}"' for c in columns)
                rows = c.execute(f"SELECT {names} FROM old.{table} WHERE {store_schema.whole_rows(columns)}").fetchall()
                if table == "cards":
                    rows = [r for r in rows if store_schema.card_ok(r[3], r[4], r[5])]
                marks = ", ".join("?" for _ in columns)
                c.executemany(f"INSERT OR IGNORE INTO main.{table} ({names}) VALUES ({marks})", rows)
                copied += len(rows)

        transaction(conn, copy)
    except sqlite3.Error:
        return 0
    finally:
        try:
            conn.execute("DETACH DATABASE old")
        except sqlite3.Error:
            pass
    return copied


def is_file(path: Path) -> bool:
    """Path.is_file, but False (not PermissionError) inside a folder we may not look into."""
    try:
        return path.is_file()
    except OSError:
        return False


def read_only_copy(path: Path, migrations: Migrations) -> sqlite3.Connection | None:
    """The saved progress, read without writing a byte, as an in-memory store (None if unreadable)."""
    if not is_file(path):
        return None
    from urllib.parse import quote

    uri = "file:" + quote(str(path.resolve()))
    for flags in ("?mode=ro", "?immutable=1"):  # immutable: no -shm needed in a read-only folder
        source = memory = None
        try:
            source = sqlite3.connect(uri + flags, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
            version = source.execute("PRAGMA user_version").fetchone()[0]
            if version > len(migrations) or not store_schema.has_schema(source, migrations, version):
                return None
            memory = connect(":memory:")
            source.backup(memory)
            store_schema.migrate(memory, migrations)
            if store_schema.damaged(memory, migrations):
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

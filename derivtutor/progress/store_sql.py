"""SQLite as the progress store uses it: one connection, short explicit transactions.

Nothing here knows our tables; it is the plumbing the schema, the file checks and the
Store share, so every write goes through one `transaction` that never leaves one open.
"""

from __future__ import annotations

import sqlite3
import time

BUSY_TIMEOUT_MS = 10_000


def connect(target: str) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so a writer takes the lock up
    # front and waits (busy_timeout) instead of failing halfway with "database is locked".
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def transaction(conn: sqlite3.Connection, work) -> None:
    """Run ``work(conn)`` between BEGIN IMMEDIATE and COMMIT; on any failure, roll back and re-raise."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        work(conn)
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise


def rollback(conn: sqlite3.Connection) -> None:
    """Leave no transaction open after a failure (a failed COMMIT may leave one)."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def when_unlocked(work, tries: int = 100, pause: float = 0.05):
    """Run work, retrying while another connection briefly holds the file (about 5 s at most)."""
    for attempt in range(tries):
        try:
            return work()
        except sqlite3.OperationalError as err:
            if "locked" not in str(err).lower() or attempt == tries - 1:
                raise
            time.sleep(pause)

"""What a whole derivtutor store looks like: the tables a list of migrations builds, and the rows
that can be read back.

The migrations themselves are the Store's (store.MIGRATIONS); every function here takes them,
so the checks always compare a file with the schema the running Store declares. A file is
*ours* when it holds every table and column the migrations made by its version, and *whole*
when no row holds a value of the wrong type or a review card that does not read back.
"""

from __future__ import annotations

import functools
import json
import sqlite3

from derivtutor.progress.store_sql import rollback

Migrations = tuple[str, ...]  # migration i takes the schema from version i to i + 1


def statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit on its own)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def migrate(conn: sqlite3.Connection, migrations: Migrations) -> None:
    """Bring the schema up to len(migrations), one migration per transaction."""
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version >= len(migrations):
                conn.execute("COMMIT")
                return
            for statement in statements(migrations[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            rollback(conn)
            raise


@functools.lru_cache(maxsize=None)
def schema_of(scripts: Migrations) -> tuple[tuple[str, tuple[tuple[str, str, bool], ...]], ...]:
    """((table, ((column, declared type, not null), ...)), ...) that these migrations create."""
    conn = sqlite3.connect(":memory:")
    try:
        for script in scripts:
            for statement in statements(script):
                conn.execute(statement)
        return tables(conn, "main")
    finally:
        conn.close()


def tables(conn: sqlite3.Connection, schema: str) -> tuple:
    names = [r[0] for r in conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return tuple((name, tuple((c[1], c[2].upper(), bool(c[3]))
                              for c in conn.execute(f'PRAGMA {schema}.table_info("{name}")')))
                 for name in names)


def has_schema(conn: sqlite3.Connection, migrations: Migrations, version: int, schema: str = "main") -> bool:
    """Every table and column our migrations made by `version` is there (extra ones are allowed).

    A file at version 0 must hold no tables at all: we create ours and set the version
    in one transaction, so tables without a version were made by something else."""
    found = dict(tables(conn, schema))
    if version == 0:
        return not found
    return all(name in found and covers(found[name], columns) for name, columns in schema_of(migrations[:version]))


def covers(found_columns: tuple, columns: tuple) -> bool:
    """A table found in a file has (at least) every column of ours."""
    return {c[0] for c in columns} <= {c[0] for c in found_columns}


# A value of the wrong type in a column (SQLite stores whatever it is given) would break the
# reports; these are the rows that are whole.
_TYPE_OK = {"INTEGER": "typeof({c}) = 'integer'", "REAL": "typeof({c}) IN ('integer', 'real')",
            "TEXT": "typeof({c}) = 'text'"}


def whole_rows(columns: tuple[tuple[str, str, bool], ...]) -> str:
    """The SQL condition a row of a table with these columns meets when every value has its type."""
    tests = [_TYPE_OK[kind].format(c=f'"{name}"') for name, kind, not_null in columns
             if kind in _TYPE_OK and not_null]
    return " AND ".join(tests) or "1"


def card_ok(payload, card, due) -> bool:
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


def damaged(conn: sqlite3.Connection, migrations: Migrations, schema: str = "main") -> bool:
    """Some row of the (current) schema cannot be read back: a wrong type, or a card's broken JSON."""
    for table, columns in schema_of(migrations):
        bad = conn.execute(f"SELECT 1 FROM {schema}.{table} WHERE NOT ({whole_rows(columns)}) LIMIT 1")
        if bad.fetchone():
            return True
    return any(not card_ok(p, c, d) for p, c, d in conn.execute(f"SELECT payload, card, due FROM {schema}.cards"))

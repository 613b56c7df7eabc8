"""Notation as learners write it: every row of tests/tables/notation.toml, read or refused as it says.

The table holds plain-math rows in the spirit of STACK's input fixtures, the ML and calculus
notation of issue 11 and the Chinese input habits of issue 14; bench/bench_notation.py prints how
often we read a STACK row as STACK does.
"""

from pathlib import Path

import pytest

from derivtutor.mathinput import MathInputError, read

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

TABLE = tomllib.loads((Path(__file__).parent / "tables" / "notation.toml").read_text(encoding="utf-8"))
ROWS = [row for section in ("stack", "ours", "chinese") for row in TABLE[section]]


def key(reading):
    return reading.form, reading.name, reading.wrt, reading.expr, tuple(sorted(reading.at.items()))


def expected_reading(row) -> str | None:
    if "refused" in row:
        return None
    if "reads" in row:
        return row["reads"]
    assert not row["stack"].startswith("~"), "a row STACK reads otherwise needs `reads` or `refused`"
    return row["stack"]


@pytest.mark.parametrize("row", ROWS, ids=[row["typed"] for row in ROWS])
def test_each_way_of_writing(row):
    variables = row.get("vars")
    target = expected_reading(row)
    if target is None:
        with pytest.raises(MathInputError) as caught:
            read(row["typed"], variables)
        assert caught.value.code == row["refused"], caught.value.message
        for lang in ("en", "zh"):
            assert caught.value.localized(lang)
        if "suggests" in row:
            assert row["suggests"] in caught.value.message
        return
    reading = read(row["typed"], variables)
    plain = read(target, variables)
    assert not plain.notes, f"the explicit form {target!r} must read without a note: {plain.notes}"
    assert key(reading) == key(plain)
    if "note" in row:
        assert any(row["note"] in note for note in reading.notes), reading.notes
        assert len(reading.localized_notes("zh")) == len(reading.notes)
    else:
        assert not reading.notes, reading.notes


def test_the_table_names_each_typed_text_once():
    typed = [row["typed"] for row in ROWS]
    assert len(typed) == len(set(typed))

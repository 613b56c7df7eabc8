"""Notation agreement: of the plain-math rows drawn from STACK's input fixtures
(tests/tables/notation.toml, `stack = …`), how many derivtutor reads the same way STACK does.

A row agrees when STACK's reading, written in our syntax, reads cleanly (no note) and the
learner's text reads to the same form, name, variable and expression. Rows STACK reads in a
way our syntax cannot say ("~ …": function application f(x), multi-letter names, ∞, ±) count
as disagreements. Prints the figure and the rows that disagree.
"""
import sys
import time
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from derivtutor.algebra.matherror import MathInputError
from derivtutor.algebra.mathinput import read

TABLE = Path(__file__).resolve().parents[1] / "tests" / "tables" / "notation.toml"


def key(reading):
    return reading.form, reading.name, reading.wrt, reading.expr, tuple(sorted(reading.at.items()))


def outcome(row) -> tuple[bool, str]:
    try:
        ours = read(row["typed"])
    except MathInputError as err:
        return False, f"refused ({err.code})"
    if row["stack"].startswith("~"):
        return False, f"STACK: {row['stack'][1:].strip()}"
    try:
        theirs = read(row["stack"])
    except MathInputError as err:
        return False, f"STACK's reading is not ours to write ({err.code})"
    if theirs.notes:
        return False, "STACK's reading needs a note in our syntax"
    return key(ours) == key(theirs), "read differently"


def main() -> int:
    rows = tomllib.loads(TABLE.read_text(encoding="utf-8"))["stack"]
    start = time.perf_counter()
    results = [(row, *outcome(row)) for row in rows]
    agree = sum(ok for _, ok, _ in results)
    for row, ok, why in results:
        if not ok and "-v" in sys.argv:
            print(f"  {row['typed']!r:44} {why}")
    print(f"STACK plain-math rows read the same: {agree}/{len(rows)} = {100 * agree / len(rows):.1f} %"
          f"  ({(time.perf_counter() - start) * 1e3:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

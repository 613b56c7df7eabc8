"""A lesson's saved state read back from the store, every field checked before the runner trusts it.

The store keeps the runner's state as JSON, and anything may have changed it since (a
damaged disk, a hand edit, an older tutor). A place that cannot be read means starting
the lesson over; a damaged detail is reset; either way the learner is told, in one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from derivtutor.text.i18n import Catalog, tr

MAX_COUNT = 10_000  # tries, hints, experiment rounds: far more than a learner makes

NOTES = Catalog(__name__, 'NOTES')


@dataclass(frozen=True)
class Restored:
    state: dict[str, Any]
    note: str | None  # a NOTES key, or None when the state was whole

    def told(self, lang: str | None) -> str | None:
        return tr(NOTES[self.note], lang) if self.note else None


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


def _saved_text(value: Any) -> bool:
    """A saved answer: the text the learner typed, which must read as math again."""
    if not isinstance(value, str):
        return False
    from derivtutor.algebra import matherror, mathinput

    try:
        mathinput.read_expression(value)
    except (matherror.MathInputError, ValueError, RecursionError):
        return False
    return True


def restore(state: Any, positions: int, steps: int) -> Restored:
    """`state` as the runner may use it: `positions` places in the lesson, `steps` steps in its file."""
    from derivtutor.teaching.question import OUTCOMES

    if not state:
        return Restored({}, None)
    if not isinstance(state, dict):
        return Restored({}, "start_over")
    pos = state.get("pos", 0)
    if not isinstance(pos, int) or isinstance(pos, bool) or not 0 <= pos <= positions:
        return Restored({}, "start_over")
    checks = {
        "tries": _count, "hints": _count, "rounds": _count,
        "saved": lambda v: isinstance(v, dict) and all(isinstance(k, str) and _saved_text(t) for k, t in v.items()),
        "revealed": lambda v: isinstance(v, list) and all(
            isinstance(x, list) and x and all(isinstance(i, str) for i in x) for x in v),
        "results": lambda v: isinstance(v, dict) and all(isinstance(r, bool) for r in v.values()),
        "outcomes": lambda v: isinstance(v, dict) and all(o in OUTCOMES for o in v.values()),
        "last_answered": lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool) and 0 <= v < steps),
    }
    clean = {"pos": pos}
    damaged = False
    for key, ok in checks.items():
        if key not in state:
            continue
        try:
            whole = ok(state[key])
        except TypeError:  # an unhashable outcome, say
            whole = False
        if whole:
            clean[key] = state[key]
        else:
            damaged = True
    for key in state.keys() - checks.keys() - {"pos"}:
        clean[key] = state[key]  # fields the runner does not read (the lesson id) pass through
    return Restored(clean, "repaired" if damaged else None)

"""Mastery per skill: one number in [0, 1] per skill, moved by each answer (an Elo-style update).

Every answer that exercises a skill pulls its mastery towards the answer's score:
``m ← m + K·weight·(score − m)``. A right first try scores 1, right after a
wrong try or a hint 0.5, wrong, revealed or skipped 0. First-try evidence
(answered with no hint and nothing shown) weighs 1, an answer after hints or a
reveal 0.5: it says less about what the learner can do alone. Because each
update moves a fixed share of the way, recent answers count more than old
ones (an answer's influence shrinks by (1 − K·weight) with every later one).
A skill never practised stands at the prior, 0.5, and is shown as "—".

No SymPy here: `progress` prints this.
"""

from __future__ import annotations

from derivtutor.text import columns, numbers
from derivtutor.teaching import skills
from derivtutor.text.i18n import Catalog, tr

PRIOR = 0.5
K = 0.3
# difficulty: level 1 below 0.55, level 2 below 0.8, level 3 from there
LEVEL_STEPS = (0.55, 0.8)


def evidence(event: dict) -> tuple[float, float]:
    """(score, weight) of one answered question, by its outcome."""
    outcome = event.get("outcome") or _outcome(event)
    return {
        "first_try": (1.0, 1.0),
        "after_help": (0.5, 0.5 if int(event.get("hints", 0) or 0) else 1.0),
        "wrong": (0.0, 1.0),
        "revealed": (0.0, 0.5),
        "skipped": (0.0, 0.5),
    }.get(outcome, (0.0, 1.0))


# What `attempts` holds on a first-try answer, by the event's kind, until every event says its
# `outcome`: the lesson runner counts wrong tries (0), but a prediction counts itself, an
# experiment its rounds, and play and practice every try (1).
FIRST_TRY_ATTEMPTS = {"play": 1, "practice": 1, "predict": 1, "experiment": None}


def _outcome(event: dict) -> str:
    """For events without an `outcome`: read it from correct, revealed, hints and attempts."""
    hints, revealed = int(event.get("hints", 0) or 0), bool(event.get("revealed"))
    if event.get("skipped"):
        return "skipped"
    if revealed:
        return "revealed"
    if not event.get("correct"):
        return "wrong"
    limit = FIRST_TRY_ATTEMPTS.get(str(event.get("kind", "")), 0)
    unaided = limit is None or int(event.get("attempts", 0) or 0) <= limit
    return "first_try" if hints == 0 and unaided else "after_help"


def update(level: float, score: float, weight: float) -> float:
    return level + K * weight * (score - level)


def fold(results: list[dict]) -> dict[str, dict]:
    """Mastery from a list of answered events (each with its `skills`), oldest first."""
    out: dict[str, dict] = {}
    for event in results:
        score, weight = evidence(event)
        for skill in event.get("skills") or ():
            entry = out.setdefault(skill, {"level": PRIOR, "answered": 0})
            entry["level"] = update(entry["level"], score, weight)
            entry["answered"] += 1
    return out


def difficulty(level: float | None) -> int:
    """The practice level (1–3) for a mastery; an unpractised skill starts at 1."""
    if level is None:
        return 1
    return 1 + sum(level >= step for step in LEVEL_STEPS)


def weakest(known: dict[str, dict], candidates=skills.IDS) -> str:
    """The skill to practise: the lowest mastery (unpractised ones at the prior), earliest in teaching order on ties."""
    def standing(skill: str) -> tuple[float, int]:
        entry = known.get(skill)
        return (entry["level"] if entry else PRIOR, candidates.index(skill))
    return min(candidates, key=standing)


def percent(level: float | None) -> str:
    return "—" if level is None else numbers.percent(level)


TEXT = Catalog(__name__, 'TEXT')


def progress_lines(known: dict[str, dict], lang: str = "en", chart: bool = True) -> list[str]:
    """The per-skill part of `progress`: a bar per practised skill (or plain lines in a pipe)."""
    practised = [s for s in skills.IDS if s in known]
    if not practised:
        return [tr(TEXT["none"], lang)]
    out = [tr(TEXT["heading"], lang)]
    names = {s: skills.name(s, lang) for s in practised}
    width = max(columns.width(n) for n in names.values())
    for s in practised:
        level, n = known[s]["level"], known[s]["answered"]
        count = tr(TEXT["answered"], lang, n=n)
        if chart:
            out.append(f"  {columns.pad(names[s], width)}  {columns.bar(level)} {percent(level).rjust(4)}  {count}")
        else:
            out.append(tr(TEXT["plain_line"], lang, skill=names[s], level=percent(level), count=count))
    low = weakest(known, tuple(practised))
    out.append(tr(TEXT["weakest"], lang, skill=names[low], id=low))
    return out


def export_section(known: dict[str, dict], results: list[dict]) -> dict:
    """`export`'s part: the skill list (names in both languages), mastery, and the results behind it."""
    from datetime import datetime

    def when(ts: float) -> str:
        return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")

    return {
        "skills": [{"id": s.id, "en": s.en, "zh": s.zh} for s in skills.SKILLS],
        "mastery": {k: {"level": round(v["level"], 4), "answered": v["answered"], "updated": when(v["updated"])}
                    for k, v in known.items()},
        "skill_results": [{**r, "ts": when(r["ts"])} for r in results],
    }

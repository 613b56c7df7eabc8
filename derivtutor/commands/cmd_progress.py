"""The `progress`, `export`, `reset` and `review` commands: the store, read out for a learner or an instructor.

The pieces that decide what is printed (streak, bars, lines, export rows) are
plain functions of the store's numbers; the ``run_*`` functions only open the
store, print and return an exit code.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date, datetime, timedelta
from typing import TextIO

from derivtutor.text import i18n, numbers
from derivtutor.text.columns import bar
from derivtutor.text.columns import pad as _pad
from derivtutor.text.columns import width as _width
from derivtutor.text.i18n import Catalog, tr

TEXT = Catalog(__name__, 'TEXT')
YES = {"y", "yes", "是", "是的", "好", "确定"}
CHART_DAYS = 14
SPARKS = "▁▂▃▄▅▆▇█"
CSV_COLUMNS = ("time", "lesson", "step", "kind", "mode", "correct", "attempts", "hints",
               "revealed", "seconds", "answer", "lang", "outcome")


# ---- what is printed (pure) ----------------------------------------------------------------

def streak(days: list[str], today: date) -> int:
    """Days in a row with an answered step, ending today (or yesterday: today is not over yet)."""
    active = {date.fromisoformat(d) for d in days}
    day = today if today in active else today - timedelta(days=1)
    n = 0
    while day in active:
        n += 1
        day -= timedelta(days=1)
    return n


def sparkline(counts: list[int]) -> str:
    """One cell per day, its height the day's count; a quiet day is a space."""
    top = max(counts, default=0)
    return "".join(" " if not n else SPARKS[min(len(SPARKS) - 1, (n * len(SPARKS) - 1) // top)] for n in counts)


def last_days(activity: list[tuple[str, int]], today: date, n: int = CHART_DAYS) -> list[int]:
    by_day = dict(activity)
    return [by_day.get((today - timedelta(days=i)).isoformat(), 0) for i in range(n - 1, -1, -1)]


def duration(seconds: float, lang: str) -> str:
    minutes = round(seconds / 60)
    if minutes < 60:
        return tr(TEXT["minutes"], lang, n=minutes)
    return tr(TEXT["hours"], lang, h=minutes // 60, m=minutes % 60)


def _pct(x: float) -> str:
    return numbers.percent(x)




def lesson_line(entry: dict | None, lang: str) -> tuple[float, str]:
    """(fraction done, "10 of 16 steps · accuracy 80% · 2 hints · 12 min") for one lesson."""
    if not entry or (not entry["total"] and not entry["answered"]):
        return 0.0, tr(TEXT["not_started"], lang)
    fraction = 1.0 if entry["complete"] else (entry["done"] / entry["total"] if entry["total"] else 0.0)
    head = tr(TEXT["complete"], lang) if entry["complete"] else tr(TEXT["steps"], lang, done=entry["done"], total=entry["total"])
    parts = [head]
    if entry["accuracy"] is not None:
        parts.append(tr(TEXT["accuracy"], lang, pct=_pct(entry["accuracy"])))
    parts += [tr(TEXT["hints"], lang, n=entry["hints"] or 0), duration(entry["seconds"] or 0, lang)]
    return fraction, " · ".join(parts)


def progress_lines(summary: dict[str, dict], titles: dict[str, str], activity: list[tuple[str, int]],
                   today: date, lang: str = "en", chart: bool = True, columns: int = 100) -> list[str]:
    """The `progress` report: one line per lesson, the last two weeks, the streak."""
    ids = list(titles) + [k for k in summary if k not in titles and k != "play"]
    if not summary and not activity:
        return [tr(TEXT["nothing"], lang)]
    out = [tr(TEXT["heading"], lang)]
    names = {i: f"{i}  {titles[i]}" if i in titles else i for i in ids}
    width = max((_width(n) for n in names.values()), default=0)
    for lesson in ids:
        fraction, text = lesson_line(summary.get(lesson), lang)
        if chart:
            mark = ("✓" if summary.get(lesson, {}).get("complete") else _pct(fraction)).rjust(4)
            line = f"  {_pad(names[lesson], width)}  {bar(fraction)} {mark}  {text}"
            if _width(line) > columns:  # the details on their own line, never cut mid-word by the terminal
                line = f"  {_pad(names[lesson], width)}  {bar(fraction)} {mark}\n      {text}"
            out.append(line)
        else:
            out.append(tr({"en": "{name}: {text}", "zh": "{name}：{text}"}, lang, name=names[lesson], text=text))
    counts = last_days(activity, today)
    if chart:
        scale = tr(TEXT["days_scale"], lang, days_ago=len(counts) - 1, top=max(counts, default=0))
        out.append(f"  {tr(TEXT['days_chart'], lang, n=len(counts))}  ▕{sparkline(counts)}▏  {scale}")
    else:
        out.append(tr(TEXT["days_plain"], lang, n=len(counts), counts=" ".join(map(str, counts))))
    n = streak([d for d, _ in activity], today)
    out.append(tr(TEXT["streak"], lang, n=n) if n else tr(TEXT["no_streak"], lang))
    return out


def export_rows(attempts: list[dict]) -> list[dict]:
    """Answered steps as export rows: local ISO time first, booleans as true/false words."""
    rows = []
    for a in attempts:
        row = {k: a[k] for k in CSV_COLUMNS if k != "time"}
        row["seconds"] = round(float(row["seconds"]), 3)  # no float noise (595.4529999999997)
        row["time"] = datetime.fromtimestamp(a["ts"]).astimezone().isoformat(timespec="seconds")
        rows.append({k: row[k] for k in CSV_COLUMNS})
    return rows


def export_json(summary: dict, titles: dict[str, str], attempts: list[dict], cards: list,
                skills: dict | None = None) -> str:
    from derivtutor import __version__

    lessons = {k: {"title": titles.get(k, ""), **v} for k, v in summary.items()}
    for entry in lessons.values():
        if entry.get("last"):
            entry["last"] = datetime.fromtimestamp(entry["last"]).astimezone().isoformat(timespec="seconds")
    doc = {
        "format": "derivtutor-progress", "version": 1, "derivtutor": __version__,
        "exported": datetime.now().astimezone().isoformat(timespec="seconds"),
        "lessons": lessons,
        "attempts": export_rows(attempts),
        "review_cards": [{"kind": c.kind, "lesson": c.lesson, "step": c.step, "due": c.due,
                          "last_rating": c.last_rating, "reviews": c.reps} for c in cards],
        **(skills or {}),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def export_skills(store) -> dict:
    """The skills list, mastery per skill and every (answer, skill) result, for `export`."""
    from derivtutor.progress.mastery import export_section

    return export_section(store.mastery(), store.skill_results())


def export_csv(attempts: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in export_rows(attempts):
        writer.writerow({**row, "correct": str(row["correct"]).lower(), "revealed": str(row["revealed"]).lower()})
    return buffer.getvalue()


def confirmed(question: str, stdin: TextIO, stdout: TextIO) -> bool:
    """Ask once; only a yes counts (end of input, as in a pipe, is a no)."""
    stdout.write(question)
    stdout.flush()
    reply = stdin.readline()
    if not reply.endswith("\n"):
        stdout.write("\n")
    return reply.strip().lower() in YES


# ---- the commands --------------------------------------------------------------------------

def add_progress_arguments(p) -> None:
    p.add_argument("--chart", choices=("auto", "always", "never"), default="auto",
                   help="Unicode bars (default: only on a terminal)")


def add_export_arguments(p) -> None:
    p.add_argument("--format", choices=("json", "csv"), default="json", help="json (everything) or csv (one row per answer)")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")


def add_reset_arguments(p) -> None:
    p.add_argument("lesson", nargs="?", help="forget only this lesson (default: everything)")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")


def _lang(ns) -> str:
    return getattr(ns, "lang", None) or "en"


def _open_store(ns):
    """The store, with its notices printed once on stderr."""
    from derivtutor.progress.store import Store

    store = Store.open(lang=_lang(ns))
    for notice in store.notices:
        print(notice, file=sys.stderr)
    return store


def _titles(ns) -> dict[str, str]:
    from derivtutor.teaching import lessons

    return {l.id: l.title for l in lessons.available(_lang(ns), getattr(ns, "lessons", []) or [])}


def _lesson_id(ref: str, ns, known: set[str]) -> str:
    """A lesson reference (`2`, `lesson2`, a title word) as the id progress is kept under."""
    if ref in known:
        return ref
    from derivtutor.teaching import lessons

    return lessons.find(ref, _lang(ns), getattr(ns, "lessons", []) or []).id


def run_progress(ns) -> int:
    chart = {"always": True, "never": False}.get(getattr(ns, "chart", "auto"),
                                                 sys.stdout.isatty() and not getattr(ns, "plain", False))
    store = _open_store(ns)
    try:
        import shutil

        lines = progress_lines(store.progress_summary(), _titles(ns), store.activity(), date.today(),
                               _lang(ns), chart, columns=shutil.get_terminal_size((100, 24)).columns)
        from derivtutor.progress.mastery import progress_lines as skill_lines  # the per-skill section

        lines += [""] + skill_lines(store.mastery(), _lang(ns), chart)
    finally:
        store.close()
    from derivtutor.text.safe_text import clean

    columns = shutil.get_terminal_size((100, 24)).columns
    print(clean("\n".join(fit(lines, columns))))  # lesson titles come from files
    return 0


def fit(lines: list[str], columns: int) -> list[str]:
    """Lines wider than the terminal broken between words (or between Chinese characters), the
    rest hanging under their first line, so the terminal never cuts a word in two."""
    from derivtutor.terminal.render import text, wrap

    out: list[str] = []
    for line in "\n".join(lines).split("\n"):
        if _width(line) <= columns:
            out.append(line)
            continue
        body = line.lstrip(" ")
        lead = min(len(line) - len(body), columns // 3)
        pieces = [text(piece) for piece in wrap([("", body)], max(columns - lead - 4, 12))]
        out += [" " * (lead if i == 0 else lead + 4) + piece for i, piece in enumerate(pieces)]
    return out


def run_export(ns) -> int:
    store = _open_store(ns)
    try:
        attempts = store.attempts()
        if ns.format == "csv":
            text = export_csv(attempts)
        else:
            text = export_json(store.progress_summary(), _titles(ns), attempts, store.cards(),
                               skills=export_skills(store))
    finally:
        store.close()
    if not ns.output:
        sys.stdout.write(text)
        return 0
    try:
        with open(ns.output, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    except OSError as err:
        print(tr(TEXT["cannot_write"], _lang(ns), path=ns.output, reason=i18n.os_reason(err)), file=sys.stderr)
        return 1
    print(tr(TEXT["written"], _lang(ns), path=ns.output), file=sys.stderr)
    return 0


def run_reset(ns) -> int:
    lang = _lang(ns)
    store = _open_store(ns)
    try:
        if not store.saving:
            print(tr(TEXT["not_saving"], lang), file=sys.stderr)
            return 1
        summary = store.progress_summary()
        lesson = None
        if ns.lesson:
            try:
                lesson = _lesson_id(ns.lesson, ns, set(summary))
            except LookupError:
                lesson = ns.lesson
            if lesson not in summary and not store.cards(lesson=lesson):
                print(tr(TEXT["reset_none"], lang, lesson=ns.lesson))
                return 1
        question = tr(TEXT["reset_one"], lang, lesson=lesson) if lesson else tr(TEXT["reset_all"], lang)
        if not ns.yes and not confirmed(question, sys.stdin, sys.stdout):
            print(tr(TEXT["reset_kept"], lang))
            return 1
        store.clear(lesson)
        print(tr(TEXT["reset_done"], lang))
        return 0
    finally:
        store.close()


def run_review(ns) -> int:
    """`review [LESSON] [--all]`: the due cards (or every question of LESSON) in the shell."""
    from derivtutor.progress.review import ReviewSession
    from derivtutor.terminal.saving import EventRecorder
    from derivtutor.terminal.shell import run_session

    lang = _lang(ns)
    store = _open_store(ns)
    try:
        lesson = None
        if getattr(ns, "lesson", None):
            try:
                lesson = _lesson_id(ns.lesson, ns, {c.lesson for c in store.cards()})
            except LookupError as err:
                print(err.localized(lang) if hasattr(err, "localized") else str(err), file=sys.stderr)
                return 1
        session = ReviewSession.from_store(store, lesson, redo_all=bool(getattr(ns, "all", False)),
                                           lang=lang, extra_dirs=getattr(ns, "lessons", []) or [])
        # one store for the session and the shell: the session commits each answer itself,
        # the recorder shows any notice that appears on the way ("could not save …")
        return int(run_session(session, ns, EventRecorder(store)) or 0)
    finally:
        store.close()

"""`derivtutor practice [SKILL] [--seed N] [--count N]`: fresh questions on one skill, in the shell.

Answers go to the store as they are given; with no SKILL, the learner's weakest skill.
"""

from __future__ import annotations

import sys
from typing import Any


def add_arguments(p) -> None:
    p.add_argument("skill", nargs="?", metavar="SKILL", help="a skill (default: your weakest)")
    p.add_argument("--seed", type=int, help="the same questions as another run with this seed")
    p.add_argument("--count", type=int, help="stop after this many questions (default: until quit)")


def run(ns: Any) -> int:
    from derivtutor.text import i18n
    from derivtutor.progress import mastery
    from derivtutor.teaching import skills
    from derivtutor.progress.practice import PracticeSession, resolve_skill, t
    from derivtutor.terminal.saving import EventRecorder
    from derivtutor.terminal.shell import run_session
    from derivtutor.progress.store import Store

    lang = getattr(ns, "lang", None) or i18n.language()
    store = Store.open(lang=lang)
    for notice in store.notices:
        print(notice, file=sys.stderr)
    try:
        weakest = not getattr(ns, "skill", None)
        skill = mastery.weakest(store.mastery()) if weakest else resolve_skill(ns.skill)
        if skill is None:
            print(t("unknown_skill", lang, name=ns.skill, names=i18n.listing(skills.IDS)), file=sys.stderr)
            return 1
        session = PracticeSession(skill, lang, seed=getattr(ns, "seed", None), store=store,
                                  count=getattr(ns, "count", None), weakest=weakest)
        return int(run_session(session, ns, EventRecorder(store)) or 0)
    finally:
        store.close()

"""The course's terms in one file (glossary.toml), so lessons and interface say one word
for one idea: `term("forward_difference", "zh")` → 前向差分, and `coined(text)` finds the
synonyms the glossary rules out."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from derivtutor.text import toml

FILE = Path(__file__).with_name("glossary.toml")


@dataclass(frozen=True)
class Term:
    key: str
    en: str
    zh: str
    avoid: tuple[str, ...]
    introduced: str | None = None


@lru_cache(maxsize=1)
def terms() -> dict[str, Term]:
    data = toml.read(FILE)
    return {key: Term(key, t["en"], t["zh"], tuple(t.get("avoid", ())), t.get("introduced"))
            for key, t in data["terms"].items()}


def term(key: str, lang: str = "zh") -> str:
    entry = terms()[key]
    return entry.zh if lang == "zh" else entry.en


def coined(text: str) -> list[tuple[str, Term]]:
    """Each ruled-out synonym in `text`, with the term to use instead."""
    return [(word, t) for t in terms().values() for word in t.avoid if word in text]

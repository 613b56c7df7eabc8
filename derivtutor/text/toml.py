"""TOML, the format of lessons, sentences, the glossary and the command table, read in one
place: the standard library's tomllib, or tomli (the same parser) on Python 3.10."""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

loads = tomllib.loads
TOMLDecodeError = tomllib.TOMLDecodeError


def read(path: Path | str) -> dict:
    """A UTF-8 TOML file of our own (not a lesson: lessons are read with their checks)."""
    return loads(Path(path).read_text(encoding="utf-8"))

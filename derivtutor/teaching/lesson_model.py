"""A loaded lesson as plain records: its steps, its values, and the problems found in a file.

Everything above the files (the loader, the step kinds, the runner, lint) shares these
records, so this module imports nothing of the tutor: no SymPy, no lesson loading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PLACEHOLDER = re.compile(r"\{(\w+)(?::(\.\d{1,2}[fge]))?\}")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str
    zh: str | None = field(default=None, compare=False)  # the Chinese form, when the check has one

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Step:
    index: int
    kind: str
    fields: dict[str, Any]
    line: int
    graded: bool = True  # from the step's kind (a `say` step is not a question)

    @property
    def id(self) -> str:
        return self.fields.get("id") or f"step{self.index + 1}"

    @property
    def text(self) -> str:
        return self.fields.get("text", "")

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    summary: str
    path: Path
    lang: str
    steps: tuple[Step, ...]
    values: dict[str, Any] = field(default_factory=dict)
    graphs: dict[str, dict] = field(default_factory=dict)
    setup: tuple[str, ...] = ()          # lines of code every `code` step runs first

    @property
    def number(self) -> str:
        match = re.search(r"(\d+)$", self.id)
        return match.group(1) if match else ""

    def step_by_id(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

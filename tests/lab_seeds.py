"""Reading the course labs' exports (../shared/seeds) into cells and the outputs they show.

000, 002, 003 and 004 are clean exports: `In [n]:` alone on a line, the cell's code up to a blank
line, then (after blank lines) the output paragraph when the cell shows one. 001 is the same lab
exported through Markdown, with fenced cells and garbled outputs; `fenced_cells` reads it.
"""

from __future__ import annotations

import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
IN = re.compile(r"^In \[\d+\]:\s*$")


def seed(prefix: str) -> Path | None:
    found = sorted(SEEDS.glob(prefix + "_*.txt")) if SEEDS.is_dir() else []
    return found[0] if found else None


def clean_cells(text: str) -> list[tuple[list[str], list[str]]]:
    """(code lines, the paragraph after them) for every `In [n]:` cell."""
    lines = text.splitlines()
    cells = []
    i = 0
    while i < len(lines):
        if not IN.match(lines[i]):
            i += 1
            continue
        i += 1
        code = []
        while i < len(lines) and lines[i].strip() and not IN.match(lines[i]):
            code.append(lines[i])
            i += 1
        while i < len(lines) and not lines[i].strip():
            i += 1
        after = []
        j = i
        while j < len(lines) and lines[j].strip() and not IN.match(lines[j]):
            after.append(lines[j])
            j += 1
        cells.append((code, after))
    return cells


def fenced_cells(text: str) -> list[tuple[int, list[str]]]:
    """(cell number, code lines) for the 001 export: cells inside ``` fences, `In [n]: code` first."""
    cells: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
            current = None
            continue
        m = re.match(r"^In \[(\d+)\]:\s?(.*)$", line)
        if m:
            current = [m.group(2)] if m.group(2).strip() else []
            cells.append((int(m.group(1)), current))
            continue
        if fenced and current is not None:
            if not line.strip() or re.match(r"^[0O]ut ?\[", line):
                current = None
            else:
                current.append(line)
    return cells

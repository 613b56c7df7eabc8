"""The shapes of a lesson's nested values (graphs, computed numbers, tolerances, ε), checked
at load time without SymPy.

Instructors write lessons by hand, so any value may be of any TOML type. Everything the
runner and lint later index or iterate (a graph's nodes and inputs, a computed number's
formula, `eps` and `at`) is checked here first: a value of the wrong shape is a problem at
its line, in English and Chinese, never a KeyError or TypeError half-way through lint.
"""

from __future__ import annotations

import math
import re
from typing import Any

from derivtutor.teaching.lesson_model import Problem
from derivtutor.text import safe_text
from derivtutor.text.i18n import Catalog, tr

COMPUTED_KEYS = ("value", "derivative", "forward", "central")
TOLERANCE_KEYS = ("rel", "abs")
TOLERANCE_TEXT = Catalog(__name__, 'TOLERANCE_TEXT')
SHAPES = Catalog(__name__, 'SHAPES')


def said(path: str, line: int, entry: dict, **fields: Any) -> Problem:
    """A problem from a catalog entry: in the reader's language, with its Chinese beside it.

    `what` ("step 3", "value `k`") is the loader's English; its Chinese fills `what_zh`."""
    if "what" in fields:
        from derivtutor.teaching import lint_text  # its patterns are compiled only when a lesson is broken

        fields["what_zh"] = lint_text.localize(fields["what"], "zh")
    return Problem(path, line, tr(entry, None, **fields), zh=tr(entry, "zh", **fields))


def shown(value: Any) -> str:
    """An author's value inside a sentence: short, and with no control character left raw."""
    text = value if isinstance(value, str) else repr(value)
    return safe_text.clean(text if len(text) <= 40 else text[:40] + "…", keep_layout=False)


def is_number(value: Any) -> bool:
    """A TOML integer or float (true/false are not numbers)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_nudge(value: Any) -> bool:
    """An ε a difference quotient can divide by: a finite number above 0."""
    return is_number(value) and math.isfinite(value) and value > 0


def field_line(lines: list[str], start: int, key: str) -> int:
    """The line of `key = …` from line `start` to the next [[…]] header (`start` if it is not there)."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number in range(start, len(lines) + 1):
        raw = lines[number - 1]
        if number > start and raw.strip().startswith("[["):
            break
        if pattern.match(raw):
            return number
    return start


def check_tolerance(path: str, line: int, tolerance: dict, index: int, kind: str) -> list[Problem]:
    """`tolerance = { rel = 0.01, abs = 1e-6 }`: every wrong answer is compared with these numbers."""
    problems = []
    for key, value in tolerance.items():
        if key not in TOLERANCE_KEYS:
            problems.append(said(path, line, TOLERANCE_TEXT["key"], n=index + 1, kind=kind, key=shown(key)))
        elif not is_number(value) or not math.isfinite(value) or value < 0:
            problems.append(said(path, line, TOLERANCE_TEXT["value"], n=index + 1, kind=kind, key=key,
                                 value=safe_text.quote(repr(value))))
    return problems


def check_eps(path: str, line: int, value: Any, index: int, kind: str) -> list[Problem]:
    """A step's own `eps` (a number by its type): it must also be one a quotient can divide by."""
    if is_number(value) and not is_nudge(value):
        return [said(path, line, SHAPES["step_eps"], n=index + 1, kind=kind, value=shown(value))]
    return []


def check_computed(path: str, line: int, spec: dict, what: str) -> list[Problem]:
    """`{ forward = "w^2", at = { w = 3 }, eps = 0.001 }`: one formula, a point, ε, a variable."""
    keys = [k for k in COMPUTED_KEYS if k in spec]
    if len(keys) != 1:
        return [Problem(path, line, f"{what}: a computed number needs exactly one of {', '.join(COMPUTED_KEYS)}")]
    extra = set(spec) - {keys[0], "at", "eps", "wrt"}
    problems = [Problem(path, line, f"{what}: unknown key `{k}`") for k in sorted(extra)]
    kind = keys[0]
    if not isinstance(spec[kind], str):
        problems.append(said(path, line, SHAPES["formula"], what=what, key=kind))
    if kind in ("forward", "central") and "eps" not in spec:
        problems.append(Problem(path, line, f"{what}: `{kind}` needs `eps`"))
    elif "eps" in spec and not is_nudge(spec["eps"]):
        problems.append(said(path, line, SHAPES["eps"], what=what, value=shown(spec["eps"])))
    if "wrt" in spec and not isinstance(spec["wrt"], str):
        problems.append(said(path, line, SHAPES["wrt"], what=what))
    needs_point = kind != "derivative"  # a derivative without a point is the formula itself
    if (needs_point or "at" in spec) and not isinstance(spec.get("at"), dict):
        problems.append(Problem(path, line, f"{what}: `{kind}` needs `at = {{ w = 3 }}`"))
    return problems


# --- computation graphs ------------------------------------------------------------------------

def _graph_line(lines: list[str], name: str, key: str) -> int:
    """The line of `key` in [graphs.NAME] (or of `NAME = {…}` under [graphs]); 1 if neither is there."""
    header = re.compile(rf"^\s*\[\s*graphs\s*\.\s*(?:\"{re.escape(name)}\"|{re.escape(name)})\s*\]")
    start = next((i + 1 for i, raw in enumerate(lines) if header.match(raw)), None)
    if start is None:
        return field_line(lines, field_line(lines, 1, "graphs"), name)
    return field_line(lines, start, key)


def check_graphs(path: str, lines: list[str], graphs: Any) -> list[Problem]:
    """[graphs.NAME] tables: `nodes` a list of [name, formula] pairs of strings, `inputs` a table."""
    if not isinstance(graphs, dict):
        return [said(path, field_line(lines, 1, "graphs"), SHAPES["graphs"])]
    problems = []
    for name, graph in graphs.items():
        if not isinstance(graph, dict):
            problems.append(said(path, _graph_line(lines, name, name), SHAPES["graph"], name=shown(name)))
            continue
        nodes, inputs = graph.get("nodes"), graph.get("inputs")
        if not isinstance(nodes, list) or not nodes or not all(_is_node(node) for node in nodes):
            problems.append(said(path, _graph_line(lines, name, "nodes"), SHAPES["nodes"], name=shown(name)))
        if not isinstance(inputs, dict):
            problems.append(said(path, _graph_line(lines, name, "inputs"), SHAPES["inputs"], name=shown(name)))
        for key in sorted(set(graph) - {"nodes", "inputs"}):
            problems.append(said(path, _graph_line(lines, name, key), SHAPES["graph_key"],
                                 name=shown(name), key=shown(key)))
    return problems


def _is_node(node: Any) -> bool:
    """["c", "a * b"]: a node's name and its formula."""
    return isinstance(node, list) and len(node) == 2 and all(isinstance(x, str) and x.strip() for x in node)


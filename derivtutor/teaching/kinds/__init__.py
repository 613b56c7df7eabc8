"""The kinds of lesson step, one class each: adding a kind means adding its class here.

`KINDS` maps the `kind` a lesson file writes to the object that knows that kind's fields,
expected answer, validation, prompt, judging, reveal and hints (base.StepKind). Importing
this package is light (no SymPy): the lesson loader checks the schema with it at start-up.
"""

from __future__ import annotations

from typing import Any

from derivtutor.teaching.kinds.base import StepKind
from derivtutor.teaching.kinds.choice import Choice
from derivtutor.teaching.kinds.code import Code
from derivtutor.teaching.kinds.experiment import Experiment
from derivtutor.teaching.kinds.graph import Graph
from derivtutor.teaching.kinds.numbers import Number, Predict
from derivtutor.teaching.kinds.say import Say
from derivtutor.teaching.kinds.symbolic import Derivative, Expression

# In the order an author's "`kind` must be one of …" lists them.
KINDS: dict[str, StepKind] = {k.name: k for k in (Say(), Predict(), Number(), Expression(), Derivative(),
                                                  Choice(), Experiment(), Graph(), Code())}


def of(step) -> StepKind:
    """The kind of a loaded step (the loader only builds steps of a known kind)."""
    return KINDS[step.kind]


def expected(lesson, step, saved) -> Any:
    """What the step expects, computed now (a saved answer may feed it)."""
    return of(step).expected(lesson, step, saved)

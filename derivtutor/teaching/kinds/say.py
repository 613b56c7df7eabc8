"""A `say` step: the tutor speaks, nothing is asked (the runner shows it and moves on)."""

from __future__ import annotations

from derivtutor.teaching.kinds.base import StepKind


class Say(StepKind):
    name = "say"
    required = {"text": str}
    optional = {"values": dict, "id": str}
    graded = False

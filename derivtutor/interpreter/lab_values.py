"""The values of the lab console: what a line computes, and how Python would show it.

Every value is one the interpreter computed (ints, floats, strings, tuples, lists, dicts,
SymPy objects, the console's own `Function`s); showing one is `str` or `repr` as Python
gives them, with SymPy's printing sent to the bounded `cas` worker (a big tree prints slowly).
SymPy is imported on first use, not at module top: `derivtutor lab` shows its prompt first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from derivtutor.interpreter.lab_text import LabError

CAS_TIMEOUT = 1.2        # seconds for one bounded SymPy operation (the answer must come within 2 s)


@dataclass(frozen=True)
class Function:
    """A callable this console offers: its name and the Python function that implements it."""

    name: str
    run: Callable[..., Any]

    def __repr__(self) -> str:
        return f"<function {self.name}>"


@dataclass(frozen=True)
class Printed:
    """What print() wrote: the console shows it as printed lines, not as a value."""

    text: str


def load_sympy():
    """SymPy, imported the first time a line needs it."""
    import sympy

    return sympy


def is_sym(value: Any) -> bool:
    """A SymPy object (an expression, a number, a symbol), as opposed to a Python value."""
    sympy = load_sympy()
    return isinstance(value, sympy.Basic)


def cas_call(name: str, *args: Any) -> Any:
    """SymPy work of unknown cost, in the bounded worker: too slow is a sentence, not a hang."""
    from derivtutor.algebra import cas

    try:
        return cas.call(name, *args, timeout=CAS_TIMEOUT)
    except cas.CasTimeout as err:
        raise LabError("too_long", op=name) from err


def str_of(value: Any) -> str:
    """str() as Python gives it; SymPy's through the bounded worker when the tree is big."""
    if is_sym(value):
        return cas_call("sstr", value)
    if isinstance(value, (tuple, list)):
        inner = ", ".join(repr_of(v) for v in value)
        if isinstance(value, tuple):
            return f"({inner},)" if len(value) == 1 else f"({inner})"
        return f"[{inner}]"
    if isinstance(value, str):
        return value
    return str(value)


def repr_of(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{repr_of(k)}: {repr_of(v)}" for k, v in value.items()) + "}"
    return str_of(value)


def show(value: Any) -> str | None:
    """What Jupyter's plain output shows for a bare expression (None shows nothing)."""
    if value is None or isinstance(value, Printed):
        return None
    return repr_of(value)

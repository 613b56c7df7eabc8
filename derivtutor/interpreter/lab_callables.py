"""The functions and methods a learner may call in the lab console: the whitelist.

Each is a small Python function that checks its arguments (no text where SymPy would parse
it, orders and digits within the limits) before it computes, and sends SymPy work of
unknown cost to the bounded `cas` worker. A name that is not in these tables does not run.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from derivtutor.interpreter.lab_sizes import MAX_DIGITS, MAX_ORDER, MAX_SYMBOLS, check_power, check_value
from derivtutor.interpreter.lab_text import LabError
from derivtutor.interpreter.lab_values import Function, Printed, cas_call, is_sym, load_sympy, str_of

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

# SymPy methods a learner may call on an expression: the labs' ones.
METHODS = ("diff", "subs", "evalf", "simplify", "expand", "factor")


def _as_sym(value: Any) -> Any:
    """A Python number as a SymPy number, built from its value (never from text)."""
    sympy = load_sympy()
    if is_sym(value):
        return value
    if isinstance(value, bool):
        raise LabError("operand")
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, float):
        return sympy.Float(value)
    raise LabError("operand")


def _no_text(value: Any, fn: str) -> None:
    if isinstance(value, str):
        raise LabError("text_arg", fn=fn)
    if isinstance(value, (tuple, list)):
        for item in value:
            _no_text(item, fn)
    if isinstance(value, dict):
        for k, v in value.items():
            _no_text(k, fn)
            _no_text(v, fn)


def _symbol_names(spec: Any, fn: str) -> list[str]:
    if not isinstance(spec, str):
        raise LabError("symbols_text", fn=fn)
    if len(spec) > 2000 or ":" in spec:
        raise LabError("symbols_range")
    names = [n for n in re.split(r"[,\s]+", spec) if n]
    if len(names) > MAX_SYMBOLS:
        raise LabError("symbols_many", n=MAX_SYMBOLS)
    for name in names:
        if not NAME.match(name) or name.startswith("__"):
            raise LabError("symbols_name", name=name)
    return names


def _symbols(spec: Any) -> Any:
    sympy = load_sympy()
    names = _symbol_names(spec, "symbols")
    made = tuple(sympy.Symbol(n) for n in names)
    if len(made) == 1 and "," not in spec:
        return made[0]
    return made


def _symbol(name: Any) -> Any:
    names = _symbol_names(name, "Symbol")
    if len(names) != 1 or names[0] != name:
        raise LabError("symbols_name", name=name)
    return load_sympy().Symbol(name)


def _diff(expr: Any, *wrts: Any) -> Any:
    _no_text((expr,) + wrts, "diff")
    order = 0
    for i, item in enumerate(wrts):
        if isinstance(item, bool):
            raise LabError("diff_args")
        if isinstance(item, int):
            order += item - 1 if i else item
            if item < 0:
                raise LabError("diff_args")
        elif is_sym(item) and getattr(item, "is_Symbol", False):
            order += 1
        elif is_sym(item) and getattr(item, "is_Integer", False):
            order += int(item) - 1
        else:
            raise LabError("diff_args")
        if order > MAX_ORDER:
            raise LabError("diff_order", n=MAX_ORDER)
    check_value(expr)
    return cas_call("diff", _as_sym(expr), *wrts)


def _subs(expr: Any, *args: Any) -> Any:
    _no_text(args, "subs")
    if not is_sym(expr):
        return expr  # Python numbers have no symbols to replace
    if len(args) == 2:
        mapping: Any = [(args[0], args[1])]
    elif len(args) == 1 and isinstance(args[0], (list, tuple)):
        mapping = list(args[0])
        if not all(isinstance(p, (list, tuple)) and len(p) == 2 for p in mapping):
            raise LabError("subs_args")
        mapping = [tuple(p) for p in mapping]
    elif len(args) == 1 and isinstance(args[0], dict):
        mapping = args[0]
    else:
        raise LabError("subs_args")
    pairs = list(mapping.items()) if isinstance(mapping, dict) else mapping
    if _has_variable_exponent(expr):
        return _bounded_subs(expr, pairs)
    return cas_call("subs", expr, mapping)


def _has_variable_exponent(expr: Any) -> bool:
    sympy = load_sympy()
    return any(isinstance(node, sympy.Pow) and not node.exp.is_Number for node in sympy.preorder_traversal(expr))


def _bounded_subs(expr: Any, pairs: list) -> Any:
    """subs for an expression with a variable in an exponent (w**w**w at w = 9 is a tower): the
    tree is rebuilt bottom-up, each power's size estimated before it is computed."""
    sympy = load_sympy()
    for old, new in pairs:
        if not (is_sym(old) and old.is_Symbol):
            raise LabError("subs_symbol")
        new = _as_sym(new)
        check_value(new, bits=256)

        def rebuild(node: Any) -> Any:
            if node == old:
                return new
            if not node.args or not node.has(old):
                return node
            args = [rebuild(a) for a in node.args]
            if isinstance(node, sympy.Pow):
                check_power(args[0], args[1])
            result = node.func(*args)
            check_value(result)
            return result

        expr = rebuild(expr)
    return expr


def _evalf(expr: Any, n: Any = 15) -> Any:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_DIGITS:
        raise LabError("digits", n=MAX_DIGITS)
    _no_text(expr, "evalf")
    if not is_sym(expr):
        return cas_call("evalf", _as_sym(expr), n)
    return cas_call("evalf", expr, n)


def _bounded(op: str) -> Callable[[Any], Any]:
    def run(expr: Any) -> Any:
        _no_text(expr, op)
        if not is_sym(expr):
            expr = _as_sym(expr)
        return cas_call(op, expr)

    return run


def _elementary(name: str) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        _no_text(args, name)
        for a in args:
            check_value(a, bits=256)
        return getattr(load_sympy(), name)(*args)

    return run


def _round(x: Any, n: Any = None) -> Any:
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or abs(n) > MAX_DIGITS):
        raise LabError("digits", n=MAX_DIGITS)
    _no_text(x, "round")
    return round(x) if n is None else round(x, n)


def _abs(x: Any) -> Any:
    _no_text(x, "abs")
    return abs(x)


def _extreme(pick: Callable) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        items = args[0] if len(args) == 1 and isinstance(args[0], (list, tuple)) else args
        if not items:
            raise LabError("empty")
        if len(items) > MAX_SYMBOLS * 20:
            raise LabError("too_big")
        return pick(items)

    return run


def _print(*args: Any, sep: Any = " ", end: Any = "\n") -> "Printed":
    if not isinstance(sep, str) or not isinstance(end, str):
        raise LabError("print_args")
    return Printed(sep.join(str_of(a) for a in args) + end)


def _float(x: Any = 0.0) -> float:
    if isinstance(x, str) and len(x) > 100:
        raise LabError("too_big")
    return float(x)


def _int(x: Any = 0) -> int:
    if isinstance(x, str) and len(x) > 100:
        raise LabError("too_big")
    return int(x)


def _str_fn(x: Any = "") -> str:
    return str_of(x)


BUILTINS = {
    "print": Function("print", _print),
    "round": Function("round", _round),
    "abs": Function("abs", _abs),
    "min": Function("min", _extreme(min)),
    "max": Function("max", _extreme(max)),
    "float": Function("float", _float),
    "int": Function("int", _int),
    "str": Function("str", _str_fn),
}

SYMPY_FUNCTIONS = {
    "symbols": _symbols, "Symbol": _symbol, "diff": _diff,
    "simplify": _bounded("simplify"), "expand": _bounded("expand"), "factor": _bounded("factor"),
    "N": _evalf,
    **{name: _elementary(name) for name in ("sin", "cos", "tan", "exp", "log", "sqrt")},
}
SYMPY_CONSTANTS = ("pi", "E", "oo", "I")
SYMPY_NAMES = frozenset(SYMPY_FUNCTIONS) | frozenset(SYMPY_CONSTANTS)

METHOD_IMPLS = {
    "diff": _diff, "subs": _subs, "evalf": _evalf,
    "simplify": _bounded("simplify"), "expand": _bounded("expand"), "factor": _bounded("factor"),
}


def sympy_value(name: str) -> Any:
    if name in SYMPY_FUNCTIONS:
        return Function(name, SYMPY_FUNCTIONS[name])
    return getattr(load_sympy(), name)  # one of SYMPY_CONSTANTS, a fixed table

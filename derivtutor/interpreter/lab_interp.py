"""A small interpreter of the labs' kind of Python: the code the learner types in `derivtutor lab`.

The typed line is parsed with the standard library's `ast` (parsing, not evaluation) and the
tree is walked here, node by node. Nothing the learner types reaches `eval`, `exec`, `compile`
or `sympify`: a whitelist of node kinds, of names and of SymPy methods is all that runs, and
every value is one this module computed (ints, floats, strings, tuples, lists, SymPy objects).

Two passes per line. `vet` (lab_vet) looks at the whole tree first and refuses what this
console does not run, so a refused line runs nothing at all. `run` then evaluates the
statements and expressions here, checking sizes before it computes (lab_sizes) and calling
only the whitelisted functions and methods (lab_callables), which send the SymPy work of
unknown cost to the bounded `cas` worker.

SymPy is imported on first use, not at module top: `derivtutor lab` shows its prompt first.
"""

from __future__ import annotations

import ast
import operator
import re
import warnings
from dataclasses import dataclass
from typing import Any, Callable

from derivtutor.interpreter.lab_callables import BUILTINS, METHOD_IMPLS, SYMPY_NAMES, sympy_value
from derivtutor.interpreter.lab_sizes import (MAX_FORMAT_WIDTH, MAX_LINE, MAX_TEXT, check_power, check_product,
                                              check_value)
from derivtutor.interpreter.lab_text import LabError, NotNeeded, Refused, python_error
from derivtutor.interpreter.lab_values import Function, Printed, is_sym, repr_of, show, str_of
from derivtutor.interpreter.lab_vet import NOT_NEEDED, describe, vet


@dataclass
class Outcome:
    """What one typed line did: the lines it printed, and the value to show (Jupyter's Out)."""

    printed: list[str]
    shown: str | None = None
    value: Any = None        # what the line computes: the last expression, the value assigned, or print's one argument
    computed: bool = False   # the line's last statement gives a value (an import or a bare print(a, b) does not)
    assigned: str | None = None  # the name the last statement assigned to, when it is one name
    statement: Any = None        # the last statement's syntax tree (for the tutor's notes)


_BINOPS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
}
_CMPOPS = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge,
}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_}


class Interpreter:
    """The names a learner has defined, and the walk that runs one typed line."""

    def __init__(self) -> None:
        self.names: dict[str, Any] = {}
        self.not_needed: set[str] = set()
        self.defs: dict[str, ast.expr] = {}      # name -> the expression last assigned to it (for the tutor's notes)
        self.last_diff: tuple | None = None       # (expression, variables) of the last diff that ran
        self._print_args: tuple | None = None

    def copy(self) -> "Interpreter":
        """The same names in a new interpreter: a try that reassigns J leaves the original alone."""
        other = Interpreter()
        other.names = dict(self.names)
        other.not_needed = set(self.not_needed)
        other.defs = dict(self.defs)
        return other

    def defined(self) -> list[str]:
        return sorted(self.names)

    def run(self, source: str) -> Outcome:
        """Run one line (or a few, as a cell); Refused, NotNeeded or LabError say why not."""
        if len(source) > MAX_LINE:
            raise Refused("long", n=MAX_LINE)
        stripped = source.strip()
        if stripped.startswith(("%", "!")):
            raise NotNeeded(stripped.split()[0])
        try:
            with warnings.catch_warnings():  # "\J" in a string: Python's own warning, not for the learner's screen
                warnings.simplefilter("ignore")
                tree = ast.parse(source, mode="exec")
        except SyntaxError as err:
            raise LabError("syntax", line=err.lineno or 1, col=err.offset or 1) from None
        except ValueError:  # a NUL byte, on the Pythons that do not call it a SyntaxError
            raise LabError("syntax", line=1, col=1) from None
        except (RecursionError, MemoryError):
            raise Refused("nested") from None
        self._note_imports(tree)
        vet(tree, self.not_needed, frozenset(self.names))
        printed: list[str] = []
        outcome = Outcome(printed)
        for i, stmt in enumerate(tree.body):
            self._print_args = None
            value = self._statement(stmt, printed)
            if i == len(tree.body) - 1:
                outcome.computed = isinstance(stmt, (ast.Assign, ast.AugAssign)) or isinstance(stmt, ast.Expr) and value is not None
                outcome.value = value
                outcome.statement = stmt
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                    outcome.assigned = stmt.targets[0].id
                if isinstance(stmt, ast.Expr):
                    outcome.shown = show(value)
                    if self._print_args is not None and len(self._print_args) == 1:
                        outcome.value, outcome.computed = self._print_args[0], True
        return outcome

    def _note_imports(self, tree: ast.Module) -> None:
        for stmt in tree.body:
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if alias.name.split(".")[0] in NOT_NEEDED:
                        self.not_needed.add(alias.asname or alias.name.split(".")[0])

    def _statement(self, stmt: ast.stmt, printed: list[str]) -> Any:
        if isinstance(stmt, ast.Expr):
            value = self._eval(stmt.value, printed)
            check_value(value)
            return value
        if isinstance(stmt, ast.Assign):
            value = self._eval(stmt.value, printed)
            check_value(value)
            for target in stmt.targets:
                self._bind(target, value)
                if isinstance(target, ast.Name):
                    self.defs[target.id] = stmt.value
                else:
                    for sub in target.elts:
                        self.defs.pop(sub.id, None)
            return value
        if isinstance(stmt, ast.AugAssign):
            name = stmt.target.id  # vet: a Name
            if name not in self.names:
                raise LabError("unknown", name=name)
            value = self._binop(type(stmt.op), self.names[name], self._eval(stmt.value, printed))
            self.names[name] = value
            self.defs.pop(name, None)
            return value
        if isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                if alias.name == "*":
                    for name in sorted(SYMPY_NAMES):
                        self.names[name] = sympy_value(name)
                else:
                    self.names[alias.asname or alias.name] = sympy_value(alias.name)
            return None
        raise Refused("construct", what=describe(stmt))

    def _bind(self, target: ast.AST, value: Any) -> None:
        if isinstance(target, ast.Name):
            self.names[target.id] = value
            return
        items = list(value) if isinstance(value, (tuple, list)) else None
        if items is None:
            raise LabError("unpack_not")
        if len(items) != len(target.elts):
            raise LabError("unpack_count", want=len(target.elts), got=len(items))
        for sub, item in zip(target.elts, items):
            self.names[sub.id] = item

    def _eval(self, node: ast.AST, printed: list[str]) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in self.names:
                return self.names[node.id]
            if node.id in BUILTINS:
                return BUILTINS[node.id]
            if node.id in SYMPY_NAMES:
                raise LabError("not_imported", name=node.id)
            raise LabError("unknown", name=node.id)
        if isinstance(node, ast.BinOp):
            left = self._eval(node.left, printed)
            right = self._eval(node.right, printed)
            return self._binop(type(node.op), left, right)
        if isinstance(node, ast.UnaryOp):
            value = self._eval(node.operand, printed)
            return self._apply(_UNARY[type(node.op)], value)
        if isinstance(node, ast.BoolOp):
            value = self._eval(node.values[0], printed)
            for more in node.values[1:]:
                if isinstance(node.op, ast.And) != bool(self._truth(value)):
                    return value
                value = self._eval(more, printed)
            return value
        if isinstance(node, ast.IfExp):
            test = self._eval(node.test, printed)
            return self._eval(node.body if self._truth(test) else node.orelse, printed)
        if isinstance(node, ast.Compare):
            left = self._eval(node.left, printed)
            result: Any = True
            for i, (op, right_node) in enumerate(zip(node.ops, node.comparators)):
                right = self._eval(right_node, printed)
                result = self._apply(_CMPOPS[type(op)], left, right)
                if i < len(node.ops) - 1 and not self._truth(result):
                    return result
                left = right
            return result
        if isinstance(node, (ast.Tuple, ast.List)):
            items = [self._eval(e, printed) for e in node.elts]
            return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.Dict):
            out = {}
            for k, v in zip(node.keys, node.values):
                key = self._eval(k, printed)
                try:
                    out[key] = self._eval(v, printed)
                except TypeError:
                    raise LabError("dict_key") from None
            return out
        if isinstance(node, ast.JoinedStr):
            return self._fstring(node, printed)
        if isinstance(node, ast.Call):
            return self._call(node, printed)
        raise Refused("construct", what=describe(node))

    def _truth(self, value: Any) -> bool:
        try:
            return bool(value)
        except TypeError:
            raise LabError("truth") from None

    def _binop(self, op: type, left: Any, right: Any) -> Any:
        self._operands(left, right)
        if op is ast.Pow:
            check_power(left, right)
        if op is ast.Mult:
            check_product(left, right)
        if op is ast.Mod and isinstance(left, str):
            raise LabError("percent")  # %-formatting has its own widths: f-strings are what the labs use
        result = self._apply(_BINOPS[op], left, right)
        check_value(result)
        return result

    def _operands(self, *values: Any) -> None:
        for v in values:
            if isinstance(v, (Function, Printed, dict)):
                raise LabError("operand")

    def _apply(self, fn: Callable, *args: Any) -> Any:
        self._operands(*args)
        try:
            return fn(*args)
        except (ZeroDivisionError, OverflowError, TypeError, ValueError) as err:
            raise python_error(err) from None

    def _call(self, node: ast.Call, printed: list[str]) -> Any:
        if isinstance(node.func, ast.Attribute):
            target = self._eval(node.func.value, printed)
            if not is_sym(target) and not isinstance(target, (int, float)):
                raise LabError("method", name=node.func.attr)
            if isinstance(target, (int, float)) and node.func.attr not in ("subs", "evalf"):
                raise LabError("method", name=node.func.attr)
            fn = Function(node.func.attr, METHOD_IMPLS[node.func.attr])
            bound: tuple = (target,)
        else:
            fn = self._eval(node.func, printed)
            bound = ()
        if not isinstance(fn, Function):
            raise LabError("not_callable", name=str_of(fn)[:40] if not is_sym(fn) else "an expression")
        args = [self._eval(a, printed) for a in node.args]
        kwargs = {}
        for kw in node.keywords:
            kwargs[kw.arg] = self._eval(kw.value, printed)
        allowed = {"print": {"sep", "end"}, "evalf": {"n"}, "N": {"n"}, "round": {"ndigits"}}
        for key in kwargs:
            if key not in allowed.get(fn.name, set()):
                raise LabError("keyword", name=key, fn=fn.name)
        if fn.name == "round" and "ndigits" in kwargs:
            args.append(kwargs.pop("ndigits"))
        try:
            result = fn.run(*bound, *args, **kwargs)
        except (LabError, Refused):
            raise
        except Exception as err:  # noqa: BLE001 - SymPy's own errors, said in a sentence
            raise python_error(err) from None
        if isinstance(result, Printed):
            printed.append(result.text)
            self._print_args = tuple(args)
            return None
        if fn.name == "diff":
            self.last_diff = (bound + tuple(args))
        check_value(result)
        return result

    def _fstring(self, node: ast.JoinedStr, printed: list[str]) -> str:
        parts = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                parts.append(part.value)
                continue
            value = self._eval(part.value, printed)
            self._operands(value)
            if part.conversion == ord("r"):
                value = repr_of(value)
            elif part.conversion in (ord("s"), ord("a")):
                value = str_of(value)
            spec = self._fstring(part.format_spec, printed) if part.format_spec is not None else ""
            if any(int(n) > MAX_FORMAT_WIDTH for n in re.findall(r"\d+", spec)):
                raise Refused("format")
            if spec == "" or isinstance(value, str):
                parts.append(str_of(value) if spec == "" else self._format(value, spec))
            else:
                parts.append(self._format(value, spec))
            if sum(len(p) for p in parts) > MAX_TEXT:
                raise LabError("too_big")
        return "".join(parts)

    def _format(self, value: Any, spec: str) -> str:
        try:
            return format(value, spec)
        except (TypeError, ValueError) as err:
            raise python_error(err) from None

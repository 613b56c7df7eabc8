"""The first pass over a typed line: refuse, before anything runs, what the console does not run.

The whole syntax tree is looked at first: node kinds outside a whitelist (loops, lambdas,
subscripts...), imports of anything but SymPy, attributes other than the SymPy methods,
dunder names, Python builtins the console does not offer. A refused line runs nothing at
all; the labs' plotting and numpy lines get a kind note (NotNeeded) instead.
"""

from __future__ import annotations

import ast
import re

from derivtutor.interpreter.lab_callables import BUILTINS, METHODS, NAME, SYMPY_NAMES
from derivtutor.interpreter.lab_sizes import MAX_DEPTH, MAX_FORMAT_WIDTH
from derivtutor.interpreter.lab_text import NotNeeded, Refused
from derivtutor.text.i18n import Catalog, Forms

# Modules the labs import that this console does not need: a kind note, not a refusal.
NOT_NEEDED = {"numpy", "tensorflow", "matplotlib", "re", "math", "pandas", "ipywidgets",
              "lab_utils_common", "lab_utils_backprop", "sys", "warnings", "logging", "IPython"}
NOT_NEEDED_ALIASES = {"np", "tf", "plt", "pd", "widgets", "display"}


_ALLOWED_NODES = (
    ast.Module, ast.Expr, ast.Assign, ast.AugAssign, ast.Name, ast.Load, ast.Store, ast.Constant,
    ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.Call, ast.keyword, ast.Attribute,
    ast.Tuple, ast.List, ast.Dict, ast.JoinedStr, ast.FormattedValue, ast.ImportFrom, ast.Import,
    ast.alias, ast.IfExp,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow,
    ast.USub, ast.UAdd, ast.Not, ast.And, ast.Or,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE,
)

# What a refused node is called in the sentence the learner reads: Python's own spelling (the same
# in every language), or a word from CONSTRUCTS in lab_vet.toml.
_SPELLED = {
    ast.Lambda: "lambda", ast.FunctionDef: "def", ast.AsyncFunctionDef: "def", ast.ClassDef: "class",
    ast.With: "with", ast.Try: "try", ast.Delete: "del", ast.Global: "global", ast.Nonlocal: "nonlocal",
    ast.Return: "return", ast.Yield: "yield", ast.Await: "await", ast.NamedExpr: ":=", ast.Raise: "raise",
    ast.Assert: "assert", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|", ast.LShift: "<<", ast.RShift: ">>",
    ast.Invert: "~", ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in",
}
_WORDS = {
    ast.For: "for", ast.While: "while", ast.If: "if", ast.Subscript: "subscript", ast.ListComp: "comprehension",
    ast.SetComp: "comprehension", ast.DictComp: "comprehension", ast.GeneratorExp: "comprehension",
    ast.Starred: "starred", ast.Set: "set", ast.Slice: "slice", ast.BitXor: "caret", ast.AnnAssign: "annotation",
}
CONSTRUCTS = Catalog(__name__, "CONSTRUCTS")


def describe(node: ast.AST):
    """The name of a refused piece of Python, in both languages (an unknown node: its class name)."""
    kind = type(node)
    if kind in _SPELLED:
        return Forms(en=_SPELLED[kind], zh=_SPELLED[kind])
    if kind in _WORDS:
        return Forms(CONSTRUCTS[_WORDS[kind]])
    return kind.__name__


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Call)):
        node = node.value if isinstance(node, ast.Attribute) else node.func
    return node.id if isinstance(node, ast.Name) else None


def _python_builtins() -> frozenset[str]:
    import builtins

    return frozenset(dir(builtins))


PYTHON_BUILTINS = _python_builtins()


def vet(tree: ast.Module, not_needed: set[str], defined: frozenset[str] = frozenset()) -> None:
    """Refuse the whole line before anything of it runs; NotNeeded for the labs' plotting lines.

    Python's own builtins that this console does not offer (open, exec, getattr...) are refused
    here by name, so the sentence says what runs instead of "not defined"."""
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise Refused("nested")
        if not isinstance(node, _ALLOWED_NODES):
            raise Refused("construct", what=describe(node))
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top not in NOT_NEEDED and top != "sympy":
                    raise Refused("import", what=alias.name)
            raise NotNeeded(", ".join(a.name for a in node.names))
        if isinstance(node, ast.ImportFrom):
            top = (node.module or "").split(".")[0]
            if top in NOT_NEEDED:
                raise NotNeeded(node.module or "")
            if node.module != "sympy" or node.level:
                raise Refused("import", what=node.module or ".")
            for alias in node.names:
                if alias.name != "*" and alias.name not in SYMPY_NAMES:
                    raise Refused("sympy_name", what=alias.name)
                if alias.asname and not _plain_name(alias.asname):
                    raise Refused("name", what=alias.asname)
        if isinstance(node, ast.Name):
            if node.id in not_needed or node.id in NOT_NEEDED_ALIASES:
                raise NotNeeded(node.id)
            if not _plain_name(node.id):
                raise Refused("name", what=node.id)
            if (isinstance(node.ctx, ast.Load) and node.id in PYTHON_BUILTINS and node.id not in BUILTINS
                    and node.id not in defined):
                raise Refused("builtin", what=node.id)
        if isinstance(node, ast.Attribute):
            root = _root_name(node)
            if root in not_needed or root in NOT_NEEDED_ALIASES:
                raise NotNeeded(root)
            if node.attr not in METHODS:
                raise Refused("attribute", what="." + node.attr)
        if isinstance(node, ast.Call):
            if not isinstance(node.func, (ast.Name, ast.Attribute)):
                raise Refused("call")
            if isinstance(node.func, ast.Attribute) and not isinstance(node.func.ctx, ast.Load):
                raise Refused("call")
        if isinstance(node, ast.keyword) and node.arg is None:
            raise Refused("construct", what="** unpacking")
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
                if isinstance(node, ast.AugAssign) and not isinstance(target, ast.Name):
                    raise Refused("target")
                if not all(isinstance(n, ast.Name) for n in names):
                    raise Refused("target")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str, bool, type(None))):
            raise Refused("construct", what=type(node.value).__name__ + " literals")
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            _vet_spec(node.format_spec)
        for child in ast.iter_child_nodes(node):
            stack.append((child, depth + 1))


def _plain_name(name: str) -> bool:
    return bool(NAME.match(name)) and not name.startswith("__")


def _vet_spec(spec: ast.AST) -> None:
    for part in getattr(spec, "values", []):
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            if any(int(n) > MAX_FORMAT_WIDTH for n in re.findall(r"\d+", part.value)):
                raise Refused("format")

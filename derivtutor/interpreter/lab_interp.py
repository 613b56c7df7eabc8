"""A small interpreter of the labs' kind of Python: the code the learner types in `derivtutor lab`.

The typed line is parsed with the standard library's `ast` (parsing, not evaluation) and the
tree is walked here, node by node. Nothing the learner types reaches `eval`, `exec`, `compile`
or `sympify`: a whitelist of node kinds, of names and of SymPy methods is all that runs, and
every value is one this module computed (ints, floats, strings, tuples, lists, SymPy objects).

Two passes per line. `vet` looks at the whole tree first and refuses what this console does not
run (imports of anything but SymPy, attributes outside the methods below, lambdas, loops,
subscripts, dunder names...), so a refused line runs nothing at all. `run` then evaluates,
checking sizes before it computes (huge powers, long strings, many symbols, high derivative
orders) and sending the SymPy work of unknown cost to the bounded `cas` worker.

SymPy is imported on first use, not at module top: `derivtutor lab` shows its prompt first.
"""

from __future__ import annotations

import ast
import math
import operator
import re
import warnings
from dataclasses import dataclass
from typing import Any, Callable

MAX_LINE = 2000          # characters in one typed line
MAX_DEPTH = 120          # nesting of the syntax tree
MAX_BITS = 10_000        # an integer result (about 3000 digits)
MAX_TEXT = 10_000        # a string or a repeated list/tuple
MAX_SYMBOLS = 50         # symbols('...') in one call
MAX_ORDER = 10           # total derivative order in one diff
MAX_EXPONENT = 1000      # a numeric exponent on a SymPy expression
MAX_NODES = 2000         # size of a SymPy expression kept in a name
MAX_DIGITS = 100         # evalf(n) and round(x, n)
MAX_FORMAT_WIDTH = 200   # widths and precisions in a format spec
CAS_TIMEOUT = 1.2        # seconds for one bounded SymPy operation (the answer must come within 2 s)

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

# Modules the labs import that this console does not need: a kind note, not a refusal.
NOT_NEEDED = {"numpy", "tensorflow", "matplotlib", "re", "math", "pandas", "ipywidgets",
              "lab_utils_common", "lab_utils_backprop", "sys", "warnings", "logging", "IPython"}
NOT_NEEDED_ALIASES = {"np", "tf", "plt", "pd", "widgets", "display"}

# SymPy methods a learner may call on an expression: the labs' ones.
METHODS = ("diff", "subs", "evalf", "simplify", "expand", "factor")


class Refused(Exception):
    """The line is outside what this console runs; nothing of it was run. `what` names the piece."""

    def __init__(self, code: str, **fields: Any):
        super().__init__(code)
        self.code = code
        self.fields = fields


class LabError(Exception):
    """The line ran and Python (or SymPy) would have stopped with an error: said in one sentence."""

    def __init__(self, code: str, **fields: Any):
        super().__init__(code)
        self.code = code
        self.fields = fields


class NotNeeded(Exception):
    """numpy, tensorflow, matplotlib, %magics: the labs use them, this console does not need them."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


@dataclass
class Outcome:
    """What one typed line did: the lines it printed, and the value to show (Jupyter's Out)."""

    printed: list[str]
    shown: str | None = None
    value: Any = None        # what the line computes: the last expression, the value assigned, or print's one argument
    computed: bool = False   # the line's last statement gives a value (an import or a bare print(a, b) does not)
    assigned: str | None = None  # the name the last statement assigned to, when it is one name
    statement: Any = None        # the last statement's syntax tree (for the tutor's notes)


# ------------------------------------------------------------------ vetting the tree

_ALLOWED_NODES = (
    ast.Module, ast.Expr, ast.Assign, ast.AugAssign, ast.Name, ast.Load, ast.Store, ast.Constant,
    ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.Call, ast.keyword, ast.Attribute,
    ast.Tuple, ast.List, ast.Dict, ast.JoinedStr, ast.FormattedValue, ast.ImportFrom, ast.Import,
    ast.alias, ast.IfExp,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow,
    ast.USub, ast.UAdd, ast.Not, ast.And, ast.Or,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE,
)

# What a refused node is called in the sentence the learner reads.
_NODE_NAMES = {
    ast.Lambda: "lambda", ast.FunctionDef: "def", ast.AsyncFunctionDef: "def", ast.ClassDef: "class",
    ast.For: "for loops", ast.While: "while loops", ast.If: "if statements", ast.With: "with",
    ast.Try: "try", ast.Subscript: "subscripts ([...])", ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions", ast.DictComp: "comprehensions", ast.GeneratorExp: "comprehensions",
    ast.Delete: "del", ast.Global: "global", ast.Nonlocal: "nonlocal", ast.Return: "return",
    ast.Yield: "yield", ast.Await: "await", ast.Starred: "* unpacking", ast.NamedExpr: ":=",
    ast.Raise: "raise", ast.Assert: "assert", ast.Set: "sets", ast.Slice: "slices",
    ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^ (use ** for powers)",
    ast.LShift: "<<", ast.RShift: ">>", ast.Invert: "~", ast.Is: "is", ast.IsNot: "is not",
    ast.In: "in", ast.NotIn: "not in", ast.AnnAssign: "annotations",
}


# The English names that are words, not Python's own spelling, as a Chinese sentence says them.
_NODE_NAMES_ZH = {
    "for loops": "`for` 循环", "while loops": "`while` 循环", "if statements": "`if` 语句",
    "subscripts ([...])": "下标（`[...]`）", "comprehensions": "推导式", "* unpacking": "`*` 解包",
    "sets": "集合", "slices": "切片", "^ (use ** for powers)": "`^`（乘方请用 `**`）", "annotations": "类型注解",
}


def _describe(node: ast.AST):
    from derivtutor.text.i18n import Forms

    for kind, name in _NODE_NAMES.items():
        if isinstance(node, kind):
            return Forms(en=name, zh=_NODE_NAMES_ZH.get(name, name))
    return type(node).__name__


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
            raise Refused("construct", what=_describe(node))
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


# ------------------------------------------------------------------ the functions a learner may call


@dataclass(frozen=True)
class Function:
    """A callable this console offers: its name and the Python function that implements it."""

    name: str
    run: Callable[..., Any]

    def __repr__(self) -> str:
        return f"<function {self.name}>"


def _sympy():
    import sympy

    return sympy


def _is_sym(value: Any) -> bool:
    sympy = _sympy()
    return isinstance(value, sympy.Basic)


def _as_sym(value: Any) -> Any:
    """A Python number as a SymPy number, built from its value (never from text)."""
    sympy = _sympy()
    if _is_sym(value):
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


def _cas(name: str, *args: Any) -> Any:
    from derivtutor.algebra import cas

    try:
        return cas.call(name, *args, timeout=CAS_TIMEOUT)
    except cas.CasTimeout as err:
        raise LabError("too_long", op=name) from err


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
    sympy = _sympy()
    names = _symbol_names(spec, "symbols")
    made = tuple(sympy.Symbol(n) for n in names)
    if len(made) == 1 and "," not in spec:
        return made[0]
    return made


def _symbol(name: Any) -> Any:
    names = _symbol_names(name, "Symbol")
    if len(names) != 1 or names[0] != name:
        raise LabError("symbols_name", name=name)
    return _sympy().Symbol(name)


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
        elif _is_sym(item) and getattr(item, "is_Symbol", False):
            order += 1
        elif _is_sym(item) and getattr(item, "is_Integer", False):
            order += int(item) - 1
        else:
            raise LabError("diff_args")
        if order > MAX_ORDER:
            raise LabError("diff_order", n=MAX_ORDER)
    _check_value(expr)
    return _cas("diff", _as_sym(expr), *wrts)


def _subs(expr: Any, *args: Any) -> Any:
    _no_text(args, "subs")
    if not _is_sym(expr):
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
    return _cas("subs", expr, mapping)


def _has_variable_exponent(expr: Any) -> bool:
    sympy = _sympy()
    return any(isinstance(node, sympy.Pow) and not node.exp.is_Number for node in sympy.preorder_traversal(expr))


def _bounded_subs(expr: Any, pairs: list) -> Any:
    """subs for an expression with a variable in an exponent (w**w**w at w = 9 is a tower): the
    tree is rebuilt bottom-up, each power's size estimated before it is computed."""
    sympy = _sympy()
    for old, new in pairs:
        if not (_is_sym(old) and old.is_Symbol):
            raise LabError("subs_symbol")
        new = _as_sym(new)
        _check_value(new, bits=256)

        def rebuild(node: Any) -> Any:
            if node == old:
                return new
            if not node.args or not node.has(old):
                return node
            args = [rebuild(a) for a in node.args]
            if isinstance(node, sympy.Pow):
                _check_power(args[0], args[1])
            result = node.func(*args)
            _check_value(result)
            return result

        expr = rebuild(expr)
    return expr


def _evalf(expr: Any, n: Any = 15) -> Any:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_DIGITS:
        raise LabError("digits", n=MAX_DIGITS)
    _no_text(expr, "evalf")
    if not _is_sym(expr):
        return _cas("evalf", _as_sym(expr), n)
    return _cas("evalf", expr, n)


def _bounded(op: str) -> Callable[[Any], Any]:
    def run(expr: Any) -> Any:
        _no_text(expr, op)
        if not _is_sym(expr):
            expr = _as_sym(expr)
        return _cas(op, expr)

    return run


def _elementary(name: str) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        _no_text(args, name)
        for a in args:
            _check_value(a, bits=256)
        return getattr(_sympy(), name)(*args)

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


def _print(*args: Any, sep: Any = " ", end: Any = "\n") -> "_Printed":
    if not isinstance(sep, str) or not isinstance(end, str):
        raise LabError("print_args")
    return _Printed(sep.join(_str(a) for a in args) + end)


@dataclass(frozen=True)
class _Printed:
    text: str


def _float(x: Any = 0.0) -> float:
    if isinstance(x, str) and len(x) > 100:
        raise LabError("too_big")
    return float(x)


def _int(x: Any = 0) -> int:
    if isinstance(x, str) and len(x) > 100:
        raise LabError("too_big")
    return int(x)


def _str_fn(x: Any = "") -> str:
    return _str(x)


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

_METHOD_IMPLS = {
    "diff": _diff, "subs": _subs, "evalf": _evalf,
    "simplify": _bounded("simplify"), "expand": _bounded("expand"), "factor": _bounded("factor"),
}


def _sympy_value(name: str) -> Any:
    if name in SYMPY_FUNCTIONS:
        return Function(name, SYMPY_FUNCTIONS[name])
    return getattr(_sympy(), name)  # one of SYMPY_CONSTANTS, a fixed table


# ------------------------------------------------------------------ sizes, checked before and after


def _check_value(value: Any, bits: int = MAX_BITS) -> None:
    """Refuse a value too big to keep: huge integers, long text, SymPy trees of many nodes, and
    lists that hold many items in all (shared ones too: `a = [a, a]` doubles at every line)."""
    left = [MAX_TEXT * 2]

    def visit(item: Any) -> None:
        left[0] -= 1
        if left[0] < 0:
            raise LabError("too_big")
        if isinstance(item, (tuple, list)):
            if len(item) > MAX_TEXT:
                raise LabError("too_big")
            for sub in item:
                visit(sub)
        else:
            _check_one(item, bits)

    visit(value)


def _check_one(value: Any, bits: int) -> None:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int):
        if value.bit_length() > bits:
            raise LabError("too_big")
    elif isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise LabError("too_big")
    elif _is_sym(value):
        _check_tree(value, bits)


def _check_tree(expr: Any, bits: int) -> None:
    sympy = _sympy()
    left = MAX_NODES
    stack = [expr]
    while stack:
        node = stack.pop()
        left -= 1
        if left < 0:
            raise LabError("too_big")
        if isinstance(node, sympy.Rational):
            if max(int(node.p).bit_length(), int(node.q).bit_length()) > bits:
                raise LabError("too_big")
        stack.extend(getattr(node, "args", ()))


def _log2_size(x: Any) -> float | None:
    """log2 |x| for a number (Python or SymPy), None when x is not a plain number."""
    try:
        if isinstance(x, bool):
            x = int(x)
        if isinstance(x, int):
            return float(x.bit_length())
        if isinstance(x, float):
            return math.log2(abs(x)) if x not in (0.0,) and math.isfinite(x) else 0.0
        if _is_sym(x) and getattr(x, "is_Rational", False):
            return float(max(int(x.p).bit_length(), int(x.q).bit_length()))
    except (ValueError, OverflowError):
        return None
    return None


def _exponent(x: Any) -> float | None:
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return float(x)
    if _is_sym(x) and getattr(x, "is_Number", False):
        try:
            return float(x)
        except (TypeError, ValueError, OverflowError):
            return None
    return None


def _check_power(base: Any, exp: Any) -> None:
    """Estimate a power's size from exponent × log of base before computing it."""
    e = _exponent(exp)
    if e is None:
        if _is_sym(exp) and not _is_sym(base) and _log2_size(base) is None:
            return
        return  # a symbolic exponent: SymPy keeps it as a power, nothing is expanded
    if not math.isfinite(e):
        return
    size = _log2_size(base)
    if size is not None:
        if isinstance(base, float) or isinstance(exp, float):
            return  # floats overflow with an error, they never grow without bound
        if abs(e) * max(size, 1.0) > MAX_BITS:
            raise LabError("power_big")
    elif _is_sym(base) and abs(e) > MAX_EXPONENT:
        raise LabError("power_symbolic", n=MAX_EXPONENT)


def _check_product(a: Any, b: Any) -> None:
    for text, n in ((a, b), (b, a)):
        if isinstance(text, (str, list, tuple)) and isinstance(n, int) and not isinstance(n, bool):
            if len(text) * max(n, 0) > MAX_TEXT:
                raise LabError("too_big")
    if isinstance(a, int) and isinstance(b, int):
        if a.bit_length() + b.bit_length() > MAX_BITS + 64:
            raise LabError("too_big")


# ------------------------------------------------------------------ showing values


def _str(value: Any) -> str:
    """str() as Python gives it; SymPy's through the bounded worker when the tree is big."""
    if _is_sym(value):
        return _cas("sstr", value)
    if isinstance(value, (tuple, list)):
        inner = ", ".join(_repr(v) for v in value)
        if isinstance(value, tuple):
            return f"({inner},)" if len(value) == 1 else f"({inner})"
        return f"[{inner}]"
    if isinstance(value, str):
        return value
    return str(value)


def _repr(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_repr(k)}: {_repr(v)}" for k, v in value.items()) + "}"
    return _str(value)


def show(value: Any) -> str | None:
    """What Jupyter's plain output shows for a bare expression (None shows nothing)."""
    if value is None or isinstance(value, _Printed):
        return None
    return _repr(value)


# ------------------------------------------------------------------ the evaluator

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
            _check_value(value)
            return value
        if isinstance(stmt, ast.Assign):
            value = self._eval(stmt.value, printed)
            _check_value(value)
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
                        self.names[name] = _sympy_value(name)
                else:
                    self.names[alias.asname or alias.name] = _sympy_value(alias.name)
            return None
        raise Refused("construct", what=_describe(stmt))

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
        raise Refused("construct", what=_describe(node))

    def _truth(self, value: Any) -> bool:
        try:
            return bool(value)
        except TypeError:
            raise LabError("truth") from None

    def _binop(self, op: type, left: Any, right: Any) -> Any:
        self._operands(left, right)
        if op is ast.Pow:
            _check_power(left, right)
        if op is ast.Mult:
            _check_product(left, right)
        if op is ast.Mod and isinstance(left, str):
            raise LabError("percent")  # %-formatting has its own widths: f-strings are what the labs use
        result = self._apply(_BINOPS[op], left, right)
        _check_value(result)
        return result

    def _operands(self, *values: Any) -> None:
        for v in values:
            if isinstance(v, (Function, _Printed, dict)):
                raise LabError("operand")

    def _apply(self, fn: Callable, *args: Any) -> Any:
        self._operands(*args)
        try:
            return fn(*args)
        except ZeroDivisionError:
            raise LabError("zero") from None
        except OverflowError:
            raise LabError("overflow") from None
        except (TypeError, ValueError) as err:
            raise LabError("python", kind=type(err).__name__, detail=str(err)[:200]) from None

    def _call(self, node: ast.Call, printed: list[str]) -> Any:
        if isinstance(node.func, ast.Attribute):
            target = self._eval(node.func.value, printed)
            if not _is_sym(target) and not isinstance(target, (int, float)):
                raise LabError("method", name=node.func.attr)
            if isinstance(target, (int, float)) and node.func.attr not in ("subs", "evalf"):
                raise LabError("method", name=node.func.attr)
            fn = Function(node.func.attr, _METHOD_IMPLS[node.func.attr])
            bound: tuple = (target,)
        else:
            fn = self._eval(node.func, printed)
            bound = ()
        if not isinstance(fn, Function):
            raise LabError("not_callable", name=_str(fn)[:40] if not _is_sym(fn) else "an expression")
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
        except ZeroDivisionError:
            raise LabError("zero") from None
        except OverflowError:
            raise LabError("overflow") from None
        except RecursionError:
            raise LabError("too_big") from None
        except Exception as err:  # noqa: BLE001 - SymPy's own errors, said in a sentence
            raise LabError("python", kind=type(err).__name__, detail=str(err)[:200]) from None
        if isinstance(result, _Printed):
            printed.append(result.text)
            self._print_args = tuple(args)
            return None
        if fn.name == "diff":
            self.last_diff = (bound + tuple(args))
        _check_value(result)
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
                value = _repr(value)
            elif part.conversion in (ord("s"), ord("a")):
                value = _str(value)
            spec = self._fstring(part.format_spec, printed) if part.format_spec is not None else ""
            if any(int(n) > MAX_FORMAT_WIDTH for n in re.findall(r"\d+", spec)):
                raise Refused("format")
            if spec == "" or isinstance(value, str):
                parts.append(_str(value) if spec == "" else self._format(value, spec))
            else:
                parts.append(self._format(value, spec))
            if sum(len(p) for p in parts) > MAX_TEXT:
                raise LabError("too_big")
        return "".join(parts)

    def _format(self, value: Any, spec: str) -> str:
        try:
            return format(value, spec)
        except (TypeError, ValueError) as err:
            raise LabError("python", kind=type(err).__name__, detail=str(err)[:200]) from None

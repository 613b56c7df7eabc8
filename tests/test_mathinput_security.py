"""The parser is the security boundary: code in any disguise is refused, and nothing runs."""

from __future__ import annotations

import ast
import builtins
import os
import subprocess
from pathlib import Path

import pytest

from derivtutor.algebra import (mathbuild, matherror, mathinput, mathlexer, mathnames, mathparser, mathprinter,
                                 mathwords)
from derivtutor.algebra.matherror import MathInputError
from derivtutor.algebra.mathinput import read, read_expression, read_number

INJECTIONS = [
    "__import__('os').system('touch X')",
    "__import__(\"os\").system(\"touch X\")",
    "__import__",
    "().__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "w.__class__",
    "w.__dict__",
    "(1).__add__(2)",
    "sin.__globals__",
    "diff.__call__(w, w)",
    "lambda: 1",
    "lambda x: x",
    "eval('1')",
    "eval(w)",
    "eval",
    "exec('import os')",
    "exec",
    "compile('1', 'f', 'eval')",
    "open('X', 'w')",
    "open(w)",
    "open('/etc/passwd').read()",
    "f\"{__import__('os').system('touch X')}\"",
    "f'{w}'",
    "w; import os",
    "w;",
    "import os",
    "os.system('touch X')",
    "os",
    "getattr(w, '__class__')",
    "globals()",
    "__builtins__",
    "print(1)",
    "[c for c in ()]",
    "w if 1 else 2",
    "w and 1",
    "sympify('w')",
    "Symbol('x')",
    "w.subs(w, __import__('os'))",
    "w.subs({w: 2})",
    "diff(w, w).subs(w, eval(1))",
    "J = __import__('os').system('touch X')",
    "dJ/dw = exec('1')",
    "d/dw open('X')",
    "$(touch X)",
    "`touch X`",
    "w.system",
    "＿＿import＿＿（'os'）",
    "ｅｖａｌ(1)",
    "\\x5f\\x5fimport\\x5f\\x5f",
    "w\x00; touch X",
    "w # comment",
    "w @ w",
    "{'a': 1}",
    "x := 1",
    "w = 1; os",
]


@pytest.fixture
def nothing_may_run(monkeypatch, tmp_path):
    """Every door to running code records its use; the test then checks none was opened."""
    calls: list[str] = []

    def recorder(name):
        def record(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name} was called")
        return record

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "system", recorder("os.system"))
    monkeypatch.setattr(os, "popen", recorder("os.popen"))
    monkeypatch.setattr(subprocess, "Popen", recorder("subprocess.Popen"))
    monkeypatch.setattr(builtins, "eval", recorder("eval"))
    monkeypatch.setattr(builtins, "exec", recorder("exec"))
    monkeypatch.setattr(builtins, "compile", recorder("compile"))
    monkeypatch.setattr(builtins, "open", recorder("open"))
    from sympy.parsing import sympy_parser

    monkeypatch.setattr(sympy_parser, "parse_expr", recorder("parse_expr"))
    yield calls
    assert calls == []
    assert not (tmp_path / "X").exists()


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_is_refused_and_nothing_runs(text, nothing_may_run):
    with pytest.raises(MathInputError) as info:
        read(text)
    err = info.value
    assert err.code != "unreadable"  # refused on purpose, not by accident
    for leak in ("Traceback", "Error", "object has no attribute", "__"):
        assert leak not in err.message or err.code == "not_math"
    assert nothing_may_run == []


@pytest.mark.parametrize("reader", [read_expression, read_number])
@pytest.mark.parametrize("text", INJECTIONS[:10])
def test_other_entry_points_refuse_too(reader, text, nothing_may_run):
    with pytest.raises(MathInputError):
        reader(text)


def test_file_is_not_created_with_a_real_path(tmp_path, nothing_may_run):
    target = tmp_path / "pwned"
    for text in (
        f"__import__('os').system('touch {target}')",
        f"open('{target}', 'w').write('x')",
        f"exec(\"open('{target}', 'w')\")",
    ):
        with pytest.raises(MathInputError):
            read(text)
    assert not target.exists()


def test_dunder_name_error_points_at_it():
    err = pytest.raises(MathInputError, read, "2*w + ().__class__").value
    assert err.code == "not_math"
    assert err.column == len("2*w + ().")


def test_python_words_are_refused_with_a_reason():
    err = pytest.raises(MathInputError, read, "eval(w)").value
    assert err.message == "`eval` is Python, not maths: type a formula such as 3w^2."
    assert "Python" in err.localized("zh")


# ------------------------------------------------------------------ the source itself

FORBIDDEN_CALLS = {"eval", "exec", "compile", "sympify", "parse_expr", "__import__", "getattr",
                   "setattr", "S", "parse_latex", "lambdify", "open"}


PARSER_MODULES = (mathinput, mathlexer, mathparser, mathwords, mathbuild, matherror, mathprinter, mathnames)


def _module_trees():
    for module in PARSER_MODULES:
        source = Path(module.__file__).read_text(encoding="utf-8")
        yield module.__name__, ast.parse(source)


@pytest.mark.parametrize("name, tree", list(_module_trees()), ids=lambda v: v if isinstance(v, str) else "")
def test_parser_source_has_no_door_to_eval(name, tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "re":
                continue  # re.compile builds a regular expression, not code
            assert called not in FORBIDDEN_CALLS, f"{name} calls {called}()"
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            assert not any("parsing" in m for m in modules), f"{name} imports {modules}"


def test_symbol_is_only_built_in_var():
    """Symbol(name) takes a string by design; it is confined to var(), whose names come from the lexer."""
    owners = []
    for func in (n for _, tree in _module_trees() for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        for node in ast.walk(func):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Symbol":
                owners.append(func.name)
    assert owners == ["var"]

"""Properties of the parser: it never fails but with MathInputError, and show() reads back."""

from __future__ import annotations

import re
from datetime import timedelta

import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sympy import Integer, Rational

from derivtutor.algebra.mathbuild import var
from derivtutor.algebra.matherror import MathInputError
from derivtutor.algebra.mathinput import Reading, read
from derivtutor.algebra.mathlexer import MAX_LENGTH
from derivtutor.algebra.mathprinter import show

# A generous bound on one call (catches hangs, not a speed target: see bench/).
BOUNDED = settings(deadline=timedelta(seconds=5), max_examples=300,
                   suppress_health_check=[HealthCheck.too_slow])

# Pieces learners and attackers type, so random strings reach deep into the parser.
PIECES = [
    "w", "x", "b", "y", "d", "J", "e", "π", "pi", "ε", "alpha", "w1", "w_1", "xy", "W",
    "0", "1", "2", "3", "10", "0.5", "1e-3", "1e999", "9", ".", ",", " ",
    "+", "-", "−", "*", "**", "/", "÷", "^", "×", "·", "(", ")", "[", "]", "|", "=", "==",
    "²", "³", "⁻¹", "⁻", "√", "∂", "d/dw", "dJ/dw", "dJ_dw", "∂J/∂w",
    "sin", "cos", "tan", "exp", "ln", "log", "log10", "sqrt", "abs", "asin", "tanh", "sigmoid",
    "diff", ".subs", "subs", "(w, 2)", "[(w, 2)]", "sin(", "In(", "foo(",
    "__import__", "__class__", "'", '"', ";", ":", "lambda", "eval", "os", "{", "}", "\\",
    "\x00", "\n", "\u200b", "（", "）", "２", "你",
]

any_text = st.text(max_size=MAX_LENGTH + 20)
math_text = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


def _outcome(text: str):
    try:
        return read(text)
    except MathInputError as err:
        assert err.code and err.message
        assert 0 <= err.column <= len(err.text)
        assert err.caret().count("\n") == 1
        assert err.localized("zh")
        return err


@BOUNDED
@given(any_text)
def test_random_text_only_raises_math_input_error(text):
    result = _outcome(text)
    assert isinstance(result, (Reading, MathInputError))


@BOUNDED
@given(math_text)
def test_random_math_pieces_only_raise_math_input_error(text):
    result = _outcome(text)
    if isinstance(result, Reading):
        assert isinstance(result.expr, sympy.Basic)
        assert result.form in ("expr", "define", "answer", "diff")
        show(result.expr)


@BOUNDED
@given(math_text, st.sampled_from([None, ("w",), ("w", "x", "b"), ("d", "J", "a", "y")]))
def test_variables_only_raise_math_input_error(text, variables):
    try:
        read(text, variables=variables)
    except MathInputError:
        pass


# ------------------------------------------------------------------ round trip

SYMBOLS = [var(n) for n in ("w", "x", "b", "y", "J", "d", "w1", "α")]

leaves = st.one_of(
    st.sampled_from(SYMBOLS),
    st.integers(-20, 20).map(Integer),
    st.builds(Rational, st.integers(-9, 9), st.integers(1, 9)),
    st.sampled_from([sympy.pi, sympy.E, sympy.sqrt(2)]),
)

def _lattice(fn, other):
    """max(0, a) (ReLU) and min(a, 1); a that cannot be compared (zoo) is left as it is."""
    def build(a):
        try:
            return fn(other, a)
        except (TypeError, ValueError):
            return a
    return build


UNARY = [sympy.sin, sympy.cos, sympy.tan, sympy.exp, sympy.log, sympy.Abs, sympy.atan, sympy.sinh, sympy.sqrt,
         sympy.sign, sympy.coth, sympy.sech, _lattice(sympy.Max, 0), _lattice(sympy.Min, 1)]


def _extend(children):
    return st.one_of(
        st.builds(lambda a, b: a + b, children, children),
        st.builds(lambda a, b: a - b, children, children),
        st.builds(lambda a, b: a * b, children, children),
        st.builds(lambda a, b: a / b, children, children),
        st.builds(lambda a, n: a**n, children, st.integers(-3, 4)),
        st.builds(lambda a, n: a ** Rational(n, 3), children, st.integers(-4, 4)),
        st.builds(lambda a, b: a**b, children, st.sampled_from(SYMBOLS)),
        st.builds(lambda f, a: f(a), st.sampled_from(UNARY), children),
    )


expressions = st.recursive(leaves, _extend, max_leaves=8)


def _printable(expr) -> bool:
    """Skip what read() refuses by design: undefined, complex, giant values."""
    bad = (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo, sympy.I)
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.AccumBounds) or node in bad or (node.is_Rational and max(abs(node.p), node.q) > 10**25):
            return False
        exponent = node.exp if node.is_Pow else node.args[0] if isinstance(node, sympy.exp) else None
        if exponent is not None and exponent.is_number and not abs(complex(exponent)) < 1000:
            return False
        if node.is_number and node.is_real is False:
            return False
    return True


@settings(deadline=None, max_examples=400, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(expressions)
def test_show_reads_back_as_the_same_expression(expr):
    assume(_printable(expr))
    text = show(expr)
    assume(len(text) <= MAX_LENGTH)
    got = read(text).expr
    # Structurally equal, except where SymPy's evaluation depends on the order a
    # product was built in (2^(1/3)·2^(1/6) may or may not merge): then equal in value.
    assert got == expr or (got - expr).equals(0), text


@given(st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-10**6, max_value=10**6))
def test_decimals_are_read_exactly(value):
    assert read(str(value)).expr == Rational(str(value))


# The echo keeps decimals as typed (0.5·w², not w²/2); what it shows must read back the same.
decimal_literal = st.builds("{}.{}".format, st.integers(0, 99), st.text("0123456789", min_size=1, max_size=3))
decimal_term = st.builds("{}{}".format, decimal_literal, st.sampled_from(["", "w", "x", "w^2", "/w", "(w+1)", "sin(x)"]))


@settings(deadline=None, max_examples=300)
@given(st.lists(st.tuples(st.sampled_from([" + ", " - ", "*"]), decimal_term), min_size=1, max_size=5))
def test_the_echo_with_typed_decimals_reads_back_as_the_same_expression(parts):
    text = "".join(op + term for op, term in parts).lstrip(" +*")
    try:
        reading = read(text)
    except MathInputError:
        assume(False)
    got = read(reading.shown).expr
    # Equal in value where SymPy keeps a sum inside a sum (76(w+1) − 75(w+1) is (w+1), unflattened).
    assert got == reading.expr or (got - reading.expr).equals(0), (text, reading.shown)


# ------------------------------------------------------------------ hostile characters, full-width input

RAW = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ASCII_PIECES = [p for p in PIECES if p.isascii() and p not in ("\x00", "\n")]
hostile_text = st.text(alphabet=st.one_of(st.characters(max_codepoint=0x3000),
                                          st.sampled_from("\x1b\x07\x9b\u202e[]2J;0")), max_size=80)


@BOUNDED
@given(st.one_of(hostile_text, st.lists(st.sampled_from(PIECES + ["\x1b[2J", "\x1b]0;t\x07", "\x9b"]),
                                        max_size=30).map("".join)))
def test_control_characters_never_reach_a_message(text):
    result = _outcome(text)
    if isinstance(result, MathInputError):
        for shown in (result.message, result.localized("zh"), result.caret()):
            assert not RAW.search(shown.replace("\n", "")), repr(shown)
        assert len(result.message) < 400


def _full_width(text: str) -> str:
    return "".join("\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _key(text: str):
    try:
        r = read(text)
    except MathInputError as err:
        return "error", err.code, err.column
    return r.form, r.name, r.wrt, r.expr, tuple(sorted(r.at.items())), r.notes and len(r.notes)


@BOUNDED
@given(st.lists(st.sampled_from(ASCII_PIECES), max_size=25).map("".join))
def test_full_width_math_reads_as_its_ascii_form(text):
    # A full-width stop ending the line is a sentence's end ("９。" is 9); an ASCII one is not.
    assume(not text.rstrip().endswith("."))
    assert _key(_full_width(text)) == _key(text)

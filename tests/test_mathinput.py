"""The parser table: what learners and lesson authors type, and what it must mean."""

from __future__ import annotations

import pickle

import pytest
import sympy
from sympy import Abs, E, Integer, Rational, cos, exp, log, pi, sin, sqrt, tan

from derivtutor.algebra import mathinput
from derivtutor.algebra.mathbuild import var
from derivtutor.algebra.matherror import MathInputError
from derivtutor.algebra.mathinput import Reading, read, read_expression, read_number
from derivtutor.algebra.mathprinter import show

w, x, y, b, a, d, J = (var(n) for n in ("w", "x", "y", "b", "a", "d", "J"))


# ------------------------------------------------------------------ expressions

EXPRESSIONS = [
    # operators and precedence
    ("3w^2", 3 * w**2),
    ("3*w**2", 3 * w**2),
    ("w^2 + 2w + 1", w**2 + 2 * w + 1),
    ("-w^2", -(w**2)),
    ("(-w)^2", w**2),
    ("2^3^2", Integer(512)),
    ("w^-1", 1 / w),
    ("2*-w", -2 * w),
    ("w - -2", w + 2),
    ("+w", w),
    ("1/w^2", w**-2),
    ("(2 + 3w)^2", (2 + 3 * w) ** 2),
    ("[w+1]^2", (w + 1) ** 2),
    # implicit multiplication
    ("2w", 2 * w),
    ("2 w", 2 * w),
    ("3(w+1)", sympy.Mul(3, w + 1, evaluate=False)),
    ("(w+1)(w-1)", (w + 1) * (w - 1)),
    ("2sin(w)", 2 * sin(w)),
    ("w x", w * x),
    ("2πw", 2 * pi * w),
    ("sin(w)cos(w)", sin(w) * cos(w)),
    # Unicode
    ("w²", w**2),
    ("w³ + w⁻¹", w**3 + 1 / w),
    ("w¹⁰", w**10),
    ("(w+1)²", (w + 1) ** 2),
    ("−w", -w),
    ("2×w", 2 * w),
    ("2·w", 2 * w),
    ("1÷w", 1 / w),
    ("π/2", pi / 2),
    ("２ｗ＋１", 2 * w + 1),
    ("（w＋１）＾２", (w + 1) ** 2),
    ("√w", sqrt(w)),
    ("√(w+1)", sqrt(w + 1)),
    ("w₁", var("w1")),
    # numbers are exact
    ("0.5", Rational(1, 2)),
    ("1e-3", Rational(1, 1000)),
    ("1E3", Integer(1000)),
    ("2.5e-2", Rational(1, 40)),
    ("-0.03125", Rational(-1, 32)),
    ("2.0*w", 2 * w),
    (".5w", w / 2),
    ("6.", Integer(6)),
    ("1e300", Integer(10) ** 300),
    # functions
    ("sin(w) + cos(w) + tan(w)", sin(w) + cos(w) + tan(w)),
    ("sec(w)", sympy.sec(w)),
    ("csc(w) + cot(w)", sympy.csc(w) + sympy.cot(w)),
    ("asin(w)", sympy.asin(w)),
    ("arcsin(w)", sympy.asin(w)),
    ("arctan(w)", sympy.atan(w)),
    ("sinh(w) + cosh(w) + tanh(w)", sympy.sinh(w) + sympy.cosh(w) + sympy.tanh(w)),
    ("exp(w)", exp(w)),
    ("ln(w)", log(w)),
    ("log(w)", log(w)),
    ("log(w, 2)", log(w, 2)),
    ("log10(w)", log(w, 10)),
    ("log2(w)", log(w, 2)),
    ("sqrt(w)", sqrt(w)),
    ("abs(w)", Abs(w)),
    ("|w|", Abs(w)),
    ("2|w - 1|", 2 * Abs(w - 1)),
    ("|w|·|x|", Abs(w) * Abs(x)),
    ("sin²(w)", sin(w) ** 2),
    ("sin^2(w)", sin(w) ** 2),
    ("sigmoid(w)", 1 / (1 + exp(-w))),
    ("sign(w)", sympy.sign(w)),
    # constants
    ("e", E),
    ("e^w", exp(w)),
    ("e^(2w)", exp(2 * w)),
    ("pi", pi),
    ("2π", 2 * pi),
    # variables
    ("d^2/2", d**2 / 2),
    ("d²/2", d**2 / 2),
    ("a - y", a - y),
    ("w1 + w_1", var("w1") + var("w_1")),
    ("alpha*w", var("α") * w),
    ("ε", var("ε")),
    ("eps", var("ε")),
    ("J", J),
    ("cost", var("cost")),
    ("W", var("W")),
    # a diff(...) inside a larger expression is computed
    ("3*diff(w^2, w)", 6 * w),
]


@pytest.mark.parametrize("text, expected", EXPRESSIONS, ids=[t for t, _ in EXPRESSIONS])
def test_expression(text, expected):
    reading = read(text)
    assert reading.form == "expr"
    assert reading.expr == expected
    assert reading.text == text


def test_every_whitelisted_function_is_built():
    from derivtutor.algebra import mathbuild, mathnames

    assert set(mathbuild.BUILDERS) | {"diff"} == set(mathnames.FUNCTIONS)
    assert set(mathbuild.CONSTANT_VALUES) == set(mathnames.CONSTANTS)
    assert set(mathnames.FUNCTION_ALIASES.values()) <= set(mathnames.FUNCTIONS)
    assert set(mathnames.FUNCTION_TYPOS.values()) <= set(mathnames.FUNCTIONS)


def test_every_message_has_both_languages():
    from derivtutor.algebra import mathnames, mathwords

    for table in (mathnames.MESSAGES, mathnames.NOTES, mathwords.ARITY):
        for key, entry in table.items():
            assert set(entry) == {"en", "zh"}, key
            assert entry["en"] != entry["zh"], key


def test_variables_are_real_and_shared():
    assert w.is_real
    assert var("w") is w
    assert read("w").expr is w
    assert var("alpha") is var("α")
    assert sympy.diff(read("|w|").expr, w) == sympy.sign(w)


def test_case_matters():
    assert read("W").expr != read("w").expr


def test_products_keep_their_shape():
    assert show(read("3(w+1)").expr) == "3·(w + 1)"
    assert show(read("-(w+x)").expr) == "−(w + x)"
    assert sympy.expand(read("3(w+1)").expr) == 3 * w + 3


def test_decimal_is_exact():
    assert read("0.1+0.2").expr == Rational(3, 10)
    assert read("2.0*w").expr == read("2*w").expr


# ------------------------------------------------------------------ forms

FORMS = [
    ("J = w^2", "define", "J", None, {}, w**2),
    ("J(w) = w^2", "define", "J", None, {}, w**2),
    ("J(w, b) = w*b", "define", "J", None, {}, w * b),
    ("dJ/dw = 2w", "answer", "J", "w", {}, 2 * w),
    ("∂J/∂w = 2w", "answer", "J", "w", {}, 2 * w),
    ("d J / d w = 2w", "answer", "J", "w", {}, 2 * w),
    ("dJ_dw = 2*w", "answer", "J", "w", {}, 2 * w),
    ("dj_dw = -2/w**3", "answer", "j", "w", {}, -2 / w**3),
    ("dJ/dd = d", "answer", "J", "d", {}, d),
    ("dJ/dw = diff(w**2, w)", "answer", "J", "w", {}, 2 * w),
    ("d/dw w^2", "diff", None, "w", {}, w**2),
    ("d/dw (w^2)", "diff", None, "w", {}, w**2),
    ("∂/∂w (w*x)", "diff", None, "w", {}, w * x),
    ("diff(w**2, w)", "diff", None, "w", {}, w**2),
    ("diff(1/w**2, w)", "diff", None, "w", {}, w**-2),
    ("diff(w**3)", "diff", None, "w", {}, w**3),
    ("diff(w**2, w).subs(w, 2)", "diff", None, "w", {"w": 2}, w**2),
    ("diff(w**2, w).subs([(w, 2)])", "diff", None, "w", {"w": 2}, w**2),
    ("diff(w*x, x).subs([(w, -3), (x, 2)])", "diff", None, "x", {"w": -3, "x": 2}, w * x),
    ("(2*w).subs(w, 3)", "expr", None, None, {"w": 3}, 2 * w),
    ("w**2 .subs(w, 1/2)", "expr", None, None, {"w": Rational(1, 2)}, w**2),
    ("dJ_dw.subs([(w,2)])", "diff", "J", "w", {"w": 2}, J),
    ("dJ/dw", "diff", "J", "w", {}, J),
]


@pytest.mark.parametrize("text, form, name, wrt, at, expr", FORMS, ids=[f[0] for f in FORMS])
def test_forms(text, form, name, wrt, at, expr):
    reading = read(text)
    assert (reading.form, reading.name, reading.wrt) == (form, name, wrt)
    assert reading.at == at
    assert reading.expr == expr


# ------------------------------------------------------------------ notes

NOTES = [
    ("1/2w", w / 2, "`1/2w` read as w/2", "1/(2w)"),
    ("e^2x", E**2 * x, "`e^2x` read as e²·x", "e^(2x)"),
    ("xy", x * y, "`xy` read as x·y", None),
    ("w(w+1)", w * (w + 1), "`w(w+1)` read as the product w·(w + 1)", None),
    ("1/(w+1)(w-1)", (w - 1) / (w + 1), "`1/(w+1)(w-1)` read as", "1/((w+1)(w-1))"),
]


@pytest.mark.parametrize("text, expr, note, alt", NOTES, ids=[n[0] for n in NOTES])
def test_notes(text, expr, note, alt):
    reading = read(text)
    assert reading.expr == expr
    assert len(reading.notes) == 1
    assert reading.notes[0].startswith(note)
    if alt:
        assert alt in reading.notes[0]
    zh = reading.localized_notes("zh")[0]
    assert "理解" in zh and f"`{text}`" in zh


@pytest.mark.parametrize("text", ["1/2 w", "1/(2w)", "e^(2x)", "e^2 x", "2w", "x*y", "w (w+1)"])
def test_clear_inputs_have_no_notes(text):
    assert read(text).notes == ()


# ------------------------------------------------------------------ errors

ERRORS = [
    # text, code, column
    ("", "empty", 0),
    ("   ", "empty", 0),
    ("\u3000", "empty", 0),
    ("(w+1", "unclosed_paren", 0),
    ("sin((w)", "unclosed_paren", 3),
    ("w)", "unmatched_paren", 1),
    ("(w]", "mismatched_bracket", 2),
    ("In(w)", "unknown_function", 0),
    ("foo(w)", "unknown_function", 0),
    ("= w", "equals_sides", 0),
    ("J =", "equals_sides", 2),
    ("a = b = c", "too_many_equals", 6),
    ("J == w", "double_equals", 2),
    ("(J = w)", "equals_in_brackets", 3),
    ("2 = w", "bad_left_side", 0),
    ("sin(w) = 1", "bad_left_side", 0),
    ("*w", "stray_operator_start", 0),
    ("w+", "stray_operator_end", 1),
    ("(w-)", "stray_operator_end", 2),
    ("w + * 2", "double_operator", 4),
    ("w**/2", "double_operator", 3),
    ("2 3", "two_numbers", 2),
    ("w 2", "number_after", 2),
    ("sinx", "needs_brackets", 0),
    ("sin x", "needs_brackets", 0),
    ("lnw", "needs_brackets", 0),
    ("sin", "needs_brackets", 0),
    ("sin⁻¹(w)", "ambiguous_inverse", 0),
    ("sin^-1(w)", "ambiguous_inverse", 0),
    ("()", "empty_parens", 0),
    ("|w", "unclosed_bar", 0),
    ("1,5", "comma", 1),
    ("log(w, 2, 3)", "wrong_args", 0),
    ("sin()", "wrong_args", 0),
    ("diff(w^2, 2)", "bad_diff", 10),
    ("diff(w*x)", "bad_diff", 0),
    ("d/dw", "diff_of_what", 0),
    ("w.foo(1)", "bad_method", 1),
    ("w.subs(w, 2) + 1", "bad_method", 13),
    ("w.subs(w, x)", "bad_subs", 10),
    ("w.subs(2, w)", "bad_subs", 7),
    ("1/0", "division_by_zero", 1),
    ("w/(w-w)", "division_by_zero", 1),
    ("0^-1", "division_by_zero", 1),
    ("log(0)", "undefined", 0),
    ("tan(pi/2)", "undefined", 0),
    ("sqrt(-1)", "not_real", 0),
    ("1.2.3", "bad_number", 3),
    ("⁻", "bad_superscript", 0),
    ("w; w", "semicolon", 1),
    ("'w'", "quote", 0),
    ("J' = 2w", "prime", 1),
    ("\\frac{1}{2}", "latex", 0),
    ("{w}", "braces", 0),
    ("w % 2", "bad_char", 2),
    ("w ≤ 2", "bad_char", 2),
    ("你好", "words", 0),  # words, not one refused character (issue 14)
    ("∂", "partial_alone", 0),
    ("w\n+1", "multiline", 1),
    ("w\x07", "control_char", 1),
    ("w\u200b+1", "control_char", 1),
    ("print(w)", "not_math", 0),
    ("import os", "not_math", 0),
]


@pytest.mark.parametrize("text, code, column", ERRORS, ids=[repr(e[0]) for e in ERRORS])
def test_errors(text, code, column):
    with pytest.raises(MathInputError) as info:
        read(text)
    err = info.value
    assert err.code == code
    assert err.column == column
    assert err.text == text
    assert err.message and "Traceback" not in err.message
    assert err.localized("zh") != err.message


LIMITS = [
    ("w" * 501, "too_long"),
    ("w+" * 5000, "huge_line"),
    ("1" * 51, "number_too_long"),
    ("0." + "1" * 51, "number_too_long"),
    ("9^9^9", "exponent_too_big"),
    ("10^10^6", "exponent_too_big"),
    ("w^10001", "exponent_too_big"),
    ("w^-10001", "exponent_too_big"),
    ("(w^9999)^9999", "exponent_too_big"),
    ("w^9999*w^9999", "exponent_too_big"),
    ("e^100000", "exponent_too_big"),
    ("2^(pi*10^6)", "exponent_too_big"),
    ("1e999999", "decimal_exponent"),
    ("1e-301", "decimal_exponent"),
    ("2^10000", "number_too_big"),
    ("(1/2)^5000", "number_too_big"),
    ("sqrt(2)^9999", "number_too_big"),
    ("10^999*10^999", "number_too_big"),
    ("sqrt(10^60+1)", "number_too_big"),
    ("sin(" * 150 + "w" + ")" * 150, "too_deep"),
    ("sin(" * 150, "too_deep"),
    ("(" * 41 + "w" + ")" * 41, "too_deep"),
    ("|" * 90 + "w" + "|" * 90, "too_deep"),
    ("2^" * 120 + "2", "too_complex"),
]


@pytest.mark.parametrize("text, code", LIMITS, ids=[t[:20] + f"…{len(t)}" for t, _ in LIMITS])
def test_limits(text, code):
    with pytest.raises(MathInputError) as info:
        read(text)
    assert info.value.code == code


def test_limits_are_not_too_tight():
    assert read("(" * 40 + "w" + ")" * 40).expr == w
    assert read("w^10000").expr == w**10000
    assert read("2^3000").expr == Integer(2) ** 3000
    assert read("1" * 50).expr == Integer(int("1" * 50))
    assert read("1e-300").expr == Rational(1, 10**300)
    assert read("-" * 200 + "w").expr == w
    assert len(read("w+" * 249 + "w").text) == 499


def test_depth_error_points_at_the_41st_bracket():
    err = pytest.raises(MathInputError, read, "sin(" * 150).value
    assert err.column == 40 * 4 + 3


def test_did_you_mean_ln():
    err = pytest.raises(MathInputError, read, "In(w)").value
    assert err.message == "`In(w)`: did you mean `ln(w)`?"
    assert "ln(w)" in err.localized("zh")


def test_unknown_function_names_it():
    assert pytest.raises(MathInputError, read, "foo(w)").value.message == "Unknown function `foo`."


def test_needs_brackets_suggests_the_call():
    assert "write sin(x)" in pytest.raises(MathInputError, read, "sinx").value.message


def test_unknown_variable_suggests_the_lesson_variable():
    err = pytest.raises(MathInputError, read, "2*W", variables=("w",)).value
    assert err.code == "unknown_variable"
    assert err.column == 2
    assert "`w`" in err.message
    assert "`w`" in err.localized("zh")


def test_unknown_variable_lists_the_variables():
    err = pytest.raises(MathInputError, read, "2*q", variables=("w", "b")).value
    assert err.code == "unknown_variable"
    assert "b, w" in err.message


def test_variables_allow_letter_runs_made_of_them():
    reading = read("wx + b", variables=("w", "x", "b"))
    assert reading.expr == w * x + b
    assert reading.notes == ("`wx` read as w·x.",)


def test_variables_accept_multi_letter_names():
    assert read("cost + sinx", variables=("cost", "sinx")).expr == var("cost") + var("sinx")


def test_wrt_is_checked_against_variables():
    with pytest.raises(MathInputError) as info:
        read("dJ/dx = 2w", variables=("w",))
    assert info.value.code == "unknown_variable"


def test_caret_points_at_the_column():
    err = pytest.raises(MathInputError, read, "3*(w+1").value
    assert err.caret() == "3*(w+1\n  ^"


def test_caret_counts_wide_characters_twice():
    err = pytest.raises(MathInputError, read, "２ｗ＋（").value
    line, mark = err.caret().split("\n")
    assert line == "２ｗ＋（"
    assert mark == " " * 6 + "^"


def test_caret_hides_control_characters():
    err = pytest.raises(MathInputError, read, "w\x1b[2J").value
    assert "\x1b" not in err.caret()
    assert err.caret().split("\n")[1] == " ^"


def test_caret_windows_a_long_line():
    err = pytest.raises(MathInputError, read, "w+" * 240 + "w)").value
    line, mark = err.caret().split("\n")
    assert len(line) <= 80
    assert line[len(mark) - 1] == ")"


def test_error_pickles():
    err = pytest.raises(MathInputError, read, "(w").value
    again = pickle.loads(pickle.dumps(err))
    assert (again.code, again.column, again.message) == (err.code, err.column, err.message)


def test_non_text_is_refused():
    with pytest.raises(MathInputError) as info:
        read(None)
    assert info.value.code == "not_text"


def test_unexpected_failures_are_wrapped(monkeypatch):
    def boom(*args):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(mathinput, "_final_check", boom)
    err = pytest.raises(MathInputError, read, "w").value
    assert err.code == "unreadable"
    assert "recursion" not in err.message


# ------------------------------------------------------------------ read_number / read_expression

@pytest.mark.parametrize(
    "text, value",
    [("1e-3", Rational(1, 1000)), ("-1/32", Rational(-1, 32)), ("π/2", pi / 2), ("0.001", Rational(1, 1000)),
     (3, Integer(3)), (0.001, Rational(1, 1000)), (1e-9, Rational(1, 10**9)), ("2^-2", Rational(1, 4))],
)
def test_read_number(text, value):
    assert read_number(text) == value


@pytest.mark.parametrize("text", ["w", "J = 2", "diff(w, w)", "(2).subs(w, 1)", True, float("nan")])
def test_read_number_refuses_non_numbers(text):
    with pytest.raises(MathInputError) as info:
        read_number(text)
    assert info.value.code == "expected_number"


def test_read_expression_gives_the_right_hand_side():
    assert read_expression("J = (2+3w)^2") == (2 + 3 * w) ** 2
    assert read_expression("w*x", variables=("w", "x")) == w * x


def test_reading_is_a_frozen_record():
    reading = read("J = w^2")
    assert isinstance(reading, Reading)
    with pytest.raises(AttributeError):
        reading.form = "expr"


# ------------------------------------------------------------------ show

SHOW = [
    (3 * w**2, "3·w²"),
    (-1 / w**2, "−1/w²"),
    (2 * w, "2·w"),
    (w / 2, "w/2"),
    (-2 / w**3, "−2/w³"),
    (w**2 + 2 * w + 1, "w² + 2·w + 1"),
    (1 - w, "1 − w"),
    (Rational(-1, 32), "−1/32"),
    (Integer(121), "121"),
    (exp(2 * w), "e^(2·w)"),
    (exp(w), "e^w"),
    (exp(-w), "e^(−w)"),
    (sqrt(w), "√w"),
    (1 / sqrt(w), "1/√w"),
    (sqrt(w + 1), "√(w + 1)"),
    (w ** Rational(3, 2), "w^(3/2)"),
    (Abs(w), "|w|"),
    (log(w), "ln(w)"),
    (sin(w) ** 2, "sin(w)²"),
    ((w + 1) * (w - 1), "(w + 1)·(w − 1)"),
    (3 / (2 * w), "3/(2·w)"),
    (2**w, "2^w"),
    (pi / 2, "π/2"),
    (var("α") * w, "w·α"),
    (sympy.Float(6.000999999999479), "6.000999999999479"),
    (3, "3"),
]


@pytest.mark.parametrize("expr, text", SHOW, ids=[t for _, t in SHOW])
def test_show(expr, text):
    assert show(expr) == text


def test_show_caps_giant_numbers():
    text = show(Integer(2) ** 5000)
    assert "…" in text and len(text) < 30
    assert text.startswith("1.41246")
    assert show(Rational(1, 3**3000)).startswith("1/")


@pytest.mark.parametrize("expr", [3 * w**2, -1 / w**2, (2 + 3 * w) ** 2, exp(-w) * x / 2, Abs(w - 1) + sqrt(2)])
def test_show_reads_back(expr):
    assert read(show(expr)).expr == expr

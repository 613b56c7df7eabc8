"""Notation from other libraries and courses: read with a note, or refused with the right advice,
never misread in silence nor answered with a wrong neighbour (issue 11, "Notation")."""

import subprocess
import sys
import os

import pytest

from derivtutor.algebra import mathbuild, matherror, mathinput
from derivtutor.play.play import PlaySession


def read(text):
    return mathinput.read(text)


def refusal(text, lang="en"):
    with pytest.raises(matherror.MathInputError) as err:
        read(text)
    return err.value.localized(lang)


@pytest.mark.parametrize("typed, note", [
    ("a_b(x)", "`a_b(x)` read as the product a_b·x."),
    ("alpha(x)", "`alpha(x)` read as the product x·α."),
    ("w[0]*x + w[1]", "`w[0]` read as w0, a variable of its own."),
    ("a9b", "`a9b` read as a9·b."),
    ("lg(x)", "`lg` read as the base-10 logarithm, log10; for the natural log write ln, for base 2 log2."),
])
def test_a_reading_a_learner_may_not_expect_comes_with_a_note(typed, note):
    reading = read(typed)
    assert note in reading.localized_notes("en")
    assert len(reading.localized_notes("zh")) == len(reading.localized_notes("en"))


@pytest.mark.parametrize("typed, words", [
    ("sigma(x)", "For the sigmoid write sigmoid(x)"),
    ("inverse_erf(x)", "Unknown function `inverse_erf`"),
    ("fact(x)", "Unknown function `fact`."),  # never "did you mean acot"
])
def test_refused_with_advice_that_fits(typed, words):
    said = refusal(typed)
    assert words in said and "acot" not in said


@pytest.mark.parametrize("typed, en, zh", [
    ("log1p(x)", "`log1p(x)` is not a function I read; write it as `ln(1 + x)`.",
     "我不认识函数 `log1p(x)`；请把它写成 `ln(1 + x)`。"),
    ("exp2(w+1)", "`exp2(w+1)` is not a function I read; write it as `2^(w+1)`.",
     "我不认识函数 `exp2(w+1)`；请把它写成 `2^(w+1)`。"),
    ("sig(w)", "`sig(w)` is not a function I read; write it as `sigmoid(w)`.",
     "我不认识函数 `sig(w)`；请把它写成 `sigmoid(w)`。"),
    ("softplus(w)", "`softplus(w)` is not a function I read; write it as `ln(1 + exp(w))`.",
     "我不认识函数 `softplus(w)`；请把它写成 `ln(1 + exp(w))`。"),
])
def test_a_library_function_gets_the_formula_to_write_not_a_near_spelling(typed, en, zh):
    assert refusal(typed) == en and refusal(typed, "zh") == zh


@pytest.mark.parametrize("typed", ["log1p(x)", "exp2(x)", "sig(x)", "softplus(x)", "cbrt(x)", "expm1(x)"])
def test_the_formula_suggested_is_read_and_means_the_function(typed):
    import sympy

    said = refusal(typed)
    formula = said.rsplit("`", 2)[1]
    x = mathbuild.var("x")
    expr = read(formula).expr
    expected = {"log1p": sympy.log(1 + x), "exp2": 2**x, "sig": 1 / (1 + sympy.exp(-x)),
                "softplus": sympy.log(1 + sympy.exp(x)), "cbrt": x ** sympy.Rational(1, 3),
                "expm1": sympy.exp(x) - 1}[typed.split("(")[0]]
    assert sympy.simplify(expr - expected) == 0


def test_in_free_play_the_advice_reaches_the_learner():
    play = PlaySession(lang="en", plain=True, width=70)
    play.start()
    out = play.answer("J = log1p(w)")
    assert out[0].kind == "error" and "write it as `ln(1 + w)`" in out[0].plain()
    assert "log10" not in out[0].plain()


@pytest.mark.parametrize("expr", ["max(0, w)", "relu(w)"])
def test_the_corner_of_relu_at_0_is_explained_like_abs(expr):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    env.update(LANG="en_US.UTF-8", PYTHONIOENCODING="utf-8")
    out = subprocess.run([sys.executable, "-m", "derivtutor", "explain", expr, "--at", "w=0"], capture_output=True,
                         text=True, encoding="utf-8", env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert ("max(0, w) is not differentiable at w = 0: it has a corner there "
            "(slope 1 from the right, 0 from the left)") in out.stdout

"""The mistake table: each row is recognised on general expressions, and says what it is."""

import pytest
import sympy
from sympy import Abs, Rational, cos, exp, log, sin, sqrt, tan

from derivtutor.algebra import check, mathinput, mistakes
from derivtutor.algebra.mistakes import CORRECT, MISTAKES, differentiate

w = mathinput.var("w")
x = mathinput.var("x")
b = mathinput.var("b")

# (J, the learner's answer, the mistake it shows)
SYMBOLIC = [
    # wrong variable: the right derivative in another letter, or J varied by another variable
    (w**2, 2 * x, "wrong_variable"),
    (w**3, 3 * x**2, "wrong_variable"),
    (w * x + b, w, "wrong_variable"),
    (1 / w, -1 / x**2, "wrong_variable"),
    # quotient rule with its terms swapped, at every quotient in the tree
    ((w + 1) / (w - 1), 2 / (w - 1) ** 2, "quotient_swapped"),
    (w / (w + 1), -1 / (w + 1) ** 2, "quotient_swapped"),
    (sin(w) / w, (sin(w) - w * cos(w)) / w**2, "quotient_swapped"),
    (w**2 + w / (w + 2), 2 * w - 2 / (w + 2) ** 2, "quotient_swapped"),
    # product rule taken as the product of the derivatives
    (w * sin(w), cos(w), "product_of_derivatives"),
    (w**2 * exp(w), 2 * w * exp(w), "product_of_derivatives"),
    ((w + 1) * (w - 2), sympy.Integer(1), "product_of_derivatives"),
    (w * log(w), 1 / w, "product_of_derivatives"),
    # chain-rule factor missing, at every link of the chain
    ((2 + 3 * w) ** 2, 2 * (2 + 3 * w), "chain_factor_missing"),
    (sin(w**2), cos(w**2), "chain_factor_missing"),
    (exp(2 * w), exp(2 * w), "chain_factor_missing"),
    (log(3 * w + 1), 1 / (3 * w + 1), "chain_factor_missing"),
    ((w**2 + 1) ** 3, 3 * (w**2 + 1) ** 2, "chain_factor_missing"),
    # J itself
    (w**2, w**2, "gave_J"),
    (w**3 + w, w**3 + w, "gave_J"),
    (sin(w), sin(w), "gave_J"),
    (1 / w**2, 1 / w**2, "gave_J"),
    # integrated instead of differentiated (any constant added)
    (w**3, w**4 / 4, "integrated"),
    (w**2, w**3 / 3 + 7, "integrated"),
    (2 * w, w**2, "integrated"),
    (w**3, w**4, "integrated"),
    (exp(3 * w), exp(3 * w) / 3, "integrated"),
    (1 / w + cos(w), log(Abs(w)) + sin(w), "integrated"),
    # power rule without lowering the exponent, at every power
    (w**3, 3 * w**3, "power_not_lowered"),
    (w**2, 2 * w**2, "power_not_lowered"),
    (1 / w**2, -2 / w**2, "power_not_lowered"),
    (w**3 + w**2, 3 * w**3 + 2 * w**2, "power_not_lowered"),
    ((2 + 3 * w) ** 2, 6 * (2 + 3 * w) ** 2, "power_not_lowered"),
    # sign errors
    (1 / w, 1 / w**2, "sign_error"),
    (cos(w), sin(w), "sign_error"),
    (1 / w**2, 2 / w**3, "sign_error"),
    (w**2 + 1 / w, 2 * w + 1 / w**2, "sign_error"),
    (w**3, -3 * w**2, "sign_error"),
    # coefficient dropped: the constant factor, or the exponent brought down
    (2 * w**2, w, "coefficient_dropped"),
    (2 * w**2, 2 * w, "coefficient_dropped"),
    (5 * w**3, 3 * w**2, "coefficient_dropped"),
    (4 * w, sympy.Integer(1), "coefficient_dropped"),
    # power rule without multiplying by the exponent (5w² for 5w³ was "coefficient dropped")
    (w**2, w, "power_not_multiplied"),
    (w**3, w**2, "power_not_multiplied"),
    (5 * w**3, 5 * w**2, "power_not_multiplied"),
    # product rule with one of its terms forgotten
    (w**2 * sin(3 * w), 2 * w * sin(3 * w), "product_term_missing"),
    (w**2 * sin(w), w**2 * cos(w), "product_term_missing"),
    (w**3 * log(w), 3 * w**2 * log(w), "product_term_missing"),
    # quotient rule without its denominator (with the numerator right, or swapped)
    (sin(w) / w, w * cos(w) - sin(w), "quotient_denominator_missing"),
    ((w + 1) / (w - 1), sympy.Integer(-2), "quotient_denominator_missing"),
    (w**2 / (w + 1), w**2 - 2 * w * (w + 1), "quotient_denominator_missing"),
    # the constant of a sum kept
    (w**2 + 5, 2 * w + 5, "sum_constant_kept"),
    (w**3 - 2, 3 * w**2 - 2, "sum_constant_kept"),
    (sin(w) + 1, cos(w) + 1, "sum_constant_kept"),
]

# (J, point, the learner's number, the mistake it shows)
NUMERIC = [
    (w**2, {w: 3}, sympy.Integer(4), "wrong_point"),       # dJ/dw at w − 1
    (w**2, {w: 3}, sympy.Integer(8), "wrong_point"),       # at w + 1
    (w**3, {w: 2}, sympy.Integer(27), "wrong_point"),      # at w + 1
    (1 / w**2, {w: 4}, Rational(-2, 27), "wrong_point"),   # at w − 1
    (w**2, {w: 3}, sympy.Integer(9), "gave_J"),
    (1 / w**2, {w: 4}, Rational(1, 16), "gave_J"),
    (w**3, {w: 2}, sympy.Integer(24), "power_not_lowered"),
    (1 / w, {w: 2}, Rational(1, 4), "sign_error"),
    (exp(2 * w), {w: 0}, sympy.Integer(1), "chain_factor_missing"),
    (w * x + b, {w: -2, x: 2, b: 8}, sympy.Integer(-2), "wrong_variable"),  # ∂J/∂x = w
]


@pytest.mark.parametrize("J, answer, code", SYMBOLIC, ids=[f"{c}:{a}" for _, a, c in SYMBOLIC])
def test_symbolic_mistake_is_diagnosed_and_named(J, answer, code):
    wrt = w
    verdict = check.check_derivative(J, answer, wrt, lang="en")
    assert not verdict.correct
    assert verdict.how == "mistake"
    assert verdict.mistake.code == code
    name = mistakes.BY_CODE[code].name["en"].replace("{wrt}", "w")
    assert name.lower() in verdict.feedback.lower()
    zh = verdict.localized("zh")
    assert mistakes.BY_CODE[code].name["zh"].replace("{wrt}", "w") in zh
    assert verdict.corrected == differentiate(J, wrt)


@pytest.mark.parametrize("J, at, answer, code", NUMERIC, ids=[f"{c}:{a}" for _, _, a, c in NUMERIC])
def test_numeric_mistake_at_a_point(J, at, answer, code):
    verdict = check.check_derivative(J, answer, w, at=at, lang="en")
    assert not verdict.correct
    assert verdict.mistake.code == code
    name = mistakes.BY_CODE[code].name["en"].replace("{wrt}", "w")
    assert name.lower() in verdict.feedback.lower()
    assert verdict.corrected == differentiate(J, w).xreplace(at)


def test_every_mistake_has_three_cases():
    seen = [c for *_, c in SYMBOLIC + NUMERIC]
    for row in MISTAKES:
        assert seen.count(row.code) >= 3, row.code


@pytest.mark.parametrize("row", MISTAKES, ids=[m.code for m in MISTAKES])
def test_rows_are_bilingual_and_name_themselves(row):
    for lang in ("en", "zh"):
        assert row.name[lang] and row.message[lang]
        assert row.name[lang].lower() in row.message[lang].lower()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in row.message["zh"])


def test_codes_are_unique():
    assert len({m.code for m in MISTAKES}) == len(MISTAKES)


CORPUS = [
    w**2, w**3, 2 * w, 1 / w, 1 / w**2, (2 + 3 * w) ** 2, w * sin(w), exp(2 * w) * cos(w),
    (w + 1) / (w - 1), sqrt(w**2 + 1), log(Abs(w)), tan(w**2), 2**w, w**w, sin(w) / (w**2 + 1),
    (w * x + b - 1) ** 2 / 2, Abs(w - 1), exp(-w**2 / 2), sympy.asin(w / 2), sympy.tanh(3 * w),
    sympy.sec(w**2), sympy.csc(2 * w), sympy.cot(w), sympy.asinh(w), sympy.acosh(w**2 + 2),
    sympy.atanh(w / 3), 1 / (1 + exp(-w)), log(w) / log(10),
]


@pytest.mark.parametrize("J", CORPUS, ids=[str(e) for e in CORPUS])
def test_the_correct_walk_equals_sympy_diff(J):
    assert sympy.simplify(differentiate(J, w, CORRECT) - sympy.diff(J, w)) == 0


def test_mis_rules_reach_inside_the_tree():
    # the power rule is mis-applied to the power inside sin, not only at the top
    J = sin(w**3) + w**2
    wrong = differentiate(J, w, mistakes.POWER_NOT_LOWERED)
    assert sympy.expand(wrong - (cos(w**3) * 3 * w**3 + 2 * w**2)) == 0
    # the chain link is dropped at both levels of exp(sin(2w))
    assert differentiate(exp(sin(2 * w)), w, mistakes.CHAIN_MISSING) == exp(sin(2 * w))


def test_a_mistake_that_changes_nothing_is_not_named():
    # for J = w², dropping the chain factor (d(w)/dw = 1) gives the right answer: not a diagnosis
    verdict = check.check_derivative(w**2, 2 * w, w)
    assert verdict.correct and verdict.mistake is None


def test_unrecognised_wrong_answer_gets_a_counterexample_not_a_guess():
    verdict = check.check_derivative(w**2, w + 7, w, lang="en")
    assert not verdict.correct and verdict.mistake is None
    assert verdict.counterexample is not None
    assert "at $w = 2$" in verdict.feedback


def test_a_forgotten_product_term_is_named_only_when_that_term_is_what_is_missing():
    J = w**2 * sin(3 * w)
    # either term of (uv)′ = u′v + uv′ left out: that mistake, naming the factor left out
    for answer, left in ((2 * w * sin(3 * w), "sin(3·w)"), (3 * w**2 * cos(3 * w), "w²")):
        verdict = check.check_derivative(J, answer, w, lang="en")
        assert verdict.mistake.code == "product_term_missing"
        assert f"left out the one where ${left}$ is" in verdict.feedback
    # both terms there but the chain factor 3 lost: not a forgotten term
    verdict = check.check_derivative(J, 2 * w * sin(3 * w) + w**2 * cos(3 * w), w, lang="en")
    assert verdict.mistake.code == "chain_factor_missing"
    # one term only, and that term itself wrong: no mistake of the table makes it
    verdict = check.check_derivative(J, 2 * w * sin(3 * w) + 1, w, lang="en")
    assert not verdict.correct and verdict.mistake is None
    # a J with no product has no term to forget
    assert not mistakes.BY_CODE["product_term_missing"].make(
        mistakes.Context(sin(3 * w), w, 3 * cos(3 * w), None))

"""Verdicts that are decided, not estimated (issue 10): every wrong answer here was once called
"Correct" (or a right one refused) by a float tolerance; each is now decided exactly or at high
precision, with a counterexample the learner can check."""

from __future__ import annotations

import random
import time

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Integer, Rational, cos, diff, expand, sin, sqrt, symbols

from derivtutor.algebra.verdict import distinct_texts, right_text
from derivtutor.algebra.check import check_derivative, check_expression, equivalent
from derivtutor.algebra.mathinput import read_expression, var

a, h, k, m, n, q, w, x = symbols("a h k m n q w x")


# --- wrong answers once graded "Correct" ---------------------------------------------------


def test_second_derivative_off_by_one_is_wrong():
    J = -255225761 * q**2 - q - 27442982
    verdict = check_expression(Integer(-510451521), Integer(-510451522), lang="en")
    assert not verdict.correct
    assert verdict.feedback == ("Not quite: your expression is −510451521, "
                                "but the expected one is −510451522.")
    by_derivative = check_derivative(diff(J, q), Integer(-510451521), q, lang="en")
    assert not by_derivative.correct and by_derivative.how == "exact"
    assert "−510451521" in by_derivative.feedback and "−510451522" in by_derivative.feedback
    assert check_derivative(diff(J, q), Integer(-510451522), q).correct


def test_partial_derivative_with_one_coefficient_off_is_wrong():
    J = -81214341 * a**2 * h**4 + 2 * a**2 - 6 * a + 4289893
    verdict = check_derivative(J, -324857363 * a**2 * h**3, h, lang="en")
    assert not verdict.correct
    ce = verdict.counterexample
    assert ce.learner_exact != ce.expected_exact
    # the learner can check the counterexample by hand: exact integers at small integer points
    assert all(v.is_Integer and abs(v) <= 7 for v in ce.point.values())
    assert ce.expected_exact == (-324857364 * a**2 * h**3).xreplace(ce.point)
    assert check_derivative(J, -324857364 * a**2 * h**3, h).correct


def test_expanded_degree_13_polynomial_with_constant_off_by_one():
    factored = 512 * (2 * x + 5)**7 * (5 * x - 1)**5 * (70 * x + 67)
    assert equivalent(expand(factored), factored).equal is True
    eq = equivalent(expand(factored) + 1, factored)
    assert eq.equal is False and eq.how == "exact"
    assert eq.counterexample.learner_exact - eq.counterexample.expected_exact == 1


def test_exact_fractions_are_compared_exactly():
    verdict = check_expression(Rational(99999999, 10**8), Rational(99999998, 99999999), lang="en")
    assert not verdict.correct
    assert "99999999/100000000" in verdict.feedback and "99999998/99999999" in verdict.feedback


def test_a_difference_of_one_in_a_billion_is_seen_in_other_expressions():
    assert not check_expression(1000000001 * sin(x), 1000000000 * sin(x)).correct
    assert not check_derivative(sin(w) * 10**12, cos(w) * (10**12 + 1), w).correct
    assert check_derivative(sin(w) * 10**12, cos(w) * 10**12, w).correct


def test_two_numbers_called_different_look_different():
    verdict = check_derivative(40607201 * sin(w), 40607202 * cos(w), w, lang="en")
    assert not verdict.correct
    ce = verdict.counterexample
    yours, expected = distinct_texts(ce.learner_exact, ce.expected_exact)
    assert yours != expected and yours in verdict.feedback and expected in verdict.feedback
    assert distinct_texts(40607200.1, 40607200.3) == ("40607200.1", "40607200.3")
    # a named mistake at a point shows the right value so that it differs from the learner's
    assert right_text(Rational(406072001, 10), Rational(406072003, 10)) == "40607200.3"
    assert right_text(Integer(5), Integer(6)) == "6"


# --- right answers once refused ------------------------------------------------------------


def test_complex_intermediates_are_not_a_counterexample():
    assert check_expression(sqrt(k / m) * sqrt(m / k), Integer(1)).correct


def test_minus_one_to_the_n():
    assert check_expression((-1)**n * cos(x)**n, (-cos(x))**n).correct
    assert not check_expression((-1)**n * cos(x)**n, cos(x)**n).correct


# --- high degree, decided in milliseconds --------------------------------------------------


def test_huge_powers_are_decided_not_left_undecided():
    start = time.perf_counter()
    verdict = check_expression((x - a)**6000, (x - a)**5999, lang="en")
    assert time.perf_counter() - start < 1.5  # generous: the bench measures the real figure
    assert not verdict.correct and verdict.how == "exact"
    assert verdict.counterexample.point == {a: 1, x: 0}
    assert equivalent((x - a)**6000, (x - a)**3000 * (x - a)**3000).equal is True


def test_many_variables_to_the_twelfth_is_answered():
    b, c, d, f, g = symbols("b c d f g")
    verdict = check_derivative(w**2, (a + b + c + d + f + g + h + w)**12, w, lang="en")
    assert not verdict.correct and verdict.how in ("exact", "mistake")


# --- a generated corpus: polynomial derivatives (in the spirit of mathematics_dataset) -----


VARIABLES = symbols("a b c d f g h k m n p q r s t u v w x y z")


def _polynomial(rng: random.Random, variables, degree: int):
    terms = []
    for _ in range(rng.randint(1, 5)):
        powers = [rng.randint(0, degree) for _ in variables]
        while sum(powers) > degree:
            powers[rng.randrange(len(powers))] //= 2
        coefficient = rng.randint(-10**9, 10**9) or 1
        terms.append(coefficient * sympy.Mul(*(v**p for v, p in zip(variables, powers))))
    terms[0] = terms[0] * variables[0] ** max(0, degree - sympy.Poly(terms[0], *variables).total_degree())
    return sympy.Add(*terms) + rng.randint(-10**9, 10**9)


def _corpus(count: int, seed: int = 10):
    rng = random.Random(seed)
    for _ in range(count):
        variables = rng.sample(VARIABLES, rng.randint(1, 4))
        J = _polynomial(rng, variables, rng.randint(1, 15))
        wrt = variables[0]
        order = rng.randint(1, 3)
        yield J, wrt, order


def _perturbed(rng: random.Random, right):
    """Wrong answers a learner could give: the answer ±1 and one coefficient ±1."""
    wrongs = [right + 1, right - 1]
    terms = sympy.Add.make_args(expand(right))
    term = terms[rng.randrange(len(terms))]
    coefficient, monomial = term.as_coeff_Mul()
    wrongs.append(expand(right) + rng.choice((1, -1)) * monomial)
    return [wr for wr in wrongs if expand(wr - right) != 0]


def test_generated_polynomial_derivatives_right_accepted_perturbed_rejected():
    rng = random.Random(2024)
    checked = 0
    for J, wrt, order in _corpus(90):
        before = diff(J, wrt, order - 1)
        right = diff(J, wrt, order)
        assert check_expression(right, right).correct
        assert check_derivative(before, expand(right), wrt).correct, (J, wrt, order)
        for wrong in _perturbed(rng, right):
            assert not check_expression(wrong, right).correct, (J, wrt, order, wrong)
            verdict = check_derivative(before, wrong, wrt)
            assert not verdict.correct, (J, wrt, order, wrong)
            checked += 1
    assert checked >= 250


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-10**9, 10**9), min_size=1, max_size=16),
       st.integers(0, 15), st.sampled_from((1, -1)))
def test_property_one_coefficient_off_is_always_seen(coefficients, index, delta):
    right = sum(c * x**i for i, c in enumerate(coefficients))
    wrong = right + delta * x**(index % len(coefficients))
    assert equivalent(right, expand(right)).equal is True
    eq = equivalent(wrong, right)
    assert eq.equal is False and eq.counterexample is not None
    assert eq.counterexample.learner_exact - eq.counterexample.expected_exact != 0


def test_a_decimal_float_is_judged_to_its_own_precision():
    # a side holding a 15-digit Float cannot be held to 25 digits; a rounded one is still wrong
    assert check_derivative(sympy.exp(w) * sympy.Float("0.333333333333333", 15), sympy.exp(w) / 3, w).correct
    assert not check_derivative(sympy.exp(w) * sympy.Float("0.3333", 15), sympy.exp(w) / 3, w).correct


@pytest.mark.parametrize("J,answer,point", [
    ("sqrt(w^2 - 1)", "w/(sqrt(w - 1)*sqrt(w + 1))", "w = −2"),          # √(w−1)·√(w+1) is not √(w²−1) for w < −1
    ("sqrt((w - 3)*(w - 5))", "(w - 4)/(sqrt(w - 3)*sqrt(w - 5))", "w = 2"),
])
def test_an_answer_that_is_not_real_where_dj_plainly_is_gets_a_counterexample(J, answer, point):
    verdict = check_derivative(read_expression(J), read_expression(answer), var("w"), lang="en")
    assert not verdict.correct and verdict.counterexample is not None
    assert f"at ${point}$ your answer is not a real number" in verdict.feedback


@pytest.mark.parametrize("J,answer", [("sqrt(w^2 - 1)", "w/sqrt(w^2 - 1)"), ("w^2/2", "sqrt(w)^2"),
                                      ("sqrt(w)", "1/(2*sqrt(w))"), ("w^(3/2)", "3/2*sqrt(w)")])
def test_right_answers_with_roots_stay_right(J, answer):
    assert check_derivative(read_expression(J), read_expression(answer), var("w")).correct

"""The one float evaluator (derivtutor.algebra.evaluate): the labs' digits, one word per failure."""

import pytest
import sympy
from sympy import Rational, exp, log, sqrt

from derivtutor.algebra import calculus, evaluate
from derivtutor.algebra.graph import GraphError
from derivtutor.algebra.graph_build import from_assignments
from derivtutor.algebra.mathinput import var

w = var("w")


def test_the_labs_digits():
    assert evaluate.lab_float(w**2 - 9, {w: 3.001}) == 3.001**2 - 9
    assert calculus.forward_difference(w**2, w, {w: 3}, 0.001) == 6.000999999999479
    assert evaluate.lab_float(3 * w / 2, {w: 0.1}) == (3 * 0.1) / 2


@pytest.mark.parametrize("expr, at, reason", [
    (1 / w, 0.0, "zero_division"),
    (log(w), -1.0, "log_domain"),
    (sqrt(w), -1.0, "sqrt_domain"),
    (exp(w), 1000.0, "overflow"),
    (w**w, -0.5, "power_domain"),
])
def test_each_failure_has_one_word(expr, at, reason):
    with pytest.raises(evaluate.Undefined) as caught:
        evaluate.lab_float(expr, {w: at})
    assert caught.value.reason == reason


def test_exact_values_are_judged_with_the_same_words():
    assert evaluate.exact_problem(sympy.zoo) == "zero_division"
    assert evaluate.exact_problem(sympy.nan) == "not_a_number"
    assert evaluate.exact_problem(sympy.oo) == "infinite"
    assert evaluate.exact_problem(sympy.I + 1) == "not_real"
    assert evaluate.exact_problem(Rational(1, 3)) is None


def test_calculus_and_graphs_agree_on_an_overflow():
    with pytest.raises(calculus.Overflow):
        calculus.float_value(exp(w) * exp(w), {w: 400})
    graph = from_assignments([("a", exp(w)), ("J", var("a") * var("a"))], inputs={w: 400})
    with pytest.raises(GraphError) as caught:  # was a silent inf, then nan
        graph.finite_difference("J", "w")
    assert caught.value.fields["why"] == "overflow"

"""A verdict is a claim: cancellation amplified past 80 digits is neither "wrong" nor "right".

Found by hostile input in free play: 2w + (sin 3w − 3 sin w + 4 sin³w)·(w+1)^300·e^(40w)·tan(w)^9
is exactly 2w, yet was judged wrong with the counterexample "your answer gives −2.72e+100".
"""

from derivtutor.algebra import check
from derivtutor.algebra.mathbuild import var
from derivtutor.algebra.mathinput import read_expression

w = var("w")
IDENTITY = "(sin(3*w) - 3*sin(w) + 4*sin(w)^3)"  # 0 for every w


def verdict(answer):
    return check.check_derivative(read_expression("w^2"), read_expression(answer), w)


def test_an_exact_identity_times_a_huge_factor_is_not_wrong():
    v = verdict(f"2*w + {IDENTITY}*(w+1)^300*exp(w)^40*tan(w)^9")
    assert v.correct


def test_a_tiny_real_difference_times_a_huge_factor_is_wrong_with_a_true_counterexample():
    v = verdict(f"2*w + ({IDENTITY} + 10^-200)*(w+1)^300*exp(w)^40")
    assert v.correct is False
    ce = v.counterexample
    assert ce is not None
    import sympy

    x = ce.point[w]
    true_gap = sympy.Integer(10) ** -200 * (x + 1) ** 300 * sympy.exp(40 * x)
    shown_gap = ce.learner_exact - ce.expected_exact  # what the learner is told, to 40 digits
    assert abs(shown_gap / true_gap.evalf(50) - 1) < 1e-6


def test_beyond_every_precision_tried_there_is_no_verdict_either_way():
    v = verdict(f"2*w + {IDENTITY}*(w+1)^3000*exp(w)^400")
    assert not v.correct and v.counterexample is None
    assert "needs more digits than I compute with" in v.feedback

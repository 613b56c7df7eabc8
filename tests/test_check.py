"""Equivalence (with its domain traps), the number policy, and the verdicts' feedback."""

from types import SimpleNamespace

import pytest
import sympy
from sympy import Abs, Float, Integer, Rational, cos, exp, log, sin, sqrt, tan

from derivtutor.algebra import check, mathinput, number_policy
from derivtutor.algebra.check import CheckError, check_derivative, check_expression, check_number, equivalent

w = mathinput.var("w")
x = mathinput.var("x")
eps = mathinput.var("ε")

# (a, b, domain, equal?)
PAIRS = [
    ((w + 1) ** 2, w**2 + 2 * w + 1, None, True),
    (sin(w) ** 2 + cos(w) ** 2, Integer(1), None, True),
    (tan(w), sin(w) / cos(w), None, True),
    (2 * w, 2.0 * w, None, True),
    (w**2 + 2 * w * eps + eps**2, (w + eps) ** 2, None, True),
    (sqrt(w**2), Abs(w), None, True),
    (sqrt(w**2), w, None, False),                        # only for w ≥ 0
    (Abs(w), w, None, False),
    (Integer(1), sympy.sign(w), Abs(w), False),          # d|w|/dw is not 1 for w < 0
    (1 / Abs(w), 1 / w, log(w), True),                   # d ln w/dw: w > 0 only, so 1/|w| is fine
    (1 / Abs(w), 1 / w, log(Abs(w)), False),             # d ln|w|/dw: w < 0 too, so it is not
    (1 / w, sympy.sign(w) / Abs(w), log(Abs(w)), True),
    (log(w**2), 2 * log(w), log(w), True),               # equal where ln w is defined
    (log(w**2), 2 * log(Abs(w)), None, True),
    (sqrt(w) / (2 * w), 1 / (2 * sqrt(w)), sqrt(w), True),
    (exp(log(w)), w, log(w), True),
    (Rational(333, 1000) * w, w / 3, None, False),
    (-1 / w**2, -w ** -2, None, True),
    (w * x, x * w, None, True),
]


@pytest.mark.parametrize("a, b, domain, equal", PAIRS, ids=[f"{a} vs {b} on {d}" for a, b, d, _ in PAIRS])
def test_equivalence_table(a, b, domain, equal):
    result = equivalent(a, b, domain=domain)
    assert result.equal is equal
    if not equal:
        assert result.counterexample is not None


def test_sampling_only_positive_points_would_accept_abs_derivative():
    # the sampler must use negative points: d|w|/dw = 1 is refused, with a negative counterexample
    verdict = check_derivative(Abs(w), Integer(1), w, lang="en")
    assert not verdict.correct
    assert verdict.counterexample.point[w] < 0
    assert verdict.feedback == "Not quite: at $w = −2$ your answer gives 1, but J changes at rate −1 there."


def test_domain_ln_w_accepts_one_over_abs_w_and_ln_abs_w_does_not():
    assert check_derivative(log(w), 1 / Abs(w), w).correct
    assert check_derivative(log(Abs(w)), 1 / w, w).correct
    assert not check_derivative(log(Abs(w)), 1 / Abs(w), w).correct


def test_counterexample_sentence():
    verdict = check_derivative(1 / w, 1 / w + 1, w, lang="en")
    assert verdict.how == "exact" and verdict.mistake is None
    assert verdict.feedback == "Not quite: at $w = 2$ your answer gives 1.5, but J changes at rate −0.25 there."
    assert verdict.counterexample.expected == pytest.approx(-0.25)
    zh = verdict.localized("zh")
    assert "在 $w = 2$ 处" in zh and "−0.25" in zh


def test_counterexample_for_an_answer_that_is_not_real():
    verdict = check_derivative(w**2, 2 * sqrt(w) * Abs(w) / sqrt(Abs(w)), w, lang="en")
    assert not verdict.correct
    assert "not a real number" in verdict.feedback
    assert verdict.counterexample.point[w] < 0


@pytest.mark.parametrize("answer", [2 * w, w * 2, 2 * w**1, 2.0 * w, Float(2.0) * w, w + w])
def test_accepted_spellings_of_2w(answer):
    verdict = check_derivative(w**2, answer, w)
    assert verdict.correct and verdict.how == "exact"


@pytest.mark.parametrize("typed", ["2w", "w*2", "2*w^1", "dJ/dw = 2w", "2.0*w", "2 w", "w + w"])
def test_accepted_spellings_as_read(typed):
    reading = mathinput.read(typed)
    assert check_derivative(mathinput.read_expression("w^2"), reading.expr, w).correct
    assert check_derivative(mathinput.read_expression("w^2"), reading, w).correct


def test_a_reading_is_judged_by_its_expression():
    reading = SimpleNamespace(expr=2 * w, form="answer", wrt="w", name="J")
    assert check_derivative(w**2, reading, w).correct


def test_trig_identity_is_accepted_by_sampling():
    verdict = check_derivative(sin(w) ** 2, sin(2 * w), w)
    assert verdict.correct and verdict.how == "sampled"


def test_wrt_is_inferred_or_asked_for():
    assert check_derivative(w**3, 3 * w**2).correct
    with pytest.raises(CheckError) as err:
        check_derivative(w * x, x)
    assert "several variables" in err.value.message
    assert "好几个变量" in err.value.localized("zh")
    assert check_derivative(Integer(5), Integer(0)).correct


def test_partial_derivative_in_a_two_variable_J():
    J = (w * x + 8 - 1) ** 2 / 2
    assert check_derivative(J, x * (w * x + 7), w).correct
    assert check_derivative(J, w * (w * x + 7), x).correct


def test_value_at_a_point():
    assert check_derivative(w**2, Integer(6), w, at={w: 3}).correct
    assert check_derivative(w**2, Integer(6), w, at={"w": 3}).correct
    assert check_derivative(1 / w**2, Rational(-1, 32), w, at={w: 4}).how == "exact"
    wrong = check_derivative(w**2, Integer(7), w, at={w: 3}, lang="en")
    assert not wrong.correct and wrong.feedback == "Not quite: 7 is too large."


def test_a_derivative_undefined_at_the_point_is_a_friendly_error():
    with pytest.raises(CheckError) as err:
        check_derivative(1 / w, Integer(1), w, at={w: 0})
    assert err.value.message == "dJ/dw is undefined at w = 0, so there is no value to check."


def test_something_that_is_not_math_is_refused_kindly():
    with pytest.raises(CheckError) as err:
        check_derivative(w**2, sympy.Eq(w, 2), w)
    assert err.value.message == "I can only check a formula or a number here."


def test_check_expression_feedback():
    right = check_expression(w**2 + 2 * w * eps + eps**2, (w + eps) ** 2, lang="en")
    assert right.correct
    wrong = check_expression(w**2 + eps**2, (w + eps) ** 2, lang="en")
    assert not wrong.correct
    assert wrong.feedback.startswith("Not quite: at $")
    assert "your expression gives" in wrong.feedback


# --- numbers ----------------------------------------------------------------------------

# (the learner's number, what they typed, expected, accepted?, how)
NUMBERS = [
    (Rational(333, 1000), "0.333", Rational(1, 3), True, "rounded"),
    (Rational(3333, 10000), "0.3333", Rational(1, 3), True, "rounded"),
    (Rational(6001, 1000), "6.001", Float(6.000999999999479, 17), True, "rounded"),
    (Rational(6001, 1000), "6.001", 6.000999999999479, True, "rounded"),
    (Rational(-312, 10000), "-0.0312", Rational(-1, 32), True, "rounded"),
    (Rational(-313, 10000), "−0.0313", Rational(-1, 32), True, "rounded"),
    (Rational(-1, 32), "-1/32", Rational(-1, 32), True, "exact"),
    (Rational(-1, 32), "-0.03125", Rational(-1, 32), True, "exact"),
    (sympy.pi / 2, "π/2", sympy.pi * Rational(1, 2), True, "exact"),
    (Rational(1001, 1000), "1.001", Rational(1001, 1000), True, "exact"),
    (Rational(12006, 1000), "12.006", Float(12.0060009999978, 17), True, "rounded"),
    (Rational(334, 1000), "0.334", Rational(1, 3), False, "numeric"),
    (Rational(333, 1000), "333/1000", Rational(1, 3), False, "numeric"),  # a fraction is exact
    (Integer(6), "6", Float(6.000999999999479, 17), False, "numeric"),    # one digit is too few
    (Rational(3, 10), "0.3", Rational(1, 4), False, "numeric"),
    (Float(0.33333333333), None, Rational(1, 3), True, "numeric"),        # within 1e-6
]


@pytest.mark.parametrize("answer, typed, expected, ok, how", NUMBERS, ids=[n[1] or str(n[0]) for n in NUMBERS])
def test_number_policy(answer, typed, expected, ok, how):
    verdict = check_number(answer, expected, typed=typed)
    assert verdict.correct is ok
    assert verdict.how == how


def test_lesson_tolerances():
    assert check_number(Rational(62, 10), Integer(6), rel_tol=0.05, typed="6.2").correct
    assert not check_number(Rational(64, 10), Integer(6), rel_tol=0.05, typed="6.4").correct
    assert check_number(Rational(-249, 1000), Float(-0.24981262492190792, 17), abs_tol=0.01).correct


@pytest.mark.parametrize("typed, digits", [("0.333", 3), ("6.0", 2), ("100", 1), ("-0.0312", 3), ("1.50e-3", 3),
                                           ("12", 2), ("0.00", None), ("1/3", None), ("π", None)])
def test_significant_digits(typed, digits):
    assert number_policy.significant_digits(typed) == digits


K_LAB = Float(6.000999999999479, 17)


@pytest.mark.parametrize("answer, typed, expected, key_text", [
    (Rational(334, 1000), "0.334", Rational(1, 3), "Close: 0.334 is off in the last digit"),
    (Integer(6), "6", K_LAB, "Almost: 6 is rounded too much"),
    (Rational(-1, 3), "-0.333", Rational(1, 3), "check the sign of -0.333"),
    (Integer(2), "2", Rational(1, 3), "2 is too large"),
    (Rational(1, 10), "0.1", Rational(1, 3), "0.1 is too small"),
])
def test_wrong_number_feedback(answer, typed, expected, key_text):
    verdict = check_number(answer, expected, typed=typed, lang="en")
    assert not verdict.correct
    assert key_text in verdict.feedback


def test_a_number_with_a_variable_in_it():
    verdict = check_number(2 * w, Integer(6), lang="en")
    assert not verdict.correct
    assert verdict.feedback.endswith("still has w in it.")


def test_feedback_follows_the_language():
    verdict = check_derivative(w**3, 3 * w**3, w, lang="zh")
    assert verdict.feedback == verdict.texts["zh"]
    assert "幂法则" in verdict.feedback
    assert verdict.localized("en").startswith("The power rule without lowering the exponent")


# --- the `derivtutor check` command ------------------------------------------------------


def _run_check(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "derivtutor", "check", *args, "--lang", "en"],
                          capture_output=True, text=True, timeout=120)


def test_command_right_answer_exits_0():
    done = _run_check("w^3", "3w^2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Correct")


def test_command_wrong_answer_exits_1_with_the_diagnosis():
    done = _run_check("w^3", "3w^3")
    assert done.returncode == 1
    assert "power rule without lowering the exponent" in done.stdout


def test_command_bad_input_exits_2_with_a_caret_and_no_traceback():
    done = _run_check("w^3", "3*(w^2")
    assert done.returncode == 2
    assert "^" in done.stderr.splitlines()[-1]
    assert "Traceback" not in done.stderr + done.stdout


def test_command_json():
    import json

    done = _run_check("1/w", "1/w^2", "--json")
    assert done.returncode == 1
    verdict = json.loads(done.stdout)
    assert verdict["correct"] is False and verdict["mistake"] == "sign_error"
    assert verdict["how"] == "mistake"
    assert "sign error" in verdict["feedback"]
    wrong = json.loads(_run_check("1/w", "1/w + 1", "--json").stdout)
    assert wrong["mistake"] is None
    assert wrong["counterexample"] == {"point": {"w": 2.0}, "answer": 1.5, "expected": -0.25}


def test_command_value_at_a_point():
    assert _run_check("w^2", "6", "--at", "w=3").returncode == 0
    done = _run_check("w^2", "9", "--at", "w=3", "--json")
    assert done.returncode == 1
    assert json_of(done)["mistake"] == "gave_J"
    assert _run_check("1/w^2", "-0.0312", "--at", "w=4").returncode == 0


def test_command_bad_point_and_undefined_point_exit_2():
    bad = _run_check("w^2", "6", "--at", "w")
    assert bad.returncode == 2 and "NAME=VALUE" in bad.stderr
    undefined = _run_check("1/w", "1", "--at", "w=0")
    assert undefined.returncode == 2 and "undefined" in undefined.stderr
    assert "Traceback" not in bad.stderr + undefined.stderr


def json_of(done):
    import json

    return json.loads(done.stdout)


# --- the simplify tiebreaker ---------------------------------------------------------------


def test_simplify_breaks_the_tie_when_no_point_is_real():
    # neither the exact step (sin² + cos² is not a polynomial identity) nor sampling (never
    # real) can decide; the bounded worker's simplify can
    root = sqrt(-1 - w**2)
    result = equivalent(root * (sin(w) ** 2 + cos(w) ** 2), root)
    assert result.equal is True and result.how == "simplify"


def test_a_simplify_timeout_leaves_it_undecided(monkeypatch):
    monkeypatch.setattr(check, "SIMPLIFY_TIMEOUT", 0.001)  # the real worker, given no time
    root = sqrt(-1 - w**2)
    assert equivalent(root * (sin(w) ** 2 + cos(w) ** 2), root).how == "undecided"
    verdict = check_expression(root * 2, root, lang="en")
    assert not verdict.correct and verdict.how == "undecided"
    assert verdict.feedback.startswith("I could not check")


@pytest.mark.parametrize("typed,expected,said", [
    ("-6", 8, "−6 is too small"),          # the derivative at another point, not a sign slip
    ("-8", 8, "check the sign of −8"),
    ("0.5", -2, "0.5 is too large"),
    ("-0.333", Rational(1, 3), "check the sign of −0.333"),
])
def test_the_sign_is_named_only_when_it_is_all_that_is_wrong(typed, expected, said):
    from derivtutor.algebra.mathinput import read_number

    verdict = check_number(read_number(typed), Integer(expected) if isinstance(expected, int) else expected,
                           typed=typed, lang="en")
    assert not verdict.correct and said.replace("−", "-") in verdict.feedback.replace("−", "-")

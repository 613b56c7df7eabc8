"""Property tests: the checker agrees with `simplify(a − b) == 0`, and never crashes."""

import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sympy import Abs, Integer, Rational, cos, exp, log, sin, sqrt

from derivtutor.algebra import mathinput
from derivtutor.algebra.check import CheckError, check_derivative, equivalent
from derivtutor.algebra.verdict import Verdict

w = mathinput.var("w")

LEAVES = st.sampled_from([w, w, w, Integer(1), Integer(2), Integer(3), Integer(-1), Rational(1, 2)])
SAFE_FUNCTIONS = (sin, cos, exp)
ANY_FUNCTIONS = SAFE_FUNCTIONS + (log, sqrt, Abs, sympy.tan)


def _trees(functions, max_leaves=5):
    def extend(children):
        return st.one_of(
            st.tuples(children, children).map(lambda t: t[0] + t[1]),
            st.tuples(children, children).map(lambda t: t[0] - t[1]),
            st.tuples(children, children).map(lambda t: t[0] * t[1]),
            st.tuples(children, st.integers(-2, 3)).map(lambda t: t[0] ** t[1]),
            st.tuples(st.sampled_from(functions), children).map(lambda t: t[0](t[1])),
        )

    return st.recursive(LEAVES, extend, max_leaves=max_leaves).filter(_finite)


def _finite(e) -> bool:
    return isinstance(e, sympy.Expr) and not e.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)


SAFE = _trees(SAFE_FUNCTIONS)
ANY = _trees(ANY_FUNCTIONS)

# Rewrites that keep the function the same (on the reals, where both sides are defined).
IDENTITIES = st.sampled_from([
    sympy.expand, sympy.factor, sympy.together, sympy.cancel, sympy.expand_trig,
    sympy.powsimp,
    lambda e: sympy.expand(e, power_exp=True),
])

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.filter_too_much])


def _simplify_says_equal(a, b) -> bool:
    return sympy.simplify(a - b) == 0


@SETTINGS
@given(SAFE, IDENTITIES)
def test_agrees_with_simplify_on_rewritten_pairs(a, rewrite):
    b = rewrite(a)
    assume(_finite(b))
    assume(w in a.free_symbols)
    assert bool(equivalent(b, a).equal) == _simplify_says_equal(a, b)


@SETTINGS
@given(SAFE, SAFE)
def test_agrees_with_simplify_on_perturbed_pairs(a, extra):
    b = a + extra
    assume(w in a.free_symbols)
    assert bool(equivalent(b, a).equal) == _simplify_says_equal(a, b)


@SETTINGS
@given(SAFE, st.integers(2, 9))
def test_scaled_answers_are_refused_with_a_counterexample(a, k):
    assume(w in a.free_symbols and not _simplify_says_equal(a, 0))
    result = equivalent(k * a, a)
    assert result.equal is False
    assert result.counterexample is not None


@SETTINGS
@given(ANY, ANY)
def test_never_crashes(J, answer):
    try:
        verdict = check_derivative(J, answer, w)
    except CheckError as err:
        assert err.message
        return
    assert isinstance(verdict, Verdict)
    assert verdict.feedback
    assert verdict.how in ("exact", "identity", "sampled", "simplify", "mistake", "undecided")


@SETTINGS
@given(ANY)
def test_the_right_derivative_is_always_accepted_where_it_can_be_judged(J):
    verdict = check_derivative(J, sympy.diff(J, w), w)
    assert verdict.correct or verdict.how == "undecided"

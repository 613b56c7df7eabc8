"""Towers of exponentials: a small one is computed, a huge one is refused with a true sentence.

`J = e^(e^(2w))/2` at w = 0.7 is about 28.85, yet the size guard said it "could have as many
as 468 681 320 digits" (it read e^x as 2 to the number of bits of x). Now a value is refused
only when it may really be astronomically large, within the budget, and a digit count is
named only when it is a proven lower bound; the properties below check both with mpmath.
"""

from __future__ import annotations

import math
import time

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from derivtutor.algebra import calculus, magnitude
from derivtutor.play.play import PlaySession
from test_bounds import LIMIT, within  # the hostile-input tests' watchdog and their 2 s

w = sympy.Symbol("w", real=True)


def said(*lines, lang="en"):
    """What the tutor answers to the last line, as plain text, and how long it took."""
    play = PlaySession(lang=lang, plain=True, width=78)
    play.start()
    for line in lines[:-1]:
        play.answer(line)
    started = time.monotonic()
    out = play.answer(lines[-1])
    return "\n".join(m.plain() for m in out), time.monotonic() - started


# ---------------------------------------------------------------- small towers are computed

SMALL = [  # the five lines of bench_play's corpus the guard refused, and their values at 0.7
    ("e^(e^(2w))/2", math.exp(math.exp(1.4)) / 2),
    ("e^(w^w)/2", math.exp(0.7 ** 0.7) / 2),
    ("e^(sigmoid(w))/2", math.exp(1 / (1 + math.exp(-0.7))) / 2),
    ("e^(w e^(-w))/2", math.exp(0.7 * math.exp(-0.7)) / 2),
    ("e^((1 - w)^5)/2", math.exp(0.3 ** 5) / 2),
    ("2^(e^(e^(2w)))", 2 ** math.exp(math.exp(1.4))),  # the tower's value is an exponent here
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("typed,expected", SMALL)
def test_a_small_tower_of_exponentials_gets_its_value(typed, expected, lang):
    text, _ = said(f"J = {typed}", "at w=0.7", "show", lang=lang)
    j_line = next(line for line in text.splitlines() if line.startswith("J "))
    assert float(j_line.rsplit("≈", 1)[1]) == pytest.approx(expected, rel=1e-12)
    assert "digits" not in text and "位数字" not in text


def test_the_reported_session_says_about_29():
    text, seconds = said("J = e^(e^(2w))/2", "at w=0.7", "show")
    assert "e^(e^(7/5))/2 ≈ 28.8483496347948" in text
    assert "dJ/dw                e^(7/5)·e^(e^(7/5)) ≈ 233.9716529650" in text
    assert "too large" not in text and seconds < LIMIT


# ---------------------------------------------------------------- huge ones are refused, truly

HUGE = [  # (J, point, what the refusal says in en, in zh)
    ("e^(e^(e^w))", "w=10", "may need far too many digits", "可能有极多位数字"),
    ("x^x^x", "x=9", "more than 369 693 099 digits before the decimal point", "超过 369 693 099 位数字"),
    ("x^x^x^x^x^x", "x=2", "may need far too many digits", "可能有极多位数字"),
]


@pytest.mark.parametrize("typed,point,en,zh", HUGE)
@pytest.mark.parametrize("command", ["show", "table"])
def test_an_astronomical_tower_is_refused_quickly_with_a_true_sentence(typed, point, en, zh, command):
    for lang, words in (("en", en), ("zh", zh)):
        text, seconds = said(f"J = {typed}", f"at {point}", command, lang=lang)
        assert words in text and seconds < LIMIT
        assert "as many as" not in text and "多达" not in text  # an upper estimate is no fact


def test_the_count_in_a_refusal_is_the_true_number_of_digits_less_one():
    true_digits = math.floor(9 ** 9 * math.log10(9)) + 1  # 9^(9^9) has 369 693 100 digits
    assert magnitude.digits_at_least(sympy.Integer(9) ** sympy.Symbol("n"), {sympy.Symbol("n"): 9 ** 9}) \
        == f"{true_digits - 1:,}".replace(",", " ")


def test_a_value_beyond_floats_still_says_it_overflows_as_before():
    text, seconds = said("J = e^(e^w)", "at w=10", "show")  # about 10^9566: exact, but no float
    assert "overflows floating point" in text and seconds < LIMIT


# ---------------------------------------------------------------- properties, against mpmath

LEAVES = st.one_of(st.just(w), st.integers(1, 9).map(sympy.Integer),
                   st.fractions(min_value="1/9", max_value=4, max_denominator=9).map(
                       lambda f: sympy.Rational(f.numerator, f.denominator)))


def _grow(children):
    pair = st.tuples(children, children)
    return st.one_of(
        children.map(sympy.exp),
        children.map(sympy.sin),
        pair.map(lambda ab: ab[0] + ab[1]),
        pair.map(lambda ab: ab[0] - ab[1]),
        pair.map(lambda ab: ab[0] * ab[1]),
        st.tuples(children, st.sampled_from([sympy.Integer(2), sympy.Integer(3), sympy.Rational(1, 2)]))
        .map(lambda ab: sympy.Pow(ab[0], ab[1])),
        pair.map(lambda ab: sympy.Pow(ab[0], ab[1] if ab[1].has(w) else ab[1] * w)),  # towers: w^(w^w)
    )  # an exponent holds w, so building a tree never computes 9^(9^9) itself


TREES = st.recursive(LEAVES, _grow, max_leaves=6)
POINTS = st.fractions(min_value="1/20", max_value=8, max_denominator=20).map(
    lambda f: sympy.Rational(f.numerator, f.denominator))


class _BeyondMpmath(Exception):
    """A value mpmath cannot reach cheaply: e^x or a^b with x or b beyond 2^40."""


def _mp(e, at):
    """e at w = at in mpmath: bounded work however large the value, since its exponent is an int."""
    if e == w:
        return mpmath.mpf(at.p) / at.q
    if e.is_Rational:
        return mpmath.mpf(int(e.p)) / int(e.q)
    if not e.args:  # e and i, the only other atoms these trees make (e^1, √(−2))
        return {sympy.E: mpmath.e, sympy.I: mpmath.mpc(0, 1)}[e]
    args = [_mp(a, at) for a in e.args]
    if e.is_Add:
        return mpmath.fsum(args)
    if e.is_Mul:
        return mpmath.fprod(args)
    reach = args[1] if e.is_Pow else args[0]
    if reach != 0 and mpmath.mag(reach) > (2000 if isinstance(e, sympy.sin) else 40):
        raise _BeyondMpmath
    if e.is_Pow:
        return mpmath.power(args[0], args[1])
    return {sympy.exp: mpmath.exp, sympy.sin: mpmath.sin, sympy.Abs: abs}[type(e)](args[0])  # √(w²) = |w|


def _log2_exactly(e, at):
    """(log2 |e at w|, the value) at 30 digits; None where there is no real nonzero value or
    mpmath cannot reach it cheaply."""
    with mpmath.workdps(30):
        try:
            value = _mp(e, at)
        except _BeyondMpmath:
            return None
        if mpmath.im(value) != 0 or value == 0 or not mpmath.isfinite(value):
            return None
        return float(mpmath.log(abs(value), 2)), mpmath.re(value)


@settings(max_examples=120, deadline=None)
@given(TREES, POINTS)
def test_the_lower_bound_is_never_above_the_true_size(J, at):
    low = magnitude.least_log2(J, {w: at})
    if low is None or math.isinf(low):
        return
    exact = _log2_exactly(J, at)
    if exact is None:
        return
    log2_value, value = exact
    assert value > 0  # a bound is only given for a plainly positive value
    assert low <= log2_value + 1e-9 * max(1.0, abs(log2_value))


@settings(max_examples=60, deadline=None)
@given(TREES, POINTS)
def test_what_the_guard_lets_through_is_computed_in_time_and_a_count_is_a_true_lower_bound(J, at):
    got = within(LIMIT, lambda: calculus.value(J, {w: at}))
    error = got.get("error")
    if error is None:
        exact = _log2_exactly(J, at)
        if exact is not None and abs(exact[0]) < 1000 and not J.has(sympy.sin):  # sin(e^21) has
            # its argument rounded in floats, as the labs do: its decimal is good to 5 digits
            assert got["value"].decimal == pytest.approx(float(exact[1]), rel=1e-6, abs=1e-9)
        return
    assert isinstance(error, calculus.UndefinedAt), repr(error)
    if error.code == "more_digits_than":
        exact = _log2_exactly(J, at)
        if exact is not None:
            more_than = int(error.fields["digits"].replace(" ", ""))
            assert exact[0] * math.log10(2) >= more_than  # the integer part has more than that many


@settings(max_examples=150, deadline=None)
@given(TREES, POINTS)
def test_a_value_of_modest_size_is_never_refused_as_too_large(J, at):
    """With these leaves (denominators at most 9) a value within 2^±3000 is written in fewer
    than 60 000 bits, far below magnitude.MAX_BITS: refusing it would be a false sentence."""
    exact = _log2_exactly(J, at)
    if exact is None or abs(exact[0]) >= 3000:
        return
    got = within(LIMIT, lambda: calculus.value(J, {w: at}))
    error = got.get("error")
    assert error is None or error.code not in ("too_many_digits", "more_digits_than"), (J, at, error)

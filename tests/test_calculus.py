"""The calculus core against every number the course labs print, plus the failure cases."""

from fractions import Fraction

import pytest
from sympy import Rational, pi, sqrt

from derivtutor.algebra import calculus
from derivtutor.algebra.calculus import NotDifferentiable, Overflow, UndefinedAt
from derivtutor.algebra.mathbuild import var
from derivtutor.algebra.mathinput import read

w, x, a, d, y, b = (var(n) for n in "w x a d y b".split())
eps_symbol = var("ε")


def J(text):
    return read(text).expr


# (J, variable, point, ε, J at the point, J at w+ε, k) exactly as the labs print them.
LAB_DIFFERENCES = [
    # 003/004: J = w² at 3, ε = 0.001 and 1e-9
    ("w^2", "w", {"w": 3}, 0.001, 9, 9.006001, 6.000999999999479),
    ("w^2", "w", {"w": 3}, 0.000000001, 9, 9.000000006, 6.000000496442226),
    # 000: J = w² and 1/w² at 2
    ("w^2", "w", {"w": 2}, 0.001, 4, 4.004001, 4.000999999999699),
    ("1/w^2", "w", {"w": 2}, 0.001, 0.25, 0.2497501873750781, -0.24981262492190792),
    # 001/004: 2w at 3, w³ at 2, 1/w at 2, 1/w² at 4
    ("2w", "w", {"w": 3}, 0.001, 6, 6.002, 1.9999999999997797),
    ("w^3", "w", {"w": 2}, 0.001, 8, 8.012006000999998, 12.006000999997823),
    ("1/w", "w", {"w": 2}, 0.001, 0.5, 0.49975012493753124, -0.2498750624687629),
    ("1/w^2", "w", {"w": 4}, 0.001, 0.0625, 0.06246876171484496, -0.031238285155041345),
    # 002: backprop by hand, J = (2 + 3w)² at w = 3 through a = 2 + 3w
    ("a^2", "a", {"a": 11}, 0.001, 121, 121.02200099999999, 22.000999999988835),
    ("2 + 3w", "w", {"w": 3}, 0.001, 11, 11.003, 3.0000000000001137),
    ("(2+3w)^2", "w", {"w": 3}, 0.001, 121, 121.06600900000001, 66.0090000000082),
    # 002: the graph c = w·x, a = c + b, d = a − y, J = d²/2
    ("d^2/2", "d", {"d": 3}, 0.001, 4.5, 4.5030005, 3.0004999999997395),
    ("a - y", "a", {"a": 4, "y": 1}, 0.001, 3, 3.0010000000000003, 1.000000000000334),
    ("(a - y)^2/2", "a", {"a": 4, "y": 1}, 0.001, 4.5, 4.503000500000001, 3.0005000000006277),
]


@pytest.mark.parametrize("text, wrt, at, eps, j0, j1, k", LAB_DIFFERENCES)
def test_lab_forward_differences_digit_for_digit(text, wrt, at, eps, j0, j1, k):
    expr = J(text)
    assert calculus.float_value(expr, at) == j0
    moved = {**at, wrt: at[wrt] + eps}
    assert calculus.float_value(expr, moved) == j1
    assert calculus.forward_difference(expr, wrt, at, eps) == k
    assert repr(calculus.forward_difference(expr, wrt, at, eps)) == repr(k)


def test_lab_rounded_print():
    k = calculus.forward_difference(J("w^2"), "w", {"w": 3}, 0.001)
    assert f"{k:0.6f}" == "6.001000"


# (J, variable, point, exact derivative there) from the labs' diff(...).subs(...) cells.
LAB_SLOPES = [
    ("w^2", "w", 2, 4), ("w^2", "w", 4, 8), ("w^2", "w", -2, -4),
    ("w^2", "w", 3, 6), ("w^2", "w", -3, -6),
    ("2w", "w", -3, 2),
    ("w^3", "w", 2, 12),
    ("1/w", "w", 2, Rational(-1, 4)),
    ("1/w^2", "w", 2, Rational(-1, 4)), ("1/w^2", "w", 4, Rational(-1, 32)),
    ("1/w^2", "w", -2, Rational(1, 4)),
    ("a^2", "a", 11, 22), ("2 + 3w", "w", 3, 3), ("(2+3w)^2", "w", 3, 66),
    ("d^2/2", "d", 3, 3),
]


@pytest.mark.parametrize("text, wrt, at, slope", LAB_SLOPES)
def test_lab_symbolic_slopes_are_exact(text, wrt, at, slope):
    got = calculus.value(calculus.derivative(J(text), wrt), {wrt: at})
    assert got.exact == slope
    assert got.decimal == float(slope)


@pytest.mark.parametrize("text, derivative", [
    ("w^2", "2w"), ("1/w^2", "-2/w^3"), ("2w", "2"), ("w^3", "3w^2"), ("1/w", "-1/w^2"),
    ("a^2", "2a"), ("d^2/2", "d"),
])
def test_lab_symbolic_derivatives(text, derivative):
    assert calculus.derivative(J(text), "w" if "w" in text else text[0]) == J(derivative)


def test_lab_values_at_w_equals_2():
    # 001: "w = 2: J(w) = w² = 4, w³ = 8, w = 2, 1/w = 1/2 = 0.5"
    for text, exact in [("w^2", 4), ("w^3", 8), ("w", 2), ("1/w", Rational(1, 2))]:
        got = calculus.value(J(text), {"w": 2})
        assert (got.exact, got.decimal) == (exact, float(exact))


def test_lab_backprop_graph_forward_and_partials():
    # 002: x=2, w=−2, b=8, y=1 → c=−4, a=4, d=3, J=4.5; ∂J/∂d=3, ∂J/∂a=3, ∂J/∂w = x·d = 6
    point = {"x": 2, "w": -2, "b": 8, "y": 1}
    cost = J("(w x + b - y)^2/2")
    assert calculus.value(J("w x"), point).exact == -4
    assert calculus.value(J("w x + b"), point).exact == 4
    assert calculus.value(J("w x + b - y"), point).exact == 3
    assert calculus.value(cost, point).exact == Rational(9, 2)
    grads = calculus.partials(cost, ["w", "b", "x", "y"])
    assert {s.name: calculus.value(g, point).exact for s, g in grads.items()} == {
        "w": 6, "b": 3, "x": -6, "y": -3}
    assert calculus.partials(J("c + b"), ["c", "b"]) == {var("c"): 1, b: 1}
    assert calculus.partials(J("w x"), [w]) == {w: x}


def test_value_is_exact_with_a_decimal_beside_it():
    v = calculus.value(J("-2/w^3"), {w: 4})
    assert v.exact == Rational(-1, 32) and v.decimal == -0.03125
    v = calculus.value(J("sqrt(w)"), {"w": 2})
    assert v.exact == sqrt(2) and v.decimal == 2 ** 0.5
    v = calculus.value(J("sin(w)"), {"w": pi})
    assert v.exact == 0 and v.decimal == 0.0
    # a float coordinate means the decimal the person typed
    assert calculus.value(J("w"), {"w": 0.1}).exact == Rational(1, 10)
    assert calculus.value(J("w"), {"w": Fraction(1, 3)}).exact == Rational(1, 3)


def test_floats_follow_how_python_writes_it():
    # 1/w² is 1/(w**2), and w/3 divides by 3: the two can differ from w**-2 and w*(1/3)
    x0 = 1.4302060167127721
    assert calculus.float_value(J("1/w^2"), {"w": x0}) == 1 / x0 ** 2 != x0 ** -2
    x1 = 7.661368727868479
    assert calculus.float_value(J("w/3"), {"w": x1}) == x1 / 3 != x1 * (1 / 3)


def test_central_difference():
    got = calculus.central_difference(J("w^2"), "w", {"w": 3}, 0.001)
    assert got == (3.001 ** 2 - 2.999 ** 2) / (2 * 0.001)
    assert abs(got - 6) < 1e-9


def test_exact_forward_difference_shows_the_eps_term():
    assert calculus.exact_forward_difference(J("w^2"), "w", {"w": 3}) == eps_symbol + 6
    assert calculus.exact_forward_difference(J("w^2"), "w", {"w": 3}, 0.001) == Rational(6001, 1000)
    assert calculus.exact_forward_difference(J("w^3"), "w", {"w": 2}) == eps_symbol**2 + 6 * eps_symbol + 12
    # other variables take their values; only w moves
    assert calculus.exact_forward_difference(J("w^2 y"), "w", {"w": 3, "y": 2}) == 2 * eps_symbol + 12


def test_difference_table_eps_term_then_round_off():
    rows = calculus.difference_table(J("w^2"), "w", {"w": 3})
    assert [r.eps for r in rows] == [10.0 ** -k for k in range(1, 16)] == list(calculus.EPS_TABLE)
    for r in rows:
        assert r.forward == calculus.forward_difference(J("w^2"), "w", {"w": 3}, r.eps)
        assert r.forward_error == r.forward - 6 and r.central_error == r.central - 6
    # for large ε the forward error is the ε term itself (k = 6 + ε), the central one far smaller
    for r in rows[:4]:
        assert r.forward_error == pytest.approx(r.eps, rel=1e-6)
        assert abs(r.central_error) < r.eps ** 2 + 1e-10
    # for tiny ε round-off takes over: the best ε is in the middle of the table
    errors = [abs(r.forward_error) for r in rows]
    best = errors.index(min(errors))
    assert 4 <= best <= 10
    assert errors[-1] > 100 * errors[best]


@pytest.mark.parametrize("text, at, reason, message", [
    ("1/w", 0, "zero_division", "1/w is undefined at w = 0: it divides by zero"),
    ("ln(w)", -1, "log_domain", "ln(w) is undefined at w = -1: a logarithm needs a positive number"),
    ("ln(w)", 0, "log_domain", "ln(w) is undefined at w = 0: a logarithm needs a positive number"),
    ("sqrt(w)", -1, "sqrt_domain", "√w is undefined at w = -1: it takes the square root of a negative number"),
    ("w^(1/3)", -8, "power_domain", None),
    ("asin(w)", 2, "math_domain", None),
    ("1/(w^2 - 4)", 2, "zero_division", None),
])
def test_undefined_points(text, at, reason, message):
    for fn in (lambda e: calculus.value(e, {"w": at}),
               lambda e: calculus.float_value(e, {"w": at}),
               lambda e: calculus.forward_difference(e, "w", {"w": at}, 0.001),
               lambda e: calculus.central_difference(e, "w", {"w": at}, 0.001)):
        with pytest.raises(UndefinedAt) as caught:
            fn(J(text))
        assert caught.value.code == reason
        assert "w = " in caught.value.message
        assert caught.value.localized("zh") != caught.value.message
    if message:
        with pytest.raises(UndefinedAt) as caught:
            calculus.value(J(text), {"w": at})
        assert caught.value.message == message


def test_undefined_only_at_the_nudged_point():
    # √w exists at 0, but the central difference also needs w − ε
    with pytest.raises(UndefinedAt) as caught:
        calculus.central_difference(J("sqrt(w)"), "w", {"w": 0}, 0.001)
    assert "w − ε = -0.001" in caught.value.message and caught.value.code == "sqrt_domain"
    assert calculus.forward_difference(J("sqrt(w)"), "w", {"w": 0}, 0.001) == 0.001 ** 0.5 / 0.001
    # √(−w) exists at 0, but w + ε steps outside
    with pytest.raises(UndefinedAt) as caught:
        calculus.forward_difference(J("sqrt(-w)"), "w", {"w": 0}, 0.001)
    assert "w + ε = 0.001" in caught.value.message
    # the table keeps the rows it can compute
    rows = calculus.difference_table(J("sqrt(w)"), "w", {"w": 0})
    assert all(r.forward is not None and r.central is None for r in rows)


def test_not_differentiable_points_are_reported():
    with pytest.raises(NotDifferentiable) as caught:
        calculus.derivative_at(J("abs(w)"), "w", {"w": 0})
    assert caught.value.code == "corner" and "|w| is not differentiable at w = 0" in caught.value.message
    with pytest.raises(NotDifferentiable) as caught:
        calculus.derivative_at(J("sqrt(w)"), "w", {"w": 0})
    assert caught.value.code == "infinite_slope"
    with pytest.raises(NotDifferentiable) as caught:
        calculus.derivative_at(J("abs(w - 1) + w"), "w", {"w": 1})
    assert "slope 2 from the right, 0 from the left" in caught.value.message
    # a smooth product through |w| is fine, and so is |w| away from 0
    assert calculus.derivative_at(J("abs(w) w"), "w", {"w": 0}).exact == 0
    assert calculus.derivative_at(J("abs(w)"), "w", {"w": -2}).exact == -1
    # the table still shows the differences, without errors against a slope that is not there
    rows = calculus.difference_table(J("abs(w)"), "w", {"w": 0})
    assert rows[0].forward == 1.0 and rows[0].central == 0.0
    assert all(r.forward_error is None and r.central_error is None for r in rows)


def test_overflow_is_a_clear_error():
    for fn in (lambda e: calculus.value(e, {"w": 1000}),
               lambda e: calculus.forward_difference(e, "w", {"w": 1000}, 0.001)):
        with pytest.raises(Overflow) as caught:
            fn(J("exp(w)"))
        assert "too large" in caught.value.message and "1.8" in caught.value.message
    with pytest.raises(UndefinedAt):  # Overflow is an UndefinedAt, so one except catches all
        calculus.float_value(J("w^400"), {"w": 10})


def test_bad_eps_and_missing_values():
    with pytest.raises(UndefinedAt) as caught:
        calculus.forward_difference(J("w^2"), "w", {"w": 3}, 0)
    assert caught.value.code == "zero_eps"
    with pytest.raises(UndefinedAt) as caught:
        calculus.value(J("w x"), {"w": 3})
    assert caught.value.code == "missing" and "x has no value" in caught.value.message


def test_points_by_symbol_or_name_agree():
    assert calculus.forward_difference(J("w^2"), w, {w: 3}, 0.001) == \
        calculus.forward_difference(J("w^2"), "w", {"w": 3}, 0.001)
    assert calculus.value(J("w^2"), {w: Rational(1, 2)}).exact == Rational(1, 4)


def test_huge_coordinates_and_deep_nesting_give_reasons_not_tracebacks():
    with pytest.raises(Overflow) as caught:
        calculus.forward_difference(J("w"), "w", {"w": 10**40000}, 0.1)
    assert "w = ~10^40000" in caught.value.message
    deep = w
    for _ in range(3000):
        deep = J("sin(w)").func(deep, evaluate=False)
    with pytest.raises(UndefinedAt) as caught:
        calculus.float_value(deep, {w: 1.0})
    assert caught.value.code == "too_deep"

"""Backprop node by node: the labs' numbers exactly, and agreement with sympy.diff."""

from __future__ import annotations

import pytest
import sympy
from sympy import Rational, cos, exp, log, sin, sqrt, tanh

from derivtutor.algebra.graph import GraphError
from derivtutor.algebra.graph_build import from_assignments, from_expression
from derivtutor.algebra.mathinput import read_expression, var

w, x, b, y, a, c, d = (var(n) for n in "wxbyacd")


@pytest.fixture
def square():
    """Lab: J = (2 + 3w)² at w = 3, in two stages."""
    return from_assignments([("a", 2 + 3 * w), ("J", a**2)], inputs={w: 3})


@pytest.fixture
def lab():
    """Lab: c = w·x, a = c + b, d = a − y, J = d²/2 at x = 2, w = −2, b = 8, y = 1."""
    return from_assignments([("c", w * x), ("a", c + b), ("d", a - y), ("J", d**2 / 2)],
                            inputs={x: 2, w: -2, b: 8, y: 1})


# --- the first lab graph ---------------------------------------------------------


def test_square_forward_and_backward(square):
    assert square.value("a") == 11 and square.value("J") == 121
    assert square.grad("a") == 22
    assert square.local("J", "a") == 22
    assert square.local_expr("J", "a") == 2 * a
    assert square.local("a", "w") == 3
    assert square.grad("w") == 66
    assert square.grad_expr("w") == 6 * a  # the lab's dJ_dw = 6*a


def test_square_finite_differences_match_the_lab(square):
    assert square.finite_difference("J", "w", 0.001) == 66.0090000000082
    assert square.finite_difference("J", "a", 0.001) == 22.000999999988835
    assert square.finite_difference("a", "w", 0.001) == 3.0000000000001137


def test_square_check_three_ways(square):
    result = square.check("w", eps=0.001)
    assert result.backprop == 66 and result.symbolic == 66 and result.agree
    assert result.forward_difference == 66.0090000000082


# --- the second lab graph --------------------------------------------------------


def test_lab_forward(lab):
    assert [lab.value(n) for n in "cadJ"] == [-4, 4, 3, Rational(9, 2)]
    assert lab.node("J").decimal == 4.5


def test_lab_gradients(lab):
    assert lab.grad("d") == 3
    assert lab.local("d", "a") == 1
    assert lab.grad("a") == 3
    assert lab.grad("c") == 3 and lab.grad("b") == 3
    assert lab.local("c", "w") == 2 and lab.local_expr("c", "w") == x
    assert lab.grad("w") == 6
    assert lab.grad_expr("w") == x * d  # ∂J/∂w = x·d
    assert lab.grad("x") == -6 and lab.grad("y") == -3


def test_lab_finite_differences_exactly(lab):
    assert lab.finite_difference("J", "d", 0.001) == 3.0004999999997395
    assert lab.finite_difference("d", "a", 0.001) == 1.000000000000334
    assert lab.finite_difference("J", "a", 0.001) == 3.0005000000006277


def test_lab_checks_every_input(lab):
    for name in "xwby":
        result = lab.check(name)
        assert result.agree, name
        assert result.forward_difference == pytest.approx(float(result.backprop), abs=5e-3)


def test_backward_steps_are_data_in_backprop_order(lab):
    steps = lab.backward()
    assert [(s.node, s.parent) for s in steps] == [
        ("J", "d"), ("d", "a"), ("d", "y"), ("a", "c"), ("a", "b"), ("c", "x"), ("c", "w")]
    last = steps[-1]
    assert (last.local, last.local_value, last.upstream, last.product) == (x, 2, 3, 6)
    assert last.chain == x * d and not last.accumulates


def test_steps_for_a_gradient_are_only_the_path(lab):
    assert [(s.node, s.parent) for s in lab.steps_for("a")] == [("J", "d"), ("d", "a")]
    assert [(s.node, s.parent) for s in lab.steps_for("w")] == [
        ("J", "d"), ("d", "a"), ("a", "c"), ("c", "w")]


def test_format_step_reads_like_the_chain_rule(lab):
    steps = {(s.node, s.parent): s for s in lab.backward()}
    assert lab.format_step(steps["J", "d"]) == "∂J/∂d = d = 3"
    assert lab.format_step(steps["c", "w"]) == "∂J/∂w = ∂c/∂w · ∂J/∂c = 2 · 3 = 6"
    assert lab.format_step(steps["d", "y"], ascii=True) == "dJ/dy = dd/dy * dJ/dd = (-1) * 3 = -3"


def test_evaluate_a_learners_expression_at_the_point(lab):
    assert lab.evaluate(x * d) == 6
    with pytest.raises(GraphError) as err:
        lab.evaluate(x * var("q"))
    assert "`q`" in err.value.message


# --- accumulation and several inputs ------------------------------------------


def test_value_used_twice_accumulates():
    m = var("m")
    g = from_assignments([("m", x * x), ("J", m + x)], inputs={x: 3})
    assert g.value("J") == 12
    steps = g.backward()
    assert [s.accumulates for s in steps] == [False, False, True]
    assert g.grad("x") == 7  # 1 (straight to J) + 2x (through m)
    assert g.local("m", "x") == 6
    assert "∂J/∂x +=" in g.format_step(steps[-1]) and "(∂J/∂x = 7)" in g.format_step(steps[-1])
    assert g.check("x").agree


def test_from_expression_shares_a_repeated_subexpression():
    g = from_expression(sin(w) * cos(w) + sin(w), {w: 1})
    formulas = [n.formula for n in g.nodes]
    assert formulas.count(sin(w)) == 1
    expected = sympy.diff(sin(w) * cos(w) + sin(w), w).subs(w, 1)
    assert sympy.simplify(g.grad("w") - expected) == 0
    assert g.check("w").agree


def test_from_expression_reads_like_the_lab():
    g = from_expression((2 + 3 * w) ** 2, {w: 3})
    assert [(n.name, n.formula) for n in g.nodes] == [("a", 3 * w + 2), ("J", a**2)]
    lab = from_expression((w * x + b - y) ** 2 / 2, {x: 2, w: -2, b: 8, y: 1})
    assert lab.output.formula.has(Rational(1, 2)) and lab.value("J") == Rational(9, 2)
    assert lab.grad("w") == 6
    assert lab.finite_difference("J", "w") == pytest.approx(6, abs=1e-2)


DOZEN = [
    (w**2, {w: 3}),
    (w**3, {w: 2}),
    (1 / w, {w: 2}),
    (1 / w**2, {w: 4}),
    (exp(2 * x) * sin(w), {w: 1, x: Rational(1, 2)}),
    (log(w) / (x + 1), {w: 2, x: 3}),
    (sqrt(w**2 + 1), {w: 3}),
    (tanh(w * x + b), {w: Rational(1, 2), x: 2, b: -1}),
    (w**x, {w: 2, x: 3}),
    (1 / (1 + exp(-(w * x + b))), {w: 1, x: 2, b: -1}),
    ((w * x + b - y) ** 2 / 2, {w: -2, x: 2, b: 8, y: 1}),
    (x * x + x, {x: 5}),
    (sin(w) ** 2 + cos(w) ** 2, {w: Rational(1, 3)}),
    (y * log(w) + (1 - y) * log(1 - w), {w: Rational(1, 4), y: 1}),
]


@pytest.mark.parametrize("expr, at", DOZEN, ids=[str(e) for e, _ in DOZEN])
def test_from_expression_agrees_with_sympy_diff(expr, at):
    g = from_expression(expr, at)
    assert sympy.simplify(g.composed() - expr) == 0
    assert g.value("J") == expr.subs(at)
    for symbol in at:
        expected = sympy.diff(expr, symbol).subs(at)
        assert sympy.simplify(g.grad(symbol.name) - expected) == 0, symbol
        assert g.check(symbol.name).agree
    names = [n.name for n in g.nodes]
    assert names[-1] == "J" and len(set(names)) == len(names)
    assert not set(names) & {s.name for s in at}


def test_each_node_is_one_operation():
    g = from_expression(exp(2 * x) * sin(w) + w**2, {w: 1, x: 2})
    assert sorted(n.op for n in g.nodes) == ["add", "exp", "mul", "mul", "pow", "sin"]
    formulas = {n.formula for n in g.nodes}
    assert {2 * x, w**2, sin(w)} <= formulas


# --- drawing ---------------------------------------------------------------------


def test_draw_fits_40_columns_and_shows_everything_by_default(lab):
    text = lab.draw(width=40)
    assert all(len(line) <= 40 for line in text.splitlines())
    for piece in ("c = −4", "a = 4", "d = 3", "J = 4.5", "∂J/∂w = 6", "∂J/∂d = 3"):
        assert piece in text
    assert "?" not in text


def test_draw_fills_in_as_the_lesson_goes(lab):
    text = lab.draw(width=40, reveal={("value", "c"), ("grad", "d"), ("local", "d", "a")})
    assert "c = −4" in text and "∂J/∂d = 3" in text and "∂d/∂a = 1" in text
    assert "a = ?" in text and "∂J/∂w = ?" in text and "J = ?" in text
    assert "w = −2" in text  # inputs are given, never a question
    assert "∂J/∂J = 1" in text  # where backprop starts


def test_draw_ascii_is_plain(lab):
    text = lab.draw(width=40, ascii=True, show_locals=True)
    assert text.isascii()
    assert "dc/dw = x = 2" in text and "dJ/dw = 6" in text
    thirds = from_assignments([("J", w / 3)], inputs={w: 1}).draw(width=40, ascii=True)
    assert thirds.isascii() and "J = 1/3 ~ 0.3333" in thirds  # it printed "≈" here


def test_draw_in_chinese_counts_wide_characters():
    g = from_assignments([("a", 2 + 3 * w), ("J", a**2)], inputs={w: 3})
    lines = g.draw(width=40, lang="zh").splitlines()
    assert "输入" in lines[0]
    wide = [sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in lines]
    assert len(set(wide[:3])) == 1  # the border with Chinese lines up with the body


def test_draw_cuts_long_formulas_to_the_width():
    long = sum(var(n) * w ** (i + 1) for i, n in enumerate("pqrstuv"))
    g = from_assignments([("J", long)], inputs={w: 1, **{var(n): 1 for n in "pqrstuv"}})
    for width in (40, 24, 8):
        assert all(len(line) <= max(width, 8) for line in g.draw(width=width).splitlines())
    assert "…" in g.draw(width=40)


def test_draw_links_only_nodes_that_feed_each_other():
    g = from_expression(sin(w) * cos(w), {w: 1})
    text = g.draw(width=40)
    assert text.count("▼") == 2  # inputs → first node, last intermediate → J; not sin → cos


# --- friendly errors ---------------------------------------------------------------


def test_unknown_name():
    with pytest.raises(GraphError) as err:
        from_assignments([("a", w + var("q")), ("J", a**2)], inputs={w: 1})
    assert err.value.code == "unknown_name" and "`q`" in err.value.message
    assert "输入" in err.value.localized("zh")


def test_asking_for_a_name_the_graph_lacks(lab):
    with pytest.raises(GraphError) as err:
        lab.grad("z")
    assert err.value.code == "no_such_node" and "`z`" in err.value.message
    with pytest.raises(GraphError):
        lab.local("d", "q")


def test_duplicate_and_unused_and_empty():
    with pytest.raises(GraphError, match="twice"):
        from_assignments([("a", w), ("a", w + 1)], inputs={w: 1})
    with pytest.raises(GraphError, match="never used"):
        from_assignments([("a", w), ("J", w**2)], inputs={w: 1})
    with pytest.raises(GraphError, match="never used"):
        from_expression(w**2, {w: 1, x: 2})
    with pytest.raises(GraphError, match="no nodes"):
        from_assignments([], inputs={w: 1})


def test_undefined_point_is_a_sentence_not_a_traceback():
    with pytest.raises(GraphError) as err:
        from_expression(1 / w, {w: 0}).forward()
    assert err.value.code == "undefined" and "w = 0" in err.value.message
    assert "division by zero" in err.value.message
    assert "除以零" in err.value.localized("zh")
    with pytest.raises(GraphError, match="not a real number"):
        from_expression(log(w), {w: -1}).forward()


def test_finite_difference_across_a_pole_is_a_sentence():
    g = from_assignments([("J", 1 / w)], inputs={w: Rational(-1, 1000)})
    assert g.value("J") == -1000
    with pytest.raises(GraphError, match="division by zero"):
        g.finite_difference("J", "w", 0.001)


def test_inputs_by_name_and_values_that_are_not_numbers():
    g = from_assignments([("J", w**2)], inputs={"w": 3})
    assert g.grad("w") == 6
    with pytest.raises(GraphError, match="needs a number"):
        from_assignments([("J", w**2)], inputs={"w": [3]})


def test_lesson_text_goes_through_the_safe_parser():
    """Lesson 3 declares its graphs as text; formulas and numbers are read by mathinput."""
    g = from_assignments([["c", "w x"], ["a", "c + b"], ["d", "a - y"], ["J", "d^2/2"]],
                         inputs={"x": 2, "w": "-2", "b": 8, "y": 1})
    assert g.grad("w") == 6 and g.grad_expr("w") == x * d
    assert g.node("J").formula == read_expression("d^2/2").xreplace({var("d"): d})
    square = from_assignments([("a", "2 + 3w"), ("J", "a^2")], inputs={"w": 3})
    assert square.finite_difference("J", "w") == 66.0090000000082
    with pytest.raises(ValueError):  # MathInputError: refused with a caret, never evaluated
        from_assignments([("J", "__import__('os')")], inputs={"w": 1})

"""Free play's explanations on the labs' numbers, and `derivtutor play` end to end through a pipe."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from derivtutor.algebra import calculus, mathbuild, mathinput
from derivtutor.play import play_explain, play_graph
from derivtutor.play.play_explain import Problem

ROOT = Path(__file__).resolve().parent.parent
ESCAPE = re.compile(r"\x1b")
BRAILLE = re.compile(r"[\u2800-\u28ff]")
w, x, b, y = (mathbuild.var(n) for n in "wxby")


def problem(text, eps=0.001, **at):
    J = mathinput.read_expression(text)
    variables = play_explain.ordered(J.free_symbols)
    return Problem(J, variables[0] if variables else w, {k: mathinput.read_number(v) for k, v in at.items()}, eps)


def plain(messages):
    return "\n".join(m.plain() for m in messages)


# --- the labs' finite differences, digit for digit -------------------------------------------------

LABS = [  # J, w, ε, the forward difference the labs print
    ("w^2", "3", 0.001, 6.000999999999479),
    ("w^2", "3", 1e-9, 6.000000496442226),
    ("w^2", "2", 0.001, 4.000999999999699),
    ("2w", "3", 0.001, 1.9999999999997797),
    ("w^3", "2", 0.001, 12.006000999997823),
    ("1/w", "2", 0.001, -0.2498750624687629),
    ("1/w^2", "2", 0.001, -0.24981262492190792),
    ("1/w^2", "4", 0.001, -0.031238285155041345),
]


@pytest.mark.parametrize("J,at,eps,k", LABS)
def test_numbers_print_the_labs_forward_difference(J, at, eps, k):
    out = play_explain.numbers(problem(J, eps, w=at), "en")
    block = out[0]
    assert block.data["forward"] == k and repr(k) in block.block


@pytest.mark.parametrize("J,at,exact", [("w^2", "2", "4"), ("w^2", "-2", "−4"), ("1/w^2", "4", "−1/32"),
                                        ("1/w^2", "-2", "1/4"), ("w^3", "2", "12"), ("1/w", "2", "−1/4")])
def test_numbers_show_the_labs_exact_slopes(J, at, exact):
    block = play_explain.numbers(problem(J, w=at), "en")[0].block
    assert re.search(rf"^dJ/dw\s+{re.escape(exact)}\b", block, re.M)


def test_numbers_need_a_point():
    out = play_explain.numbers(problem("w x"), "en")
    assert "at w=2, x=2" in plain(out)


def test_verdict_tells_truncation_from_round_off():
    coarse = plain(play_explain.numbers(problem("x^2 sin(3x)", 0.001, x="2"), "en"))
    fine = plain(play_explain.numbers(problem("x^2 sin(3x)", 1e-12, x="2"), "en"))
    assert "shrinks about like ε" in coarse and "round-off dominates" not in coarse
    assert "round-off dominates" in fine
    parabola = plain(play_explain.numbers(problem("w^2", w="3"), "en"))
    assert "line or a parabola" in parabola


def test_a_wrong_answer_is_evaluated_at_the_point():
    out = play_explain.numbers(problem("w^2", w="3"), "en", learner=mathinput.read_expression("3w"))
    assert "Your answer gives 9 at w = 3" in plain(out)


# --- the ε table and plots --------------------------------------------------------------------------

def test_table_rows_match_calculus_and_mark_the_best_eps():
    p = problem("w^2", w="3")
    out = play_explain.table(p, "en", width=80)
    rows = out[1].data["rows"]
    expected = calculus.difference_table(p.J, w, p.point)
    assert rows == [(r.eps, r.forward, r.central) for r in expected]
    assert len(rows) == 15 and rows[0][0] == 0.1 and rows[-1][0] == 1e-15
    assert "6.000999999999479" in out[1].block


def test_a_narrow_table_rounds_instead_of_overflowing():
    out = play_explain.table(problem("x^2 sin(3x)", x="2"), "en", width=50)
    assert max(len(line) for line in out[1].block.split("\n")) <= 50


def test_table_outside_the_domain_shows_dashes():
    out = play_explain.table(problem("sqrt(w)", w="0.01"), "en", width=80)
    assert "—" in out[1].block                        # ε = 0.1 steps below 0 for the central difference


def test_error_plot_plain_and_braille():
    p = problem("x^2 sin(3x)", x="2")
    text_mode = plain(play_explain.error_plot(p, "en", braille=False))
    assert "best ε" in text_mode and "round-off" in text_mode and not BRAILLE.search(text_mode)
    assert BRAILLE.search(plain(play_explain.error_plot(p, "en", braille=True)))


def test_function_plot_draws_tangent_and_secant():
    out = play_explain.function_plot(problem("w^2", 0.5, w="3"), "en", braille=False, x_range=(-2.0, 4.0))
    body = plain(out)
    assert "tangent, slope 6" in body and "secant, slope 6.5" in body
    assert "shrink ε" in body.lower() or "Shrink ε" in body


def test_function_plot_of_one_variable_holds_the_others():
    out = play_explain.function_plot(problem("w x", w="2", x="3"), "zh", braille=True)
    assert BRAILLE.search(out[0].block) and "切线" in out[0].block


# --- gradient ------------------------------------------------------------------------------------------

def test_gradient_of_the_labs_cost():
    p = problem("(w x + b - y)^2/2", x="2", w="-2", b="8", y="1")
    out = play_explain.gradient(p, "en")
    assert "∂J/∂w = x·(b + w·x − y)" in out[1].block
    assert "∇J = (6, 3, −6, −3)" in out[-1].text


# --- backprop ---------------------------------------------------------------------------------------------

def test_walkthrough_reproduces_the_labs_first_graph():
    out = play_graph.walkthrough(mathinput.read_expression("(2+3w)^2"), {"w": 3}, 0.001, "en")
    body = plain(out)
    assert "a = 3·w + 2 = 11" in body and "J = a² = 121" in body
    assert "∂J/∂w = ∂a/∂w · ∂J/∂a = 3 · 22 = 66" in body
    assert "66.0090000000082" in body


def test_walkthrough_reproduces_the_labs_second_graph():
    at = {"x": 2, "w": -2, "b": 8, "y": 1}
    out = play_graph.walkthrough(mathinput.read_expression("(w x + b - y)^2/2"), at, 0.001, "en")
    checks = next(m for m in out if "w" in m.data).data
    assert checks["w"]["backprop"] == 6 and checks["b"]["backprop"] == 3     # ∂J/∂w = x·d, ∂J/∂b = d
    assert "J = c²/2 = 9/2" in plain(out)                                     # J = 4.5


def test_quiz_walks_every_backward_step():
    g, _ = play_graph.build(mathinput.read_expression("(w x + b - y)^2/2"), {"x": 2, "w": -2, "b": 8, "y": 1}, "en")
    quiz = play_graph.GraphQuiz(g, 0.001, "en")
    quiz.start()
    asked = 0
    while not quiz.done:
        out = quiz.answer(quiz.step.local_value, str(quiz.step.local_value))
        assert out[0].ok is True
        asked += 1
    assert asked == len(g.steps) and quiz.right == asked


def test_graph_of_a_constant():
    g, why = play_graph.build(mathinput.read_expression("7"), {}, "zh")
    assert g is None and "常数" in why[0].text


# --- start-up and the command --------------------------------------------------------------------------------

def test_importing_play_does_not_import_sympy():
    code = "import sys, derivtutor.play.play; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def run_play(script, *args, tmp_path):
    env = {**os.environ, "DERIVTUTOR_HOME": str(tmp_path), "COLUMNS": "80", "PYTHONPATH": str(ROOT)}
    env.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, "-m", "derivtutor", "play", "--plain", *args], input=script,
                          capture_output=True, text=True, env=env, timeout=120)


def test_scripted_free_play_through_a_pipe(tmp_path):
    script = "J = x^2 sin(3x)\nat x=2\n2x sin(3x)\nshow\ntable\nplot\ngraph\nquit\n"
    out = run_play(script, tmp_path=tmp_path)
    assert out.returncode == 0 and out.stderr == ""
    text = out.stdout
    assert not ESCAPE.search(text) and not BRAILLE.search(text)
    assert "Traceback" not in text
    for needle in ("I read that as J = x²·sin(3·x)", "The product rule with a term missing", "Product rule", "Chain rule",
                   "4·sin(6) + 12·cos(6) ≈ 10.404381447008689", "1e\u221215", "tangent, slope 10.4",
                   "a = 3·x = 6", "Backward pass", "forward difference  10.420644161044823"):
        assert needle in text, needle


def test_save_from_the_command_line_lands_in_review(tmp_path):
    out = run_play("J = w^3\n2w^2\nsave\n", tmp_path=tmp_path)
    assert "derivtutor review" in out.stdout
    from derivtutor.progress.store import Store

    store = Store.open(tmp_path)
    try:
        assert [c.payload["expr"] for c in store.cards(kind="play")] == ["w^3"]
    finally:
        store.close()


def test_chinese_through_a_pipe(tmp_path):
    out = run_play("J = ln(w)\nat w=-1\nshow\ntabel\n", "--lang", "zh", tmp_path=tmp_path)
    assert out.returncode == 0 and "Traceback" not in out.stdout
    assert "自由练习" in out.stdout and "没有定义" in out.stdout and "你是想输入 `table` 吗" in out.stdout

"""Diagnosis right or silent: a named mistake is the one that makes the learner's answer from
the learner's own J (or graph, or formula), said in the learner's language, and never the
right answer. Learner sessions first, then the table against random J."""

from __future__ import annotations

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy import cos, exp, log, sin

from derivtutor.algebra import check, mathinput
from derivtutor.teaching import lessons
from derivtutor.teaching.lesson_model import Lesson
from derivtutor.algebra.mistakes import BY_CODE, MISTAKES, Context, differentiate
from derivtutor.teaching.runner import Runner

w = mathinput.var("w")
x = mathinput.var("x")


def lesson(n: int, lang: str = "en") -> Lesson:
    folder = lessons.shipped_dir() / ("" if lang == "en" else lang)
    return lessons.load(folder / f"lesson{n}.toml", lang)


def at_step(n: int, step_id: str, lang: str = "en") -> Runner:
    run = Runner(lesson(n, lang), lang=lang)
    run.start()
    while run.step.id != step_id:
        run.answer("skip")
    return run


def feedback(run: Runner, line: str) -> str:
    """The tutor's verdict on one typed line (the feedback message, not hints or prompts)."""
    said = [m for m in run.answer(line) if m.kind == "feedback"]
    assert said and said[0].ok is False, said
    return said[0].text


# --- lesson 3's graph steps --------------------------------------------------------------

@pytest.mark.parametrize("line", ["2a", "22"])
def test_a_forgotten_chain_factor_in_the_square_graph_is_named(line):
    run = at_step(3, "sq-dJ-dw")
    said = feedback(run, line)
    assert "Chain-rule factor missing" in said and "∂J/∂a" in said and "∂a/∂w" in said
    assert "66" not in said  # the message does not give the answer away


def test_the_chain_factor_is_named_in_chinese_too():
    said = feedback(at_step(3, "sq-dJ-dw", "zh"), "2a")
    assert "漏掉了链式法则的因子" in said and "∂J/∂a" in said


def test_only_the_local_factor_is_named_as_a_missing_chain_factor():
    said = feedback(at_step(3, "sq-dJ-dw"), "3")
    assert "Chain-rule factor missing" in said and "∂a/∂w alone" in said


def test_w_for_dc_dw_is_a_wrong_variable_not_a_sign():
    run = at_step(3, "lab-dc-dw")
    said = feedback(run, "w")
    assert "Wrong variable" in said and "∂c/∂x" in said
    assert "sign" not in said.lower()
    said = feedback(at_step(3, "lab-dc-dw", "zh"), "w")
    assert "变量弄错了" in said and "∂c/∂x" in said


def test_the_lab_graph_names_a_chain_stopped_at_c():
    said = feedback(at_step(3, "lab-dJ-dw"), "d")
    assert "Chain-rule factor missing" in said and "∂J/∂c" in said and "∂c/∂w" in said


def test_the_other_partial_of_a_product_node_is_a_wrong_variable():
    said = feedback(at_step(3, "lab-dJ-dx"), "x d")
    assert "Wrong variable" in said and "∂J/∂w" in said


@pytest.mark.parametrize("step_id, line, name", [
    ("sq-dJ-dw", "2(2 + 3w)", "Chain-rule factor missing"),   # the table, on J = (2 + 3w)²
    ("sq-dJ-dw", "121", "You gave J itself"),
    ("sq-da-dw", "5", "Constant of a sum not dropped"),         # 2 + 3 for ∂(2 + 3w)/∂w
    ("sq-dJ-da", "a", "without multiplying by the exponent"),   # in a²
])
def test_the_mistake_table_speaks_for_the_graphs_own_formulas(step_id, line, name):
    assert name in feedback(at_step(3, step_id), line)


def test_a_graph_answer_no_mistake_makes_gets_no_name():
    said = feedback(at_step(3, "sq-dJ-dw"), "65")
    for row in MISTAKES:
        assert row.name["en"].lower() not in said.lower()


def test_a_right_graph_answer_is_right():
    run = at_step(3, "sq-dJ-dw")
    assert any(m.kind == "feedback" and m.ok for m in run.answer("6a"))


# --- a gradient-descent update ----------------------------------------------------------

def test_a_sign_slip_in_the_update_is_named_as_a_sign_slip():
    said = feedback(at_step(1, "gd-step"), "3.6")
    assert "sign error" in said.lower() and "3.6" in said
    assert "too large" not in said and "2.4" not in said
    said = feedback(at_step(1, "gd-step", "zh"), "3.6")
    assert "符号错误" in said


def test_a_wrong_update_no_sign_slip_makes_keeps_the_checkers_words():
    said = feedback(at_step(1, "gd-step"), "2.5")
    assert "sign" not in said.lower()


# --- derivative steps: the message is about the J that is there ----------------------------

def test_w_for_d_w_squared_names_w_squared_and_no_2w_squared():
    said = feedback(at_step(2, "d-w2"), "w")
    assert "without multiplying by the exponent" in said and "w²" in said
    assert "2w²" not in said and "2·w²" not in said


def test_a_product_rule_term_forgotten_is_named_with_the_factor_left_out():
    verdict = check.check_derivative(x**2 * sin(3 * x), 2 * x * sin(3 * x), x, lang="en")
    assert verdict.mistake.code == "product_term_missing"
    assert "left out the one where $sin(3·x)$ is" in verdict.feedback
    assert "漏掉了对 $sin(3·x)$ 求导的那一项" in verdict.localized("zh")


def test_the_quotient_sign_and_the_denominator_are_named():
    J = sin(w) / w
    swapped = check.check_derivative(J, (sin(w) - w * cos(w)) / w**2, w, lang="en")
    assert swapped.mistake.code == "quotient_swapped" and "$sin(w)/w$" in swapped.feedback
    bare = check.check_derivative(J, w * cos(w) - sin(w), w, lang="en")
    assert bare.mistake.code == "quotient_denominator_missing"


def test_a_missing_chain_factor_names_the_inside():
    verdict = check.check_derivative((2 + 3 * w) ** 2, 2 * (2 + 3 * w), w, lang="en")
    assert verdict.mistake.code == "chain_factor_missing" and "$3·w + 2$" in verdict.feedback


def test_a_sign_slip_names_where_the_minus_comes_from():
    verdict = check.check_derivative(cos(w) + w**2, sin(w) + 2 * w, w, lang="en")
    assert verdict.mistake.code == "sign_error" and "$cos(w)$" in verdict.feedback


def test_the_constant_of_a_sum_kept_is_named_with_that_constant():
    verdict = check.check_derivative(w**2 + 5, 2 * w + 5, w, lang="en")
    assert verdict.mistake.code == "sum_constant_kept" and "$5$ does not change" in verdict.feedback


def test_the_wrong_variable_says_which_partial_it_is():
    verdict = check.check_derivative(w * x, w, w, lang="en")
    assert verdict.mistake.code == "wrong_variable" and "∂J/∂x" in verdict.feedback


def test_a_near_miss_is_not_named_as_the_mistake_it_only_resembles():
    # w + 1 is "without multiplying by the exponent" for w² + w; w + 1 + w/10¹² is not
    J = w**2 + w
    assert check.check_derivative(J, w + 1, w).mistake.code == "power_not_multiplied"
    verdict = check.check_derivative(J, w + 1 + w / 10**12, w)
    assert not verdict.correct and verdict.mistake is None


# --- the table against random J -----------------------------------------------------------

def _grammar():
    leaf = st.sampled_from([w, w, 2 * w, w + 1, 3 * w - 2, sympy.Integer(2)])

    def grow(inner):
        return st.one_of(
            st.tuples(inner, st.sampled_from([2, 3, -1, -2])).map(lambda t: t[0] ** t[1]),
            st.tuples(inner, inner).map(lambda t: t[0] * t[1]),
            st.tuples(inner, inner).map(lambda t: t[0] / t[1]),
            st.tuples(inner, inner).map(lambda t: t[0] + t[1]),
            st.tuples(st.sampled_from([sin, exp, log]), inner).map(lambda t: t[0](t[1])),
        )
    return st.recursive(leaf, grow, max_leaves=4).filter(lambda e: e.has(w))


SYMBOLIC_ROWS = [m for m in MISTAKES if m.symbolic]
PROPS = settings(max_examples=40, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@PROPS
@given(J=_grammar(), row=st.sampled_from(SYMBOLIC_ROWS), pick=st.integers(0, 5))
def test_a_mistakes_answer_is_named_as_a_mistake_that_makes_it(J, row, pick):
    right = differentiate(J, w)
    made = [wr.expr for wr in row.wrongs(Context(J, w, right, None))]
    made = [e for e in made if check.equivalent(e, right, domain=J).equal is False]
    if not made:
        return
    answer = made[pick % len(made)]
    verdict = check.check_derivative(J, answer, w)
    assert not verdict.correct
    if verdict.mistake is None:
        return  # silent is allowed; a wrong name is not
    named = BY_CODE[verdict.mistake.code]
    ctx = Context(J, w, right, answer)
    if named.up_to_constant:
        reproduced = [e for e in named.make(ctx) if check.equivalent(sympy.diff(answer - e, w), 0, [w], J).equal]
    else:
        reproduced = [e for e in named.make(ctx) if check.equivalent(answer, e, [w], J).equal]
    assert reproduced, (J, answer, named.code)


@PROPS
@given(J=_grammar())
def test_the_right_answer_is_never_a_mistake(J):
    right = differentiate(J, w)
    for form in (right, sympy.expand(right), sympy.together(right)):
        verdict = check.check_derivative(J, form, w)
        assert verdict.correct and verdict.mistake is None, (J, form)


@PROPS
@given(J=_grammar(), row=st.sampled_from(SYMBOLIC_ROWS))
def test_the_tables_own_wrong_answers_are_all_named(J, row):
    """Every wrong answer a row makes (everywhere in J or at one site) gets a name."""
    right = differentiate(J, w)
    made = [e for e in row.make(Context(J, w, right, None))
            if check.equivalent(e, right, domain=J).equal is False]
    named = sum(check.check_derivative(J, e, w).mistake is not None for e in made)
    assert named == len(made), (J, row.code)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_no_step_of_the_course_diagnoses_its_own_right_answer(n):
    from derivtutor.teaching import answers, diagnosis, kinds

    course = lesson(n)
    checked = 0
    for step in course.steps:
        if step.kind == "graph":
            built = answers.graph_for(course, step.get("graph"))
            (what, target), = step.get("ask").items()
            right = answers.graph_ask(built, what, target)
            forms = [right] + ([built.grad_expr(target)] if what == "grad" else [])
            for form in forms:
                assert diagnosis.graph_step(course, step, form, right) is None, (step.id, form)
                checked += 1
        elif step.kind == "number" and isinstance(step.get("answer"), dict):
            right = kinds.expected(course, step, answers.Known({}, course, step)).target
            assert diagnosis.number_step(step, answers.Known({}, course, step), right) is None, step.id
            checked += 1
    assert checked > 0

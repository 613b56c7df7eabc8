"""The runner as a learner meets it: typed lines in, the tutor's messages out."""

import json
from pathlib import Path

import pytest

from derivtutor.teaching import lessons
from derivtutor.teaching.runner import Runner

DEMO = lessons.load(Path(__file__).parent / "data" / "demo.toml")


def say(runner, line):
    """Type a line; return the messages and their plain text, joined."""
    messages = runner.answer(line)
    return messages, "\n".join(m.plain() for m in messages)


def at_step(step_id, lesson=DEMO, lang="en"):
    runner = Runner(lesson, lang=lang)
    runner.start()
    while runner.step.id != step_id:
        runner.answer("skip")
    runner.events.clear()
    return runner


def kinds(messages):
    return [m.kind for m in messages]


def test_the_lesson_opens_with_its_text_and_computed_numbers_then_asks():
    runner = Runner(DEMO)
    text = "\n".join(m.plain() for m in runner.start())
    assert "6.000999999999479" in text  # {k3}: the lab's forward difference, computed
    assert "What is J = w^3 at w = 2?" in text
    assert runner.position == (2, 9) and runner.prompt


def test_a_right_number_is_praised_recorded_and_saved_for_later_steps():
    runner = at_step("value")
    messages, text = say(runner, "8")
    assert messages[0].kind == "feedback" and messages[0].ok
    assert runner.step.id == "predict"
    event = runner.events[-1]
    assert event["step"] == "value" and event["correct"] and event["attempts"] == 1 and event["outcome"] == "first_try"
    assert runner.state()["saved"] == {"eight": "8"}


def test_a_wrong_number_earns_a_more_specific_hint_each_time_then_the_answer():
    runner = at_step("value")
    _, first = say(runner, "6")
    assert "Hint 1/2: Cube it." in first and runner.step.id == "value"
    _, second = say(runner, "9")
    assert "Hint 2/2" in second and runner.step.id == "value"
    _, third = say(runner, "7")
    assert "The answer is 8" in third and runner.step.id == "predict"
    assert runner.events[-1]["correct"] is False and runner.events[-1]["revealed"] is True


def test_input_that_does_not_parse_gets_the_caret_and_costs_no_try():
    runner = at_step("value")
    messages, text = say(runner, "2 +")
    assert messages[0].kind == "error" and "^" in (messages[0].block or "")
    assert runner.tries == 0 and runner.step.id == "value"


def test_an_empty_line_repeats_the_question():
    runner = at_step("value")
    messages, text = say(runner, "")
    assert kinds(messages) == ["question"] and "w = 2" in text


def test_hints_are_graded_and_the_last_reveals_the_answer():
    runner = at_step("value")
    assert "Hint 1/2: Cube it." in say(runner, "hint")[1]
    assert "Hint 2/2" in say(runner, "hint")[1]
    _, text = say(runner, "hint")
    assert "8" in text and runner.step.id == "predict"


def test_why_explains_the_step_just_answered():
    runner = at_step("value")
    assert "answer a question first" in say(runner, "why")[1]
    say(runner, "8")
    assert "multiplying three times" in say(runner, "why")[1]


def test_skip_back_repeat_where_help_and_quit():
    runner = at_step("value")
    _, text = say(runner, "skip")
    assert "8" in text and runner.step.id == "predict"
    say(runner, "back")
    assert runner.step.id == "value"
    assert "w = 2" in say(runner, "repeat")[1]
    assert "step 2 of 9" in say(runner, "where")[1]
    assert "hint" in say(runner, "help")[1] and "quit" in say(runner, "help")[1]
    _, text = say(runner, "quit")
    assert runner.done and "saved" in text.lower()


def test_a_mistyped_command_is_questioned_not_graded():
    runner = at_step("value")
    _, text = say(runner, "hnit")
    assert "did you mean `hint`" in text and runner.tries == 0


def test_predict_shows_the_prediction_beside_the_computed_k_and_explains_the_gap():
    runner = at_step("predict")
    messages, text = say(runner, "6")
    assert "6.001" in text and "6.000999999999479" in text
    assert any(m.kind == "feedback" and m.ok for m in messages)
    assert "6 + ε" in text
    assert runner.step.id == "deriv"


def test_a_far_prediction_is_told_how_far():
    runner = at_step("predict")
    messages, text = say(runner, "3")
    assert any(m.kind == "feedback" and m.ok is False for m in messages) and "off by 3" in text


def test_a_derivative_is_checked_echoed_and_its_mistake_diagnosed():
    runner = at_step("deriv")
    messages, text = say(runner, "3w^3")
    assert "I read that as" in text
    assert any(m.kind == "feedback" and not m.ok for m in messages)
    assert "exponent" in text.lower()
    messages, text = say(runner, "dJ/dw = 3w^2")
    assert any(m.kind == "feedback" and m.ok for m in messages)
    assert runner.step.id == "expand"


def test_asking_sympy_for_the_derivative_is_turned_back_to_the_learner():
    runner = at_step("deriv")
    _, text = say(runner, "diff(w**3, w)")
    assert "What do *you* think" in text and runner.tries == 0


def test_an_expression_is_checked_by_equivalence_not_spelling():
    runner = at_step("expand")
    messages, _ = say(runner, "ε^2 + 2εw + w^2")
    assert messages[0].kind in ("echo", "feedback")
    assert any(m.kind == "feedback" and m.ok for m in messages)


def test_a_choice_takes_a_number_a_letter_or_the_option():
    for line in ("2", "b", "2w"):
        runner = at_step("pick")
        messages, _ = say(runner, line)
        assert any(m.kind == "feedback" and m.ok for m in messages), line
    runner = at_step("pick")
    assert "1 to 3" in say(runner, "7")[1] and runner.tries == 0


def test_an_experiment_computes_on_the_learners_own_eps_and_moves_on_after_its_rounds():
    runner = at_step("eps")
    _, text = say(runner, "1e-6")
    assert "k = " in text and runner.step.id == "eps"
    _, text = say(runner, "1e-12")
    assert "round-off" in text
    assert runner.step.id == "grad-d"
    assert runner.state()["saved"]["my_eps"] == "1e-12"


def test_an_experiment_refuses_a_nonsense_eps():
    runner = at_step("eps")
    assert "positive" in say(runner, "-1")[1]


def test_a_graph_step_draws_the_graph_and_accepts_a_number_or_a_formula_in_node_names():
    runner = Runner(DEMO)
    runner.start()
    while runner.step.id != "grad-d":
        messages = runner.answer("skip")
    assert any(m.kind == "block" and "d" in m.block for m in messages)
    messages, text = say(runner, "d")
    assert any(m.kind == "feedback" and m.ok for m in messages)
    assert runner.state()["revealed"] == [["lab", "grad", "d"]]


def test_the_lesson_ends_with_a_summary_and_then_stays_finished():
    runner = Runner(DEMO)
    runner.start()
    text = ""
    while not runner.done:
        text = say(runner, "skip")[1]
    assert "That is all" in text and "Lesson complete: 0 of 7" in text
    assert "finished" in say(runner, "8")[1]


def test_a_summary_of_a_skipped_lesson_carries_no_wrong_mark():
    runner = Runner(DEMO)
    runner.start()
    messages = []
    while not runner.done:
        messages = runner.answer("skip")
    summary = next(m for m in messages if "Lesson complete" in m.text)
    assert summary.ok is None  # ✓ only for a lesson that went well; never ✗ on a summary


def test_state_round_trips_through_json_and_resumes_where_it_was():
    runner = at_step("value")
    say(runner, "8")
    say(runner, "6")
    state = json.loads(json.dumps(runner.state()))
    again = Runner(DEMO, state=state)
    opening = "\n".join(m.plain() for m in again.start())
    assert "Welcome back" in opening and again.step.id == "deriv"
    assert again.saved_text == {"eight": "8"}


def test_review_mode_runs_only_the_chosen_questions():
    runner = Runner(DEMO, only=["deriv"])
    messages = runner.start()
    assert kinds(messages) == ["question"] and runner.position == (1, 1)
    messages, _ = say(runner, "3w^2")
    assert runner.done and not any("Lesson complete" in m.text for m in messages)


def test_chinese_interface_strings():
    runner = at_step("value", lang="zh")
    _, text = say(runner, "8")
    assert "对了" in text


@pytest.mark.parametrize("line", ["\x00\x07", "x" * 10_000, "__import__('os')", "9^9^9", "1e999999", "(((((", "\u202e"])
def test_nonsense_never_breaks_the_lesson(line):
    runner = at_step("deriv")
    messages = runner.answer(line)
    assert messages and runner.step.id == "deriv"
    assert not any("Traceback" in m.plain() for m in messages)


def test_a_lesson_from_elsewhere_with_broken_math_is_refused_with_every_problem(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('id = "broken"\ntitle = "t"\nsummary = "s"\n\n[[steps]]\nid = "d"\nkind = "derivative"\n'
                    'J = "w^^2"\ntext = "?"\n\n[[steps]]\nid = "n"\nkind = "number"\ntext = "?"\n'
                    'answer = { value = "1/w", at = { w = 0 } }\n', encoding="utf-8")
    runner = Runner(lessons.load(path))
    messages = runner.start()
    assert runner.done and messages[0].kind == "error"
    assert f"{path}:5:" in messages[0].block and f"{path}:11:" in messages[0].block


def test_a_capital_letter_is_questioned_not_graded_in_a_derivative():
    runner = at_step("deriv")
    messages, text = say(runner, "3W^2")
    assert messages[0].kind == "error" and "did you mean `w`" in text and runner.tries == 0


@pytest.mark.parametrize("value, prose, feedback", [
    ("9006001/1000000", "9.006001", "9.006001"),
    ("-1/32", "−1/32", "−1/32 = −0.03125"),
    ("9/2", "9/2", "9/2 = 4.5"),
    ("1/3", "1/3", "1/3 ≈ 0.333333"),
    ("6", "6", "6"),
])
def test_numbers_read_as_people_write_them(value, prose, feedback):
    import sympy

    from derivtutor.teaching.answers import Computed

    exact = sympy.Rational(value)
    assert Computed(exact, float(exact)).shown() == prose
    assert Computed(exact, float(exact)).shown(both=True) == feedback


def test_lesson1_asks_what_spoiled_k_before_it_explains_round_off():
    """The tiny-ε prediction does not give away the next question's answer; `why` still explains it."""
    from derivtutor.teaching import lessons as lessons_mod

    for lang in ("en", "zh"):
        lesson = lessons_mod.find("lesson1", lang)
        index = next(i for i, s in enumerate(lesson.steps) if s.id == "predict-w2-tiny-eps")
        run = Runner(lesson, lang=lang)
        run.start()
        run.pos = index
        reply = run.answer("6")
        said = " ".join(m.text + (m.block or "") for m in reply)
        told = " ".join(m.text for m in reply if m.kind != "question")  # the next question's options may name it
        assert "6.000000496442226" in said
        assert "round-off" not in told and "舍入" not in told
        assert "round-off" in " ".join(m.text for m in run.answer("why")) or lang == "zh"


def test_lesson1_closing_experiment_does_not_give_away_lesson2s_derivatives():
    from derivtutor.teaching import lessons as lessons_mod

    for lang in ("en", "zh"):
        lesson = lessons_mod.find("lesson1", lang)
        run = Runner(lesson, lang=lang)
        run.start()
        run.pos = next(i for i, s in enumerate(lesson.steps) if s.kind == "experiment" and s.get("ask") == "J")
        said = " ".join(m.text for m in run.answer("w^3") + run.answer("1/w"))
        assert "12.006000999997823" in said and "0.2498750624687629" in said
        assert "3·w²" not in said and "−1/w²" not in said


@pytest.mark.parametrize("J, at, line", [("2*w", 0, True), ("w^3", 0, False), ("w^3 - 3*w^2", 1, False)])
def test_a_predict_step_calls_j_a_straight_line_only_when_it_is_one(tmp_path, J, at, line):
    path = tmp_path / "gap.toml"
    path.write_text(f'id = "gap"\ntitle = "Gap"\nsummary = "s"\n\n[[steps]]\nid = "p"\nkind = "predict"\n'
                    f'J = "{J}"\nat = {{ w = {at} }}\neps = 0.001\ntext = "Predict k."\n', encoding="utf-8")
    runner = Runner(lessons.load(path))
    runner.start()
    said = " ".join(m.plain() for m in runner.answer("5"))
    assert ("straight line" in said) is line

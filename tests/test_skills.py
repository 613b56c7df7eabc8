"""Skill tags: read off the derivation where they can be, declared in lesson files otherwise."""

from __future__ import annotations

import pytest

from derivtutor.teaching import event_skills, lessons, lint, skills
from derivtutor.algebra import mathinput

W = mathinput.var("w")


@pytest.mark.parametrize("typed, expected", [
    ("w^3", {"power"}),
    ("3w^2", {"power", "constant_multiple"}),
    ("w^2 + w", {"power", "sum"}),
    ("w sin(w)", {"product", "trig"}),
    ("sin(w)/w", {"quotient", "trig"}),
    ("(2+3w)^2", {"chain", "power", "sum", "constant_multiple"}),
    ("ln(w)", {"exp_log"}),
    ("atan(w)", {"inverse_trig"}),
    ("sigmoid(w)", {"activation"}),
    ("tanh(w)", {"activation"}),
    ("log(1 + e^w)", {"activation"}),
])
def test_a_derivatives_skills_come_from_its_rule_names(typed, expected):
    assert expected <= set(skills.of_derivative(mathinput.read_expression(typed), W))


def test_partial_when_other_variables_are_held_constant():
    J = mathinput.read_expression("w^2 b")
    assert "partial" in skills.of_derivative(J, W) and "partial" not in skills.of_derivative(W**2, W)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_graded_step_of_the_shipped_lessons_has_skills(lang):
    for lesson in lessons.available(lang):
        for step in lesson.steps:
            if step.graded:
                assert skills.of_step(lesson, step), (lesson.id, step.id)
                assert not skills.unknown(skills.of_step(lesson, step))


def test_steps_are_tagged_by_kind_too():
    lesson3 = lessons.find("lesson3")
    assert {"backprop", "chain"} <= set(skills.of_step(lesson3, lesson3.step_by_id("lab-dJ-dw")))
    lesson1 = lessons.find("lesson1")
    assert "forward_difference" in skills.of_step(lesson1, lesson1.step_by_id("predict-w2-at-3"))
    assert skills.of_step(lesson1, lesson1.step_by_id("gd-step")) == ("evaluate", "gradient_step")


def test_lint_refuses_a_skill_it_does_not_know(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('id = "mine"\ntitle = "Mine"\nsummary = "s"\n\n[[steps]]\nid = "q"\nkind = "choice"\n'
                    'skills = ["chain", "calculus magic"]\ntext = "Pick"\noptions = ["a", "b"]\nanswer = 1\n',
                    encoding="utf-8")
    problems = lint.lint([str(path)])
    assert len(problems) == 1 and "`calculus magic` is not a skill" in problems[0].message
    assert problems[0].line == 8


def test_an_event_carries_its_skills_or_finds_them():
    assert event_skills.of_event({"skills": ["chain", "power"]}) == ("power", "chain")
    assert "power" in event_skills.of_event({"lesson": "play", "step": "w:w^3", "kind": "play"})
    assert event_skills.of_event({"lesson": "no-such-lesson", "step": "x"}) == ()

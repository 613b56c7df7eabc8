"""`derivtutor lint` on code steps: the setup runs, the expected answer is computable, and the
author's solution line computes it; each problem is reported at the step's line."""

from __future__ import annotations

import pytest

from derivtutor.teaching import lessons, lint

HEAD = 'id = "c"\ntitle = "t"\nsummary = "s"\nsetup = ["from sympy import symbols, diff", "J, w = symbols(\'J, w\')"]\n\n'
GOOD = {
    "setup": '["J = w**2"]',
    "answer": '{ derivative = "w^2", at = { w = -3 } }',
    "solution": '"diff(J, w).subs([(w, -3)])"',
}


def lesson_file(tmp_path, head: str = HEAD, **fields: str):
    step = {**GOOD, **fields}
    body = "".join(f"{k} = {v}\n" for k, v in step.items() if v is not None)
    path = tmp_path / "c.toml"
    path.write_text(f'{head}[[steps]]\nid = "c1"\nkind = "code"\ntext = "Get dJ/dw at w = -3."\n{body}\n'
                    '[[steps]]\nkind = "say"\ntext = "done"\n', encoding="utf-8")
    return path


def problems(path) -> list[str]:
    return [str(p) for p in lint.lint([str(path)])]


def test_a_good_code_step_passes(tmp_path):
    assert problems(lesson_file(tmp_path)) == []


@pytest.mark.parametrize("fields, message", [
    ({"setup": '["import os"]'}, "setup line `import os` does not run: This console imports only from sympy"),
    ({"setup": '["J = q**2"]'}, "setup line `J = q**2` does not run: `q` is not defined yet"),
    ({"setup": '["J = w^2"]'}, "setup line `J = w^2` does not run"),
    ({"solution": '"J.subs([(w, -3)])"'}, "the solution `J.subs([(w, -3)])` computes 9, not the expected answer −6"),
    ({"solution": '"diff(J, w)"'}, "the solution `diff(J, w)` computes 2*w, not the expected answer −6"),
    ({"solution": '"diff(J, w).subs(w, -3"'}, "the solution `diff(J, w).subs(w, -3` does not run: Python cannot read that line"),
    ({"solution": '"open(\'x\')"'}, "the solution `open('x')` does not run"),
    ({"solution": '"from sympy import diff"'}, "computes no value to compare with the answer"),
    ({"answer": '{ derivative = "w^^2", at = { w = -3 } }'}, "does not parse"),
    ({"answer": '{ derivative = "1/w", at = { w = 0 } }', "setup": '["J = 1/w"]',
      "solution": '"diff(J, w).subs(w, 0)"'}, "step 1 (code)"),
])
def test_a_bad_code_step_is_reported_at_its_line(tmp_path, fields, message):
    found = problems(lesson_file(tmp_path, **fields))
    assert len(found) == 1, found
    assert found[0].startswith(f"{tmp_path / 'c.toml'}:6: step 1 (code): "), found
    assert message in found[0], found


def test_the_lessons_own_setup_is_checked(tmp_path):
    head = HEAD.replace('"J, w = symbols(\'J, w\')"', '"import tensorflow as tf"')
    found = problems(lesson_file(tmp_path, head=head))
    assert len(found) == 1 and "`import tensorflow as tf` does not run" in found[0], found


@pytest.mark.parametrize("fields, message", [
    ({"solution": None}, "`solution` is missing"),
    ({"setup": '"J = w**2"'}, "`setup` must be a list"),
    ({"setup": '[1, 2]'}, "every `setup` line must be a string"),
    ({"solutoin": '"x"'}, "unknown field `solutoin` (did you mean `solution`?)"),
])
def test_the_schema_of_a_code_step(tmp_path, fields, message):
    with pytest.raises(lessons.LessonError) as err:
        lessons.load(lesson_file(tmp_path, **fields))
    assert any(message in str(p) for p in err.value.problems), err.value.problems


def test_a_lesson_setup_that_is_not_a_list_of_lines(tmp_path):
    head = HEAD.replace('setup = ["from sympy import symbols, diff", "J, w = symbols(\'J, w\')"]', 'setup = "x = 1"')
    with pytest.raises(lessons.LessonError) as err:
        lessons.load(lesson_file(tmp_path, head=head))
    assert any("`setup` must be a list of lines of code" in str(p) for p in err.value.problems)

"""Code steps as a learner meets them: lines of the labs' Python typed in, the tutor's lines out.

A line is judged by what it computes (any line whose value is right passes); J.subs instead of
the derivative, the derivative left as a formula and J itself are named; a refused or failing
line gets the interpreter's sentence and does not count as a try."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derivtutor.teaching import code_step, lessons
from derivtutor.teaching.lesson_model import Lesson
from derivtutor.interpreter import lab_interp
from derivtutor.teaching.runner import Runner


def load(n: int, lang: str = "en") -> Lesson:
    folder = lessons.shipped_dir() / ("" if lang == "en" else lang)
    return lessons.load(folder / f"lesson{n}.toml", lang)


def tutor(run: Runner, line: str) -> list[str]:
    """What the tutor prints for one typed line, one string per message."""
    return [m.plain() for m in run.answer(line)]


def at(step_id: str, n: int = 2, lang: str = "en") -> Runner:
    """A learner at one code step of a shipped lesson (the earlier steps' names defined)."""
    run = Runner(load(n, lang), lang=lang, only=[step_id])
    run.start()
    assert run.step.id == step_id and run.step.kind == "code"
    return run


def test_the_lab_sequence_typed_right_moves_through_lesson_2():
    run = Runner(load(2), only=["sympy-symbols", "sympy-J", "sympy-diff", "sympy-subs-4"])
    run.start()
    assert tutor(run, "J, w = symbols('J, w')")[0] == "Right!"
    said = tutor(run, "J = w**2")
    assert said[:2] == ["`J` is now `w**2`.", "Right!"]
    said = tutor(run, "dJ_dw = diff(J, w)")
    assert said[:2] == ["`dJ_dw` is now `2*w`.", "Right!"]
    said = tutor(run, "dJ_dw.subs([(w, 4)])")
    assert said[:2] == ["8", "Right!"]
    assert run.done


def test_J_subs_instead_of_the_derivative_is_named_with_the_value_it_computed():
    run = at("sympy-subs-4")
    said = tutor(run, "J.subs([(w, 4)])")
    assert said[0] == "16"
    assert said[1] == ("Your line computed J(4) = 16: that is J's own value, not dJ/dw at w = 4. "
                       "Differentiate J first, then substitute.")
    assert "8" not in said[1]  # the right answer is not given away
    assert run.tries == 1 and not run.done


def test_the_derivative_not_yet_substituted_is_asked_to_be_substituted():
    run = at("sympy-subs-minus-2")
    said = tutor(run, "diff(J, w)")
    assert said[:2] == ["2*w", "That is dJ/dw as a function, `2*w`; now substitute w = −2."]


def test_J_itself_is_named_when_the_formula_is_asked():
    run = at("sympy-diff")
    said = tutor(run, "J")
    assert said[:2] == ["w**2", "That is J itself, `w**2`, not its derivative: `diff` turns J into dJ/dw."]


def test_a_number_where_a_formula_is_asked_is_said_so():
    run = at("sympy-inv2-d")
    said = tutor(run, "J.subs(w, 4)")
    assert said[:2] == ["1/16", "Your line computes the number `1/16`; this step asks for a formula, with w still in it."]


def test_any_line_with_the_right_value_passes():
    for line in ("dJ_dw.subs(w, 4)", "diff(J, w).subs([(w, 4)])", "2*4", "8", "print(dJ_dw.subs(w, 4))",
                 "d = diff(w**2, w); d.subs(w, 4)", "J.diff(w).subs(w, 4)"):
        run = at("sympy-subs-4")
        said = tutor(run, line)
        assert "Right!" in said, (line, said)


def test_a_refused_line_gets_the_interpreters_sentence_and_does_not_count():
    run = at("sympy-subs-4")
    for line in ("import os", "().__class__.__bases__", "open('x', 'w')", "__import__('os')", "exec('1')",
                 "lambda: 1", "[x for x in (1, 2)]", "getattr(J, 'subs')", "J.__dict__", "dJ_dw.subs(w, 4",
                 "nope + 1", "1/0", "2**99999999"):
        said = tutor(run, line)
        assert len(said) == 1 and said[0].endswith("(This try does not count.)"), (line, said)
        assert "Traceback" not in said[0]
        assert run.tries == 0, line
    assert "Right!" in tutor(run, "dJ_dw.subs(w, 4)")


def test_a_plotting_import_is_a_kind_note_and_the_step_waits():
    run = at("sympy-subs-4")
    said = tutor(run, "import matplotlib.pyplot as plt")
    assert "not needed here" in said[0] and run.tries == 0 and not run.done


def test_a_wrong_try_leaves_no_trace_in_the_names():
    run = at("sympy-subs-4")
    tutor(run, "dJ_dw = 0")          # computes 0: a wrong try
    assert run.tries == 1
    assert "Right!" in tutor(run, "dJ_dw.subs(w, 4)")  # dJ_dw is the lab's 2*w again


def test_three_wrong_lines_reveal_a_line_that_works_and_its_output():
    run = at("sympy-subs-4")
    tutor(run, "J.subs(w, 4)")
    tutor(run, "diff(J, w)")
    said = tutor(run, "3")
    assert "Let's look at it together. The answer is `dJ_dw.subs([(w, 4)])`, which computes 8." in said
    assert said[said.index("Let's look at it together. The answer is `dJ_dw.subs([(w, 4)])`, which computes 8.") + 1] == "8"
    assert run.done and run.outcomes["sympy-subs-4"] == "revealed"


def test_skip_gives_the_solution_and_the_later_steps_still_have_their_names():
    run = Runner(load(2), only=["sympy-symbols", "sympy-J", "sympy-diff", "sympy-subs-4"])
    run.start()
    assert tutor(run, "skip")[0] == "Skipped. The answer was `J, w = symbols('J, w')`, which computes w."
    tutor(run, "skip")
    tutor(run, "skip")
    assert "Right!" in tutor(run, "dJ_dw.subs(w, 4)")


def test_hints_then_reveal_as_for_other_kinds():
    run = at("sympy-subs-4")
    assert tutor(run, "hint")[0].startswith("Hint 1/2:")
    assert tutor(run, "hint")[0] == "Hint 2/2: `dJ_dw.subs([(w, 4)])`"
    assert tutor(run, "hint")[0].startswith("That was the last hint, so here is the answer: `dJ_dw.subs([(w, 4)])`")


def test_a_word_of_the_console_is_code_not_a_mistyped_command():
    run = at("sympy-subs-4")
    said = tutor(run, "print")
    assert not any("did you mean" in s for s in said) and run.tries == 1  # print itself: a function, not a number


def test_a_line_that_computes_nothing_is_asked_again_without_counting():
    run = at("sympy-subs-4")
    said = tutor(run, "from sympy import diff")
    assert said[0].startswith("That line ran, but it computes no value I can check.") and run.tries == 0


def test_symbols_step_judges_the_name_it_makes():
    run = at("sympy-symbols")
    said = tutor(run, "w = 3")
    assert said[0] == "After your line, `w` holds `3`, not the SymPy symbol w: symbols are made with `symbols`."
    assert run.tries == 1
    assert "Right!" in tutor(run, "w = symbols('w')")


def test_the_chain_rule_product_in_lesson_3_shows_sympys_6a():
    run = at("sq-sympy-chain", n=3)
    said = tutor(run, "dJ_da + da_dw")
    assert said[0] == "2*a + 3"
    assert said[1] == "That adds the two rates. One stage feeds the other, so the chain rule multiplies them."
    said = tutor(run, "dJ_dw = da_dw * dJ_da")
    assert said[:2] == ["`dJ_dw` is now `6*a`.", "Right!"]


def test_the_same_slips_in_chinese():
    run = at("sympy-subs-4", lang="zh")
    said = tutor(run, "J.subs([(w, 4)])")
    assert said[1] == "你这一行算出的是 J(4) = 16：这是 J 本身的值，不是 dJ/dw 在 w = 4 处的值。先对 J 求导，再代入。"
    said = tutor(run, "import os")
    assert said[0].startswith("这个控制台只能从 sympy 导入") and said[0].endswith("（这次不算作一次尝试。）")
    said = tutor(run, "diff(J, w)")
    assert said[1] == "这是作为函数的 dJ/dw，即 `2*w`；现在代入 w = 4。"
    assert tutor(run, "dJ_dw.subs(w, 4)")[1] == "对了！"


def test_why_after_a_code_step_shows_the_derivation():
    run = Runner(load(2), only=["sympy-diff", "sympy-subs-4"])
    run.start()
    tutor(run, "dJ_dw = diff(J, w)")
    said = tutor(run, "why")
    assert said[0] == "The working, rule by rule:" and "2" in said[1]


# --- whatever is typed, the step answers in sentences --------------------------------------

PYTHONISH = st.lists(st.sampled_from([
    "J", "w", "dJ_dw", "diff", "subs", ".subs", "(", ")", "[", "]", ",", "w, 2", "**", "*", "/", "-", "+",
    "2", "-3", "0.001", "1e308", "'", '"', "=", ";", "symbols", "print", "f'{J}'", "__class__", ".", "os",
    "import", "from sympy import *", "lambda", ":", "\\", "\n", "\x07", "。", "（", "）", "x" * 30,
]), max_size=12).map("".join)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(PYTHONISH, st.text(max_size=40)))
def test_random_lines_in_a_code_step_never_raise(line):
    run = at("sympy-subs-4")
    out = run.answer(line)
    assert out and all(m.plain() is not None for m in out)
    assert not any("Traceback" in (m.plain() or "") for m in out)
    assert run.tries <= 1


def test_a_learner_who_leaves_at_a_code_step_comes_back_to_the_same_names():
    import json

    run = Runner(load(2))
    run.start()
    while run.step.id != "sympy-subs-4":
        run.answer("skip")
    tutor(run, "J.subs(w, 4)")  # one wrong try, then quit
    tutor(run, "quit")
    again = Runner(load(2), state=json.loads(json.dumps(run.state())))
    opening = [m.plain() for m in again.start()]
    assert any("Welcome back" in line for line in opening) and again.step.id == "sympy-subs-4"
    assert again.prompt == ">>>" and again.tries == 1
    assert "dJ_dw" in again.words
    assert "Right!" in tutor(again, "dJ_dw.subs([(w, 4)])")


def test_python_output_in_a_code_step_keeps_pythons_minus_sign():
    """SymPy's and Python's output is shown as the lab prints it: -6, not −6 (README's minus rule)."""
    from derivtutor.terminal import render

    blocks = code_step._out_blocks(lab_interp.Outcome(shown="-6", printed=["k = -0.25\n"]))
    text = render.to_plain(blocks, 80, "en")
    assert "-6" in text and "k = -0.25" in text and "−" not in text

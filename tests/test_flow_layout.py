"""Layout a learner reads: the same names in 2-D as in one-line math, inline math on one line."""

from derivtutor import mathinput, render
from derivtutor.messages import Message


def test_a_2d_drawing_writes_the_natural_log_ln_as_the_sentence_does():
    expr = mathinput.read("ln(x)/x^2").expr
    shown = mathinput.show(expr)
    assert shown.startswith("ln(x)")
    drawn = render.text(render.render([Message("math", f"$dJ/dx = {shown}$", expr=expr)], width=80))
    assert "ln(x)" in drawn and "log" not in drawn
    assert "─" in drawn  # drawn in 2-D: it has a fraction


def test_inline_math_in_a_sentence_stays_on_one_line():
    expr = mathinput.read("3w^2 - 1/w^2").expr
    said = render.text(render.render([Message("say", f"So dJ/dw = ${mathinput.show(expr)}$ here, for every w.")],
                                     width=100))
    assert said.count("\n") == 1  # one line, the formula in it
    assert "3·w² − 1/w²" in said

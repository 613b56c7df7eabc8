"""Layout a learner reads: the same names in 2-D as in one-line math, inline math on one line."""

import re

from derivtutor.algebra import mathinput, mathprinter
from derivtutor.terminal import render
from derivtutor.text.messages import Message


def test_a_2d_drawing_writes_the_natural_log_ln_as_the_sentence_does():
    expr = mathinput.read("ln(x)/x^2").expr
    shown = mathprinter.show(expr)
    assert shown.startswith("ln(x)")
    drawn = render.text(render.render([Message("math", f"$dJ/dx = {shown}$", expr=expr)], width=80))
    assert "ln(x)" in drawn and "log" not in drawn
    assert "─" in drawn  # drawn in 2-D: it has a fraction


def test_inline_math_in_a_sentence_stays_on_one_line():
    expr = mathinput.read("3w^2 - 1/w^2").expr
    said = render.text(render.render([Message("say", f"So dJ/dw = ${mathprinter.show(expr)}$ here, for every w.")],
                                     width=100))
    assert said.count("\n") == 1  # one line, the formula in it
    assert "3·w² − 1/w²" in said


def test_the_prediction_table_shows_the_seventh_digit_it_is_about():
    from derivtutor.teaching import lessons
    from derivtutor.teaching.runner import Runner

    for lang in ("en", "zh"):
        path = lessons.shipped_dir() / ("zh/" if lang == "zh" else "") / "lesson1.toml"
        runner = Runner(lessons.load(path, lang), lang=lang)
        runner.start()
        tables = []
        while not runner.done and len(tables) < 2:
            if runner.step.kind == "predict":
                said = runner.answer("6")
                tables.append(render.to_plain([m for m in said if m.kind == "block"], width=100, lang=lang))
            else:
                runner.answer("skip")
        # k = 6.0000005 is not "6": the step is about that seventh digit.
        assert "6.000000496442226" in tables[1], lang
        assert not [t for t in tables if re.search(r"(measured k|实际计算的 k)\s+6\n", t)], tables  # never a bare 6
        assert all(" 6\n" in t for t in tables)  # the prediction and the exact 6 beside the measured k

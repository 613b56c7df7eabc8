"""Rendering a tutor turn: chat layout, wrapping by display width, colours, plain text."""

import re

import pytest
from hypothesis import given, strategies as st

from derivtutor.terminal import render
from derivtutor.text.messages import Message

ESC = re.compile(r"\x1b")


def lines_of(text):
    return text.rstrip("\n").split("\n")


def test_a_turn_starts_with_the_tutor_label_and_hangs_the_rest():
    text = render.to_plain([Message("say", "Take $J = w^2$."), Message("question", "Predict $k$.")])
    first, blank, second = lines_of(text)
    assert first == "tutor › Take J = w^2."
    assert blank == ""
    assert second == " " * render.indent_width("en") + "Predict k."


def test_labels_line_up_in_both_languages():
    for lang in ("en", "zh"):
        tutor, you = render.labels(lang)
        assert render.cwidth(tutor) == render.cwidth(you)
    assert render.labels("zh")[0] == "老师"
    assert render.text(render.prompt_fragments("k ≈", "en")) == "you   › k ≈ "
    assert render.text(render.learner_line("6", "k ≈", "zh")) == "你   › k ≈ 6\n"


def test_cwidth_counts_wide_characters_twice():
    assert render.cwidth("w²") == 2
    assert render.cwidth("导数") == 4
    assert render.cwidth("e\u0301") == 1  # a combining accent takes no column


@pytest.mark.parametrize("width", [40, 60, 80])
def test_english_wraps_at_spaces_within_the_width(width):
    prose = "If raising $w$ by $ε$ raises $J$ by about $k·ε$, then $dJ/dw ≈ k$. " * 4
    out = lines_of(render.to_plain([Message("say", prose)], width=width))
    assert len(out) > 1
    assert all(render.cwidth(line) <= width for line in out)
    assert all(not line.endswith(" ") for line in out)
    # no word was cut: joining the lines gives back the words
    assert " ".join(" ".join(out).split()).replace("tutor › ", "") == " ".join(prose.replace("$", "").split())


def test_chinese_wraps_between_characters_but_not_before_closing_punctuation():
    prose = "取 $J = w^2$，在 $w = 3$ 处把 $w$ 增加一点点。预测导数是多少，也就是那个数 $k$。" * 3
    out = lines_of(render.to_plain([Message("say", prose)], width=40, lang="zh"))
    assert all(render.cwidth(line) <= 40 for line in out)
    indent = render.indent_width("zh")
    assert all(not line[indent:indent + 1] in "，。" for line in out[1:])


@given(st.text(alphabet="ab 导数。,$", max_size=200), st.integers(min_value=20, max_value=100))
def test_no_line_is_wider_than_the_terminal(prose, width):
    out = lines_of(render.to_plain([Message("say", prose)], width=width))
    assert all(render.cwidth(line) <= width for line in out)


@pytest.mark.parametrize("kind,ok", [("feedback", True), ("feedback", False), ("echo", None), ("error", None)])
def test_prefixed_messages_hang_and_stay_within_the_width(kind, ok):
    prose = "Nudge $w$ by a tiny $ε$ and watch $J$ move by about $k·ε$; that $k$ is the derivative. " * 3
    out = lines_of(render.to_plain([Message(kind, prose, ok=ok)], width=50))
    assert len(out) > 2 and all(render.cwidth(line) <= 50 for line in out)
    hang = out[0].index(out[0].split()[3])  # where the prose starts after "tutor › ✓ "
    assert all(line[:hang].strip() == "" and line[hang] != " " for line in out[1:])


def test_a_word_longer_than_the_line_is_cut_not_overflowing():
    out = lines_of(render.to_plain([Message("say", "x" * 100)], width=40))
    assert all(render.cwidth(line) <= 40 for line in out)
    assert "".join(line.strip().replace("tutor ›", "") for line in out).replace(" ", "") == "x" * 100


def test_kinds_are_told_apart():
    text = render.to_plain([
        Message("echo", "I read that as 3·w²"),
        Message("feedback", "Right.", ok=True),
        Message("feedback", "Not quite.", ok=False),
        Message("hint", "Square it."),
        Message("progress", "step 3 of 18"),
    ])
    assert "↳ I read that as 3·w²" in text
    assert "✓ Right." in text
    assert "✗ Not quite." in text
    assert "        Square it." in text
    frags = render.render([Message("hint", "Square it.")])
    assert ("class:hint", "Square it.") in frags


def test_unknown_kinds_render_as_prose():
    assert render.to_plain([Message("mystery", "Still readable.")]) == "tutor › Still readable.\n"


def test_error_caret_stays_under_the_column():
    caret = "3w^2 + (w\n       ^"
    out = lines_of(render.to_plain([Message("error", "A bracket is not closed.", block=caret)]))
    source, pointer = out[1], out[2]
    assert pointer.index("^") == source.index("(")


def test_block_lines_that_fit_keep_their_alignment():
    table = "ε        k\n1e-3     6.000999999999479\n1e-9     6.000000496442226"
    out = lines_of(render.to_plain([Message("block", block=table)], width=40))
    shown = table.replace("e-", "e\u2212")  # the minus rule: an exponent's minus is − too
    assert [line.strip() for line in out[1:]] == shown.split("\n")[1:]
    narrow = lines_of(render.to_plain([Message("block", block=table)], width=26))
    assert " ".join(" ".join(narrow).split()).endswith("1e\u22129 6.000000496442226")


def test_colour_fragments_mark_math_with_lexer_classes_and_code_without_backticks():
    frags = render.render([Message("say", "Try `diff(J, w)` on $3w^2$.")], width=80)
    classes = {style for style, _ in frags}
    assert any("pygments.literal.number" in c for c in classes)
    assert any("pygments.name.variable" in c for c in classes)
    assert ("class:say class:code", "diff(J, w)") in frags
    assert "`" not in render.text(frags)
    assert "`diff(J, w)`" in render.to_plain([Message("say", "Try `diff(J, w)`.")])


def test_echo_is_styled_distinctly():
    frags = render.render([Message("echo", "I read that as $3·w^2$")])
    assert frags[2][0] == "class:echo" and frags[2][1].startswith("↳ I read that as ")


def test_plain_text_has_no_escape_codes_or_dollar_signs():
    text = render.to_plain([Message("say", "$J = w^2$"), Message("math", "dJ/dw = 2·w")])
    assert not ESC.search(text)
    assert "$" not in text


def _sympy_pretty(expr, width):
    import sympy

    return sympy.pretty(expr, use_unicode=True, num_columns=width)


def test_math_with_a_fraction_is_drawn_in_two_dimensions():
    from derivtutor.algebra.mathbuild import var

    w = var("w")
    msg = Message("math", "−2/w³", expr=-2 / w**3)
    out = render.text(render.render([msg], width=60, pretty=_sympy_pretty))
    drawn = lines_of(out)
    assert len(drawn) >= 3 and "─" in drawn[1]  # numerator, bar, denominator
    assert all(line == line.rstrip() for line in drawn)
    # plain mode keeps the one-line form (screen readers, pipes)
    assert render.to_plain([msg]) == "tutor › −2/w³\n"


def test_math_falls_back_to_one_line_when_2d_does_not_help_or_fails():
    from derivtutor.algebra.mathbuild import var

    w = var("w")
    flat = Message("math", "2·w", expr=2 * w)
    assert render.text(render.render([flat], pretty=_sympy_pretty)) == "tutor › 2·w\n"
    broken = Message("math", "1/w", expr=1 / w)
    assert render.text(render.render([broken], pretty=lambda e, width: None)) == "tutor › 1/w\n"
    wide = Message("math", "1/w", expr=1 / w)
    too_wide = lambda e, width: "1\n" + "─" * (width + 5) + "\nw"  # noqa: E731
    assert render.text(render.render([wide], pretty=too_wide)) == "tutor › 1/w\n"


def test_a_long_line_in_a_block_wraps_under_its_own_indentation_and_short_ones_stay_as_they_are():
    from derivtutor.terminal.render import message_lines, text

    block = "a    b\n  Chain rule: let u = 3·x; then d/dx sin(3·x) = d/du sin(u) · du/dx = 3·cos(3·x)"
    lines = [text(line) for line in message_lines(Message("block", block=block), 40)]
    assert lines[0] == "a    b"
    assert all(len(line) <= 40 for line in lines)
    assert lines[1].startswith("  Chain") and all(line.startswith("    ") for line in lines[2:])


def test_a_plot_is_coloured_by_layer_and_plain_text_stays_plain():
    """Free play's `plot` reaches the renderer as a Plot, so J, tangent and secant get the theme's colours."""
    from derivtutor.terminal import render
    from derivtutor.play.play import PlaySession

    play = PlaySession(width=80)
    play.answer("J = w^2")
    play.answer("at w=3")
    block = next(m for m in play.answer("plot") if m.kind == "block")
    assert getattr(block.block, "layers", None)  # not flattened to str
    styles = {style for style, _ in render.render([block], width=100)}
    assert {"class:plot.curve", "class:plot.tangent", "class:plot.secant"} <= styles
    assert all(cls in render.STYLE for cls in ("plot.curve", "plot.tangent", "plot.secant"))
    plain = render.to_plain([block], width=100)
    assert "\x1b" not in plain and plain.strip()
    assert not any(style.startswith("class:plot") for style, _ in render.render([block], width=100, plain=True))


def test_a_displayed_formula_keeps_its_label_and_draws_2d_only_for_a_fraction():
    """`show` in free play: "dJ/dw =" stays on the fraction's bar; w³ alone stays one line; minus is −."""
    from derivtutor.algebra.mathbuild import var

    w = var("w")
    msg = Message("math", "dJ/dw = 3·w² − 1/w²", expr=3 * w**2 - 1 / w**2)
    drawn = lines_of(render.text(render.render([msg], width=60, pretty=_sympy_pretty)))
    bar = next(line for line in drawn if "─" in line)
    assert "dJ/dw = " in bar and "−" in bar and "-" not in "".join(drawn).replace("tutor ›", "")
    powers = Message("math", "dJ/dw = 3·w²", expr=3 * w**2)
    assert render.text(render.render([powers], pretty=_sympy_pretty)) == "tutor › dJ/dw = 3·w²\n"

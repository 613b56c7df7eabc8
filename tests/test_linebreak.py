"""Chinese line breaking: no line opens with closing punctuation or ends with an opening one,
and a short formula stays on one line."""

from hypothesis import given, settings, strategies as st

from derivtutor.text import linebreak
from derivtutor.terminal import render

TEXT = "选一个适中的（1e-7）就够了，这里 $J(w, b) = w**2 + b$ 是代价函数。“差商”就是 $k$。"


def lines(text: str, width: int) -> list[str]:
    return ["".join(t for _, t in line) for line in render.wrap(render.prose_fragments(text, "", True), width)]


def test_opening_punctuation_never_ends_a_line_and_closing_never_starts_one():
    for width in range(8, 40):
        for line in lines(TEXT, width):
            assert line[-1] not in linebreak.NO_BREAK_AFTER, (width, line)
            assert line[0] not in linebreak.NO_BREAK_BEFORE, (width, line)


def test_a_formula_that_fits_is_never_split():
    for width in range(20, 40):
        assert any("J(w, b) = w**2 + b" in line for line in lines(TEXT, width)), width


def test_wrapping_loses_nothing_and_glue_never_shows():
    for width in range(8, 40):
        got = lines(TEXT, width)
        assert linebreak.GLUE not in "".join(got)
        assert "".join(got).replace(" ", "") == render.plain_prose(TEXT).replace(" ", "")  # − by the minus rule


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="中文字（）“”，。 ab$=+", min_size=1, max_size=60), st.integers(8, 30))
def test_any_text_wraps_within_the_width_by_the_rules(text, width):
    got = lines(text, width)
    assert all(render.cwidth(line) <= width for line in got)
    for line, after in zip(got, got[1:]):  # a run too wide for a line is cut anywhere: skip those
        if line and after and render.cwidth(line + after[0]) <= width:
            assert line[-1] not in linebreak.NO_BREAK_AFTER, got

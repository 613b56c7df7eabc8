"""Free play's `plot` on a range the float grid cannot draw answers with a sentence (issue 11:
`at x=1e10` then `plot 0..1e-300` crashed with OverflowError)."""

import pytest

from derivtutor.play.play import PlaySession


def said(lines, lang="en"):
    play = PlaySession(lang=lang, plain=True, width=70)
    play.start()
    out = []
    for line in lines:
        out = play.answer(line)
    return out


def test_a_tiny_range_far_from_the_point_is_a_sentence():
    out = said(["J = x^2", "at x=1e10", "plot 0..1e-300"])
    assert [m.kind for m in out] == ["error"]
    assert out[0].plain() == ("From 0 to 1e-300 is too small a range to draw: spreading a width that small over "
                              "the screen overflows floating point. Give a wider range, such as `plot 9e9..1.1e10`.")


def test_a_range_narrower_than_the_float_spacing_is_a_sentence_in_chinese_too():
    out = said(["J = x^2", "at x=1", "plot 1e10..1.0000000001e10"], lang="zh")
    assert out[0].kind == "error"
    assert out[0].plain() == ("从 10000000000 到 10000000001 的范围太窄，画不出来：这么接近的浮点数太少，填不满整张图。"
                              "请给一个更宽的范围，例如 `plot -2..4`。")


@pytest.mark.parametrize("point", ["1e10", "1e300", "-1e15"])
def test_the_default_range_around_a_huge_point_is_drawn(point):
    out = said(["J = x^2", f"at x={point}", "plot"])
    assert out and out[0].kind == "block"  # a plot, whatever it holds, and no traceback


def test_the_suggested_range_can_be_typed_back():
    out = said(["J = x^2", "at x=1e10", "plot 0..1e-300"])
    suggestion = out[0].plain().rsplit("`plot ", 1)[1].rstrip("`.")
    again = said(["J = x^2", "at x=1e10", f"plot {suggestion}"])
    assert again[0].kind == "block"

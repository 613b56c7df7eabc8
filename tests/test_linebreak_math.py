"""Formulas outside $…$ and code stay whole when they fit, and a choice's options wrap under their text."""

from hypothesis import given, settings, strategies as st

from derivtutor.text import linebreak
from derivtutor.terminal import render
from derivtutor.text.messages import Message

QUESTION = ("对于 J = w**2 + 3w 和 J(w, b)，已知 `J = w**2`，在 w = −3 处选一个适中的（1e-7）就够了\n"
            "  1. 两侧的误差相互抵消：余项按 ε^2 而不是 ε 缩小，所以中心差分准得多，这是一个很长的选项。\n"
            "  2. 它偷偷用了更小的 ε。")


def screen(text: str, width: int, lang: str = "zh") -> list[str]:
    return render.to_plain([Message("question", text)], width=width, lang=lang).rstrip("\n").split("\n")


def test_an_unmarked_formula_is_never_split_at_its_spaces():
    for width in range(30, 60):
        shown = "\n".join(screen(QUESTION, width))
        for formula in ("J = w**2 + 3w", "J(w, b)", "`J = w**2`", "w = −3"):
            assert formula in shown, (width, shown)


def test_the_options_of_a_choice_hang_under_their_text():
    for width in range(30, 50):
        lines = screen(QUESTION, width)
        first = next(i for i, line in enumerate(lines) if "1. " in line)
        text_col = render.cwidth(lines[first].split("1. ")[0]) + 3
        for line in lines[first + 1:]:
            if "2. " in line:
                break
            assert line[:text_col].strip() == "" and line[text_col] != " ", (width, lines)


def test_english_options_hang_too():
    lines = screen("Pick one.\n  1. The errors on the two sides cancel out: the remainder shrinks like eps^2.\n"
                   "  2. A smaller eps.", 36, "en")
    item = next(i for i, line in enumerate(lines) if "1. The" in line)
    assert lines[item + 1].startswith(" " * (lines[item].index("1. ") + 3))


def test_a_long_formula_may_still_break():
    long = "J = " + " + ".join(f"w{i}" for i in range(20))
    assert linebreak.GLUE not in linebreak.glue_formulas(long)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="中文（）“”，。 ab=+(),1", min_size=1, max_size=60), st.integers(8, 30))
def test_glued_prose_wraps_within_the_width_and_loses_nothing(text, width):
    fragments = render.prose_fragments(linebreak.glue_prose(text), "", True)
    got = ["".join(t for _, t in line) for line in render.wrap(fragments, width)]
    assert all(render.cwidth(line) <= width for line in got)
    assert linebreak.GLUE not in "".join(got)
    assert "".join(got).replace(" ", "") == text.replace(" ", "")


def test_a_help_table_wraps_under_its_last_column():
    from derivtutor.text import i18n
    from derivtutor.play.play import PlaySession
    from derivtutor.teaching.runner import T

    lesson_help = screen(i18n.tr(T["help"], "zh"), 60)
    row = next(i for i, line in enumerate(lesson_help) if "提示    hint" in line)
    column = render.cwidth(lesson_help[row].split("hint")[0]) + len("hint    ")
    assert lesson_help[row + 1][:column].strip() == "" and lesson_help[row + 1][column] != " "
    shown = render.to_plain(PlaySession(lang="zh", plain=True, width=60).answer("帮助"), width=60, lang="zh")
    lines = shown.rstrip("\n").split("\n")
    assert all(render.cwidth(line) <= 60 for line in lines), shown
    row = next(i for i, line in enumerate(lines) if "let x = 2" in line)
    column = lines[row].index("与")
    assert lines[row + 1][:column].strip() == "" and "x = 2）" in lines[row + 1]

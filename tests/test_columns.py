"""One measure of terminal columns for the whole tutor: the one prompt_toolkit draws with."""

from hypothesis import given, strategies as st
from prompt_toolkit.utils import get_cwidth

from derivtutor.text import columns


def test_chinese_takes_two_columns_a_combining_mark_none():
    assert columns.width("导数 dJ/dw") == 10
    assert columns.width("e\u0301") == 1          # é written as e + combining acute
    assert columns.width("ｗ＝２") == 6            # full-width forms
    assert columns.pad("导数", 6) == "导数  " and columns.pad("too long", 3) == "too long"


def test_a_bar_is_always_its_width_and_fills_in_eighths():
    assert columns.bar(0, 4) == "    " and columns.bar(1, 4) == "████" and columns.bar(0.5, 4) == "██  "
    assert columns.bar(1 / 32, 4) == "▏   " and columns.bar(7, 4) == "████" and columns.bar(-1, 4) == "    "
    assert all(columns.width(columns.bar(i / 97)) == columns.BAR_WIDTH for i in range(98))


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=30))
def test_the_tutor_and_prompt_toolkit_agree_on_every_printable_text(text):
    assert columns.width(text) == sum(max(0, get_cwidth(ch)) for ch in text)

"""Free-play commands on hostile input answer with a sentence, never "Something went wrong"
(found by probing every command: a 4771-digit local derivative crashed `graph` and `skip`)."""

import pytest

from derivtutor.play.play import PlaySession


def session(*lines):
    play = PlaySession(lang="en", plain=True, width=70)
    play.start()
    out = []
    for line in lines:
        out = play.answer(line)
    return out


@pytest.mark.parametrize("lines", [
    ["J = (w+1)^10000", "at w=2", "graph"],
    ["J = (w+1)^10000", "at w=2", "graph quiz", "skip"],
])
def test_a_huge_exact_number_in_the_graph_is_shown_short(lines):
    out = session(*lines)  # raised ValueError (int to str past 4300 digits) before
    text = " ".join(m.plain() for m in out)
    assert out and "went wrong" not in text
    if lines[-1] == "skip":
        assert "5.43783…×10⁴⁷⁷⁴" in text

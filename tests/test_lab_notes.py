"""The tutor beside the lab console: after a finite difference it says how far k is from the
exact derivative and why (the ε term, round-off); after `diff`, `why` shows the rule-by-rule steps."""

from __future__ import annotations

import pytest

from derivtutor.lab.lab_session import LabSession
from lab_seeds import SEEDS, clean_cells, seed


def notes(session: LabSession, *lines: str) -> list[str]:
    """The tutor's sentences (not the console's output) for the lines typed, in order."""
    return [m.text for line in lines for m in session.answer(line) if m.kind == "say"]


def test_the_first_labs_nudge_is_mostly_the_eps_term():
    lab = LabSession()
    said = notes(lab, "J = (3)**2", "J_epsilon = (3 + 0.001)**2", "k = (J_epsilon - J)/0.001")
    assert said == ["k = 6.000999999999479 is 0.001 from the exact derivative 6; most of that gap is the ε term. "
                    "Type `why` to see where it comes from."]
    (why,) = notes(lab, "why")
    assert why.startswith("Exactly, the difference quotient is ε + 6 = 6.001 at ε = 0.001, while the derivative "
                          "(ε → 0) is 6. So the ε term adds 0.001")
    assert "The rest, −5.21e−13, is round-off" in why


def test_a_tiny_eps_is_mostly_round_off():
    lab = LabSession()
    said = notes(lab, "J = (3)**2", "J_epsilon = (3 + 0.000000001)**2", "k = (J_epsilon - J)/0.000000001")
    assert said == ["k = 6.000000496442226 is 4.96e−07 from the exact derivative 6; most of that gap is round-off. "
                    "Type `why` to see where it comes from."]
    assert "The rest, 4.95e−07, is round-off" in notes(lab, "why")[0]


def test_the_names_of_the_backprop_lab_are_followed_back_to_the_inputs():
    lab = LabSession()
    said = notes(lab, "w = 3", "a = 2 + 3*w", "J = a**2", "epsilon = 0.001", "w_epsilon = w + epsilon",
                 "a_epsilon = 2 + 3*w_epsilon", "J_epsilon = a_epsilon**2", "k = (J_epsilon - J) / epsilon")
    assert said == ["k = 66.0090000000082 is 0.009 from the exact derivative 66; most of that gap is the ε term. "
                    "Type `why` to see where it comes from."]
    assert notes(lab, "why")[0].startswith("Exactly, the difference quotient is 9·ε + 66 = 66.009 at ε = 0.001")


def test_a_name_redefined_since_is_not_guessed_at():
    lab = LabSession()
    said = notes(lab, "w = 3", "J = w**2", "w = 5", "J_epsilon = (w + 0.001)**2", "k = (J_epsilon - J)/0.001")
    assert said == []  # J was made from the old w: the tutor stays silent rather than explain a wrong k


def test_a_straight_line_has_only_round_off():
    lab = LabSession()
    said = notes(lab, "J = 2*3", "J_epsilon = 2*(3 + 0.001)", "k = (J_epsilon - J)/0.001")
    assert said == ["k = 1.9999999999997797 is −2.2e−13 from the exact derivative 2; most of that gap is round-off. "
                    "Type `why` to see where it comes from."]


def test_why_after_diff_shows_the_steps():
    lab = LabSession()
    notes(lab, "from sympy import symbols, diff", "J, w = symbols('J, w')", "J = (2 + 3*w)**2")
    replies = [lab.answer(line) for line in ("diff(J, w)", "why")]
    assert [m.block for m in replies[0]] == ["18*w + 12"]
    said, steps = replies[1]
    assert said.text == "How SymPy gets 18·w + 12, rule by rule:"
    assert steps.block.splitlines()[0].startswith("Chain rule: let u = 3·w + 2")
    assert "  Power rule: d/du uⁿ = n·uⁿ⁻¹, so d/du u² = 2·u" in steps.block.splitlines()


def test_why_with_nothing_to_explain_says_so_and_in_chinese():
    assert notes(LabSession(), "why")[0].startswith("`why` explains the last `diff` or finite difference")
    lab = LabSession(lang="zh")
    said = notes(lab, "J = (3)**2", "J_epsilon = (3 + 0.001)**2", "k = (J_epsilon - J)/0.001")
    assert said == ["k = 6.000999999999479，与精确导数 6 相差 0.001；差距主要来自含 ε 的项（截断误差）。输入 `why` 看看它从哪里来。"]
    assert "舍入误差" in notes(lab, "why")[0]


def test_help_mentions_why():
    assert "`why` explains the result" in notes(LabSession(), "help")[0]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the course labs (../shared/seeds) are not here")
def test_every_finite_difference_of_the_backprop_lab_gets_its_exact_derivative():
    lab = LabSession()
    said = []
    for code, _ in clean_cells(seed("002").read_text(encoding="utf-8")):
        said += notes(lab, *code)
    exact = [s.split("exact derivative ")[1].split(";")[0] for s in said if "exact derivative" in s]
    assert exact == ["22", "3", "66", "3", "1", "3"]

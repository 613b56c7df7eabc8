"""explain always shows the derivative, picks its own point inside J's domain, and never shows
a learner nan, zoo or ∞̃ (issue 11: `asin(2*w)` printed only "undefined at w = 3", `0^x` showed nan)."""

import json
import os
import subprocess
import sys

import pytest

from derivtutor.play.play import PlaySession

NOT_A_NUMBER = ("nan", "NaN", "zoo", "∞̃")


def explain(*args, lang="en"):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    env.update(LANG="en_US.UTF-8", PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "derivtutor", "--lang", lang, "explain", *args],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)


def test_the_default_point_is_inside_the_domain():
    out = explain("asin(2*w)")
    assert out.returncode == 0, out.stderr
    assert "No --at given, so I use w = 1/4 (choose one with --at w=1/4)." in out.stdout
    assert "dJ/dw = 4·√3/3" in out.stdout.replace("⋅", "·")  # 2/√(1 − 1/4)
    assert "undefined" not in out.stdout


@pytest.mark.parametrize("expr, point", [("acos(3*w)", "w = 1/4"), ("atanh(w)", "w = 1/2"),
                                         ("log(-w)", "w = −1"), ("sqrt(-w - 1)", "w = −2")])
def test_other_narrow_domains_get_a_point_inside_them(expr, point):
    out = explain(expr)
    assert out.returncode == 0, out.stderr
    assert f"so I use {point}" in out.stdout


@pytest.mark.parametrize("args, why", [
    (["1/w", "--at", "w=0"], "1/w is undefined at w = 0: it divides by zero"),
    (["asin(2*w)", "--at", "w=3"], "asin(2·w) is undefined at w = 3: the point is outside where asin is defined"),
])
def test_an_undefined_point_still_shows_the_derivative(args, why):
    out = explain(*args)
    assert out.returncode == 1  # the point could not be used ...
    lines = out.stdout.splitlines()
    assert lines[0].startswith("Read as:") and "Derivative:" in lines  # ... but the derivative is there
    assert lines[-1].strip() == why
    assert out.stderr == ""


def test_an_undefined_point_in_json_keeps_the_derivative_and_the_error():
    data = json.loads(explain("1/w", "--at", "w=0", "--json").stdout)
    assert data["derivative"] == "-1/w**2" and data["code"] == "zero_division"
    assert data["error"] == data["undefined_at_point"] == "1/w is undefined at w = 0: it divides by zero"


@pytest.mark.parametrize("lang, words", [
    ("en", "0^x has no derivative formula: the rule d/dx aˣ = aˣ·ln a needs ln a, and ln 0 is undefined"),
    ("zh", "0^x 没有导数公式：法则 d/dx aˣ = aˣ·ln a 需要 ln a，而 ln 0 没有定义"),
])
def test_zero_to_the_x_says_why_there_is_no_formula_never_nan(lang, words):
    out = explain("0^x", "--at", "x=3", "--steps", lang=lang)
    assert out.returncode == 0, out.stderr
    assert words in out.stdout
    assert not any(bad in out.stdout for bad in NOT_A_NUMBER), out.stdout
    data = json.loads(explain("0^x", "--at", "x=3", "--json").stdout)
    assert data["derivative"] is None and data["no_formula"].startswith("0^x has no derivative formula")


def test_free_play_on_zero_to_the_x_never_shows_nan():
    play = PlaySession(lang="en", plain=True, width=70)
    play.start()
    said = []
    for line in ["J = 0^x", "at x=3", "show", "table", "grad", "plot errors"]:
        said += [m.plain() for m in play.answer(line)]
    text = "\n".join(said)
    assert "0^x has no derivative formula" in text
    assert not any(bad in text for bad in NOT_A_NUMBER), text


def test_a_point_on_the_edge_of_the_domain_shows_all_it_can():
    out = explain("asin(w)", "--at", "w=1")  # J is defined, J(w + ε) is not, the slope is vertical
    assert out.returncode == 0, out.stderr
    assert "Derivative:" in out.stdout and "J = π/2" in out.stdout
    assert "the slope is infinite there" in out.stdout
    assert "k = (J(w+ε) − J(w))/ε = undefined" in out.stdout
    assert out.stderr == ""


def test_a_calculation_out_of_time_still_shows_the_derivative(monkeypatch):
    from derivtutor.algebra import calculus, cas
    from derivtutor.commands import cmd_explain

    def slow(*args, **kwargs):
        raise cas.CasTimeout("timeout", 2.0)

    monkeypatch.setattr(calculus, "value", slow)
    facts = cmd_explain.gather("(w+1)^1000", at_texts=["w=0.1"])
    text = cmd_explain.as_text(facts, "en")
    assert "1000⋅(w + 1)" in text  # the derivative, drawn
    assert text.rstrip().endswith("so I stopped it. Try smaller numbers or a simpler expression.")


def test_a_long_exact_difference_leaves_the_table_and_the_json_whole():
    out = explain("(w+1)^10000", "--at", "w=0")  # its exact (J(ε) − J(0))/ε has 10 000 terms
    assert out.returncode == 0, out.stderr
    assert "dJ/dw = 10000   (decimal 10000.0)" in out.stdout and "As ε shrinks" in out.stdout
    out = explain("(w+1)^10000", "--at", "w=0", "--json")  # was exit 70, a CasTimeout while printing
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["derivative"] == "10000*(w + 1)**9999" and len(data["differences"]) == 15


def test_a_fraction_of_a_thousand_digits_is_shown_by_its_decimal():
    out = explain("(w+1)^1000", "--at", "w=0.1")
    assert out.returncode == 0, out.stderr
    assert "J = 2.4699329180058264e+41   (exactly, a 1042-digit number over a 1001-digit one)" in out.stdout
    assert "×10¹⁰⁴¹/" not in out.stdout  # never two rounded halves of one fraction

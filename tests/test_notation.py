"""Notation as learners write it: every row of tests/tables/notation.toml, read or refused as it says.

The table holds plain-math rows in the spirit of STACK's input fixtures, the ML and calculus
notation of issue 11 and the Chinese input habits of issue 14; bench/bench_notation.py prints how
often we read a STACK row as STACK does.
"""

from pathlib import Path

import pytest

from derivtutor.algebra.matherror import MathInputError
from derivtutor.algebra.mathinput import read

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

TABLE = tomllib.loads((Path(__file__).parent / "tables" / "notation.toml").read_text(encoding="utf-8"))
ROWS = [row for section in ("stack", "ours", "chinese") for row in TABLE[section]]


def key(reading):
    return reading.form, reading.name, reading.wrt, reading.expr, tuple(sorted(reading.at.items()))


def expected_reading(row) -> str | None:
    if "refused" in row:
        return None
    if "reads" in row:
        return row["reads"]
    assert not row["stack"].startswith("~"), "a row STACK reads otherwise needs `reads` or `refused`"
    return row["stack"]


@pytest.mark.parametrize("row", ROWS, ids=[row["typed"] for row in ROWS])
def test_each_way_of_writing(row):
    variables = row.get("vars")
    target = expected_reading(row)
    if target is None:
        with pytest.raises(MathInputError) as caught:
            read(row["typed"], variables)
        assert caught.value.code == row["refused"], caught.value.message
        for lang in ("en", "zh"):
            assert caught.value.localized(lang)
        if "suggests" in row:
            assert row["suggests"] in caught.value.message
        return
    reading = read(row["typed"], variables)
    plain = read(target, variables)
    assert not plain.notes, f"the explicit form {target!r} must read without a note: {plain.notes}"
    assert key(reading) == key(plain)
    if "note" in row:
        assert any(row["note"] in note for note in reading.notes), reading.notes
        assert len(reading.localized_notes("zh")) == len(reading.notes)
    else:
        assert not reading.notes, reading.notes


def test_the_table_names_each_typed_text_once():
    typed = [row["typed"] for row in ROWS]
    assert len(typed) == len(set(typed))


# ------------------------------------------------------------------ end to end: explain, play, steps, check

import subprocess  # noqa: E402
import sys  # noqa: E402

import sympy  # noqa: E402

from derivtutor.algebra import mathbuild, matherror, mathinput, mathnames  # noqa: E402
from derivtutor.terminal import render

w = mathbuild.var("w")


def play(*lines, lang="en"):
    from derivtutor.play.play import PlaySession

    s = PlaySession(lang=lang, plain=True, width=78)
    s.start()
    return [render.to_plain(s.answer(line), lang=lang) for line in lines]


@pytest.mark.parametrize("text", ["relu(w)", "max(0, w)", "abs(w)"])
def test_a_corner_is_explained_the_same_way_for_relu_max_and_abs(text):
    from derivtutor.commands.cmd_explain import gather

    facts = gather(text, at_texts=["w=0"])
    assert facts.slope is None and "corner there (slope 1 from the right" in facts.no_slope
    assert gather(text, at_texts=["w=1"]).slope.exact == 1


def test_explain_relu_prints_its_slope_and_steps(tmp_path):
    env = {"HOME": str(tmp_path), "PATH": "", "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "derivtutor", "explain", "relu(w)", "--at", "w=1", "--steps"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "J = max(0, w)" in result.stdout and "dJ/dw = 1" in result.stdout
    assert "max follows its larger input" in result.stdout and "Heaviside" not in result.stdout


def test_sign_jumps_at_zero_and_is_flat_elsewhere():
    from derivtutor.algebra import calculus

    with pytest.raises(calculus.NotDifferentiable, match="jumps"):
        calculus.derivative_at(mathinput.read_expression("sgn(w)"), w, {"w": 0})
    assert calculus.derivative_at(mathinput.read_expression("sgn(w)"), w, {"w": 3}).exact == 0


def test_free_play_with_max_explains_the_corner():
    shown = play("J = max(0, w)", "at w=0", "show")
    assert "max(0, w)" in shown[0]
    assert "corner" in shown[2] and "max follows its larger input" in shown[2]


def test_steps_and_check_know_relu():
    from derivtutor.algebra import check, steps

    J = mathinput.read_expression("relu(2w - 1)")
    tree = steps.derive(J, w)
    assert tree.rule == "max_min" and tree.result == sympy.diff(J, w)
    verdict = check.check_derivative(mathinput.read_expression("relu(w)"), mathinput.read_expression("1"), w)
    assert verdict.correct is False and verdict.counterexample


def test_no_misleading_did_you_mean():
    for typed, refused in (("fact(w)", "acot"), ("lg(w)", None), ("coth(w)", None), ("sech(w)", None)):
        try:
            mathinput.read(typed)
        except matherror.MathInputError as err:
            assert refused and "did you mean" not in err.message and refused not in err.message
        else:
            assert refused is None


def test_lg_says_it_is_base_ten_since_our_log_is_ln():
    reading = mathinput.read("lg(w)")
    assert reading.expr == sympy.log(w, 10) and "base-10" in reading.notes[0]
    assert mathinput.read("log(w)").expr == sympy.log(w)


# ------------------------------------------------------------------ quoting the learner's text: safe and short

def test_a_one_megabyte_line_is_not_echoed_whole():
    err = pytest.raises(matherror.MathInputError, mathinput.read, "w" * 1_000_000).value
    assert err.code == "huge_line" and len(err.message) < 200 and len(err.caret()) < 200


def test_error_fields_quote_at_most_a_short_line():
    err = pytest.raises(matherror.MathInputError, mathinput.read, "q" * 400 + "(w)").value
    assert len(err.message) < 120 and "…" in err.message
    err = pytest.raises(matherror.MathInputError, mathinput.read, "w" + "z" * 300 + "(w)").value
    assert len(err.localized("zh")) < 150


def test_a_symbol_name_never_holds_a_control_character():
    assert mathbuild.var("\x1b[2J").name == "␛[2J"


# ------------------------------------------------------------------ Chinese input habits in a session

def test_full_width_definition_and_point_in_free_play():
    shown = play("J ＝ w x + w²", "at w＝2，x＝3", lang="zh")
    assert "J = w² + w·x" in shown[0]
    assert "w = 2、x = 3" in shown[1]


def test_decimals_are_echoed_as_decimals():
    assert mathinput.read("０．１").shown == "0.1"
    assert mathinput.read("J = 0.5w^2 + 0.1").shown == "0.5·w² + 0.1"
    assert "0.1·w" in play("J = w^2", "０．１w")[1]


def test_chinese_words_get_a_words_error_not_one_character():
    err = pytest.raises(matherror.MathInputError, mathinput.read, "不知道").value
    assert err.code == "words" and "`不`" not in err.localized("zh") and "文字" in err.localized("zh")
    assert mathnames.normalize("w＝2，x＝3。") == "w=2,x=3"
    assert mathnames.normalize("返回") == "返回"


def test_free_play_does_not_echo_a_long_word_whole():
    shown = play("q" * 20_000)[0]
    assert len(shown) < 400

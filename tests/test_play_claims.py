"""What free play says about J's shape and its errors is true of that J: a straight line only
when J is one, round-off only when the error measured is round-off, and a value below the
smallest float is small, not "too large to compute"."""

import pytest

from derivtutor.play.play import PlaySession


def show(J, point, lang="en", eps=None):
    s = PlaySession(lang=lang, plain=True, width=78)
    s.start()
    s.answer(f"J = {J}")
    s.answer(f"at {point}")
    if eps:
        s.answer(f"eps {eps}")
    return " ".join(" ".join(m.plain() for m in s.answer("show")).split()).replace("−", "-")


@pytest.mark.parametrize("J, point", [("w^3/10^10", "w=3"), ("0.000001*sin(w)", "w=1"), ("w^3", "w=0")])
def test_small_errors_do_not_make_a_curve_a_straight_line(J, point):
    said = show(J, point)
    assert "straight line" not in said and "line or a parabola" not in said


@pytest.mark.parametrize("J", ["2w+1", "3 - w/4"])
def test_a_straight_line_is_called_one(J):
    assert "J is a straight line in w" in show(J, "w=3")


def test_the_error_of_w_cubed_at_zero_is_truncation_not_round_off():
    said = show("w^3", "w=0")  # both differences are ε² = 1e-6 exactly
    assert "round-off dominates" not in said
    assert "1.0e-06" in said and "faster" not in said  # the two errors are equal: neither shrinks faster


def test_round_off_is_named_where_it_is_the_error():
    assert "At ε = 1e-12 round-off dominates" in show("w^2", "w=3", eps="1e-12")


@pytest.mark.parametrize("J", ["w^(-1000)", "1/w^400", "3w/w^400"])
def test_a_value_below_the_smallest_float_is_small_not_too_large(J):
    said = show(J, "w=10")
    assert "too large" not in said and "overflow" not in said
    assert "smaller than the smallest floating-point number" in said
    assert "straight line" not in said


def test_the_same_in_chinese():
    said = show("1/w^400", "w=10", lang="zh")
    assert "比浮点数能表示的最小值" in said and "太大" not in said
    assert "直线" not in show("w^3/10^10", "w=3", lang="zh")


@pytest.mark.parametrize("lines", [("J = ln(w)", "at w=-1", "show"), ("J = |w|", "at w=0", "show"),
                                   ("J = 1/w", "at w=0", "table")])
def test_a_chinese_refusal_in_free_play_is_a_whole_sentence(lines):
    s = PlaySession(lang="zh", plain=True, width=78)
    s.start()
    said = [m for line in lines for m in s.answer(line)]
    refusals = [m.plain() for m in said if m.kind == "error" or (m.kind == "feedback" and m.ok is False)]
    assert refusals and all(r.rstrip().endswith("。") for r in refusals)


def said_after(lines, lang="en", plain=True):
    s = PlaySession(lang=lang, plain=plain, width=78)
    s.start()
    said = [m for line in lines for m in s.answer(line)]
    return " ".join(" ".join(m.plain() for m in said if m.kind == "say").split()).replace("−", "-")


@pytest.mark.parametrize("J, wrong", [("w^3+w^4", "an error that shrinks about like ε"),  # forward error ε² + ε³
                                      ("w^2+w^5", "which shrinks like ε²"),  # central error ε⁴
                                      ("cos(w)", "which shrinks like ε²")])  # central difference exactly 0
def test_how_an_error_shrinks_is_said_only_where_it_does(J, wrong):
    said = show(J, "w=0")
    assert "dJ/dw = 0" in said and wrong not in said


def test_the_shrinking_is_still_named_where_it_holds():
    said = show("sin(w)", "w=1")
    assert "shrinks about like ε" in said and "shrinks like ε²" in said


def test_a_smaller_eps_is_smaller_than_the_one_in_use():
    said = show("w^3", "w=0", eps="1e-7")  # both errors ε² = 1e-14
    assert "eps 1e-5" not in said and "eps 1e-9" in said


@pytest.mark.parametrize("J, point", [("sin(w)", "w=0"), ("w", "w=0"), ("w^2", "w=3"), ("cos(w)", "w=0")])
def test_the_v_is_described_only_where_the_errors_make_one(J, point):
    for command in ("table", "plot errors"):
        said = said_after([f"J = {J}", f"at {point}", command])
        assert "round-off" not in said and "Left arm" not in said


def test_the_v_is_still_described_where_it_is_there():
    assert "to the left, round-off" in said_after(["J = exp(w)", "at w=1", "table"])
    assert "Left arm: round-off" in said_after(["J = exp(w)", "at w=1", "plot errors"])
    assert "左边一支是舍入误差" in said_after(["J = exp(w)", "at w=1", "plot errors"], lang="zh")


@pytest.mark.parametrize("plain", [True, False])
def test_a_secant_in_plain_sight_is_not_hidden_under_the_tangent(plain):
    lines = ["J = sin(1000w)", "at w=0", "plot -0.002..0.003"]  # secant slope 841, tangent 1000
    said = said_after(lines, plain=plain)
    assert "hides under the tangent" not in said and "still parts from the tangent" in said
    assert "hides" in said_after(["J = w^2", "at w=1", "plot"], plain=plain)
    assert "割线和切线还没有重合" in said_after(lines, lang="zh", plain=plain)


def test_shrinking_eps_means_a_smaller_one():
    said = said_after(["J = w^2", "at w=1", "eps 0.07", "plot"])
    assert "eps 0.1" not in said and "eps 0.007" in said
    assert "`eps 0.1`, then `eps 0.01`" in said_after(["J = w^2", "at w=1", "eps 0.5", "plot"])


def predicted(tmp_path, J, at, eps, guess, lang="en"):
    """A one-step predict lesson, the learner's guess typed in, the tutor's text out."""
    from derivtutor.teaching import lessons
    from derivtutor.teaching.runner import Runner

    path = tmp_path / "gap.toml"
    path.write_text(f'id = "gap"\ntitle = "Gap"\nsummary = "s"\n\n[[steps]]\nid = "p"\nkind = "predict"\n'
                    f'J = "{J}"\nat = {{ w = {at} }}\neps = {eps}\ntext = "Predict k."\n', encoding="utf-8")
    runner = Runner(lessons.load(path), lang=lang)
    runner.start()
    return " ".join(m.plain() for m in runner.answer(guess))


def test_a_prediction_near_k_is_not_called_near_the_derivative(tmp_path):
    said = predicted(tmp_path, "w^2", 3, 0.5, "6.5")  # k = 6.5, dJ/dw = 6: 8% away from it
    assert "of the exact derivative" not in said and "within 5% of the measured k" in said
    assert "与实际计算的 k 相差不到 5%" in predicted(tmp_path, "w^2", 3, 0.5, "6.5", lang="zh")
    assert "within 5% of the exact derivative" in predicted(tmp_path, "w^2", 3, 0.5, "6.1")


def test_no_gap_is_not_a_gap_that_shrinks(tmp_path):
    said = predicted(tmp_path, "sin(w)", 0, 1e-9, "1")  # k = 1.0 exactly; the ε term -ε²/6 is 1.7e-19
    assert "the gap 0" not in said and "a smaller ε shrinks it" not in said
    assert "less than a float can show" in said
    zh = predicted(tmp_path, "sin(w)", 0, 1e-9, "1", lang="zh")
    assert "小 0" not in zh and "比浮点数能表示的还小" in zh


@pytest.mark.parametrize("lang, wrong, right", [("en", "the ε term adds 0", "there is no ε term"),
                                                ("zh", "多出了 0", "没有含 ε 的项")])
def test_the_lab_gives_a_straight_line_no_eps_term_to_shrink(lang, wrong, right):
    from derivtutor.lab.lab_session import LabSession

    lab = LabSession(lang=lang)
    lines = ("J = 2*3", "J_epsilon = 2*(3 + 0.001)", "k = (J_epsilon - J)/0.001", "why")
    said = " ".join(m.text for line in lines for m in lab.answer(line) if m.kind == "say")
    assert wrong not in said and "2 = 2" not in said and right in said


@pytest.mark.parametrize("J, at, eps", [("2*w", 0.5, "0.5"), ("sin(w)", 0, "1e-9")])
def test_an_experiment_with_no_error_blames_nothing_for_it(tmp_path, J, at, eps):
    from derivtutor.teaching import lessons
    from derivtutor.teaching.runner import Runner

    path = tmp_path / "e.toml"
    path.write_text(f'id = "e"\ntitle = "E"\nsummary = "s"\n\n[[steps]]\nid = "p"\nkind = "experiment"\nask = "eps"\n'
                    f'J = "{J}"\nat = {{ w = {at} }}\ntext = "Pick eps."\nrounds = 3\n', encoding="utf-8")
    for lang, wrong, right in (("en", "Most of that error", "There is no error to explain"),
                               ("zh", "主要来自", "这里没有误差需要解释")):
        runner = Runner(lessons.load(path), lang=lang)
        runner.start()
        said = " ".join(m.plain() for m in runner.answer(eps))
        assert wrong not in said and right in said


def test_a_tiny_slope_on_a_value_of_one_is_not_called_a_tiny_value():
    said = show("1 + w/10^400", "w=0")  # J = 1; only dJ/dw = 10⁻⁴⁰⁰ is below the floats
    assert "too large" not in said and "overflow" not in said
    assert "Here dJ/dw is smaller than the smallest floating-point number" in said
    assert "J and dJ/dw are smaller" not in said

"""Free play as a conversation: lines in, messages out, for every command, mistake and odd function."""

import json
import re

import pytest

from derivtutor.algebra import cas, check, mathbuild, mathinput
from derivtutor.text.messages import Message  # noqa: E402
from derivtutor.play.play import ALIASES, COMMANDS, PlaySession  # noqa: E402
from derivtutor.progress.store import Store  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
BRAILLE = re.compile(r"[\u2800-\u28ff]")


def session(*lines, lang="en", store=None, plain=True):
    s = PlaySession(lang=lang, store=store, plain=plain, width=78)
    s.start()
    for line in lines:
        s.answer(line)
    return s


def text(messages):
    return "\n".join(m.plain() for m in messages)


def kinds(messages):
    return [m.kind for m in messages]


# --- the contract -----------------------------------------------------------------------------

def test_contract_attributes_and_history_suggestions():
    s = PlaySession()
    opening = s.start()
    assert opening and all(isinstance(m, Message) for m in opening)
    assert "J = x^2 sin(3x)" in text(opening)
    assert s.suggest_from_history is True
    assert s.done is False and s.hints_used == 0 and s.events == []
    assert s.position == (1, 1)
    assert s.prompt == ""
    assert set(COMMANDS) <= set(s.words)
    json.dumps(s.state())


def test_words_offer_the_functions_variables():
    s = session("J = (w x + b - y)^2/2")
    assert {"w", "x", "b", "y"} <= set(s.words)


def test_store_notices_open_the_session(tmp_path):
    store = Store.open(tmp_path)
    store.notices.append("could not save")
    opening = PlaySession(store=store).start()
    assert opening[0].kind == "error" and opening[0].text == "could not save"
    store.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_lists_every_command_with_an_example(lang):
    out = PlaySession(lang=lang).answer("help")
    listing = out[0].block
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\b", listing, re.M), command
    assert "at x=2" in listing and "eps 1e-6" in listing and "plot -2..4" in listing
    assert ("先输入" in listing) == (lang == "zh")


def test_chinese_aliases_are_commands():
    s = session("J = w^2", "at w=3")
    assert text(s.answer("帮助")) == text(s.answer("help"))
    assert all(alias_target in COMMANDS for alias_target in ALIASES.values())


# --- a function, the question, the answer ---------------------------------------------------------

def test_a_definition_is_echoed_then_the_derivative_is_asked():
    s = PlaySession()
    out = s.answer("J = x^2 sin(3x)")
    assert out[0].kind == "echo" and "x²·sin(3·x)" in out[0].text
    assert out[-1].kind == "question" and "dJ/dx" in out[-1].text
    assert s.prompt == "dJ/dx ="


@pytest.mark.parametrize("line", ["x^2 sin(3x)", "diff(x**2*sin(3*x), x)", "f(x) = x^2 sin(3x)"])
def test_other_ways_to_give_the_function(line):
    s = session(line)
    assert s.J == mathinput.read_expression("x^2 sin(3x)")
    assert s.awaiting and s.wrt_name == "x"


def test_sympy_subs_sets_the_point():
    s = session("diff(w**2, w).subs(w, 3)")
    assert s.at == {"w": 3}
    out = s.answer("show")
    assert "6.000999999999479" in text(out)


def test_wrong_answer_is_diagnosed_and_the_question_stays():
    s = session("J = x^2 sin(3x)", "at x=2")
    out = s.answer("2x sin(3x)")
    assert out[0].kind == "echo" and "2·x·sin(3·x)" in out[0].text
    feedback = next(m for m in out if m.kind == "feedback")
    expected = check.check_derivative(s.J, mathinput.read_expression("2x sin(3x)"), mathbuild.var("x"))
    # the diagnosis, without the corrected answer: free play gives that on `show`
    assert feedback.ok is False and "product rule with a term missing" in feedback.text
    assert "corrected" not in feedback.text and expected.mistake.code == "product_term_missing"
    assert "show" in text(out)
    assert s.awaiting and s.outcome == "wrong"


def test_right_answer_then_the_whole_explanation():
    s = session("J = x^2 sin(3x)", "at x=2")
    out = s.answer("2x sin(3x) + 3x^2 cos(3x)")
    assert out[1].kind == "feedback" and out[1].ok is True
    body = text(out)
    assert "Product rule" in body and "Chain rule" in body
    assert "10.404381447008689" in body                     # dJ/dx at 2, as a float
    assert "4·sin(6) + 12·cos(6)" in body                   # … and exactly
    assert "forward" in body and "central" in body and "error" in body
    assert not s.awaiting and s.outcome == "right"


def test_answer_form_dJ_dw():
    s = session("J = w^3", "at w=2")
    out = s.answer("dJ/dw = 3w^2")
    assert any(m.kind == "feedback" and m.ok for m in out)
    assert "12.006000999997823" in text(out)                # the labs' forward difference, ε = 0.001


def test_show_skips_the_question_and_counts_as_a_hint():
    s = session("J = 1/w^2", "at w=4")
    out = s.answer("show")
    body = text(out)
    assert "−2/w³" in body and "−1/32" in body and "-0.031238285155041345" in body
    assert s.hints_used == 1 and s.outcome == "shown" and not s.awaiting


def test_after_show_a_wrong_answer_is_tied_to_the_numbers():
    s = session("J = w^2", "at w=3", "3w")
    out = s.answer("show")
    assert "Your answer gives 9" in text(out)


def test_asking_sympy_for_the_same_derivative_gets_a_nudge():
    s = session("J = w^2")
    out = s.answer("diff(w^2, w)")
    assert "What do *you* think" in text(out)
    assert s.awaiting


# --- the point, ε, the variable ---------------------------------------------------------------------

@pytest.mark.parametrize("line", ["at w=3", "at w = 3", "let w = 3", "w = 3", "at 3"])
def test_ways_to_set_the_point(line):
    s = session("J = w^2", "show")
    out = s.answer(line)
    assert s.at == {"w": 3}
    assert out[0].kind == "progress" and "w = 3" in out[0].text
    assert "6.000999999999479" in text(out)          # the numbers follow once the question is answered


def test_several_coordinates_at_once_and_remembered():
    s = session("at w=2, b=1", "J = w b + b^2")
    assert s.at == {"w": 2, "b": 1}
    numbers = next(m for m in s.answer("show") if "exact" in m.data)
    assert numbers.data["exact"] == 1.0              # ∂J/∂w = b, at b = 1
    s.answer("J = w^2")
    assert s.at["w"] == 2                            # the point outlives the function


@pytest.mark.parametrize("line,needle", [("at", "at x=2"), ("at w", "at x=2"), ("at 2w=3", "not a variable"),
                                         ("at w=(", "parenthesis")])
def test_bad_points_are_explained(line, needle):
    s = session("J = w^2 + b")
    out = s.answer(line)
    assert out[0].kind == "error" and needle in text(out)


def test_eps_changes_the_differences():
    s = session("J = w^2", "at w=3", "show")
    out = s.answer("eps 1e-9")
    assert s.eps == 1e-9
    assert "6.000000496442226" in text(out)          # the labs' second ε
    assert "round-off" in text(out)
    s.answer("eps=0.5")
    assert s.eps == 0.5


@pytest.mark.parametrize("value", ["0", "-1", "100", "w", ""])
def test_bad_eps(value):
    s = session("J = w^2")
    out = s.answer(f"eps {value}")
    assert out[0].kind == "error" and "positive" in out[0].text
    assert s.eps == 0.001


def test_partials_with_wrt_and_the_gradient():
    s = session("J = (w x + b - y)^2/2", "at x=2, w=-2, b=8, y=1")
    assert s.wrt_name == "w" and s.prompt == "∂J/∂w ="
    out = s.answer("x (w x + b - y)")
    assert any(m.kind == "feedback" and m.ok for m in out)
    out = s.answer("wrt b")
    assert s.prompt == "∂J/∂b =" and out[-1].kind == "question"
    out = s.answer("w x + b - y")
    assert any(m.kind == "feedback" and m.ok for m in out)
    out = s.answer("grad")
    body = text(out)
    assert "∇J = (∂J/∂w, ∂J/∂b, ∂J/∂x, ∂J/∂y)" in body
    assert "∇J = (6, 3, −6, −3)" in body               # the labs' graph: ∂J/∂w = x·d = 6


def test_wrt_a_variable_J_lacks():
    s = session("J = w^2")
    out = s.answer("wrt z")
    assert "held constant" in text(out) and s.wrt_name == "w"
    assert s.answer("wrt 2")[0].kind == "error"


# --- table and plots --------------------------------------------------------------------------------

def test_table_is_a_block_from_1e_1_to_1e_15():
    s = session("J = w^2", "at w=3")
    out = s.answer("table")
    block = next(m for m in out if m.kind == "block")
    rows = block.data["rows"]
    assert [r[0] for r in rows] == [float(f"1e-{k}") for k in range(1, 16)]
    assert rows[2][1] == 6.000999999999479 and rows[8][1] == 6.000000496442226
    assert "1e-15" in block.block and "6.000999999999479" in block.block
    assert "Smallest error" in text(out)


def test_plot_errors_draws_the_V():
    s = session("J = x^2 sin(3x)", "at x=2")
    plain = text(s.answer("plot errors"))
    assert "round-off" in plain and "best ε" in plain and not BRAILLE.search(plain)
    fancy = session("J = x^2 sin(3x)", "at x=2", plain=False).answer("plot errors")
    assert BRAILLE.search(text(fancy))


def test_plot_shows_tangent_and_secant_and_suggests_a_wide_eps():
    s = session("J = w^2", "at w=3")
    out = s.answer("plot")
    body = text(out)
    assert "tangent, slope 6" in body and "secant, slope 6" in body
    assert "has slope 6 (the derivative)" in body and "has slope 6.001 (the forward difference)" in body
    assert "eps 0.5" in body and not BRAILLE.search(body)
    s.answer("eps 0.5")
    assert "secant, slope 6.5" in text(s.answer("plot"))


def test_plot_range_and_bad_range():
    s = session("J = w^2", "at w=3")
    out = s.answer("plot -2..4")
    assert "-2" in out[0].block and "4" in out[0].block
    assert s.answer("plot 4..-2")[0].kind == "error"
    assert s.answer("plot banana")[0].kind == "error"


def test_plot_without_a_point_still_draws_J():
    out = session("J = w^2").answer("plot")
    assert out[0].kind == "block" and "at w=1" in text(out)


# --- backprop ----------------------------------------------------------------------------------------

def test_graph_on_the_labs_first_example():
    s = session("J = (2+3w)^2", "at w=3")
    out = s.answer("graph")
    body = text(out)
    assert "a = 3·w + 2 = 11" in body and "J = a² = 121" in body
    assert "∂J/∂a = 2·a = 22" in body and "∂J/∂w = ∂a/∂w · ∂J/∂a = 3 · 22 = 66" in body
    checks = next(m for m in out if m.data.get("w"))
    assert checks.data["w"]["backprop"] == 66 and checks.data["w"]["symbolic"] == 66
    assert checks.data["w"]["fd"] == 66.0090000000082    # the labs' arithmetic check
    assert out[-1].kind == "feedback" and out[-1].ok


def test_graph_needs_every_input():
    out = session("J = w x", "at w=1").answer("graph")
    assert "at x=2" in text(out)


def test_graph_quiz_right_wrong_show_skip():
    s = session("J = (2+3w)^2", "at w=3")
    out = s.answer("graph quiz")
    assert out[-1].kind == "question" and "∂J/∂a" in out[-1].text
    assert s.prompt == "∂J/∂a =" and s.position == (1, 2)
    out = s.answer("5")
    assert out[0].kind == "feedback" and out[0].ok is False
    out = s.answer("2a")
    assert out[1].kind == "feedback" and out[1].ok is True and "22" in out[1].text
    assert s.position == (2, 2) and s.prompt == "∂a/∂w ="
    out = s.answer("skip")
    assert "∂a/∂w = 3" in text(out) and "1 of 2" in text(out)
    assert s.quiz is None and s.prompt == ""


def test_graph_quiz_show_reveals_and_a_full_score():
    s = session("J = (2+3w)^2", "at w=3", "graph quiz", "22")
    out = s.answer("3")
    assert "2 of 2" in text(out) and any(m.kind == "feedback" and m.ok for m in out)
    s = session("J = (2+3w)^2", "at w=3", "graph quiz")
    assert "∂J/∂a = 2·a = 22" in text(s.answer("show"))


def test_graph_quiz_answer_with_an_unknown_name():
    s = session("J = (2+3w)^2", "at w=3", "graph quiz")
    out = s.answer("2q")
    assert out[-1].kind == "error" and "q" in out[-1].text
    assert s.quiz is not None


# --- save ---------------------------------------------------------------------------------------

def test_save_a_function_got_wrong(tmp_path):
    store = Store.open(tmp_path)
    s = session("J = x^2 sin(3x)", "2x sin(3x)", store=store)
    out = s.answer("save")
    assert out[0].kind == "feedback" and out[0].ok
    cards = store.cards(kind="play")
    assert len(cards) == 1 and cards[0].payload == {"expr": "x^2 sin(3x)", "var": "x", "lang": "en"}
    store.close()


def test_save_refuses_a_right_or_untried_function(tmp_path):
    store = Store.open(tmp_path)
    s = session("J = w^2", store=store)
    assert "Answer the derivative first" in text(s.answer("save"))
    s.answer("2w")
    assert "nothing to review" in text(s.answer("save"))
    assert store.cards(kind="play") == []
    assert "not being saved" in text(session("J = w^2", "3w").answer("save"))
    store.close()


# --- bad input, odd functions, runaway work -------------------------------------------------------------------

def test_bad_input_shows_the_caret_and_the_session_goes_on():
    s = session("J = w^2")
    out = s.answer("2w +")
    assert out[0].kind == "error" and out[0].block.endswith("^")
    assert s.awaiting
    assert any(m.ok for m in s.answer("2w") if m.kind == "feedback")


def test_a_constant_gets_derivative_zero_with_a_note():
    s = PlaySession()
    out = s.answer("J = 5")
    assert "constant" in text(out) and "dJ/dw = 0" in text(out)
    assert not s.awaiting and not any(m.kind == "question" for m in out)
    assert "constant" in text(s.answer("table"))


def test_a_corner_is_explained_not_given_a_slope():
    s = session("J = |w|", "at w=0")
    out = s.answer("show")
    corner = next(m for m in out if m.kind == "feedback")
    assert corner.ok is False and "corner" in corner.text and "−1 from the left" in corner.text
    assert "sign(w) still gives 0 there" in text(out)   # SymPy's 0 at 0 is a convention, not a slope
    smooth = session("J = w |w|", "at w=0").answer("show")
    assert "corner" not in text(smooth)


@pytest.mark.parametrize("J,at", [("ln(w)", "w=-1"), ("ln(w)", "w=0"), ("1/w", "w=0")])
def test_undefined_points_are_explained(J, at):
    s = session(f"J = {J}", f"at {at}")
    out = s.answer("show")
    assert out[-1].kind == "error"
    for command in ("table", "plot errors", "graph"):
        assert s.answer(command)[-1].kind in ("error", "say")


def test_slope_undefined_where_J_is_defined():
    out = session("J = sqrt(w)", "at w=0").answer("show")
    assert out[-1].kind == "feedback" and out[-1].ok is False
    assert "not differentiable at w = 0" in out[-1].text and "vertical" in out[-1].text


def test_runaway_computation_gets_a_friendly_message(monkeypatch):
    from derivtutor.play import play_explain

    def slow(*args, **kwargs):
        raise cas.CasTimeout("timeout", 2.0)

    monkeypatch.setattr(play_explain, "derivation", slow)
    s = session("J = w^2")
    out = s.answer("show")
    assert out == [Message("error", s.t("timeout"))]
    assert s.answer("help")[0].block                   # still talking


def test_a_real_bug_is_not_swallowed(monkeypatch):
    from derivtutor.play import play_explain

    monkeypatch.setattr(play_explain, "table", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):             # the shell logs it and says so, without a traceback
        session("J = w^2", "at w=1").answer("table")


@pytest.mark.parametrize("word,suggestion", [("tabel", "table"), ("grpah", "graph"), ("shwo", "show"),
                                             ("hlep", "help")])
def test_unknown_command_did_you_mean(word, suggestion):
    out = session("J = w^2").answer(word)
    assert out[0].kind == "error" and f"`{suggestion}`" in out[0].text


def test_a_lone_unknown_word_is_not_silently_math():
    out = PlaySession().answer("hello")
    assert out[0].kind == "error" and "J = hello" in out[0].text


def test_commands_that_take_nothing_say_so():
    assert "takes nothing" in text(session("J = w^2").answer("table 3"))


def test_commands_before_any_function():
    s = PlaySession()
    for command in ("show", "table", "plot", "graph", "grad", "save"):
        assert "First give a function" in text(s.answer(command))


def test_quit_ends_the_session():
    s = PlaySession()
    s.answer("quit")
    assert s.done


# --- Chinese ---------------------------------------------------------------------------------------------

def test_a_whole_session_in_chinese():
    s = PlaySession(lang="zh", plain=True)
    lines = ["J = x^2 sin(3x)", "at x=2", "2x sin(3x)", "show", "table", "plot", "plot errors", "graph",
             "graph quiz", "skip", "grad", "wrt q", "eps 0", "tabel", "J = 5"]
    said = s.start()
    for line in lines:
        said += s.answer(line)
    prose = [m for m in said if m.kind in ("say", "question", "feedback", "error", "progress") and m.text]
    english = [m.text for m in prose if not CJK.search(m.text)]
    assert english == []


# --- state ----------------------------------------------------------------------------------------------

def test_state_round_trips_through_json():
    s = session("J = (w x + b)^2", "at w=2, x=1, b=0", "eps 1e-4", "wrt b")
    state = json.loads(json.dumps(s.state()))
    again = PlaySession(state=state)
    again.start()
    assert again.J == s.J and again.at == s.at and again.eps == 1e-4 and again.wrt_name == "b"


def test_overflow_is_explained_everywhere():
    s = session("J = exp(1000 w)", "at w=1")
    for command in ("show", "table", "plot errors", "grad", "graph"):
        out = s.answer(command)
        assert out[-1].kind == "error" and ("too large" in out[-1].text), command
    assert s.answer("plot")[0].kind == "block"


def test_farewell_for_the_shell_points_to_review_not_to_a_lesson():
    assert "derivtutor review" in PlaySession().farewell()[0].text
    assert "复习" in PlaySession(lang="zh").farewell()[0].text


def test_a_straight_line_is_never_off_by_zero():
    s = session("J = 2w", "at w=3")
    said = text(s.answer("show"))
    assert "off by 0" not in said and "straight line" in said
    s = session("J = w^2", "at w=3")
    assert "the forward one is off by" in text(s.answer("show"))


@pytest.mark.parametrize("lang,words", [("en", ("left to right", "right to left", "node left")),
                                        ("zh", ("从左到右", "从右往左"))])
def test_free_play_graphs_speak_of_the_drawings_direction(lang, words):
    """The graph is drawn top to bottom, so its passes go down and back up, never left or right."""
    s = session(lang=lang)
    said = "".join(text(s.answer(line)) for line in ("J = (2 + 3w)^2", "at w=3", "graph", "graph quiz", "skip"))
    assert "∂" in said and not [w for w in words if w in said], said

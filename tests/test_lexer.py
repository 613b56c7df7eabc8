"""The math lexer: every character is covered, and each kind of token gets its class."""

from hypothesis import given, strategies as st
from pygments.token import Keyword, Name, Number, Operator, Punctuation

from derivtutor.terminal.lexer import COMMANDS, FUNCTIONS, classname, tokens


def kinds(text):
    return [(tok, value) for tok, value in tokens(text) if value.strip()]


def test_numbers_variables_operators():
    assert kinds("3w^2 + 1/w") == [
        (Number, "3"), (Name.Variable, "w"), (Operator, "^"), (Number, "2"),
        (Operator, "+"), (Number, "1"), (Operator, "/"), (Name.Variable, "w"),
    ]


def test_scientific_and_decimal_numbers_are_one_token():
    assert kinds("1e-3 0.001 .5 6.000999999999479") == [
        (Number, "1e-3"), (Number, "0.001"), (Number, ".5"), (Number, "6.000999999999479"),
    ]


def test_functions_constants_and_punctuation():
    assert kinds("e^(2x)·sin(π)") == [
        (Name.Constant, "e"), (Operator, "^"), (Punctuation, "("), (Number, "2"),
        (Name.Variable, "x"), (Punctuation, ")"), (Operator, "·"), (Name.Function, "sin"),
        (Punctuation, "("), (Name.Constant, "π"), (Punctuation, ")"),
    ]


def test_a_function_name_inside_a_longer_name_is_a_variable():
    assert kinds("sine") == [(Name.Variable, "sine")]


def test_leibniz_marks_are_one_token():
    assert kinds("dJ/dw = 2w")[0] == (Name.Builtin, "dJ/dw")
    assert kinds("d/dw (w^3)")[0] == (Name.Builtin, "d/dw")
    assert kinds("∂J/∂a")[0] == (Name.Builtin, "∂J/∂a")


def test_superscripts_are_exponents_not_part_of_the_name():
    assert kinds("w²") == [(Name.Variable, "w"), (Number, "²")]


def test_unicode_names_and_greek():
    assert kinds("ε + w₁") == [(Name.Variable, "ε"), (Operator, "+"), (Name.Variable, "w₁")]


def test_a_command_alone_on_the_line_is_a_keyword():
    for word in COMMANDS:
        assert kinds(f"  {word} ") == [(Keyword, word)]
    assert kinds("hint w")[0] == (Name.Variable, "hint")


def test_every_function_is_recognised():
    for name in FUNCTIONS:
        assert kinds(f"{name}(w)")[0] == (Name.Function, name)


def test_classname_matches_prompt_toolkit():
    from prompt_toolkit.styles.pygments import pygments_token_to_classname

    for tok in (Number, Name.Variable, Name.Function, Operator, Keyword, Name.Builtin):
        assert classname(tok) == pygments_token_to_classname(tok)


@given(st.text(alphabet=st.characters(blacklist_characters="\r"), max_size=60))
def test_tokens_cover_the_text_exactly(text):
    # Pygments turns "\r" into "\n"; a prompt line never holds either.
    assert "".join(value for _, value in tokens(text)) == text

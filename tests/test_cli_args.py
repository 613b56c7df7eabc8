"""The command line as a learner or instructor types it: math that starts with a minus, and J as an answer."""

import pytest

from derivtutor.commands import cli


@pytest.mark.parametrize("argv,code,said", [
    (["check", "1/w^2", "-1/32", "--at", "w=4"], 0, "Correct: at w = 4"),
    (["check", "1/w^2", "-2/w^3"], 0, "Correct"),
    (["check", "--at", "w=-3", "w^2", "-6"], 0, "Correct"),
    (["check", "w^2", "-2w", "--wrt", "w"], 1, "sign"),
    (["explain", "-w^2", "--at", "w=3"], 0, "−w²"),
])
def test_an_answer_or_expression_may_begin_with_a_minus_sign(argv, code, said, capsys):
    assert cli.main(argv) == code
    out = capsys.readouterr()
    assert said in out.out + out.err
    assert "error: the following arguments are required" not in out.err


def test_an_unknown_option_is_still_an_option_error(capsys):
    with pytest.raises(SystemExit):
        cli.main(["check", "--nope", "w^2", "2w"])
    assert "--nope" in capsys.readouterr().err


@pytest.mark.parametrize("lang,said", [("en", "J, the function itself"), ("zh", "函数本身")])
def test_j_as_the_answer_is_named_not_judged_at_j_equals_2(lang, said, capsys):
    assert cli.main(["check", "w^3", "J", "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert said in err and "J = 2" not in err


def test_a_right_partial_derivative_is_called_a_partial(capsys):
    assert cli.main(["check", "w x + w^2", "x + 2w", "--wrt", "w"]) == 0
    assert "is ∂J/∂w" in capsys.readouterr().out
    assert cli.main(["check", "w^2", "2w"]) == 0
    assert "is dJ/dw" in capsys.readouterr().out


@pytest.mark.parametrize("answer,last_digit", [("5", False), ("11", False), ("9.005", True)])
def test_off_in_the_last_digit_only_when_there_was_something_to_round(answer, last_digit):
    from derivtutor.algebra import check
    from derivtutor.algebra.mathinput import read_number

    expected = read_number("12") if answer == "11" else read_number("6") if answer == "5" else read_number("9.006001")
    verdict = check.check_number(read_number(answer), expected, typed=answer)
    assert not verdict.correct
    assert ("last digit" in verdict.feedback) is last_digit


def test_every_command_names_functions_that_exist():
    for command in cli.COMMANDS:
        assert callable(cli._resolve(command.module)), command.name
        if command.arguments:
            assert callable(cli._resolve(command.arguments)), command.name

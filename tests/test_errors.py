"""One error base: every error a learner can cause says what went wrong in their language,
and a session knows it by its class, not by its name."""

import pytest

from derivtutor.teaching import answers
from derivtutor.algebra import calculus, cas, check, graph, mathinput
from derivtutor.interpreter import lab_text
from derivtutor.progress import store_file
from derivtutor.text.errors import TutorError
from derivtutor.play.play import PlaySession


@pytest.mark.parametrize("error", [mathinput.MathInputError, calculus.UndefinedAt, cas.CasTimeout,
                                   check.CheckError, graph.GraphError, answers.StepInvalid,
                                   store_file.StoreError, lab_text.LabError, lab_text.Refused, lab_text.NotNeeded])
def test_every_learner_error_is_a_tutor_error(error):
    assert issubclass(error, TutorError)


def test_a_typing_error_says_where_in_both_languages():
    with pytest.raises(TutorError) as caught:
        mathinput.read("w^^2")
    assert caught.value.localized("en") != caught.value.localized("zh")
    assert all(caught.value.localized(lang).strip() for lang in ("en", "zh"))


@pytest.mark.parametrize("lang,lines,words", [
    ("en", ["J = w^^2"], "^"),                                   # a typing error, with its caret
    ("zh", ["J = w^^2"], "^"),
    ("en", ["J = 1/(w-2)", "at w=2", "show"], "w = 2"),          # undefined at the point
    ("zh", ["J = ln(w)", "at w=-1", "show"], "w = −1"),
])
def test_free_play_turns_each_into_a_sentence_and_goes_on(lang, lines, words):
    s = PlaySession(lang=lang, plain=True, width=78)
    s.start()
    out = [m for line in lines for m in s.answer(line)]
    said = "\n".join(m.plain() for m in out)
    assert words in said and "Traceback" not in said and "Error" not in said
    assert any(m.kind == "error" or m.ok is False for m in out)
    assert s.answer("J = w^2") and s.J is not None  # the session goes on

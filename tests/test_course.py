"""The shipped course, driven end to end through the Runner, in both languages.

Scripted learners answer from the lesson's own data (through `kinds.expected`), so the
tests never hold a second hand-typed copy of an answer. The only numbers typed here are
the labs' printed floats, which the conversation must reproduce exactly.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from derivtutor.teaching import kinds, lessons, lint
from derivtutor.teaching.lesson_model import Lesson
from derivtutor.text.i18n import tr
from derivtutor.text.markup import strip_markup

from derivtutor.teaching import answers
from derivtutor.algebra import calculus, check, mathinput, mistakes
from derivtutor.teaching.runner import Runner
LANGS = ("en", "zh")
NUMBERS = (1, 2, 3, 4)
CASES = [pytest.param(lang, n, id=f"{lang}-lesson{n}") for lang in LANGS for n in NUMBERS]
# Long enough for any lesson whatever a learner types; a loop that hits it is a stuck lesson.
MAX_LINES = 400
LEFTOVER = re.compile(r"\{\w+(?::[^}]*)?\}")

# Floats the labs print; each must appear, digit for digit, when its lesson is done right.
LAB_NUMBERS = {
    1: ["6.000999999999479", "6.000000496442226"],
    2: ["4.000999999999699", "1.9999999999997797", "12.006000999997823", "-0.2498750624687629",
        "-0.031238285155041345", "-0.24981262492190792"],
    3: ["22.000999999988835", "3.0000000000001137", "66.0090000000082", "3.0004999999997395",
        "3.0005000000006277"],
}


def load(lang: str, n: int) -> Lesson:
    folder = lessons.shipped_dir() / ("" if lang == "en" else lang)
    return lessons.load(folder / f"lesson{n}.toml", lang)


def text_of(expr) -> str:
    """A SymPy result written the way a learner types it: 2.4 rather than 12/5."""
    if getattr(expr, "is_Rational", False) and not expr.is_Integer and _terminates(expr.q):
        return repr(float(expr))
    return str(expr).replace("**", "^")


def _terminates(q: int) -> bool:
    for p in (2, 5):
        while q % p == 0:
            q //= p
    return q == 1


# --- what a learner types ---------------------------------------------------------------

def right_lines(run: Runner) -> list[str]:
    """The right answer(s) to the current step, computed from the lesson's own data."""
    step = run.step
    if step.kind == "choice":
        return [str(step.get("answer"))]
    if step.kind == "code":  # a line of the labs' Python: the author's own working line
        return [step.get("solution")]
    if step.kind == "experiment":
        ask = step.get("ask")
        line = {"eps": lambda: repr(step.get("eps", 0.001)), "J": lambda: step.get("J"),
                "at": lambda: text_of(next(iter(answers.point(step.get("at"), run.saved).values())))}[ask]()
        return [line] * int(step.get("rounds", 1))
    expected = kinds.expected(run.lesson, step, run.saved)
    if isinstance(expected, answers.Computed):
        return [text_of(expected.exact) if expected.exact is not None else repr(expected.decimal)]
    if step.kind == "predict":
        return [text_of(calculus.value(expected, answers.point(step.get("at"), run.saved)).exact)]
    return [text_of(expected)]


def typical_mistake(run: Runner) -> str:
    """A wrong answer a learner really gives at this step."""
    step = run.step
    if step.kind == "choice":
        return str(next(i for i in range(1, len(step.get("options")) + 1) if i != step.get("answer")))
    if step.kind == "code":  # a line that runs and computes something else (no step expects it)
        return "12345"
    if step.kind == "derivative":
        return text_of(diagnosed_mistake(run)[0])
    if step.kind == "predict":
        # Predicting the cost instead of its rate of change.
        J = answers.expression(step.get("J"))
        return text_of(calculus.value(J, answers.point(step.get("at"), run.saved)).exact)
    expected = kinds.expected(run.lesson, step, run.saved)
    if step.kind == "expression":
        terms = expected.as_ordered_terms()
        return text_of(expected - terms[-1] if len(terms) > 1 else 2 * expected)  # a term lost
    value = expected.target
    return text_of(-value if value != 0 else 1)  # a sign slip


def diagnosed_mistake(run: Runner):
    """The first mistake-table answer for this J that differs from the right derivative."""
    step = run.step
    J = answers.expression(step.get("J"))
    wrt = answers.variable(J, step.get("wrt"))
    right = calculus.derivative(J, wrt)
    ctx = mistakes.Context(J, wrt, right, None)
    for row in mistakes.MISTAKES:
        if not row.symbolic or row.code == "wrong_variable":
            continue
        for wrong in row.make(ctx):
            verdict = check.check_derivative(J, wrong, wrt)
            if not verdict.correct and verdict.mistake is not None:
                return wrong, verdict.mistake, J, wrt
    raise AssertionError(f"no diagnosable mistake for {step.id}")


# --- helpers on messages ----------------------------------------------------------------

def texts(messages) -> list[str]:
    return [m.plain() for m in messages]


def assert_clean(messages, lang: str) -> None:
    """Nothing unfilled, no traceback, and (in Chinese) Chinese on the screen."""
    for m in messages:
        shown = m.plain()
        assert not LEFTOVER.search(shown), f"unfilled placeholder in: {shown!r}"
        assert "Traceback" not in shown
        if lang == "zh" and m.kind in ("say", "question", "hint", "error", "feedback", "echo") and m.text:
            assert has_cjk(m.text), f"untranslated text in the Chinese lesson: {m.text!r}"


def has_cjk(text: str) -> bool:
    return any(unicodedata.name(c, "").startswith("CJK") for c in text)


def step_key(run: Runner):
    return None if run.done else run.position


# --- the learners -------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def interface_language(request):
    """The CLI sets the interface language before a lesson starts; do the same here."""
    from derivtutor.text import i18n

    before = i18n.language()
    i18n.set_language(request.node.callspec.params.get("lang", "en") if hasattr(request.node, "callspec") else "en")
    yield
    i18n.set_language(before)


@pytest.mark.parametrize("lang,n", CASES)
def test_right_answers_finish_the_lesson_with_full_marks(lang, n):
    lesson = load(lang, n)
    run = Runner(lesson, lang=lang)
    transcript = run.start()
    lines = 0
    while not run.done:
        step, before = run.step, step_key(run)
        got = []
        for line in right_lines(run):
            got += run.answer(line)
            lines += 1
        assert lines < MAX_LINES
        assert not [m for m in got if m.kind == "error"], (step.id, texts(got))
        if step.kind != "experiment":
            assert any(m.kind == "feedback" and m.ok for m in got), (step.id, texts(got))
        assert step_key(run) != before, f"{step.id} did not move on"
        transcript += got
    assert_clean(transcript, lang)
    final = transcript[-1]
    assert final.kind == "feedback" and final.data["right"] == final.data["graded"]
    recap = run.fill(lesson.steps[-1].text, lesson.steps[-1])
    assert recap in [m.text for m in transcript]


@pytest.mark.parametrize("lang,n", CASES)
def test_typical_mistakes_get_a_diagnosis_then_the_answer(lang, n):
    run = Runner(load(lang, n), lang=lang)
    transcript = run.start()
    while not run.done:
        step, before = run.step, step_key(run)
        if step.kind == "experiment":
            bad = "2" if step.get("ask") != "J" else "w^"
            got = run.answer(bad)
            assert [m for m in got if m.kind == "error"], (step.id, texts(got))
            assert step_key(run) == before
            for line in right_lines(run):
                got += run.answer(line)
            transcript += got
            continue
        wrong = typical_mistake(run)
        reveal = revealed_answer(run) if step.kind != "predict" else ""
        diagnosed = diagnosed_mistake(run) if step.kind == "derivative" else None
        first = run.answer(wrong)
        feedback = [m for m in first if m.kind == "feedback"]
        assert feedback and feedback[0].ok is False and feedback[0].text, (step.id, texts(first))
        if step.kind == "derivative":
            _, mistake, J, wrt = diagnosed
            assert tr(mistake.message, lang, wrt=wrt.name, point="") in feedback[0].text, (step.id, feedback[0].text)
        got = list(first)
        while step_key(run) == before:
            got += run.answer(wrong)
            assert len(got) < MAX_LINES
        if step.kind == "predict":
            assert any(m.kind == "block" for m in first)  # prediction, measured k, exact side by side
        else:
            assert any(reveal in m.plain() for m in got), (step.id, reveal, texts(got))
        transcript += got
    assert_clean(transcript, lang)
    assert transcript[-1].data["right"] < transcript[-1].data["graded"]


def revealed_answer(run: Runner) -> str:
    """How the right answer reads on screen once the tutor gives it away."""
    step = run.step
    if step.kind == "choice":
        return strip_markup(run.fill(step.get("options")[step.get("answer") - 1], step))
    expected = kinds.expected(run.lesson, step, run.saved)
    if isinstance(expected, answers.Computed):
        return expected.shown()
    return mathinput.show(expected)


@pytest.mark.parametrize("lang,n", CASES)
def test_skip_at_every_step_reaches_the_recap(lang, n):
    lesson = load(lang, n)
    run = Runner(lesson, lang=lang)
    transcript = run.start()
    while not run.done:
        before = step_key(run)
        transcript += run.answer("skip")
        assert step_key(run) != before
        assert len(transcript) < MAX_LINES
    assert not [m for m in transcript if m.kind == "error"], texts(transcript)
    assert_clean(transcript, lang)
    recap = run.fill(lesson.steps[-1].text, lesson.steps[-1])
    assert recap in [m.text for m in transcript]


@pytest.mark.parametrize("n", sorted(LAB_NUMBERS))
def test_the_labs_numbers_are_reproduced_exactly(n):
    run = Runner(load("en", n), lang="en")
    shown = "\n".join(texts(run.start()))
    while not run.done:
        for line in right_lines(run):
            shown += "\n" + "\n".join(texts(run.answer(line)))
    shown = shown.replace("−", "-")
    for number in LAB_NUMBERS[n]:
        assert number in shown, f"lesson{n} never shows {number}"


# --- the files themselves ---------------------------------------------------------------------

def test_lint_passes_on_every_shipped_lesson():
    assert lint.lint([str(lessons.shipped_dir())]) == []


@pytest.mark.parametrize("n", NUMBERS)
def test_the_chinese_lesson_asks_the_same_questions(n):
    """Same ids, kinds and math in the same order: progress and review cards are shared."""
    en, zh = load("en", n), load("zh", n)
    assert en.id == zh.id
    assert en.values == zh.values and en.graphs == zh.graphs
    prose = {"text", "hints", "why", "after", "options", "explain", "anticipate"}  # anticipate: its `say` is prose
    pairs = list(zip([s for s in en.steps if s.graded], [s for s in zh.steps if s.graded], strict=True))
    for a, b in pairs:
        assert (a.id, a.kind) == (b.id, b.kind)
        assert {k: v for k, v in a.fields.items() if k not in prose} == \
               {k: v for k, v in b.fields.items() if k not in prose}, a.id
        assert len(a.get("options") or []) == len(b.get("options") or [])
        assert len(a.get("hints") or []) == len(b.get("hints") or [])
        assert [x["answer"] for x in a.get("anticipate") or []] == [x["answer"] for x in b.get("anticipate") or []]


@pytest.mark.parametrize("lang,n", CASES)
def test_a_lesson_is_a_conversation_of_the_right_length(lang, n):
    lesson = load(lang, n)
    assert 12 <= len(lesson.steps) <= 30
    assert lesson.steps[-1].kind == "say"
    graded = [s for s in lesson.steps if s.graded]
    assert len(graded) * 2 > len(lesson.steps), "mostly the learner's turn, not the tutor's"

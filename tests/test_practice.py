"""Practice: generated questions per skill, judged like a lesson; mastery that moves with answers."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest
import sympy
from hypothesis import given, settings, strategies as st

from derivtutor.progress import mastery, practice_gen, practice_judge
from derivtutor.algebra import mathprinter
from derivtutor.teaching import skills
from derivtutor.progress.practice import PracticeSession, QuestionItem, answer_text, resolve_skill
from derivtutor.progress.store import Store


def right_answer(q) -> str:
    """What a learner who knows the answer types (computed here from sympy.diff, not from q.expected)."""
    d = sympy.diff(q.J, q.wrt)
    a = q.at.get(q.wrt)
    if q.kind == "derivative":
        return mathprinter.show(d)
    if q.kind in ("value", "predict", "backprop"):
        return mathprinter.show(d.subs(q.at))
    if q.kind == "forward":
        return mathprinter.show((q.J.subs(q.wrt, a + q.eps) - q.J.subs(q.wrt, a)) / q.eps)
    if q.kind == "central":
        return mathprinter.show((q.J.subs(q.wrt, a + q.eps) - q.J.subs(q.wrt, a - q.eps)) / (2 * q.eps))
    if q.kind == "gradient_step":
        return mathprinter.show(a - q.alpha * d.subs(q.at))
    assert q.kind == "choose_eps"
    f, x, exact = sympy.lambdify(q.wrt, q.J, "math"), float(a), float(d.subs(q.at))

    def error(e):
        k = (f(x + e) - f(x - e)) / (2 * e) if q.central else (f(x + e) - f(x)) / e
        return abs(k - exact)
    errors = [error(e) for e in q.options]
    return str(errors.index(min(errors)) + 1)


def expected_from_diff(q):
    d = sympy.diff(q.J, q.wrt)
    a = q.at.get(q.wrt)
    return {
        "derivative": lambda: d,
        "value": lambda: d.subs(q.at), "predict": lambda: d.subs(q.at), "backprop": lambda: d.subs(q.at),
        "forward": lambda: (q.J.subs(q.wrt, a + q.eps) - q.J.subs(q.wrt, a)) / q.eps,
        "central": lambda: (q.J.subs(q.wrt, a + q.eps) - q.J.subs(q.wrt, a - q.eps)) / (2 * q.eps),
        "gradient_step": lambda: a - q.alpha * d.subs(q.at),
        "choose_eps": lambda: sympy.Integer(int(right_answer(q))),
    }[q.kind]()


# ---- every generated question is right, for every skill ------------------------------------------

@settings(max_examples=40, deadline=None)
@given(st.sampled_from(skills.IDS), st.integers(0, 10**6), st.sampled_from(practice_gen.LEVELS))
def test_every_expected_answer_is_what_sympy_diff_gives(skill, seed, level):
    q = practice_gen.generate(skill, random.Random(seed), level)
    assert sympy.simplify(q.expected - expected_from_diff(q)) == 0
    assert skill in q.tags and set(q.tags) <= set(skills.IDS)
    if q.at:  # defined, and real, where it is asked
        assert q.expected.is_real and q.expected.is_finite
    # the judge agrees: the right answer, typed as text, is right; one more is not
    assert practice_judge.judge(q, right_answer(q), "en").correct is True
    if q.answer in ("number", "derivative"):
        assert practice_judge.judge(q, f"{right_answer(q)} + 1", "en").correct is False


@pytest.mark.parametrize("skill", skills.IDS)
def test_every_skill_has_readable_questions_at_every_level(skill):
    for level in practice_gen.LEVELS:
        q = practice_gen.generate(skill, random.Random(level), level)
        ints = [abs(n) for n in q.J.atoms(sympy.Integer)]
        assert q.J.has(q.wrt) and max(ints, default=0) <= 20
        if q.answer == "derivative":
            assert q.expected != 0


def test_a_chain_question_always_uses_the_chain_rule():
    from derivtutor.algebra import steps

    for seed in range(40):
        q = practice_gen.generate("chain", random.Random(seed), 1 + seed % 3)
        assert "chain" in skills.rule_names(steps.derive(q.J, q.wrt))


# ---- sessions: typed lines in, tutor lines out ------------------------------------------------

def questions(session) -> list[str]:
    return [mathprinter.show(q.J) for q in session.asked]


def play(session, lines):
    out = session.start()
    for line in lines:
        out += session.answer(line)
    return out


def test_practice_chain_asks_different_functions_and_a_second_run_others():
    first = PracticeSession("chain", seed=11)
    play(first, ["skip"] * 5)
    assert len(first.asked) == 6 and len(set(questions(first))) >= 4
    second = PracticeSession("chain", seed=12)
    play(second, ["skip"] * 5)
    assert questions(second) != questions(first)


def test_two_runs_with_one_seed_are_identical():
    a, b = PracticeSession("product", seed=5), PracticeSession("product", seed=5)
    assert [m.text for m in play(a, ["skip", "w", "skip"])] == [m.text for m in play(b, ["skip", "w", "skip"])]


def test_runs_without_a_seed_differ():
    assert PracticeSession("trig").seed != PracticeSession("trig").seed


def first_question(skill, seed=1, lang="en"):
    s = PracticeSession(skill, lang=lang, seed=seed)
    s.start()
    return s, s.asked[0]


def test_a_right_answer_is_right_and_the_next_question_comes():
    s, q = first_question("power")
    out = s.answer(right_answer(q))
    assert any(m.kind == "feedback" and m.ok for m in out) and len(s.asked) == 2
    [e] = s.events
    assert e["correct"] and e["outcome"] == "first_try" and e["attempts"] == 1 and "power" in e["skills"]


def test_a_wrong_answer_names_the_mistake_and_three_misses_show_the_answer():
    s, q = first_question("chain", seed=2)
    wrong = s.answer("0")
    assert any(m.kind == "feedback" and m.ok is False for m in wrong) and "Try again (2 more)" in wrong[-1].text
    s.answer("1")
    last = s.answer("2")
    assert any(answer_text(q) in m.text for m in last) and s.events[0]["outcome"] == "revealed"
    assert len(s.asked) == 2


def test_the_commands_of_a_lesson_work_in_practice_in_both_languages():
    s, q = first_question("quotient", lang="zh")
    assert s.answer("帮助")[0].block.startswith("回答问题")
    assert s.answer("提示")[0].kind == "hint" and s.hints_used == 1
    assert s.answer("为什么")[0].text.startswith("还没有")  # nothing answered yet
    skipped = s.answer("跳过")
    assert "答案是" in skipped[0].text and len(s.asked) == 2
    why = s.answer("why")  # now: the working of the question just skipped
    assert why[0].text == "按法则逐步推导：" and "商法则" in why[1].block
    assert s.answer("重复")[0].kind == "question"
    assert s.answer("退出")[0].kind == "progress" and s.done


def test_hints_end_in_the_answer_and_a_typo_is_not_a_try():
    item = QuestionItem(practice_gen.generate("power", random.Random(3), 1))
    item.start()
    assert item.answer("3w^(2")[0].kind == "error" and item.attempts == 0
    hints = [item.answer("hint") for _ in range(3)]
    assert item.done and item.events[0]["revealed"] and answer_text(item.q) in hints[-1][0].text


def test_a_typed_why_is_a_command_never_w_times_h_times_y():
    item = QuestionItem(practice_gen.generate("sum", random.Random(4), 1))
    item.start()
    assert [m.kind for m in item.answer("why")] == ["say"] and item.attempts == 0


def test_choose_eps_takes_the_number_or_the_eps():
    q = practice_gen.generate("choose_eps", random.Random(8), 1)
    best = practice_gen.eps_text(q.options[int(q.expected) - 1])
    assert practice_judge.judge(q, best, "en").correct and practice_judge.judge(q, str(int(q.expected)), "en").correct
    assert practice_judge.judge(q, "7", "en").correct is None


def test_skill_names_are_found_from_what_is_typed():
    assert resolve_skill("chain") == "chain" and resolve_skill("链式法则") == "chain"
    assert resolve_skill("gradient-step") == "gradient_step" and resolve_skill("nonsense") is None


# ---- mastery ------------------------------------------------------------------------------

def test_mastery_rises_after_right_answers_and_falls_after_misses():
    s = Store.memory()
    session = PracticeSession("power", seed=3, store=s)
    session.start()
    for _ in range(3):
        session.answer(right_answer(session.asked[-1]))
    up = s.mastery()["power"]["level"]
    assert up > mastery.PRIOR and s.mastery()["power"]["answered"] == 3
    session.answer("skip")
    assert s.mastery()["power"]["level"] < up
    lines = mastery.progress_lines(s.mastery(), "en", chart=False)
    assert any(line.startswith("power rule: ") for line in lines)
    zh = mastery.progress_lines(s.mastery(), "zh", chart=True)
    assert zh[0] == "各技能掌握程度" and any("幂法则" in line and "█" in line for line in zh)


def test_first_tries_weigh_most_and_recent_answers_more_than_old():
    assert mastery.evidence({"outcome": "first_try"}) == (1.0, 1.0)
    assert mastery.evidence({"outcome": "revealed"})[1] < 1.0
    assert mastery.evidence({"correct": True, "hints": 1, "attempts": 1})[1] < 1.0
    old_miss = mastery.fold([{"skills": ["sum"], "outcome": "wrong"}] + [{"skills": ["sum"], "outcome": "first_try"}] * 2)
    new_miss = mastery.fold([{"skills": ["sum"], "outcome": "first_try"}] * 2 + [{"skills": ["sum"], "outcome": "wrong"}])
    assert old_miss["sum"]["level"] > new_miss["sum"]["level"]


def test_a_lesson_answer_right_after_one_wrong_try_is_not_a_first_try():
    # the runner counts wrong tries: 0 is right at once, 1 is right after one miss
    assert mastery.evidence({"kind": "derivative", "correct": True, "attempts": 0}) == (1.0, 1.0)
    assert mastery.evidence({"kind": "derivative", "correct": True, "attempts": 1})[0] == 0.5
    assert mastery.evidence({"kind": "predict", "correct": True, "attempts": 1}) == (1.0, 1.0)
    assert mastery.evidence({"kind": "play", "correct": True, "attempts": 2})[0] == 0.5


def test_difficulty_rises_with_mastery():
    levels = [mastery.difficulty(x) for x in (None, 0.3, 0.6, 0.9)]
    assert levels == sorted(levels) and levels[0] == 1 and levels[-1] == 3


def test_the_weakest_skill_is_practised_first():
    known = {"power": {"level": 0.9, "answered": 4}, "chain": {"level": 0.2, "answered": 2}}
    assert mastery.weakest(known) == "chain"
    assert mastery.weakest({}) == skills.IDS[0]


def test_lesson_answers_are_tagged_from_the_lesson_and_move_mastery():
    s = Store.memory()
    s.record({"lesson": "lesson2", "step": "d-w3", "kind": "derivative", "correct": True, "attempts": 0, "hints": 0})
    assert s.mastery()["power"]["answered"] == 1
    s.record({"lesson": "lesson3", "step": "lab-dJ-dw", "kind": "graph", "correct": False, "attempts": 3})
    assert {"backprop", "chain"} <= set(s.mastery())
    s.clear("lesson3")
    assert "backprop" not in s.mastery() and "power" in s.mastery()


def test_practice_answers_make_no_review_card():
    s = Store.memory()
    session = PracticeSession("trig", seed=1, store=s)
    session.start()
    session.answer("skip")
    assert s.cards() == [] and s.attempts()[0]["mode"] == "practice"


# ---- the command, in a pipe ---------------------------------------------------------------------

def cli(home, *args, stdin=""):
    env = {**os.environ, "DERIVTUTOR_HOME": str(home), "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "derivtutor", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=60)


def test_practice_in_a_pipe_then_progress_and_export(tmp_path):
    done = cli(tmp_path, "practice", "chain", "--seed", "4", stdin="skip\nskip\n")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert done.stdout.count("Find dJ/dw") == 3 and "Skipped. The answer was" in done.stdout
    again = cli(tmp_path, "practice", "chain", "--seed", "4", stdin="skip\nskip\n")
    asked = [line for line in done.stdout.splitlines() if "Find dJ/dw" in line]
    assert asked == [line for line in again.stdout.splitlines() if "Find dJ/dw" in line]
    progress = cli(tmp_path, "progress", "--plain")
    assert "Mastery by skill" in progress.stdout and "chain rule: " in progress.stdout
    exported = cli(tmp_path, "export")
    import json

    doc = json.loads(exported.stdout)
    assert doc["mastery"]["chain"]["answered"] >= 2 and {s["id"] for s in doc["skills"]} == set(skills.IDS)


def test_practice_without_a_skill_takes_the_weakest(tmp_path):
    with Store.open(tmp_path) as s:
        s.record({"lesson": "practice", "step": "x", "kind": "practice", "mode": "practice", "correct": False,
                  "skills": ["quotient"]})
        for skill in skills.IDS:
            if skill != "quotient":
                s.record({"lesson": "practice", "step": "x", "kind": "practice", "mode": "practice",
                          "correct": True, "outcome": "first_try", "skills": [skill]})
    done = cli(tmp_path, "practice", "--seed", "2", stdin="")
    assert "Practice on your weakest skill: quotient rule (mastery 35%)" in done.stdout


def test_practice_in_chinese_and_an_unknown_skill(tmp_path):
    zh = cli(tmp_path, "practice", "--lang", "zh", "--seed", "1", stdin="跳过\n")
    assert "练习一个你还没练过的技能：幂法则" in zh.stdout and "已跳过。答案是" in zh.stdout
    bad = cli(tmp_path, "practice", "nonsense")
    assert bad.returncode == 1 and "no skill `nonsense`" in bad.stderr and "Traceback" not in bad.stderr

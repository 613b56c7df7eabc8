"""Review as a learner meets it: typed lines in, tutor lines out."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

from derivtutor.teaching import lessons
from derivtutor.progress.review import ReviewSession
from derivtutor.progress.schedule import utc
from derivtutor.teaching.runner import Runner
from derivtutor.progress.store import Store


def text(messages) -> str:
    return "\n".join(m.plain() for m in messages)


def miss(store, lesson_id, step_id, wrong="0"):
    """Answer one lesson question wrong three times, as a learner in the lesson would."""
    runner = Runner(lessons.find(lesson_id), only=[step_id])
    runner.start()
    while not runner.done:
        runner.answer(wrong)
    for event in runner.events:
        store.record(event)


def test_a_missed_question_is_offered_at_once_with_its_function():
    s = Store.memory()
    miss(s, "lesson2", "d-w3", wrong="3w")
    session = ReviewSession.from_store(s)
    opening = text(session.start())
    assert "Nothing is due for review." in opening and "Next review due" in opening
    assert "here are the 1 question(s) due soonest" in opening
    assert "Review 1 of 1: Symbolic derivatives" in opening and "lesson2" not in opening
    assert "J = w³" in opening and not session.done
    closing = text(session.answer("3w^2"))
    assert "Review done: 1 of 1" in closing and "Practice on a skill you have not practised yet" in closing
    assert session.prompt == "dJ/dw =" and not session.done


def test_a_card_restates_the_function_and_point_a_choice_step_leaves_implicit():
    s = Store.memory()
    miss(s, "lesson1", "why-not-six", wrong="1")
    opening = text(ReviewSession.from_store(s).start())
    assert "From “What a derivative is”: J = w², at w = 3, ε = 0.001." in opening


def test_the_lessons_after_text_is_not_replayed_on_a_card():
    s = Store.memory()
    miss(s, "lesson1", "slope-at-3", wrong="5")
    session = ReviewSession.from_store(s)
    session.start()
    out = text(session.answer("6"))
    assert "Right" in out and "Every nudge result we saw" not in out


def test_review_all_without_a_lesson_redoes_every_question_missed_first():
    s = Store.memory()
    s.record({"lesson": "lesson2", "step": "d-w2", "kind": "derivative", "correct": True, "attempts": 0})
    miss(s, "lesson2", "d-w3", wrong="3w")
    s.record({"lesson": "lesson1", "step": "J-at-3", "kind": "number", "correct": True, "attempts": 0})
    session = ReviewSession.from_store(s, redo_all=True)
    assert [c.step for c in session.cards][0] == "d-w3" and {c.step for c in session.cards} == {"d-w2", "d-w3", "J-at-3"}
    assert "Every question again: 3, missed ones first." in text(session.start())


def test_review_all_of_a_lesson_puts_the_missed_ones_first():
    s = Store.memory()
    miss(s, "lesson2", "d-inv", wrong="1/w")
    session = ReviewSession.from_store(s, "lesson2", redo_all=True)
    graded = [st.id for st in lessons.find("lesson2").steps if st.graded]
    assert session.cards[0].step == "d-inv" and sorted(c.step for c in session.cards) == sorted(graded)


def test_review_all_with_nothing_answered_is_every_graded_question_of_every_lesson():
    session = ReviewSession.from_store(Store.memory(), redo_all=True)
    every = sum(1 for lesson in lessons.available("en") for st in lesson.steps if st.graded)
    assert len(session.cards) == every > 50


def test_a_saved_free_play_function_comes_up_with_the_lesson_commands():
    s = Store.memory()
    s.save_play("w^3", "w")
    s.save_play("sin(2w)", "w")
    session = ReviewSession.from_store(s)
    opening = text(session.start())
    assert "2 question(s) to review" in opening and "From your free play" in opening
    assert "Answer the question, or type a command" in text(session.answer("help"))
    assert session.answer("hint")[0].kind == "hint"
    assert text(session.answer("why")).startswith("There is nothing more to explain yet")  # not w·h·y
    skipped = text(session.answer("skip"))
    assert "Skipped. The answer was dJ/dw = " in skipped and "Review 2 of 2: free play" in skipped
    why = text(session.answer("why"))  # the card just skipped, as `why` works in a lesson
    assert "The working, rule by rule" in why
    assert "Review done" in text(session.answer("2cos(2w)"))
    assert [e["outcome"] for e in session.results] == ["skipped", "first_try"]
    assert [a["mode"] for a in s.attempts()] == ["review", "review"]


def test_nothing_to_review_at_all_goes_straight_to_practice():
    s = Store.memory()
    session = ReviewSession.from_store(s)
    out = text(session.start())
    assert "Nothing is due for review." in out and "Practice on a skill you have not practised yet: power rule" in out
    assert not session.done and "Question 1" in out
    assert "Practice ended" in text(session.answer("quit")) and session.done


def test_after_the_due_cards_come_the_soonest_then_practice():
    s = Store.memory()
    s.clock.now = (utc() - timedelta(days=2)).timestamp()
    s.record({"lesson": "lesson2", "step": "d-w2", "kind": "derivative", "correct": False, "attempts": 1})
    s.clock.now = None
    miss(s, "lesson2", "d-w3", wrong="3w")  # just missed: due in ten minutes
    session = ReviewSession.from_store(s)
    assert [c.step for c in session.cards] == ["d-w2", "d-w3"]
    opening = text(session.start())
    assert "1 question(s) to review" in opening and "J = w²" in opening
    middle = text(session.answer("2w"))
    assert "here are the 1 question(s) due soonest" in middle and "J = w³" in middle
    end = text(session.answer("3w^2"))
    assert "Review done: 2 of 2" in end and "Practice on a skill you have not practised yet" in end
    assert "d/dw w³ = 3·w²" in text(session.answer("why"))  # `why` before any practice: the card just answered


def test_the_summary_names_a_missed_card_by_title_and_function():
    s = Store.memory()
    s.save_play("w^2 sin(w)", "w")
    session = ReviewSession.from_store(s)
    session.start()
    out = text(session.answer("skip"))
    assert "To look at again: free play (J = w^2 sin(w))." in out


def test_nothing_due_offers_the_soonest_cards_not_the_far_ones():
    s = Store.memory()
    s.clock.now = (utc() - timedelta(minutes=1)).timestamp()
    for step in ("d-w2", "d-2w", "d-w3", "d-inv", "d-inv2", "d-w2-at-2"):
        s.record({"lesson": "lesson2", "step": step, "kind": "derivative", "correct": True, "attempts": 0})
    s.clock.now = None
    session = ReviewSession.from_store(s)
    assert len(session.cards) == 5


def cli(home, *args, stdin=""):
    env = {**os.environ, "DERIVTUTOR_HOME": str(home), "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "derivtutor", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=60)


def test_review_in_a_pipe_in_chinese(tmp_path):
    with Store.open(tmp_path) as s:
        s.save_play("w^2 + 1", "w")
    done = cli(tmp_path, "review", "--lang", "zh", stdin="为什么\n帮助\n提示\n跳过\n退出\n")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    out = done.stdout
    assert "来自自由练习" in out and "J = w^2 + 1" in out and "回答问题，或者输入命令" in out
    assert "提示 1/" in out and "已跳过。答案是 dJ/dw = 2·w" in out and "复习完成" in out

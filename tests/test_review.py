"""Review scheduling (pure: cards and events in, cards and dates out) and the review session."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from derivtutor.progress import review, schedule
from derivtutor.text.messages import Message
from derivtutor.text.session import SessionParts
from derivtutor.progress.review import ReviewSession
from derivtutor.progress.schedule import AGAIN, GOOD, HARD, ReviewCard
from derivtutor.progress.store import Store

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def ev(step="q", lesson="lesson1", **over):
    base = dict(lesson=lesson, step=step, kind="number", correct=True, attempts=1, hints=0, revealed=False)
    base.update(over)
    return base


def card(step, due, rating=GOOD, lesson="lesson1"):
    return ReviewCard("lesson", lesson, step, card=None, due=due.isoformat(), last_rating=rating, reps=1)


# ---- ratings ---------------------------------------------------------------------------------

@pytest.mark.parametrize("event, rating", [
    (ev(), GOOD),
    (ev(correct=False), AGAIN),
    (ev(correct=True, revealed=True), AGAIN),
    (ev(correct=True, hints=1), HARD),
    (ev(correct=True, attempts=2), HARD),
    (ev(correct=False, hints=3), AGAIN),
])
def test_rating_from_an_answered_step(event, rating):
    assert int(schedule.rating_for(event)) == rating


def test_missing_keys_rate_as_again():
    assert int(schedule.rating_for({"lesson": "l", "step": "s"})) == AGAIN


# ---- cards -----------------------------------------------------------------------------------

def test_a_wrong_answer_comes_back_in_ten_minutes():
    after = schedule.card_after(None, AGAIN, NOW)
    assert datetime.fromisoformat(after["due"]) == NOW + timedelta(minutes=10)


def test_a_hard_answer_comes_back_sooner_than_a_good_one():
    hard = datetime.fromisoformat(schedule.card_after(None, HARD, NOW)["due"])
    good = datetime.fromisoformat(schedule.card_after(None, GOOD, NOW)["due"])
    assert NOW < hard < NOW + timedelta(days=1) <= good


def test_good_answers_push_the_card_further_each_time():
    c, when, gaps = None, NOW, []
    for _ in range(4):
        c = schedule.card_after(c, GOOD, when)
        due = datetime.fromisoformat(c["due"])
        gaps.append(due - when)
        when = due
    assert gaps == sorted(gaps) and gaps[-1] > gaps[0]


def test_scheduling_is_reproducible():
    assert schedule.card_after(None, GOOD, NOW) == schedule.card_after(None, GOOD, NOW)


def test_card_after_needs_utc():
    local = datetime(2024, 5, 1, 12, 0)
    with pytest.raises(ValueError):
        schedule.card_after(None, GOOD, local)
    assert schedule.utc(0).tzinfo == timezone.utc


# ---- which cards, in which order ---------------------------------------------------------------

def test_due_cards_are_missed_first_then_most_overdue():
    cards = [
        card("late-good", NOW - timedelta(days=3)),
        card("missed-recent", NOW - timedelta(minutes=1), AGAIN),
        card("future", NOW + timedelta(hours=1), AGAIN),
        card("good-recent", NOW - timedelta(hours=1)),
        card("missed-old", NOW - timedelta(days=1), AGAIN),
    ]
    assert [c.step for c in schedule.due_cards(cards, NOW)] == ["missed-old", "missed-recent", "late-good", "good-recent"]


@given(st.lists(st.tuples(st.integers(-10_000, 10_000), st.sampled_from([AGAIN, HARD, GOOD])), max_size=30))
def test_due_cards_are_exactly_the_due_ones_with_missed_before_the_rest(rows):
    cards = [card(f"s{i}", NOW + timedelta(minutes=m), r) for i, (m, r) in enumerate(rows)]
    due = schedule.due_cards(cards, NOW)
    assert {c.step for c in due} == {c.step for c in cards if c.due_at <= NOW}
    flags = [c.missed for c in due]
    assert flags == sorted(flags, reverse=True)


def test_next_due_counts_answers_not_yet_stored():
    stored = [card("a", NOW + timedelta(days=5)), card("b", NOW - timedelta(hours=1), AGAIN)]
    assert schedule.next_due(stored, now=NOW) == NOW - timedelta(hours=1)
    after = schedule.next_due(stored, [ev("b", correct=False)], now=NOW)
    assert after == NOW + timedelta(minutes=10)
    assert schedule.next_due([], now=NOW) is None


def test_next_due_agrees_with_what_the_store_then_records():
    s = Store.memory()
    s.clock.now = NOW.timestamp()
    s.record(ev("a", correct=False))
    answer = ev("a", correct=True, hints=1)
    predicted = schedule.next_due(s.cards(), [answer], now=NOW)
    s.record(answer)
    assert s.cards()[0].due_at == predicted


# ---- summary ---------------------------------------------------------------------------------

def test_summary_says_the_score_what_to_revisit_and_when():
    results = [ev("a"), ev("b", correct=False), ev("c", hints=1)]
    when = datetime(2024, 5, 3, 9, 30, tzinfo=timezone.utc)
    msgs = review.summary(results, when, "en")
    text = "\n".join(m.text for m in msgs)
    assert "1 of 3 right" in text and "lesson1/b" in text and "lesson1/c" not in text
    assert review.local_time(when) in text and review.local_time(when).startswith("2024-05-0")


def test_summary_in_chinese_and_without_a_next_date():
    msgs = review.summary([ev("a")], None, "zh")
    assert "复习完成" in msgs[0].text and "暂无" in msgs[-1].text


# ---- the session -----------------------------------------------------------------------------

class FakeQuestion(SessionParts):
    """A one-question conversation: "right" answers it, anything else is a wrong try."""

    def __init__(self, c, lang):
        self.c, self.done, self.events, self.prompt, self.tries = c, False, [], f"{c.step} ?", 0

    def start(self):
        return [Message("question", f"ask {self.c.step}")]

    def answer(self, line):
        self.tries += 1
        if line == "right":
            self.done = True
            self.events.append(ev(self.c.step, self.c.lesson, attempts=self.tries))
            return [Message("feedback", "yes", ok=True)]
        return [Message("feedback", "no", ok=False)]


def test_session_asks_each_due_card_then_summarises():
    cards = [card("a", NOW - timedelta(days=1)), card("b", NOW - timedelta(days=2), AGAIN)]
    later = card("c", NOW + timedelta(days=9))
    s = ReviewSession(schedule.due_cards(cards, NOW), cards + [later], make_question=FakeQuestion, now=NOW)
    opening = s.start()
    assert "2 question" in opening[0].text and opening[-1].text == "ask b"
    assert s.position == (1, 2) and s.prompt == "b ?" and not s.done
    assert s.answer("wrong")[0].ok is False and not s.done
    out = s.answer("right")
    # the card is labelled with the lesson's title, not its file id
    assert [m.text for m in out][:2] == ["yes", "Review 2 of 2: What a derivative is"] and out[-1].text == "ask a"
    assert s.position == (2, 2)
    closing = s.answer("right")
    assert s.done
    assert "1 of 2 right" in closing[1].text  # b needed two tries: Hard
    assert [(e["step"], e["mode"]) for e in s.events] == [("b", "review"), ("a", "review")]
    assert s.answer("anything") == []


def test_session_with_nothing_due_says_so_and_when():
    later = card("c", NOW + timedelta(days=9))
    s = ReviewSession([], [later], make_question=FakeQuestion, now=NOW)
    out = s.start()
    assert s.done and out[0].text == "Nothing is due for review."
    assert review.local_time(later.due_at) in out[-1].text


def test_session_skips_a_card_whose_question_is_gone():
    def make(c, lang):
        if c.step == "gone":
            raise LookupError(c.step)
        return FakeQuestion(c, lang)

    cards = [card("gone", NOW - timedelta(days=1)), card("here", NOW - timedelta(hours=1))]
    s = ReviewSession(cards, make_question=make, now=NOW)
    out = s.start()
    assert any("no longer in the lesson" in m.text for m in out) and out[-1].text == "ask here"
    closing = s.answer("right")
    # the gone card is still overdue, but the next date is the answered card's, not the gone one's
    assert review.local_time(NOW - timedelta(days=1)) not in closing[-1].text


def test_a_review_of_only_gone_cards_says_no_score():
    def gone(c, lang):
        raise LookupError(c.step)

    s = ReviewSession([card("gone", NOW - timedelta(days=1))], make_question=gone, now=NOW)
    out = s.start()
    assert s.done and [m.kind for m in out] == ["say", "say", "say"] and "No review" in out[-1].text


def test_a_session_from_the_store_commits_each_answer_at_once(tmp_path):
    st_ = Store.open(tmp_path)
    st_.clock.now = (NOW - timedelta(days=1)).timestamp()
    st_.record(ev("a", correct=False))
    st_.record(ev("b", correct=False))
    st_.clock.now = NOW.timestamp()
    s = ReviewSession.from_store(st_, now=NOW)
    s.make_question = FakeQuestion
    s.start()
    s.answer("right")
    assert s.events == [] and not s.done  # already in the store, nothing left for the caller
    with Store.open(tmp_path) as other:
        assert [(a["step"], a["mode"]) for a in other.attempts()][-1] == ("a", "review")
        assert next(c for c in other.cards() if c.step == "a").due_at > NOW + timedelta(days=1)
    assert st_.progress_summary()["lesson1"]["answered"] == 2  # review answers are not lesson answers
    st_.close()


def test_review_all_asks_every_graded_step_of_a_real_lesson():
    from derivtutor.teaching import lessons

    lesson = lessons.find("lesson1")
    graded = [s.id for s in lesson.steps if s.graded]
    s = ReviewSession.from_store(Store.memory(), "lesson1", redo_all=True, now=NOW)
    assert [c.step for c in s.cards] == graded and len(graded) > 0
    s.make_question = FakeQuestion
    s.start()
    for _ in graded:
        s.answer("right")
    assert s.done and len(s.results) == len(graded) and s.events == []


def test_review_of_one_lesson_leaves_the_others_out():
    st_ = Store.memory()
    st_.clock.now = (NOW - timedelta(days=1)).timestamp()
    st_.record(ev("a", lesson="lesson1", correct=False))
    st_.record(ev("b", lesson="lesson2", correct=False))
    s = ReviewSession.from_store(st_, "lesson2", now=NOW)
    assert [c.step for c in s.cards] == ["b"]


def test_a_missing_step_or_lesson_is_gone_not_a_crash():
    s = ReviewSession([], lang="en")
    with pytest.raises(LookupError):
        s._question(ReviewCard("lesson", "lesson1", "no-such-step"), "en")
    with pytest.raises(LookupError):
        s._question(ReviewCard("lesson", "no-such-lesson-anywhere", "x"), "en")


class QuittingQuestion(FakeQuestion):
    def answer(self, line):
        if line == "quit":
            self.done = self.quit = True
            return [Message("say", "bye")]
        out = super().answer(line)
        if self.done:  # the runner closes a one-step lesson with its own tally
            out.append(Message("feedback", "Lesson complete: 1 of 1", ok=True, data={"right": 1, "graded": 1}))
        return out


def test_quit_ends_the_whole_review_with_a_summary():
    cards = [card(s, NOW - timedelta(hours=1)) for s in ("a", "b", "c")]
    s = ReviewSession(cards, make_question=QuittingQuestion, now=NOW)
    s.start()
    s.answer("right")
    out = s.answer("quit")
    assert s.done and out[0].text == "bye" and "1 of 1 right" in out[1].text


def test_the_runners_own_lesson_complete_line_is_left_out():
    s = ReviewSession([card("a", NOW - timedelta(hours=1))], make_question=QuittingQuestion, now=NOW)
    s.start()
    out = s.answer("right")
    assert not any("Lesson complete" in m.text for m in out) and "1 of 1 right" in out[1].text


def test_session_with_the_real_runner():
    from derivtutor.teaching import lessons

    lesson = lessons.find("lesson1")
    step = next(s for s in lesson.steps if s.graded and s.kind == "choice")
    st_ = Store.memory()
    s = ReviewSession([ReviewCard("lesson", lesson.id, step.id, due=NOW.isoformat())], now=NOW)
    opening = s.start()
    assert any(m.kind == "question" for m in opening) and not s.done
    s.answer(str(step.get("answer")))
    assert s.done and [e["step"] for e in s.events] == [step.id]
    for e in s.events:
        st_.record(e)
    assert st_.cards()[0].last_rating == GOOD


def _cli(home, *args, stdin=""):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DERIVTUTOR_HOME": str(home), "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "derivtutor", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=60)


def test_review_command_with_nothing_due(tmp_path):
    done = _cli(tmp_path, "review", "--plain")
    assert done.returncode == 0 and "Nothing is due for review." in done.stdout and "Traceback" not in done.stderr


def test_review_command_names_an_unknown_lesson_without_a_traceback(tmp_path):
    done = _cli(tmp_path, "review", "no-such-lesson", "--plain")
    assert done.returncode == 1 and "no lesson `no-such-lesson`" in done.stderr and "Traceback" not in done.stderr


def test_review_command_skips_a_card_whose_step_is_gone(tmp_path):
    with Store.open(tmp_path) as s:
        s.clock.now = (NOW - timedelta(days=30)).timestamp()
        s.record(ev("renamed-since", correct=False))
    done = _cli(tmp_path, "review", "--plain", "--lang", "zh")
    assert done.returncode == 0 and "课程中已没有这道题" in done.stdout and "暂无安排的复习" in done.stdout


def verdict(messages):
    return next(m.ok for m in messages if m.kind == "feedback")


def test_play_card_reasks_the_derivative_and_records_a_play_event():
    q = review.PlayQuestion("w^3", "w", "en")
    assert "J = w^3" in q.start()[0].text and q.prompt == "dJ/dw ="
    assert verdict(q.answer("3w")) is False and not q.done  # echoed first ("I read that as 3·w"), as in a lesson
    assert q.answer("3w^(2")[0].kind == "error" and not q.done  # a typo is not an attempt
    assert verdict(q.answer("3w^2")) is True and q.done
    [e] = q.events
    assert (e["lesson"], e["step"], e["kind"], e["correct"], e["attempts"]) == ("play", "w:w^3", "play", True, 2)
    s = Store.memory()
    s.save_play("w^3", "w")
    s.record(e)
    [c] = s.cards(kind="play")
    assert c.reps == 2 and int(c.last_rating) == HARD


def test_play_card_hint_and_skip():
    q = review.PlayQuestion("1/w", "w", "zh")
    q.start()
    assert q.answer("hint")[0].kind == "hint" and q.hints_used == 1
    shown = q.answer("skip")
    assert q.done and "答案是 dJ/dw = −1/w²" in shown[0].text and q.events[0]["revealed"] is True
    assert int(schedule.rating_for(q.events[0])) == AGAIN

"""The skills of an answered step as the store receives it: its own tags, else found from
its lesson (or, for free play, from the function played).

Apart from skills.py because it finds lessons: the skill list itself is read by the lesson
loader, which must not be imported back by it.
"""

from __future__ import annotations

from functools import lru_cache

from derivtutor.teaching import lessons
from derivtutor.teaching.skills import of_derivative, of_step, ordered


@lru_cache(maxsize=256)
def _lesson_step_skills(lesson_id: str, step_id: str, lang: str) -> tuple[str, ...]:
    lesson = lessons.find(lesson_id, lang=lang)
    step = lesson.step_by_id(step_id)
    return of_step(lesson, step) if step is not None and step.graded else ()


def of_event(event: dict) -> tuple[str, ...]:
    """The skills of an answered step as the store receives it: its own tags, else found from its lesson.

    Tagging must never lose a record, so a lesson that cannot be found (or a
    function that cannot be read any more) just gives no skills.
    """
    if event.get("skills") is not None:
        return ordered(event["skills"])
    try:
        if event.get("kind") == "play":  # step is "w:<function as typed>"
            from derivtutor.algebra import mathinput

            var, _, text = str(event["step"]).partition(":")
            return of_derivative(mathinput.read_expression(text), mathinput.var(var))
        return _lesson_step_skills(str(event["lesson"]), str(event["step"]), str(event.get("lang", "en")))
    except Exception:  # noqa: BLE001 - see the docstring: a tag is a nicety, the record is not
        return ()

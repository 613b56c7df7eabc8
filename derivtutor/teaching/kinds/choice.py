"""A `choice` step: numbered options, one of them right; each may carry the author's comment."""

from __future__ import annotations

from derivtutor.teaching.kinds import base
from derivtutor.teaching.kinds.base import StepKind
from derivtutor.text.i18n import Catalog, tr
from derivtutor.text.messages import Message

T = Catalog(__name__, 'T')
HINTS = Catalog(__name__, 'HINTS')


class Choice(StepKind):
    name = "choice"
    required = {"id": str, "text": str, "options": list, "answer": int}
    optional = {"explain": list}
    hints = HINTS

    def field_problems(self, raw: dict) -> list[tuple[str | None, str]]:
        problems = []
        if isinstance(raw.get("options"), list) and isinstance(raw.get("answer"), int):
            if not 1 <= raw["answer"] <= len(raw["options"]):
                problems.append(("answer", f"`answer` is 1-based and must be between 1 and {len(raw['options'])}"))
        if isinstance(raw.get("options"), list) and not all(isinstance(o, str) and o.strip() for o in raw["options"]):
            problems.append(("options", "every option must be a non-empty string"))
        if isinstance(raw.get("explain"), list) and not all(isinstance(e, str) for e in raw["explain"]):
            problems.append(("explain", "every `explain` entry must be a string"))
        return problems + super().field_problems(raw)

    def expected(self, lesson, step, saved):
        return step.get("answer")

    def question_text(self, run, step) -> str:
        options = "\n".join(f"  {i}. {run.fill(o, step)}" for i, o in enumerate(step.get("options"), 1))
        return f"{run.fill(step.text, step)}\n{options}"

    def prompt(self, run, step) -> str:
        return tr(T["prompt_choice"], run.lang, n=len(step.get("options")))

    def answer(self, run, step, line: str) -> list[Message]:
        options = step.get("options")
        choice = _choice_index(line, options)
        if choice is None:
            return [Message("error", tr(T["need_choice"], run.lang, n=len(options)))]
        explain = step.get("explain") or []
        note = [Message("say", run.fill(explain[choice - 1], step))] if choice - 1 < len(explain) and explain[choice - 1] else []
        run.attempt.tries += 1
        if choice == step.get("answer"):
            return [base.right(run)] + note + run.close(True, line)
        return run.wrong(line, [Message("feedback", tr(T["choice_wrong"], run.lang), ok=False)] + note,
                         run.attempt.out_of_tries(run.as_question(step, "choice")))

    def answer_text(self, run, step) -> str:
        option = run.fill(step.get("options")[step.get("answer") - 1], step).rstrip(".。")
        return f"{step.get('answer')}. {option}"


def _choice_index(line: str, options: list[str]) -> int | None:
    """1, b, or the option's own words: the option the learner chose, 1-based."""
    text = line.strip().rstrip(".").lower()
    if text.isdigit() and 1 <= int(text) <= len(options):
        return int(text)
    if len(text) == 1 and "a" <= text <= "z" and ord(text) - 96 <= len(options):
        return ord(text) - 96
    for i, option in enumerate(options, 1):
        if text == option.strip().lower():
            return i
    return None

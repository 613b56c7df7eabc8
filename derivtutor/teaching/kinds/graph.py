"""A `graph` step: one number of backprop on a computation graph (a node's value, a local
derivative on an edge, or a gradient), drawn with what the learner has already found."""

from __future__ import annotations

from derivtutor.teaching import question
from derivtutor.teaching.kinds import base
from derivtutor.teaching.kinds.base import StepKind
from derivtutor.text.i18n import Catalog, tr
from derivtutor.text.messages import Message

T = Catalog(__name__, 'T')
HINTS = Catalog(__name__, 'HINTS')
ASKS = ("grad", "local", "value")


class Graph(StepKind):
    name = "graph"
    required = {"id": str, "text": str, "graph": str, "ask": dict}
    optional = {"exact": bool, "anticipate": list}
    hints = HINTS

    def field_problems(self, raw: dict) -> list[tuple[str | None, str]]:
        problems = []
        if isinstance(raw.get("ask"), dict):
            ask = raw["ask"]
            if len(ask) != 1 or next(iter(ask)) not in ASKS or not _names_nodes(ask):
                problems.append(("ask", "`ask` must be one of { grad = \"d\" }, { local = [\"d\", \"a\"] }, { value = \"c\" }"))
        return problems + super().field_problems(raw)

    def lesson_problems(self, step, graphs) -> list[tuple[str | None, str]]:
        if step.get("graph") not in graphs:
            return [("graph", f"there is no graph `{step.get('graph')}` under [graphs]")]
        return []

    def expected(self, lesson, step, saved):
        from derivtutor.teaching import answers

        return answers.graph_answer(lesson, step)

    def validate(self, lesson, step, saved) -> None:
        self.expected(lesson, step, saved)

    def before(self, run, step) -> list[Message]:
        from derivtutor.teaching import answers

        built = answers.graph_for(run.lesson, step.get("graph"))
        known = [x for x in run.revealed if x and x[0] == step.get("graph")]
        return [Message("block", block=built.draw(width=56, reveal={tuple(x[1:]) for x in known}, lang=run.lang))]

    def answer(self, run, step, line: str) -> list[Message]:
        from derivtutor.algebra import mathprinter
        from derivtutor.teaching import answers, diagnosis

        spec = run.lesson.graphs[step.get("graph")]
        found, echo = question.read(line, run.lang, {str(n) for n, _ in spec["nodes"]} | set(spec["inputs"]))
        if found is None:
            return echo
        expected = run.expected()
        value = found.expr
        note = []
        (what, target), = step.get("ask").items()
        name = question.bare_name(value)
        if name is not None and what == "value" and name == target:  # "what is J?" — `J`
            return [Message("error", tr(question.T["bare_name"], run.lang, name=name))]
        typed = question.typed_number(line)
        if value.free_symbols:
            from derivtutor.algebra.graph import GraphError

            built = answers.graph_for(run.lesson, step.get("graph"))
            try:
                value = built.evaluate(found.expr)
            except GraphError as err:
                return echo + base.error(err, run.lang)
            note = [Message("say", tr(T["graph_value_of"], run.lang, value=mathprinter.show(value)))]
        else:
            echo = [] if question.is_plain_number(typed) else echo
        asked = run.as_question(step, "number", expected.target)
        result = question.respond(asked, run.attempt, value, typed, run.lang)
        if result.correct:
            return echo + note + [base.right_number(run, expected, value, typed)] + run.close(True, line)
        found_slip = diagnosis.graph_step(run.lesson, step, found.expr, value)
        return run.wrong(line, echo + note + base.diagnosed(asked, value, result, found_slip, run.lang), result.final)

    def learned(self, run, step) -> None:
        """The graph's drawing shows this number from now on."""
        (what, target), = step.get("ask").items()
        entry = [step.get("graph"), what] + (list(target) if isinstance(target, list) else [target])
        if entry not in run.revealed:
            run.revealed.append(entry)


def _names_nodes(ask: dict) -> bool:
    """What `ask` points at is a node's name (`local`: the pair of names on an edge)."""
    (what, target), = ask.items()
    if what == "local":
        return isinstance(target, list) and len(target) == 2 and all(isinstance(x, str) for x in target)
    return isinstance(target, str)

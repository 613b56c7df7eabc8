"""`derivtutor check J ANSWER`: one verdict with its feedback, for instructors and scripts.

Exit status: 0 if the answer is right, 1 if not, 2 if the input cannot be read.
"""

from __future__ import annotations

import argparse
import json

from derivtutor.commands import cmd_args
from derivtutor.commands.cmd_args import BadInput
from derivtutor.text.i18n import Catalog, listing, tr
from derivtutor.text.markup import strip_markup

TEXT = Catalog(__name__, 'TEXT')


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("J", help='the function, e.g. "w^3"')
    parser.add_argument("answer", metavar="ANSWER",
                        help='the learner\'s dJ/dw, e.g. "3w^2" or "dJ/dw = 3w^2"; with --at, may be a number')
    parser.add_argument("--wrt", metavar="NAME", help="the variable to differentiate by (default: J's only one)")
    parser.add_argument("--at", action="append", default=[], metavar="NAME=VALUE",
                        help="judge dJ/dw's value at this point (w=3; repeat or use commas for several)")
    parser.add_argument("--json", action="store_true", help="print the verdict as JSON")


def run(ns: argparse.Namespace) -> int:
    from derivtutor.algebra import cas

    with cas.action():  # one budget for the whole check, not one per calculation
        return _run(ns)


def _run(ns: argparse.Namespace) -> int:
    lang = getattr(ns, "lang", None)
    try:
        J, answer, wrt, at = _read_inputs(ns, lang)
        from derivtutor.algebra import cas, check
        from derivtutor.teaching import question

        try:
            if at:  # the derivative's value at a point
                verdict = check.check_derivative(J, answer, wrt, at=at, typed=ns.answer, lang=lang)
            else:  # the same judging as a lesson's derivative question
                verdict = question.judge(question.Question("derivative", J=J, wrt=wrt), answer, None, lang)
        except check.CheckError as err:
            raise BadInput(err.localized(lang), code=err.code) from None
        except cas.CasTimeout as err:  # a calculation refused or stopped: say so, no traceback
            raise BadInput(err.localized(lang), code=err.code) from None
    except BadInput as bad:
        return _report_bad(bad, ns.json)
    if ns.json:
        print(json.dumps(_as_json(verdict), ensure_ascii=False))
    else:
        from derivtutor.terminal.render import plain_prose

        print(plain_prose(verdict.feedback))
    return 0 if verdict.correct else 1


def _read_inputs(ns, lang):
    from derivtutor.algebra import mathbuild, mathinput

    J = _read(mathinput.read, ns.J, "in_J", lang).expr
    reading = _read(mathinput.read, ns.answer, "in_answer", lang)
    if reading.form == "diff":
        raise BadInput(tr(TEXT["not_an_answer"], lang), code="not_an_answer")
    wrt = cmd_args.wrt_symbol(ns.wrt, J, lang) if ns.wrt is not None else None
    if wrt is None and reading.form == "answer" and reading.wrt:
        wrt = mathbuild.var(reading.wrt)
    name = wrt.name if wrt is not None else None
    own = sorted(s.name for s in J.free_symbols)
    if "J" in {s.name for s in reading.expr.free_symbols} and "J" not in own:  # `check "w^3" "J"`
        raise BadInput(tr(TEXT["names_J"], lang, w=name or (own[0] if len(own) == 1 else "w"),
                           names=listing(own) if own else "w"), code="names_J")
    at = {}
    for item in (part for text in ns.at for part in text.split(",") if part.strip()):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise BadInput(tr(TEXT["bad_at"], lang, text=item), code="bad_at")
        at[mathbuild.var(key.strip())] = _read(mathinput.read_number, value.strip(), "in_at", lang)
    cmd_args.check_point(at, J, wrt, lang)
    return J, reading.expr, wrt, at


def _read(reader, text, where, lang):
    from derivtutor.algebra.matherror import MathInputError

    try:
        return reader(text)
    except MathInputError as err:
        raise BadInput(tr(TEXT[where], lang, message=err.localized(lang)), err.caret(), err.code) from None


def _report_bad(bad: BadInput, as_json: bool) -> int:
    cmd_args.report(bad, as_json)
    return 2


def _as_json(verdict) -> dict:
    from derivtutor.algebra import mathprinter

    ce = verdict.counterexample
    return {
        "correct": verdict.correct,
        "how": verdict.how,
        "mistake": verdict.mistake.code if verdict.mistake else None,
        "feedback": strip_markup(verdict.feedback),
        "answer": mathprinter.show(verdict.answer) if verdict.answer is not None else None,
        "expected": mathprinter.show(verdict.corrected) if verdict.corrected is not None else None,
        "counterexample": None if ce is None else {
            "point": {s.name: float(v) for s, v in ce.point.items()},
            "answer": ce.learner.real if ce.learner_real() else None,
            "expected": ce.expected,
        },
    }

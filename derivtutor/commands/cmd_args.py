"""The `--wrt` and `--at` names of `explain` and `check`, held against J before any work.

`--wrt 3` once printed "dJ/d3 = 0" and `--at q=2` for a J without q was ignored in silence:
a name that is no variable, or a point for a variable J does not have, is refused with one
sentence that names J's variables.
"""

from __future__ import annotations

import json
import sys

from derivtutor.text.errors import TutorError
from derivtutor.text.i18n import Catalog, listing, tr

TEXT = Catalog(__name__, 'TEXT')


class BadInput(TutorError, ValueError):
    """Input explain or check cannot use: one sentence, already in the learner's language
    (the command knows it when it refuses), the caret lines when there are some, and a code
    for `--json`."""

    def __init__(self, message: str, caret: str | None = None, code: str = "bad_input"):
        self.sentence, self.caret = message, caret
        super().__init__(code)

    def localized(self, lang: str | None = None) -> str:
        return self.sentence


def report(bad: BadInput, as_json: bool) -> None:
    """The sentence (and caret) on stderr, or one JSON object on stdout for scripts."""
    if as_json:
        print(json.dumps({"error": bad.message, "code": bad.code, "caret": bad.caret}, ensure_ascii=False))
    else:
        print(bad.message, file=sys.stderr)
        if bad.caret:
            print(bad.caret, file=sys.stderr)


def wrt_symbol(text: str, expr, lang: str, function_name: str = "J"):
    """The Symbol `--wrt TEXT` names: one of J's variables, or any single name the parser reads
    as one variable (the partial by a variable J lacks is a fair 0). Never a number or a phrase."""
    from derivtutor.algebra import matherror, mathinput, mathnames
    from derivtutor.text.safe_text import quote

    typed = mathnames.normalize(text).strip()
    by_name = {s.name: s for s in expr.free_symbols}
    if typed in by_name:
        return by_name[typed]
    try:
        read = mathinput.read_expression(typed) if typed else None
    except matherror.MathInputError:
        read = None
    if read is None or not read.is_Symbol:  # 3, pi, "lambda: 1", a*b
        raise BadInput(tr(TEXT["bad_wrt"], lang, text=quote(text)), code="bad_wrt")
    if read.name == function_name and expr.free_symbols:  # dJ/dJ says nothing
        names = listing(sorted(s.name for s in expr.free_symbols))
        raise BadInput(tr(TEXT["wrt_is_J"], lang, name=read.name, names=names), code="wrt_is_J")
    return read


def check_point(at: dict, expr, wrt, lang: str) -> None:
    """Every name `--at` sets must be a variable of J (or the --wrt variable)."""
    from derivtutor.algebra import mathprinter

    own = expr.free_symbols
    for name in sorted(set(at) - own - {wrt}, key=lambda s: s.name):
        shown = f"J = {mathprinter.show(expr)}"
        if not own:
            raise BadInput(tr(TEXT["not_in_constant"], lang, name=name.name, J=shown), code="not_in_J")
        names = listing(sorted(s.name for s in own))
        raise BadInput(tr(TEXT["not_in_J"], lang, name=name.name, J=shown, names=names), code="not_in_J")

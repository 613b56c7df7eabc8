"""Learner and lesson text -> SymPy, through a whitelist: the project's security boundary.

`read` is the one way math text becomes SymPy. No string ever reaches ``eval``, ``exec``
or any SymPy function that parses text: `mathlexer` cuts the line into tokens,
`mathparser` (with `mathwords` for names) builds SymPy objects from them directly, and
this module says what form the line was written in: an expression, a definition `J = …`,
an answer `dJ/dw = …`, a question `d/dw …` or `diff(…, w)`, each maybe followed by
`.subs(w, 2)`. Every failure is a `MathInputError` with a caret and one friendly sentence
in English and Chinese; `mathprinter.show` writes the echo.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import sympy
from sympy import S, Symbol
from sympy.core.parameters import distribute

from derivtutor.algebra import mathbuild as build
from derivtutor.algebra import mathnames as names
from derivtutor.algebra import mathwords as words
from derivtutor.algebra.matherror import MathInputError
from derivtutor.algebra.mathlexer import (HUGE_LINE, MAX_LENGTH, Token, check_text, depths, end_token, lex,
                                          match_brackets, normalise)
from derivtutor.algebra.mathnames import NOTES, is_ascii_letter
from derivtutor.algebra.mathparser import Parser
from derivtutor.algebra.mathprinter import show
from derivtutor.text.i18n import tr


@dataclass(frozen=True)
class Reading:
    """What a line of text said: an expression and the form it was written in."""

    expr: sympy.Expr
    form: str = "expr"
    name: str | None = None
    wrt: str | None = None
    at: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    text: str = ""
    note_entries: tuple = field(default=(), repr=False, compare=False)
    decimals: tuple = field(default=(), repr=False, compare=False)  # (value, "0.1") as typed

    @property
    def shown(self) -> str:
        """The expression for the echo, decimals as typed: ０．１w is 0.1·w, not w/10."""
        return show(self.expr, decimals=dict(self.decimals))

    def localized_notes(self, lang: str) -> tuple[str, ...]:
        """The ambiguity notes in the learner's language."""
        return tuple(tr(NOTES[key], lang, **fields) for key, fields in self.note_entries)


# ---------------------------------------------------------------- forms


def _dpart(toks: list[Token], i: int):
    """One side of dJ/dw: "dJ", "d J" or "∂J" -> (name, next index)."""
    tok = toks[i]
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if tok.kind == "partial" and nxt is not None and nxt.kind == "name":
        return nxt.text, i + 2
    if tok.kind == "name" and tok.text == "d" and nxt is not None and nxt.kind == "name":
        return nxt.text, i + 2
    if (
        tok.kind == "name" and len(tok.text) > 1 and tok.text[0] == "d"
        and is_ascii_letter(tok.text[1]) and tok.text not in names.GREEK
    ):
        return tok.text[1:], i + 1
    return None


_UNDERSCORE_FORM = re.compile(r"d([A-Za-z]\w*?)_d([A-Za-z]\w*)")


def _fraction_head(toks: list[Token]):
    """dJ/dw, ∂J/∂w, d J / d w or dJ_dw filling all of toks -> (name, wrt token)."""
    if len(toks) == 1 and toks[0].kind == "name":
        m = _UNDERSCORE_FORM.fullmatch(toks[0].text)
        return (m.group(1), m.group(2), toks[0]) if m else None
    top = _dpart(toks, 0) if toks else None
    if top is None or top[1] >= len(toks) or toks[top[1]].text != "/" or top[1] + 1 >= len(toks):
        return None
    bottom = _dpart(toks, top[1] + 1)
    if bottom is None or bottom[1] != len(toks):
        return None
    return top[0], bottom[0], toks[-1]


def _operator_head(toks: list[Token]):
    """d/dw or ∂/∂w at the start -> (wrt name, wrt token, index after the head)."""
    if len(toks) < 3 or toks[1].text != "/" or not (
        toks[0].kind == "partial" or (toks[0].kind == "name" and toks[0].text == "d")
    ):
        return None
    bottom = _dpart(toks, 2)
    if bottom is None:
        return None
    return bottom[0], toks[bottom[1] - 1], bottom[1]


def _define_head(toks: list[Token]):
    """J or J(w) or J(w, b) -> name."""
    first = toks[0]
    if first.kind != "name" or names.canonical_function(first.text) or first.text in build.CONSTANT_VALUES:
        return None
    if first.text in names.PYTHON_WORDS:
        return None
    if len(toks) == 1:
        return first.text
    inner = toks[2:-1]
    if toks[1].kind != "lp" or toks[-1].kind != "rp" or not inner:
        return None
    if all(t.kind == ("name" if k % 2 == 0 else "comma") for k, t in enumerate(inner)) and len(inner) % 2:
        return first.text
    return None


def _decimal_literals(text: str, toks: list[Token]) -> tuple:
    """Numbers typed with a point or an exponent (0.1, 2.5e-3) and not whole: how to echo them."""
    found = {}
    for tok in toks:
        if tok.kind == "num" and not tok.value.is_Integer:
            literal = normalise(text[tok.start:tok.end])
            found.setdefault(abs(tok.value), "0" + literal if literal.startswith(".") else literal)
    return tuple(found.items())


class _Reader:
    """One call of ``read``: splits the line into its form, then parses the pieces."""

    def __init__(self, text: str, variables):
        self.text = text
        self.variables = variables
        self.notes: list = []
        self.toks = lex(text)
        self.pairs = match_brackets(text, self.toks)
        self.decimals = _decimal_literals(text, self.toks)

    def parser(self, toks: list[Token]) -> Parser:
        return Parser(self.text, toks, self.pairs, self.variables, self.notes)

    def fail(self, code: str, column: int, **fields) -> MathInputError:
        return MathInputError(code, self.text, column, **fields)

    def reading(self) -> Reading:
        toks = self.toks[:-1]
        equals = [t for t in toks if t.kind == "eq"]
        if len(equals) > 1:
            raise self.fail("too_many_equals", equals[1].start)
        if equals:
            return self.equation(toks, equals[0])
        head = _operator_head(toks)
        if head is not None:
            wrt, wrt_tok, after = head
            rest = toks[after:]
            if not rest or rest[0].kind == "dot":
                raise self.fail("diff_of_what", toks[0].start, head=self.text[:wrt_tok.end].strip())
            expr, at, _ = self.body(rest, allow_top_diff=False)
            return self.make(expr, "diff", None, self.wrt_name(wrt, wrt_tok), at)
        return self.plain(toks)

    def plain(self, toks: list[Token]) -> Reading:
        main, chain = self.split_subs(toks)
        fraction = _fraction_head(main)
        if fraction is not None and not (self.variables and main[0].text in self.variables):
            name, wrt, wrt_tok = fraction
            at = self.subs_chain(chain)
            return self.make(build.var(name), "diff", names.canonical_name(name), self.wrt_name(wrt, wrt_tok), at)
        expr, at, diff_wrt = self.body(toks, allow_top_diff=True)
        if diff_wrt is not None:
            return self.make(expr, "diff", None, diff_wrt, at)
        return self.make(expr, "expr", None, None, at)

    def equation(self, toks: list[Token], eq: Token) -> Reading:
        k = toks.index(eq)
        if depths(toks)[k]:
            raise self.fail("equals_in_brackets", eq.start)
        left, right = toks[:k], toks[k + 1:]
        if not left or not right:
            raise self.fail("equals_sides", eq.start)
        fraction = _fraction_head(left)
        if fraction is not None:
            name, wrt, wrt_tok = fraction
            expr, at, _ = self.body(right, allow_top_diff=False)
            return self.make(expr, "answer", names.canonical_name(name), self.wrt_name(wrt, wrt_tok), at)
        name = _define_head(left)
        if name is None:
            raise self.fail("bad_left_side", left[0].start)
        expr, at, _ = self.body(right, allow_top_diff=False)
        return self.make(expr, "define", names.canonical_name(name), None, at)

    def wrt_name(self, name: str, tok: Token) -> str:
        canon = names.canonical_name(name)
        if self.variables is not None and canon not in self.variables:
            raise words.unknown_variable(self.text, self.variables, tok, canon)
        return canon

    def split_subs(self, toks: list[Token]):
        level = depths(toks)
        for k, tok in enumerate(toks):
            if tok.kind == "dot" and level[k] == 0:
                return toks[:k], toks[k:]
        return toks, []

    def body(self, toks: list[Token], allow_top_diff: bool):
        """An expression, maybe a whole diff(…) call, maybe followed by .subs(…)."""
        main, chain = self.split_subs(toks)
        if not main:
            raise self.fail("empty", chain[0].start if chain else len(self.text))
        at = self.subs_chain(chain)
        parser = self.parser(main + [end_token(main[-1].end)])
        if (
            allow_top_diff
            and len(main) >= 3
            and main[0].kind == "name"
            and names.canonical_function(main[0].text) == "diff"
            and (self.variables is None or "diff" not in self.variables)
            and main[1].kind == "lp"
            and self.pairs[main[1].start] == main[-1].start
        ):
            parser.take()
            args, spans = parser.arguments()
            low, high = names.FUNCTIONS["diff"]
            if not low <= len(args) <= high:
                raise self.fail("bad_diff", main[0].start)
            inner, wrt = words.diff_parts(parser, main[0], args, spans)
            return inner, at, wrt.name
        expr = parser.expression()
        if parser.peek().kind != "end":
            raise parser.unexpected(parser.peek())
        return expr, at, None

    def subs_chain(self, toks: list[Token]) -> dict:
        """.subs(w, 2) / .subs([(w, 2), (b, 3)]), repeated -> {"w": 2, ...}."""
        at: dict = {}
        if not toks:
            return at
        parser = self.parser(toks + [end_token(toks[-1].end)])
        while parser.peek().kind == "dot":
            dot = parser.take()
            method = parser.take()
            if method.kind != "name" or method.text != "subs":
                word = method.text if method.kind == "name" else ""
                if word in names.PYTHON_WORDS:
                    raise self.fail("not_math", method.start, name=word)
                raise self.fail("bad_method", dot.start)
            lp = parser.peek()
            if lp.kind != "lp":
                raise self.fail("bad_subs", method.start)
            parser.take()
            if parser.peek().kind == "lb":
                parser.take()
                while True:
                    if parser.peek().kind != "lp":
                        raise self.fail("bad_subs", parser.peek().start)
                    parser.take()
                    self.subs_pair(parser, at, method)
                    self.expect(parser, "rp", method)
                    if parser.peek().kind == "comma":
                        parser.take()
                        continue
                    break
                self.expect(parser, "rb", method)
            else:
                self.subs_pair(parser, at, method)
            self.expect(parser, "rp", method)
        if parser.peek().kind != "end":
            tok = parser.peek()
            raise self.fail("bad_method", tok.start)
        return at

    def subs_pair(self, parser: Parser, at: dict, method: Token) -> None:
        name_tok = parser.peek()
        if name_tok.kind != "name":
            raise self.fail("bad_subs", name_tok.start)
        symbol = parser.atom()
        if not isinstance(symbol, Symbol):
            raise self.fail("bad_subs", name_tok.start)
        self.expect(parser, "comma", method)
        value_tok = parser.peek()
        value = parser.expression()
        if not value.is_number:
            raise self.fail("bad_subs", value_tok.start)
        at[symbol.name] = value

    def expect(self, parser: Parser, kind: str, method: Token) -> None:
        tok = parser.peek()
        if tok.kind != kind:
            raise self.fail("bad_subs", tok.start if tok.kind != "end" else method.start)
        parser.take()

    def make(self, expr, form, name, wrt, at) -> Reading:
        _final_check(self.text, expr)
        entries = tuple(self.notes)
        return Reading(
            expr=expr, form=form, name=name, wrt=wrt, at=at,
            notes=tuple(tr(NOTES[key], "en", **fields) for key, fields in entries),
            text=self.text, note_entries=entries, decimals=self.decimals,
        )


def _final_check(text: str, expr) -> None:
    """One walk over the result: no undefined values, no giant numbers or exponents."""
    for node in sympy.preorder_traversal(expr):
        if node in build.BAD_VALUES:
            raise MathInputError("undefined", text, 0)
        if node is S.ImaginaryUnit:
            raise MathInputError("not_real", text, 0)
        if node.is_Rational and build.digits_estimate(node) > build.MAX_RESULT_DIGITS + 1:
            raise MathInputError("number_too_big", text, 0, digits=build.digits_estimate(node))
        if node.is_Pow and node.exp.is_Number and abs(node.exp) > build.MAX_EXPONENT:
            raise MathInputError("exponent_too_big", text, 0, limit=build.MAX_EXPONENT)


def _variable_set(variables) -> frozenset | None:
    if variables is None:
        return None
    if isinstance(variables, str):
        variables = (variables,)
    return frozenset(names.canonical_name(str(v)) for v in variables)


# ---------------------------------------------------------------- public API


def read(text: str, variables=None) -> Reading:
    """Read one line a learner typed or a lesson holds. Raises MathInputError, nothing else.

    ``variables`` (optional) names the variables the lesson expects; other
    names are refused with a suggestion ("`W` isn't a variable here; did you mean `w`?").
    """
    try:
        if isinstance(text, str) and len(text) < HUGE_LINE:
            text = names.drop_full_stop(text)  # the rest of normalize is done char for char
        check_text(text)
        # Keep 3(w+1) as typed rather than 3w + 3: the echo shows what was written.
        with distribute(False):
            return _Reader(text, _variable_set(variables)).reading()
    except MathInputError:
        raise
    except Exception as exc:  # RecursionError, OverflowError, SymPy internals: never a traceback
        shown = text if isinstance(text, str) else repr(text)
        raise MathInputError("unreadable", shown[:MAX_LENGTH], 0) from exc


def read_expression(text: str, variables=None) -> sympy.Expr:
    """The expression of a line (the right-hand side of J = …), for lesson fields."""
    return read(text, variables).expr


def read_number(text) -> sympy.Expr:
    """A constant: "1e-3", "-1/32", "π/2"; ints and floats from TOML are read as typed."""
    if isinstance(text, bool):
        raise MathInputError("expected_number", str(text), 0)
    if isinstance(text, int):
        text = str(text)
    elif isinstance(text, float):
        if not math.isfinite(text):
            raise MathInputError("expected_number", repr(text), 0)
        text = repr(text)
    reading = read(text)
    if reading.form != "expr" or reading.at or not reading.expr.is_number:
        raise MathInputError("expected_number", reading.text, 0)
    return reading.expr

"""Tokens -> a SymPy expression: how `3w^2`, `-(w+1)/w`, `2sin(w)`, `|w|` and `w^2x` are read.

A recursive descent over `mathlexer` tokens, one method per level of binding, loosest first:
sum > term (products, quotients, side by side) > unary sign > power > postfix superscript >
atom (number, name, brackets, bars, √). SymPy objects are built as it goes, never from text.
Writing things side by side multiplies (2w, 3(w+1), (w+1)(w−1), w x); where that reading
might surprise (1/2w, w^2x, f(x) for a variable f) the parser keeps a note for the echo.
What a name means (a variable, e, sin(…), a typo with its "did you mean") is `mathwords`'.
"""

from __future__ import annotations

import sympy
from sympy import Abs, Integer, Pow, S

from derivtutor.algebra import mathbuild as build
from derivtutor.algebra import mathwords as words
from derivtutor.algebra.matherror import MathInputError
from derivtutor.algebra.mathlexer import MAX_DEPTH, Token
from derivtutor.algebra.mathprinter import show

MAX_CHAIN = 100             # powers chained inside one another (2^2^2^…)


class Parser:
    """Recursive descent over tokens; builds SymPy objects as it goes."""

    def __init__(self, text, toks, pairs, variables, notes):
        self.text = text
        self.diff_depth = 0  # diff(…) levels open while reading (bounded: mathwords.MAX_DIFF_NESTING)
        self.toks = toks
        self.pairs = pairs
        self.variables = variables
        self.notes = notes
        self.i = 0
        self.bars = 0
        self.open_bars: list[Token] = []
        self.chain = 0
        self.bare_exponent = None  # (base start, base, exponent, exponent start, last token index)
        self.call_like = None      # token index of a one-letter name right before "("

    # -- helpers
    def peek(self, k: int = 0) -> Token:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def take(self) -> Token:
        tok = self.peek()
        self.i = min(self.i + 1, len(self.toks) - 1)
        return tok

    def fail(self, code: str, column: int, key: str | None = None, **fields) -> MathInputError:
        return MathInputError(code, self.text, column, key, **fields)

    def note(self, key: str, **fields) -> None:
        entry = (key, fields)
        if entry not in self.notes:
            self.notes.append(entry)

    def src(self, start: int, end: int) -> str:
        return self.text[start:end].strip()

    def typed(self, tok: Token) -> str:
        """A token as the learner typed it (× rather than *)."""
        return self.text[tok.start:tok.end]

    def make_power(self, base, exponent, op: Token):
        return build.power(base, exponent, self.text, op.start)

    def checked(self, value, tok: Token):
        return build.checked(value, self.text, tok.start)

    def starts_operand(self, tok: Token) -> bool:
        return tok.kind in ("num", "name", "lp", "lb", "root") or (tok.kind == "bar" and not self.bars)

    def expect_operand_after(self, op: Token) -> None:
        nxt = self.peek()
        if nxt.kind == "op" and nxt.text not in "+-":
            raise self.fail("double_operator", nxt.start, ops=self.typed(op) + self.typed(nxt))
        if nxt.kind in ("end", "rp", "rb", "comma", "eq", "dot"):
            raise self.fail("stray_operator_end", op.start, op=self.typed(op))

    def unexpected(self, tok: Token) -> MathInputError:
        if tok.kind == "comma":
            return self.fail("comma", tok.start)
        if tok.kind == "dot":
            return self.fail("bad_method", tok.start)
        if tok.kind == "partial":
            return self.fail("partial_alone", tok.start)
        if tok.kind == "end" and self.open_bars:
            return self.fail("unclosed_bar", self.open_bars[-1].start)
        if tok.kind == "end":
            return self.fail("empty", tok.start)
        return self.fail("unexpected", tok.start, token=tok.text)

    # -- grammar: sum > term > unary > power > postfix > atom
    def expression(self):
        tok = self.peek()
        if tok.kind == "op" and tok.text not in "+-":
            raise self.fail("stray_operator_start", tok.start, op=self.typed(tok))
        if tok.kind in ("rp", "rb"):
            raise self.fail("empty_parens", tok.start)
        terms = [self.term()]
        while self.peek().kind == "op" and self.peek().text in "+-":
            op = self.take()
            self.refuse_plus_minus(op)
            self.expect_operand_after(op)
            term = self.term()
            terms.append(term if op.text == "+" else -term)
        # One flattening call, so the result has the shape SymPy gives the printed form.
        return sympy.Add(*terms)

    def term(self):
        # A leading sign covers the whole product: -(w+x)/w is -((w+x)/w), as printed.
        negative = self.signs()
        start = self.peek().start
        factors = [self.power()]
        division = None  # [divisor start column, whether juxtaposition followed it]
        while True:
            tok = self.peek()
            if tok.kind == "op" and tok.text in "*/":
                self._close_division_note(division, start, factors)
                self.take()
                self.expect_operand_after(tok)
                division = [self.peek().start, False] if tok.text == "/" else None
                right = self.unary()
                if tok.text == "/":
                    if right.is_zero:
                        raise self.fail("division_by_zero", tok.start)
                    right = Pow(right, -1)
                factors.append(right)
            elif self.starts_operand(tok):
                if division is not None and tok.space:
                    self._close_division_note(division, start, factors)
                    division = None
                factors.append(self.juxtaposed(factors[-1], tok))
                if division is not None:
                    division[1] = True
            else:
                self._close_division_note(division, start, factors)
                value = sympy.Mul(*factors)
                return -value if negative else value

    def _close_division_note(self, division, start, factors) -> None:
        if division and division[1]:
            end = self.toks[self.i - 1].end
            self.note(
                "implicit_div",
                src=self.src(start, end),
                shown=show(sympy.Mul(*factors)),
                alt=f"{self.src(start, division[0])}({self.src(division[0], end)})",
            )

    def juxtaposed(self, last, tok: Token):
        """Implicit multiplication: 2w, 3(w+1), (w+1)(w-1), w x, 2sin(w). Returns the new factor."""
        before = self.i - 1
        prev = self.toks[before]
        if tok.kind == "num":
            if prev.kind == "num":
                raise self.fail("two_numbers", tok.start, a=prev.text, b=tok.text)
            raise self.fail("number_after", tok.start, num=tok.text)
        bare = self.bare_exponent
        call_like = self.call_like
        right = self.power()
        end = self.toks[self.i - 1].end
        if bare and bare[4] == before and not tok.space:
            base_start, base, exponent, exp_start, _ = bare
            self.note(
                "exponent_run",
                src=self.src(base_start, end),
                shown=f"{show(Pow(base, exponent, evaluate=False))}·{show(right)}",
                alt=f"{self.src(base_start, exp_start)}({self.src(exp_start, end)})",
            )
        if call_like == before and tok.kind == "lp" and not tok.space:
            self.note("call_as_product", src=self.src(prev.start, end), shown=show(last * right))
        if tok.glued:
            self.note("split_letters", src=self.src(prev.start, end), shown=show(last * right))
        return right

    def refuse_plus_minus(self, op: Token) -> None:
        """`a+-b` and `+-1` look like ±: two values, which no formula here can be."""
        nxt = self.peek()
        if op.text == "+" and nxt.kind == "op" and nxt.text == "-" and not nxt.space:
            raise self.fail("plus_minus", op.start)

    def signs(self) -> bool:
        negative = False
        while self.peek().kind == "op" and self.peek().text in "+-":
            op = self.take()
            self.refuse_plus_minus(op)
            self.expect_operand_after(op)
            negative ^= op.text == "-"
        return negative

    def unary(self):
        negative = self.signs()
        value = self.power()
        return -value if negative else value

    def power(self):
        first = self.peek()
        base = self.postfix()
        op = self.peek()
        if op.kind != "op" or op.text != "^":
            return base
        self.take()
        self.expect_operand_after(op)
        exp_tok = self.peek()
        self.chain += 1
        if self.chain > MAX_CHAIN:
            raise self.fail("too_complex", op.start)
        exponent = self.unary()
        self.chain -= 1
        result = self.make_power(base, exponent, op)
        if exp_tok.kind not in ("lp", "lb"):
            self.bare_exponent = (first.start, base, exponent, exp_tok.start, self.i - 1)
        return result

    def postfix(self):
        value = self.atom()
        while self.peek().kind == "sup":
            tok = self.take()
            value = self.make_power(value, Integer(tok.value), tok)
        return value

    def atom(self):
        tok = self.take()
        if tok.kind == "num":
            return tok.value
        if tok.kind == "name":
            return words.name(self, tok)
        if tok.kind in ("lp", "lb"):
            return self.group(tok)
        if tok.kind == "bar":
            return self.absolute(tok)
        if tok.kind == "root":
            self.expect_operand_after(tok)
            return self.make_power(self.postfix(), S.Half, tok)
        if tok.kind == "op":
            raise self.fail("stray_operator_start", tok.start, op=self.typed(tok))
        raise self.unexpected(tok)

    def group(self, opener: Token):
        if self.peek().kind in ("rp", "rb"):
            raise self.fail("empty_parens", opener.start)
        saved, self.bars = self.bars, 0
        value = self.expression()
        close = self.peek()
        if close.kind not in ("rp", "rb"):
            raise self.unexpected(close)
        self.take()
        self.bars = saved
        return value

    def absolute(self, bar: Token):
        self.bars += 1
        self.open_bars.append(bar)
        if len(self.open_bars) > MAX_DEPTH:
            raise self.fail("too_deep", bar.start, limit=MAX_DEPTH)
        value = self.expression()
        if self.peek().kind != "bar":
            raise self.fail("unclosed_bar", bar.start)
        self.take()
        self.bars -= 1
        self.open_bars.pop()
        return Abs(value)

    def arguments(self):
        """The bracketed, comma-separated arguments of a call -> (values, token spans)."""
        self.take()  # the opening bracket
        args, spans = [], []
        if self.peek().kind == "rp":
            self.take()
            return args, spans
        saved, self.bars = self.bars, 0
        while True:
            first = self.i
            args.append(self.expression())
            spans.append((first, self.i))
            sep = self.peek()
            if sep.kind == "comma":
                self.take()
                if self.peek().kind in ("rp", "comma"):
                    raise self.fail("unexpected", sep.start, token=",")
                continue
            if sep.kind == "rp":
                self.take()
                break
            raise self.unexpected(sep)
        self.bars = saved
        return args, spans

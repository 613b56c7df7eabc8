"""Learner and lesson text -> SymPy, through a whitelist: the project's security boundary.

Text is lexed into tokens and parsed by hand into SymPy objects built directly
(``var``, ``Integer``, ``sin`` ...). No string ever reaches ``eval``, ``exec`` or
any SymPy function that parses text. Every failure is a ``MathInputError`` with
a caret and one friendly sentence in English and Chinese.
"""

from __future__ import annotations

import contextvars
import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field

import sympy
from sympy import Abs, E, Integer, Pow, Rational, S, Symbol, pi
from sympy.core.parameters import distribute

from derivtutor.algebra import mathnames as names
from derivtutor.text import columns, i18n, safe_text
from derivtutor.text.errors import TutorError
from derivtutor.text.i18n import tr
from derivtutor.algebra.mathnames import MESSAGES, NOTES

MAX_LENGTH = 500            # characters in one answer or lesson field
HUGE_LINE = 10_000          # a pasted file rather than a formula
MAX_DEPTH = 40              # nested brackets, bars and calls
MAX_CHAIN = 100             # powers chained inside one another (2^2^2^…)
MAX_DIGITS = 50             # digits in one number literal
MAX_EXPONENT = 10_000       # |n| in x^n, even for symbols
MAX_RESULT_DIGITS = 1_000   # digits a computed number may have
MAX_DECIMAL_EXPONENT = 300  # 1e300 at most

_LOG10_2 = math.log10(2)

_ARITY = {
    (1, 1): ({"en": "one input", "zh": "一个参数"}, "{name}(w)"),
    (1, 2): ({"en": "one or two inputs", "zh": "一个或两个参数"}, "{name}(w, 2)"),
    (2, 2): ({"en": "two inputs", "zh": "两个参数"}, "{name}(w^2, w)"),
    (2, 8): ({"en": "two or more inputs", "zh": "两个或更多参数"}, "{name}(0, w)"),
}
QUOTED = 60  # characters of the learner's text a message quotes (the caret line shows the rest)


MAX_DIFF_NESTING = 3  # diff(diff(diff(…))) levels the parser differentiates itself


class MathInputError(TutorError, ValueError):
    """Text that could not be read: where (column), why (code, message), and a caret to show it."""

    def __init__(self, code: str, text: str, column: int, key: str | None = None, **fields: object):
        self.text = text
        self.column = max(0, min(column, len(text)))
        self.key = key or code  # the sentence: codes that share one name it apart from the code
        # Fields quote the learner's text: one short, visible line each, never a whole 1 MB paste.
        super().__init__(code, **{k: safe_text.quote(v, QUOTED) if isinstance(v, str) else v
                                  for k, v in fields.items()})

    def localized(self, lang: str | None = None) -> str:
        """The sentence in the learner's language ("en" or "zh")."""
        return tr(MESSAGES[self.key], lang, **self.fields)

    def caret(self) -> str:
        """Two lines: the input (windowed when long), then ``^`` under the column."""
        line = "".join(_visible(c) for c in self.text)
        col = self.column
        if len(line) > 76:
            lo = max(0, min(col - 38, len(line) - 76))
            hi = lo + 76
            head = "…" if lo else ""
            line = head + line[lo:hi] + ("…" if hi < len(line) else "")
            col = col - lo + len(head)
        return line + "\n" + " " * _width(line[:col]) + "^"

    def __reduce__(self):
        return (_rebuild_error, (self.code, self.text, self.column, self.key, self.fields))


def _rebuild_error(code, text, column, key, fields):
    return MathInputError(code, text, column, key, **fields)


def _visible(ch: str) -> str:
    return "\ufffd" if unicodedata.category(ch) in ("Cc", "Cf", "Cs") else ch


def _width(text: str) -> int:
    """Terminal columns of `text` (where the caret goes)."""
    return columns.width(text)


# ---------------------------------------------------------------- variables

_VARS: dict[str, Symbol] = {}


def var(name: str) -> Symbol:
    """The one real Symbol for a name ("alpha" and "α" are the same variable).

    A name with a control character in it (from `--wrt`, say) gets it made visible, so no
    Symbol can ever print an escape sequence.
    """
    name = names.canonical_name(safe_text.clean(name, keep_layout=False))
    sym = _VARS.get(name)
    if sym is None:
        sym = _VARS.setdefault(name, Symbol(name, real=True))
    return sym


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


# ---------------------------------------------------------------- lexer


@dataclass(frozen=True)
class _Tok:
    kind: str      # num name op lp rp lb rb comma bar eq dot sup partial root end
    text: str
    start: int
    end: int
    space: bool = False   # whitespace right before it
    value: object = None  # Rational for num, int for sup
    glued: bool = False   # a name split off the one before it: "a9b" is a9 then b


_SINGLE = {
    "+": "op", "-": "op", "/": "op", "^": "op",
    "(": "lp", ")": "rp", "[": "lb", "]": "rb",
    ",": "comma", "|": "bar", ".": "dot", "∂": "partial", "√": "root",
}
_OPEN = {"lp": "rp", "lb": "rb"}


def _normalise(text: str) -> str:
    """One character for one: full-width forms, Unicode operators and spaces become ASCII."""
    return "".join(names.normalize_char(names.CHAR_MAP.get(c, c)) for c in text)


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def _is_ascii_letter(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z")


def _lex(text: str) -> list[_Tok]:
    src = _normalise(text)
    n = len(src)
    toks: list[_Tok] = []
    i = 0
    space = False
    while i < n:
        ch = src[i]
        if ch == " ":
            space, i = True, i + 1
            continue
        if _is_digit(ch) or (ch == "." and i + 1 < n and _is_digit(src[i + 1])):
            tok = _lex_number(text, src, i, space)
        elif _is_ascii_letter(ch) or ch == "_" or names.is_greek_letter(ch):
            j = i + 1
            while j < n and (_is_ascii_letter(src[j]) or _is_digit(src[j]) or src[j] == "_"):
                j += 1
            if names.is_greek_letter(ch) and (j == i + 1 or src[i + 1] not in "_0123456789"):
                j = i + 1  # "αx" is α·x, "ε0" and "ε_1" are names
            word = src[i:j]
            if word.startswith("_"):
                raise MathInputError("not_math", text, i, name=word)
            glued = bool(toks) and toks[-1].kind == "name" and toks[-1].end == i and not space \
                and _is_digit(src[i - 1]) and text[i - 1] not in names.CHAR_MAP  # w₁x: the subscript sets w₁ apart
            cut = _glue_point(word)
            if cut:  # "a9b": a9, then b (as STACK reads it); "log10x" stays one word
                j, word = i + cut, word[:cut]
            tok = _Tok("name", word, i, j, space, glued=glued)
        elif ch in names.SUPERSCRIPTS:
            tok = _lex_superscript(text, src, i, space)
        elif ch == "*":
            two = src.startswith("**", i)
            tok = _Tok("op", "^" if two else "*", i, i + (2 if two else 1), space)
        elif ch == "=":
            if src.startswith("==", i):
                raise MathInputError("double_equals", text, i)
            tok = _Tok("eq", "=", i, i + 1, space)
        elif ch in _SINGLE:
            tok = _Tok(_SINGLE[ch], ch, i, i + 1, space)
        else:
            raise _refused_char(text, src, i, toks)
        toks.append(tok)
        i, space = tok.end, False
    toks.append(_Tok("end", "", len(text), len(text), space))
    return toks


def _glue_point(word: str) -> int:
    """Where a name with a digit followed by a letter splits ("a9b" at 2), or 0 for no split."""
    for k in range(1, len(word)):
        if _is_digit(word[k - 1]) and _is_ascii_letter(word[k]):
            head = word[:k]
            if names.canonical_function(head) or _Parser.function_prefix(head):
                return 0
            return k
    return 0


def _is_word_letter(ch: str) -> bool:
    """A letter of a written language other than the ASCII and Greek a formula uses."""
    return unicodedata.category(ch).startswith("L") and not _is_ascii_letter(ch) and not names.is_greek_letter(ch)


def _refused_char(text: str, src: str, i: int, toks: list[_Tok]) -> MathInputError:
    ch = src[i]
    key = names.REFUSED_CHARS.get(ch, "bad_char")
    if key == "bad_char" and _is_word_letter(ch) and (
        unicodedata.category(ch) == "Lo" or sum(map(_is_word_letter, src)) > 1
    ):
        return MathInputError("words", text, i)
    if ch == "'" and toks and toks[-1].kind == "name" and toks[-1].end == i:
        key = "prime"
    return MathInputError(key, text, i, char=text[i])


def _lex_number(text: str, src: str, i: int, space: bool) -> _Tok:
    n = len(src)
    j = i
    while j < n and _is_digit(src[j]):
        j += 1
    whole, frac = src[i:j], ""
    if j < n and src[j] == ".":
        k = j + 1
        while k < n and _is_digit(src[k]):
            k += 1
        follows = src[k] if k < n else " "
        # "6." is six; "(2).subs" and "2.x" keep the dot for what follows.
        if k > j + 1 or not (_is_ascii_letter(follows) or follows in "._"):
            frac, j = src[j + 1:k], k
    power = 0
    if j < n and src[j] in "eE":
        k = j + 1
        if k < n and src[k] in "+-":
            k += 1
        if k < n and _is_digit(src[k]):
            m = k
            while m < n and _is_digit(src[m]):
                m += 1
            digits = src[k:m]
            if len(digits) > 6 or int(digits) > MAX_DECIMAL_EXPONENT:
                raise MathInputError("decimal_exponent", text, i, number=text[i:m], limit=MAX_DECIMAL_EXPONENT)
            power = -int(digits) if src[k - 1] == "-" else int(digits)
            j = m
    if j < n and src[j] == "." and j + 1 < n and _is_digit(src[j + 1]):
        raise MathInputError("bad_number", text, j, number=text[i:j + 2])
    significant = (whole + frac).lstrip("0")
    if len(significant) > MAX_DIGITS or len(whole + frac) > 4 * MAX_DIGITS:
        raise MathInputError("number_too_long", text, i, limit=MAX_DIGITS)
    mantissa = int(whole + frac) if whole + frac else 0
    shift = power - len(frac)
    value = Integer(mantissa * 10**shift) if shift >= 0 else Rational(mantissa, 10**-shift)
    return _Tok("num", text[i:j], i, j, space, value)


def _lex_superscript(text: str, src: str, i: int, space: bool) -> _Tok:
    j = i
    while j < len(src) and src[j] in names.SUPERSCRIPTS:
        j += 1
    plain = "".join(names.SUPERSCRIPTS[c] for c in src[i:j])
    if not re.fullmatch(r"[+-]?[0-9]+", plain):
        raise MathInputError("bad_superscript", text, i)
    if len(plain) > MAX_DIGITS:
        raise MathInputError("number_too_long", text, i, limit=MAX_DIGITS)
    return _Tok("sup", text[i:j], i, j, space, int(plain))


def _match_brackets(text: str, toks: list[_Tok]) -> dict[int, int]:
    """Pair every bracket (by start column, both ways); refuse depth past MAX_DEPTH."""
    pairs: dict[int, int] = {}
    stack: list[_Tok] = []
    for tok in toks:
        if tok.kind in _OPEN:
            stack.append(tok)
            if len(stack) > MAX_DEPTH:
                raise MathInputError("too_deep", text, tok.start, limit=MAX_DEPTH)
        elif tok.kind in ("rp", "rb"):
            if not stack:
                raise MathInputError("unmatched_paren", text, tok.start)
            opener = stack.pop()
            if _OPEN[opener.kind] != tok.kind:
                raise MathInputError("mismatched_bracket", text, tok.start, close=tok.text, open=opener.text)
            pairs[opener.start], pairs[tok.start] = tok.start, opener.start
    if stack:
        raise MathInputError("unclosed_paren", text, stack[-1].start)
    return pairs


# ---------------------------------------------------------------- SymPy building blocks


def _sigmoid(x):
    return 1 / (1 + sympy.exp(-x))


_BUILD = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan,
    "sec": sympy.sec, "csc": sympy.csc, "cot": sympy.cot,
    "asin": sympy.asin, "acos": sympy.acos, "atan": sympy.atan,
    "asec": sympy.asec, "acsc": sympy.acsc, "acot": sympy.acot,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh,
    "asinh": sympy.asinh, "acosh": sympy.acosh, "atanh": sympy.atanh,
    "exp": sympy.exp, "ln": sympy.log, "log": sympy.log,
    "log10": lambda x: sympy.log(x, 10), "log2": lambda x: sympy.log(x, 2),
    "sqrt": sympy.sqrt, "abs": Abs, "sign": sympy.sign, "sigmoid": _sigmoid,
    "max": sympy.Max, "min": sympy.Min, "relu": lambda x: sympy.Max(0, x),
    "coth": sympy.coth, "sech": sympy.sech, "csch": sympy.csch,
    "lg": lambda x, base=10: sympy.log(x, base), "root": sympy.root,  # root is built like sqrt, in call
}
_CONSTANTS = {"e": E, "pi": pi, "π": pi}
_BAD_VALUES = (S.ComplexInfinity, S.NaN, S.Infinity, S.NegativeInfinity)


def _digits_estimate(number) -> int:
    """Decimal digits of a Rational's larger part, from bit lengths (no str of a huge int)."""
    bits = max(abs(int(number.p)).bit_length(), int(number.q).bit_length())
    return int(bits * _LOG10_2) + 1


# ---------------------------------------------------------------- parser


class _Parser:
    """Recursive descent over tokens; builds SymPy objects as it goes."""

    def __init__(self, text, toks, pairs, variables, notes):
        self.text = text
        self.diff_depth = 0  # diff(…) levels open while reading (bounded: MAX_DIFF_NESTING)
        self.toks = toks
        self.pairs = pairs
        self.variables = variables
        self.notes = notes
        self.i = 0
        self.bars = 0
        self.open_bars: list[_Tok] = []
        self.chain = 0
        self.bare_exponent = None  # (base start, base, exponent, exponent start, last token index)
        self.call_like = None      # token index of a one-letter name right before "("

    # -- helpers
    def peek(self, k: int = 0) -> _Tok:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def take(self) -> _Tok:
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

    def typed(self, tok: _Tok) -> str:
        """A token as the learner typed it (× rather than *)."""
        return self.text[tok.start:tok.end]

    def starts_operand(self, tok: _Tok) -> bool:
        return tok.kind in ("num", "name", "lp", "lb", "root") or (tok.kind == "bar" and not self.bars)

    def expect_operand_after(self, op: _Tok) -> None:
        nxt = self.peek()
        if nxt.kind == "op" and nxt.text not in "+-":
            raise self.fail("double_operator", nxt.start, ops=self.typed(op) + self.typed(nxt))
        if nxt.kind in ("end", "rp", "rb", "comma", "eq", "dot"):
            raise self.fail("stray_operator_end", op.start, op=self.typed(op))

    def unexpected(self, tok: _Tok) -> MathInputError:
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

    def juxtaposed(self, last, tok: _Tok):
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

    def refuse_plus_minus(self, op: _Tok) -> None:
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
            return self.name(tok)
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

    def group(self, opener: _Tok):
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

    def absolute(self, bar: _Tok):
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

    # -- names
    def name(self, tok: _Tok):
        vs = self.variables
        canon = names.canonical_name(tok.text)
        nxt = self.peek()
        if nxt.kind == "lb" and not nxt.space and names.canonical_function(tok.text) is None:
            return self.subscript(tok, canon)
        if vs is not None and canon in vs:
            return self.as_variable(tok, canon)
        fn = names.canonical_function(tok.text)
        if fn is not None:
            return self.call(tok, fn)
        if tok.text in _CONSTANTS:
            return _CONSTANTS[tok.text]
        if tok.text in names.REFUSED_WORDS:
            raise self.fail(names.REFUSED_WORDS[tok.text], tok.start)
        if tok.text.startswith("log_"):
            return self.log_base(tok)
        if canon == "σ" and nxt.kind == "lp" and not nxt.space:
            inner = self.text[nxt.start + 1:self.pairs[nxt.start]]
            raise self.fail("sigma_call", tok.start, typed=self.text[tok.start:self.pairs[nxt.start] + 1], inner=inner)
        if nxt.kind == "lp" and not nxt.space and len(tok.text) > 2:
            letter_fn = names.canonical_function(tok.text[1:])
            if _is_ascii_letter(tok.text[0]) and letter_fn and (vs is None or tok.text[0] in vs or tok.text[0] == "e"):
                return self.letter_times_function(tok, letter_fn)
        if nxt.kind == "lp" and not nxt.space and "_" in tok.text and len(tok.text.split("_")[0]) > 1 \
                and canon not in names.GREEK.values():
            inner = self.text[nxt.start + 1:self.pairs[nxt.start]]
            raise self.fail("unknown_function", tok.start, key="unknown_function_product", name=tok.text, inner=inner)
        if nxt.kind == "lp" and len(tok.text) > 1 and not self.is_plain_name(tok.text, canon):
            raise self.unknown_function(tok, nxt)
        if tok.text in names.PYTHON_WORDS:
            raise self.fail("not_math", tok.start, name=tok.text)
        if vs is None and self.is_plain_name(tok.text, canon):
            return self.as_variable(tok, canon)
        prefix = self.function_prefix(tok.text)
        if prefix:
            raise self.fail("needs_brackets", tok.start, suggestion=f"{prefix}({tok.text[len(prefix):]})")
        letters = [c for c in tok.text]
        if len(letters) > 1 and all(_is_ascii_letter(c) for c in letters) and (
            vs is None or all(c in vs or c == "e" for c in letters)
        ):
            value = sympy.Mul(*(_CONSTANTS.get(c) or var(c) for c in letters))
            self.note("split_letters", src=tok.text, shown=show(value))
            return value
        raise self.unknown_variable(tok, canon)

    @staticmethod
    def is_plain_name(text: str, canon: str) -> bool:
        """One letter, a Greek name, a whitelisted word, or a name with digits/underscores."""
        return (
            len(text) == 1
            or canon in names.GREEK.values()
            or text in names.WORDS
            or (any(c.isdigit() or c == "_" for c in text) and not _Parser.function_prefix(text))
        )

    @staticmethod
    def function_prefix(text: str) -> str | None:
        for fname in names.all_function_names():
            if text.startswith(fname) and len(text) > len(fname):
                return fname
        return None

    def as_variable(self, tok: _Tok, canon: str):
        nxt = self.peek()
        if nxt.kind == "lp" and not nxt.space:
            self.call_like = self.i - 1
        return var(canon)

    def subscript(self, tok: _Tok, canon: str):
        """w[0] is the variable w0 (as w₀ is), never w·0: a whole number is the only index."""
        lb = self.take()
        index, close = self.peek(), self.peek(1)
        if index.kind != "num" or not index.value.is_Integer or index.value < 0 or "." in index.text \
                or "e" in index.text.lower() or close.kind != "rb":
            raise self.fail("index", lb.start, name=tok.text)
        self.i += 2
        name = f"{canon}{int(index.value)}"
        if self.variables is not None and name not in self.variables:
            raise self.unknown_variable(_Tok("name", self.text[tok.start:close.end], tok.start, close.end), name)
        self.note("subscript", src=self.text[tok.start:close.end], shown=name)
        return var(name)

    def log_base(self, tok: _Tok):
        """log_2(w), log_10(w), log_b(w), log_e(w): the logarithm to that base, as log(w, base)."""
        base_text = tok.text[len("log_"):]
        if base_text.isdigit() and int(base_text) > 1:
            base = Integer(int(base_text))
        elif base_text == "e":
            base = E
        elif base_text and not base_text.isdigit() and self.is_plain_name(base_text, names.canonical_name(base_text)):
            canon = names.canonical_name(base_text)
            if self.variables is not None and canon not in self.variables:
                raise self.unknown_variable(tok, canon)
            base = var(canon)
        else:
            raise self.fail("log_base", tok.start, name=tok.text)
        lp = self.peek()
        if lp.kind != "lp":
            raise self.fail("needs_brackets", tok.start, suggestion=f"{tok.text}(w)")
        args, _ = self.arguments()
        if len(args) != 1:
            expects, example = _ARITY[(1, 1)]
            raise self.fail("wrong_args", tok.start, name=tok.text, expects=expects["en"],
                            example=example.replace("{name}", tok.text), expects_zh=expects["zh"])
        return self.checked(sympy.log(args[0], base), tok)

    def letter_times_function(self, tok: _Tok, fn: str):
        """xsin(x) is x·sin(x), as STACK reads it; the note says so."""
        letter = tok.text[0]
        factor = _CONSTANTS.get(letter) or var(letter)
        rest = _Tok("name", tok.text[1:], tok.start + 1, tok.end, False)
        value = factor * self.call(rest, fn)
        self.note("split_letters", src=self.text[tok.start:self.toks[self.i - 1].end], shown=show(value))
        return value

    def unknown_function(self, tok: _Tok, lp: _Tok) -> MathInputError:
        typed = tok.text
        inside = self.text[lp.start + 1:self.pairs[lp.start]].strip()
        rewrite = names.FUNCTION_REWRITES.get(typed.lower())
        if rewrite is not None:  # log1p(x): say what to write, never the near spelling log10
            shown = inside if 0 < len(inside) <= 24 else "x"
            return self.fail("unknown_function", tok.start, key="rewrite", typed=f"{typed}({shown})",
                             suggestion=rewrite.replace("{arg}", shown))
        guess = names.FUNCTION_TYPOS.get(typed)
        if guess is None:
            lower = {n.lower(): n for n in names.FUNCTIONS}
            guess = lower.get(typed.lower())
        if guess is None:
            # Only a near spelling with the same first letter: "fact" is not a slip for "acot".
            close = difflib.get_close_matches(typed, list(names.FUNCTIONS), n=1, cutoff=0.75)
            guess = close[0] if close and close[0][0] == typed[0].lower() else None
        if guess is None and typed in names.PYTHON_WORDS:
            return self.fail("not_math", tok.start, name=typed)
        if guess is None:
            return self.fail("unknown_function", tok.start, name=typed)
        args = self.text[lp.start:self.pairs[lp.start] + 1]
        if len(args) > 24:
            args = "(…)"
        return self.fail("unknown_function", tok.start, key="did_you_mean",
                         typed=typed + args, suggestion=guess + args)

    def unknown_variable(self, tok: _Tok, canon: str) -> MathInputError:
        known = sorted(self.variables or ())
        match = [v for v in known if v.lower() == canon.lower()]
        match = match or difflib.get_close_matches(canon, known, n=1, cutoff=0.6)
        if match:
            return self.fail("unknown_variable", tok.start, name=tok.text, suggestion=match[0])
        return self.fail("unknown_variable", tok.start, key="unknown_variable_list",
                         name=tok.text, known=i18n.listing(known) if known else "—")

    # -- function calls
    def call(self, tok: _Tok, fn: str):
        power = self.function_power(tok)
        lp = self.peek()
        if lp.kind != "lp":
            after = lp.text if lp.kind in ("name", "num") else "w"
            raise self.fail("needs_brackets", tok.start, suggestion=f"{tok.text}({after})")
        args, spans = self.diff_arguments(tok) if fn == "diff" else self.arguments()
        low, high = names.FUNCTIONS[fn]
        if not low <= len(args) <= high:
            expects, example = _ARITY[(low, high)]
            raise self.fail("wrong_args", tok.start, name=tok.text,
                            expects=expects["en"], example=example.replace("{name}", tok.text),
                            expects_zh=expects["zh"])
        if fn == "diff":
            inner, wrt = self.diff_parts(tok, args, spans)
            result = self.bounded_diff(inner, wrt, tok)
        elif fn == "sqrt" or (fn == "root" and len(args) == 1):
            result = self.make_power(args[0], S.Half, tok)
        elif fn == "root":
            if args[1].is_zero:
                raise self.fail("division_by_zero", tok.start)
            result = self.make_power(args[0], Pow(args[1], -1), tok)
        else:
            if fn == "lg" and len(args) == 1:
                self.note("lg")
            result = self.checked(_BUILD[fn](*args), tok)
        if power is not None:
            result = self.make_power(result, Integer(power), tok)
        return result

    def bounded_diff(self, inner, wrt, tok: _Tok):
        """d(inner)/d(wrt) through cas, which runs a large one in the worker within the budget."""
        from derivtutor.algebra import cas

        try:
            return cas.call("diff", inner, wrt)
        except cas.CasTimeout:
            raise self.fail("diff_too_big", tok.start) from None

    def diff_arguments(self, tok: _Tok):
        """The arguments of diff(…), at most MAX_DIFF_NESTING deep: each level is differentiated
        here, in the parser, and twenty levels around x^x^x^x never finish."""
        self.diff_depth += 1
        try:
            if self.diff_depth > MAX_DIFF_NESTING:
                raise self.fail("diff_too_deep", tok.start, most=MAX_DIFF_NESTING)
            return self.arguments()
        finally:
            self.diff_depth -= 1

    def function_power(self, tok: _Tok) -> int | None:
        """sin²(w) and sin^2(w) mean sin(w)²; sin⁻¹ is refused as ambiguous."""
        nxt = self.peek()
        power = None
        if nxt.kind == "sup":
            power = nxt.value
            self.take()
        elif nxt.kind == "op" and nxt.text == "^":
            ahead = [self.peek(k) for k in (1, 2, 3)]
            if ahead[0].kind == "num" and ahead[1].kind == "lp":
                power = ahead[0].value
                self.i += 2
            elif ahead[0].text == "-" and ahead[1].kind == "num" and ahead[2].kind == "lp":
                power = -ahead[1].value
        if power is None:
            return None
        if not (isinstance(power, (int, Integer)) and 0 < int(power) <= 100):
            raise self.fail("ambiguous_inverse", tok.start, name=tok.text)
        return int(power)

    def arguments(self):
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

    def diff_parts(self, tok: _Tok, args, spans):
        """diff(expr, w) -> (expr, w); diff(expr) when expr has exactly one variable."""
        if len(args) == 1:
            free = sorted(args[0].free_symbols, key=lambda s: s.name)
            if len(free) != 1:
                raise self.fail("bad_diff", tok.start)
            return args[0], free[0]
        first, last = spans[1]
        wrt = args[1]
        if last - first != 1 or not isinstance(wrt, Symbol):
            raise self.fail("bad_diff", self.toks[first].start)
        return args[0], wrt

    # -- checks on what SymPy built
    def make_power(self, base, exponent, op: _Tok):
        if exponent.is_number:
            size = _magnitude(exponent)
            if size is None or size > MAX_EXPONENT:
                raise self.fail("exponent_too_big", op.start, limit=MAX_EXPONENT)
            if base.is_number and base.is_zero and exponent.is_negative:
                raise self.fail("division_by_zero", op.start)
            if base.is_Rational and abs(base) != 1 and base != 0:
                log_size = _log_size(base)
                digits = size * log_size
                # A root of a long integer makes SymPy factor it: keep those small.
                too_long_to_root = not exponent.is_Integer and log_size > MAX_DIGITS
                if too_long_to_root:
                    raise self.fail("number_too_big", op.start, key="root_too_big", limit=MAX_DIGITS)
                if digits > MAX_RESULT_DIGITS:
                    raise self.fail("number_too_big", op.start, digits=int(digits) + 1)
            elif base.is_number:
                # SymPy multiplies out the rational parts: (√2)^9999 is 2^4999·√2; π^9999 stays.
                log_size = max((_log_size(r) for r in base.atoms(Rational)), default=0.0)
                if size * log_size > MAX_RESULT_DIGITS:
                    raise self.fail("number_too_big", op.start, digits=int(size * log_size) + 1)
        result = Pow(base, exponent)
        if result.is_Pow and result.exp.is_Number and abs(result.exp) > MAX_EXPONENT:
            raise self.fail("exponent_too_big", op.start, limit=MAX_EXPONENT)
        return self.checked(result, op) if base.is_number and exponent.is_number else result

    def checked(self, value, tok: _Tok):
        """Refuse undefined (log(0)) and non-real (√-1) values where they appear."""
        if value.has(*_BAD_VALUES):
            raise self.fail("undefined", tok.start)
        if value.is_number and (value.has(S.ImaginaryUnit) or value.is_real is False):
            raise self.fail("not_real", tok.start)
        return value


def _log_size(number) -> float:
    """log10 of a Rational's larger part (its digit count, about)."""
    return max(math.log10(abs(int(number.p)) or 1), math.log10(int(number.q)))


def _magnitude(number) -> float | None:
    """|number| as a float, None when it cannot be had (too big, complex)."""
    try:
        value = abs(float(number))
    except (TypeError, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


# ---------------------------------------------------------------- forms


def _dpart(toks: list[_Tok], i: int):
    """One side of dJ/dw: "dJ", "d J" or "∂J" -> (name, next index)."""
    tok = toks[i]
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if tok.kind == "partial" and nxt is not None and nxt.kind == "name":
        return nxt.text, i + 2
    if tok.kind == "name" and tok.text == "d" and nxt is not None and nxt.kind == "name":
        return nxt.text, i + 2
    if (
        tok.kind == "name" and len(tok.text) > 1 and tok.text[0] == "d"
        and _is_ascii_letter(tok.text[1]) and tok.text not in names.GREEK
    ):
        return tok.text[1:], i + 1
    return None


_UNDERSCORE_FORM = re.compile(r"d([A-Za-z]\w*?)_d([A-Za-z]\w*)")


def _fraction_head(toks: list[_Tok]):
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


def _operator_head(toks: list[_Tok]):
    """d/dw or ∂/∂w at the start -> (wrt name, wrt token, index after the head)."""
    if len(toks) < 3 or toks[1].text != "/" or not (
        toks[0].kind == "partial" or (toks[0].kind == "name" and toks[0].text == "d")
    ):
        return None
    bottom = _dpart(toks, 2)
    if bottom is None:
        return None
    return bottom[0], toks[bottom[1] - 1], bottom[1]


def _define_head(toks: list[_Tok]):
    """J or J(w) or J(w, b) -> name."""
    first = toks[0]
    if first.kind != "name" or names.canonical_function(first.text) or first.text in _CONSTANTS:
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


def _decimal_literals(text: str, toks: list[_Tok]) -> tuple:
    """Numbers typed with a point or an exponent (0.1, 2.5e-3) and not whole: how to echo them."""
    found = {}
    for tok in toks:
        if tok.kind == "num" and not tok.value.is_Integer:
            literal = _normalise(text[tok.start:tok.end])
            found.setdefault(abs(tok.value), "0" + literal if literal.startswith(".") else literal)
    return tuple(found.items())


def _depths(toks: list[_Tok]) -> list[int]:
    depth, out = 0, []
    for tok in toks:
        if tok.kind in ("rp", "rb"):
            depth -= 1
        out.append(depth)
        if tok.kind in _OPEN:
            depth += 1
    return out


class _Reader:
    """One call of ``read``: splits the line into its form, then parses the pieces."""

    def __init__(self, text: str, variables):
        self.text = text
        self.variables = variables
        self.notes: list = []
        self.toks = _lex(text)
        self.pairs = _match_brackets(text, self.toks)
        self.decimals = _decimal_literals(text, self.toks)

    def parser(self, toks: list[_Tok]) -> _Parser:
        return _Parser(self.text, toks, self.pairs, self.variables, self.notes)

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

    def plain(self, toks: list[_Tok]) -> Reading:
        main, chain = self.split_subs(toks)
        fraction = _fraction_head(main)
        if fraction is not None and not (self.variables and main[0].text in self.variables):
            name, wrt, wrt_tok = fraction
            at = self.subs_chain(chain)
            return self.make(var(name), "diff", names.canonical_name(name), self.wrt_name(wrt, wrt_tok), at)
        expr, at, diff_wrt = self.body(toks, allow_top_diff=True)
        if diff_wrt is not None:
            return self.make(expr, "diff", None, diff_wrt, at)
        return self.make(expr, "expr", None, None, at)

    def equation(self, toks: list[_Tok], eq: _Tok) -> Reading:
        k = toks.index(eq)
        if _depths(toks)[k]:
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

    def wrt_name(self, name: str, tok: _Tok) -> str:
        canon = names.canonical_name(name)
        if self.variables is not None and canon not in self.variables:
            parser = self.parser([tok, _Tok("end", "", tok.end, tok.end)])
            raise parser.unknown_variable(tok, canon)
        return canon

    def split_subs(self, toks: list[_Tok]):
        depths = _depths(toks)
        for k, tok in enumerate(toks):
            if tok.kind == "dot" and depths[k] == 0:
                return toks[:k], toks[k:]
        return toks, []

    def body(self, toks: list[_Tok], allow_top_diff: bool):
        """An expression, maybe a whole diff(…) call, maybe followed by .subs(…)."""
        main, chain = self.split_subs(toks)
        if not main:
            raise self.fail("empty", chain[0].start if chain else len(self.text))
        at = self.subs_chain(chain)
        end = _Tok("end", "", main[-1].end, main[-1].end)
        parser = self.parser(main + [end])
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
            inner, wrt = parser.diff_parts(main[0], args, spans)
            return inner, at, wrt.name
        expr = parser.expression()
        if parser.peek().kind != "end":
            raise parser.unexpected(parser.peek())
        return expr, at, None

    def subs_chain(self, toks: list[_Tok]) -> dict:
        """.subs(w, 2) / .subs([(w, 2), (b, 3)]), repeated -> {"w": 2, ...}."""
        at: dict = {}
        if not toks:
            return at
        parser = self.parser(toks + [_Tok("end", "", toks[-1].end, toks[-1].end)])
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

    def subs_pair(self, parser: _Parser, at: dict, method: _Tok) -> None:
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

    def expect(self, parser: _Parser, kind: str, method: _Tok) -> None:
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
        if node in _BAD_VALUES:
            raise MathInputError("undefined", text, 0)
        if node is S.ImaginaryUnit:
            raise MathInputError("not_real", text, 0)
        if node.is_Rational and _digits_estimate(node) > MAX_RESULT_DIGITS + 1:
            raise MathInputError("number_too_big", text, 0, digits=_digits_estimate(node))
        if node.is_Pow and node.exp.is_Number and abs(node.exp) > MAX_EXPONENT:
            raise MathInputError("exponent_too_big", text, 0, limit=MAX_EXPONENT)


def _check_text(text) -> str:
    if not isinstance(text, str):
        raise MathInputError("not_text", repr(text)[:60], 0)
    if len(text) >= HUGE_LINE:
        raise MathInputError("huge_line", text[:200], 0, n=len(text))
    for i, ch in enumerate(text):
        if ch in "\n\r\u2028\u2029\x0b\x0c":
            raise MathInputError("multiline", text, i)
        if ch != "\t" and unicodedata.category(ch) in ("Cc", "Cf", "Cs"):
            raise MathInputError("control_char", text, i, codepoint=f"U+{ord(ch):04X}")
    depth = 0
    for i, ch in enumerate(_normalise(text)):  # before the length: "sin(sin(sin(…" is about depth
        depth += ch in "([" and 1 or -(ch in ")]" and depth > 0)
        if depth > MAX_DEPTH:
            raise MathInputError("too_deep", text, i, limit=MAX_DEPTH)
    if len(text) > MAX_LENGTH:
        raise MathInputError("too_long", text, MAX_LENGTH, n=len(text), limit=MAX_LENGTH)
    if not text.strip() or not _normalise(text).strip():
        raise MathInputError("empty", text, 0)
    return text


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
        _check_text(text)
        # Keep 3(w+1) as typed rather than 3w + 3: the echo shows what was written.
        with distribute(False):
            return _Reader(text, _variable_set(variables)).reading()
    except MathInputError:
        raise
    except Exception as exc:  # RecursionError, OverflowError, SymPy internals: never a traceback
        shown = text if isinstance(text, str) else repr(text)
        raise MathInputError("unreadable", shown[:MAX_LENGTH], 0) from exc


normalize = names.normalize  # the public name the runner, free play and review call


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


# ---------------------------------------------------------------- show

_ADD, _NEG, _MUL, _POW, _ATOM = 1, 2, 3, 4, 5
_BIG = 10**30
_NAMED = {
    S.Pi: "π", S.Exp1: "e", S.Infinity: "∞", S.NegativeInfinity: "−∞",
    S.ComplexInfinity: "∞̃", S.NaN: "NaN", S.ImaginaryUnit: "i",
}


_DECIMALS: contextvars.ContextVar[dict] = contextvars.ContextVar("decimals", default={})


def show(expr, decimals: dict | None = None) -> str:
    """One line of Unicode for echoing: "3·w²", "−1/w²", "e^(2·w)", "|w|".

    `decimals` maps numbers to how they were typed ({1/10: "0.1"}): those print as typed.
    """
    if isinstance(expr, bool) or not isinstance(expr, (int, float, sympy.Basic)):
        return str(expr)
    if isinstance(expr, int):
        expr = Integer(expr)
    elif isinstance(expr, float):
        expr = sympy.Float(expr)
    token = _DECIMALS.set(decimals or {})
    try:
        return _show(expr)[0]
    except RecursionError:
        return "…"
    finally:
        _DECIMALS.reset(token)


def _show(e) -> tuple[str, int]:
    named = _NAMED.get(e) if e.is_Atom else None
    if named is not None:
        return named, _ATOM
    for cls, printer in _PRINTERS:
        if isinstance(e, cls):
            return printer(e)
    return str(e), _ATOM


def _wrap(e, need: int) -> str:
    text, prec = _show(e)
    return text if prec >= need else f"({text})"


def _natural(n: int) -> tuple[str, int]:
    """Digits of a non-negative int, capped: 1.41246…×10¹⁵⁰⁵ for giant ones."""
    if n < _BIG:
        return str(n), _ATOM
    k = max(0, int((n.bit_length() - 1) * _LOG10_2) - 8)
    lead = n // 10**k
    while lead >= 10**6:
        lead //= 10
        k += 1
    digits = str(lead)
    exponent = str(k + len(digits) - 1).translate(names.TO_SUPERSCRIPT)
    return f"{digits[0]}.{digits[1:]}…×10{exponent}", _MUL


def _show_integer(e) -> tuple[str, int]:
    text, prec = _natural(abs(int(e.p)))
    return ("−" + text, _NEG) if e.p < 0 else (text, prec)


def _show_rational(e) -> tuple[str, int]:
    typed = _DECIMALS.get().get(abs(e))
    if typed is not None:
        return ("−" + typed, _NEG) if e.p < 0 else (typed, _ATOM)
    text = f"{_natural(abs(int(e.p)))[0]}/{_natural(int(e.q))[0]}"
    return ("−" + text, _NEG) if e.p < 0 else (text, _MUL)


def _show_float(e) -> tuple[str, int]:
    value = float(e)
    text = repr(value)
    return ("−" + text[1:], _NEG) if text.startswith("-") else (text, _ATOM)


def _show_symbol(e) -> tuple[str, int]:
    return e.name, _ATOM


def _negative(term) -> bool:
    coeff = term.as_coeff_Mul()[0]
    return bool(coeff.is_negative)


def _show_add(e) -> tuple[str, int]:
    terms = e.as_ordered_terms()
    out = [_show(terms[0])[0]]
    for term in terms[1:]:
        if _negative(term):
            out.append(" − " + _wrap(-term, _MUL))
        else:
            out.append(" + " + _wrap(term, _MUL))
    return "".join(out), _ADD


def _show_mul(e) -> tuple[str, int]:
    coeff, rest = e.as_coeff_Mul()
    sign = "−" if coeff.is_negative else ""
    coeff = -coeff if coeff.is_negative else coeff
    top, bottom = [], []
    for factor in sympy.Mul.make_args(rest):
        if factor.is_Pow and factor.exp.is_Number and factor.exp.is_negative:
            bottom.append(Pow(factor.base, -factor.exp))
        else:
            top.append(factor)
    if coeff.is_Rational and coeff in _DECIMALS.get():
        top.insert(0, coeff)
    elif coeff.is_Rational:
        if coeff.p != 1 or not top:
            top.insert(0, Integer(coeff.p))
        if coeff.q != 1:
            bottom.insert(0, Integer(coeff.q))
    elif coeff != 1:
        top.insert(0, coeff)
    text = "·".join(_wrap(f, _POW) for f in top)
    if len(bottom) == 1:
        text = f"{text}/{_wrap(bottom[0], _POW)}"
    elif bottom:
        text = f"{text}/({'·'.join(_wrap(f, _POW) for f in bottom)})"
    return (sign + text, _NEG) if sign else (text, _MUL)


def _exponent(ex) -> str:
    if ex.is_Integer and ex > 0:
        return str(int(ex)).translate(names.TO_SUPERSCRIPT)
    text, prec = _show(ex)
    return "^" + (text if prec >= _ATOM else f"({text})")


def _show_pow(e) -> tuple[str, int]:
    base, ex = e.args
    if base is S.Exp1:
        return "e" + _exponent(ex), _POW
    if ex.is_Number and ex.is_negative:
        return "1/" + _wrap(Pow(base, -ex), _POW), _MUL
    if ex == S.Half:
        text, prec = _show(base)
        plain = prec >= _ATOM and (base.is_Symbol or (base.is_Integer and base > 0))
        return "√" + (text if plain else f"({text})"), _POW
    return _wrap(base, _ATOM) + _exponent(ex), _POW


def _show_exp(e) -> tuple[str, int]:
    return "e" + _exponent(e.args[0]), _POW


def _show_log(e) -> tuple[str, int]:
    return "ln(" + ", ".join(_show(a)[0] for a in e.args) + ")", _ATOM


def _show_abs(e) -> tuple[str, int]:
    return "|" + _show(e.args[0])[0] + "|", _ATOM


def _show_max_min(e) -> tuple[str, int]:
    return type(e).__name__.lower() + "(" + ", ".join(_show(a)[0] for a in e.args) + ")", _ATOM


def _show_step(e) -> tuple[str, int]:
    """Heaviside(w, 1/2) as θ(w), DiracDelta(w) as δ(w): the derivatives of max and sign."""
    mark = "θ" if isinstance(e, sympy.Heaviside) else "δ"
    return f"{mark}({_show(e.args[0])[0]})", _ATOM


def _show_function(e) -> tuple[str, int]:
    return type(e).__name__ + "(" + ", ".join(_show(a)[0] for a in e.args) + ")", _ATOM


# Order matters: subclasses before their bases (Integer before Rational, exp before Function).
_PRINTERS = (
    (sympy.Integer, _show_integer),
    (sympy.Rational, _show_rational),
    (sympy.Float, _show_float),
    (sympy.Symbol, _show_symbol),
    (sympy.Add, _show_add),
    (sympy.Mul, _show_mul),
    (sympy.Pow, _show_pow),
    (sympy.exp, _show_exp),
    (sympy.log, _show_log),
    (sympy.Abs, _show_abs),
    ((sympy.Max, sympy.Min), _show_max_min),
    ((sympy.Heaviside, sympy.DiracDelta), _show_step),
    (sympy.Function, _show_function),
)

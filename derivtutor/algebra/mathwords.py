"""What a name in a formula means: a variable, e or π, a function applied to its arguments,
or a refusal that says what was probably meant.

`mathparser` hands every name token to `name`. The order of the questions below is the
reading: a subscript w[0], a lesson's own variable, a function (sin, and its aliases), a
constant, a refused word (inf), log_b, then the near misses: σ(…) and xsin(x) and runs of
letters (xy is x·y, with a note), and last "did you mean": a slip of a function's spelling
(In for ln, sine for sin), a function of another library (log1p: write ln(1 + x)), or the
nearest of the lesson's variables. The tables of names live in `mathnames`; the functions
take the parser, whose tokens and notes they read and advance.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

import sympy
from sympy import E, Integer, Pow, S, Symbol

from derivtutor.algebra import mathnames as names
from derivtutor.algebra.mathbuild import BUILDERS, CONSTANT_VALUES, var
from derivtutor.algebra.matherror import MathInputError
from derivtutor.algebra.mathlexer import Token
from derivtutor.algebra.mathnames import is_ascii_letter
from derivtutor.algebra.mathprinter import show
from derivtutor.text import i18n
from derivtutor.text.i18n import Catalog

if TYPE_CHECKING:
    from derivtutor.algebra.mathparser import Parser

MAX_DIFF_NESTING = 3  # diff(diff(diff(…))) levels the parser differentiates itself

# How many inputs a function takes, (fewest, most) -> how to say it, and an example call.
ARITY = Catalog(__name__, "ARITY")
_ARITY = {(1, 1): ("one", "{name}(w)"), (1, 2): ("one_or_two", "{name}(w, 2)"),
          (2, 2): ("two", "{name}(w^2, w)"), (2, 8): ("two_or_more", "{name}(0, w)")}


def name(p: Parser, tok: Token):
    """The value of a name the parser met: a variable, a constant, a call, or a refusal."""
    vs = p.variables
    canon = names.canonical_name(tok.text)
    nxt = p.peek()
    if nxt.kind == "lb" and not nxt.space and names.canonical_function(tok.text) is None:
        return _subscript(p, tok, canon)
    if vs is not None and canon in vs:
        return _as_variable(p, tok, canon)
    fn = names.canonical_function(tok.text)
    if fn is not None:
        return _call(p, tok, fn)
    if tok.text in CONSTANT_VALUES:
        return CONSTANT_VALUES[tok.text]
    if tok.text in names.REFUSED_WORDS:
        raise p.fail(names.REFUSED_WORDS[tok.text], tok.start)
    if tok.text.startswith("log_"):
        return _log_base(p, tok)
    if canon == "σ" and nxt.kind == "lp" and not nxt.space:
        inner = p.text[nxt.start + 1:p.pairs[nxt.start]]
        raise p.fail("sigma_call", tok.start, typed=p.text[tok.start:p.pairs[nxt.start] + 1], inner=inner)
    if nxt.kind == "lp" and not nxt.space and len(tok.text) > 2:
        letter_fn = names.canonical_function(tok.text[1:])
        if is_ascii_letter(tok.text[0]) and letter_fn and (vs is None or tok.text[0] in vs or tok.text[0] == "e"):
            return _letter_times_function(p, tok, letter_fn)
    if nxt.kind == "lp" and not nxt.space and "_" in tok.text and len(tok.text.split("_")[0]) > 1 \
            and canon not in names.GREEK.values():
        inner = p.text[nxt.start + 1:p.pairs[nxt.start]]
        raise p.fail("unknown_function", tok.start, key="unknown_function_product", name=tok.text, inner=inner)
    if nxt.kind == "lp" and len(tok.text) > 1 and not names.is_plain_name(tok.text, canon):
        raise _unknown_function(p, tok, nxt)
    if tok.text in names.PYTHON_WORDS:
        raise p.fail("not_math", tok.start, name=tok.text)
    if vs is None and names.is_plain_name(tok.text, canon):
        return _as_variable(p, tok, canon)
    prefix = names.function_prefix(tok.text)
    if prefix:
        raise p.fail("needs_brackets", tok.start, suggestion=f"{prefix}({tok.text[len(prefix):]})")
    letters = [c for c in tok.text]
    if len(letters) > 1 and all(is_ascii_letter(c) for c in letters) and (
        vs is None or all(c in vs or c == "e" for c in letters)
    ):
        value = sympy.Mul(*(CONSTANT_VALUES.get(c) or var(c) for c in letters))
        p.note("split_letters", src=tok.text, shown=show(value))
        return value
    raise unknown_variable(p.text, p.variables, tok, canon)


def _as_variable(p: Parser, tok: Token, canon: str):
    """The variable; right before "(" it remembers the place, for the note "w(x+1) is w·(x+1)"."""
    nxt = p.peek()
    if nxt.kind == "lp" and not nxt.space:
        p.call_like = p.i - 1
    return var(canon)


def _subscript(p: Parser, tok: Token, canon: str):
    """w[0] is the variable w0 (as w₀ is), never w·0: a whole number is the only index."""
    lb = p.take()
    index, close = p.peek(), p.peek(1)
    if index.kind != "num" or not index.value.is_Integer or index.value < 0 or "." in index.text \
            or "e" in index.text.lower() or close.kind != "rb":
        raise p.fail("index", lb.start, name=tok.text)
    p.i += 2
    indexed = f"{canon}{int(index.value)}"
    if p.variables is not None and indexed not in p.variables:
        typed = Token("name", p.text[tok.start:close.end], tok.start, close.end)
        raise unknown_variable(p.text, p.variables, typed, indexed)
    p.note("subscript", src=p.text[tok.start:close.end], shown=indexed)
    return var(indexed)


def _log_base(p: Parser, tok: Token):
    """log_2(w), log_10(w), log_b(w), log_e(w): the logarithm to that base, as log(w, base)."""
    base_text = tok.text[len("log_"):]
    if base_text.isdigit() and int(base_text) > 1:
        base = Integer(int(base_text))
    elif base_text == "e":
        base = E
    elif base_text and not base_text.isdigit() and names.is_plain_name(base_text, names.canonical_name(base_text)):
        canon = names.canonical_name(base_text)
        if p.variables is not None and canon not in p.variables:
            raise unknown_variable(p.text, p.variables, tok, canon)
        base = var(canon)
    else:
        raise p.fail("log_base", tok.start, name=tok.text)
    lp = p.peek()
    if lp.kind != "lp":
        raise p.fail("needs_brackets", tok.start, suggestion=f"{tok.text}(w)")
    args, _ = p.arguments()
    if len(args) != 1:
        raise _wrong_args(p, tok, 1, 1)
    return p.checked(sympy.log(args[0], base), tok)


def _letter_times_function(p: Parser, tok: Token, fn: str):
    """xsin(x) is x·sin(x), as STACK reads it; the note says so."""
    letter = tok.text[0]
    factor = CONSTANT_VALUES.get(letter) or var(letter)
    rest = Token("name", tok.text[1:], tok.start + 1, tok.end, False)
    value = factor * _call(p, rest, fn)
    p.note("split_letters", src=p.text[tok.start:p.toks[p.i - 1].end], shown=show(value))
    return value


def _unknown_function(p: Parser, tok: Token, lp: Token) -> MathInputError:
    """A name called like a function that is none: what to write instead, or its nearest spelling."""
    typed = tok.text
    inside = p.text[lp.start + 1:p.pairs[lp.start]].strip()
    rewrite = names.FUNCTION_REWRITES.get(typed.lower())
    if rewrite is not None:  # log1p(x): say what to write, never the near spelling log10
        shown = inside if 0 < len(inside) <= 24 else "x"
        return p.fail("unknown_function", tok.start, key="rewrite", typed=f"{typed}({shown})",
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
        return p.fail("not_math", tok.start, name=typed)
    if guess is None:
        return p.fail("unknown_function", tok.start, name=typed)
    args = p.text[lp.start:p.pairs[lp.start] + 1]
    if len(args) > 24:
        args = "(…)"
    return p.fail("unknown_function", tok.start, key="did_you_mean",
                  typed=typed + args, suggestion=guess + args)


def unknown_variable(text: str, variables, tok: Token, canon: str) -> MathInputError:
    """A name that is no variable here: the nearest one (`W` for `w`), or the list of them."""
    known = sorted(variables or ())
    match = [v for v in known if v.lower() == canon.lower()]
    match = match or difflib.get_close_matches(canon, known, n=1, cutoff=0.6)
    if match:
        return MathInputError("unknown_variable", text, tok.start, name=tok.text, suggestion=match[0])
    return MathInputError("unknown_variable", text, tok.start, key="unknown_variable_list",
                          name=tok.text, known=i18n.listing(known) if known else "—")


def _call(p: Parser, tok: Token, fn: str):
    """A function applied to its bracketed arguments: sin(w), sin²(w), log(w, 2), root(w, 3), diff(…)."""
    power = _function_power(p, tok)
    lp = p.peek()
    if lp.kind != "lp":
        after = lp.text if lp.kind in ("name", "num") else "w"
        raise p.fail("needs_brackets", tok.start, suggestion=f"{tok.text}({after})")
    args, spans = _diff_arguments(p, tok) if fn == "diff" else p.arguments()
    low, high = names.FUNCTIONS[fn]
    if not low <= len(args) <= high:
        raise _wrong_args(p, tok, low, high)
    if fn == "diff":
        inner, wrt = diff_parts(p, tok, args, spans)
        result = _bounded_diff(p, inner, wrt, tok)
    elif fn == "sqrt" or (fn == "root" and len(args) == 1):
        result = p.make_power(args[0], S.Half, tok)
    elif fn == "root":
        if args[1].is_zero:
            raise p.fail("division_by_zero", tok.start)
        result = p.make_power(args[0], Pow(args[1], -1), tok)
    else:
        if fn == "lg" and len(args) == 1:
            p.note("lg")
        result = p.checked(BUILDERS[fn](*args), tok)
    if power is not None:
        result = p.make_power(result, Integer(power), tok)
    return result


def _bounded_diff(p: Parser, inner, wrt, tok: Token):
    """d(inner)/d(wrt) through cas, which runs a large one in the worker within the budget."""
    from derivtutor.algebra import cas

    try:
        return cas.call("diff", inner, wrt)
    except cas.CasTimeout:
        raise p.fail("diff_too_big", tok.start) from None


def _diff_arguments(p: Parser, tok: Token):
    """The arguments of diff(…), at most MAX_DIFF_NESTING deep: each level is differentiated
    here, in the parser, and twenty levels around x^x^x^x never finish."""
    p.diff_depth += 1
    try:
        if p.diff_depth > MAX_DIFF_NESTING:
            raise p.fail("diff_too_deep", tok.start, most=MAX_DIFF_NESTING)
        return p.arguments()
    finally:
        p.diff_depth -= 1


def _function_power(p: Parser, tok: Token) -> int | None:
    """sin²(w) and sin^2(w) mean sin(w)²; sin⁻¹ is refused as ambiguous."""
    nxt = p.peek()
    power = None
    if nxt.kind == "sup":
        power = nxt.value
        p.take()
    elif nxt.kind == "op" and nxt.text == "^":
        ahead = [p.peek(k) for k in (1, 2, 3)]
        if ahead[0].kind == "num" and ahead[1].kind == "lp":
            power = ahead[0].value
            p.i += 2
        elif ahead[0].text == "-" and ahead[1].kind == "num" and ahead[2].kind == "lp":
            power = -ahead[1].value
    if power is None:
        return None
    if not (isinstance(power, (int, Integer)) and 0 < int(power) <= 100):
        raise p.fail("ambiguous_inverse", tok.start, name=tok.text)
    return int(power)


def diff_parts(p: Parser, tok: Token, args, spans):
    """diff(expr, w) -> (expr, w); diff(expr) when expr has exactly one variable."""
    if len(args) == 1:
        free = sorted(args[0].free_symbols, key=lambda s: s.name)
        if len(free) != 1:
            raise p.fail("bad_diff", tok.start)
        return args[0], free[0]
    first, last = spans[1]
    wrt = args[1]
    if last - first != 1 or not isinstance(wrt, Symbol):
        raise p.fail("bad_diff", p.toks[first].start)
    return args[0], wrt


def _wrong_args(p: Parser, tok: Token, low: int, high: int) -> MathInputError:
    """A function given too few or too many inputs, with a call that has the right number."""
    key, example = _ARITY[(low, high)]
    expects = ARITY[key]
    return p.fail("wrong_args", tok.start, name=tok.text, expects=expects["en"],
                  example=example.replace("{name}", tok.text), expects_zh=expects["zh"])

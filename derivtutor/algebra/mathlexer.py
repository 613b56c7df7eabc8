"""Characters -> tokens, each with the columns it came from; refusals that are about characters.

The first step of reading math. A line is checked as text (one line, no control characters,
not too long or too deeply bracketed), every character is mapped to the ASCII a formula uses
(full-width ２, ×, − and subscript digits, one for one, so columns stay put), and the result
is cut into numbers, names, superscripts and operators. A character no formula uses is
refused here with its own sentence (`;`, quotes, LaTeX, words). Number literals become exact
SymPy numbers at once: "0.1" is 1/10, never a float. What the tokens mean is `mathparser`'s job.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sympy import Integer, Rational

from derivtutor.algebra import mathnames as names
from derivtutor.algebra.matherror import MathInputError
from derivtutor.algebra.mathnames import is_ascii_letter

MAX_LENGTH = 500            # characters in one answer or lesson field
HUGE_LINE = 10_000          # a pasted file rather than a formula
MAX_DEPTH = 40              # nested brackets, bars and calls
MAX_DIGITS = 50             # digits in one number literal
MAX_DECIMAL_EXPONENT = 300  # 1e300 at most


@dataclass(frozen=True)
class Token:
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
OPEN = {"lp": "rp", "lb": "rb"}  # opening bracket kind -> the kind that closes it


def end_token(column: int) -> Token:
    """The marker that ends a run of tokens (the parser stops there)."""
    return Token("end", "", column, column)


def normalise(text: str) -> str:
    """One character for one: full-width forms, Unicode operators and spaces become ASCII."""
    return "".join(names.normalize_char(names.CHAR_MAP.get(c, c)) for c in text)


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def check_text(text) -> str:
    """Refuse what is not one line of formula before any token is cut: not text, a pasted
    file, several lines, control characters, runaway brackets, too many characters, nothing."""
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
    for i, ch in enumerate(normalise(text)):  # before the length: "sin(sin(sin(…" is about depth
        depth += ch in "([" and 1 or -(ch in ")]" and depth > 0)
        if depth > MAX_DEPTH:
            raise MathInputError("too_deep", text, i, limit=MAX_DEPTH)
    if len(text) > MAX_LENGTH:
        raise MathInputError("too_long", text, MAX_LENGTH, n=len(text), limit=MAX_LENGTH)
    if not text.strip() or not normalise(text).strip():
        raise MathInputError("empty", text, 0)
    return text


def lex(text: str) -> list[Token]:
    """The tokens of a line, ending with an "end" token; columns are those of `text` as typed."""
    src = normalise(text)
    n = len(src)
    toks: list[Token] = []
    i = 0
    space = False
    while i < n:
        ch = src[i]
        if ch == " ":
            space, i = True, i + 1
            continue
        if _is_digit(ch) or (ch == "." and i + 1 < n and _is_digit(src[i + 1])):
            tok = _lex_number(text, src, i, space)
        elif is_ascii_letter(ch) or ch == "_" or names.is_greek_letter(ch):
            j = i + 1
            while j < n and (is_ascii_letter(src[j]) or _is_digit(src[j]) or src[j] == "_"):
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
            tok = Token("name", word, i, j, space, glued=glued)
        elif ch in names.SUPERSCRIPTS:
            tok = _lex_superscript(text, src, i, space)
        elif ch == "*":
            two = src.startswith("**", i)
            tok = Token("op", "^" if two else "*", i, i + (2 if two else 1), space)
        elif ch == "=":
            if src.startswith("==", i):
                raise MathInputError("double_equals", text, i)
            tok = Token("eq", "=", i, i + 1, space)
        elif ch in _SINGLE:
            tok = Token(_SINGLE[ch], ch, i, i + 1, space)
        else:
            raise _refused_char(text, src, i, toks)
        toks.append(tok)
        i, space = tok.end, False
    toks.append(Token("end", "", len(text), len(text), space))
    return toks


def _glue_point(word: str) -> int:
    """Where a name with a digit followed by a letter splits ("a9b" at 2), or 0 for no split."""
    for k in range(1, len(word)):
        if _is_digit(word[k - 1]) and is_ascii_letter(word[k]):
            head = word[:k]
            if names.canonical_function(head) or names.function_prefix(head):
                return 0
            return k
    return 0


def _is_word_letter(ch: str) -> bool:
    """A letter of a written language other than the ASCII and Greek a formula uses."""
    return unicodedata.category(ch).startswith("L") and not is_ascii_letter(ch) and not names.is_greek_letter(ch)


def _refused_char(text: str, src: str, i: int, toks: list[Token]) -> MathInputError:
    ch = src[i]
    key = names.REFUSED_CHARS.get(ch, "bad_char")
    if key == "bad_char" and _is_word_letter(ch) and (
        unicodedata.category(ch) == "Lo" or sum(map(_is_word_letter, src)) > 1
    ):
        return MathInputError("words", text, i)
    if ch == "'" and toks and toks[-1].kind == "name" and toks[-1].end == i:
        key = "prime"
    return MathInputError(key, text, i, char=text[i])


def _lex_number(text: str, src: str, i: int, space: bool) -> Token:
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
        if k > j + 1 or not (is_ascii_letter(follows) or follows in "._"):
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
    return Token("num", text[i:j], i, j, space, value)


def _lex_superscript(text: str, src: str, i: int, space: bool) -> Token:
    j = i
    while j < len(src) and src[j] in names.SUPERSCRIPTS:
        j += 1
    plain = "".join(names.SUPERSCRIPTS[c] for c in src[i:j])
    if not re.fullmatch(r"[+-]?[0-9]+", plain):
        raise MathInputError("bad_superscript", text, i)
    if len(plain) > MAX_DIGITS:
        raise MathInputError("number_too_long", text, i, limit=MAX_DIGITS)
    return Token("sup", text[i:j], i, j, space, int(plain))


def match_brackets(text: str, toks: list[Token]) -> dict[int, int]:
    """Pair every bracket (by start column, both ways); refuse depth past MAX_DEPTH."""
    pairs: dict[int, int] = {}
    stack: list[Token] = []
    for tok in toks:
        if tok.kind in OPEN:
            stack.append(tok)
            if len(stack) > MAX_DEPTH:
                raise MathInputError("too_deep", text, tok.start, limit=MAX_DEPTH)
        elif tok.kind in ("rp", "rb"):
            if not stack:
                raise MathInputError("unmatched_paren", text, tok.start)
            opener = stack.pop()
            if OPEN[opener.kind] != tok.kind:
                raise MathInputError("mismatched_bracket", text, tok.start, close=tok.text, open=opener.text)
            pairs[opener.start], pairs[tok.start] = tok.start, opener.start
    if stack:
        raise MathInputError("unclosed_paren", text, stack[-1].start)
    return pairs


def depths(toks: list[Token]) -> list[int]:
    """How many brackets are open at each token (a closing one counts as outside)."""
    depth, out = 0, []
    for tok in toks:
        if tok.kind in ("rp", "rb"):
            depth -= 1
        out.append(depth)
        if tok.kind in OPEN:
            depth += 1
    return out

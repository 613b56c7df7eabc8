"""What the checker answers, and how the numbers in its sentences read.

`Verdict` (right or not, how it was decided, the sentence in each language), the
`Equivalence` of two expressions and the `Counterexample` that proves them different; and
the few helpers that write a verdict's numbers so that two different numbers never look
the same. The sentences are this module's TOML (TEXT), shared with `check.CheckError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sympy
from sympy import Expr

from derivtutor.algebra.evaluate import nearly_real
from derivtutor.algebra.mistakes import Mistake
from derivtutor.text.i18n import Catalog, listing, tr
from derivtutor.text.numbers import plain, terminating_decimal, true_minus

TEXT = Catalog(__name__, 'TEXT')


@dataclass(frozen=True)
class Counterexample:
    point: dict                      # Symbol -> exact number
    learner: complex | None          # the answer's value there (None: undefined)
    expected: float
    learner_exact: Expr | None = None   # exact values, when the decision was exact
    expected_exact: Expr | None = None

    def describe(self) -> str:
        return str(listing(f"{s.name} = {num_text(v)}" for s, v in self.point.items()))

    def learner_real(self) -> bool:
        return self.learner is not None and nearly_real(self.learner)


@dataclass(frozen=True)
class Equivalence:
    equal: bool | None               # None: could not decide
    how: str                         # "exact" | "identity" | "sampled" | "simplify" | "undecided" | "imprecise"
    counterexample: Counterexample | None = None
    points: int = 0                  # valid sample points that agreed

    def __bool__(self) -> bool:
        return bool(self.equal)


@dataclass(frozen=True)
class Verdict:
    correct: bool
    how: str       # exact | identity | sampled | simplify | rounded | numeric | mistake | undecided
    feedback: str  # in the language asked for; `localized` gives the others
    counterexample: Counterexample | None = None
    mistake: Mistake | None = None
    corrected: Expr | None = None    # the right answer (dJ/dw, its value, or the expected one)
    answer: Expr | None = None
    texts: dict = field(default_factory=dict, repr=False)

    def localized(self, lang: str | None = None) -> str:
        return tr(self.texts, lang) if self.texts else self.feedback


def verdict(correct, how, key, lang, *, counterexample=None, mistake=None, corrected=None, answer=None,
            message=None, **fields) -> Verdict:
    texts = {}
    for code in ("en", "zh"):
        extra = {"message": message[code]} if message else {}
        texts[code] = tr(TEXT[key], code, **fields, **extra)
    return Verdict(correct, how, tr(texts, lang), counterexample, mistake, corrected, answer, texts)



# ---------------------------------------------------------------------------
# Numbers and math in the sentences


def right_text(answer, right) -> str:
    """The right number as usual, or with more digits if it would read like the learner's."""
    text = num_text(right)
    return distinct_texts(answer, right)[1] if text == num_text(answer) else text


def distinct_texts(a, b) -> tuple[str, str]:
    """Two numbers the checker calls different, shown so that they look different: exact when
    short (−510451521 against −510451522, 99999999/100000000 against 99999998/99999999), else
    with as many significant digits as it takes to tell them apart."""
    exact = [_exact_text(x) for x in (a, b)]
    if all(t is not None for t in exact) and exact[0] != exact[1]:
        return exact[0], exact[1]
    for digits in (6, 9, 12, 15, 17, 25, 40):
        texts = [_digits_text(x, digits) for x in (a, b)]
        if texts[0] != texts[1]:
            return texts[0], texts[1]
    return texts[0], texts[1]


def _exact_text(x) -> str | None:
    """An integer or fraction written out, when it is at most 24 characters long."""
    if isinstance(x, sympy.Basic) and x.is_Rational:
        text = str(x) if x.is_Integer else num_text(x) if x.q in _SHORT_DENOMINATORS else f"{x.p}/{x.q}"
        return text.replace("-", "−") if len(text) <= 24 else None
    return None


def _digits_text(x, digits: int) -> str:
    if isinstance(x, sympy.Basic):
        if x.is_Integer and len(str(abs(x))) <= digits:
            return str(x).replace("-", "−")
        value = Decimal(str(sympy.N(x, digits))).normalize()
        if value == value.to_integral_value() and abs(value) < 10**digits:
            text = str(int(value))  # 50, not the 5e+1 that normalize() leaves for "g"
        else:
            text = format(value, f".{digits}g").replace("E", "e")
    else:
        text = plain(x, min(digits, 17))
    return true_minus(text)


# fractions whose decimal ends within six places (a counterexample at ε = 0.1 gives 9.261, not 9261/1000)
_SHORT_DENOMINATORS = frozenset(2**a * 5**b for a in range(7) for b in range(7) if 10**6 % (2**a * 5**b) == 0) - {1}


def num_text(x) -> str:
    """A number as a learner reads it: integers plain, others to 6 significant digits, true minus."""
    if isinstance(x, sympy.Basic):
        if x.is_Integer:
            return true_minus(str(x))
        if x.is_Rational and x.q in _SHORT_DENOMINATORS and abs(x) < 10**15:
            return terminating_decimal(int(x.p), int(x.q))
        x = float(sympy.N(x, 17))
    return true_minus(plain(x, 6))


def point_math(point: dict, math: bool = True):
    """"w = 2, x = 3" marked as math, in both languages' forms ("$w = 2$、$x = 3$" in Chinese)."""
    return listing((f"{s.name} = {num_text(v)}" for s, v in point.items()), math=math)


def _show(expr) -> str:
    from derivtutor.algebra import mathprinter

    return mathprinter.show(expr)


def math_text(expr) -> str:
    return _dollars(_show(expr))


def _dollars(text: str) -> str:
    return f"${text}$"


def number_shown(answer, typed) -> str:
    return typed.strip() if typed and typed.strip() else _show(answer)


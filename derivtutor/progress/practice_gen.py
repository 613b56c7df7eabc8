"""Fresh practice questions for a skill: seeded, readable, and answerable at the points asked.

Each generator builds a SymPy function from small pieces (small integer
coefficients, a variable that really moves) and the question about it; the
expected answer is computed from the derivation (whose result equals
`sympy.diff`; the tests hold every skill to that), never written by hand. A draw
is kept only when the derivation really uses the skill's rule (a "chain rule"
question whose tree has no chain step is drawn again), the answer is defined
and real at the point asked, and the session has not asked it before.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import lru_cache

import sympy
from sympy import Rational, exp, log, sin, cos, tan, atan, asin, tanh, sqrt

from derivtutor.algebra import mathbuild, matherror, mathinput, mathprinter
from derivtutor.teaching import skills

W, B, X = mathbuild.var("w"), mathbuild.var("b"), mathbuild.var("x")
LEVELS = (1, 2, 3)
MAX_DRAWS = 60


@dataclass(frozen=True)
class Question:
    """One practice question: what is shown, what is expected, and how it is judged (`answer`)."""

    skill: str
    kind: str                 # a key of KINDS
    J: sympy.Expr
    wrt: sympy.Symbol
    expected: sympy.Expr      # dJ/dwrt (an expression) or an exact number
    at: dict = field(default_factory=dict)      # Symbol -> exact number
    eps: sympy.Expr | None = None
    options: tuple = ()       # choose_eps: the ε offered, as floats
    nodes: tuple = ()         # backprop: (name, formula) in order, the last is J
    alpha: sympy.Expr | None = None
    central: bool = False     # choose_eps and differences: the central quotient, not the forward one
    level: int = 1
    tags: tuple = ()

    @property
    def answer(self) -> str:
        """How an answer is judged: "derivative", "number", "predict" or "choice"."""
        return KINDS[self.kind]

    @property
    def key(self) -> str:
        point = ",".join(f"{s.name}={v}" for s, v in sorted(self.at.items(), key=lambda kv: kv[0].name))
        return f"{self.kind}|{sympy.srepr(self.J)}|{point}|{self.eps}|{self.alpha}"


# How each kind of question is answered.
KINDS = {
    "derivative": "derivative", "value": "number", "predict": "predict", "forward": "number",
    "central": "number", "choose_eps": "choice", "backprop": "number", "gradient_step": "number",
}


class Draw:
    """The random choices of one question, from one seeded generator."""

    def __init__(self, rng: random.Random, level: int):
        self.rng, self.level = rng, level

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def coef(self, top: int = 5, positive: bool = False) -> int:
        top = min(top, 2 + self.level)
        values = [c for c in range(-top, top + 1) if c not in (0,) and (c > 0 or not positive)]
        return self.pick(values)

    def big_coef(self) -> int:
        """A coefficient other than ±1 (a constant multiple that shows)."""
        return self.pick([c for c in range(-(2 + self.level), 3 + self.level) if abs(c) > 1])

    def linear(self):
        """a·w + b with a ≠ 0, b ≠ 0 (so the chain rule's factor a is there to forget)."""
        return self.big_coef() * W + self.coef()

    def inner(self):
        if self.level == 1:
            return self.linear()
        if self.level == 2:
            return self.pick([self.linear, lambda: self.coef(3, True) * W**2 + self.coef()])()
        return self.pick([lambda: W**2 + self.coef() * W, lambda: self.coef(3, True) * W**3 + self.coef(),
                          lambda: sin(self.linear())])()

    def power(self, low: int = 2, high: int = 5):
        return W ** self.pick([n for n in range(low, high + 1) if n not in (0, 1)])

    def point(self, low: int = -3, high: int = 3):
        return sympy.Integer(self.pick([n for n in range(low, high + 1) if n != 0]))


def _sigmoid(u):
    return 1 / (1 + exp(-u))


# ---- the functions of each derivative skill --------------------------------------------------

def _power(d: Draw):
    if d.level == 1:
        return d.coef() * d.power(2, 6)
    if d.level == 2:
        return d.pick([lambda: d.coef() / d.power(1, 3), lambda: d.coef() * sqrt(W), lambda: d.coef() * d.power(3, 8)])()
    return d.pick([lambda: d.coef() * W ** Rational(d.pick([3, 5, 7]), 2), lambda: d.coef() / sqrt(W),
                   lambda: d.coef() * W ** Rational(d.pick([1, 2, 4]), 3)])()


def _constant_multiple(d: Draw):
    f = d.pick([d.power, lambda: sin(W), lambda: exp(W), lambda: log(W)] if d.level > 1 else [d.power])()
    return d.big_coef() * f


def _sum(d: Draw):
    n = 1 + d.level
    powers = d.rng.sample(range(0, 6), n)
    terms = [d.coef() * W**p for p in powers]
    if d.level == 3:
        terms[-1] = d.coef() * d.pick([sin(W), exp(W), sqrt(W)])
    return sympy.Add(*terms)


def _factor(d: Draw):
    pool = [lambda: d.power(1, 4), lambda: W + d.coef()]
    if d.level > 1:
        pool += [lambda: sin(W), lambda: cos(W), lambda: exp(W), lambda: log(W)]
    return d.pick(pool)()


def _product(d: Draw):
    return _factor(d) * _factor(d)


def _quotient(d: Draw):
    top = d.pick([lambda: W, lambda: W + d.coef(), lambda: d.coef() * W**2] +
                 ([lambda: sin(W), lambda: exp(W)] if d.level > 1 else []))()
    bottom = d.pick([lambda: W + d.coef(), lambda: W**2 + d.coef(3, True)] +
                    ([lambda: exp(W) + 1, lambda: W**2 + d.coef(3, True) * W + d.coef(3, True)] if d.level > 1 else []))()
    return top / bottom


_OUTER = (
    lambda u, d: u ** d.pick([2, 3, 4]),
    lambda u, d: exp(u),
    lambda u, d: sin(u),
    lambda u, d: cos(u),
    lambda u, d: sqrt(u),
    lambda u, d: log(u),
)


def _chain(d: Draw):
    return d.pick(_OUTER)(d.inner(), d)


def _exp_log(d: Draw):
    pool = [lambda: exp(d.big_coef() * W), lambda: log(d.coef(5, True) * W), lambda: d.coef() * exp(W) + d.coef() * log(W)]
    if d.level > 1:
        pool += [lambda: d.power(1, 2) * exp(W), lambda: log(W**2 + d.coef(3, True)), lambda: exp(W**2)]
    if d.level > 2:
        pool += [lambda: exp(d.linear()) / W, lambda: W * log(W) - W, lambda: 2 ** W]
    return d.pick(pool)()


def _trig(d: Draw):
    pool = [lambda: sin(d.big_coef() * W), lambda: cos(d.linear()), lambda: d.coef() * tan(W)]
    if d.level > 1:
        pool += [lambda: sin(W) * cos(W), lambda: sin(W) ** 2, lambda: W * cos(W)]
    if d.level > 2:
        pool += [lambda: tan(W**2), lambda: sin(W) / W, lambda: cos(W) ** 3]
    return d.pick(pool)()


def _inverse_trig(d: Draw):
    pool = [lambda: atan(d.big_coef() * W), lambda: asin(W / d.pick([2, 3, 4]))]
    if d.level > 1:
        pool += [lambda: atan(W**2), lambda: W * atan(W)]
    if d.level > 2:
        pool += [lambda: atan(d.linear()) ** 2, lambda: asin(W) / W]
    return d.pick(pool)()


def _activation(d: Draw):
    pool = [lambda: _sigmoid(W), lambda: tanh(W), lambda: _sigmoid(d.big_coef() * W)]
    if d.level > 1:
        pool += [lambda: log(1 + exp(W)), lambda: tanh(d.linear()), lambda: _sigmoid(d.linear())]
    if d.level > 2:
        pool += [lambda: W * _sigmoid(W), lambda: tanh(W) ** 2, lambda: log(1 + exp(d.big_coef() * W))]
    return d.pick(pool)()


DERIVATIVE_SKILLS = {
    "power": (_power, ("power", "sqrt")),
    "constant_multiple": (_constant_multiple, ("constant_multiple",)),
    "sum": (_sum, ("sum", "difference")),
    "product": (_product, ("product",)),
    "quotient": (_quotient, ("quotient",)),
    "chain": (_chain, ("chain",)),
    "exp_log": (_exp_log, ("exp", "exponential", "ln", "log_base", "log_diff")),
    "trig": (_trig, ("trig",)),
    "inverse_trig": (_inverse_trig, ("inverse_trig",)),
    "activation": (_activation, ()),
}
_MIXED = ("power", "product", "quotient", "chain", "exp_log", "trig")


@lru_cache(maxsize=128)
def derivation(J, wrt):
    """The rule-by-rule derivation (its result equals sympy.diff): one per function, shared by the
    rule check, the tags, the expected answer, the hints and the reveal."""
    from derivtutor.algebra import steps

    return steps.derive(J, wrt)


def derivative(J, wrt):
    return derivation(J, wrt).result


def _uses_rule(J, wrt, rules: tuple[str, ...], skill: str) -> bool:
    if skill == "activation":
        return skills._is_activation(J)
    return bool(set(skills.rule_names(derivation(J, wrt))) & set(rules))


# ---- one generator per kind ---------------------------------------------------------------------

def _derivative_question(skill: str, d: Draw) -> Question:
    make, rules = DERIVATIVE_SKILLS[skill]
    J = make(d)
    if not _uses_rule(J, W, rules, skill):
        raise _Redraw
    return Question(skill, "derivative", J, W, derivative(J, W), level=d.level)


def _partial(d: Draw) -> Question:
    x, y = d.coef(3), d.coef(3)
    J = d.pick([
        lambda: (W * x + B - y) ** 2 / 2,
        lambda: d.coef() * W**2 * B + d.coef() * B,
        lambda: d.coef() * W * B**2 + d.coef() * W,
        lambda: exp(W * B) if d.level > 1 else W**2 * B**3,
        lambda: _sigmoid(W * x + B) if d.level > 2 else (W - B) ** 2,
    ])()
    wrt = d.pick([W, B])
    if J.free_symbols != {W, B}:
        raise _Redraw
    return Question("partial", "derivative", J, wrt, derivative(J, wrt), level=d.level)


def _mixed_J(d: Draw):
    skill = d.pick(_MIXED[: 2 + 2 * d.level])
    return DERIVATIVE_SKILLS[skill][0](d)


def _value(d: Draw) -> Question:
    J = _mixed_J(d)
    at = {W: d.point(1 if J.has(log, sqrt) or _has_root(J) else -3, 3)}
    return Question("evaluate", "value", J, W, _defined(derivative(J, W), at), at=at, level=d.level)


def _predict(d: Draw) -> Question:
    J = d.coef() * d.power(2, 4) + d.coef() * W
    at = {W: d.point()}
    eps = Rational(1, 1000)
    return Question("forward_difference", "predict", J, W, _defined(derivative(J, W), at), at=at, eps=eps, level=d.level)


def _difference(skill: str, d: Draw) -> Question:
    J = d.coef(3) * d.power(2, 2 + d.level) + d.coef(3) * W
    a = d.point(-2, 3)
    eps = d.pick([Rational(1, 10), Rational(1, 2), Rational(1, 100)] if d.level > 1 else [Rational(1, 10), Rational(1, 2)])
    if skill == "forward_difference":
        value, kind = (J.subs(W, a + eps) - J.subs(W, a)) / eps, "forward"
    else:
        value, kind = (J.subs(W, a + eps) - J.subs(W, a - eps)) / (2 * eps), "central"
    return Question(skill, kind, J, W, value, at={W: a}, eps=eps, level=d.level,
                    central=kind == "central")


def _forward_difference(d: Draw) -> Question:
    return _predict(d) if d.rng.random() < 0.4 else _difference("forward_difference", d)


def forward_error(J, wrt, at, eps: float, central: bool = False) -> float:
    """|difference quotient in floats − exact derivative| at the point: what choosing ε is about."""
    from derivtutor.algebra import calculus

    quotient = calculus.central_difference if central else calculus.forward_difference
    return abs(quotient(J, wrt, at, eps) - float(derivative(J, wrt).subs(at)))


EPS_CHOICES = {False: (1e-2, 1e-8, 1e-15), True: (1e-1, 1e-5, 1e-14)}


def _choose_eps(d: Draw) -> Question:
    # no quadratics: their central difference is exact, and the question would be about round-off only
    J = d.pick([lambda: d.power(3, 4), lambda: exp(W), lambda: sin(W), lambda: d.coef(3, True) * W**3 + W])()
    at = {W: d.point(1, 3)}
    central = d.level > 1 and d.rng.random() < 0.5
    options = list(EPS_CHOICES[central])
    d.rng.shuffle(options)
    errors = [forward_error(J, W, at, e, central) for e in options]
    best = min(range(len(options)), key=errors.__getitem__)
    others = sorted(errors[i] for i in range(len(options)) if i != best)
    if not errors[best] * 10 < others[0]:  # a clear winner, or the question is not fair
        raise _Redraw
    kind_skill = "central_difference" if central else "forward_difference"
    return Question("choose_eps", "choose_eps", J, W, sympy.Integer(best + 1), at=at, options=tuple(options),
                    level=d.level, tags=(kind_skill,), central=central)


def _backprop(d: Draw) -> Question:
    x, b = d.coef(3), d.coef(4)
    outer = d.pick([lambda a: a**2, lambda a: a**2 / 2, lambda a: a**3] + ([lambda a: exp(a), lambda a: _sigmoid(a)] if d.level > 2 else []))
    A = mathbuild.var("a")
    if d.level == 1:
        nodes = (("a", W * x + b), ("J", outer(A)))
    else:
        C = mathbuild.var("c")
        nodes = (("c", W * x), ("a", C + b), ("J", outer(A)))
    J = nodes[-1][1]
    for name, formula in reversed(nodes[:-1]):
        J = J.subs(mathbuild.var(name), formula)
    at = {W: d.point(-2, 2)}
    if derivative(J, W).subs(at) == 0:  # a zero gradient teaches nothing about the chain
        raise _Redraw
    return Question("backprop", "backprop", J, W, _defined(derivative(J, W), at), at=at, nodes=nodes, level=d.level)


def _gradient_step(d: Draw) -> Question:
    J = d.pick([lambda: (W - d.coef()) ** 2, lambda: d.coef(3, True) * W**2 + d.coef() * W,
                lambda: W**3 + d.coef() * W if d.level > 1 else W**2 + d.coef() * W])()
    at = {W: d.point()}
    alpha = d.pick([Rational(1, 10), Rational(1, 100), Rational(1, 4)] if d.level > 1 else [Rational(1, 10), Rational(1, 2)])
    grad = _defined(derivative(J, W), at)
    if grad == 0:
        raise _Redraw
    return Question("gradient_step", "gradient_step", J, W, at[W] - alpha * grad, at=at, alpha=alpha, level=d.level)


GENERATORS = {
    **{s: (lambda s: lambda d: _derivative_question(s, d))(s) for s in DERIVATIVE_SKILLS},
    "partial": _partial,
    "evaluate": _value,
    "forward_difference": _forward_difference,
    "central_difference": lambda d: _difference("central_difference", d),
    "choose_eps": _choose_eps,
    "backprop": _backprop,
    "gradient_step": _gradient_step,
}
assert set(GENERATORS) == set(skills.IDS)


class _Redraw(Exception):
    """This draw is degenerate or undefined where asked: draw again."""


def _has_root(J) -> bool:
    return any(p.is_Pow and p.exp.is_Rational and not p.exp.is_Integer for p in sympy.preorder_traversal(J))


def _defined(expr, at: dict):
    """The exact value of expr at the point, or _Redraw when it is not a finite real number there."""
    value = expr.subs(at)
    if not (value.is_real and value.is_finite):
        raise _Redraw
    return value


def _readable(q: Question) -> bool:
    """No degenerate forms: J moves with the variable, its derivative is not zero, numbers stay small."""
    if not q.J.has(q.wrt) or q.expected is sympy.nan:
        return False
    if q.answer == "derivative" and q.expected == 0:
        return False
    numbers = [abs(n) for n in q.J.atoms(sympy.Number) if n.is_finite]
    if not all(n <= 1000 for n in numbers) or (q.answer == "number" and abs(float(q.expected)) >= 10_000):
        return False
    return q.answer != "derivative" or _reads_back(derivative(q.J, q.wrt))


def _reads_back(expr) -> bool:
    """The answer as the reveal shows it can be typed back (the parser reads its own output)."""
    try:
        mathinput.read(mathprinter.show(expr))
        return True
    except matherror.MathInputError:
        return False


def generate(skill: str, rng: random.Random, level: int = 1, avoid: set[str] | frozenset = frozenset()) -> Question:
    """A fresh question for `skill` at `level` (1–3) that is not in `avoid` (keys)."""
    if skill not in GENERATORS:
        raise KeyError(skill)
    level = min(max(int(level), 1), LEVELS[-1])
    last = None
    for _ in range(MAX_DRAWS):
        try:
            q = GENERATORS[skill](Draw(rng, level))
        except _Redraw:
            continue
        if not _readable(q):
            continue
        last = q
        if q.key not in avoid:
            break
    if last is None:  # cannot happen with these pools; say so rather than loop
        raise RuntimeError(f"no question could be drawn for {skill}")
    tags = skills.ordered((skill, *last.tags, *skills.of_derivative(last.J, last.wrt, derivation(last.J, last.wrt)),
                           *(("evaluate",) if last.at and last.answer != "choice" else ())))
    return Question(**{**last.__dict__, "tags": tags})


def eps_text(e: float) -> str:
    exponent = round(math.log10(e))
    return f"1e{exponent}" if 10.0 ** exponent == e else repr(e)

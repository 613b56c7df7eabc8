"""The usual differentiation mistakes, as data: each row makes the wrong answer a learner
would give by mis-applying one rule, so `check` can say which rule went wrong.

A wrong answer is made by walking J's tree with a set of rules in which one rule is
mis-applied (every power, every product, every chain link in J, not only the top one).
`differentiate(expr, wrt, CORRECT)` is the same walk with every rule right; it equals
`sympy.diff`, which the tests hold it to.

A slip is tried everywhere in J and at each single place (site) in turn, and each wrong
answer remembers its sites (the power, the constant factor, the inside of a chain), so the
message names what is really in the learner's J: `row.told(wrong)`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Callable

import sympy
from sympy import Abs, Add, Expr, Mul, Pow, Poly, Symbol, exp, log

from derivtutor.text.i18n import tr

# ---------------------------------------------------------------------------
# The rule walk


@dataclass(frozen=True)
class Rules:
    """How each rule turns parts into a derivative; a mistake replaces one of them."""

    sum: Callable        # (terms, derivatives) -> d(t1 + t2 + …)
    const: Callable      # (c, f, df) -> d(c·f), c free of wrt
    product: Callable    # (factors, derivatives) -> d(f1·f2·…)
    quotient: Callable   # (u, du, v, dv) -> d(u/v)
    power: Callable      # (base, n) -> outer derivative of base**n, n free of wrt
    chain: Callable      # (outer, inner, dinner) -> outer applied through the inner function
    outer: dict          # function class -> (u -> f'(u))


def _product(factors, derivs):
    return Add(*[Mul(*factors[:i], d, *factors[i + 1:]) for i, d in enumerate(derivs)])


# f'(u) for the one-argument functions a learner meets; others fall back to sympy.diff.
OUTER = {
    sympy.exp: exp,
    sympy.log: lambda u: 1 / u,
    sympy.sin: sympy.cos,
    sympy.cos: lambda u: -sympy.sin(u),
    sympy.tan: lambda u: 1 + sympy.tan(u) ** 2,
    sympy.sinh: sympy.cosh,
    sympy.cosh: sympy.sinh,
    sympy.tanh: lambda u: 1 - sympy.tanh(u) ** 2,
    sympy.asin: lambda u: 1 / sympy.sqrt(1 - u**2),
    sympy.acos: lambda u: -1 / sympy.sqrt(1 - u**2),
    sympy.atan: lambda u: 1 / (1 + u**2),
    sympy.sec: lambda u: sympy.sec(u) * sympy.tan(u),
    sympy.csc: lambda u: -sympy.csc(u) * sympy.cot(u),
    sympy.cot: lambda u: -1 - sympy.cot(u) ** 2,
    sympy.asinh: lambda u: 1 / sympy.sqrt(u**2 + 1),
    sympy.acosh: lambda u: 1 / sympy.sqrt(u**2 - 1),
    sympy.atanh: lambda u: 1 / (1 - u**2),
    Abs: sympy.sign,
}

CORRECT = Rules(
    sum=lambda terms, derivs: Add(*derivs),
    const=lambda c, f, df: c * df,
    product=_product,
    quotient=lambda u, du, v, dv: (du * v - u * dv) / v**2,
    power=lambda b, n: n * b ** (n - 1),
    chain=lambda outer, inner, dinner: outer * dinner,
    outer=OUTER,
)


def _split_quotient(factors):
    """Numerator and denominator factors of a product (negative constant powers go below)."""
    num, den = [], []
    for f in factors:
        if isinstance(f, Pow) and f.exp.is_number and f.exp.is_negative:
            den.append(Pow(f.base, -f.exp))
        else:
            num.append(f)
    return num, den


def _d_mul(expr, wrt, rules):
    const = [a for a in expr.args if not a.has(wrt)]
    dep = [a for a in expr.args if a.has(wrt)]
    if const:
        c, f = Mul(*const), Mul(*dep)
        return rules.const(c, f, differentiate(f, wrt, rules))
    num, den = _split_quotient(dep)
    if num and den:
        u, v = Mul(*num), Mul(*den)
        return rules.quotient(u, differentiate(u, wrt, rules), v, differentiate(v, wrt, rules))
    return rules.product(dep, [differentiate(f, wrt, rules) for f in dep])


def _d_pow(expr, wrt, rules):
    b, n = expr.base, expr.exp
    if not n.has(wrt):
        return rules.chain(rules.power(b, n), b, differentiate(b, wrt, rules))
    if not b.has(wrt):
        return rules.chain(expr * log(b), n, differentiate(n, wrt, rules))
    # u**v with both varying: d(e^(v ln u)); no learner rule to get wrong here
    return expr * differentiate(n * log(b), wrt, rules)


def _d_function(expr, wrt, rules):
    outer = rules.outer.get(expr.func)
    if outer is None or len(expr.args) != 1:
        return sympy.diff(expr, wrt)
    u = expr.args[0]
    return rules.chain(outer(u), u, differentiate(u, wrt, rules))


# Dispatch on the expression's type, in order (first isinstance wins).
_DISPATCH = (
    (Add, lambda e, wrt, r: r.sum(e.args, [differentiate(a, wrt, r) for a in e.args])),
    (Mul, _d_mul),
    (Pow, _d_pow),
    (sympy.Function, _d_function),
)


def differentiate(expr: Expr, wrt: Symbol, rules: Rules = CORRECT) -> Expr:
    """d expr / d wrt by the rules given (the correct ones by default)."""
    if not expr.has(wrt):
        return sympy.Integer(0)
    if expr == wrt:
        return sympy.Integer(1)
    for kind, rule in _DISPATCH:
        if isinstance(expr, kind):
            return rule(expr, wrt, rules)
    return sympy.diff(expr, wrt)


def small(expr, max_nodes: int = 120, max_power: int = 12) -> bool:
    """Small enough to expand: few nodes, and no (a + b)^n with a large n."""
    count = 0
    for node in sympy.preorder_traversal(expr):
        count += 1
        if count > max_nodes:
            return False
        if node.is_Pow and node.exp.is_Integer and abs(node.exp) > max_power and not node.base.is_Atom:
            return False
    return True


# ---------------------------------------------------------------------------
# Mis-applied rules: each is CORRECT with one rule replaced


def _big(c) -> bool:
    """A factor whose loss a learner could make without it being a sign slip."""
    return not (c == 1 or c == -1)


def _drop_term(i):
    """The product rule with the term where factor i is differentiated left out."""
    return lambda factors, derivs: (_product(factors, derivs[:i] + [0] + derivs[i + 1:])
                                    if i < len(factors) else _product(factors, derivs))


POWER_NOT_LOWERED = replace(CORRECT, power=lambda b, n: n * b**n)
CONST_DROPPED = replace(CORRECT, const=lambda c, f, df: df if _big(c) else c * df)
EXPONENT_DROPPED = replace(CORRECT, power=lambda b, n: b ** (n - 1) if _big(n) else n * b ** (n - 1))
CHAIN_MISSING = replace(CORRECT, chain=lambda outer, inner, dinner: outer)
QUOTIENT_SWAPPED = replace(CORRECT, quotient=lambda u, du, v, dv: (u * dv - du * v) / v**2)
QUOTIENT_NO_DENOMINATOR = replace(CORRECT, quotient=lambda u, du, v, dv: du * v - u * dv)
QUOTIENT_SWAPPED_NO_DENOMINATOR = replace(CORRECT, quotient=lambda u, du, v, dv: u * dv - du * v)
PRODUCT_OF_DERIVATIVES = replace(CORRECT, product=lambda factors, derivs: Mul(*derivs))
SUM_CONSTANT_KEPT = replace(CORRECT, sum=lambda terms, derivs: Add(*[t if d == 0 else d
                                                                     for t, d in zip(terms, derivs)]))
SIGN_SLIPS = replace(
    CORRECT,
    # d(w^-n) = n·w^(-n-1) and d(cos) = sin: the minus signs a learner forgets
    power=lambda b, n: (-n if n.is_negative else n) * b ** (n - 1),
    quotient=lambda u, du, v, dv: (du * v + u * dv) / v**2,
    outer={**OUTER, sympy.cos: sympy.sin, sympy.acos: lambda u: 1 / sympy.sqrt(1 - u**2),
           sympy.tanh: lambda u: 1 + sympy.tanh(u) ** 2},
)

# Where in J a rule went wrong, from the rule's own arguments: the message fields of a site.
SITES = {
    "sum": lambda terms, derivs: {"term": Add(*[t for t, d in zip(terms, derivs) if d == 0])},
    "const": lambda c, f, df: {"term": c * f, "factor": c},
    "product": lambda factors, derivs: {"term": Mul(*factors)},
    "quotient": lambda u, du, v, dv: {"term": u / v, "den": v},
    "power": lambda b, n: {"power": b**n, "exponent": n},
    "chain": lambda outer, inner, dinner: {"inner": inner},
}


def _product_site(i):
    def site(factors, derivs):
        return {"term": Mul(*factors), "left": factors[i], "kept": Mul(*factors[:i], *factors[i + 1:])}
    return site


@dataclass(frozen=True)
class Slip:
    """One rule mis-applied: the rule set that mis-applies it, and which of its rules differs."""

    rules: Rules
    field: str
    site: Callable | None = None   # arguments -> message fields; SITES[field] by default


@dataclass(frozen=True)
class Wrong:
    """One wrong answer a mistake makes, and where in J the rule went wrong."""

    expr: Expr
    sites: tuple = ()              # message fields of each place the rule went wrong
    message: dict | None = None    # the sentence that says so (else the row's general one)


def _slipped(slips, only: int | None):
    """CORRECT with the slips applied at every site (only=None) or at site number `only`,
    and the list each site that went wrong is recorded in, as (slip index, fields)."""
    fired, count, changes = [], itertools.count(), {}

    def wrap(index, right, wrong, site):
        def rule(*args):
            good, bad = right(*args), wrong(*args)
            if bad == good:
                return good
            if next(count) == only or only is None:
                fired.append((index, site(*args)))
                return bad
            return good
        return rule

    for i, slip in enumerate(slips):
        if slip.field == "outer":
            outer = dict(changes.get("outer", OUTER))
            for f, wrong in slip.rules.outer.items():
                if wrong is not OUTER.get(f):
                    outer[f] = wrap(i, OUTER[f], wrong, lambda u, f=f: {"term": f(u)})
            changes["outer"] = outer
        else:
            changes[slip.field] = wrap(i, getattr(CORRECT, slip.field), getattr(slip.rules, slip.field),
                                       slip.site or SITES[slip.field])
    return replace(CORRECT, **changes), fired


MAX_SITES = 6     # single-site walks tried per mistake (J's in lessons have far fewer)
SITES_SIZE = 60   # tree nodes above which only the everywhere walk is tried (an expanded
                  # degree-13 polynomial is not where a learner slips at one power)


def _slips(*slips, message=None, together=False):
    """A row's wrong answers: the slips made everywhere in J, and at each single site.
    `together`: only the everywhere walk, and only when every slip went wrong somewhere."""

    def wrongs(ctx):
        rules, fired = _slipped(slips, None)
        everywhere = differentiate(ctx.J, ctx.wrt, rules)  # fills `fired`
        if not fired or together and len({i for i, _ in fired}) < len(slips):
            return ()
        out = [Wrong(everywhere, tuple(f for _, f in fired), message)]
        if not together and len(fired) > 1 and small(ctx.J, SITES_SIZE):
            for k in range(min(len(fired), MAX_SITES)):
                rules, one = _slipped(slips, k)
                wrong = differentiate(ctx.J, ctx.wrt, rules)
                if one:
                    out.append(Wrong(wrong, tuple(f for _, f in one), message))
        return tuple(out)
    return wrongs


def _each(*makers):
    return lambda ctx: tuple(w for make in makers for w in make(ctx))


# ---------------------------------------------------------------------------
# The table


@dataclass(frozen=True)
class Context:
    """What a row may use to make its wrong answers."""

    J: Expr
    wrt: Symbol
    derivative: Expr        # the right dJ/dwrt
    answer: Expr | None     # the learner's answer (only the wrong-variable row looks at it)


@dataclass(frozen=True)
class Mistake:
    code: str
    name: dict[str, str]            # what the mistake is called, e.g. "sign error"
    message: dict[str, str]         # one sentence that names it and says what to do instead
    wrongs: Callable[[Context], tuple]  # the wrong answers this mistake produces, as `Wrong`s
    symbolic: bool = True           # applies to answers that are expressions
    numeric: bool = True            # applies to a number given for dJ/dw at a point
    up_to_constant: bool = False    # matches even if the learner added a constant

    def make(self, ctx: Context) -> tuple:
        """The wrong answers, as expressions."""
        return tuple(w.expr for w in self.wrongs(ctx))

    def told(self, wrong: Wrong) -> "Mistake":
        """This row with its message said about the learner's own J (the sites of `wrong`)."""
        template = wrong.message or self.message
        said = {lang: tr(template, lang, **_site_fields(wrong.sites, lang)) for lang in ("en", "zh")}
        return replace(self, message=said)


def _join(texts: list[str], lang: str) -> str:
    """w², w³ and 1/w; w²、w³ 和 1/w."""
    if len(texts) < 2:
        return "".join(texts)
    return ("、" if lang == "zh" else ", ").join(texts[:-1]) + (" 和 " if lang == "zh" else " and ") + texts[-1]


def _site_fields(sites, lang) -> dict:
    """Each field of the sites, shown: a variable by its name, math between $ signs."""
    from derivtutor.algebra.mathprinter import show

    shown: dict[str, list[str]] = {}
    for site in sites:
        for key, value in site.items():
            text = value.name if isinstance(value, Symbol) else f"${show(value)}$"
            if text not in shown.setdefault(key, []):
                shown[key].append(text)
    return {key: _join(texts, lang) for key, texts in shown.items()}


def _general(make):
    """Wrong answers with no site to name (the row's general message says it all)."""
    return lambda ctx: tuple(Wrong(e) for e in make(ctx))


# Antiderivatives of the terms a learner integrates by mistake; None means "not this one".
def _term_integral(term, wrt):
    c, f = term.as_independent(wrt, as_Add=False)
    if not f.has(wrt):
        return c * f * wrt
    if f == wrt:
        return c * wrt**2 / 2
    if isinstance(f, Pow) and f.base == wrt and not f.exp.has(wrt):
        return c * (log(Abs(wrt)) if f.exp == -1 else wrt ** (f.exp + 1) / (f.exp + 1))
    if isinstance(f, sympy.Function) and len(f.args) == 1:
        inner = f.args[0]
        slope = sympy.diff(inner, wrt)
        if slope.has(wrt) or slope == 0:
            return None
        table = {sympy.exp: f, sympy.sin: -sympy.cos(inner), sympy.cos: sympy.sin(inner)}
        anti = table.get(f.func)
        return None if anti is None else c * anti / slope
    return None


def _integrated(ctx):
    J, wrt = ctx.J, ctx.wrt
    if small(J) and J.is_polynomial(wrt):
        p = Poly(J, wrt)
        raised = sum(c * wrt ** (k[0] + 1) for k, c in p.terms())  # exponent raised, not divided
        return (p.integrate().as_expr(), raised)
    parts = [_term_integral(t, wrt) for t in Add.make_args(J)]
    return () if any(p is None for p in parts) else (Add(*parts),)


OTHER_PARTIAL = {
    "en": "Wrong variable: your answer is ∂J/∂{other}, how J changes when {other} moves; the question "
          "asks about {wrt}, so hold {other} fixed and vary {wrt}.",
    "zh": "变量弄错了：你的答案是 ∂J/∂{other}，也就是 {other} 变化时 J 怎样变化；题目问的是 {wrt}，"
          "要固定 {other}，让 {wrt} 变化。"}
OTHER_LETTER = {
    "en": "Wrong variable: your answer is in {other}, which J does not contain; the question is how J "
          "changes when {wrt} moves, so the answer is in {wrt}.",
    "zh": "变量弄错了：你的答案用的是 {other}，可 J 里没有 {other}；题目问的是 {wrt} 变化时 J 怎样变化，"
          "答案也应该用 {wrt} 表示。"}


def _wrong_variable(ctx):
    """The right derivative written in another variable, or J differentiated by another one."""
    own = ctx.J.free_symbols
    foreign = sorted((ctx.answer.free_symbols if ctx.answer is not None else set()) - own - {ctx.wrt},
                     key=lambda s: s.name)
    others = sorted(own - {ctx.wrt}, key=lambda s: s.name)
    return (tuple(Wrong(ctx.derivative.xreplace({ctx.wrt: s}), ({"other": s},), OTHER_LETTER) for s in foreign)
            + tuple(Wrong(differentiate(ctx.J, s), ({"other": s},), OTHER_PARTIAL) for s in others))


def _wrong_point(ctx):
    d, w = ctx.derivative, ctx.wrt
    return (d.xreplace({w: w + 1}), d.xreplace({w: w - 1}), d.xreplace({w: -w}))


SIGN_FLIPPED = {
    "en": "A sign error: your answer is dJ/d{wrt} with the opposite sign; find where a minus sign "
          "went missing or crept in.",
    "zh": "符号错误：你的答案和 dJ/d{wrt} 正好差一个负号；找找是哪里漏掉了或多出了负号。"}
SIGN_SITE = {
    "en": "A sign error: differentiating {term} brings a minus sign, and it went missing.",
    "zh": "符号错误：对 {term} 求导会带出一个负号，这个负号漏掉了。"}
SIGN_POWER = {
    "en": "A sign error: differentiating {power} brings the negative exponent {exponent} down in front, "
          "minus sign and all.",
    "zh": "符号错误：对 {power} 求导时，负指数 {exponent} 连同负号一起移到前面。"}


def _sign_error(ctx):
    # the place a minus went missing first, when there is one; else the sign of the whole
    return (_slips(Slip(SIGN_SLIPS, "power"), message=SIGN_POWER)(ctx)
            + _slips(Slip(SIGN_SLIPS, "quotient"), Slip(SIGN_SLIPS, "outer"), message=SIGN_SITE)(ctx)
            + (Wrong(-ctx.derivative, (), SIGN_FLIPPED),))


def _say(en, zh):
    return {"en": en, "zh": zh}


# Order is priority: when two rows make the same wrong answer, the earlier one is named.
# A forgotten chain factor can equal the partial in another variable ((wx+b−y) for ∂/∂w of
# (wx+b−y)²/2 is ∂J/∂b): the chain-rule row comes first because it names what went wrong.
MISTAKES: tuple[Mistake, ...] = (
    Mistake(
        "quotient_swapped",
        {"en": "quotient rule with its terms swapped", "zh": "商法则分子两项顺序颠倒"},
        _say("The quotient rule with its terms swapped: for u/v it is (u′v − uv′)/v², "
             "the numerator's derivative comes first.",
             "商法则分子两项顺序颠倒了：u/v 的导数是 (u′v − uv′)/v²，分子的导数在前。"),
        _slips(Slip(QUOTIENT_SWAPPED, "quotient"), message=_say(
            "The quotient rule with its terms swapped, in {term}: for u/v it is (u′v − uv′)/v², with the "
            "numerator's derivative first; swapped, the numerator has the opposite sign.",
            "对 {term} 用的商法则分子两项顺序颠倒了：u/v 的导数是 (u′v − uv′)/v²，分子的导数在前；"
            "两项一换，分子的正负号就反了。")),
    ),
    Mistake(
        "quotient_denominator_missing",
        {"en": "quotient rule without its denominator", "zh": "商法则漏掉了分母"},
        _say("The quotient rule without its denominator: (u/v)′ = (u′v − uv′)/v², the whole numerator "
             "is divided by v².",
             "商法则漏掉了分母：(u/v)′ = (u′v − uv′)/v²，整个分子都要除以 v²。"),
        _each(
            _slips(Slip(QUOTIENT_NO_DENOMINATOR, "quotient"), message=_say(
                "The quotient rule without its denominator, in {term}: (u/v)′ = (u′v − uv′)/v², so the "
                "numerator you found is still to be divided by the square of {den}.",
                "对 {term} 用的商法则漏掉了分母：(u/v)′ = (u′v − uv′)/v²，你算出的分子还要除以 {den} 的平方。")),
            _slips(Slip(QUOTIENT_SWAPPED_NO_DENOMINATOR, "quotient"), message=_say(
                "The quotient rule without its denominator and with its terms swapped, in {term}: "
                "(u/v)′ = (u′v − uv′)/v², the numerator's derivative first, all divided by the square of {den}.",
                "对 {term} 用的商法则漏掉了分母，分子两项的顺序也颠倒了：(u/v)′ = (u′v − uv′)/v²，"
                "分子的导数在前，最后整个除以 {den} 的平方。")),
        ),
    ),
    Mistake(
        "product_of_derivatives",
        {"en": "product rule taken as the product of derivatives", "zh": "把乘积法则当成了导数相乘"},
        _say("The product rule taken as the product of derivatives: (uv)′ = u′v + uv′, not u′v′.",
             "把乘积法则当成了导数相乘：(uv)′ = u′v + uv′，而不是 u′v′。"),
        _slips(Slip(PRODUCT_OF_DERIVATIVES, "product"), message=_say(
            "The product rule taken as the product of derivatives, in {term}: (uv)′ = u′v + uv′, not u′v′.",
            "对 {term} 把乘积法则当成了导数相乘：(uv)′ = u′v + uv′，而不是 u′v′。")),
    ),
    Mistake(
        "product_term_missing",
        {"en": "product rule with a term missing", "zh": "乘积法则漏掉了一项"},
        _say("The product rule with a term missing: (uv)′ = u′v + uv′ has a term for each factor, "
             "the one where that factor is differentiated.",
             "乘积法则漏掉了一项：(uv)′ = u′v + uv′，每个因子各有一项，就是对这个因子求导的那一项。"),
        _each(*(_slips(Slip(replace(CORRECT, product=_drop_term(i)), "product", _product_site(i)), message=_say(
            "The product rule with a term missing, in {term}: you kept the term where {kept} is "
            "differentiated and left out the one where {left} is; (uv)′ = u′v + uv′ needs both.",
            "对 {term} 用的乘积法则漏掉了一项：你保留了对 {kept} 求导的那一项，却漏掉了对 {left} 求导的那一项；"
            "(uv)′ = u′v + uv′，两项都要有。")) for i in range(3))),
    ),
    Mistake(
        "chain_factor_missing",
        {"en": "chain-rule factor missing", "zh": "漏掉了链式法则的因子"},
        _say("Chain-rule factor missing: after differentiating the outside, multiply by "
             "the derivative of the inside.",
             "漏掉了链式法则的因子：对外层求导之后，还要乘以内层的导数。"),
        _slips(Slip(CHAIN_MISSING, "chain"), message=_say(
            "Chain-rule factor missing: after differentiating the outside, multiply by the derivative "
            "of the inside, {inner}.",
            "漏掉了链式法则的因子：对外层求导之后，还要乘以内层 {inner} 的导数。")),
    ),
    Mistake(
        "wrong_variable",
        {"en": "wrong variable", "zh": "变量弄错了"},
        _say("Wrong variable: the question is how J changes when {wrt} moves, so the answer "
             "comes from varying {wrt}, not another letter.",
             "变量弄错了：问题问的是 {wrt} 变化时 J 怎样变化，所以要对 {wrt} 求导，而不是对别的字母。"),
        _wrong_variable,
    ),
    Mistake(
        "gave_J",
        {"en": "J itself instead of dJ/d{wrt}", "zh": "写的是 J 本身而不是 dJ/d{wrt}"},
        _say("You gave J itself instead of dJ/d{wrt}: the question asks how fast J changes, "
             "not what J is.",
             "你写的是 J 本身而不是 dJ/d{wrt}：题目问的是 J 变化得多快，而不是 J 等于多少。"),
        _general(lambda ctx: (ctx.J,)),
    ),
    Mistake(
        "sign_error",
        {"en": "sign error", "zh": "符号错误"},
        _say("A sign error: a minus sign went missing or crept in; negative powers, cos and the "
             "quotient rule each bring a minus sign.",
             "符号错误：漏掉了或多出了一个负号；负指数、cos 和商法则求导时都会带出负号。"),
        _sign_error,
    ),
    Mistake(
        "integrated",
        {"en": "integrated instead of differentiated", "zh": "做成了积分而不是求导"},
        _say("You integrated instead of differentiated: the power rule lowers the exponent by "
             "one (w³ → 3w²), it does not raise it.",
             "你做成了积分而不是求导：幂法则是把指数减一（w³ → 3w²），而不是加一。"),
        _general(_integrated),
        up_to_constant=True,
    ),
    Mistake(
        "power_not_lowered",
        {"en": "power rule without lowering the exponent", "zh": "用幂法则时没有把指数减一"},
        _say("The power rule without lowering the exponent: wⁿ becomes n·wⁿ⁻¹, so bring n "
             "down and subtract one from it.",
             "用幂法则时没有把指数减一：wⁿ 的导数是 n·wⁿ⁻¹，n 移到前面之后指数要减一。"),
        _slips(Slip(POWER_NOT_LOWERED, "power"), message=_say(
            "The power rule without lowering the exponent, in {power}: each exponent ({exponent}) comes "
            "down in front, and the power keeps one less.",
            "对 {power} 用幂法则时没有把指数减一：指数 {exponent} 移到前面之后，留在幂上的指数要减一。")),
    ),
    Mistake(
        "coefficient_dropped",
        {"en": "coefficient dropped", "zh": "丢掉了系数"},
        _say("Coefficient dropped: a constant factor stays in the derivative, d(c·f)/d{wrt} = c·f′.",
             "丢掉了系数：常数因子在导数里要保留，d(c·f)/d{wrt} = c·f′。"),
        _each(
            _slips(Slip(CONST_DROPPED, "const"), message=_say(
                "Coefficient dropped: the constant factor {factor} in {term} stays in the derivative.",
                "丢掉了系数：{term} 里的常数因子 {factor} 在导数里要保留。")),
            _slips(Slip(CONST_DROPPED, "const"), Slip(EXPONENT_DROPPED, "power"), together=True, message=_say(
                "Coefficient dropped: the constant factor {factor} in {term} stays in the derivative, and so "
                "does the exponent {exponent} that the power rule brings down from {power}.",
                "丢掉了系数：{term} 里的常数因子 {factor} 在导数里要保留，幂法则从 {power} 移到前面的指数 "
                "{exponent} 也要保留。")),
        ),
    ),
    Mistake(
        "power_not_multiplied",
        {"en": "power rule without multiplying by the exponent", "zh": "用幂法则时没有乘以指数"},
        _say("The power rule without multiplying by the exponent: wⁿ becomes n·wⁿ⁻¹, the exponent n "
             "comes down in front as a factor.",
             "用幂法则时没有乘以指数：wⁿ 的导数是 n·wⁿ⁻¹，指数 n 要移到前面作为因子。"),
        _slips(Slip(EXPONENT_DROPPED, "power"), message=_say(
            "The power rule without multiplying by the exponent, in {power}: each exponent ({exponent}) "
            "comes down in front as a factor, besides being lowered by one.",
            "对 {power} 用幂法则时没有乘以指数：指数 {exponent} 要移到前面作为因子，而不只是把指数减一。")),
    ),
    Mistake(
        "sum_constant_kept",
        {"en": "constant of a sum not dropped", "zh": "和里的常数项没有去掉"},
        _say("Constant of a sum not dropped: a constant term does not change when {wrt} moves, so its "
             "derivative is 0.",
             "和里的常数项没有去掉：常数项不随 {wrt} 变化，它的导数是 0。"),
        _slips(Slip(SUM_CONSTANT_KEPT, "sum"), message=_say(
            "Constant of a sum not dropped: {term} does not change when {wrt} moves, so it adds 0 to "
            "the derivative.",
            "和里的常数项没有去掉：{term} 不随 {wrt} 变化，它对导数的贡献是 0。")),
    ),
    Mistake(
        "wrong_point",
        {"en": "right derivative, wrong point", "zh": "导数对了，代入的点不对"},
        {"en": "Right derivative, wrong point: your number is dJ/d{wrt} at another {wrt} (such as "
               "{wrt} + 1, {wrt} − 1 or −{wrt}), not at {point}.",
         "zh": "导数对了，代入的点不对：你的数是 dJ/d{wrt} 在另一个 {wrt}（比如 {wrt} + 1、{wrt} − 1 或 −{wrt}）处的值，"
               "而不是在 {point} 处的值。"},
        _general(_wrong_point),
        symbolic=False,
    ),
)

BY_CODE = {m.code: m for m in MISTAKES}

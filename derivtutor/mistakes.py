"""The usual differentiation mistakes, as data: each row makes the wrong answer a learner
would give by mis-applying one rule, so `check` can say which rule went wrong.

A wrong answer is made by walking J's tree with a set of rules in which one rule is
mis-applied (every power, every product, every chain link in J, not only the top one).
`differentiate(expr, wrt, CORRECT)` is the same walk with every rule right; it equals
`sympy.diff`, which the tests hold it to.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import sympy
from sympy import Abs, Add, Expr, Mul, Pow, Poly, Symbol, exp, log

# ---------------------------------------------------------------------------
# The rule walk


@dataclass(frozen=True)
class Rules:
    """How each rule turns parts into a derivative; a mistake replaces one of them."""

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
    (Add, lambda e, wrt, r: Add(*[differentiate(a, wrt, r) for a in e.args])),
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
# Mis-applied rules


def _big(c) -> bool:
    """A factor whose loss a learner could make without it being a sign slip."""
    return not (c == 1 or c == -1)


POWER_NOT_LOWERED = replace(CORRECT, power=lambda b, n: n * b**n)
CONST_DROPPED = replace(CORRECT, const=lambda c, f, df: df if _big(c) else c * df)
EXPONENT_DROPPED = replace(CORRECT, power=lambda b, n: b ** (n - 1) if _big(n) else n * b ** (n - 1))
BOTH_DROPPED = replace(CONST_DROPPED, power=EXPONENT_DROPPED.power)
CHAIN_MISSING = replace(CORRECT, chain=lambda outer, inner, dinner: outer)
QUOTIENT_SWAPPED = replace(CORRECT, quotient=lambda u, du, v, dv: (u * dv - du * v) / v**2)
PRODUCT_OF_DERIVATIVES = replace(CORRECT, product=lambda factors, derivs: Mul(*derivs))
SIGN_SLIPS = replace(
    CORRECT,
    # d(w^-n) = n·w^(-n-1) and d(cos) = sin: the minus signs a learner forgets
    power=lambda b, n: (-n if n.is_negative else n) * b ** (n - 1),
    quotient=lambda u, du, v, dv: (du * v + u * dv) / v**2,
    outer={**OUTER, sympy.cos: sympy.sin, sympy.acos: lambda u: 1 / sympy.sqrt(1 - u**2),
           sympy.tanh: lambda u: 1 + sympy.tanh(u) ** 2},
)


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
    make: Callable[[Context], tuple]  # the wrong answers this mistake produces
    symbolic: bool = True           # applies to answers that are expressions
    numeric: bool = True            # applies to a number given for dJ/dw at a point
    up_to_constant: bool = False    # matches even if the learner added a constant


def _walks(*rule_sets):
    return lambda ctx: tuple(differentiate(ctx.J, ctx.wrt, r) for r in rule_sets)


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


def _wrong_variable(ctx):
    """The right derivative written in another variable, or J differentiated by another one."""
    own = ctx.J.free_symbols
    foreign = sorted((ctx.answer.free_symbols if ctx.answer is not None else set()) - own - {ctx.wrt},
                     key=lambda s: s.name)
    others = sorted(own - {ctx.wrt}, key=lambda s: s.name)
    return (tuple(ctx.derivative.xreplace({ctx.wrt: s}) for s in foreign)
            + tuple(differentiate(ctx.J, s) for s in others))


def _wrong_point(ctx):
    d, w = ctx.derivative, ctx.wrt
    return (d.xreplace({w: w + 1}), d.xreplace({w: w - 1}), d.xreplace({w: -w}))


# Order is priority: when two rows make the same wrong answer, the earlier one is named.
# A forgotten chain factor can equal the partial in another variable ((wx+b−y) for ∂/∂w of
# (wx+b−y)²/2 is ∂J/∂b): the chain-rule row comes first because it names what went wrong.
MISTAKES: tuple[Mistake, ...] = (
    Mistake(
        "quotient_swapped",
        {"en": "quotient rule with its terms swapped", "zh": "商法则分子两项顺序颠倒"},
        {"en": "The quotient rule with its terms swapped: for u/v it is (u′v − uv′)/v², "
               "the numerator's derivative comes first.",
         "zh": "商法则分子两项顺序颠倒了：u/v 的导数是 (u′v − uv′)/v²，分子的导数在前。"},
        _walks(QUOTIENT_SWAPPED),
    ),
    Mistake(
        "product_of_derivatives",
        {"en": "product rule taken as the product of derivatives", "zh": "把乘积法则当成了导数相乘"},
        {"en": "The product rule taken as the product of derivatives: (uv)′ = u′v + uv′, not u′v′.",
         "zh": "把乘积法则当成了导数相乘：(uv)′ = u′v + uv′，而不是 u′v′。"},
        _walks(PRODUCT_OF_DERIVATIVES),
    ),
    Mistake(
        "chain_factor_missing",
        {"en": "chain-rule factor missing", "zh": "漏掉了链式法则的因子"},
        {"en": "Chain-rule factor missing: after differentiating the outside, multiply by "
               "the derivative of the inside.",
         "zh": "漏掉了链式法则的因子：对外层求导之后，还要乘以内层的导数。"},
        _walks(CHAIN_MISSING),
    ),
    Mistake(
        "wrong_variable",
        {"en": "wrong variable", "zh": "变量弄错了"},
        {"en": "Wrong variable: the question is how J changes when {wrt} moves, so the answer "
               "comes from varying {wrt}, not another letter.",
         "zh": "变量弄错了：问题问的是 {wrt} 变化时 J 怎样变化，所以要对 {wrt} 求导，而不是对别的字母。"},
        _wrong_variable,
    ),
    Mistake(
        "gave_J",
        {"en": "J itself instead of dJ/d{wrt}", "zh": "写的是 J 本身而不是 dJ/d{wrt}"},
        {"en": "You gave J itself instead of dJ/d{wrt}: the question asks how fast J changes, "
               "not what J is.",
         "zh": "你写的是 J 本身而不是 dJ/d{wrt}：题目问的是 J 变化得多快，而不是 J 等于多少。"},
        lambda ctx: (ctx.J,),
    ),
    Mistake(
        "sign_error",
        {"en": "sign error", "zh": "符号错误"},
        {"en": "A sign error: a minus sign went missing or crept in; negative powers and cos "
               "bring a minus sign (d(1/w)/dw = −1/w²).",
         "zh": "符号错误：漏掉了或多出了一个负号；负指数和 cos 求导会带出负号（d(1/w)/dw = −1/w²）。"},
        lambda ctx: (-ctx.derivative, differentiate(ctx.J, ctx.wrt, SIGN_SLIPS)),
    ),
    Mistake(
        "integrated",
        {"en": "integrated instead of differentiated", "zh": "做成了积分而不是求导"},
        {"en": "You integrated instead of differentiated: the power rule lowers the exponent by "
               "one (w³ → 3w²), it does not raise it.",
         "zh": "你做成了积分而不是求导：幂法则是把指数减一（w³ → 3w²），而不是加一。"},
        _integrated,
        up_to_constant=True,
    ),
    Mistake(
        "power_not_lowered",
        {"en": "power rule without lowering the exponent", "zh": "用幂法则时没有把指数减一"},
        {"en": "The power rule without lowering the exponent: wⁿ becomes n·wⁿ⁻¹, so bring n "
               "down and subtract one from it.",
         "zh": "用幂法则时没有把指数减一：wⁿ 的导数是 n·wⁿ⁻¹，n 移到前面之后指数要减一。"},
        _walks(POWER_NOT_LOWERED),
    ),
    Mistake(
        "coefficient_dropped",
        {"en": "coefficient dropped", "zh": "丢掉了系数"},
        {"en": "Coefficient dropped: a constant factor stays in the derivative "
               "(d(2w²)/dw = 2·2w), and so does the exponent the power rule brings down.",
         "zh": "丢掉了系数：常数因子在导数里要保留（d(2w²)/dw = 2·2w），幂法则移到前面的指数也要保留。"},
        _walks(CONST_DROPPED, EXPONENT_DROPPED, BOTH_DROPPED),
    ),
    Mistake(
        "wrong_point",
        {"en": "right derivative, wrong point", "zh": "导数对了，代入的点不对"},
        {"en": "Right derivative, wrong point: your number is dJ/d{wrt} at another {wrt} (such as "
               "{wrt} + 1, {wrt} − 1 or −{wrt}), not at {point}.",
         "zh": "导数对了，代入的点不对：你的数是 dJ/d{wrt} 在另一个 {wrt}（比如 {wrt} + 1、{wrt} − 1 或 −{wrt}）处的值，"
               "而不是在 {point} 处的值。"},
        _wrong_point,
        symbolic=False,
    ),
)

BY_CODE = {m.code: m for m in MISTAKES}

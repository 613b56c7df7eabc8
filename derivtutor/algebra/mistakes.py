"""The usual differentiation mistakes, as data: each row makes the wrong answer a learner
would give by mis-applying one rule, so `check` can say which rule went wrong.

A wrong answer is J's rule tree (`steps.derive`, the tree the worked solution renders)
evaluated with a rule table in which one rule is mis-applied (every power, every product,
every chain link in J, not only the top one). `differentiate(expr, wrt, CORRECT)` is the
same tree with every rule right; it equals `sympy.diff`, which the tests hold it to.

A slip is tried everywhere in J and at each single place (site) in turn, and each wrong
answer remembers its sites (the power, the constant factor, the inside of a chain), so the
message names what is really in the learner's J: `row.told(wrong)`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Callable

import sympy
from sympy import Abs, Add, Expr, Mul, Pow, Poly, Symbol, log

from derivtutor.algebra.rules import CORRECT, Rules, product_rule
from derivtutor.algebra.steps import derive
from derivtutor.text.i18n import Catalog, join_and, tr

NAMES = Catalog(__name__, "NAMES")        # what each mistake is called, e.g. "sign error"
MESSAGES = Catalog(__name__, "MESSAGES")  # a sentence that names it and says what to do instead
TOLD = Catalog(__name__, "TOLD")          # the same, said about the learner's J (its sites)

# ---------------------------------------------------------------------------
# The rule walk: one tree of rule records (steps.derive), evaluated with a rule table


def differentiate(expr: Expr, wrt: Symbol, rules: Rules = CORRECT) -> Expr:
    """d expr / d wrt by the rules given (the correct ones by default), over J's rule tree."""
    return derive(expr, wrt).by(rules)


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
    return lambda factors, derivs: (product_rule(factors, derivs[:i] + [0] + derivs[i + 1:])
                                    if i < len(factors) else product_rule(factors, derivs))


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
    outer={**CORRECT.outer, sympy.cos: sympy.sin, sympy.acos: lambda u: 1 / sympy.sqrt(1 - u**2),
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
            outer = dict(changes.get("outer", CORRECT.outer))
            for f, wrong in slip.rules.outer.items():
                if wrong is not CORRECT.outer.get(f):
                    outer[f] = wrap(i, CORRECT.outer[f], wrong, lambda u, f=f: {"term": f(u)})
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
    """One row of the table: a usual mistake, what it is called, and the answers it makes."""

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


def _site_fields(sites, lang) -> dict:
    """Each field of the sites, shown: a variable by its name, math between $ signs."""
    from derivtutor.algebra.mathprinter import show

    shown: dict[str, list[str]] = {}
    for site in sites:
        for key, value in site.items():
            text = value.name if isinstance(value, Symbol) else f"${show(value)}$"
            if text not in shown.setdefault(key, []):
                shown[key].append(text)
    return {key: join_and(texts, lang) for key, texts in shown.items()}


def _row(code: str, wrongs: Callable[[Context], tuple], **flags) -> Mistake:
    return Mistake(code, NAMES[code], MESSAGES[code], wrongs, **flags)


def _slip(rules: Rules, field: str, told: str, site: Callable | None = None, **options):
    """A row's wrong answers from one rule mis-applied, said with TOLD[told]."""
    return _slips(Slip(rules, field, site), message=TOLD[told], **options)


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


def _wrong_variable(ctx):
    """The right derivative written in another variable, or J differentiated by another one."""
    own = ctx.J.free_symbols
    foreign = sorted((ctx.answer.free_symbols if ctx.answer is not None else set()) - own - {ctx.wrt},
                     key=lambda s: s.name)
    others = sorted(own - {ctx.wrt}, key=lambda s: s.name)
    letters = (Wrong(ctx.derivative.xreplace({ctx.wrt: s}), ({"other": s},), TOLD["other_letter"]) for s in foreign)
    partials = (Wrong(differentiate(ctx.J, s), ({"other": s},), TOLD["other_partial"]) for s in others)
    return (*letters, *partials)


def _wrong_point(ctx):
    d, w = ctx.derivative, ctx.wrt
    return (d.xreplace({w: w + 1}), d.xreplace({w: w - 1}), d.xreplace({w: -w}))


def _sign_error(ctx):
    # the place a minus went missing first, when there is one; else the sign of the whole
    return (_slip(SIGN_SLIPS, "power", "sign_power")(ctx)
            + _slips(Slip(SIGN_SLIPS, "quotient"), Slip(SIGN_SLIPS, "outer"), message=TOLD["sign_site"])(ctx)
            + (Wrong(-ctx.derivative, (), TOLD["sign_flipped"]),))


# Order is priority: when two rows make the same wrong answer, the earlier one is named.
# A forgotten chain factor can equal the partial in another variable ((wx+b−y) for ∂/∂w of
# (wx+b−y)²/2 is ∂J/∂b): the chain-rule row comes first because it names what went wrong.
MISTAKES: tuple[Mistake, ...] = (
    _row("quotient_swapped", _slip(QUOTIENT_SWAPPED, "quotient", "quotient_swapped")),
    _row("quotient_denominator_missing", _each(
        _slip(QUOTIENT_NO_DENOMINATOR, "quotient", "quotient_denominator_missing"),
        _slip(QUOTIENT_SWAPPED_NO_DENOMINATOR, "quotient", "quotient_denominator_missing_swapped"))),
    _row("product_of_derivatives", _slip(PRODUCT_OF_DERIVATIVES, "product", "product_of_derivatives")),
    _row("product_term_missing", _each(*(
        _slip(replace(CORRECT, product=_drop_term(i)), "product", "product_term_missing", _product_site(i))
        for i in range(3)))),
    _row("chain_factor_missing", _slip(CHAIN_MISSING, "chain", "chain_factor_missing")),
    _row("wrong_variable", _wrong_variable),
    _row("gave_J", _general(lambda ctx: (ctx.J,))),
    _row("sign_error", _sign_error),
    _row("integrated", _general(_integrated), up_to_constant=True),
    _row("power_not_lowered", _slip(POWER_NOT_LOWERED, "power", "power_not_lowered")),
    _row("coefficient_dropped", _each(
        _slip(CONST_DROPPED, "const", "coefficient_dropped"),
        _slips(Slip(CONST_DROPPED, "const"), Slip(EXPONENT_DROPPED, "power"), together=True,
               message=TOLD["coefficient_and_exponent_dropped"]))),
    _row("power_not_multiplied", _slip(EXPONENT_DROPPED, "power", "power_not_multiplied")),
    _row("sum_constant_kept", _slip(SUM_CONSTANT_KEPT, "sum", "sum_constant_kept")),
    _row("wrong_point", _general(_wrong_point), symbolic=False),
)

BY_CODE = {m.code: m for m in MISTAKES}

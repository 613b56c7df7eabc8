"""Rule-by-rule derivatives as data: an expression becomes a tree of `Step` records.

The engine answers *what happened* (which rule, on what, with which helper
expressions); `derivtutor.algebra.steps_text` decides how it reads in English or
Chinese. Dispatch is by expression type from tables, and every tree's final
result equals `sympy.diff` (a fallback rule quotes SymPy rather than give up).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy
from sympy import (
    Abs, Add, Derivative, Expr, Function, Mul, Pow, Rational, Subs, Symbol,
    acos, acosh, acot, acoth, acsc, acsch, asec, asech, asin, asinh, atan, atanh,
    cos, cosh, cot, coth, csc, csch, exp, log, sec, sech, sign, sin, sinh, sqrt,
    tan, tanh,
)
from sympy.core.function import AppliedUndef

# The renderer lives apart (it never imports this module); re-exported for one import site.
from derivtutor.algebra.steps_text import StepLine, plain_lines, render  # noqa: F401

__all__ = ["Step", "StepLine", "derive", "render", "plain_lines", "RULES"]


@dataclass(frozen=True)
class Step:
    """One rule applied: d/d`wrt` of `expr` is `result`, justified by `substeps`.

    `context` holds the rule's helper expressions (treat it as read-only), e.g.
    {"u": inner, "outer": u**2, "var": u} for the chain rule.
    """

    rule: str
    expr: Expr
    result: Expr
    wrt: Symbol
    substeps: tuple["Step", ...] = ()
    context: dict = field(default_factory=dict, hash=False)


# Every rule name the engine can produce; the renderer has a sentence for each.
RULES = (
    "constant", "variable", "held_constant", "constant_multiple", "sum", "difference",
    "power", "sqrt", "product", "quotient", "chain", "exp", "exponential", "ln",
    "log_base", "trig", "inverse_trig", "hyperbolic", "inverse_hyperbolic", "abs",
    "log_diff", "sympy", "max_min", "sign",
)

# Names tried, in order, for the inner function of a chain rule.
_CHAIN_NAMES = ("u", "v", "z", "s", "t", "p", "q")


def _symbol(name: str) -> Symbol:
    """The project's shared real symbol for `name` (mathinput.var once it exists)."""
    try:
        from derivtutor.algebra.mathbuild import var
    except ImportError:  # mathinput is being written in parallel
        return Symbol(name, real=True)
    return var(name)


def _depends(expr: Expr, wrt: Symbol) -> bool:
    return expr.has(wrt)


def _fresh(expr: Expr, taken: frozenset) -> Symbol:
    """A name for the chain rule's inner function that clashes with nothing in sight."""
    used = taken | {s.name for s in expr.free_symbols}
    for name in _CHAIN_NAMES:
        if name not in used:
            return _symbol(name)
    n = 1
    while f"u{n}" in used:
        n += 1
    return _symbol(f"u{n}")


# ---------------------------------------------------------------- leaves

def _constant(expr, wrt, taken):
    held = tuple(sorted(expr.free_symbols, key=lambda s: s.name))
    if held:
        return Step("held_constant", expr, sympy.S.Zero, wrt, (), {"held": held})
    return Step("constant", expr, sympy.S.Zero, wrt)


def _sympy_table(expr, wrt, taken):
    """The fallback: name what SymPy's own table says instead of giving up."""
    name = getattr(expr.func, "__name__", type(expr).__name__)
    return Step("sympy", expr, sympy.diff(expr, wrt), wrt, (), {"function": name})


# ---------------------------------------------------------------- chain

def _chain(expr, wrt, taken, inner, rebuild):
    """d/dw f(u) = f'(u)·u' with u = inner; `rebuild(u)` is f written in u."""
    u = _fresh(expr, taken)
    taken = taken | {u.name}
    outer = rebuild(u)
    outer_step = _derive(outer, u, taken)
    inner_step = _derive(inner, wrt, taken)
    result = outer_step.result.xreplace({u: inner}) * inner_step.result
    context = {"u": inner, "outer": outer, "var": u}
    return Step("chain", expr, result, wrt, (outer_step, inner_step), context)


# ---------------------------------------------------------------- functions of one argument

# class -> (rule, derivative of f at u). Hand-written so results read like a textbook;
# tan, tanh and the arc-secant family keep the form SymPy uses (1 + tan²u rather than
# sec²u), because simplify cannot always prove the textbook form equal to diff.
_UNARY = {
    exp: ("exp", exp),
    log: ("ln", lambda u: 1 / u),
    Abs: ("abs", sign),
    sin: ("trig", cos),
    cos: ("trig", lambda u: -sin(u)),
    tan: ("trig", lambda u: 1 + tan(u) ** 2),
    cot: ("trig", lambda u: -csc(u) ** 2),
    sec: ("trig", lambda u: sec(u) * tan(u)),
    csc: ("trig", lambda u: -csc(u) * cot(u)),
    asin: ("inverse_trig", lambda u: 1 / sqrt(1 - u**2)),
    acos: ("inverse_trig", lambda u: -1 / sqrt(1 - u**2)),
    atan: ("inverse_trig", lambda u: 1 / (1 + u**2)),
    acot: ("inverse_trig", lambda u: -1 / (1 + u**2)),
    asec: ("inverse_trig", lambda u: 1 / (u**2 * sqrt(1 - 1 / u**2))),
    acsc: ("inverse_trig", lambda u: -1 / (u**2 * sqrt(1 - 1 / u**2))),
    sinh: ("hyperbolic", cosh),
    cosh: ("hyperbolic", sinh),
    tanh: ("hyperbolic", lambda u: 1 - tanh(u) ** 2),
    coth: ("hyperbolic", lambda u: -csch(u) ** 2),
    sech: ("hyperbolic", lambda u: -sech(u) * tanh(u)),
    csch: ("hyperbolic", lambda u: -csch(u) * coth(u)),
    asinh: ("inverse_hyperbolic", lambda u: 1 / sqrt(u**2 + 1)),
    acosh: ("inverse_hyperbolic", lambda u: 1 / (sqrt(u - 1) * sqrt(u + 1))),
    atanh: ("inverse_hyperbolic", lambda u: 1 / (1 - u**2)),
    acoth: ("inverse_hyperbolic", lambda u: 1 / (1 - u**2)),
    asech: ("inverse_hyperbolic", lambda u: -1 / (u * sqrt(1 - u**2))),
    acsch: ("inverse_hyperbolic", lambda u: -1 / (u**2 * sqrt(1 + 1 / u**2))),
    sign: ("sign", lambda u: 2 * sympy.DiracDelta(u)),
}


def _unary(expr, wrt, taken):
    if len(expr.args) != 1:  # log(x, b) arrives as a Mul; anything else here is exotic
        return _sympy_table(expr, wrt, taken)
    arg = expr.args[0]
    rule, derivative = _UNARY[expr.func]
    if arg == wrt:
        return Step(rule, expr, derivative(arg), wrt, (), {"function": expr.func.__name__})
    return _chain(expr, wrt, taken, arg, expr.func)


def _max_min(expr, wrt, taken):
    """max(0, w) (ReLU) follows its larger input, min its smaller: the slope is that input's."""
    subs = tuple(_derive(arg, wrt, taken) for arg in expr.args)
    return Step("max_min", expr, sympy.diff(expr, wrt), wrt, subs, {"larger": isinstance(expr, sympy.Max)})


def _other_function(expr, wrt, taken):
    """A function outside our table: chain rule around SymPy's derivative if it is clean."""
    if len(expr.args) != 1 or isinstance(expr, AppliedUndef) or expr.args[0] == wrt:
        return _sympy_table(expr, wrt, taken)
    u = _fresh(expr, taken)
    if expr.func(u).diff(u).has(Derivative, Subs):
        return _sympy_table(expr, wrt, taken)
    return _chain(expr, wrt, taken, expr.args[0], expr.func)


# ---------------------------------------------------------------- powers

def _pow(expr, wrt, taken):
    base, n = expr.args
    base_moves, exp_moves = _depends(base, wrt), _depends(n, wrt)
    if base_moves and exp_moves:
        return _log_diff(expr, wrt, taken)
    if exp_moves:  # a**u
        if n == wrt:
            return Step("exponential", expr, expr * log(base), wrt, (), {"base": base})
        return _chain(expr, wrt, taken, n, lambda u: Pow(base, u))
    if base != wrt:
        return _chain(expr, wrt, taken, base, lambda u: Pow(u, n))
    if n == Rational(1, 2):
        return Step("sqrt", expr, 1 / (2 * sqrt(wrt)), wrt)
    return Step("power", expr, n * wrt ** (n - 1), wrt, (), {"n": n})


def _log_diff(expr, wrt, taken):
    """y = f^g: ln y = g·ln f, so y' = y·(g·ln f)'. Where SymPy Gamma gave up."""
    base, n = expr.args
    log_form = n * log(base)
    inner = _derive(log_form, wrt, taken)
    context = {"base": base, "exponent": n, "log_form": log_form}
    return Step("log_diff", expr, expr * inner.result, wrt, (inner,), context)


# ---------------------------------------------------------------- products, quotients, log bases

def _log_of_constant(factor, wrt):
    """1/log(b) with b free of wrt: the divisor SymPy writes for log(x, b)."""
    return (factor.is_Pow and factor.exp == -1 and isinstance(factor.base, log)
            and len(factor.base.args) == 1 and not _depends(factor.base, wrt))


def _pair_log_bases(factors, wrt):
    """Group log(A)·(1/log(b)) into one factor so log_b(A) is explained as itself."""
    divisors = [f for f in factors if _log_of_constant(f, wrt)]
    logs = [f for f in factors if isinstance(f, log) and len(f.args) == 1 and _depends(f, wrt)]
    pairs = list(zip(logs, divisors))
    paired = {id(x) for pair in pairs for x in pair}
    rest = [f for f in factors if id(f) not in paired]
    return [Mul(a, d) for a, d in pairs], rest


def _log_base(expr, wrt, taken, arg, base):
    if arg == wrt:
        return Step("log_base", expr, 1 / (wrt * log(base)), wrt, (), {"base": base, "arg": arg})
    return _chain(expr, wrt, taken, arg, lambda u: log(u) / log(base))


def _tidy_numerator(num, f, g, wrt):
    """Expand (f'g − fg') when f and g are small polynomials: that is how a textbook writes it."""
    try:
        small = all(p.is_polynomial(wrt) and sympy.degree(p, wrt) <= 6 for p in (f, g))
    except sympy.PolynomialError:
        small = False
    return sympy.expand(num) if small else num


def _mul(expr, wrt, taken):
    logs, rest = _pair_log_bases(expr.as_ordered_factors(), wrt)
    if len(logs) == 1 and not rest:
        return _log_base_from_pair(expr, wrt, taken, logs[0])
    constants = [f for f in rest if not _depends(f, wrt)]
    moving = logs + [f for f in rest if _depends(f, wrt)]
    if constants:
        c, f = Mul(*constants), Mul(*moving)
        sub = _derive(f, wrt, taken)
        return Step("constant_multiple", expr, c * sub.result, wrt, (sub,), {"c": c, "f": f})
    denominators = [f for f in moving if f.is_Pow and f.exp.is_Number and f.exp < 0]
    if denominators:
        numerators = [f for f in moving if f not in denominators]
        return _quotient(expr, wrt, taken, Mul(*numerators), Mul(*[d.base ** -d.exp for d in denominators]))
    return _product(expr, wrt, taken, moving)


def _log_base_from_pair(expr, wrt, taken, pair):
    log_a = next(f for f in pair.args if isinstance(f, log))
    divisor = next(f for f in pair.args if f is not log_a)
    return _log_base(expr, wrt, taken, log_a.args[0], divisor.base.args[0])


def _product(expr, wrt, taken, factors):
    subs = tuple(_derive(f, wrt, taken) for f in factors)
    terms = [Mul(*[s.result if i == j else f for j, f in enumerate(factors)]) for i, s in enumerate(subs)]
    return Step("product", expr, Add(*terms), wrt, subs, {"factors": tuple(factors)})


def _quotient(expr, wrt, taken, f, g):
    df, dg = _derive(f, wrt, taken), _derive(g, wrt, taken)
    num = _tidy_numerator(df.result * g - f * dg.result, f, g, wrt)
    context = {"numerator": f, "denominator": g}
    return Step("quotient", expr, num / g**2, wrt, (df, dg), context)


# ---------------------------------------------------------------- sums

def _add(expr, wrt, taken):
    terms, signs = [], []
    for term in expr.as_ordered_terms():
        negative = term.could_extract_minus_sign()
        terms.append(-term if negative else term)
        signs.append(-1 if negative else 1)
    subs = tuple(_derive(t, wrt, taken) for t in terms)
    result = Add(*[s * sub.result for s, sub in zip(signs, subs)])
    rule = "difference" if -1 in signs else "sum"
    return Step(rule, expr, result, wrt, subs, {"terms": tuple(terms), "signs": tuple(signs)})


# ---------------------------------------------------------------- dispatch

_HANDLERS = {Add: _add, Mul: _mul, Pow: _pow, **{cls: _unary for cls in _UNARY},
             sympy.Max: _max_min, sympy.Min: _max_min}


def _derive(expr, wrt, taken):
    if not _depends(expr, wrt):
        return _constant(expr, wrt, taken)
    if expr == wrt:
        return Step("variable", expr, sympy.S.One, wrt)
    handler = _HANDLERS.get(type(expr))
    if handler is None:
        handler = _other_function if isinstance(expr, Function) else _sympy_table
    return handler(expr, wrt, taken)


def derive(expr, wrt) -> Step:
    """The derivation of d`expr`/d`wrt` as a tree of Steps; the root's result equals diff."""
    if isinstance(expr, (int, float)) and not isinstance(expr, bool):
        expr = sympy.Integer(expr) if isinstance(expr, int) else sympy.Float(expr)
    if not isinstance(expr, Expr):
        raise TypeError(f"derive needs a SymPy expression, not {type(expr).__name__}")
    if not isinstance(wrt, Symbol):
        raise TypeError(f"derive differentiates with respect to a Symbol, not {type(wrt).__name__}")
    return _derive(expr, wrt, frozenset())

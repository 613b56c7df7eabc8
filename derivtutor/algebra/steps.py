"""Rule-by-rule derivatives as data: an expression becomes a tree of rule records.

The walk answers *what happened* (which rule, on what, with which helper expressions);
the records (`derivtutor.algebra.rules`) compute their own derivatives, so the same tree
gives the worked solution (`derivtutor.algebra.steps_text` decides how it reads in English
or Chinese) and, evaluated with a mistaken rule table, the answer a usual mistake gives
(`derivtutor.algebra.mistakes`). Dispatch is by expression type from tables, and every
tree's final result equals `sympy.diff` (a fallback rule quotes SymPy rather than give up).
"""

from __future__ import annotations

import sympy
from sympy import Add, Derivative, Expr, Function, Mul, Pow, Rational, Subs, Symbol, log
from sympy.core.cache import cacheit
from sympy.core.function import AppliedUndef

from derivtutor.algebra.rules import (
    FUNCTIONS, ChainRule, ConstantMultipleRule, ConstantRule, ExponentialRule, FunctionRule,
    HeldConstantRule, LogBaseRule, LogDiffRule, MaxMinRule, PowerRule, ProductRule, QuotientRule,
    SqrtRule, Step, SumRule, SympyRule, VariableRule,
)

__all__ = ["derive", "RULES"]


# Every rule name the engine can produce; the renderer has a sentence for each.
RULES = (
    "constant", "variable", "held_constant", "constant_multiple", "sum", "difference",
    "power", "sqrt", "product", "quotient", "chain", "exp", "exponential", "ln",
    "log_base", "trig", "inverse_trig", "hyperbolic", "inverse_hyperbolic", "abs",
    "log_diff", "sympy", "max_min", "sign",
)

# Names tried, in order, for the inner function of a chain rule.
_CHAIN_NAMES = ("u", "v", "z", "s", "t", "p", "q")


def _depends(expr: Expr, wrt: Symbol) -> bool:
    return expr.has(wrt)


def _fresh(expr: Expr, taken: frozenset) -> Symbol:
    """A name for the chain rule's inner function that clashes with nothing in sight."""
    from derivtutor.algebra.mathinput import var

    used = taken | {s.name for s in expr.free_symbols}
    for name in _CHAIN_NAMES:
        if name not in used:
            return var(name)
    n = 1
    while f"u{n}" in used:
        n += 1
    return var(f"u{n}")


# ---------------------------------------------------------------- leaves

def _constant(expr, wrt, taken):
    held = tuple(sorted(expr.free_symbols, key=lambda s: s.name))
    if held:
        return HeldConstantRule(expr=expr, wrt=wrt, held=held)
    return ConstantRule(expr=expr, wrt=wrt)


def _sympy_table(expr, wrt, taken):
    """The fallback: name what SymPy's own table says instead of giving up."""
    name = getattr(expr.func, "__name__", type(expr).__name__)
    return SympyRule(expr=expr, wrt=wrt, function=name)


# ---------------------------------------------------------------- chain

def _chain(expr, wrt, taken, inner, rebuild):
    """d/dw f(u) = f'(u)·u' with u = inner; `rebuild(u)` is f written in u."""
    u = _fresh(expr, taken)
    taken = taken | {u.name}
    outer = rebuild(u)
    return ChainRule(expr=expr, wrt=wrt, u=inner, outer=outer, var=u,
                     outer_step=_derive(outer, u, taken), inner_step=_derive(inner, wrt, taken))


# ---------------------------------------------------------------- functions of one argument

def _unary(expr, wrt, taken):
    if len(expr.args) != 1:  # log(x, b) arrives as a Mul; anything else here is exotic
        return _sympy_table(expr, wrt, taken)
    arg = expr.args[0]
    if arg == wrt:
        return FunctionRule(expr=expr, wrt=wrt, function=expr.func)
    return _chain(expr, wrt, taken, arg, expr.func)


def _max_min(expr, wrt, taken):
    """max(0, w) (ReLU) follows its larger input, min its smaller: the slope is that input's."""
    parts = tuple(_derive(arg, wrt, taken) for arg in expr.args)
    return MaxMinRule(expr=expr, wrt=wrt, larger=isinstance(expr, sympy.Max), parts=parts)


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
            return ExponentialRule(expr=expr, wrt=wrt, base=base)
        return _chain(expr, wrt, taken, n, lambda u: Pow(base, u))
    if base != wrt:
        return _chain(expr, wrt, taken, base, lambda u: Pow(u, n))
    if n == Rational(1, 2):
        return SqrtRule(expr=expr, wrt=wrt)
    return PowerRule(expr=expr, wrt=wrt, n=n)


def _log_diff(expr, wrt, taken):
    """y = f^g: ln y = g·ln f, so y' = y·(g·ln f)'. Where SymPy Gamma gave up."""
    base, n = expr.args
    log_form = n * log(base)
    return LogDiffRule(expr=expr, wrt=wrt, base=base, exponent=n, log_form=log_form,
                       substep=_derive(log_form, wrt, taken))


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
        return LogBaseRule(expr=expr, wrt=wrt, base=base, arg=arg)
    return _chain(expr, wrt, taken, arg, lambda u: log(u) / log(base))


def _mul(expr, wrt, taken):
    logs, rest = _pair_log_bases(expr.as_ordered_factors(), wrt)
    if len(logs) == 1 and not rest:
        return _log_base_from_pair(expr, wrt, taken, logs[0])
    constants = [f for f in rest if not _depends(f, wrt)]
    moving = logs + [f for f in rest if _depends(f, wrt)]
    if constants:
        c, f = Mul(*constants), Mul(*moving)
        return ConstantMultipleRule(expr=expr, wrt=wrt, c=c, f=f, substep=_derive(f, wrt, taken))
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
    parts = tuple(_derive(f, wrt, taken) for f in factors)
    return ProductRule(expr=expr, wrt=wrt, factors=tuple(factors), parts=parts)


def _quotient(expr, wrt, taken, f, g):
    return QuotientRule(expr=expr, wrt=wrt, numerator=f, denominator=g,
                        numerator_step=_derive(f, wrt, taken), denominator_step=_derive(g, wrt, taken))


# ---------------------------------------------------------------- sums

def _add(expr, wrt, taken):
    terms, signs = [], []
    for term in expr.as_ordered_terms():
        negative = term.could_extract_minus_sign()
        terms.append(-term if negative else term)
        signs.append(-1 if negative else 1)
    parts = tuple(_derive(t, wrt, taken) for t in terms)
    return SumRule(expr=expr, wrt=wrt, terms=tuple(terms), signs=tuple(signs), parts=parts)


# ---------------------------------------------------------------- dispatch

_HANDLERS = {Add: _add, Mul: _mul, Pow: _pow, **{cls: _unary for cls in FUNCTIONS},
             sympy.Max: _max_min, sympy.Min: _max_min}


def _derive(expr, wrt, taken):
    if not _depends(expr, wrt):
        return _constant(expr, wrt, taken)
    if expr == wrt:
        return VariableRule(expr=expr, wrt=wrt)
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
    return _tree(expr, wrt)


@cacheit
def _tree(expr, wrt) -> Step:
    """One walk per (J, wrt): the records are immutable, so the worked steps and every
    mistake table evaluated by `check` share it. SymPy's cache, so clear_cache empties it."""
    return _derive(expr, wrt, frozenset())

"""Judging answers: is it right, and if not, which usual mistake made it?

Inputs are SymPy expressions (from `mathinput`), never text.

**Expressions** are decided, not estimated:

1. rational functions with rational coefficients (polynomials included; seen from the tree,
   without expanding) are decided exactly both ways by identity testing modulo the prime
   2^61 − 1 at random points: one point where the values differ proves "different" (and a
   counterexample with exact values is then found at small integer points); agreement at
   ``PIT_POINTS`` points is "equal" beyond doubt (Schwartz–Zippel), how="exact" when a cheap
   ``expand``/``cancel`` also proves it, else how="identity". High degree costs nothing extra:
   (x − a)^6000 is a modular power;
2. anything else is compared at seeded points of both signs (small numbers first, so a
   counterexample reads well) with mpmath at 40 digits, tolerance 1e-25 relative, a mismatch
   confirmed when doubling the digits (80, 160, … 640) gives the answer the same value twice;
   a value that keeps moving (cancellation times a huge factor) allows no claim. Over the reals: a point is skipped where J (the domain) or the
   expected side is undefined or not real, where a part of the answer is not real though the
   whole is (√(k/m)·√(m/k) at k = 2, m = −3), and where a negative number is raised to a
   symbolic exponent that is not an integer there ((−1)^n at n = 1/2); an answer which is not
   real where the right one is real counts as a mismatch. More points are drawn when many are
   skipped; at least ``MIN_POINTS`` must agree;
3. ``cas.simplify`` in the bounded worker, only when sampling could not decide.

**Numbers** (policy): an answer is accepted when it is exactly the expected value; or when the
learner typed a plain decimal with n ≥ 2 significant digits and it equals the expected value
rounded to n digits (half-up or half-even: 0.333 for 1/3, 6.001 for 6.000999999999479,
−0.0312 or −0.0313 for −1/32); or when it is within ``rel_tol`` (default 1e-6) or ``abs_tol``
(default 1e-12) of it. An exact fraction the learner typed (−1/32) is exact, compared exactly.

The steps live apart: `identity` (1), `sampling` (2), `number_policy` (numbers), `verdict`
(what a verdict holds and how its numbers read). This module puts them together and names
the mistake a wrong derivative came from.
"""

from __future__ import annotations

import dataclasses

import sympy
from sympy import Expr, Symbol

from derivtutor.algebra import mistakes, number_policy
from derivtutor.algebra.evaluate import SYMPY_ERRORS, Undefined, complex_value, nearly_real
from derivtutor.algebra.identity import decide_rational, exactly_equal, degree_if_rational, small
from derivtutor.algebra.mistakes import MISTAKES, Context, Mistake
from derivtutor.algebra.number_policy import number_how
from derivtutor.algebra.sampling import SEED, Sampler, matches
from derivtutor.algebra.verdict import (TEXT, Equivalence, Verdict, distinct_texts, math_text, number_shown,
                                        point_math, right_text, verdict)
from derivtutor.text.errors import TutorError
from derivtutor.text.i18n import listing, tr

SIMPLIFY_TIMEOUT = 1.0  # seconds for the tiebreaker
DIAGNOSE_MAX_NODES = 40   # a J larger than this (lesson Js: ≤ 12) gets a counterexample, not a named mistake


class CheckError(TutorError, ValueError):
    """An answer or question the checker cannot judge; .message is one friendly sentence."""

    table = TEXT


def _simplifies_to_zero(diff) -> bool | None:
    from derivtutor.algebra import cas

    try:
        return cas.simplify(diff, timeout=SIMPLIFY_TIMEOUT) == 0
    except cas.CasTimeout:
        return None


def _decide(a: Expr, sampler: Sampler) -> Equivalence:
    degree = degree_if_rational(a, sampler.expected)
    if degree is not None:
        decided = decide_rational(a, sampler.expected, sampler.variables, sampler.domain, degree)
        if decided is not None:
            return decided
    if exactly_equal(a, sampler.expected):
        return Equivalence(True, "exact")
    sampled = sampler.compare(a)
    if sampled.equal is not None:
        return sampled
    if _simplifies_to_zero(a - sampler.expected):
        return Equivalence(True, "simplify", None, sampled.points)
    return sampled


def _domain(domain) -> tuple:
    if domain is None:
        return ()
    return (domain,) if isinstance(domain, sympy.Basic) else tuple(domain)


def equivalent(a: Expr, b: Expr, variables=None, domain=None, seed: int = SEED) -> Equivalence:
    """Is a the same function as b wherever the domain (an expression or several) is real?"""
    a, b = _as_expr(a), _as_expr(b)
    doms = _domain(domain)
    variables = set(variables or ()).union(a.free_symbols, b.free_symbols, *(d.free_symbols for d in doms))
    return _decide(a, Sampler(b, variables, doms, seed))


def check_number(answer, expected, rel_tol=None, abs_tol=None, *, typed: str | None = None,
                 lang: str | None = None, exact: bool = False) -> Verdict:
    """A number against the expected one, by the policy in this module's docstring;
    with `exact`, only the exact value passes (a rounded decimal is not "Right")."""
    answer, expected = _as_expr(answer), _as_expr(expected)
    if answer.free_symbols:
        return verdict(False, "numeric", "not_a_number", lang, answer=answer, corrected=expected,
                       yours=math_text(answer), names=listing(sorted(s.name for s in answer.free_symbols)))
    how = number_how(answer, expected, typed, rel_tol, abs_tol)
    if exact and how in ("rounded", "numeric") and (answer - expected) != 0:
        how = None
    if how:
        return verdict(True, how, "right_number", lang, answer=answer, corrected=expected,
                       yours=number_shown(answer, typed))
    try:
        got, want = complex_value(answer), complex_value(expected).real
    except Undefined:
        got, want = None, None
    if got is None or not nearly_real(got):
        return verdict(False, "numeric", "not_real_number", lang, answer=answer, corrected=expected,
                       yours=number_shown(answer, typed))
    key = number_policy.wrong_number_key(got.real, want, typed)
    return verdict(False, "numeric", key, lang, answer=answer, corrected=expected,
                   yours=number_shown(answer, typed))


# ---------------------------------------------------------------------------
# Expressions and derivatives


def check_expression(answer, expected, variables=None, *, domain=None, lang: str | None = None) -> Verdict:
    """An expression against the expected one, by equivalence (not by spelling)."""
    answer, expected = _as_expr(answer), _as_expr(expected)
    eq = equivalent(answer, expected, variables, domain)
    if eq.equal:
        return verdict(True, eq.how, "right_expression", lang, answer=answer, corrected=expected,
                       yours=math_text(answer))
    return _wrong_by_sampling(eq, answer, expected, "expression", lang, wrt="")


def check_derivative(J, answer, wrt=None, at=None, *, typed: str | None = None, rel_tol=None,
                     abs_tol=None, lang: str | None = None, partial: bool | None = None) -> Verdict:
    """The learner's dJ/dwrt (an expression, or with `at` a number) against the right one.
    Its sentences write ∂J/∂w where J has several variables (or `partial` says so), as lesson 1 teaches."""
    J = _as_expr(J)
    wrt = _variable(J, wrt)
    verdict = _check_derivative(J, answer, wrt, at, typed, rel_tol, abs_tol, lang)
    if not (partial if partial is not None else len(J.free_symbols) > 1):
        return verdict
    texts = {k: partial_notation(v, wrt.name) for k, v in verdict.texts.items()}
    return dataclasses.replace(verdict, feedback=partial_notation(verdict.feedback, wrt.name), texts=texts)


def partial_notation(text: str, wrt: str) -> str:
    """dJ/dw written ∂J/∂w: the notation for a J of several variables."""
    return text.replace(f"dJ/d{wrt}", f"∂J/∂{wrt}")


def _check_derivative(J, answer, wrt, at, typed, rel_tol, abs_tol, lang) -> Verdict:
    answer = _as_expr(answer)
    right = mistakes.differentiate(J, wrt)
    ctx = Context(J, wrt, right, answer)
    if at and not answer.free_symbols:
        return _check_value_at(ctx, _point(J, wrt, at), typed, rel_tol, abs_tol, lang)
    variables = set().union(J.free_symbols, answer.free_symbols, {wrt})
    sampler = Sampler(right, variables, (J,))
    eq = _decide(answer, sampler)
    if eq.equal:
        key = "right_partial" if len(J.free_symbols) > 1 else "right_derivative"  # ∂J/∂w where J has several
        return verdict(True, eq.how, key, lang, answer=answer, corrected=right, yours=math_text(answer), wrt=wrt.name)
    if eq.equal is False:
        mistake = _diagnose(ctx, sampler)
        if mistake is not None:
            fields = dict(wrt=wrt.name, point="")
            return verdict(False, "mistake", "diagnosis", lang, counterexample=eq.counterexample,
                           mistake=mistake, answer=answer, corrected=right,
                           message={k: tr(mistake.message, k, **fields) for k in ("en", "zh")},
                           yours=math_text(answer), right=math_text(sympy.factor_terms(right)))
    return _wrong_by_sampling(eq, answer, right, "derivative", lang, wrt=wrt.name)


def _diagnose(ctx: Context, sampler: Sampler) -> Mistake | None:
    """The first row of the table whose wrong answer is the learner's answer, with its message
    said about the learner's J. Sampled values only pick candidates; equivalence decides.
    Silent on a J larger than DIAGNOSE_MAX_NODES: building every row's wrong answer for it costs
    more than the time a verdict may take, and the counterexample still proves the answer wrong."""
    if not mistakes.small(ctx.J, DIAGNOSE_MAX_NODES, 10**9):
        return None
    mine = sampler.evaluate(ctx.answer)
    right = [complex(v) for v in sampler.values]
    for row in MISTAKES:
        if not row.symbolic:
            continue
        for wrong in _wrong_records(row, ctx):
            theirs = sampler.evaluate(wrong.expr)
            if matches(theirs, right, row.up_to_constant):
                continue  # this mistake makes no difference for this J
            if matches(mine, theirs, row.up_to_constant) and _reproduces(ctx, wrong.expr, row.up_to_constant):
                return row.told(wrong)
    return None


def _reproduces(ctx: Context, wrong: Expr, up_to_constant: bool) -> bool:
    """Is the learner's answer this wrong answer (plus a constant, for an integral)?"""
    variables = set().union(ctx.J.free_symbols, ctx.answer.free_symbols, {ctx.wrt})
    mine, theirs = (sympy.diff(ctx.answer - wrong, ctx.wrt), sympy.Integer(0)) if up_to_constant else (ctx.answer, wrong)
    if (mine - theirs).is_rational_function() and small(mine) and small(theirs):
        return exactly_equal(mine, theirs)  # decidable, so decided: a near miss is not this mistake
    return equivalent(mine, theirs, variables, ctx.J).equal is True


def _wrong_records(row: Mistake, ctx: Context) -> tuple:
    """The row's wrong answers as `mistakes.Wrong`s; a row that cannot build one for this J
    just does not apply."""
    try:
        return tuple(w for w in row.wrongs(ctx) if isinstance(w.expr, Expr))
    except SYMPY_ERRORS:
        return ()


def _wrong_answers(row: Mistake, ctx: Context) -> tuple:
    """The row's wrong answers as expressions."""
    return tuple(w.expr for w in _wrong_records(row, ctx))


def _at(expr: Expr, point: dict) -> Expr:
    """expr at the point, exactly: in-process when cas calls it small, else in the bounded worker
    (x^x^x at x = 9 is 9^387420489, which SymPy would compute in the main process)."""
    from derivtutor.algebra import cas

    return cas.call("subs", expr, point)


def _check_value_at(ctx: Context, point: dict, typed, rel_tol, abs_tol, lang) -> Verdict:
    from derivtutor.algebra import cas

    cas.refuse_huge(ctx.derivative, point)  # 9^(9^9) is never computed
    try:
        right = _at(ctx.derivative, point)
        complex_value(right)
    except Undefined:
        raise CheckError("undefined_at", point=point_math(point, math=False), wrt=ctx.wrt.name) from None
    if right.free_symbols:
        raise CheckError("need_point", names=listing(sorted(s.name for s in right.free_symbols)))
    shown = dict(yours=number_shown(ctx.answer, typed), point=point_math(point), wrt=ctx.wrt.name)
    how = number_how(ctx.answer, right, typed, rel_tol, abs_tol)
    if how:
        return verdict(True, how, "right_value", lang, answer=ctx.answer, corrected=right, **shown)
    for row in MISTAKES:
        if not row.numeric:
            continue
        for wrong in _wrong_answers(row, ctx):
            value = _at(wrong, point)
            if value.free_symbols or number_how(value, right, None, 1e-9, 1e-12):
                continue
            if number_how(ctx.answer, value, typed, rel_tol, abs_tol):
                message = {k: tr(row.message, k, wrt=ctx.wrt.name, point=shown["point"]) for k in ("en", "zh")}
                return verdict(False, "mistake", "diagnosis_value", lang, mistake=row, answer=ctx.answer,
                               corrected=right, message=message, right=right_text(ctx.answer, right), **shown)
    judged = check_number(ctx.answer, right, rel_tol, abs_tol, typed=typed, lang=lang)
    return Verdict(False, judged.how, judged.feedback, answer=ctx.answer, corrected=right, texts=judged.texts)


def _wrong_by_sampling(eq: Equivalence, answer, expected, what: str, lang, wrt: str) -> Verdict:
    if eq.equal is None:
        key = "imprecise" if eq.how == "imprecise" else "undecided"
        return verdict(False, "undecided", key, lang, answer=answer, corrected=expected, yours=math_text(answer))
    ce = eq.counterexample
    if ce is None:  # the exact step cannot say "different"; sampling always gives a point
        return verdict(False, eq.how, f"wrong_{what}", lang, answer=answer, corrected=expected,
                       yours=math_text(answer), wrt=wrt)
    key = f"counter_{what}" if ce.learner_real() else f"counter_nonreal_{what}"
    if not ce.point and ce.learner_real():
        key = f"constant_{what}"
    mine = ce.learner_exact if ce.learner_exact is not None else (ce.learner.real if ce.learner else 0)
    theirs = ce.expected_exact if ce.expected_exact is not None else ce.expected
    yours, right = distinct_texts(mine, theirs)
    return verdict(False, eq.how, key, lang, counterexample=ce, answer=answer, corrected=expected,
                   point=point_math(ce.point), yours=yours, expected=right, wrt=wrt)


# ---------------------------------------------------------------------------
# Helpers


def _as_expr(x) -> Expr:
    x = getattr(x, "expr", x)  # a mathinput.Reading gives its expression
    if isinstance(x, bool):
        raise CheckError("not_math")
    if isinstance(x, int):
        return sympy.Integer(x)
    if isinstance(x, float):
        return sympy.Float(x, 17)
    if not isinstance(x, Expr):
        raise CheckError("not_math")
    return x


def _variable(J: Expr, wrt) -> Symbol:
    if isinstance(wrt, Symbol):
        return wrt
    if isinstance(wrt, str):
        from derivtutor.algebra import mathinput

        return mathinput.var(wrt)
    free = sorted(J.free_symbols, key=lambda s: s.name)
    if len(free) == 1:
        return free[0]
    if not free:  # a constant J: its derivative is 0 whatever the variable; call it w
        from derivtutor.algebra import mathinput

        return mathinput.var("w")
    raise CheckError("need_wrt", names=listing(s.name for s in free))


def _point(J: Expr, wrt: Symbol, at: dict) -> dict:
    names = {s.name: s for s in J.free_symbols | {wrt}}
    out = {}
    for key, value in at.items():
        symbol = key if isinstance(key, Symbol) else names.get(str(key))
        if symbol is None:
            raise CheckError("unknown_variable", name=str(key))
        out[symbol] = _as_expr(value)
    return out


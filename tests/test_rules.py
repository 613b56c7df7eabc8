"""One rule tree: derive builds typed records, the worked steps render them, and a mistake is
another rule table evaluated over the same records."""

from __future__ import annotations

import dataclasses

import pytest
import sympy
from sympy import cos, exp, log, sin

from derivtutor.algebra import mathinput, mistakes, rules
from derivtutor.algebra.rules import (
    CORRECT, ChainRule, ConstantMultipleRule, FunctionRule, LogBaseRule, PowerRule, ProductRule,
    QuotientRule, Step, SumRule,
)
from derivtutor.algebra.steps import RULES, derive

w = mathinput.var("w")


def walk(step):
    yield step
    for sub in step.substeps:
        yield from walk(sub)


def test_the_tree_is_made_of_typed_records():
    tree = derive((3 * w + 2) ** 2, w)
    assert isinstance(tree, ChainRule)
    assert isinstance(tree.outer_step, PowerRule) and tree.outer_step.n == 2
    assert isinstance(tree.inner_step, SumRule)
    assert tree.substeps == (tree.outer_step, tree.inner_step)
    assert set(tree.context) == {"u", "outer", "var"}


def test_records_are_immutable_and_one_walk_is_shared():
    tree = derive(w**2 * sin(3 * w), w)
    assert derive(w**2 * sin(3 * w), w) is tree
    with pytest.raises(dataclasses.FrozenInstanceError):
        tree.expr = w


def test_each_record_computes_its_result_from_its_substeps():
    for step in walk(derive(w**2 * sin(3 * w) + log(w) / (w + 1), w)):
        assert step.result == step.by(CORRECT)
        assert step.rule in RULES


def test_every_record_class_has_a_rule_the_renderer_knows():
    classes = [c for c in vars(rules).values()
               if isinstance(c, type) and issubclass(c, Step) and c not in (Step, rules.Leaf)]
    named = {c.rule for c in classes if isinstance(c.rule, str)}
    families = {family for family, _ in rules.FUNCTIONS.values()}
    assert named | families | {"sum", "difference"} == set(RULES)


def test_a_mistake_replaces_one_rule_of_the_same_tree():
    tree = derive(sin(w**2), w)
    assert mistakes.differentiate(sin(w**2), w, mistakes.CHAIN_MISSING) == tree.by(mistakes.CHAIN_MISSING)
    assert tree.by(mistakes.CHAIN_MISSING) == cos(w**2)
    assert tree.result == 2 * w * cos(w**2)


def test_the_outer_step_of_a_chain_is_read_at_the_inside():
    tree = derive(exp(2 * w), w)
    assert isinstance(tree.outer_step, FunctionRule) and tree.outer_step.wrt == tree.var
    assert tree.outer_step.at(CORRECT, 2 * w) == exp(2 * w)


def test_a_minus_sign_in_a_sum_belongs_to_its_term_for_a_mistake():
    # w² − 3w: a dropped coefficient drops −3 (the term's factor as J is written), as before
    assert mistakes.differentiate(w**2 - 3 * w, w, mistakes.CONST_DROPPED) == 2 * w + 1
    tree = derive(w**2 - 3 * w, w)
    assert isinstance(tree, SumRule) and tree.signs == (1, -1)
    assert isinstance(tree.parts[1], ConstantMultipleRule) and tree.parts[1].c == 3


def test_a_log_base_is_a_constant_multiple_for_a_mistake():
    tree = derive(log(w, 2), w)
    assert isinstance(tree, LogBaseRule)
    assert tree.by(mistakes.CONST_DROPPED) == 1 / w


def test_the_quotient_rule_record_writes_a_small_polynomial_numerator_expanded():
    tree = derive(w**2 / (w + 1), w)
    assert isinstance(tree, QuotientRule)
    assert tree.result == (w**2 + 2 * w) / (w + 1) ** 2
    assert sympy.simplify(tree.by(mistakes.QUOTIENT_SWAPPED) + tree.result) == 0


def test_the_product_rule_record_feeds_a_term_dropping_table():
    tree = derive(w**2 * sin(3 * w), w)
    assert isinstance(tree, ProductRule)
    kept = [tree.by(dataclasses.replace(CORRECT, product=mistakes._drop_term(i))) for i in range(2)]
    assert set(kept) == {2 * w * sin(3 * w), 3 * w**2 * cos(3 * w)}

"""The skills a question exercises: power rule, chain rule, finite differences, backprop …

A derivative's skills are read off its derivation (the rule names of the step
tree in `steps`), so tags cannot drift from the maths; what a tree cannot
show (a choice about round-off, an expansion) is declared in the lesson file
as a step's `skills` list, which lint checks against `SKILLS`.

No SymPy at module top: `lessons` (a start-up module) imports the list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Skill:
    id: str
    en: str
    zh: str

    def name(self, lang: str | None = "en") -> str:
        return self.zh if lang == "zh" else self.en


# In teaching order: `practice` with no history starts at the top.
SKILLS: tuple[Skill, ...] = (
    Skill("power", "power rule", "幂法则"),
    Skill("constant_multiple", "constant multiple", "常数倍法则"),
    Skill("sum", "sum rule", "和差法则"),
    Skill("product", "product rule", "乘积法则"),
    Skill("quotient", "quotient rule", "商法则"),
    Skill("chain", "chain rule", "链式法则"),
    Skill("exp_log", "exp and log", "指数与对数"),
    Skill("trig", "trig functions", "三角函数"),
    Skill("inverse_trig", "inverse trig", "反三角函数"),
    Skill("activation", "sigmoid, tanh and other activations", "sigmoid、tanh 等激活函数"),
    Skill("partial", "partial derivatives", "偏导数"),
    Skill("evaluate", "evaluating at a point", "在一点处求值"),
    Skill("forward_difference", "forward differences", "前向差分"),
    Skill("central_difference", "central differences", "中心差分"),
    Skill("choose_eps", "choosing ε", "选择 ε"),
    Skill("backprop", "backprop through a graph", "计算图上的反向传播"),
    Skill("gradient_step", "the gradient-descent step", "梯度下降的一步"),
)
BY_ID = {s.id: s for s in SKILLS}
IDS = tuple(BY_ID)

# Rule name of a derivation step -> the skill it exercises (rules absent here teach none).
RULE_SKILLS = {
    "power": "power", "sqrt": "power",
    "constant_multiple": "constant_multiple",
    "sum": "sum", "difference": "sum",
    "product": "product", "quotient": "quotient", "chain": "chain",
    "exp": "exp_log", "exponential": "exp_log", "ln": "exp_log", "log_base": "exp_log", "log_diff": "exp_log",
    "trig": "trig", "inverse_trig": "inverse_trig",
    "hyperbolic": "exp_log", "inverse_hyperbolic": "exp_log",
}

# What each kind of lesson step asks beyond its derivative.
KIND_SKILLS = {
    "predict": ("forward_difference", "evaluate"),
    "graph": ("backprop", "chain"),
}
COMPUTED_SKILLS = {"value": ("evaluate",), "derivative": ("evaluate",),
                   "forward": ("forward_difference",), "central": ("central_difference",)}
EXPERIMENT_SKILLS = {"eps": ("choose_eps", "forward_difference"), "at": ("forward_difference",),
                     "J": ("forward_difference",)}


def name(skill: str, lang: str | None = "en") -> str:
    return BY_ID[skill].name(lang) if skill in BY_ID else skill


def ordered(tags) -> tuple[str, ...]:
    """Skill ids without repeats, in the order of SKILLS (unknown ones dropped)."""
    found = set(tags)
    return tuple(s for s in IDS if s in found)


def unknown(tags) -> list[str]:
    """The declared tags lint must refuse."""
    return [t for t in tags if not isinstance(t, str) or t not in BY_ID]


# ---- from the maths (SymPy, imported lazily) ----------------------------------------------


def rule_names(tree) -> list[str]:
    """Every rule name in a derivation tree, depth first."""
    out, todo = [], [tree]
    while todo:
        step = todo.pop()
        out.append(step.rule)
        todo.extend(reversed(step.substeps))
    return out


def _is_activation(expr) -> bool:
    """tanh, the sigmoid 1/(1 + e^(−u)) and softplus log(1 + e^u) anywhere in expr."""
    import sympy

    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.tanh):
            return True
        inside = None
        if node.is_Pow and node.exp == -1:
            inside = node.base
        elif isinstance(node, sympy.log):
            inside = node.args[0]
        if inside is not None and inside.is_Add and 1 in inside.args and inside.has(sympy.exp):
            return True
    return False


def of_derivative(J, wrt, tree=None) -> tuple[str, ...]:
    """The skills of d`J`/d`wrt`: its derivation's rules, activations, and partial when J has other variables."""
    if tree is None:
        from derivtutor.algebra import steps

        tree = steps.derive(J, wrt)
    tags = [RULE_SKILLS[r] for r in rule_names(tree) if r in RULE_SKILLS]
    if _is_activation(J):
        tags.append("activation")
    if len(J.free_symbols - {wrt}) > 0:
        tags.append("partial")
    return ordered(tags)


def of_step(lesson, step) -> tuple[str, ...]:
    """The skills of one graded lesson step: declared ones, its derivative's, its kind's."""
    from derivtutor.teaching import answers

    tags = list(step.get("skills") or [])
    tags += KIND_SKILLS.get(step.kind, ())
    J_text, wrt = step.get("J"), step.get("wrt")
    answer = step.get("answer")
    if isinstance(answer, dict):
        kind = next((k for k in COMPUTED_SKILLS if k in answer), None)
        if kind:
            tags += COMPUTED_SKILLS[kind]
            if kind != "value":
                J_text, wrt = answer[kind], answer.get("wrt")
    if step.kind == "experiment":
        tags += EXPERIMENT_SKILLS.get(step.get("ask"), ())
    if isinstance(J_text, str) and step.kind in ("derivative", "predict", "number", "experiment", "code"):
        J = answers.expression(J_text, "J")
        if J.free_symbols:
            tags += of_derivative(J, answers.variable(J, wrt))
    return ordered(tags)

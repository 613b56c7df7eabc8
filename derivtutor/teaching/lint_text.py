"""Lesson-file messages (lint, loading) in the reader's language.

The loader writes its problems in English, next to the checks that find them; this table
gives each sentence its Chinese form, matched by pattern, so the checks stay readable and
a Chinese author or learner never reads English. A sentence with no pattern stays English
(tests/test_lint_text.py sends every problem the loader can find through this table).
"""

from __future__ import annotations

import re

# (English pattern, Chinese form); {name} in the Chinese form is the pattern's group of that name,
# itself translated when it is a sentence (`inner`).
_PATTERNS = [
    (r"cannot read this file \((?P<kind>\w+)\)", "无法读取这个文件（{kind}）"),
    (r"not valid TOML: (?P<why>.*?) \(at line (?P<line>\d+), column (?P<col>\d+)\)",
     "不是有效的 TOML：第 {line} 行第 {col} 列有错（`{why}`）"),
    (r"not valid TOML: (?P<why>.*)", "不是有效的 TOML（`{why}`）"),
    (r"the lesson needs `(?P<key>\w+)` \(a string\)", "课程需要 `{key}`（一个字符串）"),
    (r"the lesson has no steps: add \[\[steps\]\] tables", "课程里没有任何步骤：请添加 [[steps]] 表"),
    (r"`values` must be a table", "`values` 必须是一个表"),
    (r"`setup` must be a list of lines of code \(strings\)", "`setup` 必须是由代码行（字符串）组成的列表"),
    (r"no lesson files found", "没有找到课程文件"),
    (r"step (?P<n>\d+) must be a table", "第 {n} 步必须是一个表"),
    (r"step (?P<n>\d+): `kind` must be one of (?P<kinds>[^`]*), not `(?P<kind>[^`]*)`"
     r"(?: \(did you mean `(?P<close>[^`]*)`\?\))?",
     "第 {n} 步：`kind` 必须是 {kinds} 之一，而不是 `{kind}`{close?（你是想写 `{close}` 吗？）}"),
    (r"step (?P<n>\d+) \((?P<kind>\w+)\): `(?P<key>\w+)` is missing", "第 {n} 步（{kind}）：缺少 `{key}`"),
    (r"step (?P<n>\d+) \((?P<kind>\w+)\): unknown field `(?P<key>[^`]*)`(?: \(did you mean `(?P<close>[^`]*)`\?\))?",
     "第 {n} 步（{kind}）：没有 `{key}` 这个字段{close?（你是想写 `{close}` 吗？）}"),
    (r"step (?P<n>\d+) \((?P<kind>\w+)\): `(?P<key>\w+)` must be (?P<type>true or false|(?:a string|a whole number|a number|a list|a table)(?: or (?:a string|a whole number|a number|a list|a table))*)",
     "第 {n} 步（{kind}）：`{key}` 必须是{type}"),
    (r"step (?P<n>\d+) \(choice\): `answer` is 1-based and must be between 1 and (?P<m>\d+)",
     "第 {n} 步（choice）：`answer` 从 1 开始编号，必须在 1 到 {m} 之间"),
    (r"step (?P<n>\d+) \(experiment\): `ask` must be one of (?P<asks>.*)", "第 {n} 步（experiment）：`ask` 必须是 {asks} 之一"),
    (r"step (?P<n>\d+) \(experiment\): `J` is missing", "第 {n} 步（experiment）：缺少 `J`"),
    (r"step (?P<n>\d+) \(graph\): `ask` must be one of (?P<forms>.*)",
     '第 {n} 步（graph）：`ask` 必须是 `{ grad = "d" }`、`{ local = ["d", "a"] }`、`{ value = "c" }` 之一'),
    (r"step (?P<n>\d+) \((?P<kind>\w+)\): each `anticipate` entry is (?P<form>.*)",
     "第 {n} 步（{kind}）：`anticipate` 的每一项都应写成 {form}"),
    (r"step (?P<n>\d+): id `(?P<id>[^`]*)` is already used by step (?P<m>\d+)", "第 {n} 步：id `{id}` 已经被第 {m} 步用过了"),
    (r"step (?P<n>\d+): there is no graph `(?P<name>[^`]*)` under \[graphs\]", "第 {n} 步：[graphs] 下没有名为 `{name}` 的计算图"),
    (r"step (?P<n>\d+): `\{(?P<name>\w+)\}` is not a value of the lesson or of this step, nor saved by an earlier step",
     "第 {n} 步：`{{name}}` 既不是课程或本步的值，也不是前面某一步保存的答案"),
    (r"step (?P<n>\d+): every hint must be a string", "第 {n} 步：每条提示都必须是字符串"),
    (r"step (?P<n>\d+): `(?P<tag>[^`]*)` is not a skill; skills are: (?P<ids>.*)",
     "第 {n} 步：`{tag}` 不是技能名；可用的技能有：{ids}"),
    (r"(?P<what>.+): a computed number needs exactly one of (?P<keys>.*)", "{what}：计算出的数必须正好用 {keys} 中的一个"),
    (r"(?P<what>.+): unknown key `(?P<key>[^`]*)`", "{what}：没有 `{key}` 这个键"),
    (r"(?P<what>.+): `(?P<kind>\w+)` needs `eps`", "{what}：`{kind}` 需要 `eps`"),
    (r"(?P<what>.+): `(?P<kind>\w+)` needs `at = \{ w = 3 \}`", "{what}：`{kind}` 需要 `at = { w = 3 }`"),
    # answers.StepInvalid, after "step N (kind): " or "value `x`: "
    (r"step (?P<n>\d+) \((?P<kind>\w+)\): (?P<inner>.+)", "第 {n} 步（{kind}）：{inner}"),
    (r"value `(?P<name>[^`]*)`: (?P<inner>.+)", "值 `{name}`：{inner}"),
    (r"step (?P<n>\d+) value `(?P<name>[^`]*)`", "第 {n} 步的值 `{name}`"),
    (r"value `(?P<name>[^`]*)`", "值 `{name}`"),
    (r"step (?P<n>\d+)", "第 {n} 步"),
    (r"the (?P<what>.+) must be a string", "{what}必须是字符串"),
    (r"the (?P<what>.+) `(?P<text>[^`]*)` does not parse: (?P<why>.*)", "{what} `{text}` 无法解析：{why}"),
    (r"true/false is not a number", "true/false 不是数"),
    (r"(?P<value>\S+) is not a finite number", "{value} 不是有限的数"),
    (r"`(?P<value>[^`]*)` refers to an answer that has not been given yet", "`{value}` 引用了一个还没有给出的答案"),
    (r"`(?P<value>[^`]*)` is defined in terms of itself", "`{value}` 是用它自己定义的"),
    (r"`(?P<value>[^`]*)` is not a number: (?P<why>.*)", "`{value}` 不是数：{why}"),
    (r"`(?P<value>.*)` is not a number", "`{value}` 不是数"),
    (r"`at` must be a table such as \{ w = 3 \}", "`at` 必须是一个表，例如 `{ w = 3 }`"),
    (r"J has several variables \((?P<names>[^)]*)\): say which with `wrt`", "J 含有多个变量（{names}）：请用 `wrt` 指明对哪一个求导"),
    (r"graph `(?P<name>[^`]*)`: (?P<why>.*)", "计算图 `{name}`：{why}"),
    (r"the graph has no answer for (?P<what>\S+) (?P<target>.*?): (?P<why>.*)", "计算图里没有 {what} {target} 的答案：{why}"),
    (r"the tutor's own derivative does not pass its checker", "程序自己求出的导数没有通过自己的检查"),
    (r"the expected answer does not pass the tutor's own checker", "预期答案没有通过程序自己的检查"),
    (r"every option must be a non-empty string", "每个选项都必须是非空字符串"),
    (r"every `explain` entry must be a string", "`explain` 的每一项都必须是字符串"),
    (r"every `setup` line must be a string", "`setup` 的每一行都必须是字符串"),
    (r"`solution` must be a line of code that computes the answer", "`solution` 必须是一行能算出答案的代码"),
    (r"the solution `(?P<code>[^`]*)` computes no value to compare with the answer",
     "参考答案 `{code}` 没有算出可以和答案比较的值"),
    (r"the solution `(?P<code>[^`]*)` computes (?P<got>.*), not the expected answer (?P<want>.*)",
     "参考答案 `{code}` 算出的是 {got}，而不是预期的答案 {want}"),
    (r"formula of node `(?P<name>[^`]*)`", "节点 `{name}` 的公式"),
    (r"the anticipated answer `(?P<answer>[^`]*)` is the expected answer", "预料中的错误答案 `{answer}` 就是正确答案"),
    (r"the anticipated answer `(?P<answer>[^`]*)` is listed twice", "预料中的错误答案 `{answer}` 列出了两次"),
]
_COMPILED = [(re.compile(p + r"\Z", re.S), zh) for p, zh in _PATTERNS]
_TYPES = {"a string": "字符串", "a whole number": "整数", "a number": "数", "a list": "列表", "a table": "表",
          "true or false": " true 或 false"}
_OPTIONAL = re.compile(r"\{(\w+)\?([^{}]*(?:\{\w+\}[^{}]*)*)\}")
_FIELD = re.compile(r"\{\{(\w+)\}\}|\{(\w+)\}")


def localize(message: str, lang: str | None = "zh") -> str:
    """The message in `lang`: English as written, Chinese by the table (English if no pattern fits)."""
    if lang != "zh":
        return message
    return _zh(message) or message


def _zh(message: str) -> str | None:
    for pattern, form in _COMPILED:
        match = pattern.match(message)
        if match:
            return _fill(form, match)
    return None


def _fill(form: str, match: re.Match) -> str:
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    if "inner" in groups or "what" in groups:
        for key in ("inner", "what"):
            if key in groups:
                groups[key] = _zh(groups[key]) or groups[key]
    for key in ("kinds", "ids", "keys", "asks"):  # names an author types: code, listed with 、
        if key in groups:
            groups[key] = "、".join(f"`{name}`" for name in groups[key].split(", "))
    if "names" in groups:
        groups["names"] = groups["names"].replace(", ", "、")
    if "type" in groups:
        types = [groups["type"]] if groups["type"] in _TYPES else groups["type"].split(" or ")
        groups["type"] = "或".join(_TYPES[t] for t in types)
    form = _OPTIONAL.sub(lambda m: m.group(2) if m.group(1) in groups else "", form)

    def field(m: re.Match) -> str:
        if m.group(1):  # {{name}}: the braces stay, the name is filled ("`{slope}`")
            return "{" + groups.get(m.group(1), m.group(1)) + "}"
        return groups.get(m.group(2), m.group(0))

    return _FIELD.sub(field, form)


def problem_text(problem, lang: str | None = "zh") -> str:
    """"file:line: message", the message in the reader's language (file:line stays as editors read it)."""
    zh = getattr(problem, "zh", None) if lang == "zh" else None
    return f"{problem.path}:{problem.line}: {zh or localize(problem.message, lang)}"

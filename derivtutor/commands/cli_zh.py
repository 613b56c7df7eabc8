"""argparse in the learner's language: its own messages and our help strings.

argparse passes every sentence it prints (usage, headings, "invalid choice", "the
following arguments are required", …) through gettext. `speaking(lang)` installs a
small catalog for that while the parser is built and used, and `Formatter` sends our
own help texts through the same catalog. English needs nothing: msgids are English.
"""

from __future__ import annotations

import argparse
import copy
from contextlib import contextmanager
from typing import Iterator

# argparse's own msgids (Python 3.10-3.13), then the help texts of our commands.
ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示这份帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可以选的值见上面用法里的 {…}）",  # argparse joins them with ASCII commas
    "the following arguments are required: %s": "缺少以下参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "这里需要一个值",
    "expected at least one argument": "这里至少需要一个值",
    "expected at most one argument": "这里最多只能有一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "not allowed with argument %s": "不能和参数 %s 一起使用",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "invalid %(type)s value: %(value)r": "%(type)s 值无效：%(value)r",
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有 %(parser_name)r 这个命令（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    # derivtutor's own help texts
    "A chat-style terminal tutor for the derivatives behind machine learning.":
        "在终端里以对话方式讲解机器学习背后的导数。",
    "Start here:  derivtutor start lesson1": "从这里开始：  derivtutor start lesson1",
    "interface and lesson language (default: from the locale)": "界面和课程的语言（默认：跟随系统区域设置）",
    "no colour (NO_COLOR is respected too)": "不使用颜色（也支持 NO_COLOR 环境变量）",
    "plain text, one line in, text out (automatic in a pipe)": "纯文本模式：每行一个回答，只输出文字（在管道中自动启用）",
    "vi key bindings": "使用 vi 按键",
    "another folder of lessons (also DERIVTUTOR_LESSONS)": "另一个课程文件夹（也可以用 DERIVTUTOR_LESSONS）",
    "lesson id, number or a word of its title": "课程 id、编号或标题中的一个词",
    "begin the lesson again": "从头开始这一课",
    "lesson files or folders (default: the shipped lessons)": "课程文件或文件夹（默认：自带的课程）",
    "review only this lesson": "只复习这一课",
    "redo every question of the lesson, due or not": "重做这一课的每一题，不管是否到期",
    "start or continue a lesson": "开始或继续一课",
    "list the lessons and your progress": "列出所有课程和你的进度",
    "free play: bring your own function": "自由练习：带上你自己的函数",
    "review what you got wrong, when it is due": "复习做错的题（到期时）",
    "review what you got wrong, when it is due (or what is due soonest)": "复习做错的题（到期的，或最快到期的）",
    "redo every question (of the lesson, or every one you answered), due or not, missed ones first":
        "重做每一题（这一课的，或你答过的全部），不管是否到期，做错的优先",
    "type the labs' Python and SymPy, line by line": "逐行输入实验里的 Python 和 SymPy 代码并运行",
    "fresh questions on one skill (default: your weakest)": "针对一项技能的新题（默认：你最弱的一项）",
    "a skill (default: your weakest)": "一项技能（默认：你最弱的一项）",
    "the same questions as another run with this seed": "用同一个种子，得到和上次完全相同的题目",
    "stop after this many questions (default: until quit)": "做完这么多题就停（默认：直到退出）",
    "differentiate one expression and show the finite differences": "对一个表达式求导，并给出有限差分",
    "check an answer for dJ/dw, with feedback": "检查一个 dJ/dw 的答案，并给出反馈",
    "check lesson files, for authors": "检查课程文件（供课程作者使用）",
    "a summary of your progress": "你的学习进度摘要",
    "write your progress for an instructor": "导出学习进度，交给老师",
    "forget progress (asks first)": "清除进度（会先确认）",
    "example:  %s": "示例：  %s",
    'the function, e.g. "w^3"': "函数，例如 \"w^3\"",
    'the learner\'s dJ/dw, e.g. "3w^2" or "dJ/dw = 3w^2"; with --at, may be a number':
        "学生给出的 dJ/dw，例如 \"3w^2\" 或 \"dJ/dw = 3w^2\"；用了 --at 时也可以是一个数",
    "the variable to differentiate by (default: J's only one)": "对哪个变量求导（默认：J 唯一的变量）",
    "judge dJ/dw's value at this point (w=3; repeat or use commas for several)":
        "判断 dJ/dw 在这个点的值（w=3；多个变量可以重复此选项或用逗号分隔）",
    "print the verdict as JSON": "以 JSON 输出判定结果",
    'the function, e.g. "w^2", "J = (2+3w)^2" or "d/dw ln(w)"': "函数，例如 \"w^2\"、\"J = (2+3w)^2\" 或 \"d/dw ln(w)\"",
    "the variable to differentiate by (default: the only one)": "对哪个变量求导（默认：唯一的那个变量）",
    "the point (w=3; repeat or use commas for several; default: a point where it is defined)":
        "所取的点（w=3；多个变量可以重复此选项或用逗号分隔；默认：一个有定义的点）",
    "the nudge ε (default %s)": "微小变化 ε（默认 %s）",
    "print one JSON object, for scripts": "输出一个 JSON 对象，供脚本使用",
    "show the derivation rule by rule": "按法则逐步推导",
    "Unicode bars (default: only on a terminal)": "用 Unicode 字符画条形图（默认：只在终端里）",
    "json (everything) or csv (one row per answer)": "json（全部内容）或 csv（每个回答一行）",
    "write to FILE instead of standard output": "写入 FILE，而不是标准输出",
    "forget only this lesson (default: everything)": "只清除这一课（默认：全部）",
    "do not ask for confirmation": "不再询问确认",
}
CATALOGS = {"zh": ZH}


class Catalog:
    """gettext's two calls over a dict; an unknown msgid stays English."""

    def __init__(self, table: dict[str, str]):
        self.table = table

    def gettext(self, message: str) -> str:
        return self.table.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


_active = Catalog({})


def translate(text: str | None) -> str | None:
    """A help text in the active language; help texts with a value built in (`default 0.001`)
    are looked up by their template."""
    if not text:
        return text
    found = _active.gettext(text)
    if found is not text:
        return found
    if text.endswith(".") and text[:1].isupper():  # a command's description: its help, capitalised
        found = _active.gettext(text[0].lower() + text[1:-1])
        if found != text[0].lower() + text[1:-1]:
            return found + "。"
    for msgid, msgstr in _active.table.items():
        if "%s" in msgid:
            head, _, tail = msgid.partition("%s")
            if text.startswith(head) and text.endswith(tail) and len(text) >= len(head) + len(tail):
                return msgstr.replace("%s", text[len(head):len(text) - len(tail)])
    return text


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """argparse speaks `lang` inside this block (build, parse and print the parser here)."""
    global _active
    saved = argparse._, argparse.ngettext, _active
    _active = Catalog(CATALOGS.get(lang, {}))
    argparse._, argparse.ngettext = _active.gettext, _active.ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext, _active = saved


class Formatter(argparse.RawDescriptionHelpFormatter):
    """Our help texts, descriptions and epilogs through the same catalog as argparse's."""

    def _expand_help(self, action):
        shown = copy.copy(action)
        shown.help = translate(action.help)
        return super()._expand_help(shown)

    def _format_text(self, text):
        return super()._format_text(translate(text))

    def format_help(self):
        text = super().format_help()
        for heading in ("positional arguments", "options"):  # argparse adds an ASCII colon
            shown = _active.gettext(heading)
            if shown != heading:
                text = text.replace(f"{shown}:\n", f"{shown}：\n")
        return text


def language_in(argv: list[str]) -> str | None:
    """`--lang zh` / `--lang=zh` from the command line, before argparse has read it."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None

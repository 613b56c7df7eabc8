"""What the lab console says: one sentence for each refusal or error of the lab interpreter.

Shared by `derivtutor lab` (lab_session) and the lessons' code steps (code_step), so a line
refused in a lesson reads exactly as it does in the console.
"""

from __future__ import annotations

from typing import Any

from derivtutor.text import i18n, safe_text
from derivtutor.text.messages import Message

VERBATIM = {"verbatim": True}  # Python's own output: the renderer keeps its ASCII minus signs


def output_messages(printed: str, shown: str | None) -> list[Message]:
    """What the console prints for a line, as Python would: the printed lines, then its value."""
    out = []
    if printed:
        out.append(Message("block", block=safe_text.clean(printed.removesuffix("\n")), data=VERBATIM))
    if shown is not None:
        out.append(Message("block", block=safe_text.clean(shown), data=VERBATIM))
    return out


RUNS = {
    "en": "assignments, arithmetic, comparisons, print with f-strings, round, abs, min, max, and SymPy's "
          "symbols, Symbol, diff, .subs, .evalf, simplify, expand, factor, sin, cos, exp, log, sqrt, pi and E",
    "zh": "赋值、算术、比较、带 f-string 的 print、round、abs、min、max，以及 SymPy 的 "
          "symbols、Symbol、diff、.subs、.evalf、simplify、expand、factor、sin、cos、exp、log、sqrt、pi 和 E",
}

TEXT = {
    "hello": {"en": "The lab console: type the labs' Python one line at a time (`help` lists what runs, "
                    "`quit` leaves). Start with `from sympy import symbols, diff`.",
              "zh": "实验控制台：一次输入一行实验里的 Python 代码（输入 `help` 查看能运行什么，`quit` 退出）。"
                    "先输入 `from sympy import symbols, diff`。"},
    "help": {"en": "This console runs {runs}. After a `diff` or a finite difference, `why` explains the result.",
             "zh": "这个控制台能运行{runs}。做完 `diff` 或差商之后，输入 `why` 可以看到解释。"},
    "bye": {"en": "Leaving the lab console.", "zh": "离开实验控制台。"},
    "not_needed": {"en": "{what} is not needed here: this console computes with plain Python numbers and SymPy, "
                         "so you can go on without it.",
                   "zh": "这里不需要 {what}：这个控制台只用 Python 的数和 SymPy 计算，可以直接继续。"},
    # refusals: one sentence, saying what runs; nothing of the line was run
    "construct": {"en": "This console runs {runs}, not {what}, so nothing was run.",
                  "zh": "这个控制台只运行{runs}，不运行 {what}，所以什么也没有运行。"},
    "builtin": {"en": "This console runs {runs}; Python's `{what}` is not among them, so nothing was run.",
                "zh": "这个控制台只运行{runs}；Python 的 `{what}` 不在其中，所以什么也没有运行。"},
    "import": {"en": "This console imports only from sympy (it runs {runs}); `{what}` is not imported, and nothing was run.",
               "zh": "这个控制台只能从 sympy 导入（它运行{runs}）；没有导入 `{what}`，什么也没有运行。"},
    "sympy_name": {"en": "From sympy this console offers only {runs}; `{what}` is not one of them, so nothing was run.",
                   "zh": "这个控制台只提供 SymPy 的这些：{runs}；`{what}` 不在其中，所以什么也没有运行。"},
    "name": {"en": "Names starting with __ are not used in this console (it runs {runs}); nothing was run.",
             "zh": "这个控制台不使用以 __ 开头的名字（它运行{runs}）；什么也没有运行。"},
    "attribute": {"en": "On an expression this console runs only .diff, .subs, .evalf, .simplify, .expand and "
                        ".factor; `{what}` is not one of them, so nothing was run.",
                  "zh": "这个控制台对表达式只运行 .diff、.subs、.evalf、.simplify、.expand 和 .factor；"
                        "`{what}` 不在其中，所以什么也没有运行。"},
    "call": {"en": "This console calls only named functions and the methods .diff, .subs, .evalf (it runs {runs}); "
                   "nothing was run.",
             "zh": "这个控制台只调用有名字的函数和 .diff、.subs、.evalf 等方法（它运行{runs}）；什么也没有运行。"},
    "target": {"en": "This console assigns only to names, like `J = w**2` or `J, w = symbols('J, w')`; nothing was run.",
               "zh": "这个控制台只能给名字赋值，比如 `J = w**2` 或 `J, w = symbols('J, w')`；什么也没有运行。"},
    "nested": {"en": "That line is nested too deeply for this console; nothing was run.",
               "zh": "这一行嵌套得太深，这个控制台无法运行；什么也没有运行。"},
    "long": {"en": "That line is longer than {n} characters, more than any lab cell; nothing was run.",
             "zh": "这一行超过 {n} 个字符，比任何实验单元都长；什么也没有运行。"},
    "format": {"en": "Format widths and precisions above 200 are more than this console prints; nothing was run.",
               "zh": "格式的宽度或精度超过 200，超出这个控制台的输出范围；什么也没有运行。"},
    # errors while running: what Python (or SymPy) would have stopped with
    "syntax": {"en": "Python cannot read that line (a syntax error near column {col}); check brackets, quotes and operators.",
               "zh": "Python 读不懂这一行（第 {col} 列附近有语法错误）；请检查括号、引号和运算符。"},
    "unknown": {"en": "`{name}` is not defined yet: assign it first (for example `{name} = ...`).",
                "zh": "`{name}` 还没有定义：请先给它赋值（例如 `{name} = ...`）。"},
    "not_imported": {"en": "`{name}` comes from SymPy: import it first with `from sympy import {name}`.",
                     "zh": "`{name}` 来自 SymPy：请先用 `from sympy import {name}` 导入。"},
    "too_big": {"en": "That value would be too big for this console (very long text, huge numbers or expressions); "
                      "nothing was kept.",
                "zh": "这个值太大了（很长的文本、巨大的数或表达式），这个控制台不计算它；什么也没有保存。"},
    "power_big": {"en": "That power would have thousands of digits, more than this console computes; try a smaller exponent.",
                  "zh": "这个幂的结果会有成千上万位数字，超出这个控制台的计算范围；请换一个小一点的指数。"},
    "power_symbolic": {"en": "Exponents beyond {n} on an expression are more than this console computes; try a smaller one.",
                       "zh": "表达式的指数超过 {n}，超出这个控制台的计算范围；请换一个小一点的。"},
    "too_long": {"en": "SymPy took too long on that ({op}) and was stopped; try a smaller expression.",
                 "zh": "SymPy 计算这个（{op}）用时太长，已经停止；请换一个小一点的表达式。"},
    "zero": {"en": "Division by zero (Python's ZeroDivisionError); nothing was assigned.",
             "zh": "除以零（Python 的 ZeroDivisionError）；没有赋值。"},
    "overflow": {"en": "That number is too large for a float (Python's OverflowError); nothing was assigned.",
                 "zh": "这个数对浮点数来说太大（Python 的 OverflowError）；没有赋值。"},
    "python": {"en": "Python would stop here with {kind}: {detail}",
               "zh": "Python 会在这里停下，报 {kind}（Python 的原话是 `{detail}`）。"},  # its words stay its own, marked as code
    "symbols_text": {"en": "{fn} takes the names as text, for example symbols('J, w').",
                     "zh": "{fn} 的参数是名字组成的文本，例如 symbols('J, w')。"},
    "symbols_range": {"en": "This console makes symbols from names separated by commas or spaces, like "
                            "symbols('J, w'); ranges such as 'x:10' are not needed in the labs.",
                      "zh": "这个控制台用逗号或空格分隔的名字来建立符号，例如 symbols('J, w')；实验里不需要 'x:10' 这样的范围。"},
    "symbols_many": {"en": "At most {n} symbols at a time in this console.",
                     "zh": "这个控制台一次最多建立 {n} 个符号。"},
    "symbols_name": {"en": "`{name}` is not a name a symbol can have here (letters, digits and _, not starting with a digit).",
                     "zh": "`{name}` 不能作为符号名（只能用字母、数字和 _，且不能以数字开头）。"},
    "diff_args": {"en": "diff takes an expression, then the variables (and optionally how many times), like diff(J, w) or diff(J, w, 2).",
                  "zh": "diff 的参数是一个表达式，然后是变量（可以加上求导次数），例如 diff(J, w) 或 diff(J, w, 2)。"},
    "diff_order": {"en": "This console takes derivatives up to order {n} at a time.",
                   "zh": "这个控制台一次最多求 {n} 阶导数。"},
    "subs_args": {"en": "subs takes pairs, like .subs([(w, 2)]) or .subs(w, 2).",
                  "zh": "subs 的参数是成对的值，例如 .subs([(w, 2)]) 或 .subs(w, 2)。"},
    "subs_symbol": {"en": "In an expression with a variable in an exponent, subs replaces symbols only, like .subs(w, 2).",
                    "zh": "当指数里含有变量时，subs 只能替换符号，例如 .subs(w, 2)。"},
    "text_arg": {"en": "{fn} works on expressions and numbers, not on text in quotes.",
                 "zh": "{fn} 作用于表达式和数，不作用于引号里的文本。"},
    "digits": {"en": "Digits go from 1 to {n} in this console.", "zh": "这个控制台的位数范围是 1 到 {n}。"},
    "empty": {"en": "min and max need at least one value.", "zh": "min 和 max 至少需要一个值。"},
    "print_args": {"en": "print's sep and end are text, like sep=', '.", "zh": "print 的 sep 和 end 是文本，例如 sep=', '。"},
    "unpack_not": {"en": "Only a tuple can be unpacked into several names, like J, w = symbols('J, w').",
                   "zh": "只有元组才能拆开赋给多个名字，例如 J, w = symbols('J, w')。"},
    "unpack_count": {"en": "There are {want} names on the left but {got} values on the right.",
                     "zh": "左边有 {want} 个名字，右边却有 {got} 个值。"},
    "method": {"en": "`.{name}` works on SymPy expressions here; define one with symbols first.",
               "zh": "`.{name}` 在这里作用于 SymPy 表达式；请先用 symbols 定义一个。"},
    "not_callable": {"en": "{name} is a value, not a function, so it cannot be called.",
                     "zh": "{name} 是一个值，不是函数，不能调用。"},
    "keyword": {"en": "{fn} does not take `{name}=` in this console.", "zh": "在这个控制台里 {fn} 不接受 `{name}=`。"},
    "operand": {"en": "That combines a function or a print with arithmetic; call the function first.",
                "zh": "这把函数或 print 当成了数来计算；请先调用函数。"},
    "truth": {"en": "A SymPy comparison with symbols in it is neither true nor false until the symbols have values.",
              "zh": "含有符号的 SymPy 比较在符号取值之前既不是真也不是假。"},
    "percent": {"en": "This console formats text with f-strings, like f\"k = {k:0.6f}\", not with %.",
                "zh": "这个控制台用 f-string 格式化文本，例如 f\"k = {k:0.6f}\"，而不用 %。"},
    "dict_key": {"en": "That value cannot be a key of a dict.", "zh": "这个值不能作为字典的键。"},
}


def failure(err: Exception) -> tuple[str, dict]:
    """The sentence (its key and fields) for what stopped a line in the interpreter: a library
    the labs import but this console does not need, a refusal, Python's own error, a line too
    deep or too big. Shared by the console, the code steps and the lint of their setup."""
    from derivtutor.interpreter import lab_interp

    if isinstance(err, lab_interp.NotNeeded):
        return "not_needed", {"what": err.what}
    if isinstance(err, (lab_interp.Refused, lab_interp.LabError)):
        return err.code, err.fields
    if isinstance(err, RecursionError):
        return "nested", {}
    if isinstance(err, MemoryError):
        return "too_big", {}
    return "python", {"kind": type(err).__name__, "detail": str(err)[:200]}


def say(code: str, lang: str, **fields: Any) -> str:
    """The sentence for a refusal or an error, in the learner's language, with names cleaned."""
    fields = {k: safe_text.clean(str(v), keep_layout=False) for k, v in fields.items()}
    return i18n.tr(TEXT[code], lang, runs=i18n.tr(RUNS, lang), **fields)

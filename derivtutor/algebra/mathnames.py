"""The math parser's tables: every name and character it accepts, every sentence it says.

Pure data (no SymPy), so the lexer and the tests can read it cheaply. Anything
not listed here is refused by ``mathinput``; widening what learners may type
means adding a row here, never a branch in the parser.
"""

from __future__ import annotations

import keyword
import re
import unicodedata

# Canonical function names -> (fewest, most) arguments. mathinput maps each to
# a SymPy constructor; "diff" is handled structurally there.
FUNCTIONS: dict[str, tuple[int, int]] = {
    "sin": (1, 1), "cos": (1, 1), "tan": (1, 1),
    "sec": (1, 1), "csc": (1, 1), "cot": (1, 1),
    "asin": (1, 1), "acos": (1, 1), "atan": (1, 1),
    "asec": (1, 1), "acsc": (1, 1), "acot": (1, 1),
    "sinh": (1, 1), "cosh": (1, 1), "tanh": (1, 1),
    "asinh": (1, 1), "acosh": (1, 1), "atanh": (1, 1),
    "exp": (1, 1), "ln": (1, 1), "log": (1, 2), "log10": (1, 1), "log2": (1, 1),
    "sqrt": (1, 1), "abs": (1, 1), "sign": (1, 1), "sigmoid": (1, 1),
    "diff": (1, 2),
    # ML and calculus courses: max(0, w) is ReLU, lg is the base-10 log (as in Chinese textbooks).
    "max": (2, 8), "min": (2, 8), "relu": (1, 1),
    "coth": (1, 1), "sech": (1, 1), "csch": (1, 1),
    "lg": (1, 2), "root": (1, 2),
}

# Other spellings of the same functions.
FUNCTION_ALIASES: dict[str, str] = {
    "arcsin": "asin", "arccos": "acos", "arctan": "atan",
    "arcsec": "asec", "arccsc": "acsc", "arccot": "acot",
    "arsinh": "asinh", "arcosh": "acosh", "artanh": "atanh",
    "arcsinh": "asinh", "arccosh": "acosh", "arctanh": "atanh",
    "cosec": "csc", "cosech": "csch",
    "sgn": "sign", "signum": "sign",
    "ReLU": "relu", "Relu": "relu", "Max": "max", "Min": "min",
}

# Likely slips for a function name, checked before fuzzy matching:
# "In" (capital i) for ln is the classic one.
FUNCTION_TYPOS: dict[str, str] = {
    "In": "ln", "in": "ln", "IN": "ln", "Ln": "ln", "LN": "ln",
    "sine": "sin", "cosine": "cos", "tangent": "tan",
    "sqr": "sqrt", "squareroot": "sqrt",
    "Log": "log", "Exp": "exp", "Sqrt": "sqrt", "Abs": "abs",
    "derivative": "diff", "Diff": "diff",
}

# Functions of other libraries that are not in FUNCTIONS, each with the formula to write instead
# ({arg} is what the learner put in the brackets). Checked before fuzzy matching, which would
# offer a wrong neighbour: log1p is not log10, exp2 is not exp, sig is not sign.
FUNCTION_REWRITES: dict[str, str] = {
    "log1p": "ln(1 + {arg})", "expm1": "exp({arg}) - 1", "exp2": "2^({arg})", "cbrt": "({arg})^(1/3)",
    "sig": "sigmoid({arg})", "logistic": "sigmoid({arg})", "expit": "sigmoid({arg})",
    "softplus": "ln(1 + exp({arg}))", "square": "({arg})^2", "sq": "({arg})^2", "recip": "1/({arg})",
    "heaviside": "max(0, sign({arg}))", "step": "max(0, sign({arg}))",
}

# Spelled-out Greek letters are the same variable as the letter itself.
GREEK: dict[str, str] = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eps": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ",
    "mu": "μ", "nu": "ν", "xi": "ξ", "rho": "ρ", "sigma": "σ", "tau": "τ",
    "phi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "omicron": "ο", "upsilon": "υ",
}
_GREEK_PREFIX = re.compile(r"([A-Za-z]+)([0-9_].*)", re.S)

# Constant names (mathinput maps them to SymPy's E and pi). "e^w" is exp(w).
CONSTANTS = ("e", "pi", "π")

# Multi-letter variable names an ML learner writes as words; other letter runs
# such as "xy" are read as products of single letters.
WORDS = frozenset({"cost", "loss", "lr"})

# Words that name no number: refused with a reason rather than split into i·n·f.
REFUSED_WORDS = {"inf": "infinity", "infinity": "infinity", "Infinity": "infinity", "oo": "infinity"}

# Python words that signal code rather than a formula: refused with a reason.
PYTHON_WORDS = frozenset(
    {w for w in keyword.kwlist if w != "lambda"}
    | {
        "eval", "exec", "open", "compile", "globals", "locals", "getattr", "setattr",
        "delattr", "vars", "dir", "input", "print", "os", "sys", "subprocess", "system",
        "builtins", "breakpoint", "help", "exit", "quit", "self", "type", "object",
        "sympify", "parse_expr", "symbols", "Symbol", "lambdify",
    }
)

# Characters rewritten one-for-one before lexing (columns stay put).
CHAR_MAP: dict[str, str] = {
    "\t": " ", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ",
    "\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", "\ufe63": "-",
    "\u00d7": "*", "\u00b7": "*", "\u22c5": "*", "\u2219": "*", "\u2022": "*", "\u2217": "*",
    "\u00f7": "/", "\u2215": "/", "\u2044": "/", "\u2052": "-",
    "\u03f5": "ε", "\u00b5": "μ", "\u03d5": "φ",
    **{chr(0x2080 + i): str(i) for i in range(10)},  # subscript digits: w₁ is w1
}

# Superscript characters and what they stand for in an exponent.
SUPERSCRIPTS: dict[str, str] = {
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4",
    "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9", "⁻": "-", "⁺": "+",
}
TO_SUPERSCRIPT = str.maketrans({v: k for k, v in SUPERSCRIPTS.items()})

# Characters with their own explanation when refused (message keys in mathinput).
REFUSED_CHARS: dict[str, str] = {
    ";": "semicolon",
    "'": "quote", '"': "quote", "`": "quote",
    "\u2018": "quote", "\u2019": "quote", "\u201c": "quote", "\u201d": "quote",
    "\\": "latex",
    "{": "braces", "}": "braces",
    "±": "plus_minus", "∓": "plus_minus",
    "∞": "infinity",
}

# Chinese input methods: CJK punctuation, and its full-width forms, as the ASCII a formula uses.
# "。" is a full stop at the end of a line and a decimal point inside a number.
CJK_PUNCTUATION: dict[str, str] = {
    "\u3000": " ", "。": ".", "，": ",", "、": ",", "；": ";", "：": ":", "？": "?", "！": "!",
    "（": "(", "）": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "［": "[", "］": "]",
    "｛": "{", "｝": "}", "＝": "=", "＋": "+", "－": "-", "．": ".", "／": "/", "＊": "*", "＾": "^",
}
_FULL_STOPS = ("。", "．")


def fullwidth_to_ascii(ch: str) -> str:
    """Full-width forms (Chinese input methods) stand for their ASCII twins."""
    code = ord(ch)
    return chr(code - 0xFEE0) if 0xFF01 <= code <= 0xFF5E else ch


def normalize(text: str) -> str:
    """A line as a formula reads it: full-width forms, CJK punctuation and the ideographic space
    as ASCII, math letters (𝐀, ℯ, ℼ) as plain ones, and a full stop ending the line dropped.

    The runner, free play and review call this on every line before they split it (at w＝2，x＝3)
    or match a command; `mathinput.read` calls it too. Chinese characters are left as they are.
    """
    return "".join(map(normalize_char, drop_full_stop(text)))


def drop_full_stop(text: str) -> str:
    """"９。" is 9 and a full stop: the sentence ends, the number does not go on."""
    return text.rstrip()[:-1] if text.rstrip()[-1:] in _FULL_STOPS else text


def normalize_char(ch: str) -> str:
    """One character for one (so columns stay put): the ASCII a formula uses for it."""
    ch = CJK_PUNCTUATION.get(ch) or fullwidth_to_ascii(ch)
    code = ord(ch)
    if 0x1D400 <= code <= 0x1D7FF or 0x2100 <= code <= 0x214F:  # 𝐀, ℯ, ℼ
        plain = unicodedata.normalize("NFKC", ch)
        return plain if len(plain) == 1 else ch
    return ch


def canonical_name(name: str) -> str:
    """One spelling per variable: "alpha" and "α" are one, and so are "eps_1" and "ε_1"."""
    if name in GREEK:
        return GREEK[name]
    match = _GREEK_PREFIX.fullmatch(name)
    if match and match.group(1) in GREEK:
        return GREEK[match.group(1)] + match.group(2)
    return name


def canonical_function(name: str) -> str | None:
    """The canonical function name for a spelling, or None if it is not a function."""
    if name in FUNCTIONS:
        return name
    return FUNCTION_ALIASES.get(name)


def all_function_names() -> tuple[str, ...]:
    """Every accepted function spelling, longest first (for prefix matching: sinh before sin)."""
    return tuple(sorted({*FUNCTIONS, *FUNCTION_ALIASES}, key=lambda n: (-len(n), n)))


def is_greek_letter(ch: str) -> bool:
    """Lower- and upper-case Greek letters are one-letter names (π is a constant)."""
    return "\u0391" <= ch <= "\u03a9" or "\u03b1" <= ch <= "\u03c9"


# What the parser says when it refuses a line ({field}s are filled by i18n.tr).
MESSAGES: dict[str, dict[str, str]] = {
    "empty": {
        "en": "Type an expression, for example 3w^2.",
        "zh": "请输入一个表达式，例如 3w^2。",
    },
    "not_text": {
        "en": "Expected a formula written as text.",
        "zh": "这里需要一个以文字写出的公式。",
    },
    "huge_line": {
        "en": "That line is {n} characters long; it looks like a whole file was pasted. Type one formula.",
        "zh": "这一行有 {n} 个字符，看起来像是粘贴了整个文件。请只输入一个公式。",
    },
    "too_long": {
        "en": "That is {n} characters; please keep a formula under {limit}.",
        "zh": "输入共有 {n} 个字符；公式请控制在 {limit} 个字符以内。",
    },
    "multiline": {
        "en": "Please type one line at a time.",
        "zh": "请一次只输入一行。",
    },
    "control_char": {
        "en": "There is an invisible control character here ({codepoint}); please retype the line.",
        "zh": "这里有一个看不见的控制字符（{codepoint}），请重新输入这一行。",
    },
    "bad_char": {
        "en": "`{char}` isn't used in formulas here.",
        "zh": "公式里不能使用 `{char}`。",
    },
    "semicolon": {
        "en": "One formula at a time, please: `;` isn't used here.",
        "zh": "请一次只输入一个公式：这里不能使用 `;`。",
    },
    "quote": {
        "en": "Quotes aren't needed: type the formula itself, for example w^2.",
        "zh": "不需要引号：直接输入公式，例如 w^2。",
    },
    "prime": {
        "en": "A prime (') isn't understood: write dJ/dw = … instead of J'.",
        "zh": "无法识别撇号（'）：请写 dJ/dw = …，不要写 J'。",
    },
    "latex": {
        "en": "LaTeX commands aren't understood: write 1/2 instead of \\frac{1}{2} and sqrt(w) instead of \\sqrt{w}.",
        "zh": "无法识别 LaTeX 命令：请用 1/2 代替 \\frac{1}{2}，用 sqrt(w) 代替 \\sqrt{w}。",
    },
    "braces": {
        "en": "Use round brackets ( ) for grouping, not `{char}`.",
        "zh": "分组请用圆括号 ( )，不要用 `{char}`。",
    },
    "partial_alone": {
        "en": "`∂` is only understood in ∂J/∂w = … or ∂/∂w (…).",
        "zh": "`∂` 只能用在 ∂J/∂w = … 或 ∂/∂w (…) 中。",
    },
    "not_math": {
        "en": "`{name}` is Python, not maths: type a formula such as 3w^2.",
        "zh": "`{name}` 是 Python 代码，不是数学式子：请输入像 3w^2 这样的公式。",
    },
    "bad_number": {
        "en": "This number is written oddly: `{number}`.",
        "zh": "这个数的写法有问题：`{number}`。",
    },
    "number_too_long": {
        "en": "That number has more than {limit} digits; please use a shorter one.",
        "zh": "这个数超过 {limit} 位，请用短一些的数。",
    },
    "decimal_exponent": {
        "en": "`{number}` is too large or too small: keep the power of ten between 1e-{limit} and 1e{limit}.",
        "zh": "`{number}` 太大或太小：10 的幂请保持在 1e-{limit} 到 1e{limit} 之间。",
    },
    "exponent_too_big": {
        "en": "This exponent is too large to work with: keep it between -{limit} and {limit}.",
        "zh": "这个指数太大，无法计算：请让它保持在 -{limit} 到 {limit} 之间。",
    },
    "number_too_big": {
        "en": "That number would have about {digits} digits, too many to work with.",
        "zh": "这个数大约有 {digits} 位，太大了，无法计算。",
    },
    "root_too_big": {
        "en": "Taking a root of a number longer than {limit} digits is too slow; please use a smaller number.",
        "zh": "对超过 {limit} 位的数开方太慢了，请换一个小一些的数。",
    },
    "too_deep": {
        "en": "Brackets are nested more than {limit} deep here; please simplify.",
        "zh": "这里的括号嵌套超过了 {limit} 层，请简化一下。",
    },
    "too_complex": {
        "en": "Too many powers inside one another here; please simplify.",
        "zh": "这里嵌套的乘方太多了，请简化一下。",
    },
    "unclosed_paren": {
        "en": "This opening parenthesis is never closed.",
        "zh": "这个左括号没有配对的右括号。",
    },
    "unmatched_paren": {
        "en": "This closing parenthesis has no opening one.",
        "zh": "这个右括号没有配对的左括号。",
    },
    "mismatched_bracket": {
        "en": "This `{close}` doesn't match the `{open}` it closes.",
        "zh": "这个 `{close}` 与它要闭合的 `{open}` 不匹配。",
    },
    "unclosed_bar": {
        "en": "This `|` is never closed: write |w| for an absolute value.",
        "zh": "这个 `|` 没有闭合：绝对值请写作 |w|。",
    },
    "empty_parens": {
        "en": "There is nothing inside these brackets.",
        "zh": "括号里什么都没有。",
    },
    "unknown_function": {
        "en": "Unknown function `{name}`.",
        "zh": "未知函数 `{name}`。",
    },
    "rewrite": {
        "en": "`{typed}` is not a function I read; write it as `{suggestion}`.",
        "zh": "我不认识函数 `{typed}`；请把它写成 `{suggestion}`。",
    },
    "did_you_mean": {
        "en": "`{typed}`: did you mean `{suggestion}`?",
        "zh": "`{typed}`：你是想写 `{suggestion}` 吗？",
    },
    "needs_brackets": {
        "en": "A function needs brackets around its input: write {suggestion}.",
        "zh": "函数的自变量要放在括号里：请写 {suggestion}。",
    },
    "ambiguous_inverse": {
        "en": "`{name}⁻¹` is ambiguous: write a{name}(w) for the inverse function or 1/{name}(w) for the reciprocal.",
        "zh": "`{name}⁻¹` 有歧义：反函数请写 a{name}(w)，倒数请写 1/{name}(w)。",
    },
    "unknown_variable": {
        "en": "`{name}` isn't a variable here; did you mean `{suggestion}`? (Capital letters matter.)",
        "zh": "`{name}` 不是这里的变量；你是想写 `{suggestion}` 吗？（字母区分大小写。）",
    },
    "unknown_variable_list": {
        "en": "`{name}` isn't a variable here; the variables are {known}.",
        "zh": "`{name}` 不是这里的变量；可用的变量是 {known}。",
    },
    "equals_sides": {
        "en": "`=` needs something on both sides.",
        "zh": "`=` 两边都需要有内容。",
    },
    "too_many_equals": {
        "en": "Only one `=` please: write J = … or dJ/dw = ….",
        "zh": "只能有一个 `=`：请写 J = … 或 dJ/dw = …。",
    },
    "double_equals": {
        "en": "Use a single `=`, as in J = w^2.",
        "zh": "请只用一个 `=`，例如 J = w^2。",
    },
    "equals_in_brackets": {
        "en": "`=` can't go inside brackets: write J = … or dJ/dw = ….",
        "zh": "`=` 不能放在括号里：请写 J = … 或 dJ/dw = …。",
    },
    "bad_left_side": {
        "en": "The left side of `=` should be a name such as J, J(w) or dJ/dw.",
        "zh": "`=` 左边应当是一个名字，例如 J、J(w) 或 dJ/dw。",
    },
    "stray_operator_start": {
        "en": "`{op}` needs something before it.",
        "zh": "`{op}` 前面缺少内容。",
    },
    "stray_operator_end": {
        "en": "`{op}` needs something after it.",
        "zh": "`{op}` 后面缺少内容。",
    },
    "double_operator": {
        "en": "Two operators in a row: `{ops}`.",
        "zh": "连续出现了两个运算符：`{ops}`。",
    },
    "two_numbers": {
        "en": "Two numbers in a row: did you mean `{a}*{b}` or `{a}{b}`?",
        "zh": "两个数连在一起：你是想写 `{a}*{b}` 还是 `{a}{b}`？",
    },
    "number_after": {
        "en": "Put an operator before `{num}`, for example *{num} or ^{num}.",
        "zh": "请在 `{num}` 前加上运算符，例如 *{num} 或 ^{num}。",
    },
    "comma": {
        "en": "A comma only separates a function's inputs, as in log(x, 2); write decimals with a point: 1.5.",
        "zh": "逗号只用来分隔函数的参数，例如 log(x, 2)；小数请用小数点：1.5。",
    },
    "wrong_args": {
        "en": "`{name}` takes {expects}, for example {example}.",
        "zh": "`{name}` 需要{expects_zh}，例如 {example}。",
    },
    "diff_too_deep": {
        "en": "diff(…) is nested more than {most} levels deep here; differentiate fewer times at once.",
        "zh": "这里的 diff(…) 嵌套超过了 {most} 层；请一次少求几次导。",
    },
    "diff_too_big": {
        "en": "This diff(…) is too large for me to differentiate in time; try a smaller expression.",
        "zh": "这个 diff(…) 太大了，我没法及时求导；请换一个小一点的式子。",
    },
    "bad_diff": {
        "en": "Write diff(expression, variable), for example diff(w^2, w).",
        "zh": "请写 diff(表达式, 变量)，例如 diff(w^2, w)。",
    },
    "diff_of_what": {
        "en": "`{head}` needs something to differentiate, for example {head} (w^2).",
        "zh": "`{head}` 后面需要写出要求导的式子，例如 {head} (w^2)。",
    },
    "bad_method": {
        "en": "Only `.subs(…)` may follow an expression, at the very end: (2w).subs(w, 3).",
        "zh": "表达式后面只能接 `.subs(…)`，而且要放在最后：(2w).subs(w, 3)。",
    },
    "bad_subs": {
        "en": "Write .subs(w, 2) or .subs([(w, 2)]): a variable and a number.",
        "zh": "请写 .subs(w, 2) 或 .subs([(w, 2)])：一个变量和一个数。",
    },
    "expected_number": {
        "en": "Expected a number such as 0.001, -1/32 or π/2.",
        "zh": "这里需要一个数，例如 0.001、-1/32 或 π/2。",
    },
    "division_by_zero": {
        "en": "This divides by zero.",
        "zh": "这里除以了零。",
    },
    "undefined": {
        "en": "This is undefined (like log(0) or tan(π/2)).",
        "zh": "这个值没有定义（比如 log(0) 或 tan(π/2)）。",
    },
    "not_real": {
        "en": "This isn't a real number (like the square root of a negative number).",
        "zh": "这不是实数（比如负数的平方根）。",
    },
    "bad_superscript": {
        "en": "A superscript sign needs digits after it, as in w⁻¹.",
        "zh": "上标的正负号后面需要数字，例如 w⁻¹。",
    },
    "unexpected": {
        "en": "`{token}` doesn't belong here.",
        "zh": "`{token}` 不应该出现在这里。",
    },
    "unreadable": {
        "en": "Sorry, I couldn't read that; please write it another way.",
        "zh": "抱歉，我没能读懂这个式子，请换一种写法。",
    },
    "words": {
        "en": "That looks like words, not a formula; type a formula such as 3w^2.",
        "zh": "这看起来是文字，不是公式；请输入像 3w^2 这样的公式。",
    },
    "infinity": {
        "en": "Infinity isn't a number to compute with here; to see what happens far out, try a large value such as 10^6.",
        "zh": "无穷大不是可以在这里计算的数；想看很远处的情况，可以试一个大数，例如 10^6。",
    },
    "plus_minus": {
        "en": "`+-` looks like ± (plus or minus), which gives two values; write just `-` or just `+`.",
        "zh": "`+-` 看起来像 ±（正负号），会得到两个值；请只写 `-` 或只写 `+`。",
    },
    "index": {
        "en": "Square brackets after `{name}` look like an index; only a whole number can be one: "
              "write {name}1 or {name}[1]. For a product write {name}*(…).",
        "zh": "`{name}` 后面的方括号看起来像下标；下标只能是整数：请写 {name}1 或 {name}[1]。"
              "如果是乘积，请写 {name}*(…)。",
    },
    "sigma_call": {
        "en": "`{typed}`: σ is a variable here. For the sigmoid write sigmoid({inner}); for σ times it write σ*({inner}).",
        "zh": "`{typed}`：σ 在这里是变量。sigmoid 函数请写 sigmoid({inner})；σ 乘以它请写 σ*({inner})。",
    },
    "log_base": {
        "en": "`{name}` needs a base after `log_`, a number or a variable: write log_2(w), or log(w, 2).",
        "zh": "`{name}` 的 `log_` 后面要写底数（一个数或变量）：请写 log_2(w) 或 log(w, 2)。",
    },
    "unknown_function_product": {
        "en": "Unknown function `{name}`; for a product write {name}*({inner}).",
        "zh": "未知函数 `{name}`；如果是乘积，请写 {name}*({inner})。",
    },
}

NOTES: dict[str, dict[str, str]] = {
    "implicit_div": {
        "en": "`{src}` read as {shown}: write {alt} for the other reading.",
        "zh": "`{src}` 按 {shown} 理解：如果想表达另一种意思，请写 {alt}。",
    },
    "exponent_run": {
        "en": "`{src}` read as {shown}: write {alt} for the other reading.",
        "zh": "`{src}` 按 {shown} 理解：如果想表达另一种意思，请写 {alt}。",
    },
    "split_letters": {
        "en": "`{src}` read as {shown}.",
        "zh": "`{src}` 按 {shown} 理解。",
    },
    "call_as_product": {
        "en": "`{src}` read as the product {shown}.",
        "zh": "`{src}` 按乘积 {shown} 理解。",
    },
    "subscript": {
        "en": "`{src}` read as {shown}, a variable of its own.",
        "zh": "`{src}` 按 {shown} 理解，它是一个单独的变量。",
    },
    "lg": {
        "en": "`lg` read as the base-10 logarithm, log10; for the natural log write ln, for base 2 log2.",
        "zh": "`lg` 按以 10 为底的对数 log10 理解；自然对数请写 ln，以 2 为底请写 log2。",
    },
}

"""The math parser's tables: every name and character it accepts, every sentence it says.

Pure data (no SymPy), so the lexer and the tests can read it cheaply. Anything not
listed here is refused by the parser (``mathlexer``, ``mathwords``); widening what
learners may type means adding a row here, never a branch in the parser.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from derivtutor.text.i18n import Catalog

# Canonical function names -> (fewest, most) arguments. mathbuild.BUILDERS maps each to
# a SymPy constructor; "diff" is handled structurally by mathwords.
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

# Constant names (mathbuild maps them to SymPy's E and pi). "e^w" is exp(w).
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

# Characters with their own explanation when refused (keys of MESSAGES, which mathlexer raises).
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


def is_ascii_letter(ch: str) -> bool:
    """The Latin letters a name is spelled with (ä, ж and 你 are words, not names)."""
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z")


def function_prefix(text: str) -> str | None:
    """The function name `text` starts with and goes on past ("sinx" -> "sin"), or None."""
    for fname in all_function_names():
        if text.startswith(fname) and len(text) > len(fname):
            return fname
    return None


def is_plain_name(text: str, canon: str) -> bool:
    """One letter, a Greek name, a whitelisted word, or a name with digits/underscores."""
    return (
        len(text) == 1
        or canon in GREEK.values()
        or text in WORDS
        or (any(c.isdigit() or c == "_" for c in text) and not function_prefix(text))
    )


# What the parser says when it refuses a line ({field}s are filled by i18n.tr).
MESSAGES = Catalog(__name__, 'MESSAGES')

NOTES = Catalog(__name__, 'NOTES')

"""The words learners type as commands, in one place: the runner, free play, the lexer
(which colours them) and Tab completion all read these tables.

Chinese learners type Chinese words (and full-width `？`); each maps to the English
command it means, so every session understands both and help can list both.
"""

LESSON_COMMANDS = ("hint", "why", "skip", "back", "repeat", "help", "where", "quit", "next")
PLAY_COMMANDS = ("help", "show", "table", "plot", "graph", "at", "let", "eps", "wrt", "grad", "save", "skip", "quit")
ALL_COMMANDS = tuple(dict.fromkeys(LESSON_COMMANDS + PLAY_COMMANDS))

# The first Chinese word of each command is the one help and retry lines show.
LESSON_WORDS_ZH = {
    "提示": "hint", "不知道": "hint", "不会": "hint",
    "为什么": "why",
    "跳过": "skip",
    "返回": "back", "上一步": "back", "上一题": "back",
    "重复": "repeat", "再说一遍": "repeat",
    "帮助": "help",
    "进度": "where",
    "退出": "quit",
    "下一步": "next", "继续": "next", "下一题": "next",
}
PLAY_WORDS_ZH = {
    "帮助": "help", "显示": "show", "答案": "show", "不知道": "show", "表格": "table", "画图": "plot",
    "计算图": "graph", "梯度": "grad", "保存": "save", "跳过": "skip", "退出": "quit", "步长": "eps",
}
LESSON_ALIASES = {"?": "help", "exit": "quit", **LESSON_WORDS_ZH}
PLAY_ALIASES = {"?": "help", "exit": "quit", "ε": "eps", "epsilon": "eps", "point": "at", "gradient": "grad",
                **PLAY_WORDS_ZH}
ALL_WORDS_ZH = tuple(dict.fromkeys([*LESSON_WORDS_ZH, *PLAY_WORDS_ZH]))

# Full stops and exclamation marks a learner ends a reply with: `提示。`, `skip!`.
_TRAILING = "。.!！~～"


def command_key(line: str) -> str:
    """The line as a command word: trimmed, lower case, a closing `。` or `！` dropped."""
    word = line.strip().rstrip(_TRAILING).strip().lower()
    return word or line.strip().lower()


def zh_word(command: str, table: dict[str, str] = LESSON_WORDS_ZH) -> str:
    """The Chinese word shown for an English command (`hint` → `提示`), or the command itself."""
    return next((zh for zh, en in table.items() if en == command), command)

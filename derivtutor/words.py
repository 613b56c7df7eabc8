"""The words learners type as commands, in one place: the runner, free play, the lexer
(which colours them) and Tab completion all read these tables."""

LESSON_COMMANDS = ("hint", "why", "skip", "back", "repeat", "help", "where", "quit", "next")
PLAY_COMMANDS = ("help", "show", "table", "plot", "graph", "at", "let", "eps", "wrt", "grad", "save", "skip", "quit")
ALL_COMMANDS = tuple(dict.fromkeys(LESSON_COMMANDS + PLAY_COMMANDS))

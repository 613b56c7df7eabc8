"""The prompt_toolkit REPL and the plain loop: reading lines, rendering Messages, the lexer, completion, the toolbar and the background import."""

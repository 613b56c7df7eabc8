"""Lessons as conversations: lesson files, what a step expects, the one question core, diagnosis and the runner."""

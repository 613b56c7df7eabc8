"""derivtutor: a chat-style terminal tutor for the derivatives behind machine learning.

Importing the package must stay cheap (no SymPy): the shell shows its first
prompt while SymPy loads in the background.
"""

__version__ = "0.1.0"

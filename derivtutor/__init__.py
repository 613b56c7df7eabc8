"""derivtutor: a chat-style terminal tutor for the derivatives behind machine learning.

Importing the package must stay cheap (no SymPy): the shell shows its first
prompt while SymPy loads in the background.
"""

import os

__version__ = "0.1.0"

# SymPy's expression cache holds 1000 entries by default; a derivation, its check and the
# finite-difference table cycle through more than that, so recent results were evicted and
# recomputed (bench/bench_core.py: p95 9–11 ms at 1000 entries, about 7 ms at 10 000, for a
# few MB). Set before SymPy is imported; a learner's own setting wins.
os.environ.setdefault("SYMPY_CACHE_SIZE", "10000")

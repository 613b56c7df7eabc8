"""Which CAS calls are small enough to run in this process, without the worker's bounds.

A conservative test on the arguments' trees (few nodes, shallow, elementary heads, small
integers and exponents): a call that passes cannot run away, so it skips the round trip to
the worker that makes every other call killable (cas.py).
"""

from __future__ import annotations

# Operations that are cheap in-process when every argument is small.
FAST_OPS = frozenset({"sstr", "pretty", "diff", "subs", "exact_difference", "gradient"})
_MAX_NODES = 40
_MAX_DEPTH = 10
_MAX_BITS = 256      # integers and rationals up to about 77 digits
_MAX_EXPONENT = 64   # integer powers: w**64 at a point is still a small number
MAX_FAST_BITS = 4096  # a substitution whose numbers may need more bits goes to the worker
_SAFE_HEADS = frozenset(
    "Symbol Dummy Integer Rational Float Pi Exp1 ImaginaryUnit Add Mul Pow exp log "
    "sin cos tan cot sec csc asin acos atan sinh cosh tanh Abs sign Heaviside Max Min".split()
)


def small(args) -> bool:
    """A conservative size test: True only for small trees of elementary pieces."""
    from sympy import Basic, Float, Integer, Pow, Rational

    budget_left = [_MAX_NODES]

    def ok(obj, depth: int) -> bool:
        if isinstance(obj, (tuple, list)):
            return all(ok(item, depth) for item in obj)
        if isinstance(obj, dict):
            return all(ok(k, depth) and ok(v, depth) for k, v in obj.items())
        if isinstance(obj, bool) or obj is None:
            return True
        if isinstance(obj, int):
            return obj.bit_length() <= _MAX_BITS
        if not isinstance(obj, Basic):
            return False
        budget_left[0] -= 1
        if budget_left[0] < 0 or depth > _MAX_DEPTH:
            return False
        if not any(cls.__name__ in _SAFE_HEADS for cls in type(obj).__mro__):
            return False
        if isinstance(obj, Float) and obj._prec > 64:
            return False
        if isinstance(obj, Rational):
            return max(int(obj.p).bit_length(), int(obj.q).bit_length()) <= _MAX_BITS
        if isinstance(obj, Pow) and isinstance(obj.exp, Integer) and abs(int(obj.exp)) > _MAX_EXPONENT:
            return False
        return all(ok(arg, depth + 1) for arg in obj.args)

    return ok(args, 0)

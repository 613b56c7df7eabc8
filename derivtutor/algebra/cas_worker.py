"""The worker side of `cas`: a loop that runs whitelisted SymPy operations sent down a pipe.

It lives in its own module so the worker process imports only SymPy and this file,
never the caller's start-up modules. The parent kills it when a call overruns; the
memory cap below turns a runaway allocation into a MemoryError instead of swapping.
The parser stays the security boundary: only SymPy objects arrive here, never text.
"""

from __future__ import annotations

import os
import signal
import sys

# SymPy is imported inside the operations, not here: the parent imports this module
# only to name `serve` as the process target, and must not pay for SymPy doing so.
# (The forkserver preloads SymPy, so a forked worker finds it already imported.)


def _simplify(expr):
    import sympy

    return sympy.simplify(expr)


def _expand(expr):
    import sympy

    return sympy.expand(expr)


def _cancel(expr):
    import sympy

    return sympy.cancel(expr)


def _factor(expr):
    import sympy

    return sympy.factor(expr)


def _diff(expr, *wrts):
    import sympy

    return sympy.diff(expr, *wrts)


def _sstr(expr):
    import sympy

    return sympy.sstr(expr)


def _evalf(expr, digits=15):
    import sympy

    return sympy.N(expr, digits)


def _pretty(expr, width=80):
    """SymPy's 2-D drawing, with the natural log written ln as in every one-line formula."""
    from sympy.printing.pretty.pretty import PrettyPrinter

    class TutorPretty(PrettyPrinter):
        def _print_log(self, e):
            if len(e.args) == 1:
                return self._print_Function(e, func_name="ln")
            return self._print_Function(e)

    return TutorPretty({"use_unicode": True, "num_columns": width}).doprint(expr)


def _subs(expr, mapping):
    return expr.subs(mapping)


def _limit_right(expr, wrt, point):
    import sympy

    return sympy.limit(expr, wrt, point, "+")


def _limit_left(expr, wrt, point):
    import sympy

    return sympy.limit(expr, wrt, point, "-")


def _exact_difference(expr, wrt, point, eps):
    """(J(w+ε) − J(w))/ε in exact arithmetic, cancelled so w² at 3 reads ε + 6.

    `point` maps every variable to its exact value; only `wrt` moves by ε.
    """
    import sympy

    moved = expr.subs({**point, wrt: point[wrt] + eps}, simultaneous=True)
    here = expr.subs(point, simultaneous=True)
    return sympy.cancel((moved - here) / eps)


def _degree(expr, wrt):
    """expr's degree as a polynomial in wrt, or None when it is not one."""
    import sympy

    if not expr.is_polynomial(wrt):
        return None
    return int(sympy.degree(expr, wrt))


def _gradient(expr, wrts):
    """(∂expr/∂w for w in wrts): one request for all of them, not one per variable."""
    return tuple(expr.diff(w) for w in wrts)


def _ping():
    return os.getpid()


# The whitelist: the only names a caller can run. Each takes SymPy objects and ints.
OPS = {
    "simplify": _simplify,
    "expand": _expand,
    "cancel": _cancel,
    "factor": _factor,
    "diff": _diff,
    "evalf": _evalf,
    "pretty": _pretty,
    "sstr": _sstr,
    "subs": _subs,
    "limit_right": _limit_right,
    "limit_left": _limit_left,
    "exact_difference": _exact_difference,
    "ping": _ping,
    "degree": _degree,
    "gradient": _gradient,
}


def _warm_up() -> None:
    """Run each kind of operation once on a tiny input, so SymPy's lazy imports and caches
    are paid for before the worker reports ready rather than inside someone's budget."""
    import sympy

    w = sympy.Dummy("w", real=True)
    small = sympy.sin(w) ** 2 + 1 / (w + 1)
    sympy.pretty(small, use_unicode=True)
    sympy.sstr(sympy.expand((w + 1) ** 3))
    sympy.simplify(small)
    sympy.N(sympy.diff(small, w).subs(w, 2))


def _cap_memory(extra_bytes: int) -> None:
    """Limit the address space to what the worker has now plus `extra_bytes`."""
    try:
        import resource
    except ImportError:  # not on this platform: the time budget still applies
        return
    current = 0
    try:
        with open("/proc/self/statm") as f:
            current = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return  # without knowing the current size a cap could stop the worker dead
    limit = current + extra_bytes
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError, OverflowError):  # a limit beyond the platform's: no cap
        pass


def _reply(conn, tag, payload):
    try:
        conn.send((tag, payload))
    except (BrokenPipeError, ConnectionResetError):
        raise SystemExit(0) from None  # the parent is gone (killed, or gave up on us): end quietly
    except Exception as exc:  # an unpicklable result or exception: send its description
        conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when its parent goes (a tutor killed with -9 takes its
    forkserver along, and the forkserver its workers), so no orphan computes on or prints later."""
    if not sys.platform.startswith("linux"):
        return  # elsewhere the closed pipe ends the worker at its next send or receive
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError, ImportError):
        pass


def serve(conn, memory_bytes: int) -> None:
    """Answer (name, args, kwargs) requests until the pipe closes; leave quietly when the parent goes."""
    parent = os.getppid()
    _die_with_parent()
    if os.getppid() != parent:  # the parent went before the line above took effect
        return
    # Ctrl-C reaches the whole terminal process group; the parent decides what it cancels.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Big integers are legal results here: the parent's time budget, not Python's
    # 4300-digit guard, decides when printing one has taken too long.
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)
    _cap_memory(memory_bytes)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4000))
    _warm_up()
    try:
        conn.send(("ready", os.getpid()))
    except OSError:  # BrokenPipeError: the tutor is gone (killed, or gave up on a slow start)
        return
    while True:
        try:
            name, args, kwargs = conn.recv()
        except (EOFError, OSError):
            return
        op = OPS.get(name)
        if op is None:
            _reply(conn, "error", KeyError(name))
            continue
        try:
            _reply(conn, "ok", op(*args, **kwargs))
        except MemoryError:
            _reply(conn, "memory", None)
        except RecursionError:
            _reply(conn, "recursion", None)
        except Exception as exc:
            _reply(conn, "error", exc)

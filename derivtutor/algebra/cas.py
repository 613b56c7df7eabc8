"""Bounded SymPy work: anything that can run away runs in a worker process we can kill.

Threads cannot be stopped and a big-integer power holds the GIL, so simplify, expand,
evalf and printing go to a persistent worker (multiprocessing, forkserver or spawn, never
fork: the REPL has threads) with a wall-clock budget and a memory cap. On overrun the
worker is killed, a warm spare takes its place, and the caller gets `CasTimeout`.
Small, safe inputs skip the worker (see `cas_fast.small`). The worker is started on first use,
or early with `warm()`, never at import.
"""

from __future__ import annotations

import atexit
import contextlib
import math
import multiprocessing
import os
import threading
import time

from derivtutor.algebra import cas_fast, cas_worker, magnitude
from derivtutor.text.errors import TutorError
from derivtutor.text import numbers
from derivtutor.text.i18n import Catalog

DEFAULT_BUDGET = 2.0          # seconds, when DERIVTUTOR_CAS_TIMEOUT is unset
ACTION_SHARE = 0.8            # of the budget, for an action's calculations: the rest is for showing them
MAX_BUDGET = 30.0             # seconds: a larger (or infinite) DERIVTUTOR_CAS_TIMEOUT is capped
STARTUP_LIMIT = 60.0          # seconds a new worker may take to load SymPy (not the budget)
DEFAULT_MEMORY_MB = 1024      # address space a worker may add on top of SymPy itself

MESSAGES = Catalog(__name__, 'MESSAGES')


class CasTimeout(TutorError):
    """Work took longer than the budget (or too much memory); the worker was replaced."""

    table = MESSAGES

    def __init__(self, code: str = "timeout", seconds: float | None = None, digits: str = ""):
        self.seconds = seconds
        super().__init__(code, seconds="" if seconds is None else numbers.figures(seconds), digits=digits)


def budget() -> float:
    """Seconds a learner action may take: DERIVTUTOR_CAS_TIMEOUT (at most 30), or 2.0."""
    try:
        value = float(os.environ.get("DERIVTUTOR_CAS_TIMEOUT", DEFAULT_BUDGET))
    except ValueError:
        return DEFAULT_BUDGET
    if not math.isfinite(value) and value > 0:
        return MAX_BUDGET
    return min(value, MAX_BUDGET) if value > 0 else DEFAULT_BUDGET


# ---------------------------------------------------------------- one budget per learner action

_deadline = threading.local()


@contextlib.contextmanager
def action(seconds: float | None = None):
    """One learner action (a typed line, a command): every call inside shares one budget.

    Without it each call gets the whole budget, so an explain that makes five calls could
    take five budgets. Nested actions keep the outer (earlier) deadline.
    """
    outer = getattr(_deadline, "at", None)
    if outer is None:  # a Ctrl-C before this action began is not this action's
        _deadline.epoch = _cancel_epoch
    seconds = budget() * ACTION_SHARE if seconds is None else seconds
    mine = time.monotonic() + seconds
    _deadline.at = mine if outer is None else min(outer, mine)
    _deadline.total = getattr(_deadline, "total", None) if outer is not None else seconds
    try:
        yield
    finally:
        _deadline.at = outer
        if outer is None:
            _deadline.total = None
            _deadline.epoch = None


_warmed = False  # a worker has been ready once in this process


def _postpone(seconds: float) -> None:
    """Move the action's deadline later by seconds (time spent starting a worker)."""
    if getattr(_deadline, "at", None) is not None and seconds > 0.05:
        _deadline.at += seconds


def _limit(timeout: float | None) -> tuple[float, float]:
    """(seconds this call may wait, the budget to name if it overruns)."""
    own = budget() if timeout is None else timeout
    at = getattr(_deadline, "at", None)
    if at is None:
        return own, own
    left = at - time.monotonic()
    return max(min(own, left), 0.0), _deadline.total


MAX_MEMORY_MB = 1 << 20  # 1 TB: more than any machine, still a number setrlimit takes


def _memory_bytes() -> int:
    """DERIVTUTOR_CAS_MEMORY_MB (64 MB .. 1 TB), else DEFAULT_MEMORY_MB."""
    try:
        megabytes = int(os.environ.get("DERIVTUTOR_CAS_MEMORY_MB", DEFAULT_MEMORY_MB))
    except ValueError:  # "inf", "1e308", "abc"
        megabytes = DEFAULT_MEMORY_MB
    return min(max(megabytes, 64), MAX_MEMORY_MB) * 1024 * 1024


# ---------------------------------------------------------------- the fast path

# Operations that substitute a point: (the expression, the point) from their arguments.
_SUBSTITUTING = {
    "subs": lambda expr, mapping: (expr, mapping),
    "exact_difference": lambda expr, wrt, point, eps: (expr, point),
}


def _substituted_bits(fn_name: str, args) -> float:
    """About how many bits the numbers of a substitution come to (0 for other operations).

    Beyond magnitude.MAX_BITS the call is refused up front (x^x^x at x = 9 is 9^387420489:
    no process should spend its budget on it); beyond cas_fast.MAX_FAST_BITS it goes to the worker.
    """
    if fn_name not in _SUBSTITUTING:
        return 0.0
    try:
        expr, point = _SUBSTITUTING[fn_name](*args)
    except TypeError:
        return 0.0
    if not isinstance(point, dict):
        return 0.0
    return refuse_huge(expr, point)


def refuse_huge(expr, point: dict) -> float:
    """CasTimeout ("too_large") when substituting point into expr would make numbers beyond
    magnitude.MAX_BITS; else the estimated bits. For callers about to substitute in-process."""
    size = magnitude.bits(expr, point)
    if size > magnitude.MAX_BITS:
        count = magnitude.digits_at_least(expr, point)  # a count is said only when it is proved
        raise CasTimeout("too_large" if count else "too_large_uncounted", digits=count)
    return size


def _run_here(name, args, kwargs):
    try:
        return cas_worker.OPS[name](*args, **kwargs)
    except RecursionError:
        raise CasTimeout("recursion") from None


# ---------------------------------------------------------------- the worker pool


def _quiet_resource_tracker() -> None:
    """No "resource_tracker: process died unexpectedly, relaunching. Some resources might leak."
    over the learner's screen. The tracker only cleans up semaphores and shared memory, and the
    calculator creates neither (its workers talk through a pipe), so when the tracker is found
    dead (killed from outside, say) relaunching it loses nothing: there is nothing to warn about."""
    import warnings

    warnings.filterwarnings("ignore", message="resource_tracker: process died unexpectedly",
                            category=UserWarning, module="multiprocessing.resource_tracker")


def _start_deaf_to_ctrl_c(process) -> None:
    """Start a worker (and, the first time, the forkserver behind it) with SIGINT blocked.

    Ctrl-C in a terminal signals its whole process group, workers included. The REPL
    decides what a Ctrl-C cancels; a worker or a forkserver still importing SymPy
    would instead die with a KeyboardInterrupt traceback over the learner's screen.
    A blocked signal mask is inherited through fork and exec, so the children never
    see it; this thread's mask is restored at once. The resource tracker is started
    first because starting it unblocks SIGINT again (it blocks its own while it spawns).
    """
    import signal
    from multiprocessing import resource_tracker

    _quiet_resource_tracker()
    resource_tracker.ensure_running()
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    except (AttributeError, OSError, ValueError):  # no POSIX signal masks here
        process.start()
        return
    try:
        process.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class _Worker:
    """One worker process and our end of its pipe."""

    def __init__(self, ctx):
        ours, theirs = ctx.Pipe()
        self.process = ctx.Process(
            target=cas_worker.serve, args=(theirs, _memory_bytes()), daemon=True,
            name="derivtutor-cas",
        )
        _start_deaf_to_ctrl_c(self.process)
        theirs.close()
        self.conn = ours
        self.ready = False

    def wait_ready(self, limit: float) -> None:
        if self.ready:
            return
        if not self.conn.poll(limit):
            raise CasTimeout("startup")
        tag, _pid = self.conn.recv()  # EOFError if it died while loading
        self.ready = tag == "ready"
        if not self.ready:
            raise EOFError(tag)

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.join(2)
        except (OSError, ValueError, AssertionError):
            pass
        self.conn.close()


_lock = threading.RLock()
_ctx = None
_active: _Worker | None = None
_spare: _Worker | None = None


def _context():
    """forkserver where there is one (preloaded with SymPy, so new workers start fast), else spawn."""
    global _ctx
    if _ctx is None:
        if "forkserver" in multiprocessing.get_all_start_methods():
            _ctx = multiprocessing.get_context("forkserver")
            _ctx.set_forkserver_preload(["sympy", "derivtutor.algebra.cas_worker"])
        else:
            _ctx = multiprocessing.get_context("spawn")
        atexit.register(shutdown)
    return _ctx


def _ready_worker() -> _Worker:
    """The active worker, ready to take a request; keeps a spare starting behind it."""
    global _active, _spare
    if _active is not None and not _active.process.is_alive():
        _discard(_active)
    if _active is None:
        _active, _spare = (_spare or _Worker(_context())), None
    try:
        _active.wait_ready(STARTUP_LIMIT)
    except (EOFError, OSError):
        _discard(_active)
        raise CasTimeout("crashed") from None
    except BaseException:
        _discard(_active)
        raise
    if _spare is None:
        _spare = _Worker(_context())
    return _active


def _discard(worker: _Worker) -> None:
    """Kill a worker; the spare (already warm) becomes active and a new spare starts."""
    global _active, _spare
    worker.kill()
    if worker is _active:
        _active, _spare = _spare, None
        if _active is not None:
            _spare = _Worker(_context())


def _refuse_text(value) -> None:
    """Text never crosses to SymPy except through the parser: SymPy would parse (eval) it,
    and the worker is no sandbox. Containers are searched too (subs takes a dict)."""
    if isinstance(value, (str, bytes)):
        raise TypeError("cas operations take SymPy objects, not text")
    if isinstance(value, dict):
        for k, v in value.items():
            _refuse_text(k)
            _refuse_text(v)
    elif isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            _refuse_text(item)


def call(fn_name: str, *args, timeout: float | None = None, **kwargs):
    """Run a whitelisted operation by name within the budget; raise CasTimeout on overrun."""
    global _warmed
    if fn_name not in cas_worker.OPS:
        raise ValueError(f"not a cas operation: {fn_name}")
    _refuse_text((args, kwargs))
    _stop_if_cancelled()
    size = _substituted_bits(fn_name, args)
    if fn_name in cas_fast.FAST_OPS and size <= cas_fast.MAX_FAST_BITS and cas_fast.small((args, kwargs)) and not (
            fn_name in _SUBSTITUTING and magnitude.has_tower(args[0])):  # x^(x^x) at a point
        return _run_here(fn_name, args, kwargs)
    with _lock:
        if _warmed and _limit(timeout)[0] <= 0:  # the action's budget is spent: say so now, not
            raise CasTimeout("timeout", _limit(timeout)[1])  # after starting a worker for nothing
        started = time.monotonic()
        worker = _ready_worker()
        if not _warmed:  # loading SymPy the first time is not the learner's budget
            _postpone(time.monotonic() - started)
            _warmed = True
        limit, named = _limit(timeout)
        if limit <= 0:
            raise CasTimeout("timeout", named)
        try:
            worker.conn.send((fn_name, args, kwargs))
        except RecursionError:
            raise CasTimeout("recursion") from None
        except (BrokenPipeError, EOFError, OSError):
            _discard(worker)
            raise CasTimeout("crashed") from None
        try:
            if not worker.conn.poll(limit):
                _discard(worker)
                raise CasTimeout("timeout", named)
            tag, payload = worker.conn.recv()
        except KeyboardInterrupt:
            _discard(worker)  # the REPL cancelled: stop the work, keep the calculator usable
            raise
        except (EOFError, OSError):
            _discard(worker)
            raise CasTimeout("cancelled" if worker is _cancelled else "crashed") from None
        if tag == "memory":
            _discard(worker)  # a worker that ran out of memory may be left in a poor state
            raise CasTimeout("memory")
    if tag == "ok":
        return payload
    if tag == "recursion":
        raise CasTimeout("recursion")
    raise payload


def warm() -> None:
    """Start the worker in the background so the first real call does not wait for SymPy."""

    def start():
        try:
            with _lock:
                _ready_worker()
        except Exception:
            pass  # the first real call will retry and report

    threading.Thread(target=start, name="derivtutor-cas-warm", daemon=True).start()


_cancelled: _Worker | None = None
_cancel_epoch = 0  # how many times Ctrl-C cancelled; an action started before the last one is over


def _stop_if_cancelled() -> None:
    """Inside an action that Ctrl-C cancelled, every further calculation is refused at once:
    killing the busy worker stops one call, and the action must not go on with the next."""
    epoch = getattr(_deadline, "epoch", None)
    if epoch is not None and epoch != _cancel_epoch:
        raise CasTimeout("cancelled")


def cancel() -> None:
    """Stop the computation under way (Ctrl-C from another thread): kill the busy worker
    without taking the lock the waiting call holds; that call then raises CasTimeout
    ("cancelled") and the spare takes over. Later calls of the same action raise it too."""
    global _cancelled, _cancel_epoch
    _cancel_epoch += 1
    worker = _active
    if worker is not None and worker.process.is_alive():
        _cancelled = worker
        try:
            worker.process.kill()
        except (OSError, ValueError, AttributeError):
            pass


def shutdown() -> None:
    """Stop every worker this process started."""
    global _active, _spare
    with _lock:
        for worker in (_active, _spare):
            if worker is not None:
                worker.kill()
        _active = _spare = None


def worker_pids() -> tuple[int | None, int | None]:
    """(active, spare) worker process ids, None where there is none: for tests and the bench."""
    with _lock:
        return tuple(w.process.pid if w is not None else None for w in (_active, _spare))


def simplify(expr, timeout: float | None = None):
    return call("simplify", expr, timeout=timeout)


def expand(expr, timeout: float | None = None):
    return call("expand", expr, timeout=timeout)


def evalf(expr, digits: int = 15, timeout: float | None = None):
    return call("evalf", expr, digits, timeout=timeout)


def pretty(expr, width: int = 80, timeout: float | None = None) -> str:
    """2-D Unicode drawing of expr."""
    return call("pretty", expr, width, timeout=timeout)


def sstr(expr, timeout: float | None = None) -> str:
    """A string SymPy can read back."""
    return call("sstr", expr, timeout=timeout)

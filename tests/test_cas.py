"""The bounded worker: runaway SymPy work is stopped, nothing is left running, and the next call works."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sympy import Integer, N, expand, pi, sin, sstr

from derivtutor.algebra import cas
from derivtutor.algebra.cas import CasTimeout
from derivtutor.algebra.mathbuild import var
from derivtutor.algebra.mathinput import read

x = var("x")
SMALL = 0.7  # seconds: a small budget keeps these tests quick


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a killed child that is not yet reaped is a zombie: it runs nothing
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def assert_still_usable(old_pid):
    assert not alive(old_pid), "the overrunning worker must be killed"
    assert cas.expand((x + 1) ** 2) == x**2 + 2 * x + 1
    assert cas.worker_pids()[0] != old_pid


def nested_sin(depth):
    e = x
    for _ in range(depth):
        e = sin(e)
    return e


RUNAWAYS = {
    "evalf sin(10**(10**6))": lambda: cas.evalf(sin(Integer(10) ** (10**6)), timeout=SMALL),
    "expand (x+1)**100000": lambda: cas.expand((x + 1) ** 100000, timeout=SMALL),
    "N(pi, 10**6)": lambda: cas.evalf(pi, 10**6, timeout=SMALL),
    "simplify 150 nested sin": lambda: cas.simplify(nested_sin(150), timeout=SMALL),
    "diff 150 nested sin": lambda: cas.call("diff", nested_sin(150), x, timeout=SMALL),
    "str of 10**(10**6)": lambda: cas.sstr(Integer(10) ** (10**6), timeout=SMALL),
    "pretty of 10**(10**6)": lambda: cas.pretty(Integer(10) ** (10**6), timeout=SMALL),
}


@pytest.mark.parametrize("name", list(RUNAWAYS))
def test_runaway_work_times_out_and_the_next_call_works(name):
    cas.expand(x * (x + 1))  # make sure a worker is up, so we know which one overruns
    busy, spare = cas.worker_pids()
    started = time.monotonic()
    with pytest.raises(CasTimeout) as caught:
        RUNAWAYS[name]()
    assert time.monotonic() - started < SMALL + 5
    assert caught.value.code in ("timeout", "recursion", "memory")
    assert "stopped" in caught.value.message or "nested" in caught.value.message
    assert caught.value.localized("zh") != caught.value.message
    if caught.value.code != "recursion":
        assert_still_usable(busy)
        assert cas.worker_pids()[0] == spare  # the warm spare took over


def test_big_integers_print_past_pythons_digit_limit():
    # 2**20000 has 6021 digits: str() refuses past 4300, the worker prints it within budget
    text = cas.sstr(Integer(2) ** 20000, timeout=5)
    assert len(text) == 6021 and text.startswith("3980") and text.endswith("9376")
    assert text[-30:] == str(pow(2, 20000, 10**30)).zfill(30)


def test_budget_from_environment(monkeypatch):
    monkeypatch.delenv("DERIVTUTOR_CAS_TIMEOUT", raising=False)
    assert cas.budget() == 2.0
    monkeypatch.setenv("DERIVTUTOR_CAS_TIMEOUT", "0.5")
    assert cas.budget() == 0.5
    cas.expand(x + 1)
    busy = cas.worker_pids()[0]
    with pytest.raises(CasTimeout) as caught:
        cas.expand((x + 1) ** 100000)
    assert caught.value.seconds == 0.5 and "0.5 s" in caught.value.message
    assert_still_usable(busy)
    for bad in ("soon", "-1", "0"):
        monkeypatch.setenv("DERIVTUTOR_CAS_TIMEOUT", bad)
        assert cas.budget() == 2.0


def test_ctrl_c_kills_the_busy_worker_and_reraises():
    cas.expand(x + 1)
    busy = cas.worker_pids()[0]
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    try:
        timer.start()
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            cas.expand((x + 1) ** 100000, timeout=60)
        assert time.monotonic() - started < 10
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
    assert_still_usable(busy)


def test_results_match_sympy():
    e = (x + 2) ** 3
    assert cas.expand(e) == expand(e)
    assert cas.simplify(read("(w^2 - 1)/(w - 1)").expr) == read("w + 1").expr
    assert cas.evalf(pi, 30) == N(pi, 30)
    assert cas.sstr(e) == sstr(e)
    assert "3" in cas.pretty(e) and "\n" not in cas.pretty(x + 1)
    assert "⎛" in cas.pretty(read("(w+1)^2/(w-1)").expr, width=40) or "─" in cas.pretty(read("(w+1)/(w-1)").expr)
    assert cas.call("diff", read("w^3").expr, var("w")) == read("3w^2").expr


def test_only_whitelisted_operations_and_no_text():
    with pytest.raises(ValueError):
        cas.call("eval", x)
    with pytest.raises(TypeError):
        cas.call("expand", "x + 1")
    with pytest.raises(TypeError):
        cas.call("subs", x, {x: "__import__('os')"})


def test_sympy_errors_come_back_as_themselves():
    with pytest.raises(ValueError):
        cas.call("diff", nested_sin(50), x**2)  # can't differentiate with respect to x**2


def test_small_work_skips_the_worker():
    cas.shutdown()
    assert cas.sstr(x**2 + 1) == "x**2 + 1"
    assert cas.call("diff", x**3, x) == 3 * x**2
    assert cas.worker_pids() == (None, None)


def test_a_worker_that_died_between_calls_is_replaced():
    cas.expand(x + 1)
    busy = cas.worker_pids()[0]
    os.kill(busy, signal.SIGKILL)
    time.sleep(0.1)
    assert cas.expand((x + 1) ** 2) == x**2 + 2 * x + 1
    assert cas.worker_pids()[0] != busy


def test_memory_cap_is_set_in_the_worker():
    cas.expand(x + 1)
    pid = cas.worker_pids()[0]
    with open(f"/proc/{pid}/limits") as f:
        line = next(l for l in f if l.startswith("Max address space"))
    assert "unlimited" not in line.split()[3]


def test_shutdown_leaves_nothing_running():
    cas.expand(x + 1)
    pids = [p for p in cas.worker_pids() if p]
    assert len(pids) == 2  # the active worker and its warm spare
    cas.shutdown()
    assert not any(alive(p) for p in pids)
    assert cas.worker_pids() == (None, None)
    assert cas.expand((x + 1) ** 2) == x**2 + 2 * x + 1  # and it starts again on demand


def test_warm_starts_in_the_background():
    cas.shutdown()
    cas.warm()
    deadline = time.monotonic() + 60
    while cas.worker_pids()[0] is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cas.worker_pids()[0] is not None


def test_import_starts_nothing_and_loads_no_sympy():
    code = ("import sys, multiprocessing, derivtutor.algebra.cas as c; "
            "print('sympy' in sys.modules, len(multiprocessing.active_children()), c.worker_pids())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "0", "(None,", "None)"], out.stderr


def test_cancel_from_another_thread_stops_the_work_and_the_calculator_goes_on():
    import threading
    import time

    import sympy

    from derivtutor.algebra import cas

    cas.call("ping")  # a ready worker and a spare
    x = sympy.Symbol("x", real=True)
    threading.Timer(0.5, cas.cancel).start()
    started = time.monotonic()
    with pytest.raises(cas.CasTimeout) as err:
        cas.expand((x + 1) ** 100000, timeout=30)
    assert err.value.code == "cancelled" and time.monotonic() - started < 10
    assert cas.expand((x + 1) ** 2) == x**2 + 2 * x + 1

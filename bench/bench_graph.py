"""How long a graph step and a plot take: build + forward + backward + draw, and plots.

Run: python bench/bench_graph.py  (prints milliseconds per call; no pass/fail)
"""

from __future__ import annotations

import math
import time

import sympy

from derivtutor.algebra.graph_build import from_assignments, from_expression
from derivtutor.algebra.mathinput import var
from derivtutor.algebra.plot import plot_errors, plot_function


def timed(label: str, fn, repeat: int = 20) -> None:
    fn()  # warm caches (SymPy's included) once, as the tutor would after the first step
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    ms = (time.perf_counter() - start) / repeat * 1000
    print(f"{label:<48} {ms:8.2f} ms")


def main() -> None:
    w, x, b, y, c, a, d = (var(n) for n in "wxbycad")

    def lab():
        g = from_assignments([("c", w * x), ("a", c + b), ("d", a - y), ("J", d**2 / 2)],
                             inputs={x: 2, w: -2, b: 8, y: 1})
        g.backward()
        g.draw(width=40)
        return g

    sigmoid_loss = -(y * sympy.log(1 / (1 + sympy.exp(-(w * x + b))))
                     + (1 - y) * sympy.log(1 - 1 / (1 + sympy.exp(-(w * x + b)))))

    def logistic():
        g = from_expression(sigmoid_loss, {w: sympy.Rational(1, 2), x: 2, b: -1, y: 1})
        g.backward()
        g.check("w")
        return g.draw(width=80)

    timed("lab graph: build, backward, draw(40)", lab)
    timed("lab graph: finite difference dJ/da", lambda: lab().finite_difference("J", "a"))
    timed("logistic loss: split, backward, check, draw(80)", logistic, repeat=5)
    timed("plot_function 80x24 braille, tangent+secant",
          lambda: plot_function(lambda v: v**2, (0, 6), 80, 24, tangent=(3, 9, 6), secant=(3, 4)))
    timed("plot_function 1/w 80x24 text",
          lambda: plot_function(lambda v: 1 / v, (-2, 2), 80, 24, braille=False))
    rows = [(10.0**-k, (math.exp(1 + 10.0**-k) - math.e) / 10.0**-k - math.e,
             (math.exp(1 + 10.0**-k) - math.exp(1 - 10.0**-k)) / (2 * 10.0**-k) - math.e)
            for k in range(1, 16)]
    timed("plot_errors 80x24 braille", lambda: plot_errors(rows, 80, 24))


if __name__ == "__main__":
    main()

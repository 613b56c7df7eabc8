"""Terminal plots: J with its tangent and secant, and the error curve of finite differences.

A small renderer of our own rather than a plotting library: plotext and plotille
write colour as escape codes into the text, while we need plain text for pipes and
a layer name per character so the shell can colour with its own theme. Plots draw
with Unicode braille (2×4 dots a cell) or, in plain mode, ASCII with one character
per layer (the canvas is plot_canvas). Every function returns a `Plot`: a str, plus
`.layers` and `.fragments()`.
Pure Python floats, no SymPy: a plot takes a float function the caller built.
"""

from __future__ import annotations

import math
from typing import Callable, Iterable, Sequence

from derivtutor.algebra.plot_canvas import AXES, TEXT_CHAR, Canvas, Scale, curve, sloped_line
from derivtutor.text import columns
from derivtutor.text.glossary import term  # the course's one word for each idea
from derivtutor.text.i18n import listing, tr
from derivtutor.text.numbers import figures, power_of_ten

_WORDS = {
    "tangent": {"en": "tangent, slope {slope}", "zh": "切线，斜率 {slope}"},
    "secant": {"en": "secant, slope {slope}", "zh": "割线，斜率 {slope}"},
    "forward": {"en": "forward", "zh": term("forward_difference")},
    "central": {"en": "central", "zh": term("central_difference")},
    "best": {"en": "best ε: {which}", "zh": "最佳 ε：{which}"},
    "sides": {"en": "← round-off   truncation →", "zh": "← 舍入误差   截断误差 →"},
    "zero": {"en": "error 0 sits on the bottom edge", "zh": "误差为 0 的点画在底边"},
    "nothing": {"en": "(nothing to draw here)", "zh": "（这里没有可画的点）"},
}

class Plot(str):
    """The plot's text, with the layer of every character (None for blank and axes)."""

    layers: tuple[tuple[str | None, ...], ...]

    def __new__(cls, lines: list[list[tuple[str, str | None]]]) -> Plot:
        self = super().__new__(cls, "\n".join("".join(ch for ch, _ in row) for row in lines))
        self.layers = tuple(tuple(layer for _, layer in row) for row in lines)
        return self

    def fragments(self, styles: dict[str, str] | None = None) -> list[tuple[str, str]]:
        """(style, text) pieces for prompt_toolkit; a layer's style defaults to class:plot.<layer>."""
        out: list[tuple[str, str]] = []
        for i, (line, layers) in enumerate(zip(self.split("\n"), self.layers)):
            if i:
                out.append(("", "\n"))
            for ch, layer in zip(line, layers):
                style = "" if layer is None else (styles or {}).get(layer, f"class:plot.{layer}")
                if out and out[-1][0] == style and out[-1][1] != "\n":
                    out[-1] = (style, out[-1][1] + ch)
                else:
                    out.append((style, ch))
        return out


# ---------------------------------------------------------------------------
# Public plots.


MIN_SPAN = 1e-100         # narrower than this and 1/span nears the float limit
MIN_RELATIVE_SPAN = 1e-9  # narrower than this against the numbers and neighbouring pixels share a float


def range_problem(lo: float, hi: float) -> str | None:
    """Why [lo, hi] cannot be drawn on a float grid ("tiny", "narrow", "wide"), or None when it can."""
    span = hi - lo
    if not (math.isfinite(lo) and math.isfinite(hi)) or not math.isfinite(span):
        return "wide"
    if span < MIN_SPAN:
        return "tiny"
    if span < MIN_RELATIVE_SPAN * max(abs(lo), abs(hi)):
        return "narrow"
    return None


def plot_function(f: Callable[[float], float], x_range: tuple[float, float], width: int = 60,
                  height: int = 16, tangent: tuple[float, float, float] | None = None,
                  secant: tuple[float, float] | None = None, marks: Iterable[tuple[float, float]] = (),
                  braille: bool = True, label: str = "J", y_range: tuple[float, float] | None = None,
                  lang: str = "en") -> Plot:
    """J over x_range, with the tangent (x0, y0, slope) and the secant through x0 and x0 + ε.

    Points where f fails or is not finite are left as gaps; values far outside the
    bulk of the curve are clipped so a pole does not flatten everything else.
    """
    x_lo, x_hi = sorted((float(x_range[0]), float(x_range[1])))
    axes = AXES[braille]
    legend = [[(axes["swatch"] or TEXT_CHAR["curve"], "curve"), (f" {label}", None)]]
    sec_points: list[tuple[float, float]] = []
    if tangent:
        slope = _number(tangent[2], braille)
        legend.append(_legend_entry("tangent", braille, tr(_WORDS["tangent"], lang, slope=slope)))
    if secant:
        sec_points = [(x, y) for x in secant if (y := _safe(f, x)) is not None]
        if len(sec_points) == 2 and sec_points[0][0] != sec_points[1][0]:
            (sx0, sy0), (sx1, sy1) = sec_points
            slope = _number((sy1 - sy0) / (sx1 - sx0), braille)
            legend.append(_legend_entry("secant", braille, tr(_WORDS["secant"], lang, slope=slope)))
        else:
            sec_points = []
    legend_lines = _wrap(legend, width)

    frame = _Frame(width, height, len(legend_lines))
    canvas = Canvas(frame.cols, frame.rows, braille)
    xs = Scale(x_lo, x_hi, canvas.w)
    samples = [_safe(f, xs.at(px)) for px in range(canvas.w)]
    extra = [p[1] for p in [*sec_points, *marks]] + ([tangent[1]] if tangent else [])
    lo, hi = y_range or _y_limits([v for v in samples if v is not None] + extra)
    ys = Scale(lo, hi, canvas.h, flip=True)

    curve(canvas, [(px, None if v is None else ys(v)) for px, v in enumerate(samples)], "curve")
    if sec_points:
        (sx0, sy0), (sx1, sy1) = sec_points
        sloped_line(canvas, xs, ys, sx0, sy0, (sy1 - sy0) / (sx1 - sx0), "secant")
        for sx, sy in sec_points:
            canvas.point(xs(sx), ys(sy), "mark")
    if tangent:
        tx, ty, slope = (float(v) for v in tangent)
        sloped_line(canvas, xs, ys, tx, ty, slope, "tangent")
        canvas.point(xs(tx), ys(ty), "mark")
    for mx, my in marks:
        canvas.point(xs(mx), ys(my), "mark")

    x_ticks = [_number(xs.at(px), braille) for px in frame.x_tick_pixels(canvas)]
    y_ticks = [_number(ys.at(py), braille) for py in frame.y_tick_pixels(canvas)]
    return frame.compose(canvas, x_ticks, y_ticks, legend_lines, braille)


def plot_errors(rows: Sequence[tuple[float, float, float]], width: int = 60, height: int = 16,
                braille: bool = True, lang: str = "en") -> Plot:
    """|error| of forward and central differences against ε, both on log scales.

    Rows are (ε, forward error, central error). The left arm of the V is round-off,
    the right arm truncation; the lowest point of each curve is marked as its best ε.
    A zero error has no logarithm, so it sits on the bottom edge (and the legend says so).
    """
    usable = [(e, abs(fe), abs(ce)) for e, fe, ce in rows if e > 0 and _finite(fe) and _finite(ce)]
    errors = [v for _, fe, ce in usable for v in (fe, ce)]
    positive = [v for v in errors if v > 0]
    floor = math.floor(math.log10(min(positive))) - 1 if positive else -17.0
    has_zero = any(v == 0 for v in errors)

    def logy(v: float) -> float:
        return math.log10(v) if v > 0 else floor

    axes = AXES[braille]
    best = {name: min(usable, key=lambda r, i=i: r[i])[0] for i, name in ((1, "forward"), (2, "central"))} \
        if usable else {}
    which = tr(listing(f"{tr(_WORDS[k], lang)} {power_of_ten(v)}" for k, v in best.items()), lang)
    which = which.replace("-", axes["minus"])
    legend = [_legend_entry("forward", braille, tr(_WORDS["forward"], lang)),
              _legend_entry("central", braille, tr(_WORDS["central"], lang))]
    if best:
        legend.append([(axes["dot"], "best"), (" " + tr(_WORDS["best"], lang, which=which), None)])
    legend.append([(tr(_WORDS["sides"], lang), None)])
    if has_zero:
        legend.append([(tr(_WORDS["zero"], lang), None)])
    legend_lines = _wrap(legend, width)

    frame = _Frame(width, height, len(legend_lines))
    canvas = Canvas(frame.cols, frame.rows, braille)
    if not usable:
        return frame.compose(canvas, [], [], _wrap([[(tr(_WORDS["nothing"], lang), None)]], width), braille)
    ex = [math.log10(e) for e, _, _ in usable]
    xs = Scale(min(ex), max(ex), canvas.w)
    ey = [logy(v) for v in errors]
    # Whole decades at top and bottom, so the end labels are exact powers of ten.
    ys = Scale(math.floor(min(ey)), max(math.ceil(max(ey)), math.floor(min(ey)) + 1), canvas.h, flip=True)
    order = sorted(range(len(usable)), key=lambda i: ex[i])
    for i, name in ((1, "forward"), (2, "central")):
        pts = [(round(xs(ex[k])), ys(logy(usable[k][i]))) for k in order]
        for p0, p1 in zip(pts, pts[1:]):
            canvas.segment(p0, p1, name)
        for p in pts:
            canvas.dot(p[0], round(p[1]), name)
    for i, name in ((1, "forward"), (2, "central")):
        e_best = best[name]
        k = next(k for k in order if usable[k][0] == e_best)
        canvas.point(round(xs(ex[k])), ys(logy(usable[k][i])), "best")

    x_ticks = [_power_of_ten(xs.at(px), braille) for px in frame.x_tick_pixels(canvas)]
    y_ticks = [_power_of_ten(ys.at(py), braille) for py in frame.y_tick_pixels(canvas)]
    return frame.compose(canvas, x_ticks, y_ticks, legend_lines, braille)


# ---------------------------------------------------------------------------
# Frame and legend.


class _Frame:
    """Where the plot area, axes, tick labels and legend go in width × height characters."""

    LABEL_W = 6

    def __init__(self, width: int, height: int, legend_lines: int):
        self.width, self.height = max(width, 1), max(height, 1)
        self.label_w = min(self.LABEL_W, max(self.width // 4, 1))
        # Odd counts put the middle tick exactly halfway (0 on −2…2, 18 on 0…36).
        self.cols = _odd(max(self.width - self.label_w - 1, 1))
        # Rows: plot area, x axis, x labels, legend; the legend gives way first.
        self.legend_lines = legend_lines if self.height - 2 - legend_lines >= 3 else 0
        self.rows = _odd(max(self.height - 2 - self.legend_lines, 1))

    def x_tick_cols(self) -> list[int]:
        return sorted({0, self.cols // 2, self.cols - 1})

    def y_tick_rows(self) -> list[int]:
        return sorted({0, self.rows // 2, self.rows - 1})

    # A tick's cell, as a pixel position: first and last cells map to the range's ends.
    def x_tick_pixels(self, canvas: Canvas) -> list[float]:
        return [c * (canvas.w - 1) / max(self.cols - 1, 1) for c in self.x_tick_cols()]

    def y_tick_pixels(self, canvas: Canvas) -> list[float]:
        return [r * (canvas.h - 1) / max(self.rows - 1, 1) for r in self.y_tick_rows()]

    def compose(self, canvas: Canvas, x_ticks: list[str], y_ticks: list[str],
                legend: list[list[tuple[str, str | None]]], braille: bool) -> Plot:
        axes = AXES[braille]
        cells = canvas.cells()
        y_at = dict(zip(self.y_tick_rows(), y_ticks)) if y_ticks else {}
        lines: list[list[tuple[str, str | None]]] = []
        for r, row in enumerate(cells):
            label = y_at.get(r, "")
            label = label if len(label) <= self.label_w else ""
            axis = axes["tick_v"] if r in y_at else axes["v"]
            lines.append(_chars(label.rjust(self.label_w) + axis) + row)
        ticks = set(self.x_tick_cols()) if x_ticks else set()
        lines.append(_chars(" " * self.label_w + axes["corner"]
                            + "".join(axes["tick_h"] if c in ticks else axes["h"]
                                      for c in range(self.cols))))
        lines.append(_chars(self._x_labels(x_ticks)))
        lines.extend(legend[: self.legend_lines] if self.legend_lines else [])
        # Never wider or taller than asked, even for tiny sizes.
        return Plot([_clip(line, self.width) for line in lines[-self.height:]])

    def _x_labels(self, x_ticks: list[str]) -> str:
        room = self.width
        row = [" "] * room
        taken: list[tuple[int, int]] = []
        for col, text in zip(self.x_tick_cols(), x_ticks):
            at = self.label_w + 1 + col
            start = max(0, min(at - len(text) // 2, room - len(text)))
            span = (start, start + len(text))
            if span[1] > room or any(s < span[1] + 1 and span[0] < e + 1 for s, e in taken):
                continue
            row[start: span[1]] = text
            taken.append(span)
        return "".join(row).rstrip()


def _odd(n: int) -> int:
    return n if n % 2 or n < 3 else n - 1


def _chars(text: str) -> list[tuple[str, str | None]]:
    return [(ch, None) for ch in text]


def _clip(line: list[tuple[str, str | None]], width: int) -> list[tuple[str, str | None]]:
    out, used = [], 0
    for ch, layer in line:
        w = _cell_width(ch)
        if used + w > width:
            break
        out.append((ch, layer))
        used += w
    while out and out[-1] == (" ", None):
        out.pop()
    return out


_cell_width = columns.char_width


def _legend_entry(layer: str, braille: bool, text: str) -> list[tuple[str, str | None]]:
    swatch = AXES[braille]["swatch"] or TEXT_CHAR[layer]
    return [(swatch, layer), (" " + text, None)]


def _wrap(entries: list[list[tuple[str, str | None]]], width: int) -> list[list[tuple[str, str | None]]]:
    """Legend entries side by side, as many as fit on a line."""
    lines: list[list[tuple[str, str | None]]] = []
    current: list[tuple[str, str | None]] = []
    for entry in entries:
        chars = [(ch, layer) for text, layer in entry for ch in text]
        gap = _chars("   ") if current else []
        if current and sum(_cell_width(c) for c, _ in current + gap + chars) > width:
            lines.append(current)
            current, gap = [], []
        current = current + gap + chars
    if current:
        lines.append(current)
    return lines


# ---------------------------------------------------------------------------
# Numbers.


def _safe(f: Callable[[float], float], x: float) -> float | None:
    """f(x) as a finite float, or None where it is undefined (a gap in the plot)."""
    try:
        y = f(x)
    except (ArithmeticError, ValueError, TypeError):
        return None
    if isinstance(y, complex) or not _finite(y):
        return None
    return float(y)


def _finite(v: object) -> bool:
    try:
        return math.isfinite(v)  # type: ignore[arg-type]
    except TypeError:
        return False


def _y_limits(values: list[float]) -> tuple[float, float]:
    """The range of the bulk of the values; a pole's huge values are clipped off."""
    if not values:
        return -1.0, 1.0
    ordered = sorted(values)
    q05 = ordered[int(0.05 * (len(ordered) - 1))]
    q95 = ordered[int(math.ceil(0.95 * (len(ordered) - 1)))]
    spread = q95 - q05
    lo, hi = max(ordered[0], q05 - spread), min(ordered[-1], q95 + spread)
    if hi - lo < 1e-12 * max(1.0, abs(hi)):
        return lo - 1, hi + 1
    return lo, hi


def _number(v: float, unicode: bool) -> str:
    return figures(v, 3, short_exponent=True).replace("-", AXES[unicode]["minus"])


def _power_of_ten(log_value: float, unicode: bool) -> str:
    return power_of_ten(10**log_value).replace("-", AXES[unicode]["minus"])

"""Terminal plots: J with its tangent and secant, and the error curve of finite differences.

A small renderer of our own rather than a plotting library: plotext and plotille
write colour as escape codes into the text, while we need plain text for pipes and
a layer name per character so the shell can colour with its own theme. Plots draw
with Unicode braille (2×4 dots a cell) or, in plain mode, ASCII with one character
per layer. Every function returns a `Plot`: a str, plus `.layers` and `.fragments()`.
Pure Python floats, no SymPy: a plot takes a float function the caller built.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from derivtutor.text import columns
from derivtutor.text.glossary import term  # the course's one word for each idea
from derivtutor.text.i18n import listing, tr

# Layers, lowest first: a later one wins a shared cell, so the curve stays whole
# where the tangent touches it.
LAYERS = ("secant", "tangent", "curve", "forward", "central", "mark", "best")

# Plain-text character of each layer (braille mode uses dots, and "●" for points).
_TEXT_CHAR = {"curve": "*", "forward": "*", "central": "o", "secant": "x", "tangent": "+",
              "mark": "@", "best": "@"}

_AXES = {
    True: {"v": "│", "tick_v": "┤", "h": "─", "tick_h": "┬", "corner": "└", "dot": "●",
           "swatch": "━━", "minus": "−", "approx": "≈"},
    False: {"v": "|", "tick_v": "+", "h": "-", "tick_h": "+", "corner": "+", "dot": "@",
            "swatch": None, "minus": "-", "approx": "~"},
}

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

_BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [row][col]


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
# The canvas: pixels with a layer each, turned into cells.


class _Canvas:
    def __init__(self, cols: int, rows: int, braille: bool):
        self.sub_x, self.sub_y = (2, 4) if braille else (1, 1)
        self.cols, self.rows, self.braille = cols, rows, braille
        self.w, self.h = cols * self.sub_x, rows * self.sub_y
        self.pixels: dict[tuple[int, int], str] = {}
        self.points: dict[tuple[int, int], str] = {}  # whole-cell markers

    def dot(self, px: int, py: int, layer: str) -> None:
        if 0 <= px < self.w and 0 <= py < self.h:
            old = self.pixels.get((px, py))
            if old is None or LAYERS.index(layer) >= LAYERS.index(old):
                self.pixels[px, py] = layer

    def segment(self, p0: tuple[int, float], p1: tuple[int, float], layer: str) -> None:
        """A straight run of pixels; ends far off the canvas are pulled to just past its edge."""
        (x0, y0), (x1, y1) = p0, p1
        y0, y1 = (min(max(y, -1.0), float(self.h)) for y in (y0, y1))
        steps = max(abs(x1 - x0), abs(round(y1) - round(y0)), 1)
        for i in range(steps + 1):
            t = i / steps
            self.dot(round(x0 + (x1 - x0) * t), round(y0 + (y1 - y0) * t), layer)

    def point(self, px: float, py: float, layer: str) -> None:
        if not (math.isfinite(px) and math.isfinite(py)):  # a mark far off the range (x0 = 1e10 on 0..1e-300)
            return
        px = round(px)
        if 0 <= px < self.w and 0 <= round(py) < self.h:
            self.points[px // self.sub_x, round(py) // self.sub_y] = layer

    def cells(self) -> list[list[tuple[str, str | None]]]:
        grid = [[(" ", None)] * self.cols for _ in range(self.rows)]
        if self.braille:
            bits: dict[tuple[int, int], int] = {}
            for (px, py), layer in self.pixels.items():
                cell = (px // 2, py // 4)
                bits[cell] = bits.get(cell, 0) | _BRAILLE_BITS[py % 4][px % 2]
                _, old = grid[cell[1]][cell[0]]
                if old is None or LAYERS.index(layer) > LAYERS.index(old):
                    grid[cell[1]][cell[0]] = (" ", layer)
            for (cx, cy), value in bits.items():
                grid[cy][cx] = (chr(0x2800 + value), grid[cy][cx][1])
        else:
            for (px, py), layer in self.pixels.items():
                grid[py][px] = (_TEXT_CHAR[layer], layer)
        for (cx, cy), layer in self.points.items():
            grid[cy][cx] = (_AXES[self.braille]["dot"], layer)
        return grid


@dataclass(frozen=True)
class _Scale:
    """A value range onto pixel positions 0 … n−1 (flipped for y, so up is up)."""

    lo: float
    hi: float
    n: int
    flip: bool = False

    def __call__(self, v: float) -> float:
        span = self.hi - self.lo
        t = (v - self.lo) / span if span else 0.5
        pos = t * (self.n - 1)
        return (self.n - 1 - pos) if self.flip else pos

    def at(self, pos: float) -> float:
        """The value at a pixel position."""
        t = pos / (self.n - 1) if self.n > 1 else 0.5
        t = 1 - t if self.flip else t
        return self.lo + t * (self.hi - self.lo)


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
    axes = _AXES[braille]
    legend = [[(axes["swatch"] or _TEXT_CHAR["curve"], "curve"), (f" {label}", None)]]
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
    canvas = _Canvas(frame.cols, frame.rows, braille)
    xs = _Scale(x_lo, x_hi, canvas.w)
    samples = [_safe(f, xs.at(px)) for px in range(canvas.w)]
    extra = [p[1] for p in [*sec_points, *marks]] + ([tangent[1]] if tangent else [])
    lo, hi = y_range or _y_limits([v for v in samples if v is not None] + extra)
    ys = _Scale(lo, hi, canvas.h, flip=True)

    _curve(canvas, [(px, None if v is None else ys(v)) for px, v in enumerate(samples)], "curve")
    if sec_points:
        (sx0, sy0), (sx1, sy1) = sec_points
        _line(canvas, xs, ys, sx0, sy0, (sy1 - sy0) / (sx1 - sx0), "secant")
        for sx, sy in sec_points:
            canvas.point(xs(sx), ys(sy), "mark")
    if tangent:
        tx, ty, slope = (float(v) for v in tangent)
        _line(canvas, xs, ys, tx, ty, slope, "tangent")
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

    axes = _AXES[braille]
    best = {name: min(usable, key=lambda r, i=i: r[i])[0] for i, name in ((1, "forward"), (2, "central"))} \
        if usable else {}
    which = tr(listing(f"{tr(_WORDS[k], lang)} {_eps(v)}" for k, v in best.items()), lang)
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
    canvas = _Canvas(frame.cols, frame.rows, braille)
    if not usable:
        return frame.compose(canvas, [], [], _wrap([[(tr(_WORDS["nothing"], lang), None)]], width), braille)
    ex = [math.log10(e) for e, _, _ in usable]
    xs = _Scale(min(ex), max(ex), canvas.w)
    ey = [logy(v) for v in errors]
    # Whole decades at top and bottom, so the end labels are exact powers of ten.
    ys = _Scale(math.floor(min(ey)), max(math.ceil(max(ey)), math.floor(min(ey)) + 1), canvas.h, flip=True)
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
# Drawing helpers.


def _curve(canvas: _Canvas, pts: list[tuple[int, float | None]], layer: str) -> None:
    """Join neighbouring samples; leave gaps at undefined points and across poles."""
    prev = None
    for px, py in pts:
        if py is None:
            prev = None
            continue
        if prev is not None and not _across(prev[1], py, canvas.h):
            canvas.segment(prev, (px, py), layer)
        else:
            canvas.dot(px, round(py), layer)
        prev = (px, py)


def _across(y0: float, y1: float, h: int) -> bool:
    """Both ends off the canvas on opposite sides: a jump through a pole, not a line."""
    return (y0 < 0 and y1 >= h) or (y1 < 0 and y0 >= h)


def _line(canvas: _Canvas, xs: _Scale, ys: _Scale, x0: float, y0: float, slope: float,
          layer: str) -> None:
    pts = [(px, ys(y0 + slope * (xs.at(px) - x0))) for px in range(canvas.w)]
    for p0, p1 in zip(pts, pts[1:]):
        if not _across(p0[1], p1[1], canvas.h):
            canvas.segment(p0, p1, layer)


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
    def x_tick_pixels(self, canvas: _Canvas) -> list[float]:
        return [c * (canvas.w - 1) / max(self.cols - 1, 1) for c in self.x_tick_cols()]

    def y_tick_pixels(self, canvas: _Canvas) -> list[float]:
        return [r * (canvas.h - 1) / max(self.rows - 1, 1) for r in self.y_tick_rows()]

    def compose(self, canvas: _Canvas, x_ticks: list[str], y_ticks: list[str],
                legend: list[list[tuple[str, str | None]]], braille: bool) -> Plot:
        axes = _AXES[braille]
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
    swatch = _AXES[braille]["swatch"] or _TEXT_CHAR[layer]
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
    text = f"{v:.3g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        text = f"{mantissa}e{int(exp)}"
    return text.replace("-", _AXES[unicode]["minus"])


def _power_of_ten(log_value: float, unicode: bool) -> str:
    return _eps(10**log_value).replace("-", _AXES[unicode]["minus"])


def _eps(v: float) -> str:
    return f"{v:.0e}".replace("e-0", "e-").replace("e+0", "e")

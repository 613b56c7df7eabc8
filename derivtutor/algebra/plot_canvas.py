"""The plots' canvas: pixels with a layer each, value ranges onto pixels, and the curve and
line strokes drawn on it; plot.py lays out the axes, ticks and legend around it.

Braille packs 2×4 dots into a cell; plain mode uses one character per layer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Layers, lowest first: a later one wins a shared cell, so the curve stays whole
# where the tangent touches it.
LAYERS = ("secant", "tangent", "curve", "forward", "central", "mark", "best")

# Plain-text character of each layer (braille mode uses dots, and "●" for points).
TEXT_CHAR = {"curve": "*", "forward": "*", "central": "o", "secant": "x", "tangent": "+",
             "mark": "@", "best": "@"}

AXES = {
    True: {"v": "│", "tick_v": "┤", "h": "─", "tick_h": "┬", "corner": "└", "dot": "●",
           "swatch": "━━", "minus": "−", "approx": "≈"},
    False: {"v": "|", "tick_v": "+", "h": "-", "tick_h": "+", "corner": "+", "dot": "@",
            "swatch": None, "minus": "-", "approx": "~"},
}

_BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [row][col]


class Canvas:
    """Pixels with a layer each (a later layer wins), turned into character cells."""

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
                grid[py][px] = (TEXT_CHAR[layer], layer)
        for (cx, cy), layer in self.points.items():
            grid[cy][cx] = (AXES[self.braille]["dot"], layer)
        return grid


@dataclass(frozen=True)
class Scale:
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


def curve(canvas: Canvas, pts: list[tuple[int, float | None]], layer: str) -> None:
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


def sloped_line(canvas: Canvas, xs: Scale, ys: Scale, x0: float, y0: float, slope: float,
          layer: str) -> None:
    pts = [(px, ys(y0 + slope * (xs.at(px) - x0))) for px in range(canvas.w)]
    for p0, p1 in zip(pts, pts[1:]):
        if not _across(p0[1], p1[1], canvas.h):
            canvas.segment(p0, p1, layer)

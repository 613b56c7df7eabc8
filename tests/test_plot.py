"""Terminal plots: fixed-size snapshots, gaps, clipping, tiny sizes, layers for colour."""

from __future__ import annotations

import math

import pytest

from derivtutor.algebra.plot import Plot, plot_errors, plot_function
from derivtutor.algebra.plot_canvas import LAYERS


def square(w):
    return w**2


def lab_rows():
    """|error| of the forward and central differences of w² at w = 3, as the labs compute them."""
    rows = []
    for k in range(1, 16):
        eps = 10.0**-k
        forward = ((3 + eps) ** 2 - 9) / eps - 6
        central = ((3 + eps) ** 2 - (3 - eps) ** 2) / (2 * eps) - 6
        rows.append((eps, forward, central))
    return rows


TEXT_SNAPSHOT = [
    '    36+                               **',
    '      |                            ***xx',
    '      |                         ***+++++',
    '    18+                     @***++',
    '      |                @****+',
    '      |          ******',
    '     0+**********+x',
    '      ++---------------+---------------+',
    '       0               3               6',
    '* J   + tangent, slope 6',
    'x secant, slope 7',
]

BRAILLE_SNAPSHOT = [
    '    36┤                              ⢀⠤⠊',
    '      │                            ⡠⢔⡡⠔⣊',
    '      │                         ⣠⡴⣝⠮⠕⠊⠉',
    '    18┤                     ●⣠⡶⠟⠓⠉',
    '      │                 ⢀⡠⠴⠚⠉',
    '      │            ⣀⣠⠤⠒●⠁',
    '     0┤⣀⣀⣀⣀⡠⠤⠤⠤⣒⣶⠿⠛⠉',
    '      └┬───────────────┬───────────────┬',
    '       0               3               6',
    '━━ J   ━━ tangent, slope 6',
    '━━ secant, slope 7',
]

ERRORS_SNAPSHOT = [
    '   1e0+oooo                            *',
    '      |    oooo                  ******',
    '      |        o            *****',
    '  3e-8+         ooooooo@oooo',
    '      |                     ooooo',
    '      |                          oooooo',
    ' 1e-15+                                @',
    '      ++---------------+---------------+',
    '     1e-15           1e-8           1e-1',
    '* forward   o central',
    '@ best ε: forward 1e-8, central 1e-1',
    '← round-off   truncation →',
]


def lines(plot):
    return str(plot).split("\n")


def test_function_plot_text_mode_snapshot():
    plot = plot_function(square, (0, 6), 40, 12, tangent=(3, 9, 6), secant=(3, 4), braille=False)
    assert lines(plot) == TEXT_SNAPSHOT


def test_function_plot_braille_snapshot():
    plot = plot_function(square, (0, 6), 40, 12, tangent=(3, 9, 6), secant=(3, 4))
    assert lines(plot) == BRAILLE_SNAPSHOT


def test_error_plot_snapshot_marks_the_best_eps():
    plot = plot_errors(lab_rows(), 40, 12, braille=False)
    assert lines(plot) == ERRORS_SNAPSHOT
    assert "best ε: forward 1e-8, central 1e-1" in str(plot)


@pytest.mark.parametrize("braille", [False, True])
def test_plots_stay_inside_their_size(braille):
    for width, height in [(40, 12), (80, 24), (30, 8)]:
        for plot in (plot_function(square, (-3, 3), width, height, tangent=(1, 1, 2),
                                   secant=(1, 1.5), braille=braille),
                     plot_errors(lab_rows(), width, height, braille=braille)):
            assert len(lines(plot)) <= height
            assert all(len(line) <= width for line in lines(plot))


def test_text_mode_has_no_escape_codes_and_one_character_per_layer():
    plot = plot_function(square, (0, 6), 40, 12, tangent=(3, 9, 6), secant=(3, 4), braille=False)
    assert "\x1b" not in plot and str(plot).isascii()
    seen = {ch: layer for row, layers in zip(lines(plot), plot.layers)
            for ch, layer in zip(row, layers) if layer}
    assert seen == {"*": "curve", "+": "tangent", "x": "secant", "@": "mark"}


def test_layers_line_up_with_characters_and_become_fragments():
    plot = plot_function(square, (0, 6), 40, 12, tangent=(3, 9, 6), secant=(3, 4))
    assert isinstance(plot, Plot) and isinstance(plot, str)
    assert [len(row) for row in lines(plot)] == [len(layers) for layers in plot.layers]
    used = {layer for layers in plot.layers for layer in layers if layer}
    assert {"curve", "tangent", "secant", "mark"} <= used <= set(LAYERS)
    fragments = plot.fragments()
    assert "".join(text for _, text in fragments) == str(plot)
    assert ("class:plot.tangent" in {style for style, _ in fragments})
    mine = plot.fragments({"curve": "bold"})
    assert "bold" in {style for style, _ in mine}


def test_undefined_points_leave_a_gap():
    plot = plot_function(lambda w: 1 / w, (-2, 2), 40, 12, braille=False)
    rows = [row[7:].ljust(33) for row in lines(plot)[:9]]
    assert lines(plot)[10].split() == ["-2", "0", "2"]
    # 1/w is drawn on both sides of 0, never at 0, and no line joins the branches across it.
    assert all(row[16] == " " for row in rows)
    assert any(row[15] == "*" for row in rows[5:]) and any(row[17] == "*" for row in rows[:4])
    assert not any(row[15] == "*" for row in rows[:4]) and not any(row[17] == "*" for row in rows[5:])


def test_gaps_where_the_function_fails_or_is_not_finite():
    def partial(w):
        if w < 0:
            raise ValueError("math domain error")
        return math.sqrt(w) if w < 2 else float("nan")

    plot = plot_function(partial, (-2, 4), 40, 12, braille=False)
    rows = [row[7:] for row in lines(plot)[:8]]
    cols = {i for row in rows for i, ch in enumerate(row) if ch == "*"}
    assert cols and min(cols) >= 10 and max(cols) <= 24


def test_huge_values_are_clipped_not_flattening_the_curve():
    plot = plot_function(lambda w: 1 / w**2, (-1, 1), 40, 12, braille=False)
    top_label = lines(plot)[0][:6].strip()
    assert float(top_label.rstrip("+")) < 1e4  # the pole does not set the scale
    assert sum(row.count("*") for row in lines(plot)[:8]) > 12


def test_log_of_zero_error_sits_on_the_bottom_edge():
    rows = [(10.0**-k, 10.0**-k, 0.0) for k in range(1, 9)]
    plot = plot_errors(rows, 40, 14, braille=False)
    assert "error 0 sits on the bottom edge" in plot
    plot_rows = [row for row in lines(plot) if row[6:7] in ("|", "+")][:-1]
    assert set(plot_rows[-1][7:].replace("@", "o").strip()) == {"o"}


@pytest.mark.parametrize("width, height", [(0, 0), (1, 1), (3, 2), (5, 3), (12, 4), (-4, -2)])
def test_tiny_sizes_do_not_crash(width, height):
    for braille in (False, True):
        p = plot_function(square, (0, 6), width, height, tangent=(3, 9, 6), secant=(3, 4),
                          braille=braille)
        q = plot_errors(lab_rows(), width, height, braille=braille)
        for plot in (p, q):
            assert len(lines(plot)) <= max(height, 1)
            assert all(len(line) <= max(width, 1) for line in lines(plot))


def test_degenerate_inputs():
    assert "nothing to draw" in plot_errors([], 40, 12)
    flat = plot_function(lambda w: 5.0, (0, 1), 40, 12, braille=False)
    assert "*" * 30 in flat
    nowhere = plot_function(lambda w: float("nan"), (0, 1), 40, 12)
    assert set("".join(r[7:] for r in lines(nowhere)[:8]).strip()) <= {" "}
    backwards = plot_function(square, (6, 0), 40, 12, braille=False)
    assert lines(backwards)[-2].split() == ["0", "3", "6"]


def test_chinese_legend():
    plot = plot_function(square, (0, 6), 40, 12, tangent=(3, 9, 6), secant=(3, 4), lang="zh")
    assert "切线，斜率 6" in plot and "割线，斜率 7" in plot
    errors = plot_errors(lab_rows(), 60, 16, lang="zh")
    assert "前向差分" in errors and "舍入误差" in errors

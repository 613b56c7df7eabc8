"""What free play may say about one J's errors, proved from J or from the differences measured.

Each function answers one yes-or-no question a sentence of `play_explain` rests on (is J a
line? does round-off win at this ε? do the errors shrink like ε and ε²? is there a V? is the
secant in sight?), so that no sentence is chosen from a guess. No words live here: `p` is a
`play_explain.Problem`, and the sentences stay in play_explain.toml.
"""

from __future__ import annotations


def truncation_key(p, slope: float, fe: float, ce: float, same_text: bool) -> str:
    """Which truncation sentence the errors measured at ε and ε/2 bear out.

    "Shrinks like ε" and "like ε²" are said only where halving ε measurably halves the forward
    error and quarters the central one: w³ + w⁴ at 0 has a forward error like ε², w² + w⁵ a
    central one like ε⁴, and cos at 0 a central difference of exactly 0. "Shrink ε and both
    errors shrink" is said only where they did, at ε/100 (not at 1e-5 when ε is already 1e-7).
    `same_text`: both errors print alike, so "the central one is closer" would read as false.
    """
    from derivtutor.algebra import calculus

    try:
        fe_half = calculus.forward_difference(p.J, p.wrt, p.point, p.eps / 2) - slope
        ce_half = calculus.central_difference(p.J, p.wrt, p.point, p.eps / 2) - slope
        fe100 = calculus.forward_difference(p.J, p.wrt, p.point, p.eps / 100) - slope
        ce100 = calculus.central_difference(p.J, p.wrt, p.point, p.eps / 100) - slope
    except (calculus.UndefinedAt, ValueError, ArithmeticError):
        return "truncation_closer" if abs(ce) < abs(fe) else "truncation_sizes"
    if ce != 0 and abs(ce) < abs(fe) and _halves(fe, fe_half, 2) and _halves(ce, ce_half, 4):
        return "truncation"
    if ce == 0 and fe != 0:
        return "central_zero"
    if abs(ce) < abs(fe) and not same_text:  # never "1.0e-06 … 1.0e-06, so closer"
        return "truncation_closer"
    return "truncation_even" if abs(fe100) < abs(fe) and abs(ce100) < abs(ce) else "truncation_sizes"


def _halves(error: float, error_at_half: float, factor: float) -> bool:
    """Halving ε divided the error by about `factor` (2 for ε, 4 for ε²), with its sign kept."""
    return error_at_half != 0 and 0.8 * factor <= error / error_at_half <= 1.2 * factor


def round_off_wins(p, forward_error: float) -> bool:
    """Forward difference error estimates: truncation |J''|·ε/2 against round-off ~ 2·2⁻⁵²·|J|/ε,
    and the error measured is no larger than round-off can make it (w³ at 0 has J'' = 0, yet
    its error ε² is all truncation).

    J'' comes from a second difference in floats: only its size matters here, and
    differentiating twice symbolically would cost more than everything else in `show`.
    """
    from derivtutor.algebra import calculus

    x0 = float(p.point[p.wrt])
    h = 1e-3 * max(1.0, abs(x0))
    try:
        left, mid, right = (calculus.float_value(p.J, {**p.point, p.wrt: x0 + k * h}) for k in (-1, 0, 1))
    except (calculus.UndefinedAt, ValueError, ArithmeticError):
        return False
    second = (right - 2 * mid + left) / (h * h)
    round_off = 2 * 2.0**-52 * max(abs(mid), 1e-300) / p.eps
    return round_off > abs(second) * p.eps / 2 and abs(forward_error) <= 10 * round_off


def v_shaped(rows) -> bool:
    """Both errors fall as ε shrinks down to their smallest and rise again below it, the V that
    "truncation to the right, round-off to the left" describes.

    sin at 0 has errors of exactly 0 from ε = 1e-8 down, w has none at any ε, and the central
    difference of w² is smallest at ε = 0.1 with nothing to its right: no V in any of them.
    """
    for field in ("forward_error", "central_error"):
        errors = [abs(getattr(r, field)) for r in rows if getattr(r, field) is not None]
        if len(errors) < 3:
            return False
        low = min(range(len(errors)), key=errors.__getitem__)
        right = errors[:low + 1]  # rows run from ε = 0.1 down to 1e-15
        if low in (0, len(errors) - 1) or any(a <= b for a, b in zip(right, right[1:])):
            return False
        if errors[-1] <= 100 * errors[low]:
            return False
    return True


def secant_hidden(drawn) -> bool:
    """Hardly a cell of the secant is left showing above the plot's x axis (below it are the ticks
    and the legend, whose swatch is drawn in the secant's layer): sin(1000w) at ε = 0.001 over
    −0.002..0.003 has a secant of slope 841 in plain sight beside a tangent of 1000."""
    rows = str(drawn).split("\n")
    x_axis = max(range(len(rows)), key=lambda i: rows[i].count("-") + rows[i].count("─"))
    showing = sum(layers.count("secant") for layers in drawn.layers[:x_axis])
    return showing <= 2  # a cell or two where both lines round to neighbouring rows is no secant in sight

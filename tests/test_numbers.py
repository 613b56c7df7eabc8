"""The one number formatter (derivtutor.text.numbers): how a float or a fraction reads."""

import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from derivtutor.text import numbers


def test_figures_is_g_and_can_write_the_exponent_as_typed():
    assert numbers.figures(6.000999999999479) == "6.001"
    assert numbers.figures(1 / 3) == "0.333333"
    assert numbers.figures(1e-5) == "1e-05"
    assert numbers.figures(1e-5, short_exponent=True) == "1e-5"
    assert numbers.figures(2.5e10, 3, short_exponent=True) == "2.5e10"
    assert numbers.figures(-0.0312, 3) == "-0.0312"


def test_plain_drops_the_point_of_a_whole_number_and_full_keeps_every_digit():
    assert numbers.plain(6.0) == "6" and numbers.plain(-2.0, 6) == "-2"
    assert numbers.plain(6.000999999999479) == "6.000999999999479"
    assert numbers.plain(6.000999999999479, 6) == "6.001"
    assert numbers.plain(1e16) == "1e+16"
    assert numbers.full(0.1 + 0.2) == "0.30000000000000004"


def test_true_minus_and_the_steps():
    assert numbers.true_minus("-1/32") == "−1/32"
    assert numbers.true_minus("-1/32", ascii=True) == "-1/32"
    assert numbers.power_of_ten(1e-5) == "1e-5" and numbers.power_of_ten(1e10) == "1e10"
    assert numbers.scientific(4.5e-7, 1) == "4.5e-07"
    assert numbers.scientific(4.5e-7, 2, plus=True) == "+4.50e-07"
    assert numbers.percent(0.875) == "88%" and numbers.percent(0) == "0%"


def test_terminating_decimals_are_written_exactly():
    assert numbers.terminating_decimal(9, 2) == "4.5"
    assert numbers.terminating_decimal(-1, 32) == "−0.03125"
    assert numbers.terminating_decimal(1, 10**6) == "0.000001"  # not 1e-06
    assert numbers.terminating_decimal(123456789012345678, 1000) == "123456789012345.678"
    assert numbers.terminating_decimal(1, 3) is None
    assert numbers.decimal_places(1024) == 10 and numbers.decimal_places(12) is None


@given(st.integers(-10**40, 10**40), st.integers(0, 30), st.integers(0, 30))
def test_a_terminating_decimal_is_the_fraction_itself(p, a, b):
    q = 2**a * 5**b
    fraction = Fraction(p, q)
    text = numbers.terminating_decimal(fraction.numerator, fraction.denominator)
    assert Fraction(Decimal(text.replace("−", "-"))) == fraction


def test_the_formatter_does_not_import_sympy():
    code = "import sys, derivtutor.text.numbers; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

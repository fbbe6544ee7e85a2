import math

from rus_analysis.config.numbers import format_number, format_percent, format_signed

NBSP = "\u00a0"


def test_decimal_comma_and_thousands_space():
    assert format_number(24.8) == "24,8"
    assert format_number(4500, 0) == f"4{NBSP}500"
    assert format_number(1234567.891, 2) == f"1{NBSP}234{NBSP}567,89"


def test_negative_uses_minus_sign_and_rounding_to_zero_has_no_sign():
    assert format_number(-3.25, 1) == "\u22123,2"  # banker's rounding of .25 → ,2
    assert format_number(-0.04, 1) == "0,0"


def test_missing_values_are_dashes():
    assert format_number(None) == "–"
    assert format_number(math.nan) == "–"
    assert format_percent(None) == "–"


def test_percent_and_signed():
    assert format_percent(24.84) == "24,8 procent"
    assert format_signed(1.23) == "+1,2"
    assert format_signed(-0.4) == "\u22120,4"
    assert format_signed(0.0) == "0,0"

"""The one unit rule (ingest.identity.UNITS): exact factors within a quantity, refusal across quantities."""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import pytest

from rus_analysis.ingest.identity import Evidence, IdentityError, declared_unit, unit_conversion


def indicator(unit: str):
    return SimpleNamespace(id="x", unit=unit)


@pytest.mark.parametrize("declared, factor", [
    ("kWh", Fraction(1, 10**6)), ("MWh", Fraction(1, 1000)), ("GWh", Fraction(1)), ("TWh", Fraction(1000)),
    ("GJ", Fraction(1, 3600)), ("TJ", Fraction(5, 18)), ("PJ", Fraction(5000, 18)),
])
def test_every_energy_unit_converts_exactly_to_gwh(declared, factor):
    got, description = unit_conversion(declared, indicator("GWh"))
    assert got == factor
    assert (description is None) == (factor == 1)


@pytest.mark.parametrize("title, unit", [
    ("Slutanvändning (TJ) efter region och år", "TJ"), ("Slutanvändning (PJ)", "PJ"),
    ("Utsläpp (ton) efter region", "ton"), ("Antal elever efter region", None),
    ("Energiintensitet, MWh per mnkr", None),
])
def test_declared_unit_is_read_from_the_title(title, unit):
    assert declared_unit(Evidence(set(), set(), set(), [title], None)) == unit


@pytest.mark.parametrize("declared, target", [("ton", "GWh"), ("procent", "antal"), ("TJ", "procent"),
                                              ("GWh", "MWh per mnkr BRP (löpande priser)")])
def test_another_quantity_is_refused_naming_both(declared, target):
    with pytest.raises(IdentityError) as exc:
        unit_conversion(declared, indicator(target))
    assert f"enheten {declared}" in str(exc.value) and f"enheten {target}" in str(exc.value)


def test_ton_into_ton_co2_is_no_conversion():
    assert unit_conversion("ton", indicator("ton CO2-ekv")) == (1, None)

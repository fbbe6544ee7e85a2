"""Computed ratios and quarter sums on small hand-made frames."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from rus_analysis.ingest.derived import ratio, sum_complete


def frame(rows: list[tuple], columns=("region_code", "year", "value", "status")) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def test_ratio_divides_per_region_and_year_with_factor():
    numerator = frame([("0018", 2020, 1200.0, ""), ("0018", 2021, 1300.0, ""), ("0006", 2020, 900.0, "")])
    denominator = frame([("0018", 2020, 300_000.0, ""), ("0018", 2021, 325_000.0, ""), ("0006", 2020, 360_000.0, "")])
    result = ratio(numerator, denominator, factor=1000).set_index(["region_code", "year"])["value"]
    assert result[("0018", 2020)] == pytest.approx(4.0)
    assert result[("0018", 2021)] == pytest.approx(4.0)
    assert result[("0006", 2020)] == pytest.approx(2.5)


def test_ratio_keeps_the_numerators_reason_and_never_invents_a_value():
    numerator = frame([("0018", 2010, math.nan, "sekretess"), ("0018", 2011, 11898.687, "")])
    denominator = frame([("0018", 2010, 90880.57, ""), ("0018", 2011, 95763.25, "")])
    result = ratio(numerator, denominator, factor=1000).set_index("year")
    assert math.isnan(result.loc[2010, "value"]) and result.loc[2010, "status"] == "sekretess"
    assert result.loc[2011, "value"] == pytest.approx(11898.687 * 1000 / 95763.25)
    assert result.loc[2011, "status"] == ""


def test_ratio_marks_a_missing_denominator_value_as_missing():
    numerator = frame([("0000", 2021, 70_000.0, "")])
    denominator = frame([("0000", 2021, math.nan, "")])
    result = ratio(numerator, denominator)
    assert math.isnan(result.loc[0, "value"]) and result.loc[0, "status"] == "saknas"


def test_ratio_drops_years_without_a_denominator_row():
    numerator = frame([("0018", 2005, 1.0, ""), ("0018", 2024, 2.0, "")])
    denominator = frame([("0018", 2005, 4.0, "")])
    assert ratio(numerator, denominator)["year"].tolist() == [2005]


def test_ratio_keeps_numerator_breakdowns():
    numerator = pd.DataFrame({"region_code": ["0018", "0018"], "year": [2020, 2020], "sex": ["K", "M"],
                              "group": ["totalt", "totalt"], "value": [10.0, 20.0]})
    denominator = frame([("0018", 2020, 5.0, "")])
    result = ratio(numerator, denominator).set_index("sex")["value"]
    assert result.to_dict() == {"K": 2.0, "M": 4.0}


def test_ratio_refuses_zero_and_duplicate_denominators():
    numerator = frame([("0018", 2020, 1.0, "")])
    with pytest.raises(ValueError, match="Nämnaren är 0"):
        ratio(numerator, frame([("0018", 2020, 0.0, "")]))
    with pytest.raises(ValueError, match="flera rader"):
        ratio(numerator, frame([("0018", 2020, 1.0, ""), ("0018", 2020, 2.0, "")]))


def test_ratio_rounds_only_when_asked():
    result = ratio(frame([("0018", 2020, 1.0, "")]), frame([("0018", 2020, 3.0, "")]), decimals=2)
    assert result.loc[0, "value"] == 0.33


def quarters(values: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(values, columns=["region_code", "year", "quarter", "value", "status"])


def test_sum_complete_adds_four_quarters():
    data = quarters([("1880", 2019, q, v, "") for q, v in zip(range(1, 5), [263, 229, 250, 231], strict=True)])
    result = sum_complete(data, ["region_code", "year"], "quarter", 4)
    assert result.loc[0, "value"] == 973 and result.loc[0, "status"] == ""


def test_sum_complete_gives_no_total_when_a_quarter_is_suppressed():
    data = quarters([("1814", 2007, 1, math.nan, "sekretess"), ("1814", 2007, 2, math.nan, "sekretess"),
                     ("1814", 2007, 3, 11.0, ""), ("1814", 2007, 4, math.nan, "sekretess")])
    result = sum_complete(data, ["region_code", "year"], "quarter", 4)
    assert math.isnan(result.loc[0, "value"]) and result.loc[0, "status"] == "sekretess"


def test_sum_complete_gives_no_total_for_an_incomplete_year():
    data = quarters([("1880", 2021, 1, 297.0, ""), ("1880", 2021, 2, 272.0, "")])
    result = sum_complete(data, ["region_code", "year"], "quarter", 4)
    assert math.isnan(result.loc[0, "value"]) and result.loc[0, "status"] == "saknas"

"""Parsing quirks of the source files, on small hand-made inputs (no shared sources needed)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from rus_analysis.ingest.files import dalastrategin, folkmangd, mucf
from rus_analysis.ingest.files.common import SourceFormatError, cell, parse_number, tidy


@pytest.mark.parametrize("raw, expected", [
    ("1234,5", 1234.5), ("1 234,5", 1234.5), ("1\u00a0234", 1234.0), ("66885608,64", 66885608.64),
    ("75.8", 75.8), ("\u22123,2", -3.2), (12, 12.0), (0.056, 0.056), ("0", 0.0),
])
def test_parse_number_reads_decimal_comma_and_thousands_spaces(raw, expected):
    assert parse_number(raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["..", ".", "", "  ", ":", "-", None, float("nan")])
def test_parse_number_treats_markers_as_missing_never_zero(raw):
    assert parse_number(raw) is None


def test_parse_number_refuses_unknown_text():
    with pytest.raises(SourceFormatError, match="inte ett tal"):
        parse_number("ca 12")


def test_cell_tells_suppressed_from_missing():
    assert cell("..")[1] == "sekretess" and math.isnan(cell("..")[0])
    assert cell(".")[1] == "saknas"
    assert cell("73,9") == (73.9, "")


def test_tidy_keeps_our_regions_names_them_and_explains_missing_values():
    rows = pd.DataFrame({"region_code": ["0000", "0018", "1880", "0180", "1814"],
                         "year": [2024] * 5, "value": [1.0, 2.0, 3.0, 4.0, math.nan]})
    result = tidy("x", rows, "procent").set_index("region_code")
    assert list(result.index) == ["0000", "0018", "1880", "1814"]  # Stockholm (0180) dropped
    assert result.loc["0018", "region_name"] == "Örebro län"
    assert result.loc["1814", "status"] == "saknas"
    assert result.loc["0000", "sex"] == "T" and result.loc["0000", "group"] == "totalt"


def test_tidy_blanks_the_value_of_a_flagged_row_and_rejects_duplicates():
    rows = pd.DataFrame({"region_code": ["0018"], "year": [2010], "value": [0.0], "status": ["sekretess"]})
    assert math.isnan(tidy("x", rows, "GWh").loc[0, "value"])
    twice = pd.DataFrame({"region_code": ["0018", "0018"], "year": [2010, 2010], "value": [1.0, 2.0]})
    with pytest.raises(SourceFormatError, match="dubbletter"):
        tidy("x", twice, "GWh")


BE0101_ROWS = [
    (None, None, None),
    ("Folkmängd i riket, län och kommuner 31 december och befolkningsförändringar "
     "1 januari - 31 december 2024. Totalt", None, None),
    ("Kommun", "Kommunnamn", "Folkmängd"),
    ("Län", "Länsnamn", " "),
    (None, None, None),
    (None, "Riket                                  ", 10587710),
    ("18", "Örebro                                 ", 308375),
    ("1880", "Örebro                               ", 160140),
    (None, None, None),
    ("1) Händelser (födda, döda, flyttningar) som skett före den 1 januari 2024 ...", None, None),
    ("    men är inte redovisade som händelser under januari-december 2024.", None, None),
]


def test_population_sheet_skips_title_block_and_footnotes():
    result = folkmangd.parse_sheet(BE0101_ROWS, 2024, "test.xlsx")
    assert result.to_dict("records") == [
        {"region_code": "0000", "year": 2024, "value": 10587710.0},
        {"region_code": "0018", "year": 2024, "value": 308375.0},
        {"region_code": "1880", "year": 2024, "value": 160140.0},
    ]


def test_population_sheet_of_the_wrong_year_is_refused():
    with pytest.raises(SourceFormatError, match="31 december 2023"):
        folkmangd.parse_sheet(BE0101_ROWS, 2023, "test.xlsx")


def test_population_sheet_with_a_changed_header_is_refused():
    rows = [r if r[0] != "Kommun" else ("Kod", "Namn", "Antal") for r in BE0101_ROWS]
    with pytest.raises(SourceFormatError, match="rubrikraden"):
        folkmangd.parse_sheet(rows, 2024, "test.xlsx")


def mucf_rows(age_offset: int) -> list[tuple]:
    ages = [None, "16-24\u00a0år", None, "25-29\u00a0år", None]
    ages = ages[age_offset:] + [None] * age_offset  # Värmland's sheet has the labels one column left
    labels = [("Kvinnor Inrikesfödd", 0.04), ("Kvinnor Utrikesfödd", 0.098), ("Män Inrikesfödd", 0.052),
              ("Män Utrikesfödd", 0.099), ("Inrikesfödd", 0.047), ("Utrikesfödd", 0.099),
              ("Kvinnor", 0.05), ("Män", 0.061), ("Alla", 0.056)]
    return [("2022, Värmlands Län",), tuple(ages), (None, "Antal", "Andel", "Antal", "Andel"),
            *[(label, 1, share, 2, 0.5) for label, share in labels]]


@pytest.mark.parametrize("offset", [0, 1])
def test_mucf_sheet_reads_the_16_24_shares_as_percent_in_both_layouts(offset):
    records = {(r["sex"], r["group"]): r["value"] for r in mucf.parse_sheet(mucf_rows(offset), "test")}
    assert records[("T", "totalt")] == 5.6
    assert records[("K", "utrikes födda")] == 9.8
    assert len(records) == 9


def test_mucf_sheet_refuses_unknown_labels():
    rows = mucf_rows(0) + [("Ickebinär", 1, 0.1, 1, 0.1)]
    with pytest.raises(SourceFormatError, match="okänd radrubrik"):
        mucf.parse_sheet(rows, "test")


@pytest.mark.parametrize("label, expected", [
    (2009, (2009, None, "")), ("2010*", (2010, None, "*")), ("2010**", (2010, None, "**")),
    ("2011***", (2011, None, "***")), (200701, (2007, 1, "")), ("201004**", (2010, 4, "**")),
])
def test_tillvaxtanalys_period_headers(label, expected):
    assert dalastrategin._period(label) == expected


def test_tillvaxtanalys_uses_only_the_new_method():
    assert not dalastrategin._new_method(2009, "")
    assert not dalastrategin._new_method(2010, "*")
    assert dalastrategin._new_method(2010, "**")
    assert dalastrategin._new_method(2021, "")


def test_tillvaxtanalys_unknown_header_is_refused():
    with pytest.raises(SourceFormatError, match="periodrubrik"):
        dalastrategin._period("2010 kv1")

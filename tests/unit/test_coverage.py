from __future__ import annotations

import pandas as pd
import pytest

from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.config.geography import REGION_NAMES
from rus_analysis.snapshot.coverage import LEVEL_NAMES, coverage_table
from rus_analysis.snapshot.store import DTYPES, write_series
from support import FIXTURES


@pytest.fixture
def catalogue():
    return load_catalogue(FIXTURES / "catalogue" / "indikatorer.yml")


def series(indicator: str, cells: list[tuple[str, int, float | None]]) -> pd.DataFrame:
    return pd.DataFrame([
        dict(indicator=indicator, region_code=code, region_name=REGION_NAMES[code], year=year, sex="T",
             group="totalt", value=value, unit="GWh", status="" if value is not None else "sekretess")
        for code, year, value in cells
    ]).astype(DTYPES)


def test_coverage_per_level_with_gaps_and_missing_regions(tmp_path, catalogue):
    # SCB KRE total energy use (GWh) as in the shared source: Örebro län 2010 suppressed.
    write_series(tmp_path, "energianvandning", series("energianvandning", [
        ("0000", 2009, 379929.77), ("0000", 2012, 398060.074),
        ("0018", 2009, 13168.95), ("0018", 2010, None), ("0018", 2011, 11898.687),
        ("0006", 2011, 11590.436), ("0019", 2011, None), ("0019", 2012, 8855.716),
    ]), {})
    table = coverage_table(tmp_path, catalogue).set_index("indikator")
    assert list(table.columns) == ["titel", *LEVEL_NAMES, "kommentar"]
    row = table.loc["energianvandning"]
    assert row["riket"] == "2009–2012 (saknas 2010–2011)"
    assert row["Örebro län"] == "2009–2011 (saknas 2010)"  # a suppressed cell is not coverage
    assert row["jämförbara län"] == "2011–2012; saknas för Kronobergs län, Värmlands län"
    assert row["övriga län"] == "saknas"
    assert row["kommuner"] == "saknas"
    assert row["kommentar"] == ""


def test_indicator_without_data_is_listed_as_missing(tmp_path, catalogue):
    table = coverage_table(tmp_path, catalogue).set_index("indikator")
    assert len(table) == len(catalogue.indicators)
    row = table.loc["energianvandning"]
    assert all(row[level] == "saknas" for level in LEVEL_NAMES)
    assert row["kommentar"].startswith("Data saknas helt. Importera SCB:s KRE-tabell")


def test_many_missing_regions_are_counted(tmp_path, catalogue):
    # Only Örebro kommun has a value (SCB BAS 2024, 79,2); coverage ignores the unit.
    write_series(tmp_path, "energianvandning", series("energianvandning", [("1880", 2024, 79.2)]), {})
    row = coverage_table(tmp_path, catalogue).set_index("indikator").loc["energianvandning"]
    assert row["kommuner"] == "2024; 1 av 12 har data"


def test_sparse_series_list_the_years_with_data(tmp_path, catalogue):
    # The emissions database's pattern of years; coverage counts presence and never reads the value.
    years = [1990, 2000, 2005, 2010, 2015, 2020, 2021, 2022, 2023, 2024]
    write_series(tmp_path, "energianvandning", series("energianvandning", [("0000", y, 1.0) for y in years]), {})
    row = coverage_table(tmp_path, catalogue).set_index("indikator").loc["energianvandning"]
    assert row["riket"] == "1990–2024 (år med data: 1990, 2000, 2005, 2010, 2015, 2020–2024)"

from __future__ import annotations

import pandas as pd
import pytest

from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.snapshot.store import DTYPES, provenance_path, series_path, write_series
from rus_analysis.snapshot.validation import SnapshotError, validate_series, validate_snapshot
from support import FIXTURES, provenance


@pytest.fixture
def catalogue():
    return load_catalogue(FIXTURES / "catalogue" / "indikatorer.yml")


def rows(**changes) -> pd.DataFrame:
    """Two valid rows (SCB BAS values from the fixtures), with ``changes`` applied to the second."""
    base = dict(indicator="sysselsattning_total", region_code="0018", region_name="Örebro län", sex="T",
                group="totalt", unit="procent", status="")
    frame = pd.DataFrame([{**base, "year": 2023, "value": 81.0}, {**base, "year": 2024, "value": 80.6}])
    for column, value in changes.items():
        frame.loc[1, column] = value
    return frame.astype(DTYPES)


def test_valid_series_has_no_problems():
    assert validate_series(rows(), "sysselsattning_total") == []


def test_missing_value_with_status_is_valid():
    assert validate_series(rows(value=float("nan"), status="sekretess"), "sysselsattning_total") == []


@pytest.mark.parametrize("changes, words", [
    ({"region_code": "1980"}, "regionkoden"),
    ({"sex": "X"}, "kön ska vara T"),
    ({"year": 1900}, "året ska ligga mellan 1985"),
    ({"unit": " "}, "enheten får inte vara tom"),
    ({"value": 150.0}, "mellan 0 och 100"),
    ({"value": float("nan")}, "tomt värde med status"),
    ({"status": "saknas"}, "aldrig båda"),
    ({"value": float("nan"), "status": "?"}, "status ska vara tom"),
    ({"indicator": "annan"}, "indikatorns id"),
    ({"year": 2023}, "förekommer mer än en gång"),
])
def test_each_rule_reports_a_swedish_problem_naming_the_row(changes, words):
    problems = validate_series(rows(**changes), "sysselsattning_total")
    assert len(problems) == 1, problems
    assert words in problems[0]
    assert problems[0].startswith("sysselsattning_total:")


@pytest.mark.parametrize("value, shown", [(-12.0, "\u221212 "), (150.5, "150,5 "), (100.25, "100,25 ")])
def test_values_in_messages_are_written_the_swedish_way(value, shown):
    """F15: a value quoted in a message has a decimal comma and a minus sign, never "-12.0"."""
    problem = validate_series(rows(value=value), "sysselsattning_total")[0]
    assert f"{shown}(region 0018" in problem
    assert ".0 " not in problem and "-12" not in problem


def test_percent_range_only_applies_to_percent_units():
    assert validate_series(rows(unit="GWh", value=13168.95), "sysselsattning_total") == []


def test_year_beyond_next_year_is_rejected():
    import datetime as dt
    problems = validate_series(rows(year=dt.date.today().year + 2), "sysselsattning_total")
    assert problems and "året" in problems[0]


def test_text_in_numeric_columns_is_named_with_its_row():
    frame = rows().astype(str)
    frame.loc[0, "year"] = "tjugo"
    frame.loc[1, "value"] = "80,6"
    problems = validate_series(frame, "sysselsattning_total")
    assert any("kolumnen för år ('year') ska innehålla heltal" in p and "'tjugo'" in p for p in problems)
    assert any("kolumnen för värde ('value') ska innehålla tal" in p and "'80,6'" in p for p in problems)


def test_missing_and_unknown_columns():
    frame = rows().drop(columns=["unit"]).assign(extra=1)
    problems = validate_series(frame, "sysselsattning_total")
    assert any("kolumnen för enhet ('unit') saknas" in p for p in problems)
    assert any("okänd kolumn 'extra'" in p for p in problems)


def test_snapshot_checks_files_against_catalogue(tmp_path, catalogue):
    write_series(tmp_path, "sysselsattning_total", rows(), provenance("sysselsattning_total"))
    assert validate_snapshot(tmp_path, catalogue) == []

    write_series(tmp_path, "okand_serie", rows(indicator="okand_serie"), {})
    write_series(tmp_path, "barn_ekonomiskt_utsatta", rows(), {})  # indicator column says another id
    provenance_path(tmp_path, "barn_ekonomiskt_utsatta").unlink()
    problems = validate_snapshot(tmp_path, catalogue)
    assert any("okand_serie" in p and "finns inte i" in p for p in problems)
    assert any(p.startswith("barn_ekonomiskt_utsatta: kolumnen för indikator ('indicator')") for p in problems)
    assert any("ursprungsuppgifterna saknas" in p for p in problems)
    with pytest.raises(SnapshotError) as raised:
        validate_snapshot(tmp_path, catalogue, strict=True)
    assert raised.value.problems == problems


def test_snapshot_reports_unreadable_numbers_in_a_file(tmp_path, catalogue):
    write_series(tmp_path, "sysselsattning_total", rows(), provenance("sysselsattning_total"))
    path = series_path(tmp_path, "sysselsattning_total")
    path.write_text(path.read_text(encoding="utf-8").replace("80.6", "åttio"), encoding="utf-8")
    problems = validate_snapshot(tmp_path, catalogue)
    assert "'åttio'" in problems[0] and "git checkout -- " in problems[0]
    assert "har ändrats sedan den skrevs" in problems[1]

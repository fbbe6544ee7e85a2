"""Every import case in ../shared/cases/ (README there), asserting the right rows in data/ afterwards
or the precise refusal. The case files are read where they are, never copied into the project;
every write goes to a copy of the project's data/ and params/.
"""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from rus_analysis.cli.data import data_app
from rus_analysis.snapshot.store import read_provenance, read_series
from rus_analysis.snapshot.validation import validate_snapshot
from support import CASES, copy_data_project

pytestmark = pytest.mark.skipif(not CASES.is_dir(), reason=f"Fallen finns inte i {CASES} (../shared bredvid repot).")
runner = CliRunner()
FILES = CASES / "import-filer"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """The project's data/ and params/ copied; commands run inside the copy."""
    copy_data_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def importera(*args: str):
    return runner.invoke(data_app, ["importera", *map(str, args)])


def text(result) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(result.output.split())


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def cell(frame: pd.DataFrame, region: str, year: int, sex: str = "T", group: str = "totalt") -> pd.Series:
    rows = frame[(frame.region_code == region) & (frame.year == year) & (frame.sex == sex) & (frame.group == group)]
    assert len(rows) == 1, (region, year, sex, group)
    return rows.iloc[0]


def set_cell(project: Path, indicator: str, region: str, year: int, value: float, sex: str = "T",
             group: str = "totalt") -> None:
    """Change one cell of the copy through the writer (so its provenance checksum stays right)."""
    set_cells(project, indicator, {(region, year): value}, sex, group)


def set_cells(project: Path, indicator: str, values: dict[tuple[str, int], float], sex: str = "T",
              group: str = "totalt") -> None:
    """Change cells (``{(region, year): value}``) of the copy in one write through the writer."""
    from rus_analysis.snapshot.writer import SeriesWrite, write_snapshot

    frame = read_series(project / "data", indicator)
    for (region, year), value in values.items():
        mask = (frame.region_code == region) & (frame.year == year) & (frame.sex == sex) & (frame.group == group)
        assert mask.sum() == 1
        frame.loc[mask, "value"] = value
        frame.loc[mask, "status"] = "" if not math.isnan(value) else "saknas"
    record = read_provenance(project / "data", indicator).model_copy(update={"series": None})
    write_snapshot(project / "data", [SeriesWrite(indicator, frame, record, origin="test")])


def others_unchanged(before: pd.DataFrame, after: pd.DataFrame, changed: set[tuple]) -> None:
    key = ["region_code", "year", "sex", "group"]
    b = before.set_index(key)
    a = after.set_index(key)
    assert set(b.index) <= set(a.index)
    kept = [k for k in b.index if k not in changed]
    pd.testing.assert_frame_equal(b.loc[kept].sort_index(), a.loc[kept].sort_index())


def refused(result, *words: str) -> None:
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in text(result), (word, result.output)
    assert "Ögonblicksbilden är oförändrad" in text(result)


# --- x.csv: one cell, the rest stays ------------------------------------------------------------

def test_one_year_file_updates_that_cell_and_keeps_every_other_row(project):
    set_cell(project, "eftergymnasial_utbildning", "0000", 2024, 47.0)
    before = read_series(project / "data", "eftergymnasial_utbildning")
    result = importera(FILES / "x.csv", "--indikator", "eftergymnasial_utbildning")
    assert result.exit_code == 0, result.output
    assert "0 nya, 1 ändrade, 0 oförändrade" in text(result) and "Riket 2024" in text(result)
    after = read_series(project / "data", "eftergymnasial_utbildning")
    assert len(after) == len(before) == 209
    assert cell(after, "0000", 2024)["value"] == 47.7
    others_unchanged(before, after, {("0000", 2024, "T", "totalt")})
    record = read_provenance(project / "data", "eftergymnasial_utbildning")
    imported = [s for s in record.sources if s.kind == "file"]
    assert imported[-1].file == "x.csv" and imported[-1].cells.changed == 1
    assert any(s.kind == "repository" for s in record.sources)  # the earlier origin is kept
    assert validate_snapshot(project / "data", _catalogue(project)) == []


def test_importing_the_same_file_twice_changes_nothing(project):
    set_cell(project, "eftergymnasial_utbildning", "0000", 2024, 47.0)
    assert importera(FILES / "x.csv", "--indikator", "eftergymnasial_utbildning").exit_code == 0
    once = tree(project / "data")
    again = importera(FILES / "x.csv", "--indikator", "eftergymnasial_utbildning")
    assert again.exit_code == 0 and "0 nya, 0 ändrade, 1 oförändrade" in text(again)
    assert tree(project / "data") == once


def test_dry_run_shows_the_summary_and_writes_nothing(project):
    set_cell(project, "eftergymnasial_utbildning", "0000", 2024, 47.0)
    before = tree(project / "data")
    result = importera(FILES / "x.csv", "--indikator", "eftergymnasial_utbildning", "--torrkorning")
    assert result.exit_code == 0 and "Torrkörning" in text(result) and "1 ändrade" in text(result)
    assert tree(project / "data") == before


def test_replace_says_how_many_rows_go(project):
    result = importera(FILES / "x.csv", "--indikator", "eftergymnasial_utbildning", "--ersatt")
    assert result.exit_code == 0, result.output
    assert "208 rader" in text(result)
    assert len(read_series(project / "data", "eftergymnasial_utbildning")) == 1


# --- the education-share export in every encoding and shape --------------------------------------

EDUCATION = ["scb_wide_cp1252.csv", "scb_wide_semicolon_latin1.csv", "scb_wide_utf16_tab.txt",
             "scb_wide_utf8bom.csv", "scb_long_utf8.csv", "scb_export.xlsx"]


@pytest.mark.parametrize("name", EDUCATION)
def test_education_export_imports_into_its_indicator(project, name):
    set_cell(project, "eftergymnasial_utbildning", "0018", 2024, 40.0)
    before = read_series(project / "data", "eftergymnasial_utbildning")
    result = importera(FILES / name, "--indikator", "eftergymnasial_utbildning")
    assert result.exit_code == 0, result.output
    after = read_series(project / "data", "eftergymnasial_utbildning")
    if name == "scb_long_utf8.csv":  # this export has '..' for Örebro län 2024: missing, never a number
        assert math.isnan(cell(after, "0018", 2024)["value"]) and cell(after, "0018", 2024)["status"] == "saknas"
    else:
        assert cell(after, "0018", 2024)["value"] == 41.2
    assert cell(after, "0000", 2023)["value"] == 47.1  # the file's value (the snapshot had 46.9)
    if name.startswith("scb_wide"):
        assert cell(after, "1880", 2024)["value"] == 51.0
        assert cell(after, "1864", 2024)["value"] == 25.3
        assert cell(after, "0000", 2022)["value"] == 46.3
    assert len(after) >= len(before)
    file_cells = set(map(tuple, after.merge(before, how="outer", indicator=True)
                         .query("_merge != 'both'")[["region_code", "year", "sex", "group"]].values))
    others_unchanged(before, after, file_cells)


@pytest.mark.parametrize("name", EDUCATION)
def test_education_export_is_refused_as_employment(project, name):
    before = tree(project / "data")
    result = importera(FILES / name, "--indikator", "sysselsattningsgrad_bas")
    refused(result, "sysselsattningsgrad_bas")
    assert tree(project / "data") == before


def test_wide_exports_give_the_same_values_in_every_encoding(project, tmp_path):
    from rus_analysis.config.catalogue import load_catalogue
    from rus_analysis.ingest.manual_import import read_export

    indicator = load_catalogue(project / "params" / "indikatorer.yml").get("eftergymnasial_utbildning")
    frames = [read_export(FILES / n, indicator).frame for n in EDUCATION[:4]]
    for frame in frames[1:]:
        pd.testing.assert_frame_equal(frame, frames[0])
    suppressed = cell(frames[0], "1880", 2023)
    assert math.isnan(suppressed["value"]) and suppressed["status"] == "saknas"


# --- energy: encodings, symbols, separators, units, xlsx, px, JSON-stat2 --------------------------

ENERGY_2018_2021 = {("0000", 2018): 391365.84, ("0000", 2021): 392530.027, ("0018", 2020): 11942.026,
                    ("0018", 2021): 12425.277}


def _energy_after(project: Path, path: Path, *extra: str) -> pd.DataFrame:
    set_cells(project, "energianvandning_total",
              {key: round(value * 0.98, 3) for key, value in ENERGY_2018_2021.items()})
    before = read_series(project / "data", "energianvandning_total")
    result = importera(path, "--indikator", "energianvandning_total", *extra)
    assert result.exit_code == 0, result.output
    after = read_series(project / "data", "energianvandning_total")
    for (region, year), value in ENERGY_2018_2021.items():
        assert cell(after, region, year)["value"] == value, (path.name, region, year)
    assert len(after) == len(before) == 352
    assert set(after["unit"]) == {"GWh"}
    changed = {(r, y, "T", "totalt") for (r, y) in ENERGY_2018_2021} | {("0018", 2019, "T", "totalt")}
    others_unchanged(before[before.region_code != "0019"], after[after.region_code != "0019"], changed)
    return after


@pytest.mark.parametrize("path", [
    CASES / "scb-cp1252-semikolon" / "energi_scb_cp1252.csv",
    CASES / "utf16-unicode-text" / "energi_unicode_text_utf16.txt",
    CASES / "semikolon-decimalpunkt" / "energi_semikolon_decimalpunkt.csv",
    CASES / "semikolon-decimalpunkt" / "energi_semikolon_tusentalskomma.csv",
    CASES / "enhet-mwh-gwh" / "energi_kre_MWh.csv",
    CASES / "enhet-mwh-gwh" / "energi_kre_MWh_jsonstat2.json",
    CASES / "pxweb-xlsx" / "energi_pxweb_export.xlsx",
    CASES / "pxweb-px" / "energi_pxweb.px",
    CASES / "jsonstat2-status" / "energi_pxwebapi2_jsonstat2_status.json",
    CASES / "jsonstat2-status" / "energi_pxwebapi2_jsonstat2_utan_status.json",
], ids=lambda p: p.name)
def test_energy_downloads_import_right(project, path):
    after = _energy_after(project, path)
    suppressed = cell(after, "0018", 2019)  # '..' in every file: missing, never a number
    assert math.isnan(suppressed["value"]) and suppressed["status"] in ("sekretess", "saknas")


def test_utf16_file_gives_the_same_values_as_the_cp1252_file(project):
    from rus_analysis.config.catalogue import load_catalogue
    from rus_analysis.ingest.manual_import import read_export

    indicator = load_catalogue(project / "params" / "indikatorer.yml").get("energianvandning_total")
    utf16 = read_export(CASES / "utf16-unicode-text" / "energi_unicode_text_utf16.txt", indicator).frame
    cp1252 = read_export(CASES / "scb-cp1252-semikolon" / "energi_scb_cp1252.csv", indicator).frame
    pd.testing.assert_frame_equal(utf16, cp1252)


def test_mwh_file_is_stored_in_gwh_and_the_conversion_recorded(project):
    set_cell(project, "energianvandning_total", "0000", 2018, 390000.0)
    result = importera(CASES / "enhet-mwh-gwh" / "energi_kre_MWh.csv", "--indikator", "energianvandning_total")
    assert result.exit_code == 0 and "MWh → GWh" in text(result)
    after = read_series(project / "data", "energianvandning_total")
    assert cell(after, "0000", 2018)["value"] == 391365.84  # not 391 365 840
    source = read_provenance(project / "data", "energianvandning_total").sources[-1]
    assert source.unit_declared == "MWh" and "MWh → GWh" in source.unit_conversion


def test_nil_dash_is_read_per_scb_legend_and_recorded(project):
    result = importera(CASES / "scb-symbol-streck" / "energi_med_streck.csv", "--indikator", "energianvandning_total")
    assert result.exit_code == 0, result.output
    assert "inget finns att redovisa" in text(result)
    after = read_series(project / "data", "energianvandning_total")
    assert cell(after, "0018", 2019)["value"] == 0.0
    record = read_provenance(project / "data", "energianvandning_total")
    assert any("'-'" in note for note in record.sources[-1].notes)


def test_semicolon_with_thousands_comma_only_is_refused_as_ambiguous(project):
    before = tree(project / "data")
    result = importera(CASES / "semikolon-decimalpunkt" / "energi_semikolon_heltal_tusentalskomma.csv",
                       "--indikator", "energianvandning_total")
    refused(result, "364,287", "--decimaltecken")
    assert tree(project / "data") == before


def test_a_wrong_decimal_choice_is_caught_as_1000_times_off(project):
    before = tree(project / "data")
    result = importera(CASES / "semikolon-decimalpunkt" / "energi_semikolon_heltal_tusentalskomma.csv",
                       "--indikator", "energianvandning_total", "--decimaltecken", "komma")
    refused(result, "gånger mindre", "decimaltecken")
    assert tree(project / "data") == before


def test_the_right_decimal_choice_imports(project):
    set_cell(project, "energianvandning_total", "0000", 2020, 364000.0)
    result = importera(CASES / "semikolon-decimalpunkt" / "energi_semikolon_heltal_tusentalskomma.csv",
                       "--indikator", "energianvandning_total", "--decimaltecken", "punkt")
    assert result.exit_code == 0, result.output
    assert cell(read_series(project / "data", "energianvandning_total"), "0000", 2020)["value"] == 364287


# --- Kolada ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [CASES / "kolada-csv-svensk-excel" / "kolada_N02904_svensk_excel.csv",
                                  CASES / "excel-nollor-koder" / "kolada_N02904_nollor_borta.csv"],
                         ids=lambda p: p.name)
def test_kolada_csv_from_excel_imports_with_repaired_codes(project, path):
    set_cells(project, "barn_ekonomiskt_utsatta_hushall", {(region, 2019): 9.5 for region in ("0000", "0006", "0018")})
    before = read_series(project / "data", "barn_ekonomiskt_utsatta_hushall")
    result = importera(path, "--indikator", "barn_ekonomiskt_utsatta_hushall")
    assert result.exit_code == 0, result.output
    assert "6 → 0006" in text(result) and "0 → 0000" in text(result)
    after = read_series(project / "data", "barn_ekonomiskt_utsatta_hushall")
    assert cell(after, "0000", 2019)["value"] == 9.067782
    assert cell(after, "0006", 2019)["value"] == 8.233659
    assert cell(after, "0018", 2019)["value"] == 10.94048
    assert len(after) == len(before)
    others_unchanged(before, after, {(r, 2019, "T", "totalt") for r in ("0000", "0006", "0018")})


def test_rkolada_csv_with_kpi_title_and_no_gender_imports(project):
    set_cell(project, "barn_ekonomiskt_utsatta_hushall", "0018", 2007, 10.5)
    before = read_series(project / "data", "barn_ekonomiskt_utsatta_hushall")
    result = importera(CASES / "kolada-rkolada-csv" / "dalarna_kolada_N02904.csv",
                       "--indikator", "barn_ekonomiskt_utsatta_hushall")
    assert result.exit_code == 0, result.output
    assert "0 nya, 1 ändrade, 314 oförändrade" in text(result)
    after = read_series(project / "data", "barn_ekonomiskt_utsatta_hushall")
    assert cell(after, "0018", 2007)["value"] == 11.135734
    assert len(after) == len(before)


def test_rkolada_titles_refuse_another_indicator(project):
    result = importera(CASES / "kolada-rkolada-csv" / "dalarna_kolada_N02904.csv", "--indikator", "unga_uvas")
    refused(result, "unga_uvas")


def test_kolada_zero_for_no_data_is_missing_as_in_bygg(project):
    """riket 2007 K and M are 0 in the file; `rus data bygg` stores them missing, and so does the import."""
    data = project / "data"
    built = read_series(data, "unga_uvas")
    assert math.isnan(cell(built, "0000", 2007, "K")["value"])  # what bygg wrote
    shutil.rmtree(data / "series")
    (data / "series").mkdir()
    result = importera(CASES / "kolada-rkolada-csv" / "rkolada_riket_N02797.csv", "--indikator", "unga_uvas")
    assert result.exit_code == 0, result.output
    imported = read_series(data, "unga_uvas")
    for sex in ("K", "M"):
        row = cell(imported, "0000", 2007, sex)
        assert math.isnan(row["value"]) and row["status"] == "saknas"
    pd.testing.assert_frame_equal(imported, built)


def test_kolada_v3_page_one_of_two_is_refused_naming_the_missing_page(project):
    before = tree(project / "data")
    result = importera(CASES / "kolada-v3-sida1" / "kolada_v3_N02797_sida1_av_2.json", "--indikator", "unga_uvas")
    refused(result, "sidan 2", "saknas")
    assert tree(project / "data") == before


def test_kolada_v3_complete_answer_with_null_is_imported_null_missing(project):
    result = importera(CASES / "kolada-v3-sida1" / "kolada_v3_N02797_komplett_med_null.json",
                       "--indikator", "unga_uvas")
    assert result.exit_code == 0, result.output
    after = read_series(project / "data", "unga_uvas")
    row = cell(after, "0000", 2016, "K")
    assert math.isnan(row["value"]) and row["status"] == "saknas"
    assert cell(after, "0000", 2018, "M")["value"] == 6.912491
    assert len(after) == 35


def test_kolada_csv_files(project):
    before = read_series(project / "data", "unga_uvas")
    ok = importera(FILES / "kolada_N02797.csv", "--indikator", "unga_uvas")
    assert ok.exit_code == 0 and "6 nya" in text(ok)
    after = read_series(project / "data", "unga_uvas")
    assert len(after) == len(before) + 6
    assert cell(after, "0018", 2023, "M")["value"] == 6.8
    assert cell(after, "0018", 2023, "K")["status"] == "sekretess"
    again = importera(FILES / "kolada_N02797_semicolon_comma.csv", "--indikator", "unga_uvas")
    assert again.exit_code == 0 and "6 oförändrade" in text(again)  # the same values with decimal comma


def test_kolada_150_percent_is_refused_naming_the_row(project):
    refused(importera(FILES / "kolada_N02797_150.csv", "--indikator", "unga_uvas"),
            "150", "region 0000, år 2023, kön T")


def test_kolada_kpi_that_is_not_the_indicators_is_refused(project):
    refused(importera(FILES / "kolada_N17464.csv", "--indikator", "unga_uvas"), "N17464", "N02797")


def test_kolada_kpi_imports_into_its_own_indicator(project):
    result = importera(FILES / "kolada_N17464.csv", "--indikator", "gymnasieexamen_4_ar_skolkommun")
    assert result.exit_code == 0, result.output


# --- JSON-stat2 --------------------------------------------------------------------------------

def test_jsonstat2_complete_and_one_group(project):
    set_cell(project, "sysselsattningsgrad_bas", "0018", 2024, 50.0, group="utrikes födda")
    set_cell(project, "sysselsattningsgrad_bas", "0018", 2024, 50.0, group="inrikes födda")
    before = read_series(project / "data", "sysselsattningsgrad_bas")
    result = importera(FILES / "js_full.json", "--indikator", "sysselsattningsgrad_bas")
    assert result.exit_code == 0, result.output
    after = read_series(project / "data", "sysselsattningsgrad_bas")
    assert cell(after, "0018", 2024, group="utrikes födda")["value"] == 69.2
    assert cell(after, "0018", 2024, group="inrikes födda")["value"] == 84.0
    others_unchanged(before, after, {("0018", 2024, "T", "utrikes födda"), ("0018", 2024, "T", "inrikes födda")})
    one = importera(FILES / "js_valid_onegroup.json", "--indikator", "sysselsattningsgrad_bas")
    assert one.exit_code == 0 and "10 oförändrade" in text(one)


@pytest.mark.parametrize("name, words", [("js_partial.json", ("ofullständigt", "17", "20")),
                                         ("js_truncated.json", ("inte giltig JSON", "avkortad"))])
def test_partial_and_truncated_jsonstat2_are_refused_with_the_reason(project, name, words):
    before = tree(project / "data")
    refused(importera(FILES / name, "--indikator", "sysselsattningsgrad_bas"), *words)
    assert tree(project / "data") == before


@pytest.mark.parametrize("name, indicator", [("js_injection.json", "sysselsattningsgrad_bas"),
                                             ("min_injection.json", "eftergymnasial_utbildning")])
def test_injection_files_are_ordinary_data_and_their_text_is_stored_literally(project, name, indicator):
    import json

    updated = json.loads((FILES / name).read_text(encoding="utf-8"))["updated"]
    before = read_series(project / "data", indicator)
    result = importera(FILES / name, "--indikator", indicator)
    assert result.exit_code == 0, result.output
    assert "filen noterades som källa" in text(result)  # its values are the snapshot's own
    pd.testing.assert_frame_equal(read_series(project / "data", indicator), before)
    source = read_provenance(project / "data", indicator).sources[-1]
    assert source.table_updated == updated  # literally; escaping is the renderer's job
    again = importera(FILES / name, "--indikator", indicator)
    assert again.exit_code == 0 and "Inget ändrades" in text(again)


def _catalogue(project: Path):
    from rus_analysis.config.catalogue import load_catalogue

    return load_catalogue(project / "params" / "indikatorer.yml")


def test_dry_run_shows_changes_below_the_rounding_with_enough_decimals(project):
    set_cell(project, "energianvandning_total", "0018", 2018, 12245.9631)
    result = importera(CASES / "enhet-mwh-gwh" / "energi_kre_MWh.csv", "--indikator", "energianvandning_total",
                       "--torrkorning")
    assert result.exit_code == 0, result.output
    shown = re.findall(r"kön [TKM], [^:]+: (\S+(?: \d{3})*(?:,\d+)?) → (\S+(?: \d{3})*(?:,\d+)?)", text(result))
    assert shown and all(old != new for old, new in shown), shown
    assert any(old.endswith("245,9631") and new.endswith("245,9630") for old, new in shown), shown

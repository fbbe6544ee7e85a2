"""More inputs of the kinds in ../shared/cases/, written for these tests (tests/fixtures/imports/):
other encodings, other SCB symbols, other thousands separators, other units, Kolada v2 pages,
broken region codes, a multilingual PX file, and malformed files of every kind. Each asserts the
rows in data/ afterwards or a Swedish refusal with data/ unchanged.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from rus_analysis.cli.data import data_app
from rus_analysis.snapshot.store import read_provenance, read_series
from support import FIXTURES, copy_data_project

runner = CliRunner()
IMPORTS = FIXTURES / "imports"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    copy_data_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def importera(*args):
    result = runner.invoke(data_app, ["importera", *map(str, args)])
    result.text = " ".join(result.output.split())
    return result


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def value(project: Path, indicator: str, region: str, year: int, sex: str = "T") -> pd.Series:
    frame = read_series(project / "data", indicator)
    rows = frame[(frame.region_code == region) & (frame.year == year) & (frame.sex == sex)
                 & (frame.group == "totalt")]
    assert len(rows) == 1
    return rows.iloc[0]


@pytest.mark.parametrize("name", ["utbildning_utf16be.txt", "utbildning_utf16le_utan_bom.txt",
                                  "utbildning_latin1_punkt_symbol.csv", "utbildning_flersprakig.px"])
def test_other_encodings_and_symbols_import_the_same_values(project, name):
    before = read_series(project / "data", "eftergymnasial_utbildning")
    result = importera(IMPORTS / name, "--indikator", "eftergymnasial_utbildning")
    assert result.exit_code == 0, result.output
    assert value(project, "eftergymnasial_utbildning", "0000", 2024)["value"] == 47.7
    assert value(project, "eftergymnasial_utbildning", "0018", 2022)["value"] == 39.7
    missing = value(project, "eftergymnasial_utbildning", "0018", 2023)  # '...' or '.' in the file
    assert math.isnan(missing["value"]) and missing["status"] == "saknas"
    assert len(read_series(project / "data", "eftergymnasial_utbildning")) == len(before)


def test_narrow_no_break_space_thousands_and_kwh_are_read_and_converted(project):
    result = importera(IMPORTS / "energi_kwh_smalt_mellanslag.csv", "--indikator", "energianvandning_total")
    assert result.exit_code == 0, result.output
    assert "kWh → GWh" in result.text
    assert value(project, "energianvandning_total", "0000", 2018)["value"] == 391365.84
    assert value(project, "energianvandning_total", "0000", 2019)["value"] == 390941.983


def test_thousands_point_with_decimal_comma(project):
    result = importera(IMPORTS / "energi_tusentalspunkt.csv", "--indikator", "energianvandning_total")
    assert result.exit_code == 0, result.output
    assert value(project, "energianvandning_total", "0018", 2018)["value"] == 12245.963


def test_a_unit_without_conversion_is_refused_naming_both(project):
    before = tree(project / "data")
    result = importera(IMPORTS / "energi_procent_fel_enhet.csv", "--indikator", "energianvandning_total")
    assert result.exit_code == 1 and "enheten procent" in result.text and "enheten GWh" in result.text
    assert tree(project / "data") == before


def test_share_as_fraction_is_converted_to_percent(project):
    result = importera(IMPORTS / "utbildning_andel.csv", "--indikator", "eftergymnasial_utbildning")
    assert result.exit_code == 0, result.output
    assert "andel → procent" in result.text
    assert value(project, "eftergymnasial_utbildning", "0018", 2024)["value"] == 41.2


def test_kolada_v2_pages_import_together_and_one_page_is_refused(project):
    alone = importera(IMPORTS / "kolada_v2_N02797_sida1.json", "--indikator", "unga_uvas")
    assert alone.exit_code == 1 and "sidan 2" in alone.text
    both = importera(IMPORTS / "kolada_v2_N02797_sida1.json", IMPORTS / "kolada_v2_N02797_sida2.json",
                     "--indikator", "unga_uvas")
    assert both.exit_code == 0, both.output
    assert "Kolada API v2 JSON" in both.text and "2 oförändrade" in both.text


@pytest.mark.parametrize("name, words", [
    ("kolada_dubbla_koder.csv", "förekommer flera gånger"),
    ("kolada_kod_och_namn_motsager.csv", "Region Dalarna"),
    ("utbildning_fel_antal_celler.px", "5 celler men dimensionerna ger 6"),
])
def test_ambiguous_codes_and_inconsistent_files_are_refused(project, name, words):
    before = tree(project / "data")
    indicator = "barn_ekonomiskt_utsatta_hushall" if name.startswith("kolada") else "eftergymnasial_utbildning"
    result = importera(IMPORTS / name, "--indikator", indicator)
    assert result.exit_code == 1 and words in result.text, result.output
    assert tree(project / "data") == before


def test_pxweb_style_xlsx_written_here(project, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Befolkning 25-64 år efter region, utbildningsnivå och år"])
    sheet.append([])
    sheet.append([None, None, "2023", "2024"])
    sheet.append(["00 Riket", "eftergymnasial utbildning", 46.9, 47.7])
    sheet.append(["1880 Örebro", None, "..", 51.0])
    path = tmp_path / "export.xlsx"
    book.save(path)
    result = importera(path, "--indikator", "eftergymnasial_utbildning")
    assert result.exit_code == 0, result.output
    assert value(project, "eftergymnasial_utbildning", "1880", 2024)["value"] == 51.0


MALFORMED = {
    "tom.csv": (b"", "filen är tom"),
    "binar.csv": (bytes(range(256)) * 3, "binär"),
    "pdf.csv": (b"%PDF-1.7\n...", "PDF"),
    "bara_rubrik.csv": (b'"region","2023"\n', "inga datarader"),
    "inte_tal.csv": ('"region","2023"\n"00 Riket","hög"\n'.encode(), "'hög'"),
    "oandlig.csv": (b'"region","2023"\n"00 Riket","1e999"\n', "ändligt tal"),
    "nan.csv": (b'"region","2023"\n"00 Riket","nan"\n', "'nan'"),
    "avkortad.csv": ('"region","2022","2023"\n"00 Riket",46.2,46.9\n"18 Örebro län",39.7\n'.encode(), "rad 3"),
    "okand_region.csv": (b'"region","2023"\n"77 Ingenstans",40\n', "okända regionkoder"),
    "kodning.csv": (b'"region","2023"\n"00 Riket",4\x81\x8d\n', "teckenkodningen"),
    "ar.csv": ('"region","år","v"\n"00 Riket","2023K1",4\n'.encode(), "inte ett år"),
    "trasig.xlsx": (b"PK\x03\x04[Content_Types].xml trasig", "Excel-filen"),
    "trasig.json": (b'{"class": "dataset", "value": [1, 2', "inte giltig JSON"),
    "trasig.px": (b'CHARSET="ANSI";\nSTUB="region";\nDATA=\n1 2', "avkortad"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_files_give_a_swedish_message_and_leave_data_alone(project, tmp_path, name):
    content, words = MALFORMED[name]
    path = tmp_path / name
    path.write_bytes(content)
    before = tree(project / "data")
    result = importera(path, "--indikator", "eftergymnasial_utbildning")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and words in result.text, result.output
    assert "Ögonblicksbilden är oförändrad" in result.text
    assert tree(project / "data") == before


def test_import_into_a_symlinked_data_folder_writes_through(project, tmp_path):
    shared = tmp_path / "delad-data"
    shutil.move(project / "data", shared)
    (project / "data").symlink_to(shared, target_is_directory=True)
    result = importera(IMPORTS / "utbildning_andel.csv", "--indikator", "eftergymnasial_utbildning", "--ersatt")
    assert result.exit_code == 0, result.output
    assert (project / "data").is_symlink()
    assert read_provenance(shared, "eftergymnasial_utbildning").sources[-1].file == "utbildning_andel.csv"


def test_tj_file_is_stored_in_gwh_and_the_conversion_recorded(project):
    result = importera(IMPORTS / "energi_TJ.csv", "--indikator", "energianvandning_total")
    assert result.exit_code == 0, result.output
    assert "TJ → GWh: värdena delade med 3,6" in result.text
    assert value(project, "energianvandning_total", "0000", 2018)["value"] == pytest.approx(391365.84, rel=1e-12)
    assert value(project, "energianvandning_total", "0018", 2018)["value"] == pytest.approx(12245.963, rel=1e-12)
    source = read_provenance(project / "data", "energianvandning_total").sources[-1]
    assert source.unit_declared == "TJ" and "TJ → GWh" in source.unit_conversion


@pytest.mark.parametrize("name, indicator, units", [
    ("energi_ton_fel_enhet.csv", "energianvandning_total", ("enheten ton", "enheten GWh")),
    ("nystartade_procent_fel_enhet.csv", "nystartade_foretag_antal", ("enheten procent", "enheten antal")),
])
def test_unit_of_another_quantity_is_refused_naming_both(project, name, indicator, units):
    before = tree(project / "data")
    result = importera(IMPORTS / name, "--indikator", indicator)
    assert result.exit_code == 1 and all(u in result.text for u in units), result.output
    assert tree(project / "data") == before


@pytest.mark.parametrize("name", ["kolada_v2_N02904_riket_noll.json", "kolada_N02904_riket_noll.csv"])
def test_kolada_zero_for_riket_is_missing_like_the_build(project, name):
    result = importera(IMPORTS / name, "--indikator", "barn_ekonomiskt_utsatta_hushall")
    assert result.exit_code == 0, result.output
    zero = value(project, "barn_ekonomiskt_utsatta_hushall", "0000", 2022)
    assert math.isnan(zero["value"]) and zero["status"] == "saknas"
    assert value(project, "barn_ekonomiskt_utsatta_hushall", "0000", 2019)["value"] == 9.07
    assert "Koladas 0" in result.text


def test_kolada_v2_page_refusal_names_next_page(project):
    alone = importera(IMPORTS / "kolada_v2_N02797_sida1.json", "--indikator", "unga_uvas")
    assert alone.exit_code == 1 and "next_page pekar vidare" in alone.text and "next_url" not in alone.text


def test_wrong_kpi_refusal_names_the_kpi_once(project):
    result = importera(IMPORTS / "kolada_v2_N02904_riket_noll.json", "--indikator", "unga_uvas")
    assert result.exit_code == 1
    assert "Kolada N02904" in result.text and result.text.count("N02797") == 1, result.output

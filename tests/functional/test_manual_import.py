from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest

from rus_analysis.checksums import sha256_file
from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.ingest.manual_import import ManualImportError, read_export
from rus_analysis.snapshot.refresh import import_file
from rus_analysis.snapshot.store import read_provenance, read_series
from support import FIXTURES

KRE_CSV = FIXTURES / "manual" / "scb_export_kre_energi.csv"
KOLADA_CSV = FIXTURES / "manual" / "kolada_export_N17464.csv"
JSONSTAT = FIXTURES / "api" / "scb_v2_TAB3200_fodelseregion_jsonstat2.json"
KOLADA_JSON = FIXTURES / "api" / "kolada_v3_N02904_page2.json"
NOW = dt.datetime(2025, 11, 24, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def catalogue():
    return load_catalogue(FIXTURES / "catalogue" / "indikatorer.yml")


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_scb_csv_export_with_title_footnotes_and_suppressed_cells(tmp_path, catalogue):
    rows = import_file(KRE_CSV, "energianvandning", tmp_path, catalogue, now=NOW)
    assert rows.merge.added == 8
    series = read_series(tmp_path, "energianvandning").set_index(["region_code", "year"])
    assert series.loc[("0000", 2009), "value"] == 379929.77
    assert series.loc[("0018", 2012), "value"] == 12126.824
    suppressed = series.loc[("0018", 2010)]
    assert math.isnan(suppressed["value"]) and suppressed["status"] == "saknas"
    assert set(series["unit"]) == {"GWh"} and set(series["region_name"]) == {"Riket", "Örebro län"}
    provenance = read_provenance(tmp_path, "energianvandning")
    source = provenance.sources[0]
    assert (source.kind, source.file, source.sha256, source.format, source.table_title) == (
        "file", KRE_CSV.name, sha256_file(KRE_CSV), "SCB Statistikdatabasen CSV",
        "Slutanvändning av energi (GWh) efter region, energibärare och år")
    assert provenance.table == "EN0203"  # the product code in the file's footnote
    assert provenance.retrieved == "2025-11-24T09:30:00+00:00" and provenance.agency == "SCB"


def test_semicolon_export_with_decimal_comma_in_windows_1252(tmp_path, catalogue):
    # The same cells as the comma fixture, saved the other way Statistikdatabasen offers.
    path = tmp_path / "export.csv"
    path.write_bytes("\r\n".join([
        '"Slutanvändning av energi (GWh) efter region, energibärare och år"', "",
        '"region";"energibärare";"2009";"2010";"2011";"2012"',
        '"00 Riket";"Total energi";379929,77;"..";"..";398060,074',
        '"18 Örebro län";"Total energi";13168,95;"..";11898,687;12126,824',
    ]).encode("cp1252"))
    frame = read_export(path, catalogue.get("energianvandning")).frame
    expected = read_export(KRE_CSV, catalogue.get("energianvandning")).frame
    assert frame.equals(expected)


def test_long_format_export_with_year_column(tmp_path, catalogue):
    path = tmp_path / "lang.csv"
    path.write_text('"region","år","Slutanvändning, GWh"\n"00 Riket","2009",379929.77\n'
                    '"Örebro län","2009",13168.95\n"Örebro län","2010",".."\n', encoding="utf-8")
    frame = read_export(path, catalogue.get("energianvandning")).frame
    assert list(frame.region_code) == ["0000", "0018", "0018"]
    assert frame.status.tolist() == ["", "", "saknas"]


def test_jsonstat2_file(tmp_path, catalogue):
    rows = import_file(JSONSTAT, "sysselsattning_fodelseregion", tmp_path, catalogue, now=NOW)
    assert rows.merge.added == 20
    series = read_series(tmp_path, "sysselsattning_fodelseregion")
    assert set(series.group) == {"inrikes födda", "utrikes födda"}
    provenance = read_provenance(tmp_path, "sysselsattning_fodelseregion")
    assert provenance.table == "TAB3200" and provenance.release == "uppdaterad 2025-11-20T07:00:00Z"


def test_kolada_csv_export_by_sex(tmp_path, catalogue):
    rows = import_file(KOLADA_CSV, "gymnasieexamen_4ar", tmp_path, catalogue, now=NOW)
    assert rows.merge.added == 9
    series = read_series(tmp_path, "gymnasieexamen_4ar").set_index(["year", "sex"])
    assert series.loc[(2020, "K"), "value"] == pytest.approx(74.825119)
    assert read_provenance(tmp_path, "gymnasieexamen_4ar").table == "Kolada N17464"


def test_kolada_json_export(tmp_path, catalogue):
    assert import_file(KOLADA_JSON, "barn_ekonomiskt_utsatta", tmp_path, catalogue, now=NOW).merge.added == 3


def test_kolada_file_for_another_kpi_is_refused(tmp_path, catalogue):
    from rus_analysis.ingest.identity import IdentityError

    with pytest.raises(IdentityError, match="gäller Kolada N17464, men indikatorn barn_ekonomiskt_utsatta "
                                            ".* hämtas från Kolada N02904"):
        import_file(KOLADA_CSV, "barn_ekonomiskt_utsatta", tmp_path, catalogue)


@pytest.mark.parametrize("name, content, words", [
    ("trasig.json", json.dumps({"class": "dataset"})[:10], "inte giltig JSON"),
    ("annat.json", json.dumps({"hej": 1}), "varken JSON-stat2"),
    ("tabell.xlsx", "", "är tom"),
    ("utan_region.csv", '"kön","2020"\n"män",1\n', "ingen regionkolumn"),
    ("okand.csv", '"region","2009"\n"1980 Västerås",1\n', "regionerna i filen: 1980 Västerås"),
    ("text.csv", '"region","2009"\n"00 Riket","många"\n', "cellen 'många'"),
    ("dubbel.csv", '"region","år","GWh"\n"00 Riket","2009",379929.77\n"Riket","2009",379929.77\n',
     "förekommer flera gånger"),
])
def test_bad_files_are_refused_and_the_snapshot_is_untouched(tmp_path, catalogue, name, content, words):
    data = tmp_path / "data"
    import_file(KRE_CSV, "energianvandning", data, catalogue, now=NOW)
    before = files(data)
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ManualImportError, match=words) as raised:
        import_file(path, "energianvandning", data, catalogue)
    assert str(raised.value).startswith(f"{name}: ")
    assert files(data) == before


def test_value_out_of_range_is_refused(tmp_path, catalogue):
    doc = json.loads(JSONSTAT.read_text(encoding="utf-8"))
    doc["value"][0] = 838.0
    path = tmp_path / "fel.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ManualImportError, match="mellan 0 och 100: 838 "):
        import_file(path, "sysselsattning_fodelseregion", tmp_path / "data", catalogue)
    assert not (tmp_path / "data").exists()


def test_unknown_indicator(tmp_path, catalogue):
    with pytest.raises(ManualImportError, match="'finns_inte' finns inte i katalogen"):
        import_file(KRE_CSV, "finns_inte", tmp_path, catalogue)

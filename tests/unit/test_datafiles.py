"""Data downloads: CSV for Swedish Excel, HTML-only link Markdown, the workbook (issue 14)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from rus_analysis.build.downloads import SOURCES_SHEET, sheet_names, write_workbook
from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.report.datafiles import (
    csv_bytes,
    download_markdown,
    link,
    read_csv,
    safe_url,
    write_data_file,
)
from rus_analysis.report.markup import unescape
from rus_analysis.snapshot.store import COLUMNS
from support import PROJECT


def _rows() -> pd.DataFrame:
    return pd.DataFrame({
        "indicator": ["a", "a"], "region_code": ["0018", "0000"], "region_name": ["Örebro län", "Riket"],
        "year": [2023, 2023], "sex": ["T", "T"], "group": ["totalt", "totalt"],
        "value": [80.612345678912, np.nan], "unit": ["procent", "procent"], "status": ["", "sekretess"],
    })[COLUMNS]


def test_csv_is_utf8_bom_semicolon_decimal_comma_and_reads_back_equal(tmp_path):
    data = csv_bytes(_rows())
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "Indikator-id;Regionkod;Region;År;Kön;Grupp;Värde;Enhet;Status"
    assert lines[1] == "a;0018;Örebro län;2023;T;totalt;80,61234568;procent;"
    assert lines[2] == "a;0000;Riket;2023;T;totalt;;procent;sekretess"
    path = write_data_file(_rows(), "figur-a", tmp_path)
    back = read_csv(path)
    assert back["region_code"].tolist() == ["0018", "0000"]
    assert back["value"].iloc[0] == pytest.approx(80.61234568, abs=0) and pd.isna(back["value"].iloc[1])


def test_data_file_names_are_checked(tmp_path):
    with pytest.raises(ValueError):
        write_data_file(_rows(), "../utanfor", tmp_path)


def test_download_line_is_html_only_and_names_its_element():
    markdown = download_markdown("datafiler/figur-a.csv", "diagrammet Andel [x], 2020–2024", "SCB",
                                 "https://www.scb.se/")
    assert markdown.startswith('::: {.content-visible when-format="html"}\n')
    # The element's name is text (report.markup): its brackets are escaped, not a nested link.
    assert "&#91;x&#93;" in markdown
    text = unescape(markdown)
    assert "[Ladda ner data (CSV)[\\ för diagrammet Andel [x], 2020–2024]{.visually-hidden}]" in text
    assert "(<datafiler/figur-a.csv>){.nedladdning}" in text and "Källa: [SCB](<https://www.scb.se/>)" in text
    with pytest.raises(ValueError):
        download_markdown("javascript:alert(1)", "x")


def test_only_plain_http_links():
    assert safe_url("https://www.kolada.se/") == "https://www.kolada.se/"
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "https://a.se/x) [y](z", "ftp://a.se",
                "https://a.se/<b>", None, ""):
        assert safe_url(bad) is None
    assert unescape(link("SCB [BAS]", "javascript:x")) == "SCB [BAS]"
    assert "[" not in link("SCB [BAS]", "javascript:x")


def test_sheet_names_fit_excel_and_are_unique():
    names = sheet_names(["a" * 40, "a" * 35, "källor", "kort"])
    assert all(len(n) <= 31 for n in names.values())
    assert len(set(n.lower() for n in names.values())) == 4
    assert names["kort"] == "kort"


@pytest.mark.langsam  # writes the whole workbook twice: in the full suite, not the 60-second one
def test_workbook_is_reproducible_and_equals_data(tmp_path):
    catalogue = load_catalogue(PROJECT / "params" / "indikatorer.yml")
    kraftsamlingar = [k.id for k in catalogue.kraftsamlingar]
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_workbook(first, catalogue, PROJECT / "data", 2023, kraftsamlingar)
    write_workbook(second, catalogue, PROJECT / "data", 2023, kraftsamlingar)
    assert first.read_bytes() == second.read_bytes()
    book = load_workbook(first, read_only=True)
    assert book.sheetnames[0] == SOURCES_SHEET
    rows = list(book["vaxthusgaser_totalt"].iter_rows(values_only=True))
    assert rows[0][0] == "Indikator-id"
    data = pd.read_csv(PROJECT / "data" / "series" / "vaxthusgaser_totalt.csv", dtype={"region_code": str})
    data = data[data["year"] <= 2023]
    assert len(rows) - 1 == len(data)
    assert max(r[3] for r in rows[1:]) <= 2023
    got = {(r[1], r[3], r[5]): r[6] for r in rows[1:]}
    for row in data.itertuples():
        value = got[(row.region_code, row.year, row.group)]
        assert (value is None and pd.isna(row.value)) or value == row.value

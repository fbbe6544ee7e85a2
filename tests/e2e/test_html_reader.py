"""The HTML report for every reader (issue 14), read back from the session's one build in
headless Chromium: reflow at 320, 390 and 1280 px, axe-core, keyboard reach, downloads whose
values equal data/, captions numbered as in the PDF, and no download link in the PDF."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from rus_analysis.build.accessibility_check import CHROMIUM
from rus_analysis.build.downloads import SOURCES_SHEET, indicator_rows, workbook_name
from rus_analysis.build.html_check import WIDTHS, check_downloads, read_html
from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.config.report_params import load_report_params
from rus_analysis.snapshot.store import COLUMNS
from support import pdf_text

pytestmark = pytest.mark.e2e
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason=f"{CHROMIUM} saknas: installera Debian-paketet chromium (CI gör det i .ci/run)")


def _without_images(text: str) -> str:
    return re.sub(r"base64,[A-Za-z0-9+/=]+", "base64,", text)


@pytest.fixture(scope="module")
def page_text(built_report) -> str:
    _, result = built_report
    return _without_images(result.html.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def browser_report(built_report):
    """One Chromium pass over the HTML at every width: widths, axe, keyboard, links."""
    _, result = built_report
    return read_html(result.html)


@pytest.fixture(scope="module")
def cutoff(built_report) -> int:
    root, result = built_report
    return load_report_params(root / "params", result.year).data_cutoff


@needs_chromium
def test_no_horizontal_page_scroll_at_320_390_1280(browser_report):
    assert set(browser_report.widths) == set(WIDTHS)
    for width, (scroll_width, inner_width) in browser_report.widths.items():
        assert inner_width == width
        assert scroll_width <= inner_width, f"{width} px: scrollWidth {scroll_width}"


@needs_chromium
def test_axe_finds_no_wcag_a_or_aa_violation_at_any_width(browser_report):
    assert set(browser_report.axe) == set(WIDTHS)
    assert {w: v for w, v in browser_report.axe.items() if v} == {}


@needs_chromium
def test_keyboard_reaches_every_link_and_scroll_region(browser_report, page_text):
    tables = page_text.count("<table")
    assert browser_report.regions == tables >= 20  # every table in its focusable region
    assert browser_report.stops > tables + 40  # links: downloads, sources, contents
    assert browser_report.unreached == []
    assert browser_report.reached == browser_report.stops


@needs_chromium
def test_every_download_link_is_a_file_in_the_output_folder_equal_to_data(built_report,
                                                                          browser_report, cutoff):
    root, result = built_report
    links = browser_report.links
    csv_links = [link for link in links if link.endswith(".csv")]
    assert f"uppfoljningsrapport-{result.year}.pdf" in links
    assert workbook_name(f"uppfoljningsrapport-{result.year}") in links
    assert all(link.startswith("datafiler/") for link in csv_links)  # relative: works copied anywhere
    published = sorted(p.name for p in (result.output_dir / "datafiler").glob("*.csv"))
    assert sorted(Path(link).name for link in csv_links) == published
    checked, problems = check_downloads(result.html, links, root / "data", cutoff)
    assert problems == []
    assert checked == len(published) >= 30


def test_every_chart_and_data_table_is_followed_by_its_download(page_text):
    """Each figure and each table outside the method appendix (rules, not data) links its CSV."""
    appendix = re.search(r'<h1[^>]*>\s*<span class="header-section-number">Bilaga A</span>', page_text).start()
    marks = list(re.finditer(r'<div class="tabell"[^>]*>|<figure[^>]*>|class="nedladdning"', page_text))
    without = []
    for mark, following in zip(marks, marks[1:] + [None], strict=True):
        if mark.group(0) == 'class="nedladdning"' or mark.start() > appendix:
            continue
        if following is None or following.group(0) != 'class="nedladdning"':
            without.append(mark.group(0)[:120])
    assert without == []
    figures = page_text.count("<figure")
    assert figures >= 10
    downloads = page_text.count('class="nedladdning"')
    assert downloads >= figures + 20


def test_captions_are_numbered_as_in_the_pdf(built_report, page_text):
    """"Figur 2.1", "Tabell A.1": per chapter (letters in the appendices), as the PDF."""
    _, result = built_report
    pdf = " ".join(pdf_text(result.pdf).split())

    def numbered(text: str) -> list[tuple[str, str, int, str]]:
        return [(kind, chapter, int(number), caption[:18]) for kind, chapter, number, caption in
                re.findall(r"(Figur|Tabell) ([0-9A-Z]+)\.(\d+): (.{18})", text)]

    captions = re.findall(r"<(?:figcaption|caption)[^>]*>(.*?)</(?:figcaption|caption)>", page_text, re.S)
    in_html = numbered(" ".join(" ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", c)).split())
                                for c in captions))
    in_pdf = numbered(pdf.replace("\u00ad", ""))
    assert len(in_html) >= 40
    assert in_html == in_pdf
    # One counter per kind and chapter, from 1, in document order.
    for kind in ("Figur", "Tabell"):
        for chapter in {c for k, c, _, _ in in_html if k == kind}:
            numbers = [n for k, c, n, _ in in_html if k == kind and c == chapter]
            assert numbers == sorted(set(numbers)) and numbers[0] <= 2, (kind, chapter, numbers)


def test_pdf_shows_no_download_links_or_file_paths(built_report):
    _, result = built_report
    pdf = pdf_text(result.pdf)
    for leaked in ("Ladda ner", "(CSV)", "-data.xlsx", "datafiler/", "nedladdning"):
        assert leaked not in pdf


def test_sources_link_to_the_agencies(built_report, page_text):
    root, _ = built_report
    catalogue = load_catalogue(root / "params" / "indikatorer.yml")
    hrefs = set(re.findall(r'<a href="(https?://[^"]+)"', page_text))
    assert {i.source.url for i in catalogue.indicators if i.source.url} <= hrefs
    assert all(i.source.url for i in catalogue.indicators)
    assert "https://www.scb.se/" in hrefs


def test_workbook_has_a_sheet_per_indicator_and_sources(built_report, cutoff):
    root, result = built_report
    catalogue = load_catalogue(root / "params" / "indikatorer.yml")
    book = load_workbook(result.output_dir / workbook_name(f"uppfoljningsrapport-{result.year}"),
                         read_only=True)
    assert book.sheetnames[0] == SOURCES_SHEET
    sources = list(book[SOURCES_SHEET].iter_rows(values_only=True))
    header, rows = sources[0], sources[1:]
    assert {"Flik", "Indikator-id", "Källa", "Webbplats", "Publicering", "Hämtad", "Bearbetning"} <= set(header)
    by_id = {row[header.index("Indikator-id")]: row for row in rows}
    assert set(by_id) == {i.id for i in catalogue.indicators}
    with_data = [sheet for sheet in book.sheetnames[1:]]
    assert len(with_data) >= 15
    for indicator_id, row in by_id.items():
        sheet = row[header.index("Flik")]
        if sheet == "Data saknas":
            continue
        values = list(book[sheet].iter_rows(values_only=True))
        expected = indicator_rows(root / "data", indicator_id, cutoff)
        assert len(values) - 1 == len(expected), indicator_id
        got = pd.DataFrame(values[1:], columns=COLUMNS)
        assert got["year"].max() <= cutoff
        assert got["value"].astype(float).equals(expected["value"].astype(float)), indicator_id

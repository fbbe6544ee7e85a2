"""The real report for 2025 on both paths: the built-in PDF against the PDF Quarto would compile.

The Quarto side is put together without Quarto (``quarto_emulation``): the year's executed
notebooks prepared as the Quarto path prepares them, Quarto's template files, the project's
format extension and the typst constructs of Quarto's filters, compiled with PDF/UA-1. Same
headings (text and numbers), same captions, same alt texts, page counts within 10 %, and the
same text handed to both renderers (so both HTML outputs say the same).
"""

from __future__ import annotations

import re

import pypandoc
import pytest
from quarto_emulation import APPENDICES_TITLE, pdf_facts, quarto_book_markdown, render_like_quarto

from rus_analysis.build.pipeline import publication_date
from rus_analysis.build.render.book import read_book, select_chapters
from rus_analysis.build.render.builtin import TitlePage
from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.config.report_params import load_report_params

pytestmark = pytest.mark.e2e
YEAR = 2025


@pytest.fixture(scope="module")
def both(tmp_path_factory, built_report):
    """The session's one shared build (tests/conftest.py, the same year) and Quarto's emulated PDF."""
    root, result = built_report
    assert result.year == YEAR
    params = load_report_params(root / "params", YEAR)
    catalogue = load_catalogue(root / "params" / "indikatorer.yml")
    book = select_chapters(read_book(root / "_quarto.yml"), params.kraftsamlingar,
                           [k.id for k in catalogue.kraftsamlingar])
    title = TitlePage(params.title, f"Uppföljningsrapport {YEAR}", params.publisher,
                      f"Statistik till och med {params.data_cutoff}", publication_date(params))
    work = tmp_path_factory.mktemp("quarto")
    markdown = quarto_book_markdown(book, root / "_build" / str(YEAR), work)
    quarto_pdf = render_like_quarto(markdown, title, work / "pdf")
    builtin_markdown = (root / "_build" / str(YEAR) / f"uppfoljningsrapport-{YEAR}.md").read_text(encoding="utf-8")
    return pdf_facts(result.pdf), pdf_facts(quarto_pdf), markdown, builtin_markdown


def test_same_headings_with_numbers(both):
    builtin, quarto, _, _ = both
    assert quarto["outline"] == builtin["outline"]
    outline = builtin["outline"]
    assert "1 Sammanfattning" in outline and "2 Ökad inkludering" in outline
    assert any(entry.startswith("Bilaga A ") for entry in outline)
    assert any(entry.startswith("A.1 ") for entry in outline)
    assert not any(re.match(r"[A-Z0-9]+\.\d+\.\d+ ", entry) for entry in outline)  # level 3 unnumbered
    assert APPENDICES_TITLE not in outline


def test_same_captions_every_table_and_figure_numbered_per_chapter(both):
    builtin, quarto, _, _ = both
    assert quarto["captions"] == builtin["captions"]
    assert len(builtin["captions"]) > 40
    # Every table in the Markdown has a caption line, and each is in the PDF.
    tables = len(re.findall(r"^\|[-:|]+\|$", both[3], re.MULTILINE))
    assert sum(c.startswith("Tabell") for c in builtin["captions"]) == tables


def test_same_alt_texts(both):
    builtin, quarto, _, _ = both
    assert quarto["alts"] == builtin["alts"]
    assert len(builtin["alts"]) > 20


def test_page_counts_within_ten_percent_no_blank_pages(both):
    builtin, quarto, _, _ = both
    assert abs(quarto["pages"] - builtin["pages"]) <= 0.1 * builtin["pages"]
    assert builtin["empty_pages"] == [] and quarto["empty_pages"] == []


def test_same_language_title_and_publisher(both):
    builtin, quarto, _, _ = both
    assert builtin["lang"] == quarto["lang"] == "sv-SE"
    title = f"Uppföljning av den regionala utvecklingsstrategin – Uppföljningsrapport {YEAR}"
    assert builtin["title"] == quarto["title"] == title
    assert builtin["author"] == quarto["author"] == "Region Örebro län"


def test_both_renderers_are_given_the_same_text(both):
    """The HTML outputs can only differ by their renderer: the text they get is the same."""
    _, _, quarto_markdown, builtin_markdown = both
    quarto_markdown = re.sub(r"<!-- quarto-book-item: \w+ -->|# Bilagor \{\.unnumbered\}", "", quarto_markdown)

    def plain(markdown: str) -> list[str]:
        text = pypandoc.convert_text(markdown, "plain", format="markdown", extra_args=["--wrap=none"])
        return [line.strip() for line in text.splitlines() if line.strip()]

    assert plain(quarto_markdown) == plain(builtin_markdown)

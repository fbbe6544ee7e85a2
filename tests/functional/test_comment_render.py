"""An analyst's comment takes no part in the report's numbering, in the PDF and the HTML (F14).

A chapter with the report's own captioned tables around a comment holding headings (``#`` and
underlined) and an uncaptioned table: the report's tables are "Tabell 1.1" and "Tabell 1.2" with or
without the comment, the comment's headings carry no number ("1.0.1") and its table no
"Tabell" number, in both outputs of the built-in renderer (typst through the extension's filter,
which Quarto's path runs too).
"""

from __future__ import annotations

import re

import pytest
from html_check import html_text
from pypdf import PdfReader

from rus_analysis.build.render.builtin import TitlePage, render_html, render_pdf
from rus_analysis.build.render.extension import extension_dir
from rus_analysis.report import comments
from rus_analysis.report.markup import Markdown
from rus_analysis.report.tables import Table
from support import PROJECT

COMMENT = ("---\nid: x\nrapportar: 2025\n---\n\n# Min rubrik\n\nStycke.\n\nUnderstruken\n-----------\n\n"
           "| Kolumn a | Kolumn b |\n|---|---|\n| 1 | 2 |\n\n## Slutsats {#slutsats}\n\nSlut.\n\n"
           "#### Djupare\n\nMer.\n")
# Prose that once came out wrong: a word longer than a line ran past the PDF's margin; a bare
# address lost its "*" to emphasis; two comments' [^1] both showed the last note's text.
LONG_WORD = "a" * 120
URL = "https://example.org/a_b*c*"
LONG_CELL = "b" * 100
COMPOUND = "Arbetsmarknadsutbildningsplatsfördelningsdiskussionerna"  # 55 letters
NARROW_WORD = "c" * 200  # in a five-column table of the analyst's
SECOND = (f"---\nid: y\nrapportar: 2025\n---\n\nOrdet {LONG_WORD} och adressen {URL} här.[^1]\n\n"
          f"| Kort | Lång |\n|---|---|\n| x | {LONG_CELL} |\n\n"
          f"| Kommun | Kommentar | Värde | Källa | Not |\n|---|---|---|---|---|\n"
          f"| Örebro | {COMPOUND} | 12,3 | https://scb.se/{'d' * 70} | {'e' * 61} |\n"
          f"| Lindesberg | {NARROW_WORD} | {'7' * 80} | SCB | kort |\n\n"
          "[^1]: Andra kommentarens not.\n")
FIRST_NOTE = "\n\nSe noten.[^1]\n\n[^1]: Första kommentarens not.\n"


def _table(caption: str, label: str) -> Markdown:
    return Table(caption=caption, header=["Text", "Värde"], rows=[["x", "1"]], align=["left", "right"],
                 label=label).markdown()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    build = tmp_path_factory.mktemp("kommentar")
    (build / "x.md").write_text(COMMENT + FIRST_NOTE, encoding="utf-8")
    (build / "y.md").write_text(SECOND, encoding="utf-8")
    first, second = comments.read_comment(build / "x.md"), comments.read_comment(build / "y.md")
    parts = [Markdown("# Kapitel"), Markdown("## Indikator"), _table("Första tabellen", "forsta"),
             first.markdown(3), Markdown("## Nästa indikator"), _table("Andra tabellen", "andra"),
             second.markdown(3), Markdown("# Andra kapitlet"), Markdown("Text utan noter.")]
    markdown = build / "rapport.md"
    markdown.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    title = TitlePage("Titel", "Uppföljningsrapport 2025", "Region Örebro län", "Statistik till och med 2024")
    pdf, html = build / "rapport.pdf", build / "rapport.html"
    render_pdf(markdown, pdf, title, extension_dir(PROJECT))
    render_html(markdown, html, title)
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return pdf_text, html.read_text(encoding="utf-8")


def test_pdf_numbers_only_the_reports_tables_and_no_comment_heading(rendered):
    pdf, _ = rendered
    assert re.findall(r"Tabell \d+\.\d+", pdf) == ["Tabell 1.1", "Tabell 1.2"]
    assert "Tabell 1.2: Andra tabellen" in " ".join(pdf.split())
    assert "Kolumn a" in pdf  # the comment's table is shown
    for heading in ("Min rubrik", "Understruken", "Slutsats", "Djupare"):
        line = next(line for line in pdf.splitlines() if heading in line)
        assert not re.search(r"\d", line), line


def test_html_numbers_only_the_reports_tables_and_no_comment_heading(rendered):
    _, html = rendered
    text = html_text(html)
    assert re.findall(r"Tabell \d+\.\d+", text) == ["Tabell 1.1", "Tabell 1.2"]
    assert 'aria-label="Tabell 1.2: Andra tabellen"' in html and "Kolumn a" in text
    assert 'aria-label="Tabell i analysen"' in html
    for heading in ("Min rubrik", "Understruken", "Slutsats", "Djupare"):
        element = next(h for h in re.findall(r"<h\d.*?</h\d>", html, re.S) if heading in h)
        assert "header-section-number" not in element and "data-number" not in element, element
    assert not re.search(r"\b1\.0\.\d", text)


def test_a_word_longer_than_a_line_breaks_in_the_pdf_text_and_cells_and_stays_whole_in_the_html(rendered):
    pdf, html = rendered
    for letter, word in (("a", LONG_WORD), ("b", LONG_CELL)):  # in a paragraph and a table cell
        runs = [len(run) for run in re.findall(letter + "{8,}", pdf)]
        assert sum(runs) == len(word) and len(runs) >= 2, runs  # broken over lines, nothing lost
        assert word in html_text(html).replace("\u00ad", "")


def test_a_bare_address_is_a_link_with_its_stars(rendered):
    pdf, html = rendered
    assert f'href="{URL}"' in html
    assert URL in "".join(pdf.split())


def test_each_comment_shows_its_own_footnote(rendered):
    pdf, html = rendered
    for text in (pdf, html_text(html)):
        flat = " ".join(text.split())
        assert "Första kommentarens not." in flat and "Andra kommentarens not." in flat


def test_html_footnotes_end_their_chapter_not_the_report(rendered):
    _, html = rendered
    next_chapter = html.index('id="andra-kapitlet"')
    assert html.index("Första kommentarens not.") < next_chapter
    assert html.index("Andra kommentarens not.") < next_chapter


def test_an_analysts_narrow_table_breaks_long_words_to_its_columns(rendered):
    pdf, html = rendered
    pieces = [len(run) for run in re.findall("c{4,}", pdf)]
    assert sum(pieces) == len(NARROW_WORD) and max(pieces) <= 24, pieces  # not 30-letter pieces
    assert "7" * 80 in "".join(pdf.split()).replace("-", "").replace("\u00ad", "")
    assert NARROW_WORD in html_text(html).replace("\u00ad", "")
    assert "c" * 6 + "\u00ad" + "c" * 6 in html  # may break in a narrow column on a phone
    assert "Lindesberg" in html and "Kommentar" in html  # short words whole

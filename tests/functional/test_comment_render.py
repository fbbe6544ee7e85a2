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


def _table(caption: str, label: str) -> Markdown:
    return Table(caption=caption, header=["Text", "Värde"], rows=[["x", "1"]], align=["left", "right"],
                 label=label).markdown()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    build = tmp_path_factory.mktemp("kommentar")
    path = build / "kommentar.md"
    path.write_text(COMMENT, encoding="utf-8")
    comment = comments.read_comment(path)
    parts = [Markdown("# Kapitel"), Markdown("## Indikator"), _table("Första tabellen", "forsta"),
             comment.markdown(3), Markdown("## Nästa indikator"), _table("Andra tabellen", "andra")]
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

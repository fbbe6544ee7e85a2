"""The rus-typst format compiles as Quarto compiles it, with PDF/UA-1, and matches the built-in PDF.

Quarto is not installed here: ``quarto_emulation`` puts the typst document together from Quarto's
own template files (tests/fixtures/quarto, with provenance) and the project's extension
partials, with the typst constructs Quarto's filters emit. The book below has what broke
Quarto's default book template (level-2 headings under PDF/UA-1) and everything the report
shows: labelled tables, figures with alt text, a "Data saknas" callout, status symbols,
appendices with level-3 headings.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from quarto_emulation import (  # noqa: E402
    TEMPLATE_ORDERS,
    book_item,
    pdf_facts,
    render_like_quarto,
)

from rus_analysis.build.render.builtin import TitlePage, render_pdf  # noqa: E402
from rus_analysis.build.render.extension import copy_extension  # noqa: E402
from rus_analysis.build.render.markdown import mark_appendix  # noqa: E402
from support import PROJECT  # noqa: E402

TITLE = TitlePage("Uppföljning av den regionala utvecklingsstrategin", "Uppföljningsrapport 2025",
                  "Region Örebro län", "Statistik till och med 2024", dt.date(2025, 6, 12))


def chapter(number: int, image: str) -> str:
    rows = "\n".join(f"| Kommun {i} | {1000 * i + 488}\u202f827 | [●]{{style=\"color:#1E7E50\"}} Rätt håll "
                     "men för långsamt |" for i in range(1, 9))
    sections = []
    for section in range(1, 4):
        alt = f"Linjediagram: indikator {number}.{section} ökar från 78,1 till 80,6 procent."
        sections.append(f"""## Indikator {number}.{section}

Andelen ökade från 78,1 procent till 80,6 procent. {"Lång text om utvecklingen. " * 30}

![Indikator {number}.{section} över tid]({image}){{#fig-ind-{number}-{section} fig-alt="{alt}" width="100%"}}

| Kommun | Senaste värde | Bedömning |
|:-------|------:|:------|
{rows}

: Indikator {number}.{section} per kommun, antal, 2024 {{#tbl-ind-{number}-{section}}}
""")
    callout = f"""::: {{.callout-warning}}
## Data saknas: Indikator {number}.9

Statistiken fanns inte i underlaget till rapporten. Källa: SCB, tabell X.
:::
"""
    return f"# Kapitel {number}\n\nInledning.\n\n" + "\n".join(sections) + "\n" + callout


APPENDIX = """# Metod för målbedömning

## Så bedöms utvecklingen

Text.

### Bedömningarna

| Symbol | Bedömning |
|:---|:---|
| ● | Rätt håll |

: Bedömningarna {#tbl-bedomningarna}

### Förändringstakt

Text om takt.
"""

SOURCES = """# Källor

## Ökad inkludering

### Sysselsättningsgrad

Källa: SCB.
"""


def book_items(image: str) -> list[tuple[str, str]]:
    return [("chapter", "# Om rapporten {.unnumbered}\n\nText om rapporten.\n"),
            ("chapter", chapter(1, image)), ("chapter", chapter(2, image)),
            ("appendix", APPENDIX), ("appendix", SOURCES)]


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    """A folder with the book's one image, figur.png."""
    folder = tmp_path_factory.mktemp("bok")
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([2020, 2021, 2022], [78.1, 79.0, 80.6])
    fig.savefig(folder / "figur.png", dpi=60)
    plt.close(fig)
    return folder


def quarto_markdown(items: list[tuple[str, str]]) -> str:
    parts, divider = [], False
    for kind, text in items:
        if kind == "appendix" and not divider:
            parts += [book_item("appendix"), "# Bilagor {.unnumbered}"]
            divider = True
        parts += [book_item(kind), text]
    return "\n\n".join(parts)


def builtin_markdown(items: list[tuple[str, str]]) -> str:
    return "\n\n".join(mark_appendix(text) if kind == "appendix" else text for kind, text in items)


@pytest.fixture(scope="module")
def quarto_pdfs(book) -> dict[str, Path]:
    items = book_items(str(book / "figur.png"))
    return {order: render_like_quarto(quarto_markdown(items), TITLE, book / "quarto", order)
            for order in TEMPLATE_ORDERS}


@pytest.fixture(scope="module")
def builtin_pdf(book) -> Path:
    build = book / "inbyggd"  # the built-in renderer reads only inside its build folder
    build.mkdir()
    shutil.copyfile(book / "figur.png", build / "figur.png")
    extension = copy_extension(PROJECT, build)
    markdown_file = build / "bok.md"
    markdown_file.write_text(builtin_markdown(book_items("figur.png")), encoding="utf-8")
    render_pdf(markdown_file, build / "bok.pdf", TITLE, extension)
    return build / "bok.pdf"


@pytest.mark.parametrize("order", TEMPLATE_ORDERS)
def test_quarto_typst_compiles_with_pdf_ua_1_and_level_2_headings(quarto_pdfs, order):
    """typst.compile with pdf_standards ua-1 raised nothing (the orange-book failure), and the
    book reads as designed."""
    facts = pdf_facts(quarto_pdfs[order])
    assert facts["lang"] == "sv-SE"
    assert facts["title"] == "Uppföljning av den regionala utvecklingsstrategin – Uppföljningsrapport 2025"
    assert facts["author"] == "Region Örebro län"
    assert facts["outline"] == [
        "Om rapporten", "1 Kapitel 1", "1.1 Indikator 1.1", "1.2 Indikator 1.2",
        "1.3 Indikator 1.3", "2 Kapitel 2", "2.1 Indikator 2.1", "2.2 Indikator 2.2",
        "2.3 Indikator 2.3", "Bilaga A Metod för målbedömning", "A.1 Så bedöms utvecklingen",
        "Bedömningarna", "Förändringstakt", "Bilaga B Källor", "B.1 Ökad inkludering",
        "Sysselsättningsgrad"]
    assert "Bilagor" not in facts["text"]  # Quarto's divider gets no page of its own
    assert facts["empty_pages"] == []  # no blank pages
    captions = facts["captions"]
    assert captions[:2] == ["Figur 1.1: Indikator 1.1 över tid"[:30], "Tabell 1.1: Indikator 1.1 per kommun"[:30]]
    assert "Tabell 2.3: Indikator 2.3 per kommun"[:30] in captions
    assert captions[-1] == "Tabell A.1: Bedömningarna"
    assert len(facts["alts"]) == 6 and all(alt.startswith("Linjediagram: indikator") for alt in facts["alts"])
    assert facts["text"].count("Data saknas") == 2  # one per callout, no repeated lead
    text = facts["text"]
    assert "Publicerad 12 juni 2025" in text and "Statistik till och med 2024" in text


def test_numbers_in_table_cells_are_not_hyphenated_or_broken(quarto_pdfs):
    text = pdf_facts(quarto_pdfs[TEMPLATE_ORDERS[0]])["text"]
    assert "8488\u202f827" in text  # one cell, one line
    assert not re.search(r"Rätt hål-|Be-döm|Sena-ste", text)


def test_quarto_and_builtin_pdfs_match(quarto_pdfs, builtin_pdf):
    quarto = pdf_facts(quarto_pdfs[TEMPLATE_ORDERS[0]])
    builtin = pdf_facts(builtin_pdf)
    assert quarto["outline"] == builtin["outline"]
    assert quarto["captions"] == builtin["captions"]
    assert quarto["alts"] == builtin["alts"]
    assert (quarto["lang"], quarto["title"], quarto["author"]) == (builtin["lang"], builtin["title"],
                                                                   builtin["author"])
    assert abs(quarto["pages"] - builtin["pages"]) <= 0.1 * builtin["pages"]

"""The built-in renderer's HTML filters: numbered captions, table regions, HTML-only content."""

from __future__ import annotations

import re

import pypandoc

from rus_analysis.build.render.builtin import TEMPLATES, TitlePage, render_html

MARKDOWN = """# Kapitel

| a | b |
|---|--:|
| x | 1 |

| c | d |
|---|--:|
| y | 2 |

: Andel, procent

![Andel över tid](bild.png){#fig-andel fig-alt="Linjediagram över andelen" alt="Linjediagram över andelen"}

::: {.content-visible when-format="html"}
[Ladda ner data (CSV)[\\ för tabellen Andel]{.visually-hidden}](datafiler/tabell-andel.csv){.nedladdning}
:::

::: {.content-hidden when-format="html"}
Bara i PDF.
:::
"""


def test_html_numbers_captions_wraps_tables_and_keeps_html_only_content(tmp_path):
    (tmp_path / "bild.png").write_bytes(
        bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d"
                      "49444154789c6360000002000154a24f5d0000000049454e44ae426082"))
    source = tmp_path / "bok.md"
    source.write_text(MARKDOWN.replace("bild.png", str(tmp_path / "bild.png")), encoding="utf-8")
    target = tmp_path / "rapport.html"
    render_html(source, target, TitlePage("T", "U", "R", "D"), {"pdf-link": "r.pdf", "xlsx-link": "r-data.xlsx"})
    html = target.read_text(encoding="utf-8")
    regions = re.findall(r'<div class="tabell"[^>]*>', html.replace("\n", " "))
    assert len(regions) == 2
    assert all('role="region"' in r and 'tabindex="0"' in r for r in regions)
    assert 'aria-label="Tabell 1.1"' in regions[0] and 'aria-label="Tabell 1.2: Andel, procent"' in regions[1]
    assert "<caption>Tabell 1.2: Andel, procent</caption>" in html
    assert "Figur 1.1: Andel över tid" in html
    assert 'href="datafiler/tabell-andel.csv"' in html and "Bara i PDF" not in html
    assert 'href="r.pdf"' in html and 'href="r-data.xlsx"' in html
    assert "<details" in html and "<summary" in html


def test_typst_drops_html_only_content():
    typst = pypandoc.convert_text(MARKDOWN, "typst", format="markdown",
                                  extra_args=[f"--lua-filter={TEMPLATES / 'villkor.lua'}"])
    assert "Ladda ner" not in typst and "tabell-andel.csv" not in typst
    assert "Bara i PDF" in typst

"""Accessibility checks: axe-core in headless Chromium on HTML, PDF/UA facts on PDF, and the
reader's read-back (html_check.read_html) failing on small pages made to fail."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typst
from pypdf import PdfWriter

from rus_analysis.build.accessibility_check import (
    CHROMIUM,
    AccessibilityError,
    axe_check,
    chromium,
    pdf_accessibility_facts,
    screenshot,
)
from rus_analysis.build.html_check import read_html
from rus_analysis.build.render.builtin import TitlePage, render_html
from support import PROJECT

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason=f"{CHROMIUM} saknas: installera Debian-paketet chromium (CI gör det i .ci/run)",
)

BAD_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Dålig sida</title></head>
<body><main><h1>Rubrik</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#bbbbbb; background:#ffffff">Ljusgrå text på vit bakgrund</p>
</main></body></html>
"""

GOOD_HTML = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Bra sida</title></head>
<body><main><h1>Sysselsättning</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Diagram över sysselsättningsgraden">
<p style="color:#1a1a1a; background:#ffffff">Sysselsättningsgraden ökade.</p>
<table><caption>Sysselsättningsgrad, procent</caption>
<thead><tr><th scope="col">År</th><th scope="col">Örebro län</th></tr></thead>
<tbody><tr><th scope="row">2024</th><td>78,1</td></tr></tbody></table>
</main></body></html>
"""

# Everything the built-in renderer produces: TOC, numbered headings, table, figure, link, quote.
REPORT_MARKDOWN = """# Sammanfattning

Text med en [länk](https://www.regionorebrolan.se) och en not.[^1]

[^1]: Källa: SCB.

> **Observera:** uppgifterna är preliminära.

| Region | 2023 | 2024 |
|:-------|-----:|-----:|
| Örebro län | 77,9 | 78,1 |
| Riket | 79,0 | 79,2 |

: Sysselsättningsgrad, procent

![Sysselsättningsgraden 2015–2024](data:image/gif;base64,R0lGODlhAQABAAAAACw=)

## Delområde

Mer text.
"""


# Wide only when the page *loads* in a narrow window (a script reads the width once): caught only
# if every width gets a fresh load in a window of that width, not by resizing one loaded page.
# The rule at 400 px and below makes 390 px scroll too; 1280 px must not.
REFLOW_HTML = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Bred sida</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body { margin: 0 } @media (max-width: 400px) { .bred { width: 500px } }</style></head>
<body><main><h1>Bredd</h1><div class="bred">Text</div>
<script>
if (window.innerWidth < 350) {
  const wide = document.createElement('div');
  wide.style.width = '700px';
  wide.textContent = 'Bara vid smal start';
  document.querySelector('main').append(wide);
}
</script></main></body></html>
"""

# Two links and a scroll region Tab reaches, one link it cannot (tabindex=-1).
KEYBOARD_HTML = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Tangentbord</title></head>
<body><main><h1>Länkar</h1>
<p><a href="datafiler/a.csv">Ladda ner A</a></p>
<p><a href="datafiler/b.csv" tabindex="-1">Ladda ner B</a></p>
<div role="region" aria-label="Tabell" tabindex="0"><table><tr><th>År</th></tr></table></div>
<p><a href="https://www.scb.se/">SCB</a> <a href="#rubrik">Upp</a></p>
</main></body></html>
"""


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module's checks (each page still gets a fresh context)."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} saknas")
    with chromium() as shared:
        yield shared


def _blocking(violations):
    return {v.rule for v in violations if v.blocking}


@needs_chromium
def test_bad_html_fails(tmp_path, browser):
    html = tmp_path / "dalig.html"
    html.write_text(BAD_HTML, encoding="utf-8")
    found = {v.rule: v for v in axe_check(html, browser=browser)}
    assert {"html-has-lang", "image-alt", "color-contrast"} <= set(found)
    assert found["image-alt"].impact == "critical" and found["image-alt"].nodes == 1
    assert found["color-contrast"].help_url.startswith("https://dequeuniversity.com/rules/axe/")


@needs_chromium
def test_good_html_passes(tmp_path, browser):
    html = tmp_path / "bra.html"
    html.write_text(GOOD_HTML, encoding="utf-8")
    assert _blocking(axe_check(html, browser=browser)) == set()


@needs_chromium
def test_builtin_renderer_html_passes(tmp_path, browser):
    """The real template and stylesheet, not a hand-made page."""
    markdown = tmp_path / "bok.md"
    markdown.write_text(REPORT_MARKDOWN, encoding="utf-8")
    html = tmp_path / "rapport.html"
    render_html(markdown, html, TitlePage("Uppföljningsrapport", "RUS 2022–2030", "Region Örebro län", "2025"))
    violations = axe_check(html, browser=browser)
    assert _blocking(violations) == set(), [(v.rule, v.targets) for v in violations]


@needs_chromium
def test_screenshot_writes_png(tmp_path, browser):
    html = tmp_path / "bra.html"
    html.write_text(GOOD_HTML, encoding="utf-8")
    png = screenshot(html, tmp_path / "bild" / "sida.png", browser=browser)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@needs_chromium
def test_reflow_is_read_from_a_fresh_load_at_each_width(tmp_path, browser):
    html = tmp_path / "bred.html"
    html.write_text(REFLOW_HTML, encoding="utf-8")
    report = read_html(html, axe=False, browser=browser)
    assert set(report.widths) == {320, 390, 1280}
    assert report.widths[320][0] >= 700 and report.widths[320][1] == 320  # the load-time script ran
    assert report.widths[390] == (500, 390)  # the media query alone
    assert report.widths[1280] == (1280, 1280)
    assert report.problems() == ["Sidan rullar i sidled vid 320 px (scrollWidth "
                                 f"{report.widths[320][0]} > 320).",
                                 "Sidan rullar i sidled vid 390 px (scrollWidth 500 > 390)."]


@needs_chromium
def test_keyboard_walk_reports_a_link_tab_cannot_reach(tmp_path, browser):
    html = tmp_path / "tangentbord.html"
    html.write_text(KEYBOARD_HTML, encoding="utf-8")
    report = read_html(html, widths=(1280,), browser=browser)
    assert (report.stops, report.regions, report.reached) == (5, 1, 4)
    assert report.unreached == ["a datafiler/b.csv"]
    assert report.links == ["datafiler/a.csv", "datafiler/b.csv"]
    assert "Tangentbordet når inte: a datafiler/b.csv" in report.problems()
    assert report.axe == {1280: []}
    assert browser.contexts == []  # each width's context closed: the shared browser is left clean


@needs_chromium
def test_script_exit_status(tmp_path):
    bad = tmp_path / "dalig.html"
    bad.write_text(BAD_HTML, encoding="utf-8")
    run = subprocess.run([sys.executable, str(PROJECT / "scripts" / "tillganglighet.py"), str(bad)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "[kritisk] image-alt" in run.stdout and "allvarliga eller kritiska" in run.stdout


def test_missing_html_has_swedish_message(tmp_path):
    with pytest.raises(AccessibilityError, match="finns inte"):
        axe_check(tmp_path / "saknas.html")


def test_pdf_ua_facts(tmp_path):
    source = tmp_path / "liten.typ"
    source.write_text('#set document(title: [Uppföljningsrapport])\n#set text(lang: "sv")\n'
                      "= Sammanfattning\nText.\n#pagebreak()\nMer text.\n", encoding="utf-8")
    pdf = tmp_path / "liten.pdf"
    typst.compile(str(source), output=str(pdf), pdf_standards=["ua-1"])
    facts = pdf_accessibility_facts(pdf)
    assert (facts.tagged, facts.lang, facts.title, facts.pdfua_part, facts.pages) == (
        True, "sv", "Uppföljningsrapport", 1, 2)
    assert facts.problems() == []


def test_pdf_facts_find_shortfalls(tmp_path):
    source = tmp_path / "engelsk.typ"
    source.write_text("= Heading\nText.\n", encoding="utf-8")
    typst_pdf = tmp_path / "engelsk.pdf"
    typst.compile(str(source), output=str(typst_pdf))  # no PDF/UA, no title, default lang en
    facts = pdf_accessibility_facts(typst_pdf)
    assert (facts.lang, facts.title, facts.pdfua_part) == ("en", None, None)
    assert len(facts.problems()) == 3

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    blank = tmp_path / "otaggad.pdf"
    writer.write(blank)
    untagged = pdf_accessibility_facts(blank)
    assert not untagged.tagged
    assert any("inte taggad" in p for p in untagged.problems())


def test_unreadable_pdf_has_swedish_message(tmp_path):
    broken = tmp_path / "trasig.pdf"
    broken.write_bytes(b"inte en pdf")
    with pytest.raises(AccessibilityError, match="går inte att läsa som PDF"):
        pdf_accessibility_facts(broken)

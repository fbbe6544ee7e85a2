"""End to end: build real reports from the committed snapshot and read them back."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from rus_analysis.build.pipeline import build_report
from rus_analysis.cli.main import app
from rus_analysis.config.numbers import format_number
from rus_analysis.errors import BuildError
from support import E2E_YEAR, pdf_text

YEAR, CUTOFF = E2E_YEAR, E2E_YEAR - 1  # the session's shared build (tests/conftest.py)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def built(built_report):
    """The session's one shared build (tests/e2e/conftest.py)."""
    return built_report


def test_report_files_exist_per_year(built):
    root, result = built
    assert result.pdf == root / "_output" / str(YEAR) / f"uppfoljningsrapport-{YEAR}.pdf"
    assert result.pdf.stat().st_size > 10_000
    assert result.html.is_file()
    manifest = json.loads((result.output_dir / "manifest.json").read_text())
    assert manifest["year"] == YEAR and manifest["data_cutoff"] == CUTOFF
    assert {"pdf", "html"} <= set(manifest["timings_seconds"])
    # Inputs are recorded by checksum so a published report can be reproduced.
    from rus_analysis.checksums import sha256_file
    assert manifest["inputs"][f"params/{YEAR}.yml"] == sha256_file(root / "params" / f"{YEAR}.yml")
    assert "data/series/vaxthusgaser_totalt.csv" in manifest["inputs"]
    assert "rus_analysis/build/pipeline.py" in manifest["inputs"]


def test_series_before_the_cutoff_are_recorded_in_the_manifest(built):
    root, result = built
    manifest = json.loads((result.output_dir / "manifest.json").read_text())
    late = manifest["series_before_cutoff"]
    # RAMS ends 2021, BRP per sysselsatt has no data at all; the emissions reach 2023.
    assert late["forvarvsfrekvens_rams"] == 2021 and late["brp_per_sysselsatt"] is None
    assert "vaxthusgaser_totalt" not in late


def test_pdf_has_title_chapters_and_swedish_numbers(built):
    root, result = built
    text = pdf_text(result.pdf)
    assert "Uppföljning av den regionala utvecklingsstrategin" in " ".join(text.split())  # title wraps
    assert f"Uppföljningsrapport {YEAR}" in text
    assert "Innehåll" in text
    for heading in ["1 Sammanfattning", "Ökad inkludering", "Barn och unga", "Grön omställning"]:
        assert heading in text, heading
    assert re.search(r"\d Ökad inkludering", text), "chapters are numbered"
    # A real value from data/, written the Swedish way, must appear in the PDF.
    emissions = pd.read_csv(root / "data" / "series" / "vaxthusgaser_totalt.csv", dtype={"region_code": str})
    row = emissions[(emissions.region_code == "0018") & (emissions.year == CUTOFF) & (emissions.group == "totalt")]
    expected = format_number(row["value"].iloc[0], 0).replace("\u00a0", " ")
    assert " " in expected and expected in text
    employment = pd.read_csv(root / "data" / "series" / "sysselsattningsgrad_bas.csv", dtype={"region_code": str})
    value = employment[(employment.region_code == "0018") & (employment.year == CUTOFF)
                       & (employment.group == "totalt")]["value"].iloc[0]
    assert format_number(value, 1) in text and "," in format_number(value, 1)


def test_pdf_is_tagged_and_has_no_code(built):
    _, result = built
    reader = PdfReader(result.pdf)
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    text = pdf_text(result.pdf)
    for leaked in ["open_report", "report_year", "import ", "injected"]:
        assert leaked not in text


def test_html_is_self_contained_swedish(built):
    _, result = built
    html = result.html.read_text(encoding="utf-8")
    assert '<html xmlns="http://www.w3.org/1999/xhtml" lang="sv-SE"' in html or 'lang="sv-SE"' in html
    assert "Grön omställning" in html
    assert 'src="data:image/svg+xml;base64' in html  # figures embedded: works opened from disk
    assert "open_report" not in html


def test_unchanged_inputs_skip_and_other_year_untouched(built):
    root, result = built
    before = result.pdf.stat().st_mtime_ns
    again = build_report(root, YEAR, engine="inbyggd")
    assert again.skipped and result.pdf.stat().st_mtime_ns == before
    assert not (root / "_output" / "2023").exists()


def test_failed_build_keeps_previous_report(built, tmp_path):
    """A chapter that fails stops the build and the published report stays as it was. On a copy
    of the built project, so only the changed chapter runs (the others are unchanged, issue 15)."""
    import shutil

    source, built_result = built
    root = shutil.copytree(source, tmp_path / "kopia")
    pdf = root / built_result.pdf.relative_to(source)
    before = pdf.read_bytes()
    notebook = root / "notebooks" / "barn_och_unga.ipynb"
    original = notebook.read_text(encoding="utf-8")
    notebook.write_text(original.replace('report.show_goal(\\"barn_och_unga\\")', 'report.show_goal(\\"finns_inte\\")'),
                        encoding="utf-8")
    with pytest.raises(BuildError, match="barn_och_unga") as failure:
        build_report(root, YEAR, engine="inbyggd")
    assert "finns_inte" in str(failure.value)
    assert pdf.read_bytes() == before
    assert sorted(p.name for p in (root / "_output").iterdir()) == [str(YEAR)]
    # The failed chapter is not taken for a finished one: the next build runs it again.
    state = json.loads((root / "_build" / str(YEAR) / "kapitel.json").read_text(encoding="utf-8"))
    assert "notebooks/barn_och_unga.ipynb" not in state["chapters"]
    assert "notebooks/okad_inkludering.ipynb" in state["chapters"]


def test_cli_bad_year_exits_nonzero_in_swedish(built):
    root, result = built
    before = result.pdf.read_bytes()
    outcome = CliRunner().invoke(app, ["rapport", "--ar", "2031", "--projekt", str(root)])
    assert outcome.exit_code == 1
    assert "ingen parameterfil för år 2031" in outcome.output
    assert result.pdf.read_bytes() == before


def test_cli_bad_params_field(built):
    root, _ = built
    path = root / "params" / "2023.yml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("data_till_och_med: 2022", "data_till_och_med: tjugotjugotvå"), encoding="utf-8")
    try:
        outcome = CliRunner().invoke(app, ["rapport", "--ar", "2023", "--projekt", str(root)])
    finally:
        path.write_text(original, encoding="utf-8")
    assert outcome.exit_code == 1
    assert "2023.yml" in outcome.output and "data_till_och_med" in outcome.output
    assert not (root / "_output" / "2023").exists()


def test_unknown_engine(built):
    root, _ = built
    outcome = CliRunner().invoke(app, ["rapport", "--ar", "2024", "--motor", "latex", "--projekt", str(root)])
    assert outcome.exit_code == 1 and "Okänd motor" in outcome.output


# --- reading the built report back as a reader would (issue: the report a reader deserves) ----

def _words(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def test_every_catalogue_indicator_appears_in_pdf(built):
    from rus_analysis.config.catalogue import load_catalogue

    root, result = built
    catalogue = load_catalogue(root / "params" / "indikatorer.yml")
    text = _words(pdf_text(result.pdf))
    missing = [i.title for i in catalogue.indicators if _words(i.title) not in text]
    assert not missing, f"Indikatorer som inte syns i PDF:en: {missing}"


def test_indicators_without_data_say_so(built):
    from rus_analysis.config.catalogue import load_catalogue
    from rus_analysis.snapshot.store import series_path

    root, result = built
    catalogue = load_catalogue(root / "params" / "indikatorer.yml")
    text = _words(pdf_text(result.pdf))
    for indicator in catalogue.indicators:
        if not series_path(root / "data", indicator.id).is_file():
            assert _words(f"Data saknas: {indicator.title}") in text, indicator.id


def test_built_report_has_no_tool_words(built):
    """Read back the PDF and the HTML text: no commands, paths, file types, internal ids, column
    names, "ögonblicksbild", repository hosting or transcription notes."""
    from html.parser import HTMLParser

    from reader_text import catalogue_ids, tool_words

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("script", "style")
            self.parts += [value for name, value in attrs if name == "alt" and value]

        def handle_endtag(self, tag):
            self.skip -= tag in ("script", "style")

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    root, result = built
    ids = catalogue_ids(root)
    assert tool_words(_words(pdf_text(result.pdf)), ids) == []
    parser = Text()
    parser.feed(result.html.read_text(encoding="utf-8"))
    assert tool_words(_words(" ".join(parser.parts)), ids) == []


def test_built_report_has_no_repeated_words_in_captions_and_sources(built):
    from reader_text import repeated

    _, result = built
    lines = [line for line in pdf_text(result.pdf).splitlines()
             if line.startswith(("Tabell", "Figur", "Källa:"))]
    assert len(lines) > 20
    assert [line for line in lines if repeated(line)] == []


def test_first_pages_carry_the_message(built):
    """The summary opens the report: läget, the målsatta without statistics, the findings,
    the changes since last year and the largest gaps, before any indicator section."""
    _, result = built
    text = _words(pdf_text(result.pdf))
    summary = text[text.index("Läget i korthet"):text.index("Så läses bedömningen")]
    for part in ("Rapporten följer", "Kraftsamling", "De viktigaste iakttagelserna",
                 "Sedan förra årets rapport", "De största skillnaderna"):
        assert part in summary, part


def test_no_chart_without_alt_text(built):
    _, result = built
    html = result.html.read_text(encoding="utf-8")
    images = re.findall(r"<img\b[^>]*>", html)
    assert len(images) >= 10
    for tag in images:
        alt = re.search(r'\balt="([^"]*)"', tag)
        assert alt and len(alt.group(1)) > 20, tag[:200]


def test_pdf_is_pdf_ua_tagged_swedish_with_sane_page_count(built):
    from rus_analysis.build.accessibility_check import pdf_accessibility_facts

    _, result = built
    facts = pdf_accessibility_facts(result.pdf)
    assert facts.problems() == []
    assert 20 <= facts.pages <= 150


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(),
                    reason="Chromium saknas (CI installerar Debian-paketet chromium)")
@pytest.mark.langsam  # test_html_reader runs axe on the same HTML at every width in the 60-second suite
def test_html_has_no_serious_axe_violations(built):
    from rus_analysis.build.accessibility_check import axe_check

    _, result = built
    blocking = [v for v in axe_check(result.html) if v.blocking]
    assert not blocking, [(v.rule, v.impact, v.targets[:3]) for v in blocking]


def test_invalid_snapshot_stops_build_before_any_work(built, no_kernels):
    root, result = built
    before = result.pdf.read_bytes()
    path = root / "data" / "series" / "sysselsattningsgrad_bas.csv"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace(",80.6,procent,", ",180.6,procent,", 1), encoding="utf-8")
    try:
        outcome = CliRunner().invoke(app, ["rapport", "--ar", "2024", "--tvinga", "--projekt", str(root)])
    finally:
        path.write_text(original, encoding="utf-8")
    assert ",80.6,procent," in original
    assert outcome.exit_code == 1 and "sysselsattningsgrad_bas" in outcome.output
    assert result.pdf.read_bytes() == before


def test_every_print_figure_has_its_phone_drawing(built):
    """F17: no chart loses its phone drawing, and the HTML shows, for each one, the phone drawing
    on narrow screens and the print drawing elsewhere (issue 16: the print drawing is SVG)."""
    from rus_analysis.build.chapter_check import figures_without_web_drawings

    root, result = built
    build_dir = root / "_build" / str(YEAR)
    prints = [p for p in build_dir.rglob("figurer/*.svg") if p.name.count(".") == 1]
    assert len(prints) >= 10
    assert not list(build_dir.rglob("figurer/*.png"))
    assert figures_without_web_drawings(build_dir) == []
    html = result.html.read_text(encoding="utf-8")
    assert html.count('class="diagram diagram-telefon"') == html.count('class="diagram diagram-skarm"') >= len(prints)


@pytest.mark.langsam
def test_a_forced_rebuild_from_the_figure_cache_gives_the_same_html(built):
    """F17: the second build (charts copied from the figure cache) equals the first, byte for byte."""
    root, result = built
    first = result.html.read_bytes()
    lines: list[str] = []
    again = build_report(root, YEAR, engine="inbyggd", force=True, log=lines.append)
    assert again.html.read_bytes() == first
    assert not any("telefonversion" in line for line in lines)

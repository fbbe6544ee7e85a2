"""Paths and helpers shared by the test layers (one definition, imported by every layer)."""

from __future__ import annotations

import os
from pathlib import Path

from rus_analysis.config.project import BUILD_INPUTS as PROJECT_FILES  # noqa: F401  (one list, in config)
from rus_analysis.config.project import copy_project  # noqa: F401  (the tests' throwaway projects)

PROJECT = Path(__file__).resolve().parents[1]
# The year of the session's one shared real build (tests/conftest.py: built_report); 2025 is also
# the year of the back tests' chapter facit, which reads the same build.
E2E_YEAR = 2025
FIXTURES = PROJECT / "tests" / "fixtures"
# CI clones the project with ../shared beside it; the raw sources are read, never committed.
SHARED = PROJECT.parent / "shared"
SHARED_SOURCES = SHARED / "sources"
CASES = SHARED / "cases"
# The unit tests' own thresholds: a frozen copy, so editing params/bedomning.yml fails only back tests.
UNIT_THRESHOLDS = FIXTURES / "params" / "bedomning.yml"


def unit_thresholds():
    """The thresholds every unit and functional test uses (tests/fixtures/params/bedomning.yml)."""
    from rus_analysis.config.thresholds import load_thresholds

    return load_thresholds(UNIT_THRESHOLDS)


def provenance(indicator: str, **fields):
    """A minimal valid provenance record (schema version 2) for test series written with
    ``store.write_series``; that helper fills in the CSV's checksum."""
    from rus_analysis.ingest.provenance import SeriesProvenance

    base = dict(indicator=indicator, title=indicator, agency="testbyrå", table="testtabell", release="test",
                retrieved="2025-01-01", licence="test", generator="tests")
    return SeriesProvenance(**{**base, **fields})


def copy_data_project(target: Path) -> Path:
    """A small project for data commands: ``_quarto.yml`` (the project marker), ``data/`` and ``params/``."""
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(PROJECT / "_quarto.yml", target / "_quarto.yml")
    for name in ("data", "params"):
        shutil.copytree(PROJECT / name, target / name)
    return target


SMALL_CHAPTER_INDICATOR = "forvarvsfrekvens_rams"  # one figure, no breakdowns: the cheapest to draw


def one_small_chapter(project: Path) -> Path:
    """``project`` (a copy) made to build 2025 quickly with the same kinds of steps as the full
    report: one kraftsamling (Ökad inkludering: sammanfattning, its chapter, metod, källor, PDF,
    HTML, downloads) whose chapter notebook shows one indicator. The catalogue moves the chapter's
    other indicators to a kraftsamling the year leaves out, so the build's check that a chapter
    shows all of its indicators still holds. Returns ``project``."""
    import json
    import re

    params = project / "params" / "2025.yml"
    text = params.read_text(encoding="utf-8")
    text = re.sub(r"kraftsamlingar:[^\n]*\n(  - \w+\n)+", "kraftsamlingar:\n  - okad_inkludering\n", text)
    params.write_text(text, encoding="utf-8")
    notebook_file = project / "notebooks" / "okad_inkludering.ipynb"
    notebook = json.loads(notebook_file.read_text(encoding="utf-8"))
    shown = [re.search(r'show_indicator\("(\w+)"\)', "".join(cell["source"])) for cell in notebook["cells"]]
    moved = [match.group(1) for match in shown if match and match.group(1) != SMALL_CHAPTER_INDICATOR]
    assert len(moved) >= 2 and SMALL_CHAPTER_INDICATOR not in moved, moved
    notebook["cells"] = [cell for cell, match in zip(notebook["cells"], shown, strict=True)
                         if not match or match.group(1) == SMALL_CHAPTER_INDICATOR]
    notebook_file.write_text(json.dumps(notebook, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    catalogue = project / "params" / "indikatorer.yml"
    blocks = re.split(r"(?m)^(?=  - id: )", catalogue.read_text(encoding="utf-8"))
    for number, block in enumerate(blocks):
        indicator = re.match(r"  - id: (\w+)\n", block)
        if indicator and indicator.group(1) in moved:
            assert "    kraftsamling: okad_inkludering\n" in block, block
            blocks[number] = block.replace("    kraftsamling: okad_inkludering\n", "    kraftsamling: barn_och_unga\n")
    catalogue.write_text("".join(blocks), encoding="utf-8")
    return project


_pdf_pages: dict = {}


def pdf_pages(path: Path) -> list[str]:
    r"""Each page's text of a PDF, read once per file version for the whole process: many
    read-back tests (PDF text, captions, Quarto parity) look at the same report.

    PDFium (pypdfium2) extracts the text, in a tenth of pypdf's time on the 50-page report, and it
    is given pypdf's shape, which the tests were written against: lines end in ``\n`` (PDFium:
    ``\r\n``) and a word hyphenated at a line end keeps its hyphen and the line break (PDFium marks
    the place with ``\x02``). What differs from pypdf then is only whitespace within a line
    (a caption's ``Figur 2.1:`` is followed by one space, not two) and the table of contents' dot
    leaders (``. . .``, not ``...``)."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _pdf_pages:
        import pypdfium2

        document = pypdfium2.PdfDocument(path)
        try:
            pages = []
            for page in document:
                text = page.get_textpage()
                pages.append(text.get_text_bounded().replace("\r\n", "\n").replace("\r", "\n")
                             .replace("\x02", "-\n"))
                text.close()
                page.close()
        finally:
            document.close()
        _pdf_pages[key] = pages
    return _pdf_pages[key]


def pdf_text(path: Path) -> str:
    """The text of a PDF (page by page, no-break spaces as spaces), read once per file version
    (``pdf_pages``)."""
    return "\n".join(pdf_pages(path)).replace("\u00a0", " ")


QUICK_ENV = "RUS_SNABB_TESTSVIT"  # set by tests/conftest.py when the run leaves out `langsam` tests


def examples(full: int) -> int:
    """Hypothesis examples for a property test: ``full`` in the full suite (``python3 bygg.py
    test``), a tenth (at least 10) in the 60-second suite (``-m "not langsam"``)."""
    return max(10, full // 10) if os.environ.get(QUICK_ENV) else full

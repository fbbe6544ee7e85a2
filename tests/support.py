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

"""Paths and helpers shared by the test layers (one definition, imported by every layer)."""

from __future__ import annotations

import shutil
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
FIXTURES = PROJECT / "tests" / "fixtures"
# CI clones the project with ../shared beside it; the raw sources are read, never committed.
SHARED = PROJECT.parent / "shared"
SHARED_SOURCES = SHARED / "sources"
CASES = SHARED / "cases"
PROJECT_FILES = ["_quarto.yml", "_extensions", "index.qmd", "notebooks", "params", "data",
                 "kommentarer"]
# The unit tests' own thresholds: a frozen copy, so editing params/bedomning.yml fails only back tests.
UNIT_THRESHOLDS = FIXTURES / "params" / "bedomning.yml"


def unit_thresholds():
    """The thresholds every unit and functional test uses (tests/fixtures/params/bedomning.yml)."""
    from rus_analysis.config.thresholds import load_thresholds

    return load_thresholds(UNIT_THRESHOLDS)


def copy_project(source: Path, target: Path) -> Path:
    """Copy the files a report build reads into ``target`` (a throwaway project)."""
    for name in PROJECT_FILES:
        src = source / name
        if not src.exists():  # kommentarer/ is optional
            continue
        if src.is_dir():
            shutil.copytree(src, target / name, ignore=shutil.ignore_patterns("figurer", "datafiler", ".ipynb_checkpoints"))
        else:
            shutil.copy2(src, target / name)
    return target


def provenance(indicator: str, **fields):
    """A minimal valid provenance record (schema version 2) for test series written with
    ``store.write_series``; that helper fills in the CSV's checksum."""
    from rus_analysis.ingest.provenance import SeriesProvenance

    base = dict(indicator=indicator, title=indicator, agency="testbyrå", table="testtabell", release="test",
                retrieved="2025-01-01", licence="test", generator="tests")
    return SeriesProvenance(**{**base, **fields})

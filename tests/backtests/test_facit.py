"""Back tests: the verdicts and the report text compared exactly with the committed facit.

The facit (tests/backtests/facit/, see its README) holds the full status table for 2023–2025 and
each chapter's Markdown for 2025, written by scripts/uppdatera_facit.py. These tests read the
project's own data/ and params/ (including params/bedomning.yml), so a changed threshold, importer,
catalogue entry or sentence shows here as a diff, and only here among the tests that use them.
"""

from __future__ import annotations

import difflib

import pytest

from support import PROJECT

FACIT = PROJECT / "tests" / "backtests" / "facit"
HOW_TO_UPDATE = ("Är ändringen avsiktlig? Kör .venv/bin/python scripts/uppdatera_facit.py och checka in "
                 "tests/backtests/facit/ med ändringen, så att granskaren ser skillnaden.")


def assert_same(expected: str, actual: str, name: str, lines: int = 40) -> None:
    if expected == actual:
        return
    diff = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(), f"facit/{name}", "nu",
                                     lineterm="", n=1))
    shown = "\n".join(diff[:lines]) + (f"\n… ({len(diff) - lines} rader till)" if len(diff) > lines else "")
    pytest.fail(f"{name} skiljer sig från facit:\n{shown}\n{HOW_TO_UPDATE}", pytrace=False)


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_status_table_equals_facit(facit_script, year):
    name = f"status_{year}.csv"
    assert year in facit_script.STATUS_YEARS
    assert_same((FACIT / name).read_text(encoding="utf-8"), facit_script.status_csv(PROJECT, year), name)


@pytest.fixture(scope="module")
def chapters(facit_script, built_report, tmp_path_factory):
    """The chapters of the session's one shared build (tests/conftest.py), read as the facit script reads them."""
    root, result = built_report
    assert result.year == facit_script.CHAPTER_YEAR, "the shared build must be the facit's chapter year"
    return facit_script.built_chapter_markdown(root, result.year, result.output_dir, tmp_path_factory.mktemp("facit"))


def test_every_chapter_has_a_facit(facit_script, chapters):
    committed = sorted(p.name for p in (FACIT / f"kapitel_{facit_script.CHAPTER_YEAR}").glob("*.md"))
    assert sorted(chapters) == committed, HOW_TO_UPDATE


def test_chapter_markdown_equals_facit(facit_script, chapters):
    folder = FACIT / f"kapitel_{facit_script.CHAPTER_YEAR}"
    for name, text in sorted(chapters.items()):
        assert_same((folder / name).read_text(encoding="utf-8"), text, f"kapitel_{facit_script.CHAPTER_YEAR}/{name}")


def test_normalise_hides_build_paths(facit_script, tmp_path):
    build = tmp_path / "projekt" / "_build" / "2025"
    text = f"![x]({build.as_posix()}/notebooks/figurer/a.svg) i {tmp_path / 'projekt'}"
    assert facit_script.normalise(text, {build: "<bygg>", tmp_path / "projekt": "<projekt>"}) == \
        "![x](<bygg>/notebooks/figurer/a.svg) i <projekt>"

"""Every text the real report generates, read as a reader would: no tool words, no repeated
phrases in captions, titles and source lines, no table column that is all dashes."""

from __future__ import annotations

import re

import nbformat
import pytest
from reader_text import catalogue_ids, repeated, tool_words

from rus_analysis.build.render.book import read_book
from rus_analysis.report.markup import unescape
from support import PROJECT


@pytest.fixture(scope="module")
def outputs(built_report):
    """All Markdown the 2025 report shows, chapter by chapter: the displayed outputs of the session
    build's executed notebooks (tests/conftest.py), the same calls on the committed project."""
    root, result = built_report
    assert result.year == 2025
    book = read_book(root / "_quarto.yml")
    shown: list[str] = []
    for chapter in book.chapters:
        executed = root / "_build" / str(result.year) / chapter.path
        if executed.suffix != ".ipynb":
            continue
        for cell in nbformat.read(executed, as_version=4).cells:
            shown += [output["data"]["text/markdown"] for output in cell.get("outputs", [])
                      if "text/markdown" in output.get("data", {})]
    assert len(shown) > 100
    return shown


def reader_text(markdown: str) -> str:
    """What a reader sees of a Markdown output: figure paths and attribute blocks removed, the
    alt text kept."""
    alts = " ".join(re.findall(r'fig-alt="([^"]*)"', markdown))
    text = re.sub(r"\]\([^)]*\)", "]", markdown)
    text = re.sub(r"\{[#.][^}]*\}", "", text)
    return unescape(text + "\n" + alts)


def test_no_tool_words_anywhere(outputs):
    ids = catalogue_ids(PROJECT)
    found = {word for markdown in outputs for word in tool_words(reader_text(markdown), ids)}
    assert found == set()


def captions_titles_and_sources(markdown: str) -> list[str]:
    lines = []
    for line in markdown.splitlines():
        if line.startswith((": ", "#")):
            lines.append(line)
        lines += re.findall(r"!\[([^\]]*)\]", line)
        lines += re.findall(r"Källa: [^.]*\.", line)
    return lines


def test_no_repeated_words_in_captions_titles_and_sources(outputs):
    lines = [line for markdown in outputs for line in captions_titles_and_sources(reader_text(markdown))]
    assert len(lines) > 100
    assert [line for line in lines if repeated(line)] == []


def test_no_table_column_is_all_dashes(outputs):
    for markdown in outputs:
        rows = [line for line in markdown.splitlines() if line.startswith("|")]
        body = [r for r in rows[2:]]
        if not body:
            continue
        cells = [[c.strip() for c in r.strip("|").split(" | ")] for r in body]
        for column in range(len(cells[0])):
            assert not all(row[column] == "–" for row in cells), rows[0]


def test_data_saknas_says_who_publishes_in_reader_words(outputs):
    boxes = [m for m in outputs if m.startswith("::: {.callout-warning") and "Data saknas" in m]
    assert boxes
    for box in map(unescape, boxes):
        assert "Källa:" in box and "rus " not in box and "`" not in box

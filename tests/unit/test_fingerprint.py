"""What a report year and each chapter depend on (rus_analysis.build.fingerprint)."""

from __future__ import annotations

import json
import os
import time

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from rus_analysis.build import fingerprint as fp


def notebook(path, *sources):
    cells = [new_code_cell('report_year = 2025\nparams_dir = "../params"\ndata_dir = "../data"',
                           metadata={"tags": ["parameters"]}),
             new_code_cell("from rus_analysis.report.chapter import open_report\n\n"
                           "report = open_report(report_year, params_dir, data_dir)"),
             new_markdown_cell("# Rubrik"),
             *[new_code_cell(s) for s in sources]]
    nbformat.write(new_notebook(cells=cells), path)
    return path


def test_scope_of_a_kraftsamling_chapter(tmp_path):
    path = notebook(tmp_path / "k.ipynb", 'report.show_goal("k")', "report.show_indicator('a')",
                    'report.show_indicators("k2")', '# en kommentar\nreport.show_analysis("a")')
    assert fp.notebook_scope(path) == {"k", "a", "k2"}


def test_the_method_chapter_shows_no_data(tmp_path):
    assert fp.notebook_scope(notebook(tmp_path / "m.ipynb", "report.show_method()")) == set()


def test_anything_else_depends_on_everything(tmp_path):
    assert fp.notebook_scope(notebook(tmp_path / "s.ipynb", "report.show_summary()")) is None
    assert fp.notebook_scope(notebook(tmp_path / "x.ipynb", 'report.show_indicator("a")', "x = 1")) is None
    assert fp.notebook_scope(notebook(tmp_path / "v.ipynb", "report.show_indicator(namn)")) is None
    (tmp_path / "trasig.ipynb").write_text("{", encoding="utf-8")
    assert fp.notebook_scope(tmp_path / "trasig.ipynb") is None


def project(tmp_path):
    for name, text in {"params/indikatorer.yml": "k", "params/bedomning.yml": "b", "params/2024.yml": "24",
                       "params/2025.yml": "25", "params/2026.yml": "26", "_quarto.yml": "q",
                       "notebooks/k.ipynb": "{}", "notebooks/s.ipynb": "{}",
                       "data/series/a.csv": "a", "data/series/a.provenance.yml": "pa", "data/series/b.csv": "b",
                       "data/README.md": "r", "kommentarer/2025/a.md": "ka", "kommentarer/2025/b.md": "kb",
                       "kommentarer/2026/a.md": "next"}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_a_year_reads_its_own_params_and_commentary_only(tmp_path):
    from pathlib import Path

    import rus_analysis

    names = set(fp.year_input_files(project(tmp_path), 2025, Path(rus_analysis.__spec__.origin).parent))
    assert {"params/2025.yml", "params/2024.yml", "kommentarer/2025/a.md", "data/series/a.csv",
            "data/series/a.provenance.yml", "notebooks/k.ipynb", "rus_analysis/build/pipeline.py"} <= names
    assert "params/2026.yml" not in names and "kommentarer/2026/a.md" not in names
    assert "data/README.md" not in names


def test_a_chapter_changes_only_with_its_own_inputs(tmp_path):
    root = project(tmp_path)
    members = {"k": ["a"]}

    def fingerprints() -> dict[str, str]:
        sums = fp.checksums(fp.year_input_files(root, 2025), fp.HashCache(None))
        return {"k": fp.chapter_fingerprint("notebooks/k.ipynb", {"k"}, sums, members, 2025, {"report_year": 2025}),
                "s": fp.chapter_fingerprint("notebooks/s.ipynb", None, sums, members, 2025, {"report_year": 2025})}

    before = fingerprints()
    (root / "data" / "series" / "b.csv").write_text("b2", encoding="utf-8")  # not the kraftsamling's
    after_b = fingerprints()
    assert after_b["k"] == before["k"] and after_b["s"] != before["s"]
    (root / "kommentarer" / "2025" / "a.md").write_text("ny", encoding="utf-8")
    after_comment = fingerprints()
    assert after_comment["k"] != after_b["k"]
    (root / "notebooks" / "s.ipynb").write_text('{"cells": []}', encoding="utf-8")  # another notebook
    assert fingerprints()["k"] == after_comment["k"]
    (root / "params" / "bedomning.yml").write_text("b2", encoding="utf-8")
    assert fingerprints()["k"] != after_comment["k"]


def test_hash_cache_trusts_size_and_time_and_sees_changes(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("ett", encoding="utf-8")
    old = time.time() - 60
    os.utime(path, (old, old))
    cache = fp.HashCache(tmp_path / "cache.json")
    first = cache.sha256(path)
    cache.save()
    stored = json.loads((tmp_path / "cache.json").read_text(encoding="utf-8"))
    assert stored["files"][str(path)][2] == first
    path.write_text("två", encoding="utf-8")  # new size and time
    assert fp.HashCache(tmp_path / "cache.json").sha256(path) != first


def test_a_just_written_file_is_not_remembered(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("ett", encoding="utf-8")
    cache = fp.HashCache(tmp_path / "cache.json")
    cache.sha256(path)
    cache.save()
    assert not (tmp_path / "cache.json").exists()


def test_a_broken_cache_file_is_an_empty_cache(tmp_path):
    (tmp_path / "cache.json").write_text("inte json", encoding="utf-8")
    path = tmp_path / "a.csv"
    path.write_text("ett", encoding="utf-8")
    assert fp.HashCache(tmp_path / "cache.json").sha256(path) == fp._sha256(path)


# --- the order of a cold build's chapters (issue 16: longest first without earlier timings) ---------

def test_expected_seconds_grow_with_the_indicators_a_chapter_draws(tmp_path):
    from rus_analysis.build.pipeline import SECONDS_PER_CALL, SECONDS_PER_CELL, expected_seconds

    two = notebook(tmp_path / "two.ipynb", 'report.show_indicator("a")', 'report.show_indicator("b")')
    one = notebook(tmp_path / "one.ipynb", 'report.show_indicator("a")')
    method = notebook(tmp_path / "metod.ipynb", "report.show_method()")
    assert expected_seconds(two) > expected_seconds(one) > expected_seconds(method) > 0
    # parameters cell, open_report cell and the two indicators
    assert expected_seconds(two) == 2 * SECONDS_PER_CALL["show_indicator("] + 4 * SECONDS_PER_CELL
    broken = tmp_path / "trasig.ipynb"
    broken.write_text("{inte json", encoding="utf-8")
    assert expected_seconds(broken) == 0.0
    assert expected_seconds(tmp_path / "saknas.ipynb") == 0.0


def test_the_project_chapters_are_expected_longest_first_as_measured():
    """The measured order of 2025 (docs/PRESTANDA.md): grön omställning, barn och unga, ökad
    inkludering, then the summary; the appendices last."""
    from pathlib import Path

    from rus_analysis.build.pipeline import expected_seconds

    notebooks = Path(__file__).resolve().parents[2] / "notebooks"
    seconds = {name: expected_seconds(notebooks / f"{name}.ipynb")
               for name in ("gron_omstallning", "barn_och_unga", "okad_inkludering", "sammanfattning",
                            "metod", "kallor")}
    assert sorted(seconds, key=seconds.get, reverse=True)[:4] == [
        "gron_omstallning", "barn_och_unga", "okad_inkludering", "sammanfattning"]


def test_a_build_without_web_drawings_is_another_build(monkeypatch):
    """A report built with RUS_WEB_VARIANTS=0 has no phone drawings: a normal build after it must
    not count it as up to date."""
    monkeypatch.delenv("RUS_WEB_VARIANTS", raising=False)
    normal = fp.year_fingerprint({"data/a.csv": "1"}, "inbyggd")
    monkeypatch.setenv("RUS_WEB_VARIANTS", "0")
    assert fp.web_drawings() is False
    assert fp.year_fingerprint({"data/a.csv": "1"}, "inbyggd") != normal

"""Incremental builds (issue 15 item 4) on copies of the session's built project.

A year's fingerprint covers only its own inputs, and a chapter re-executes only when its
notebook, its indicators' data, its params, its commentary or the package changed."""

from __future__ import annotations

import json
import shutil

import pytest

from rus_analysis.build.pipeline import build_report
from support import E2E_YEAR as YEAR

pytestmark = pytest.mark.e2e


@pytest.fixture
def copy(built_report, tmp_path):
    source, _ = built_report
    return shutil.copytree(source, tmp_path / "kopia")


def executed(result) -> set[str]:
    return {stage.removeprefix("notebook ") for stage in result.timings if stage.startswith("notebook ")}


def test_a_new_years_params_leave_this_year_a_no_op(copy):
    text = (copy / "params" / f"{YEAR}.yml").read_text(encoding="utf-8")
    (copy / "params" / f"{YEAR + 1}.yml").write_text(
        text.replace(f"rapportar: {YEAR}", f"rapportar: {YEAR + 1}")
            .replace(f"data_till_och_med: {YEAR - 1}", f"data_till_och_med: {YEAR}"), encoding="utf-8")
    (copy / "kommentarer" / str(YEAR + 1)).mkdir(parents=True)
    (copy / "kommentarer" / str(YEAR + 1) / "barn_och_unga.md").write_text("Nästa års ord.\n", encoding="utf-8")
    assert build_report(copy, YEAR, engine="inbyggd").skipped


def test_a_copied_project_keeps_its_report(copy):
    """Nothing in a built project depends on where it lies: a copy is up to date."""
    assert build_report(copy, YEAR, engine="inbyggd").skipped


@pytest.mark.langsam  # a second real build (three chapters, PDF and HTML): in the full suite
def test_one_changed_series_re_executes_only_the_chapters_that_show_it(copy):
    from rus_analysis.snapshot.store import read_provenance, read_series, write_series

    data = copy / "data"
    frame = read_series(data, "sysselsattningsgrad_bas")  # a series of Ökad inkludering
    shown = frame["year"] == YEAR - 1  # the report's last data year
    assert shown.any()
    frame.loc[shown, "value"] = frame.loc[shown, "value"] + 1.0
    record = read_provenance(data, "sysselsattningsgrad_bas").model_copy(update={"series": None})
    write_series(data, "sysselsattningsgrad_bas", frame, record)

    result = build_report(copy, YEAR, engine="inbyggd")
    # Its own chapter, and the chapters that show every indicator (the summary, Bilaga B).
    assert executed(result) == {"okad_inkludering", "sammanfattning", "kallor"}
    manifest = json.loads((result.output_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["chapters_reused"] == 3 and manifest["report"] == "ändrad"
    # Rendered again (the report shows the new value), and then up to date.
    assert build_report(copy, YEAR, engine="inbyggd").skipped

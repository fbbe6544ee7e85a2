"""rus nytt-ar and rus data kontroll --ar on a copy of the real project: a new year in one command."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from rus_analysis.cli.main import app
from support import copy_data_project

runner = CliRunner()


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.delenv("RUS_PROJEKT", raising=False)
    return copy_data_project(tmp_path / "projekt")


def latest_lan_year(project, indicator: str) -> int:
    frame = pd.read_csv(project / "data" / "series" / f"{indicator}.csv", dtype={"region_code": str})
    return int(frame[(frame["region_code"] == "0018") & frame["value"].notna()]["year"].max())


def test_nytt_ar_writes_next_year_and_lists_what_to_update(project):
    before = (project / "params" / "2025.yml").read_text(encoding="utf-8")
    result = runner.invoke(app, ["nytt-ar", "2026", "--projekt", str(project)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["Skapade params/2026.yml från params/2025.yml:",
                         "rapportar 2026, data_till_och_med 2025, allt annat som förut."]
    assert (project / "params" / "2026.yml").read_text(encoding="utf-8") == before.replace(
        "rapporten 2025", "rapporten 2026").replace("rapportar: 2025", "rapportar: 2026").replace(
        "data_till_och_med: 2024", "data_till_och_med: 2025").replace(
        "# publiceringsdatum: 2025-", "# publiceringsdatum: 2026-")
    # RAMS has no query: fetched by hand and imported. BAS is fetched from Kolada and SCB.
    rams = lines.index(f"  - forvarvsfrekvens_rams: t.o.m. {latest_lan_year(project, 'forvarvsfrekvens_rams')}")
    assert lines[rams + 2] == "      rus data importera FIL --indikator forvarvsfrekvens_rams"
    bas = lines.index(f"  - sysselsattningsgrad_bas: t.o.m. {latest_lan_year(project, 'sysselsattningsgrad_bas')}")
    assert lines[bas + 1:bas + 3] == ["      Hämtas från Kolada och SCB:",
                                      "      rus data uppdatera --indikator sysselsattningsgrad_bas"]
    assert lines[-1] == "Kontrollera sedan: rus data kontroll --ar 2026"
    assert max(len(line) for line in lines) <= 80


def test_nytt_ar_refuses_an_existing_or_earlier_year_and_writes_nothing(project):
    before = sorted(p.name for p in (project / "params").iterdir())
    for year, words in (("2025", "2025.yml finns redan"), ("2022", "kommer inte efter det senaste rapportåret")):
        result = runner.invoke(app, ["nytt-ar", year, "--projekt", str(project)])
        assert result.exit_code != 0
        assert words in " ".join(result.output.split())
        assert "Traceback" not in result.output
    assert sorted(p.name for p in (project / "params").iterdir()) == before


def test_kontroll_names_series_that_stop_before_the_years_cutoff(project):
    assert runner.invoke(app, ["nytt-ar", "2026", "--projekt", str(project)]).exit_code == 0
    result = runner.invoke(app, ["data", "kontroll", "--ar", "2026", "--projekt", str(project)])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "serier i rapporten 2026 slutar före 2025 (data_till_och_med):" in text
    # With --ar: what to update, per series (what the build's warning points to).
    rams = f"  - forvarvsfrekvens_rams: t.o.m. {latest_lan_year(project, 'forvarvsfrekvens_rams')}"
    lines = text.splitlines()
    assert lines[lines.index(rams) + 2] == "      rus data importera FIL --indikator forvarvsfrekvens_rams"
    # Without --ar: the newest year, now 2026, grouped by latest year.
    plain = runner.invoke(app, ["data", "kontroll", "--projekt", str(project)]).output
    assert "rapporten 2026 slutar före 2025" in plain
    assert "  utan data (3): nystartade_foretag_per_1000, brp_per_sysselsatt," in plain
    assert rams not in plain
    older = runner.invoke(app, ["data", "kontroll", "--ar", "2025", "--projekt", str(project)]).output
    assert "rapporten 2025 slutar före 2024" in older
    assert "Når 2024 (" in older and "  - vaxthusgaser_totalt:" not in older  # it reaches 2024


def test_the_build_warns_before_any_work_when_series_stop_before_the_cutoff(tmp_path, monkeypatch, no_kernels):
    from rus_analysis.build import pipeline
    from support import PROJECT, copy_project

    root = copy_project(PROJECT, tmp_path / "bygge")
    assert runner.invoke(app, ["nytt-ar", "2026", "--projekt", str(root)]).exit_code == 0

    class Stop(Exception):
        pass

    def stop(*args, **kwargs):
        raise Stop  # right after the checks, before the lock and any notebook

    monkeypatch.setattr(pipeline, "BuildLock", stop)
    lines: list[str] = []
    with pytest.raises(Stop):
        pipeline.build_report(root, 2026, engine="inbyggd", log=lines.append)
    head = " ".join(lines[:2])
    assert head.startswith("Obs: ") and head.endswith(
        ' serier i rapporten 2026 slutar före 2025, fast titelsidan säger "Statistik till och med 2025":')
    assert any(line.startswith("  utan data (3): nystartade_foretag_per_1000") for line in lines)
    assert lines[-1] == "Vad som behöver uppdateras: rus data kontroll --ar 2026"
    assert max(len(line) for line in lines) <= 80


def test_a_second_build_is_refused_before_any_data_warning(tmp_path):
    """F16: while another build of the year runs, the refusal is the first thing said."""
    from rus_analysis.build import pipeline
    from rus_analysis.build.locking import BuildLock, BuildLocked
    from support import PROJECT, copy_project

    root = copy_project(PROJECT, tmp_path / "bygge")
    assert runner.invoke(app, ["nytt-ar", "2026", "--projekt", str(root)]).exit_code == 0
    lines: list[str] = []
    with BuildLock(root, 2026), pytest.raises(BuildLocked, match="byggs redan"):
        pipeline.build_report(root, 2026, engine="inbyggd", force=True, log=lines.append)
    assert lines == []

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import responses
from typer.testing import CliRunner

from rus_analysis.cli.data import data_app
from rus_analysis.snapshot.store import DTYPES, write_series
from support import FIXTURES

KRE_CSV = FIXTURES / "manual" / "scb_export_kre_energi.csv"
PAGE1 = json.loads((FIXTURES / "api" / "kolada_v3_N02904_page1.json").read_text(encoding="utf-8"))
PAGE2 = json.loads((FIXTURES / "api" / "kolada_v3_N02904_page2.json").read_text(encoding="utf-8"))
KOLADA_URL = "https://api.kolada.se/v3/data/kpi/N02904/municipality/0000,0018/year/2017,2018,2019"

runner = CliRunner()


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with the test catalogue; commands run inside it (so .cache/ lands there)."""
    (tmp_path / "params").mkdir()
    shutil.copy(FIXTURES / "catalogue" / "indikatorer.yml", tmp_path / "params" / "indikatorer.yml")
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\n", encoding="utf-8")
    (tmp_path / "data" / "series").mkdir(parents=True)  # an empty snapshot (a missing one is an error)
    monkeypatch.delenv("RUS_PROJEKT", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path.resolve()


def run(*args: str):
    return runner.invoke(data_app, list(args))


def _without_retired_queries(project: Path) -> None:
    """The test catalogue asks for N02904 (its API fixtures are N02904 answers); drop that query."""
    import yaml

    path = project / "params" / "indikatorer.yml"
    catalogue = yaml.safe_load(path.read_text(encoding="utf-8"))
    for indicator in catalogue["indicators"]:
        indicator["queries"] = [q for q in indicator.get("queries", []) if q["id"] != "N02904"]
    path.write_text(yaml.safe_dump(catalogue, allow_unicode=True), encoding="utf-8")


def test_kontroll_rejects_a_retired_kolada_id_and_names_its_replacement(project):
    result = run("kontroll")
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "N02904" in output and "använd N66077 i stället" in output


def test_kontroll_shows_queries_that_could_not_be_verified(project):
    import yaml

    _without_retired_queries(project)
    path = project / "params" / "indikatorer.yml"
    catalogue = yaml.safe_load(path.read_text(encoding="utf-8"))
    catalogue["indicators"][0]["queries"][0].update(verified=False, unverified_reason="koderna är inte kontrollerade")
    path.write_text(yaml.safe_dump(catalogue, allow_unicode=True), encoding="utf-8")
    result = run("kontroll")
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "kunde inte verifieras" in output
    assert "sysselsattning_fodelseregion, fråga 1 (SCB TAB3200): koderna är inte kontrollerade" in output


def test_kontroll_prints_coverage_and_passes_on_an_empty_snapshot(project):
    _without_retired_queries(project)
    result = run("kontroll")
    assert result.exit_code == 0, result.output
    assert "Täckning" in result.output and "saknas" in result.output
    assert "klarar kontrollen" in result.output


def test_kontroll_fails_with_the_problems(project):
    bad = pd.DataFrame([dict(indicator="energianvandning", region_code="0018", region_name="Örebro län",
                             year=2009, sex="X", group="totalt", value=13168.95, unit="GWh", status="")])
    write_series(project / "data", "energianvandning", bad.astype(DTYPES), {})
    result = run("kontroll")
    assert result.exit_code == 1
    assert "kön ska vara T" in result.output


def test_importera_then_kontroll(project):
    result = run("importera", str(KRE_CSV), "--indikator", "energianvandning")
    assert result.exit_code == 0, result.output
    assert "8 nya, 0 ändrade, 0 oförändrade" in " ".join(result.output.split())
    assert (project / "data" / "series" / "energianvandning.csv").is_file()
    _without_retired_queries(project)
    assert run("kontroll").exit_code == 0


def test_importera_failure_is_a_clear_message_and_exit_code(project):
    result = run("importera", str(KRE_CSV), "--indikator", "finns_inte")
    assert result.exit_code == 1
    assert "Fel:" in result.output and "finns inte i katalogen" in result.output
    assert "oförändrad" in result.output


def test_missing_catalogue_is_reported(project):
    result = run("kontroll", "--params", str(project / "saknas"))
    # rich wraps the message at the terminal width, where the temporary path's length puts the break
    assert result.exit_code == 1 and "finns inte" in " ".join(result.output.split())


@responses.activate
def test_uppdatera_fetches_named_indicators(project):
    responses.get(KOLADA_URL, json=PAGE1)
    responses.get(PAGE1["next_url"], json=PAGE2)
    result = run("uppdatera", "--indikator", "barn_ekonomiskt_utsatta")
    assert result.exit_code == 0, result.output
    assert "barn_ekonomiskt_utsatta" in result.output and "6" in result.output
    assert (project / ".cache" / "http").is_dir()
    assert (project / "data" / "series" / "barn_ekonomiskt_utsatta.provenance.yml").is_file()


@responses.activate
def test_uppdatera_failure_names_indicator_and_query(project):
    responses.get(KOLADA_URL, status=404, body="Not found")
    result = run("uppdatera", "--indikator", "barn_ekonomiskt_utsatta", "--utan-cache")
    assert result.exit_code == 1
    assert "barn_ekonomiskt_utsatta, fråga 1 (Kolada N02904)" in result.output.replace("\n", " ")
    assert list((project / "data").rglob("*")) == [project / "data" / "series"]  # nothing written
    assert not (project / ".cache").exists()


def test_bygg_runs_the_importers_then_checks(project, monkeypatch):
    import rus_analysis.ingest.files as importers
    import rus_analysis.snapshot.refresh as refresh

    calls = []

    def fake_build(sources_dir, data_dir, catalogue, keep_foreign):
        calls.append((Path(sources_dir), Path(data_dir), keep_foreign))
        return []

    monkeypatch.setattr(refresh, "build_snapshot", fake_build)
    _without_retired_queries(project)
    result = run("bygg", "--kallor", str(project / "kallor"))
    assert result.exit_code == 0, result.output
    assert calls == [(project / "kallor", project / "data", True)]
    assert run("bygg", "--kallor", str(project / "kallor"), "--ersatt-hamtade").exit_code == 0
    assert calls[-1][2] is False

    def failing_build(sources_dir, data_dir, catalogue, keep_foreign):
        raise importers.SourceFormatError("Källmappen finns inte.")

    monkeypatch.setattr(refresh, "build_snapshot", failing_build)
    result = run("bygg", "--kallor", str(project / "kallor"))
    assert result.exit_code == 1 and "Källmappen finns inte." in result.output


def test_data_commands_find_the_project_from_a_subfolder_or_projekt(project, tmp_path_factory, monkeypatch):
    _without_retired_queries(project)
    (project / "notebooks").mkdir()
    monkeypatch.chdir(project / "notebooks")
    assert run("kontroll").exit_code == 0
    elsewhere = tmp_path_factory.mktemp("annanstans")
    monkeypatch.chdir(elsewhere)
    result = run("kontroll")
    assert result.exit_code == 1 and "Hittar ingen projektmapp" in result.output
    assert run("kontroll", "--projekt", str(project)).exit_code == 0


def test_kontroll_fits_80_columns_with_one_block_per_indicator():
    """Issue 15 item 7: the project's own snapshot in an 80-column terminal. No line is wider
    than 80 characters, no id is broken (each appears whole at the start of its block)."""
    import os
    import subprocess
    import sys

    from rus_analysis.config.catalogue import load_catalogue
    from support import PROJECT

    rus = Path(sys.executable).with_name("rus")
    done = subprocess.run([str(rus), "data", "kontroll"], cwd=PROJECT, capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "80"}, timeout=300)
    lines = (done.stdout + done.stderr).splitlines()
    assert lines and max(len(line) for line in lines) <= 80, max(lines, key=len)
    ids = [i.id for i in load_catalogue(PROJECT / "params" / "indikatorer.yml").indicators]
    heads = [line.split(" – ")[0] for line in lines if not line.startswith(" ")]
    assert [h for h in heads if h in ids] == ids  # one block per indicator, in catalogue order
    assert len(lines) < 6 * len(ids) + 40  # compact: was 368 lines as a table

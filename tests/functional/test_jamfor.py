"""rus jamfor on real project copies: two report years, and two git revisions of one year."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from rus_analysis.checksums import sha256_file
from rus_analysis.cli.main import app
from support import PROJECT, copy_project

runner = CliRunner()
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git saknas")
SERIES_ROW = "sysselsattningsgrad_bas,0018,Örebro län,2024,T,totalt,{},procent,"


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    """``rus jamfor 2024 2025`` on a copy of the project, run once for the tests that read it."""
    root = copy_project(PROJECT, tmp_path_factory.mktemp("jamfor") / "projekt")
    return runner.invoke(app, ["jamfor", "2024", "2025", "--projekt", str(root)])


def test_two_report_years(two_years):
    result = two_years
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "## Jämförelse: rapporten 2024 → rapporten 2025"
    # The 2025 report has 2024 values that the 2024 report (cut-off 2023) could not use.
    assert "### Nya data" in lines
    assert "| Sysselsättningsgrad 20–64 år | Örebro län | totalt | 2023 | 2024 |" in lines
    assert lines[-1] == ("- Båda åren bedöms med samma data och samma kod; skillnaderna kommer av årens "
                         "parametrar (bland annat data_till_och_med) och kommentarer.")
    assert "sysselsattningsgrad_bas" not in result.output  # titles, not ids


def test_an_unassessed_series_keeps_the_year_the_older_report_showed(two_years):
    """F11: Utrikes transporter has one point up to 2023, so the 2024 report cannot assess it but
    shows 2023; "Senaste år före" is 2023, not "–"."""
    result = two_years
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for region in ("Örebro län", "Riket"):
        assert f"| Utsläpp av växthusgaser per sektor | {region} | Utrikes transporter | 2023 | 2024 |" in lines


def git(root, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=Granskare", "-c", "user.email=granskare@example.org",
                           "-c", "commit.gpgsign=false", *args], cwd=root, check=True, capture_output=True,
                          text=True)
    return done.stdout.strip()


@pytest.fixture
def repository(tmp_path):
    """A git repository holding a copied project with its package, three commits:
    the project as it is; one series value changed (Örebro län's 2024 employment rate 80,6 → 79,1,
    with the provenance checksum updated); one threshold changed (Rätt håll needs 0,6 % a year)."""
    root = copy_project(PROJECT, tmp_path / "projekt")
    # Each revision is assessed with its own code: the package travels with the project.
    shutil.copytree(PROJECT / "rus_analysis", root / "rus_analysis", ignore=shutil.ignore_patterns("__pycache__"))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "före")

    series = root / "data" / "series" / "sysselsattningsgrad_bas.csv"
    text = series.read_text(encoding="utf-8")
    assert SERIES_ROW.format("80.6") in text, "serien har inte det väntade värdet"
    series.write_text(text.replace(SERIES_ROW.format("80.6"), SERIES_ROW.format("79.1")), encoding="utf-8")
    record = series.with_name("sysselsattningsgrad_bas.provenance.yml")
    record.write_text(re.sub(r"(series:\n  file: .*\n  sha256: )[0-9a-f]{64}",
                             lambda m: m.group(1) + sha256_file(series), record.read_text(encoding="utf-8")),
                      encoding="utf-8")
    git(root, "commit", "-qam", "nytt värde")

    thresholds = root / "params" / "bedomning.yml"
    text = thresholds.read_text(encoding="utf-8")
    assert "ratt_hall_procent_per_ar: 0.5\n" in text, "bedomning.yml har inte den väntade tröskeln"
    thresholds.write_text(text.replace("ratt_hall_procent_per_ar: 0.5\n", "ratt_hall_procent_per_ar: 0.6\n"),
                          encoding="utf-8")
    git(root, "commit", "-qam", "ny tröskel")
    return root


@needs_git
def test_two_revisions_show_a_value_and_a_threshold_change(repository, tmp_path):
    out = tmp_path / "jamforelse.md"
    result = runner.invoke(app, ["jamfor", "HEAD~2", "HEAD", "--ar", "2025", "--projekt", str(repository),
                                 "--ut", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Skrev jämförelsen till {out}.\n"
    before, after = git(repository, "rev-parse", "--short", "HEAD~2"), git(repository, "rev-parse", "--short", "HEAD")
    assert out.read_text(encoding="utf-8").splitlines() == [
        f"## Jämförelse: `HEAD~2` ({before}) → `HEAD` ({after}), rapporten 2025",
        "",
        "2 ändrade bedömningar, 1 ändrat värde, 0 serier med nya data, 0 serier med färre data, "
        "0 ändrade kommentarer.",
        "",
        "### Ändrade bedömningar",
        "",
        "| Indikator | Område | Grupp | Horisont | Före | Efter |",
        "|---|---|---|---|---|---|",
        "| Nystartade företag, antal | Örebro län | totalt | senaste åren | Rätt håll | Oförändrat |",
        "| Sysselsättningsgrad 20–64 år | Örebro län | totalt | sedan basåret | Rätt håll | Oförändrat |",
        "",
        "### Ändrade värden (utöver avrundningen)",
        "",
        "| Indikator | Område | Grupp | År | Före | Efter |",
        "|---|---|---|---:|---:|---:|",
        "| Sysselsättningsgrad 20–64 år | Örebro län | totalt | 2024 | 80,6 | 79,1 |",
    ]


@needs_git
def test_each_revision_is_assessed_with_its_own_code(repository):
    # A code change alone: the class word "Oförändrat" renamed in the package at HEAD.
    classes = repository / "rus_analysis" / "assessment" / "classes.py"
    text = classes.read_text(encoding="utf-8")
    assert text.count('"Oförändrat"') == 1, "klassordet står inte där testet väntar sig"
    classes.write_text(text.replace('"Oförändrat"', '"Oförändrat (ny kod)"'), encoding="utf-8")
    git(repository, "commit", "-qam", "nytt klassord")
    result = runner.invoke(app, ["jamfor", "HEAD~1", "HEAD", "--projekt", str(repository)])
    assert result.exit_code == 0, result.output
    assert "| Rätt håll | Oförändrat (ny kod) |" not in result.output
    assert "| Oförändrat | Oförändrat (ny kod) |" in result.output
    assert "Att tänka på" not in result.output  # no fallback to this code


@needs_git
def test_a_revision_from_before_jamfor_is_still_assessed_with_its_own_code(repository):
    # Without review.py (as before rus jamfor existed), and with its own words: still its own code.
    classes = repository / "rus_analysis" / "assessment" / "classes.py"
    classes.write_text(classes.read_text(encoding="utf-8").replace('"Oförändrat"', '"Oförändrat (gammal kod)"'),
                       encoding="utf-8")
    git(repository, "rm", "-q", "rus_analysis/build/review.py")
    git(repository, "commit", "-qam", "före jamfor")
    result = runner.invoke(app, ["jamfor", "HEAD", "HEAD~1", "--ar", "2025", "--projekt", str(repository)])
    assert result.exit_code == 0, result.output
    assert "| Oförändrat (gammal kod) | Oförändrat |" in result.output
    assert "Att tänka på" not in result.output


@needs_git
def test_a_revision_without_the_notebook_api_is_assessed_with_this_code_and_says_so(repository):
    git(repository, "rm", "-q", "rus_analysis/report/chapter.py")
    git(repository, "commit", "-qm", "utan open_report")
    result = runner.invoke(app, ["jamfor", "HEAD", "HEAD~1", "--ar", "2025", "--projekt", str(repository)])
    assert result.exit_code == 0, result.output
    assert "Inga bedömningar, värden, dataår eller kommentarer har ändrats." in result.output
    short = git(repository, "rev-parse", "--short", "HEAD")
    assert (f"- `HEAD` ({short}) kunde inte bedömas med sin egen kod; dess parametrar och data bedömdes med "
            "den nuvarande koden, så ändringar i koden syns inte.") in result.output


@pytest.mark.parametrize("args, words", [
    (["finnsinte", "HEAD"], "'finnsinte' är varken ett rapportår med parameterfil eller en git-revision"),
    (["2019", "2025"], "Det finns ingen params/2019.yml."),
    (["2024", "2025", "--ar", "2025"], "--ar gäller bara när A och B är git-revisioner"),
    # The missing argument is named, not the first one (which has its parameter file).
    (["2024", "2031"], "'2031' är varken ett rapportår med parameterfil eller en git-revision"),
    (["2024", "2031"], "Det finns ingen params/2031.yml."),
])
def test_bad_arguments_are_swedish_errors(tmp_path, args, words):
    root = copy_project(PROJECT, tmp_path / "projekt")
    result = runner.invoke(app, ["jamfor", *args, "--projekt", str(root)])
    assert result.exit_code != 0
    assert words in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_the_existing_year_is_not_blamed_for_the_missing_one(tmp_path):
    root = copy_project(PROJECT, tmp_path / "projekt")
    result = runner.invoke(app, ["jamfor", "2024", "2031", "--projekt", str(root)])
    assert result.exit_code != 0
    assert "'2024'" not in result.output
    assert "params/2024.yml" not in result.output

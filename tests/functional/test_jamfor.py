"""rus jamfor on real project copies: two report years, and two git revisions of one year."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from rus_analysis.cli.main import app
from support import PROJECT, copy_project

runner = CliRunner()


def test_two_report_years(tmp_path):
    root = copy_project(PROJECT, tmp_path / "projekt")
    result = runner.invoke(app, ["jamfor", "2024", "2025", "--projekt", str(root)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("## Jämförelse: rapporten 2024 → rapporten 2025")
    # The 2025 report has data for 2024 that the 2024 report (cut-off 2023) could not use.
    assert "### Nya data" in result.output
    assert "| 2023 | 2024 |" in result.output


@pytest.mark.skipif(shutil.which("git") is None, reason="git saknas")
def test_two_revisions_show_a_threshold_change(tmp_path):
    root = copy_project(PROJECT, tmp_path / "projekt")
    # The revisions are assessed with their own code: the package travels with the project.
    shutil.copytree(PROJECT / "rus_analysis", root / "rus_analysis",
                    ignore=shutil.ignore_patterns("__pycache__"))

    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root,
                       check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "före")
    thresholds = root / "params" / "bedomning.yml"
    text = thresholds.read_text(encoding="utf-8")
    # A policy change a reviewer must see: "Rätt håll" needs ten times the pace.
    changed = text.replace("ratt_hall_procent_per_ar: 0.5", "ratt_hall_procent_per_ar: 5.0").replace(
        "ratt_hall_procentenheter_per_ar: 0.25", "ratt_hall_procentenheter_per_ar: 2.5")
    assert changed != text, "bedomning.yml har inte de väntade trösklarna"
    thresholds.write_text(changed, encoding="utf-8")
    git("commit", "-qam", "efter")
    out = tmp_path / "jamforelse.md"
    result = runner.invoke(app, ["jamfor", "HEAD~1", "HEAD", "--ar", "2025", "--projekt", str(root),
                                 "--ut", str(out)])
    assert result.exit_code == 0, result.output
    summary = out.read_text(encoding="utf-8")
    assert "## Jämförelse: HEAD~1 (2025) → HEAD (2025)" in summary
    assert "### Ändrade bedömningar" in summary
    assert "nuvarande koden" not in summary  # each revision used its own code


def test_unknown_revision_is_a_swedish_error(tmp_path):
    root = copy_project(PROJECT, tmp_path / "projekt")
    result = runner.invoke(app, ["jamfor", "finnsinte", "HEAD", "--projekt", str(root)])
    assert result.exit_code != 0
    assert "varken ett rapportår" in result.output

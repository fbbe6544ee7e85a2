"""Installed as a normal (non-editable) package, the CLI still works on a project folder.

The package is installed with ``pip install --no-deps --target`` from a copy of its sources, so
nothing beside the installed files can be found through ``__file__``; the project is a copy in
another folder, and the commands run from a third. The project's own params/bedomning.yml is
edited, and the built report must show the edited threshold: thresholds come from the project.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import PROJECT, copy_project

pytestmark = pytest.mark.langsam

CLI = "import sys; from rus_analysis.cli.main import app; sys.argv[0] = 'rus'; app()"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("installerat")
    source = base / "kallkod"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(PROJECT / name, source / name)
    shutil.copytree(PROJECT / "rus_analysis", source / "rus_analysis",
                    ignore=shutil.ignore_patterns("__pycache__"))
    site = base / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
                    str(source)], check=True, timeout=600)
    (base / "projekt").mkdir()
    project = copy_project(PROJECT, base / "projekt")
    thresholds = project / "params" / "bedomning.yml"
    thresholds.write_text(thresholds.read_text(encoding="utf-8").replace("i_takt_kvot: 0.95", "i_takt_kvot: 0.9"),
                          encoding="utf-8")
    elsewhere = base / "annanstans"
    elsewhere.mkdir()
    return {"site": site, "project": project, "cwd": elsewhere}


def run(installed, *args: str, timeout: int = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(installed["site"])}
    env.pop("RUS_PROJEKT", None)
    return subprocess.run([sys.executable, "-c", CLI, *args], cwd=installed["cwd"], env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_the_installed_copy_is_what_runs(installed):
    env = {**os.environ, "PYTHONPATH": str(installed["site"])}
    found = subprocess.run([sys.executable, "-c", "import rus_analysis; print(rus_analysis.__file__)"],
                           cwd=installed["cwd"], env=env, capture_output=True, text=True, check=True)
    assert Path(found.stdout.strip()).is_relative_to(installed["site"])
    assert not list(installed["site"].glob("*.pth")) and not (installed["site"] / "params").exists()
    source = PROJECT / "rus_analysis" / "build" / "templates"
    templates = sorted(p.relative_to(source) for p in source.rglob("*") if p.is_file())
    installed_templates = installed["site"] / "rus_analysis" / "build" / "templates"
    assert templates and [t for t in templates if not (installed_templates / t).is_file()] == []


def test_without_a_project_the_cli_says_so_in_swedish(installed):
    result = run(installed, "data", "kontroll")
    assert result.returncode == 1
    assert "Hittar ingen projektmapp" in result.stderr and "Traceback" not in result.stderr


def test_data_check_and_report_on_the_project(installed):
    check = run(installed, "data", "kontroll", "--projekt", str(installed["project"]))
    assert check.returncode == 0, check.stdout + check.stderr
    build = run(installed, "rapport", "--ar", "2025", "--motor", "inbyggd", "--parallella", "1",
                "--projekt", str(installed["project"]),
                timeout=1800)
    assert build.returncode == 0, build.stdout + build.stderr
    html = (installed["project"] / "_output" / "2025" / "uppfoljningsrapport-2025.html").read_text(encoding="utf-8")
    assert "Kvoten är minst 0,9:" in html and "Kvoten är minst 0,95:" not in html

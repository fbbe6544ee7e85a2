"""Issue 15 item 5: an analyst runs a chapter with papermill by hand, from the project folder or
from notebooks/, with or without ``-p params_dir``. The notebook finds the project itself and
writes its figures and data files under ``_build/``, never into the source tree."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from support import PROJECT, copy_project, one_small_chapter

PAPERMILL = str(Path(sys.executable).with_name("papermill"))
NOTEBOOK = "okad_inkludering.ipynb"


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def project(tmp_path):
    return copy_project(PROJECT, tmp_path / "projekt med mellanslag")


# Each case is a real papermill run of a chapter (a kernel): the 60-second suite runs the one from
# notebooks/ (the notebook climbs to the project itself), on the chapter cut to one indicator
# (support.one_small_chapter); the full suite runs the whole chapter from the project folder, with
# and without -p params_dir.
@pytest.mark.parametrize("where, notebook, extra, small", [
    pytest.param("", f"notebooks/{NOTEBOOK}", [], False, marks=pytest.mark.langsam),
    ("notebooks", NOTEBOOK, [], True),
    pytest.param("", f"notebooks/{NOTEBOOK}", ["-p", "params_dir", "params"], False, marks=pytest.mark.langsam),
])
def test_papermill_by_hand_finds_the_project_and_writes_only_under_build(project, tmp_path, where, notebook,
                                                                          extra, small):
    if small:
        one_small_chapter(project)
    before = files(project)
    out = tmp_path / "ut.ipynb"
    env = {k: v for k, v in os.environ.items() if k not in ("RUS_PROJEKT", "RUS_FIGURE_DIR", "RUS_DATA_FILE_DIR")}
    done = subprocess.run([PAPERMILL, notebook, str(out), "-p", "report_year", "2024", *extra],
                          cwd=project / where, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    new = files(project) - before
    assert new and all(name.startswith("_build/papermill/2024/") for name in new), sorted(new)
    assert any(name.startswith("_build/papermill/2024/figurer/") and name.endswith(".svg") for name in new)
    assert any(name.startswith("_build/papermill/2024/datafiler/") for name in new)
    # The charts' Markdown links point at the files written (relative to the working folder).
    markdown = [o["data"]["text/markdown"] for c in nbformat.read(out, as_version=4).cells
                for o in c.get("outputs", []) if "text/markdown" in o.get("data", {})]
    links = [m.group(1) for text in markdown for m in re.finditer(r"!\[[^\]]*\]\(<?([^)>]+?)>?\)", text)]
    assert links and all((project / where / link.replace("\\", "")).is_file() for link in links), links[:3]


def test_outside_any_project_the_error_says_what_to_do(tmp_path, monkeypatch):
    from rus_analysis.errors import ConfigError
    from rus_analysis.report.chapter import open_report

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RUS_PROJEKT", raising=False)
    with pytest.raises(ConfigError, match="-p params_dir MAPP"):
        open_report(2024)

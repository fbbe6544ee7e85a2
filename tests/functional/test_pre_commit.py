"""The pre-commit hooks (issue 15, item 6): notebooks are cleaned by the hook itself, also those
JupyterLab saves (with ``language_info``), and ruff runs with the locked version."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys

import yaml

from rus_analysis.build.notebook_hygiene import problems
from support import PROJECT

CONFIG = PROJECT / ".pre-commit-config.yaml"


def hooks() -> dict[str, dict]:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def jupyterlab_notebook() -> dict:
    """A notebook as JupyterLab 4 saves it after a run: outputs, counts, language_info, cell ids,
    per-cell execution timings and collapsed/scrolled flags, a kernel display name of its own."""
    return {
        "cells": [
            {"cell_type": "code", "execution_count": 7, "id": "3f2a9c1e-77aa-4c1b-9d1e-0c5e8a1b2c3d",
             "metadata": {"tags": ["parameters"], "scrolled": True, "collapsed": False,
                          "execution": {"iopub.execute_input": "2026-03-01T10:00:00.1Z"}},
             "outputs": [{"name": "stdout", "output_type": "stream", "text": ["2025\n"]}],
             "source": ["report_year = 2025\n", "params_dir = None\n", "data_dir = None"]},
            {"cell_type": "markdown", "id": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
             "metadata": {"jp-MarkdownHeadingCollapsed": True}, "source": ["# Rubrik"]},
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
                              "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
                              "pygments_lexer": "ipython3", "version": "3.12.3"},
            "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}},
        },
        "nbformat": 4, "nbformat_minor": 5,
    }


def run_entry(hook: dict, files: list, cwd=PROJECT) -> subprocess.CompletedProcess:
    """The hook's entry as pre-commit runs it (``python`` is the hook's own interpreter)."""
    command = shlex.split(hook["entry"])
    assert command[0] == "python"
    return subprocess.run([sys.executable, *command[1:], *map(str, files)], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def test_the_notebook_hook_cleans_a_jupyterlab_notebook_instead_of_refusing_it(tmp_path):
    import nbformat

    hook = hooks()["rensa-notebookar"]
    assert re.search(hook["files"], "notebooks/okad_inkludering.ipynb")
    assert hook.get("pass_filenames", True) and hook["language"] == "python"
    path = tmp_path / "kapitel.ipynb"
    path.write_text(json.dumps(jupyterlab_notebook(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert problems(nbformat.read(path, as_version=4))  # unclean as saved

    done = run_entry(hook, [path])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Rensade" in done.stdout and "Traceback" not in done.stderr
    cleaned = nbformat.read(path, as_version=4)
    assert problems(cleaned) == []
    assert "language_info" not in cleaned.metadata and "widgets" not in cleaned.metadata
    assert cleaned.cells[0].metadata == {"tags": ["parameters"]} and cleaned.cells[0].outputs == []
    assert cleaned.cells[0].execution_count is None and cleaned.cells[1].metadata == {}
    assert cleaned.cells[0].source.startswith("report_year = 2025")  # what the analyst wrote stays

    before = path.read_bytes()
    again = run_entry(hook, [path])  # a clean notebook is left byte for byte: pre-commit then passes
    assert again.returncode == 0 and path.read_bytes() == before


def test_the_notebook_hook_is_nbstripout_compatible(tmp_path):
    """What nbstripout would still strip is gone: no outputs, counts, widgets or run metadata."""
    import nbformat

    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(jupyterlab_notebook()), encoding="utf-8")
    assert run_entry(hooks()["rensa-notebookar"], [path]).returncode == 0
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        assert not {"collapsed", "scrolled", "execution", "ExecuteTime"} & set(cell.metadata)
        assert cell.get("outputs", []) == [] and cell.get("execution_count") is None
    assert set(nb.metadata) == {"kernelspec"}


def test_a_broken_notebook_is_a_swedish_line(tmp_path):
    path = tmp_path / "trasig.ipynb"
    path.write_text("{inte json", encoding="utf-8")
    done = run_entry(hooks()["rensa-notebookar"], [path])
    # The message is wrapped to the terminal, where a long temporary path moves the break.
    assert done.returncode == 1 and "kunde inte läsas som en notebook" in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr


def test_ruff_hook_uses_the_locked_version():
    hook = hooks()["ruff"]
    assert hook["entry"].startswith("ruff check") and set(hook["types_or"]) == {"python", "jupyter"}
    pinned = re.search(r"^ruff==(\S+)", (PROJECT / "requirements.lock").read_text(encoding="utf-8"), re.M)
    assert hook["additional_dependencies"] == [f"ruff=={pinned.group(1)}"]


def test_messages_name_a_command_that_works_without_rus_on_path():
    from rus_analysis.cli.main import CLEAN_COMMAND

    assert CLEAN_COMMAND == "python3 bygg.py rus notebooks rensa"

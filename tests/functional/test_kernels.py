"""Notebooks run on our own kernel: retried when it fails to start or dies, bounded in time,
never confused by notebook metadata or foreign kernelspecs (issue 10, items 1 and 6).

Real kernels (ipykernel subprocesses) on a tiny notebook, so each test takes seconds."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from rus_analysis.build import kernels
from rus_analysis.build.kernels import NotebookError, run_notebook
from rus_analysis.config.report_params import BuildSettings
from support import CASES

FAST = BuildSettings(kernelstart_sekunder=60, cell_sekunder=60, bygge_sekunder=600, kernelforsok=3)


def notebook(path: Path, *sources: str, metadata: dict | None = None) -> Path:
    nb = new_notebook(cells=[new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                             *[new_code_cell(s) for s in sources]])
    nb.metadata = metadata if metadata is not None else {}
    nbformat.write(nb, path)
    return path


def run(tmp_path: Path, source: Path, settings: BuildSettings = FAST) -> nbformat.NotebookNode:
    target = tmp_path / "ut" / source.name
    target.parent.mkdir(exist_ok=True)
    run_notebook(source.stem, source, target, {"x": 2}, settings, tmp_path / "logg", threading.Event())
    return nbformat.read(target, as_version=4)


def stream_text(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


def test_empty_metadata_runs_with_ipc_transport_and_parameters(tmp_path):
    source = notebook(tmp_path / "tom.ipynb",
                      "import json\nfrom ipykernel.connect import get_connection_file\n"
                      "print(json.load(open(get_connection_file()))['transport'], x)")
    nb = run(tmp_path, source)
    expected = "ipc" if kernels.USE_IPC else "tcp"
    assert f"{expected} 2" in stream_text(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("name", ["barn_och_unga_utan_kernelspec.ipynb", "okad_inkludering_conda-kernel.ipynb"])
def test_case_notebooks_metadata_is_replaced(tmp_path, name):
    source = CASES / "papermill-kernelspec" / name
    if not source.is_file():
        pytest.skip("../shared/cases finns inte bredvid repot")
    nb = kernels.with_kernel_metadata(nbformat.read(source, as_version=4))
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["language_info"]["name"] == "python"


def test_foreign_python3_kernelspec_on_jupyter_path_is_ignored(tmp_path, monkeypatch):
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": ["/finns/inte/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Främmande", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    nb = run(tmp_path, notebook(tmp_path / "a.ipynb", "import sys\nprint(sys.executable)",
                                metadata={"kernelspec": {"name": "python3", "language": "python"}}))
    assert sys.executable in stream_text(nb)


def flaky_kernel(tmp_path: Path, fail_times: int) -> list[str]:
    """A kernel command that exits at once the first ``fail_times`` starts, then runs ipykernel."""
    counter = tmp_path / "starter"
    script = tmp_path / "flaky.py"
    script.write_text(
        "import runpy, sys\n"
        f"p = {str(counter)!r}\n"
        "n = int(open(p).read()) if __import__('os').path.exists(p) else 0\n"
        "open(p, 'w').write(str(n + 1))\n"
        f"if n < {fail_times}:\n"
        "    sys.stderr.write('kärnan vägrar starta\\n'); sys.exit(3)\n"
        "sys.argv = ['ipykernel_launcher', *sys.argv[1:]]\n"
        "runpy.run_module('ipykernel_launcher', run_name='__main__')\n")
    return [sys.executable, str(script), "-f", "{connection_file}"]


@pytest.mark.langsam  # several kernel starts in a row: in the full suite, not the 60-second one
def test_kernel_that_fails_to_start_is_retried(tmp_path, monkeypatch):
    monkeypatch.setattr(kernels, "KERNEL_ARGV", flaky_kernel(tmp_path, fail_times=2))
    nb = run(tmp_path, notebook(tmp_path / "b.ipynb", "print('klar', x)"))
    assert "klar 2" in stream_text(nb)
    log = (tmp_path / "logg" / "b.kernel.log").read_text()
    assert "försök 3" in log and "kärnan vägrar starta" in log


@pytest.mark.langsam  # several kernel starts in a row: in the full suite, not the 60-second one
def test_kernel_that_never_starts_gives_swedish_message_naming_notebook(tmp_path, monkeypatch):
    monkeypatch.setattr(kernels, "KERNEL_ARGV", flaky_kernel(tmp_path, fail_times=99))
    settings = BuildSettings(kernelstart_sekunder=30, kernelforsok=2)
    with pytest.raises(NotebookError) as info:
        run(tmp_path, notebook(tmp_path / "trasig.ipynb", "print(1)"), settings)
    message = str(info.value)
    assert "Notebooken trasig" in message and "2 gånger i rad" in message and "Traceback" not in message
    assert (tmp_path / "starter").read_text() == "2"


@pytest.mark.langsam  # a real kernel killed or timed out and started again: in the full suite
def test_kernel_that_dies_during_a_cell_is_replaced(tmp_path):
    marker = tmp_path / "dog-en-gang"
    source = notebook(tmp_path / "c.ipynb",
                      f"import os, pathlib\nm = pathlib.Path({str(marker)!r})\n"
                      "if not m.exists():\n    m.touch(); os._exit(1)\nprint('överlevde', x)")
    nb = run(tmp_path, source)
    assert "överlevde 2" in stream_text(nb)
    assert "dog under körningen" in (tmp_path / "logg" / "c.kernel.log").read_text()


@pytest.mark.langsam  # a real kernel killed or timed out and started again: in the full suite
def test_cell_timeout_names_notebook_and_cell(tmp_path):
    settings = BuildSettings(cell_sekunder=2, kernelforsok=3)
    with pytest.raises(NotebookError) as info:
        run(tmp_path, notebook(tmp_path / "seg.ipynb", "y = 1", "import time\ntime.sleep(60)"), settings)
    message = str(info.value)
    assert "Notebooken seg" in message and "cell 3 (import time)" in message and "2 sekunder" in message


def test_cell_error_names_notebook_cell_and_swedish_message(tmp_path):
    source = notebook(tmp_path / "fel.ipynb", "from rus_analysis.config.catalogue import UnknownIdError\n"
                                              "raise UnknownIdError('Kraftsamlingen finns inte.')")
    with pytest.raises(NotebookError) as info:
        run(tmp_path, source)
    message = str(info.value)
    assert "Notebooken fel stoppade i cell 2 (from rus_analysis" in message
    assert "UnknownIdError): Kraftsamlingen finns inte." in message

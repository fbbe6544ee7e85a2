"""Running one notebook with papermill on a kernel this build owns.

Papermill still executes every chapter (parameters injected into the ``parameters`` cell), but
the kernel is ours, not whatever a notebook's metadata or ``JUPYTER_PATH`` names:

- **Our own Python.** The kernel is always ``<this Python> -m ipykernel_launcher``. A notebook
  saved with a conda kernel name, with empty metadata, or a foreign ``python3`` kernelspec on
  ``JUPYTER_PATH`` cannot change which interpreter runs the report.
- **No port collisions.** On POSIX the kernel talks over IPC (Unix sockets) in a private folder
  per kernel, so concurrent builds never race for TCP ports. Windows has no IPC transport and
  keeps TCP (ports chosen by jupyter_client); a collision there is a failed start, retried.
- **Bounded time.** Kernel start (``startup_timeout``) and every cell (``timeout``) have limits
  (:class:`BuildSettings`); the build's deadline is enforced by :mod:`.supervisor`.
- **Retried.** A kernel that fails to start or dies is replaced by a fresh one, and the notebook
  run again from the top, at most ``kernelforsok`` times in all; then a Swedish message names
  the notebook. A cell that raises or times out is not retried (it would fail again).
- **Quiet.** The kernel's own output (warnings such as "Kernel is running over TCP without
  encryption") goes to ``_build/<år>/logg/<notebook>.kernel.log``, never to the terminal.
"""

from __future__ import annotations

import copy
import importlib.util
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

import nbformat
import papermill
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from rus_analysis.config.report_params import BuildSettings
from rus_analysis.errors import BuildError

KERNEL_NAME = "python3"
LANGUAGE = "python"
# The kernel command; {connection_file} is filled in by jupyter_client.
KERNEL_ARGV = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
KERNEL_ENV = {"MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
PRIVATE_PREFIX = "rus-kernel-"
USE_IPC = os.name == "posix"
# Exception type names raised in a kernel whose message is already a Swedish sentence for the user.
SWEDISH_ERRORS = {"RusError", "ConfigError", "SettingsError", "DataError", "SnapshotError", "BuildError",
                  "IngestError", "UnknownIdError", "RenderError"}


class NotebookError(BuildError):
    """A notebook chapter failed (a cell raised or timed out, or no kernel could run it)."""


class _OwnKernelSpecs(KernelSpecManager):
    """Every kernel name resolves to this interpreter's ipykernel (see the module docstring)."""

    def find_kernel_specs(self) -> dict[str, str]:
        return {KERNEL_NAME: ""}

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:  # noqa: ARG002 - any name, our kernel
        return KernelSpec(argv=list(KERNEL_ARGV), display_name="Python 3 (rus)", language=LANGUAGE,
                          env=dict(KERNEL_ENV), resource_dir="")


class _OwnKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel writes its output to a log file, not to our terminal."""

    def __init__(self, log: IO[bytes], **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._log = log

    async def start_kernel(self, **kw: object) -> None:  # type: ignore[override]
        kw.setdefault("stdout", self._log)
        kw.setdefault("stderr", self._log)
        kw.setdefault("stdin", -3)  # subprocess.DEVNULL
        await super().start_kernel(**kw)


def kernel_problem() -> str | None:
    """Why no kernel can be started (Swedish), or None when ipykernel is available."""
    python = Path(KERNEL_ARGV[0])
    if not python.exists():
        return f"Python-tolken för notebookarna ({python}) finns inte."
    if python.resolve() == Path(sys.executable).resolve() and importlib.util.find_spec("ipykernel") is None:
        return ("Jupyter-kärnan (paketet ipykernel) saknas i miljön. Installera om miljön: "
                "ta bort mappen .venv och kör python3 bygg.py rapport.")
    return None


def with_kernel_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with our kernel and language set (empty or foreign metadata is fine)."""
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python 3", "language": LANGUAGE}
    info = nb.metadata.get("language_info")
    if not isinstance(info, dict) or info.get("name") != LANGUAGE:
        nb.metadata["language_info"] = {"name": LANGUAGE}
    return nb


def _cell_label(nb: nbformat.NotebookNode, executed_index: int) -> str:
    """``cell 5 (report.show_indicators("x"))`` for a cell index in the executed notebook: the
    cell's position in the source notebook (1-based; papermill's injected parameters cell, which
    it puts right after the ``parameters`` cell, not counted) and its first line."""
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    injected_at = tagged[0] + 1 if tagged else 0
    if executed_index == injected_at:
        return "cellen med parametrarna (tillagd av papermill)"
    index = executed_index if executed_index < injected_at else executed_index - 1
    if not 0 <= index < len(nb.cells):
        return f"cell {index + 1}"
    lines = [line.strip() for line in nb.cells[index].source.splitlines() if line.strip()]
    first = lines[0] if lines else ""
    if len(first) > 70:
        first = first[:67] + "…"
    return f"cell {index + 1}" + (f" ({first})" if first else "")


def sweep_private_dirs() -> None:
    """Remove kernel folders left by builds that were killed (their process is gone)."""
    import psutil

    for folder in Path(tempfile.gettempdir()).glob(f"{PRIVATE_PREFIX}*"):
        pid = folder.name[len(PRIVATE_PREFIX):].split("-")[0]
        if pid.isdigit() and not psutil.pid_exists(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def run_notebook(name: str, source: Path, target: Path, parameters: dict, settings: BuildSettings,
                 log_dir: Path, cancelled: threading.Event) -> float:
    """Execute ``source`` with papermill into ``target`` (working folder: ``target``'s folder).

    Returns the seconds it took. Raises :class:`NotebookError` (Swedish, naming the notebook and
    cell) when a cell fails or times out, or when ``settings.kernel_attempts`` kernels in a row
    fail to start or die."""
    started = time.perf_counter()
    try:
        nb = with_kernel_metadata(nbformat.read(source, as_version=4))
    except Exception as exc:  # noqa: BLE001 - any unreadable notebook gets the same message
        raise NotebookError(f"Notebooken {name} ({source.name}) går inte att läsa som en Jupyter-notebook: "
                            f"{exc}") from exc
    log_dir.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    for attempt in range(1, settings.kernel_attempts + 1):
        if cancelled.is_set():
            raise NotebookError(f"Notebooken {name} avbröts.")
        phase = {"ready": False, "cell": 0}
        private = Path(tempfile.mkdtemp(prefix=f"{PRIVATE_PREFIX}{os.getpid()}-"))
        with open(log_dir / f"{name}.kernel.log", "ab") as log:
            log.write(f"--- försök {attempt} ---\n".encode())
            log.flush()
            km = _OwnKernelManager(log, kernel_name=KERNEL_NAME, kernel_spec_manager=_OwnKernelSpecs(),
                                   transport="ipc" if USE_IPC else "tcp",
                                   connection_file=str(private / "kernel.json"))
            try:
                papermill.execute_notebook(
                    copy.deepcopy(nb), str(target), parameters=parameters, kernel_name=KERNEL_NAME,
                    language=LANGUAGE, progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                    start_timeout=settings.kernel_start_seconds, execution_timeout=settings.cell_seconds,
                    # Output may trail the cell's reply on a loaded machine: wait as long as a cell may run.
                    iopub_timeout=max(60, int(settings.cell_seconds)),
                    km=km, resources={"metadata": {"path": str(target.parent)}},
                    on_notebook_start=lambda _phase=phase, **_: _phase.update(ready=True),
                    on_cell_execute=lambda cell_index, _phase=phase, **_: _phase.update(cell=cell_index),
                )
                return time.perf_counter() - started
            except papermill.PapermillExecutionError as exc:
                label = _cell_label(nb, exc.cell_index)
                if exc.ename in SWEDISH_ERRORS:
                    detail = exc.evalue
                else:
                    detail = f"{exc.ename}: {exc.evalue}"
                raise NotebookError(
                    f"Notebooken {name} stoppade i {label}: {detail}\n"
                    f"Hela felet står i den körda notebooken {target}."
                ) from None
            except CellTimeoutError:
                raise NotebookError(
                    f"Notebooken {name} stoppade: {_cell_label(nb, phase['cell'])} "
                    f"blev inte klar inom {settings.cell_seconds:g} sekunder (bygge.cell_sekunder i "
                    f"parameterfilen)."
                ) from None
            except Exception as exc:  # noqa: BLE001 - start failures, dead kernels, zmq errors: retry
                if cancelled.is_set():
                    raise NotebookError(f"Notebooken {name} avbröts.") from None
                what = "dog under körningen" if phase["ready"] or isinstance(exc, DeadKernelError) else (
                    "gick inte att starta")
                failures.append(f"försök {attempt}: kärnan {what} ({type(exc).__name__}: {exc})")
                log.write(f"{failures[-1]}\n".encode())
            finally:
                _shutdown(km)
                shutil.rmtree(private, ignore_errors=True)
    raise NotebookError(
        f"Notebooken {name} kunde inte köras: Python-kärnan gick inte att starta eller dog "
        f"{settings.kernel_attempts} gånger i rad. Senast: {failures[-1] if failures else 'okänt fel'}. "
        f"Kärnans utskrifter finns i {log_dir / (name + '.kernel.log')}."
    )


def _shutdown(km: AsyncKernelManager) -> None:
    """Stop the kernel now (it may already be gone) and remove its connection files."""
    from jupyter_core.utils import ensure_async, run_sync

    async def stop() -> None:
        try:
            if km.has_kernel:
                await ensure_async(km.shutdown_kernel(now=True))
        except Exception:  # noqa: BLE001 - already dead or half-started: nothing more to stop
            pass
        try:
            await ensure_async(km.cleanup_resources())
        except Exception:  # noqa: BLE001
            pass

    run_sync(stop)()

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
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager

from rus_analysis.config.report_params import BuildSettings
from rus_analysis.errors import BuildError

if TYPE_CHECKING:  # papermill, nbclient and nbformat load when a notebook runs, not when kernels start
    import nbformat

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

# papermill and nbclient log in English ("Kernel died while waiting for execute reply.") on loggers
# without a handler; with none on the root logger either, Python's last-resort handler would print
# that line on the screen before our Swedish message. A NullHandler stops that; the records still
# reach the build log (_build/<år>/logg/bygg.log) through the root logger while a build runs.
for _name in ("papermill", "nbclient", "jupyter_client", "traitlets"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


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


def _cell_label(nb: nbformat.NotebookNode, executed_index: int, offset: int = 0) -> str:
    """``cell 5 (report.show_indicators("x"))`` for a cell index in the executed notebook: the
    cell's position in the source notebook (1-based; papermill's injected parameters cell, which
    it puts right after the ``parameters`` cell, not counted) and its first line. ``offset`` hidden
    cells (:func:`setup_cell`) come first in ``nb`` and are not counted either."""
    import nbformat

    if executed_index < offset:
        return "förberedelsecellen (tillagd av bygget)"
    nb = nbformat.from_dict({**nb, "cells": nb.cells[offset:]}) if offset else nb
    executed_index -= offset
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


# Run first in a kernel that is kept for several notebooks: the package's imports, so the first
# notebook on it does not wait for them (the kernel imports while the build does other work).
PRELOAD = "import rus_analysis.report.chapter"
SETUP_TAG = "rus-forberedelse"  # the hidden first cell a reused kernel runs before each notebook


def setup_cell(workdir: Path, environment: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """The first cell of a notebook run on a reused kernel: a clean namespace (``%reset -f``; imported
    modules stay loaded, which is the point), no open figures, the notebook's folder as the working
    directory and the build's environment. Removed before rendering (tag ``rus-forberedelse``)."""
    import nbformat

    lines = ['get_ipython().run_line_magic("reset", "-f")',
             "import os as _rus_os, sys as _rus_sys",
             "if 'matplotlib.pyplot' in _rus_sys.modules:",
             "    _rus_sys.modules['matplotlib.pyplot'].close('all')",
             f"_rus_os.chdir({str(workdir)!r})"]
    for key, value in sorted((environment or {}).items()):
        lines.append(f"_rus_os.environ[{key!r}] = {value!r}")
    lines.append("del _rus_os, _rus_sys")
    return nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [SETUP_TAG]})


class _TrackingKernelManager(_OwnKernelManager):
    """Remembers the clients papermill opens on a kept kernel, so their sockets can be closed."""

    def __init__(self, log: IO[bytes], **kwargs: object) -> None:
        super().__init__(log, **kwargs)
        self.clients: list = []

    def client(self, **kwargs: object):  # type: ignore[override]
        client = super().client(**kwargs)
        self.clients.append(client)
        return client

    def close_clients(self) -> None:
        while self.clients:
            try:
                self.clients.pop().stop_channels()
            except Exception:  # noqa: BLE001 - a closed or dead client: nothing to close
                pass


class WarmKernel:
    """One kernel kept for several notebooks of a build, one after the other (one per worker).

    Started ahead (:meth:`start`) and given the package's imports (:data:`PRELOAD`) at once, so a
    build pays a kernel start and the imports once per worker instead of once per notebook. Each
    notebook run on it begins with :func:`setup_cell` (a clean namespace and its own working
    folder). A kernel that fails, dies or times out is stopped and the next run starts a fresh one
    (:func:`run_notebook` retries as for a kernel of its own). The kernel's output goes to
    ``<log_dir>/<name>.kernel.log``."""

    def __init__(self, name: str, settings: BuildSettings, log_dir: Path) -> None:
        self.name, self.settings, self.log_dir = name, settings, log_dir
        self.km: _TrackingKernelManager | None = None
        self._log: IO[bytes] | None = None
        self._private: Path | None = None
        self.starts = 0

    def start(self) -> None:
        """Start the kernel (if none is running) and queue the preload; returns without waiting
        for the imports. Raises what jupyter_client raises when the kernel cannot start."""
        if self.km is not None and self.alive():
            return
        self.stop()
        from jupyter_core.utils import run_sync

        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._private = Path(tempfile.mkdtemp(prefix=f"{PRIVATE_PREFIX}{os.getpid()}-"))
        self._log = open(self.log_dir / f"{self.name}.kernel.log", "ab")  # noqa: SIM115 - closed in stop()
        self._log.write(f"--- kärna {self.starts + 1} ---\n".encode())
        self._log.flush()
        self.starts += 1
        self.km = _TrackingKernelManager(self._log, kernel_name=KERNEL_NAME, kernel_spec_manager=_OwnKernelSpecs(),
                                         transport="ipc" if USE_IPC else "tcp",
                                         connection_file=str(self._private / "kernel.json"))

        async def launch() -> None:
            await self.km.start_kernel(cwd=str(self.log_dir))
            client = self.km.client()
            client.start_channels()
            await client.wait_for_ready(timeout=self.settings.kernel_start_seconds)
            client.execute(PRELOAD, silent=True, store_history=False)

        try:
            run_sync(launch)()
        except BaseException:
            self.stop()
            raise

    def alive(self) -> bool:
        """Whether the kernel process is running."""
        from jupyter_core.utils import run_sync

        try:
            return self.km is not None and bool(run_sync(self.km.is_alive)())
        except Exception:  # noqa: BLE001
            return False

    def after_run(self) -> None:
        """Close the clients papermill opened for the last notebook (the kernel stays)."""
        if self.km is not None:
            # Our own first client (the preload) stays open until the kernel stops.
            first, *rest = self.km.clients or [None]
            self.km.clients = rest
            self.km.close_clients()
            self.km.clients = [first] if first is not None else []

    def stop(self) -> None:
        """Stop the kernel now and remove its files (safe to call twice)."""
        if self.km is not None:
            self.km.close_clients()
            _shutdown(self.km)
            self.km = None
        if self._private is not None:
            shutil.rmtree(self._private, ignore_errors=True)
            self._private = None
        if self._log is not None:
            self._log.close()
            self._log = None


def run_notebook(name: str, source: Path, target: Path, parameters: dict, settings: BuildSettings,
                 log_dir: Path, cancelled: threading.Event, kernel: WarmKernel | None = None,
                 environment: dict[str, str] | None = None) -> float:
    """Execute ``source`` with papermill into ``target`` (working folder: ``target``'s folder).

    Without ``kernel`` the notebook gets a kernel of its own, stopped afterwards. With a
    :class:`WarmKernel` the notebook runs on it (started if needed) after a hidden
    :func:`setup_cell` (``environment`` is set there); the kernel is kept for the next notebook.

    Returns the seconds it took. Raises :class:`NotebookError` (Swedish, naming the notebook and
    cell) when a cell fails or times out, or when ``settings.kernel_attempts`` kernels in a row
    fail to start or die."""
    import nbformat
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    started = time.perf_counter()
    try:
        nb = with_kernel_metadata(nbformat.read(source, as_version=4))
    except Exception as exc:  # noqa: BLE001 - any unreadable notebook gets the same message
        raise NotebookError(f"Notebooken {name} ({source.name}) går inte att läsa som en Jupyter-notebook: "
                            f"{exc}") from exc
    log_dir.mkdir(parents=True, exist_ok=True)
    offset = 0
    if kernel is not None:
        nb.cells.insert(0, setup_cell(target.parent, environment))
        offset = 1
    failures: list[str] = []
    for attempt in range(1, settings.kernel_attempts + 1):
        if cancelled.is_set():
            raise NotebookError(f"Notebooken {name} avbröts.")
        phase = {"ready": False, "cell": 0}
        private = None
        km = None
        with open(log_dir / f"{name}.kernel.log", "ab") as log:
            log.write(f"--- försök {attempt} ---\n".encode())
            log.flush()
            try:
                if kernel is not None:
                    log.write(f"kärnan {kernel.name} används\n".encode())
                    log.flush()
                    kernel.start()
                    km = kernel.km
                else:
                    private = Path(tempfile.mkdtemp(prefix=f"{PRIVATE_PREFIX}{os.getpid()}-"))
                    km = _OwnKernelManager(log, kernel_name=KERNEL_NAME, kernel_spec_manager=_OwnKernelSpecs(),
                                           transport="ipc" if USE_IPC else "tcp",
                                           connection_file=str(private / "kernel.json"))
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
                if kernel is not None:
                    kernel.after_run()
                return time.perf_counter() - started
            except papermill.PapermillExecutionError as exc:
                _discard(kernel)
                label = _cell_label(nb, exc.cell_index, offset)
                if exc.ename in SWEDISH_ERRORS:
                    detail = exc.evalue
                else:
                    detail = f"{exc.ename}: {exc.evalue}"
                raise NotebookError(
                    f"Notebooken {name} stoppade i {label}: {detail}\n"
                    f"Hela felet står i den körda notebooken {target}."
                ) from None
            except CellTimeoutError:
                _discard(kernel)
                raise NotebookError(
                    f"Notebooken {name} stoppade: {_cell_label(nb, phase['cell'], offset)} "
                    f"blev inte klar inom {settings.cell_seconds:g} sekunder (bygge.cell_sekunder i "
                    f"parameterfilen)."
                ) from None
            except Exception as exc:  # noqa: BLE001 - start failures, dead kernels, zmq errors: retry
                _discard(kernel)
                if cancelled.is_set():
                    raise NotebookError(f"Notebooken {name} avbröts.") from None
                what = "dog under körningen" if phase["ready"] or isinstance(exc, DeadKernelError) else (
                    "gick inte att starta")
                failures.append(f"försök {attempt}: kärnan {what} ({type(exc).__name__}: {exc})")
                log.write(f"{failures[-1]}\n".encode())
            finally:
                if kernel is None and km is not None:
                    _shutdown(km)
                if private is not None:
                    shutil.rmtree(private, ignore_errors=True)
    raise NotebookError(
        f"Notebooken {name} kunde inte köras: Python-kärnan gick inte att starta eller dog "
        f"{settings.kernel_attempts} gånger i rad. Senast: {failures[-1] if failures else 'okänt fel'}. "
        f"Kärnans utskrifter finns i {log_dir / ((kernel.name if kernel else name) + '.kernel.log')}."
    )


def _discard(kernel: WarmKernel | None) -> None:
    """A kept kernel after a failure: stopped, so the next notebook gets a fresh one."""
    if kernel is not None:
        kernel.stop()


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

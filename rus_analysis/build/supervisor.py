"""Bounded time and clean stops for one build: signals, the build deadline and child processes.

The main thread only supervises; the work (notebooks, rendering) runs in worker threads and
child processes. On Ctrl-C (SIGINT), SIGTERM or when the build's deadline passes, the supervisor

1. marks the build cancelled (workers check :attr:`Supervisor.cancelled` between steps),
2. terminates every child process the build started (kernels, pandoc, quarto, …), waits up to
   :data:`KILL_GRACE_SECONDS` and kills what is left, and
3. raises :class:`BuildInterrupted` (exit code 128 + signal: 130 for SIGINT, 143 for SIGTERM) or
   :class:`BuildTimeout` in the main thread, so ``atomic_directory`` removes the half-made output
   and the previous report stays untouched.

Publishing the finished report (two renames) is shielded: a signal arriving then is acted on
right after, so an interrupted build never leaves ``_output/<år>/`` missing.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import psutil

from rus_analysis.errors import BuildError

T = TypeVar("T")
KILL_GRACE_SECONDS = 2.0
POLL_SECONDS = 0.1
_SIGNAL_NAMES = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM"}


def duration_text(seconds: float) -> str:
    """``90`` → ``90 sekunder``; ``1800`` → ``30 minuter`` (for messages)."""
    if seconds < 120:
        return f"{seconds:g} sekunder".replace(".", ",")
    return f"{seconds / 60:g} minuter".replace(".", ",")


class BuildInterrupted(BuildError):
    """The build was stopped by a signal; ``exit_code`` is 128 + the signal number."""

    def __init__(self, signum: int, output_dir: str | None = None) -> None:
        self.signum = signum
        self.exit_code = 128 + signum
        name = _SIGNAL_NAMES.get(signum, f"signal {signum}")
        kept = f" Förra rapporten i {output_dir} är orörd." if output_dir else " Inget publicerades."
        super().__init__(f"Avbrutet ({name}): bygget stoppades och alla dess processer avslutades.{kept}")


class BuildTimeout(BuildError):
    """The whole build took longer than its deadline (``bygge.bygge_sekunder``)."""


class Supervisor:
    """Signals, deadline and child processes of one build (see the module docstring).

    Use as a context manager in the main thread; :meth:`run` runs a function in a worker thread
    and waits for it while staying responsive to signals and the deadline."""

    def __init__(self, deadline_seconds: float | None = None, output_dir: str | None = None) -> None:
        self.deadline = time.monotonic() + deadline_seconds if deadline_seconds else None
        self.deadline_seconds = deadline_seconds
        self.output_dir = output_dir
        self.cancelled = threading.Event()
        self.reason: BuildError | None = None
        self._shielded = 0
        self._pending: int | None = None
        self._previous: dict[int, object] = {}
        self._own_pid = os.getpid()
        self._preexisting = {p.pid for p in self._children()}

    # --- lifecycle -----------------------------------------------------------------------------

    def __enter__(self) -> Supervisor:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous[signum] = signal.signal(signum, self._on_signal)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if exc_info[0] is not None:
            self.cancel(self.reason or BuildError("Bygget avbröts."))
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
        self._previous.clear()

    # --- cancelling ----------------------------------------------------------------------------

    def _on_signal(self, signum: int, frame: object) -> None:
        if self.reason is not None:
            return  # already stopping: a second Ctrl-C changes nothing
        if self._shielded:
            self._pending = signum
            return
        self.cancel(BuildInterrupted(signum, self.output_dir))
        raise self.reason  # type: ignore[misc]

    def cancel(self, reason: BuildError) -> None:
        """Mark the build cancelled and stop every child process it started."""
        if self.reason is None:
            self.reason = reason
        self.cancelled.set()
        self.stop_children()

    def _children(self) -> list[psutil.Process]:
        try:
            return psutil.Process(os.getpid()).children(recursive=True)
        except psutil.Error:
            return []

    def stop_children(self) -> None:
        """Terminate the build's descendants, then kill those still alive after a grace period."""
        if os.getpid() != self._own_pid:
            return
        children = [p for p in self._children() if p.pid not in self._preexisting]
        for child in children:
            try:
                child.terminate()
            except psutil.Error:
                pass
        _, alive = psutil.wait_procs(children, timeout=KILL_GRACE_SECONDS)
        for child in alive:
            try:
                child.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(alive, timeout=KILL_GRACE_SECONDS)

    def check(self) -> None:
        """Raise the cancellation reason, or :class:`BuildTimeout` once the deadline has passed."""
        if self.reason is not None:
            raise self.reason
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.cancel(BuildTimeout(
                f"Bygget tog längre än tidsgränsen ({duration_text(self.deadline_seconds or 0)}) och "
                f"stoppades; förra rapporten är orörd. Höj 'bygge.bygge_sekunder' i parameterfilen om "
                f"bygget behöver mer tid."
            ))
            raise self.reason  # type: ignore[misc]

    @contextmanager
    def shielded(self) -> Iterator[None]:
        """Defer signals while the block runs (publishing must not stop halfway)."""
        self._shielded += 1
        try:
            yield
        finally:
            self._shielded -= 1
        if not self._shielded and self._pending is not None:
            signum, self._pending = self._pending, None
            self.cancel(BuildInterrupted(signum, self.output_dir))
            raise self.reason  # type: ignore[misc]

    # --- waiting -------------------------------------------------------------------------------

    def run(self, function: Callable[..., T], *args: object, **kwargs: object) -> T:
        """Run ``function`` in a daemon worker thread; wait for it while checking signals and
        the deadline. Its exception, if any, is re-raised here."""
        result: dict[str, object] = {}

        def target() -> None:
            try:
                result["value"] = function(*args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                result["error"] = exc

        worker = threading.Thread(target=target, name=f"rus-{getattr(function, '__name__', 'arbete')}",
                                  daemon=True)
        worker.start()
        self.wait_for([worker])
        self.check()
        if "error" in result:
            raise result["error"]  # type: ignore[misc]
        return result["value"]  # type: ignore[return-value]

    def wait_for(self, workers: list[threading.Thread]) -> None:
        """Wait until every worker thread has finished, checking signals and the deadline."""
        while any(w.is_alive() for w in workers):
            self.check()
            for worker in workers:
                worker.join(POLL_SECONDS)

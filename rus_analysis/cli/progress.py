"""What ``rus rapport`` shows while it builds: a live display in a terminal, plain lines elsewhere.

- **Terminal** (stdout is a TTY, not ``-v``): one line per notebook and render step, with a
  spinner while it runs and its seconds when done (rich). The display disappears when the
  build ends; the timing table that follows keeps the numbers.
- **Not a terminal** (CI, tests, a pipe): one plain line per finished step, nothing that
  redraws, so a log stays readable line by line.
- **``-v``**: plain lines for each step's start and end, in a terminal too.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from types import TracebackType

from rich.console import Console
from rich.progress import Progress as RichProgress
from rich.progress import ProgressColumn, SpinnerColumn, Task, TaskID, TextColumn
from rich.text import Text

from rus_analysis.build.progress import Progress


def seconds_text(seconds: float) -> str:
    """``12,3 s`` (Swedish decimal comma)."""
    return f"{seconds:.1f} s".replace(".", ",")


class _SecondsColumn(ProgressColumn):
    """``väntar`` before a step starts, its running seconds, then its final seconds."""

    def render(self, task: Task) -> Text:
        if not task.started:
            return Text("väntar", style="dim")
        seconds = task.fields.get("seconds")
        if seconds is not None:
            return Text(seconds_text(seconds), style="green")
        return Text(seconds_text(task.elapsed or 0.0), style="cyan")


class _StateColumn(SpinnerColumn):
    """``·`` while a step waits, a spinner while it runs, ``✓`` when it is done."""

    def render(self, task: Task) -> Text:
        if not task.started:
            return Text("·", style="dim")
        return super().render(task)


class LiveProgress(Progress, AbstractContextManager):
    """The live display (see the module docstring); use as a context manager around the build."""

    def __init__(self, console: Console) -> None:
        self._display = RichProgress(_StateColumn(finished_text="[green]✓[/]"), TextColumn("{task.description}"),
                                     _SecondsColumn(), console=console, transient=True)
        self._tasks: dict[str, TaskID] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> LiveProgress:
        self._display.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._display.stop()

    def _task(self, step: str) -> TaskID:
        with self._lock:
            if step not in self._tasks:
                self._tasks[step] = self._display.add_task(step, total=1, start=False)
            return self._tasks[step]

    def planned(self, steps: list[str]) -> None:
        """A waiting line per step, in build order."""
        for step in steps:
            self._task(step)

    def started(self, step: str) -> None:
        """The step's spinner and running seconds start."""
        self._display.start_task(self._task(step))

    def finished(self, step: str, seconds: float) -> None:
        """The step gets its tick and final seconds."""
        self._display.update(self._task(step), completed=1, seconds=seconds)


class PlainProgress(Progress, AbstractContextManager):
    """One line per finished step (and per started step when ``verbose``)."""

    def __init__(self, console: Console, verbose: bool = False) -> None:
        self._console = console
        self._verbose = verbose
        self._lock = threading.Lock()

    def __exit__(self, *exc: object) -> None:
        return None

    def _line(self, text: str) -> None:
        with self._lock:
            self._console.print(text, highlight=False, markup=False, soft_wrap=True)

    def planned(self, steps: list[str]) -> None:
        """With ``-v``: one line naming the steps."""
        if self._verbose:
            self._line(f"  steg: {', '.join(steps)}")

    def started(self, step: str) -> None:
        """With ``-v``: ``  startar <steg>``."""
        if self._verbose:
            self._line(f"  startar {step}")

    def finished(self, step: str, seconds: float) -> None:
        """``  klar <steg> (12,3 s)``."""
        self._line(f"  klar {step} ({seconds_text(seconds)})")


def progress_for(console: Console, verbose: bool) -> LiveProgress | PlainProgress:
    """The live display in a terminal, plain lines otherwise or with ``-v``."""
    if console.is_terminal and not verbose:
        return LiveProgress(console)
    return PlainProgress(console, verbose)

"""The build's steps as they happen, for a display: one notebook or render step at a time.

:func:`~rus_analysis.build.pipeline.build_report` tells a :class:`Progress` which steps it will
run (:meth:`Progress.planned`), and when each starts and ends. Step names are the keys of the
timing table (``notebook <namn>``, ``nedladdningar``, ``markdown``, ``pdf``, ``html``,
``quarto (html + pdf)``). Notebooks run in worker threads, so an implementation must be
thread-safe. The base class does nothing; the CLI shows a live display in a terminal and plain
lines elsewhere (:mod:`rus_analysis.cli.progress`).
"""

from __future__ import annotations


class Progress:
    """Receives the steps of one build; every method is a no-op here."""

    def planned(self, steps: list[str]) -> None:
        """The steps this build will run, in order (render steps may be added as they start)."""

    def started(self, step: str) -> None:
        """``step`` has started."""

    def finished(self, step: str, seconds: float) -> None:
        """``step`` is done after ``seconds`` of wall time."""


NO_PROGRESS = Progress()

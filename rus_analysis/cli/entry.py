"""The ``rus`` console script: quiet on Ctrl-C even while the program is still loading.

Importing the CLI (pandas, papermill, …) takes a second or two; a Ctrl-C or SIGTERM then would
otherwise print a ``KeyboardInterrupt`` traceback. Nothing has been started or written yet, so
the process just ends with 130/143. After loading, the normal handling takes over (the build's
supervisor, or "Avbrutet." from the top-level handler)."""

from __future__ import annotations

import os
import signal


def _quit_while_loading(signum: int, frame: object) -> None:
    os._exit(128 + signum)


def main() -> None:
    """The ``rus`` console script: quits at once on a signal while loading, then runs ``cli.main.main``."""
    signal.signal(signal.SIGINT, _quit_while_loading)
    signal.signal(signal.SIGTERM, _quit_while_loading)
    from rus_analysis.cli.main import main as run

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    run()

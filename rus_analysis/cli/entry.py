"""The ``rus`` console script: quiet on Ctrl-C even while the program is still loading.

Importing the CLI (pandas, papermill, …) takes a second or two; a Ctrl-C or SIGTERM then would
otherwise print a ``KeyboardInterrupt`` traceback. Nothing has been started or written yet, so
the process just ends with 130/143. After loading, the normal handling takes over (the build's
supervisor, or "Avbrutet." from the top-level handler).

When the command is done the process ends at once (:func:`fast_exit`, as mypy's ``--fast-exit``):
after the ``atexit`` handlers and a flush of stdout and stderr, without tearing down every loaded
module and object one by one, which took 0,4 s after a report build (issue 16)."""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading


def _quit_while_loading(signum: int, frame: object) -> None:
    os._exit(128 + signum)


def main() -> None:
    """The ``rus`` console script: quits at once on a signal while loading, then runs ``cli.main.main``.
    A closed stdout or stderr (``rus rapport >&-``) is read as /dev/null: the command still runs."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - for the process's life
    signal.signal(signal.SIGINT, _quit_while_loading)
    signal.signal(signal.SIGTERM, _quit_while_loading)
    from rus_analysis.cli.main import main as run

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        run()
    except SystemExit as done:
        fast_exit(done.code)
    fast_exit(0)


def exit_status(code: object) -> int:
    """The process exit status for ``SystemExit(code)``, as Python gives it: None is 0, an int
    itself, anything else is printed to stderr and gives 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def fast_exit(code: object) -> None:
    """End the process with ``exit_status(code)``: run the ``atexit`` handlers (logging's flush,
    temporary folders), flush stdout and stderr, then ``os._exit``. With a thread still running
    (none is, after any ``rus`` command) the normal exit is taken instead, which waits for it."""
    status = exit_status(code)
    if threading.active_count() > 1:
        sys.exit(status)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing left to say
            pass
    os._exit(status)

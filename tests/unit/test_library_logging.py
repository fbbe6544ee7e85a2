"""Library log lines in English never reach the screen (they go to the build log only)."""

from __future__ import annotations

import subprocess
import sys

LINE = "Kernel died while waiting for execute reply."
EMIT = (f"import logging; logging.getLogger('papermill').error({LINE!r}); "
        f"logging.getLogger('nbclient.client').error({LINE!r})")


def run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          check=True).stderr


def test_without_our_kernels_module_python_would_print_the_line():
    # The control: Python's last-resort handler prints a handlerless logger's error.
    assert LINE in run(EMIT)


def test_kernels_module_keeps_papermill_and_nbclient_errors_off_the_screen():
    assert run("import rus_analysis.build.kernels; " + EMIT) == ""


def test_the_line_still_reaches_a_build_log_on_the_root_logger(tmp_path):
    log = tmp_path / "bygg.log"
    run(f"import logging, rus_analysis.build.kernels; "
        f"logging.getLogger().addHandler(logging.FileHandler({str(log)!r})); " + EMIT)
    assert LINE in log.read_text(encoding="utf-8")

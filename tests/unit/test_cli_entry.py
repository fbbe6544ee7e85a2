"""The ``rus`` console script's fast exit (issue 16): the status, output and atexit handlers of a
normal exit, without tearing down every module (0,4 s after a build)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from rus_analysis.cli.entry import exit_status


@pytest.mark.parametrize("code, status", [(None, 0), (0, 0), (2, 2), (130, 130)])
def test_exit_status_as_python_gives_it(code, status):
    assert exit_status(code) == status


def test_a_message_as_exit_code_is_printed_and_gives_one(capsys):
    assert exit_status("Något gick fel.") == 1
    assert capsys.readouterr().err == "Något gick fel.\n"


def test_fast_exit_keeps_output_status_and_atexit_handlers(tmp_path):
    marker = tmp_path / "atexit.txt"
    program = (
        "import atexit, sys\n"
        "from rus_analysis.cli import entry\n"
        f"atexit.register(lambda: open({str(marker)!r}, 'w').write('körd'))\n"
        "print('rad ' * 20000)\n"  # more than a pipe's buffer: must be flushed, not lost
        "print('fel', file=sys.stderr)\n"
        "entry.fast_exit(3)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert done.returncode == 3
    assert done.stdout == "rad " * 20000 + "\n" and done.stderr == "fel\n"
    assert marker.read_text(encoding="utf-8") == "körd"


def test_with_a_thread_still_running_the_normal_exit_waits_for_it(tmp_path):
    marker = tmp_path / "tråd.txt"
    program = (
        "import threading, time\n"
        "from rus_analysis.cli import entry\n"
        "def work():\n"
        "    time.sleep(0.3)\n"
        f"    open({str(marker)!r}, 'w').write('klar')\n"
        "threading.Thread(target=work).start()\n"
        "entry.fast_exit(0)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert marker.read_text(encoding="utf-8") == "klar"


def test_a_closed_stdout_is_read_as_dev_null():
    """`rus --version >&-`: the command runs, no traceback."""
    import os
    from pathlib import Path

    rus = str(Path(sys.executable).with_name("rus"))
    done = subprocess.run([rus, "--version"], stderr=subprocess.PIPE, text=True, timeout=60,
                          preexec_fn=lambda: os.close(1))  # noqa: PLW1509 - closes only the child's stdout
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr

"""Every helper script in scripts/ answers --help and a wrong argument in Swedish, without a
traceback (argparse's own texts through rus_analysis.cli.swedish_argparse)."""

from __future__ import annotations

import argparse
import inspect
import subprocess
import sys

import pytest

from rus_analysis.cli.swedish_argparse import PLURAL_TEXTS, TEXTS
from support import PROJECT

SCRIPTS = sorted(path.name for path in (PROJECT / "scripts").glob("*.py") if not path.name.startswith("_"))
ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "error:", "Traceback")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=PROJECT, timeout=120)


@pytest.mark.parametrize("script", SCRIPTS)
def test_help_is_swedish(script):
    done = run(f"scripts/{script}", "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Användning:"), done.stdout
    assert not [word for word in ENGLISH if word in done.stdout + done.stderr]


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_wrong_argument_is_a_swedish_line_and_exit_2(script):
    done = run(f"scripts/{script}", "--finns-inte", "a", "b")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Användning:" in done.stderr
    assert not [word for word in ENGLISH if word in done.stdout + done.stderr]


def test_every_translated_text_is_one_argparse_uses():
    """A text that this Python's argparse no longer has would leave its new wording English."""
    source = inspect.getsource(argparse)
    missing = [text for text in TEXTS if repr(text) not in source and f'"{text}"' not in source]
    missing += [pair for pair in PLURAL_TEXTS if repr(pair[0]) not in source]
    assert missing == []


@pytest.mark.parametrize("args, says", [
    (["scripts/benchmark.py", "--upprepningar", "0"], "'0' är inget heltal större än 0"),
    (["scripts/chromium_tid.py", "README.md"], "README.md är ingen HTML-fil"),
    (["scripts/chromium_tid.py", "x.html", "--upprepningar", "-1"], "'-1' är inget heltal större än 0"),
    (["scripts/tillganglighet.py", "x.html", "--lasare", "--data", "finns-inte"], "datamappen finns-inte finns inte"),
    (["scripts/kommentera_pr.py", "--okand"], "Användning:"),
])
def test_a_wrong_value_is_one_swedish_line_before_any_work(args, says):
    done = run(*args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert says in done.stderr and done.stdout == ""
    assert "Traceback" not in done.stderr


def test_a_missing_summary_is_a_swedish_line():
    done = run("scripts/kommentera_pr.py", "finns-inte.md")
    assert done.returncode == 1 and done.stderr.strip() == "Fel: sammanfattningen finns-inte.md finns inte."


def test_without_the_project_environment_a_script_says_how_to_make_it(tmp_path):
    """A copy of scripts/ in a folder with no .venv, run by a Python without the packages."""
    import shutil

    shutil.copytree(PROJECT / "scripts", tmp_path / "scripts")
    done = subprocess.run([sys.executable, "-E", "-S", str(tmp_path / "scripts" / "benchmark.py"), "--help"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "bygg.py --version" in done.stderr and "scripts/benchmark.py" in done.stderr


def test_with_the_python_outside_the_environment_a_script_starts_again_in_it():
    """The interpreter the project's .venv was made from, without its packages (-S), runs the
    script in .venv instead (no message, no traceback)."""
    done = subprocess.run([sys._base_executable, "-E", "-S", str(PROJECT / "scripts" / "benchmark.py"), "--help"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Användning: benchmark.py")

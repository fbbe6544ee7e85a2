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

SCRIPTS = sorted(path.name for path in (PROJECT / "scripts").glob("*.py"))
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

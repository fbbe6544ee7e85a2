"""bygg.py, the analysts' entry point: `test` runs ruff first, and a finding stops the run in Swedish."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest

from support import PROJECT


@pytest.fixture
def bygg(monkeypatch):
    spec = importlib.util.spec_from_file_location("bygg", PROJECT / "bygg.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "ensure_environment", lambda verbose=False: None)
    return module


def fake_run(results: dict[str, int], calls: list):
    def run(args, **kwargs):
        calls.append(args)
        tool = "ruff" if "ruff" in args else "pytest"
        return subprocess.CompletedProcess(args, results[tool])
    return run


def fake(bygg, monkeypatch, results: dict[str, int], calls: list) -> None:
    """Ruff runs through subprocess.run, pytest through run_child (which forwards signals):
    both are replaced, so no test here starts a real test run."""
    run = fake_run(results, calls)
    monkeypatch.setattr(bygg.subprocess, "run", run)
    monkeypatch.setattr(bygg, "run_child", lambda args: run(args).returncode)


def test_ruff_runs_before_pytest(bygg, monkeypatch):
    calls = []
    fake(bygg, monkeypatch, {"ruff": 0, "pytest": 0}, calls)
    assert bygg.main(["test", "-q", "tests/unit"]) == 0
    assert [("ruff" in c, "pytest" in c) for c in calls] == [(True, False), (False, True)]
    assert calls[0][-2:] == ["check", "."] and calls[1][-2:] == ["-q", "tests/unit"]


def test_a_ruff_finding_fails_with_a_swedish_line_and_no_tests(bygg, monkeypatch, capsys):
    calls = []
    fake(bygg, monkeypatch, {"ruff": 1, "pytest": 0}, calls)
    assert bygg.main(["test"]) == 1
    assert len(calls) == 1
    assert "Fel: ruff hittade problem i koden" in capsys.readouterr().err


def test_the_code_passes_ruff():
    """The same check bygg.py runs, so a plain pytest run fails on a finding too."""
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--quiet", "."],
                            cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 0, (result.stdout + result.stderr
                                    + "\nRun `.venv/bin/ruff check --fix .` and fix the rest by hand.")


@pytest.mark.parametrize("flag", ["--help", "-h", "hjälp"])
def test_help_exits_0_in_swedish(bygg, capsys, flag):
    assert bygg.main([flag]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Användning: python3 bygg.py") and "py bygg.py" in out


def test_no_command_is_usage_and_exit_2(bygg, capsys):
    assert bygg.main([]) == 2
    assert "Användning" in capsys.readouterr().out


@pytest.mark.parametrize("argv, forwarded", [
    (["rapport", "--ar", "2025"], ["rapport", "--ar", "2025"]),
    (["data", "kontroll"], ["data", "kontroll"]),
    (["notebooks", "rensa"], ["notebooks", "rensa"]),
    (["rus", "kommentar", "ny", "x"], ["kommentar", "ny", "x"]),
    (["--version"], ["--version"]),
    (["-v", "rapport"], ["-v", "rapport"]),
])
def test_everything_but_test_goes_to_rus(bygg, monkeypatch, argv, forwarded):
    calls = []
    monkeypatch.setattr(bygg, "run_child", lambda args: calls.append(args) or 0)
    assert bygg.main(argv) == 0
    assert calls == [[str(bygg.RUS), *forwarded]]


def test_pip_output_is_shown_only_when_it_fails(bygg, monkeypatch, capsys):
    outputs = iter([subprocess.CompletedProcess([], 0, stdout=b"Collecting pandas\nBuildBackendWarning\n"),
                    subprocess.CompletedProcess([], 1, stdout=b"ERROR: hash mismatch\n")])
    monkeypatch.setattr(bygg.subprocess, "run", lambda *a, **k: next(outputs))
    bygg._pip(["x"], verbose=False)
    with pytest.raises(subprocess.CalledProcessError):
        bygg._pip(["y"], verbose=False)
    captured = capsys.readouterr()
    assert "Collecting" not in captured.out + captured.err and "BuildBackendWarning" not in captured.err
    assert "hash mismatch" in captured.err


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_during_set_up_is_one_swedish_line_and_128_plus_the_signal(bygg, monkeypatch, capsys,
                                                                            signum, code):
    """F18: SIGTERM or Ctrl-C while the environment is installed ends like an interrupted build."""
    def installing(verbose=False):
        os.kill(os.getpid(), signum)
        time.sleep(1)  # the handler runs before this returns
        raise AssertionError("the set-up went on after the signal")

    monkeypatch.setattr(bygg, "ensure_environment", installing)
    monkeypatch.setattr(bygg, "run_child", lambda args: 0)
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    # Without a handler of bygg's own, the signal is ignored here (it must not end pytest).
    with ignored(signal.SIGTERM), ignored(signal.SIGINT):
        assert bygg.main(["--version"]) == code
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN  # restored
    assert signal.getsignal(signal.SIGINT) == before[signal.SIGINT]
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"Avbrutet ({signal.Signals(signum).name}) medan miljön .venv")


def test_pip_killed_by_a_signal_is_said_as_an_interruption(bygg, monkeypatch, capsys):
    def installing(verbose=False):
        raise subprocess.CalledProcessError(-signal.SIGTERM, ["pip"])

    monkeypatch.setattr(bygg, "ensure_environment", installing)
    assert bygg.main(["--version"]) == 143
    assert capsys.readouterr().err.startswith("Avbrutet (SIGTERM)")


@contextmanager
def ignored(signum):
    previous = signal.signal(signum, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signum, previous)

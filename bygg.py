#!/usr/bin/env python3
"""Bootstrap: the only thing a fresh machine needs is Python 3.11+.

Creates or updates the local virtual environment ``.venv`` from ``requirements.lock`` whenever
``pyproject.toml`` or the lock file changed, then runs the command. Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
RUS = BIN / ("rus.exe" if os.name == "nt" else "rus")
STAMP = VENV / ".rus-installerad"
USAGE = """Användning: python3 bygg.py KOMMANDO [ARGUMENT]...   (Windows: py bygg.py KOMMANDO ...)

    rapport [--ar 2026 ...]     bygger rapporten (samma som `rus rapport`)
    test [pytest-flaggor]       granskar koden med ruff och kör testsviten
    data kontroll               och alla andra rus-kommandon: data, notebooks, kommentar …
    rus KOMMANDO ...            samma sak, med ordet rus först
    --version                   paketets version och git-revision
    -v, --utforlig              visa pip:s utskrifter när miljön installeras

Allt utom `test` skickas vidare till kommandot `rus` i projektets miljö; se
`python3 bygg.py --help` (den här texten) och `python3 bygg.py rus --help` (alla rus-kommandon).
Första gången skapas miljön .venv och beroendena installeras enligt requirements.lock."""
HELP = ("-h", "--help", "hjalp", "hjälp")
VERBOSE = ("-v", "--utforlig")


def _inputs_hash() -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "requirements.lock"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def _pip(args: list[str], verbose: bool) -> None:
    """Run pip quietly: its output is shown only when it fails (or with -v)."""
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONWARNINGS="ignore")
    command = [str(PYTHON), "-m", "pip", "install", *([] if verbose else ["--quiet"]), *args]
    if verbose:
        subprocess.run(command, check=True, env=env)
        return
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        sys.stderr.write(done.stdout.decode("utf-8", "replace"))
        raise subprocess.CalledProcessError(done.returncode, command)


def ensure_environment(verbose: bool = False) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 eller senare behövs (du har {sys.version.split()[0]}).")
    wanted = _inputs_hash()
    if STAMP.is_file() and STAMP.read_text() == wanted:
        return
    if not PYTHON.exists():
        print("Skapar den virtuella miljön .venv …", flush=True)
        venv.create(VENV, with_pip=True)
    print("Installerar beroenden enligt requirements.lock (några minuter första gången) …", flush=True)
    _pip(["--upgrade", "pip"], verbose)
    # Every dependency (build tools too) exactly as locked, each file checked against its sha256;
    # then the project itself, without resolving anything more.
    _pip(["--require-hashes", "-r", str(ROOT / "requirements.lock")], verbose)
    _pip(["--no-deps", "--no-build-isolation", "-e", str(ROOT)], verbose)
    STAMP.write_text(wanted)
    print("Miljön är klar.", flush=True)


class Interrupted(Exception):
    """SIGINT or SIGTERM arrived while the environment was being set up."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupted(signum: int, frame: object) -> None:
    raise Interrupted(signum)


def set_up(verbose: bool) -> int | None:
    """``ensure_environment`` with Ctrl-C and SIGTERM said in one Swedish line (as `rus` says an
    interrupted build) and exit code 128 + the signal; pip, started by ``subprocess.run``, is
    stopped with it (pip killed by the signal counts the same). What was installed stays: the next
    command goes on from there. A failing pip is one Swedish line and 1. None when the
    environment is ready."""
    previous = {s: signal.signal(s, _interrupted) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        ensure_environment(verbose)
    except (Interrupted, subprocess.CalledProcessError) as exc:
        signum = exc.signum if isinstance(exc, Interrupted) else -exc.returncode
        if signum <= 0:  # pip failed on its own
            print(f"Fel: installationen av beroenden misslyckades (pip avslutade med kod {exc.returncode}). "
                  "Kontrollera nätverket till PyPI och att requirements.lock stämmer med pyproject.toml; "
                  "ta bort mappen .venv och försök igen.", file=sys.stderr)
            return 1
        name = signal.Signals(signum).name
        print(f"Avbrutet ({name}) medan miljön .venv installerades; den är inte klar. Kör samma kommando "
              "igen så fortsätter installationen där den slutade.", file=sys.stderr, flush=True)
        return 128 + signum
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return None


def main(argv: list[str]) -> int:
    if not argv:
        print(USAGE)
        return 2
    if argv[0] in HELP:
        print(USAGE)
        return 0
    verbose = argv[0] in VERBOSE
    if verbose:
        argv = argv[1:]
    failed = set_up(verbose)
    if failed is not None:
        return failed
    command, rest = (argv[0], argv[1:]) if argv else ("", [])
    if command == "test":
        # Ruff first (rules in pyproject.toml), then pytest; a finding stops the run.
        lint = subprocess.run([str(PYTHON), "-m", "ruff", "check", "."], cwd=ROOT)
        if lint.returncode != 0:
            print("Fel: ruff hittade problem i koden (se ovan). Rätta dem; mycket rättar "
                  "`.venv/bin/ruff check --fix .` (Windows: `.venv\\Scripts\\ruff check --fix .`) "
                  "själv. Testerna kördes inte.", file=sys.stderr)
            return 1
        return run_child([str(PYTHON), "-m", "pytest", *rest])
    # Everything else is a rus command: `bygg.py rapport …` is `rus rapport …`, and
    # `bygg.py rus data kontroll` is `rus data kontroll`. A verbose flag goes on to rus.
    args = rest if command == "rus" else argv
    return run_child([str(RUS), *(["-v"] if verbose else []), *args])


def run_child(args: list[str]) -> int:
    """Run the command and wait for it. Ctrl-C and SIGTERM are the child's to handle: `rus`
    stops its own processes and prints one line. (subprocess.run would kill it after 0,25 s
    and print a KeyboardInterrupt traceback here.) A signal sent only to this process is
    passed on; one from the terminal already reached the child, and a second is ignored."""
    process = subprocess.Popen(args, cwd=ROOT)

    def forward(signum: int, frame: object) -> None:
        if process.poll() is None:
            process.send_signal(signum)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while True:
            try:
                return process.wait()
            except KeyboardInterrupt:  # only if a handler could not be installed
                continue
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

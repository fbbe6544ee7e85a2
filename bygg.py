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
STAMP = VENV / ".rus-installerad"
USAGE = """Användning:
    python3 bygg.py rapport [--ar 2024 ...]   bygger rapporten (samma flaggor som `rus report`)
    python3 bygg.py test [pytest-flaggor]     granskar koden med ruff och kör testsviten
    python3 bygg.py rus ...                   kör valfritt rus-kommando i projektets miljö

Första gången skapas miljön .venv och beroendena installeras enligt requirements.lock."""


def _inputs_hash() -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "requirements.lock"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_environment() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 eller senare behövs (du har {sys.version.split()[0]}).")
    wanted = _inputs_hash()
    if STAMP.is_file() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists() and not (BIN / "python.exe").exists():
        print("Skapar den virtuella miljön .venv …", flush=True)
        venv.create(VENV, with_pip=True)
    print("Installerar beroenden enligt requirements.lock …", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    # Every dependency (build tools too) exactly as locked, each file checked against its sha256;
    # then the project itself, without resolving anything more.
    subprocess.run([*pip, "--require-hashes", "-r", str(ROOT / "requirements.lock")], check=True)
    subprocess.run([*pip, "--no-deps", "--no-build-isolation", "-e", str(ROOT)], check=True)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("rapport", "test", "rus"):
        print(USAGE)
        return 2
    try:
        ensure_environment()
    except subprocess.CalledProcessError as exc:
        print(f"Fel: installationen av beroenden misslyckades (pip avslutade med kod {exc.returncode}). "
              "Kontrollera nätverket till PyPI och att requirements.lock stämmer med pyproject.toml; "
              "ta bort mappen .venv och försök igen.", file=sys.stderr)
        return 1
    command, rest = argv[0], argv[1:]
    if command == "rapport":
        args = [str(BIN / "rus"), "report", *rest]
    elif command == "test":
        # Ruff first (rules in pyproject.toml), then pytest; a finding stops the run.
        lint = subprocess.run([str(BIN / "python"), "-m", "ruff", "check", "."], cwd=ROOT)
        if lint.returncode != 0:
            print("Fel: ruff hittade problem i koden (se ovan). Rätta dem; mycket rättar "
                  "`.venv/bin/ruff check --fix .` själv. Testerna kördes inte.", file=sys.stderr)
            return 1
        args = [str(BIN / "python"), "-m", "pytest", *rest]
    else:
        args = [str(BIN / "rus"), *rest]
    return run_child(args)


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

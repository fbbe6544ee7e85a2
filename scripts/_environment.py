"""The project's environment for a helper script, or one Swedish line (standard library only).

Imported first by every script that needs the project's packages (``import _environment``): run
with another Python (``python3 scripts/benchmark.py``), the script starts again with the project's
``.venv`` Python; when ``.venv`` does not exist yet, it says how to create it and exits 1, instead
of a ``ModuleNotFoundError`` traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _has_packages() -> bool:
    try:
        import pandas  # noqa: F401

        import rus_analysis  # noqa: F401
    except ImportError:
        return False
    return True


if not _has_packages():
    script = Path(sys.argv[0]).name
    # In the venv already (its prefix, not its python: a venv's python may be a link to the
    # very interpreter outside it) means the packages are missing: say so, do not loop.
    if not VENV_PYTHON.exists() or Path(sys.prefix).resolve() == VENV.resolve():
        python = "py" if os.name == "nt" else "python3"
        print(f"Fel: projektets miljö .venv finns inte eller är inte klar. Skapa den med "
              f"`{python} bygg.py --version` och kör sedan `{python} scripts/{script}` igen.", file=sys.stderr)
        sys.exit(1)
    if os.name == "nt":
        sys.exit(subprocess.run([str(VENV_PYTHON), *sys.argv]).returncode)
    os.execv(VENV_PYTHON, [str(VENV_PYTHON), *sys.argv])

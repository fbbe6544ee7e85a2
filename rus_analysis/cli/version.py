"""``rus --version``: the package version and, in a git checkout, the commit the code is at."""

from __future__ import annotations

import subprocess
from pathlib import Path

import rus_analysis


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def package_revision() -> str | None:
    """The short commit of the checkout the package's own code comes from, with ``+ändringar``
    when its tracked files differ from that commit; None outside git (an installed wheel, a
    copied folder) or without the ``git`` program. A wheel installed into a ``.venv`` inside a
    checkout is not that checkout: the package's ``__init__.py`` must be tracked by it."""
    package = Path(rus_analysis.__file__).resolve().parent
    if _git(package, "ls-files", "--error-unmatch", "__init__.py") is None:
        return None
    commit = _git(package, "rev-parse", "--short=12", "HEAD")
    if not commit:
        return None
    changed = _git(package.parent, "status", "--porcelain", "--untracked-files=no")
    return commit + ("+ändringar" if changed else "")


def version_text() -> str:
    """``rus 0.1.0 (git 1a2b3c4d5e6f)``, or ``rus 0.1.0`` outside a git checkout."""
    revision = package_revision()
    return f"rus {rus_analysis.__version__}" + (f" (git {revision})" if revision else "")

"""All-or-nothing replacement of a folder: a failed run leaves the previous one untouched."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def atomic_directory(target: Path, start_from_existing: bool = True) -> Iterator[Path]:
    """Yield a fresh staging folder; on success it replaces ``target``, on error it vanishes.

    By default the staging folder starts as a copy of ``target`` so callers may update only
    part of it; with ``start_from_existing=False`` it starts empty.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-ny-", dir=target.parent))
    try:
        if start_from_existing and target.exists():
            shutil.copytree(target, staging, dirs_exist_ok=True)
        yield staging
        backup = target.with_name(f".{target.name}-gammal")
        if backup.exists():
            shutil.rmtree(backup)
        if target.exists():
            os.replace(target, backup)
        os.replace(staging, target)
        shutil.rmtree(backup, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

"""One build per project and year at a time, and sweeping what a killed build left behind.

The lock is an OS file lock (``filelock``: ``flock`` on POSIX, ``msvcrt`` on Windows) on
``_build/.<år>.lock``. The operating system releases it when the holding process ends in any
way, SIGKILL included, so a lock whose process is gone is simply taken over. Beside it,
``_build/.<år>.lock.json`` records who holds it (pid, host, start time) so a second build can
say so in Swedish.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime
from pathlib import Path

import filelock

from rus_analysis.errors import BuildError
from rus_analysis.snapshot.atomic import sweep


class BuildLocked(BuildError):
    """Another build of the same project and year is running."""


class BuildLock:
    """Context manager holding the build lock of ``root`` and ``year``."""

    def __init__(self, root: Path, year: int) -> None:
        self.year = year
        self.path = root / "_build" / f".{year}.lock"
        self.info_path = self.path.with_name(self.path.name + ".json")
        self._lock = filelock.FileLock(str(self.path), timeout=0)

    def holder(self) -> dict:
        """What the holder wrote about itself (empty when unreadable)."""
        try:
            return json.loads(self.info_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def refuse_if_held(self) -> None:
        """Raise :class:`BuildLocked` at once when another build holds the lock, so a second
        build says so before anything else (data warnings, kernels); the lock is not kept. The
        build takes it for real later, which refuses again if another build got there between."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire()
        except filelock.Timeout:
            raise self._locked() from None
        self._lock.release()

    def _locked(self) -> BuildLocked:
        info = self.holder()
        who = []
        if info.get("pid"):
            who.append(f"process {info['pid']}")
        if info.get("host"):
            who.append(f"på datorn {info['host']}")
        if info.get("started"):
            who.append(f"startad {info['started']}")
        holder = f" ({', '.join(who)})" if who else ""
        return BuildLocked(
            f"Rapporten för {self.year} byggs redan i den här projektmappen{holder}. Vänta tills det "
            f"bygget är klart och försök igen; två byggen av samma år samtidigt skulle skriva över "
            f"varandras filer."
        )

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire()
        except filelock.Timeout:
            raise self._locked() from None
        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "started": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S")}
        tmp = self.info_path.with_name(self.info_path.name + f".{os.getpid()}")
        tmp.write_text(json.dumps(info), encoding="utf-8")
        os.replace(tmp, self.info_path)
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.info_path.unlink(missing_ok=True)
        finally:
            self._lock.release()


def refuse_if_locked(root: Path, year: int) -> None:
    """Raise :class:`BuildLocked` at once when another build of ``year`` holds the lock (see
    :meth:`BuildLock.refuse_if_held`): a second build's first words are the refusal."""
    BuildLock(root, year).refuse_if_held()


def sweep_stale_output(output_dir: Path) -> list[Path]:
    """Clean up after a build that was killed while publishing ``output_dir`` (call under the
    lock): half-made staging folders go, and a backup whose report folder is missing (a kill
    between the two renames) is put back. The rules are :func:`rus_analysis.snapshot.atomic.sweep`'s."""
    if not output_dir.parent.is_dir():
        return []
    return sweep(output_dir)

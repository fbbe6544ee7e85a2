"""All-or-nothing replacement of a folder: a failed run leaves the previous one untouched.

The swap happens in the folder's real location: when ``target`` (or a folder above it) is a
symbolic link, the link is left as it is and the folder it points to is replaced, so a shared
``data/`` or ``_output/<år>`` is written through and never replaced by a local folder.

Staging folders are ``.<name>-ny-<pid>-*`` beside the real target and backups
``.<name>-gammal-*``. Each run sweeps what an interrupted run left behind: a staging folder whose
process has ended is removed, and a backup whose target is missing (a crash between the two
renames) is put back first. Sweep and swap happen under a short exclusive lock on the parent
folder, so concurrent runs (two report years) never touch each other's staging folders.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rus_analysis.errors import DataError, os_error_text


class SwapError(DataError):
    """The folder could not be staged or swapped; the previous folder is in place. Swedish message."""


def current_umask() -> int:
    """The process umask, read without changing it where the OS allows (Linux ``/proc``)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def real_target(target: Path) -> Path:
    """``target`` with every symbolic link resolved (the folder that is actually written)."""
    return Path(os.path.realpath(Path(target).absolute()))


@contextmanager
def _parent_lock(parent: Path) -> Iterator[None]:
    """An exclusive flock on the parent folder (no lock file is created)."""
    fd = os.open(parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_ACTIVE: set[Path] = set()  # staging folders of this process still in use


def _stale_staging(path: Path, name: str) -> bool:
    """A staging folder whose run has ended (its process is gone, or it is ours and finished)."""
    owner = path.name[len(f".{name}-ny-"):].split("-", 1)[0]
    if not owner.isdigit():
        return True  # left by an older version without the process id
    if int(owner) == os.getpid():
        return path not in _ACTIVE
    return not _alive(int(owner))


def sweep(target: Path) -> list[Path]:
    """Clean up after an interrupted run; returns what was removed or restored. Call under the lock."""
    parent, name = target.parent, target.name
    touched: list[Path] = []
    backups = sorted(parent.glob(f".{name}-gammal*"))
    if not target.exists() and backups:
        os.replace(backups[-1], target)  # a crash between the renames: the previous folder comes back
        touched.append(target)
        backups = backups[:-1]
    stale_staging = [p for p in parent.glob(f".{name}-ny-*") if _stale_staging(p, name)]
    for stale in [*stale_staging, *backups]:
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
        touched.append(stale)
    return touched


def _copy_existing(target: Path, staging: Path) -> None:
    links = [p for p in target.rglob("*") if p.is_symlink()]
    if links:
        shown = ", ".join(str(p.relative_to(target)) for p in links[:5])
        raise SwapError(f"{target} innehåller symboliska länkar ({shown}); de skulle ersättas av vanliga filer. "
                        "Länka hela mappen i stället, eller ta bort länkarna.")
    shutil.copytree(target, staging, dirs_exist_ok=True)


def _swap(target: Path, staging: Path) -> None:
    """Put ``staging`` in place of ``target``; on any failure ``target`` is as before."""
    backup = None
    if target.exists():
        backup = Path(tempfile.mkdtemp(prefix=f".{target.name}-gammal-", dir=target.parent))
        os.rmdir(backup)
        os.replace(target, backup)
    try:
        os.replace(staging, target)
    except BaseException:
        if backup is not None:
            os.replace(backup, target)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


@contextmanager
def atomic_directory(target: Path, start_from_existing: bool = True) -> Iterator[Path]:
    """Yield a fresh staging folder; on success it replaces ``target``, on error it vanishes.

    By default the staging folder starts as a copy of ``target`` so callers may update only
    part of it; with ``start_from_existing=False`` it starts empty. Symbolic links to ``target``
    are followed (see the module docstring). Raises SwapError (Swedish) when the folder cannot
    be written; any exception from the ``with`` body passes through with ``target`` unchanged.
    """
    target = real_target(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SwapError(f"Mappen {target.parent} kan inte skapas: {os_error_text(exc)}") from None
    if target.exists() and not target.is_dir():
        raise SwapError(f"{target} är en fil, inte en mapp; flytta den och försök igen.")
    with _parent_lock(target.parent):
        sweep(target)
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-ny-{os.getpid()}-", dir=target.parent))
            # mkdtemp makes 0700; the published folder follows the user's umask like any other.
            os.chmod(staging, 0o777 & ~current_umask())
        except OSError as exc:
            raise SwapError(f"Kan inte skriva i {target.parent}: {os_error_text(exc)}. "
                            "Kontrollera behörigheten (är mappen skrivskyddad eller disken full?).") from None
        _ACTIVE.add(staging)
    try:
        if start_from_existing and target.exists():
            _copy_existing(target, staging)
        yield staging
        with _parent_lock(target.parent):
            try:
                _swap(target, staging)
            except OSError as exc:
                raise SwapError(f"Det nya innehållet kunde inte flyttas på plats i {target} "
                                f"({os_error_text(exc)}); den tidigare mappen ligger kvar orörd.") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        _ACTIVE.discard(staging)


def is_disk_full(exc: BaseException) -> bool:
    """True for 'no space left on device' (and quota) errors."""
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)

"""Checks before any notebook runs: folders writable, enough free disk, a kernel available.

Each failure is a Swedish :class:`PreflightError` naming the folder and what to do, so a
build never discovers a read-only or full disk after minutes of work.
"""

from __future__ import annotations

import errno
import shutil
import tempfile
from pathlib import Path

from rus_analysis.build.kernels import kernel_problem
from rus_analysis.errors import BuildError, os_error_text

MB = 1024 * 1024
# Without a previous report: a report year is ~5 MB of PDF and HTML (2025: 2,4 + 2,7 MB).
DEFAULT_REPORT_BYTES = 20 * MB
# The new report is made beside the previous one; the build folder holds notebooks, figures,
# Markdown and typst of about the same size again.
OUTPUT_FACTOR = 1.5
BUILD_FACTOR = 2.0
MARGIN_BYTES = 10 * MB


class PreflightError(BuildError):
    """The build cannot start: a folder is not writable, the disk is too full or no kernel."""


class DiskFullError(BuildError):
    """The disk filled up during the build."""


def _mb(size: float) -> str:
    return f"{size / MB:,.0f}".replace(",", "\u00a0") + " MB"


def folder_size(path: Path) -> int:
    """Bytes of the files under ``path`` (0 when it does not exist)."""
    if not path.is_dir():
        return 0
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def check_writable(folder: Path, role: str) -> None:
    """Create ``folder`` if needed and write a probe file in it; Swedish error otherwise."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".skrivtest-"):
            pass
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise PreflightError(f"Disken är full: det går inte att skriva i {role} {folder}. "
                                 f"Frigör utrymme och försök igen.") from None
        raise PreflightError(
            f"Det går inte att skriva i {role} {folder} ({os_error_text(exc)}). "
            f"Kontrollera behörigheterna, att disken inte är skrivskyddad eller att mappen inte är "
            f"öppen i ett annat program."
        ) from None


def _device(path: Path) -> int:
    return path.stat().st_dev


def check_free_space(output_root: Path, build_root: Path, previous_report: Path) -> dict[str, int]:
    """Enough free disk for the new report and its build folder, estimated from the previous
    report's size (or :data:`DEFAULT_REPORT_BYTES`). Returns the estimate per folder in bytes."""
    report = folder_size(previous_report) or DEFAULT_REPORT_BYTES
    needs = {str(output_root): int(report * OUTPUT_FACTOR) + MARGIN_BYTES,
             str(build_root): int(report * BUILD_FACTOR) + MARGIN_BYTES}
    if _device(output_root) == _device(build_root):
        needs = {str(output_root): sum(needs.values())}
    for folder, need in needs.items():
        free = shutil.disk_usage(folder).free
        if free < need:
            basis = "förra rapporten" if previous_report.is_dir() else "en rapports vanliga storlek"
            raise PreflightError(
                f"För lite ledigt diskutrymme för bygget: {_mb(free)} ledigt där {folder} ligger, men "
                f"bygget behöver ungefär {_mb(need)} (uppskattat från {basis}). Frigör utrymme och "
                f"försök igen."
            )
    return {k: int(v) for k, v in needs.items()}


def check_kernel() -> None:
    """Raises PreflightError (Swedish) when the notebooks' Python kernel cannot start."""
    if (problem := kernel_problem()) is not None:
        raise PreflightError(f"Notebookarna kan inte köras: {problem}")


def preflight(output_root: Path, build_root: Path, previous_report: Path) -> None:
    """All checks, in the order a user would fix them."""
    check_writable(output_root, "utdatamappen")
    if previous_report.is_dir():
        # The swap renames the year's folder aside: that writes in the folder itself too.
        check_writable(previous_report, "årets utdatamapp")
    check_writable(build_root, "byggmappen")
    check_free_space(output_root, build_root, previous_report)
    check_kernel()


def disk_full_message(exc: BaseException, *folders: Path) -> str | None:
    """A Swedish disk-full message when ``exc`` (or what it wraps) is a full disk, else None.

    Catches ``OSError`` ENOSPC and the texts pandoc ("resource exhausted") and typst ("No space
    left on device") give, and any failure while a folder has (almost) no free space left."""
    seen: BaseException | None = exc
    full = False
    while seen is not None and not full:
        text = str(seen)
        full = (isinstance(seen, OSError) and seen.errno == errno.ENOSPC) or any(
            marker in text for marker in ("No space left", "resource exhausted", "ENOSPC", "Disk quota"))
        seen = seen.__cause__ or seen.__context__
    if not full:
        for folder in folders:
            try:
                full = full or shutil.disk_usage(folder).free < MB
            except OSError:
                pass
    if not full:
        return None
    places = ", ".join(str(f) for f in folders)
    return (f"Disken blev full under bygget ({places}). Inget publicerades; förra rapporten är orörd. "
            f"Frigör utrymme och försök igen.")

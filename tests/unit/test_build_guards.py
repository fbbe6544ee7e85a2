"""Fast checks of the build's guards: lock, sweep, pre-flight, supervisor (issue 10)."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from collections import namedtuple
from pathlib import Path

import pytest

from rus_analysis.build import kernels, preflight
from rus_analysis.build.locking import BuildLock, BuildLocked, sweep_stale_output
from rus_analysis.build.preflight import PreflightError, disk_full_message
from rus_analysis.build.supervisor import BuildInterrupted, BuildTimeout, Supervisor
from rus_analysis.errors import os_error_text
from rus_analysis.snapshot.atomic import atomic_directory, current_umask


def test_second_lock_names_the_holder(tmp_path):
    with BuildLock(tmp_path, 2025):
        with pytest.raises(BuildLocked) as info:
            with BuildLock(tmp_path, 2025):
                pass
    message = str(info.value)
    assert f"process {os.getpid()}" in message and "byggs redan" in message and "startad" in message
    with BuildLock(tmp_path, 2025):  # released: free again
        pass
    with BuildLock(tmp_path, 2025), BuildLock(tmp_path, 2024):  # another year is independent
        pass


def test_lock_held_by_a_dead_process_is_free(tmp_path):
    script = (f"import filelock, os; l = filelock.FileLock({str(tmp_path / '_build' / '.2025.lock')!r}); "
              "l.acquire(); os._exit(0)")
    (tmp_path / "_build").mkdir()
    subprocess.run([sys.executable, "-c", script], check=True)
    with BuildLock(tmp_path, 2025):
        pass


def test_sweep_removes_staging_and_restores_backup(tmp_path):
    out = tmp_path / "_output" / "2025"
    (tmp_path / "_output" / ".2025-ny-x1").mkdir(parents=True)
    backup = tmp_path / "_output" / ".2025-gammal"
    backup.mkdir()
    (backup / "r.pdf").write_text("förra")
    sweep_stale_output(out)
    assert (out / "r.pdf").read_text() == "förra"
    assert sorted(p.name for p in (tmp_path / "_output").iterdir()) == ["2025"]


def test_published_folder_follows_umask(tmp_path):
    old = os.umask(0o002)
    try:
        with atomic_directory(tmp_path / "ut", start_from_existing=False) as staging:
            (staging / "a").write_text("x")
        assert (tmp_path / "ut").stat().st_mode & 0o777 == 0o775
        assert current_umask() == 0o002
    finally:
        os.umask(old)


def test_preflight_free_space_estimate(tmp_path, monkeypatch):
    previous = tmp_path / "_output" / "2025"
    previous.mkdir(parents=True)
    (previous / "r.pdf").write_bytes(b"x" * 1000)
    (tmp_path / "_build").mkdir()
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(preflight.shutil, "disk_usage", lambda _: usage(100, 0, 5 * preflight.MB))
    with pytest.raises(PreflightError, match=r"För lite ledigt diskutrymme för bygget: 5 MB ledigt.*förra rapporten"):
        preflight.check_free_space(tmp_path / "_output", tmp_path / "_build", previous)
    monkeypatch.setattr(preflight.shutil, "disk_usage", lambda _: usage(100, 0, 100 * preflight.MB))
    preflight.check_free_space(tmp_path / "_output", tmp_path / "_build", previous)


def test_preflight_unwritable_folder(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(preflight.tempfile, "NamedTemporaryFile", refuse)
    with pytest.raises(PreflightError, match="Det går inte att skriva i utdatamappen"):
        preflight.check_writable(tmp_path, "utdatamappen")


def test_preflight_checks_the_year_folder_the_swap_renames(tmp_path, monkeypatch):
    # The parent _output is writable but _output/2025 is not (as root, chmod would not stop us).
    output_root, year_dir = tmp_path / "_output", tmp_path / "_output" / "2025"
    year_dir.mkdir(parents=True)
    real = preflight.tempfile.NamedTemporaryFile

    def refuse_in_year(*args, dir=None, **kwargs):
        if Path(dir) == year_dir:
            raise OSError(errno.EPERM, "Operation not permitted")
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(preflight.tempfile, "NamedTemporaryFile", refuse_in_year)
    with pytest.raises(PreflightError) as info:
        preflight.preflight(output_root, tmp_path / "_build", year_dir)
    message = str(info.value)
    assert f"Det går inte att skriva i årets utdatamapp {year_dir} (åtgärden är inte tillåten)." in message
    assert "Operation not permitted" not in message


@pytest.mark.parametrize("code, english, swedish", [
    (errno.EACCES, "Permission denied", "åtkomst nekad"),
    (errno.EPERM, "Operation not permitted", "åtgärden är inte tillåten"),
    (errno.EROFS, "Read-only file system", "filsystemet är skrivskyddat"),
    (errno.ENOSPC, "No space left on device", "disken är full"),
    (errno.ENOENT, "No such file or directory", "filen eller mappen finns inte"),
])
def test_os_error_texts_are_swedish_in_every_message(tmp_path, monkeypatch, code, english, swedish):
    assert os_error_text(OSError(code, english)) == swedish

    def refuse(*args, **kwargs):
        raise OSError(code, english)

    monkeypatch.setattr(preflight.tempfile, "NamedTemporaryFile", refuse)
    with pytest.raises(PreflightError) as info:
        preflight.check_writable(tmp_path, "utdatamappen")
    assert english not in str(info.value)


def test_an_uncommon_os_error_keeps_the_systems_text():
    assert os_error_text(OSError(errno.EBUSY, "Device or resource busy")) == "Device or resource busy"


def test_preflight_missing_kernel(monkeypatch):
    monkeypatch.setattr(kernels, "KERNEL_ARGV", ["/finns/inte/python", "-m", "ipykernel_launcher"])
    with pytest.raises(PreflightError, match="Notebookarna kan inte köras: Python-tolken"):
        preflight.check_kernel()


def test_disk_full_messages_from_pandoc_typst_and_oserror(tmp_path):
    assert disk_full_message(OSError(errno.ENOSPC, "No space left on device"), tmp_path)
    assert disk_full_message(RuntimeError("pandoc: resource exhausted (No space left on device)"), tmp_path)
    assert disk_full_message(ValueError("något annat"), tmp_path) is None


def test_signal_during_shielded_block_is_raised_after_it():
    with Supervisor() as supervisor:
        with pytest.raises(BuildInterrupted) as info:
            with supervisor.shielded():
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.2)
                finished = True
        assert finished and info.value.exit_code == 143
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL or callable(signal.getsignal(signal.SIGTERM))


def test_deadline_stops_a_long_step_and_its_children():
    with Supervisor(deadline_seconds=0.5) as supervisor:
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        try:
            with pytest.raises(BuildTimeout, match="tidsgränsen"):
                supervisor.run(time.sleep, 30)
            assert child.wait(timeout=10) is not None  # stopped by the supervisor, not by us
        finally:
            child.kill()

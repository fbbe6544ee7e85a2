"""Issue 15 item 2: `rus rapport` shows progress, not noise. Outside a terminal (CI, tests) every
finished notebook and render step is one plain line; kernel warnings and shutdown noise never
reach the screen; the timing table stays; ``-v`` adds each step's start and the build folders."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from rus_analysis.cli.progress import LiveProgress, PlainProgress, progress_for, seconds_text
from support import PROJECT, copy_project, one_small_chapter

RUS = str(Path(sys.executable).with_name("rus"))
NOISE = ("IPKernelApp", "WARNING", "KeyboardInterrupt", "Traceback", "Warning:", "without encryption")


@pytest.mark.e2e
def test_a_build_prints_one_plain_line_per_step_and_no_kernel_noise(tmp_path):
    project = one_small_chapter(copy_project(PROJECT, tmp_path / "projekt"))
    env = {k: v for k, v in os.environ.items() if k != "RUS_PROJEKT"}
    done = subprocess.run([RUS, "-v", "rapport", "--ar", "2025", "--motor", "inbyggd", "--projekt", str(project)],
                          capture_output=True, text=True, env=env, timeout=1800)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    for word in NOISE:
        assert word not in output, (word, output)
    assert "\x1b[" not in done.stdout  # not a terminal: no redrawing, no colour codes
    lines = done.stdout.splitlines()
    for step in ("notebook sammanfattning", "notebook okad_inkludering", "notebook metod", "notebook kallor",
                 "nedladdningar", "pdf", "html"):
        assert any(re.fullmatch(rf"  klar {step} \(\d+,\d s\)", line) for line in lines), (step, output)
        assert f"  startar {step}" in lines  # -v
    assert "Tider för 2025 (inbyggd)" in done.stdout and "totalt" in done.stdout
    assert "Byggmapp:" in done.stdout and "Loggar" in done.stdout  # -v
    # The kernels' own output is kept, in the log folder, not lost.
    assert list((project / "_build" / "2025" / "logg").glob("*.kernel.log"))


def test_plain_progress_prints_finished_steps_and_with_v_the_starts():
    out = io.StringIO()
    console = Console(file=out, width=80)
    quiet = PlainProgress(console)
    quiet.planned(["notebook a", "pdf"])
    quiet.started("notebook a")
    quiet.finished("notebook a", 12.34)
    assert out.getvalue() == "  klar notebook a (12,3 s)\n"
    out.truncate(0), out.seek(0)
    loud = PlainProgress(console, verbose=True)
    loud.started("pdf")
    loud.finished("pdf", 1)
    assert out.getvalue() == "  startar pdf\n  klar pdf (1,0 s)\n"


def test_a_terminal_gets_the_live_display_and_v_or_a_pipe_plain_lines():
    terminal = Console(file=io.StringIO(), force_terminal=True, width=80)
    pipe = Console(file=io.StringIO(), force_terminal=False, width=80)
    assert isinstance(progress_for(terminal, verbose=False), LiveProgress)
    assert isinstance(progress_for(terminal, verbose=True), PlainProgress)
    assert isinstance(progress_for(pipe, verbose=False), PlainProgress)


def test_the_live_display_shows_each_step_with_its_seconds():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=80)
    with LiveProgress(console) as live:
        live.planned(["notebook a", "notebook b", "pdf"])
        live.started("notebook a")
        live.finished("notebook a", 2.5)
        live.started("notebook b")
        rendered = live._display.make_tasks_table(live._display.tasks)
        shot = Console(file=io.StringIO(), width=80, record=True)
        shot.print(rendered)
        text = shot.export_text()
    assert re.search(r"✓ notebook a\s+2,5 s", text), text
    assert re.search(r"notebook b\s+\d+,\d s", text) and re.search(r"· pdf\s+väntar", text), text
    assert seconds_text(61.04) == "61,0 s"

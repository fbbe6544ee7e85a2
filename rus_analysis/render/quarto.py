"""Rendering with Quarto, for users who have it (conda-forge ``quarto`` or quarto.org).

The build folder mirrors the project (``_quarto.yml``, ``index.qmd``, ``notebooks/``), so the
book renders exactly as configured; each format gets its own output folder.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

from rus_analysis.render.markdown import RenderError


def quarto_path() -> str | None:
    return shutil.which("quarto")


def render_quarto(build_dir: Path, config: dict, basename: str, pdf_file: Path, html_dir: Path) -> None:
    config = {**config, "book": {**config["book"], "output-file": basename}}
    (build_dir / "_quarto.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    for fmt, out in (("html", "_quarto_html"), ("typst", "_quarto_pdf")):
        result = subprocess.run(
            ["quarto", "render", "--to", fmt, "--output-dir", out],
            cwd=build_dir, capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise RenderError(f"Quarto misslyckades ({fmt}):\n{result.stderr[-3000:]}")
    produced = build_dir / "_quarto_pdf" / f"{basename}.pdf"
    if not produced.is_file():
        raise RenderError(f"Quarto skapade ingen PDF ({produced}).")
    shutil.copy2(produced, pdf_file)
    shutil.copytree(build_dir / "_quarto_html", html_dir)

"""The project's Quarto format extension ``_extensions/rus``: the report's typst layout.

Quarto renders the book with ``format: rus-typst`` (``_quarto.yml``); Quarto resolves a format
``<name>-typst`` to the extension ``_extensions/<name>/`` of the project, a local copy first
(quarto-cli ``src/command/render/render-contexts.ts``, ``readExtensionFormat``). The built-in
renderer compiles the same typst partials (:mod:`rus_analysis.build.render.builtin`). Each build
copies the extension into its build folder, next to the year's ``_quarto.yml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from rus_analysis.build.render.markdown import RenderError

NAME = "rus"
FORMAT = f"{NAME}-typst"
# Typst text guards ("..." and a leading "12."), one file run by Quarto and by the built-in renderer.
TEXT_FILTER = "typst-text.lua"
FILES = ("_extension.yml", "typst-template.typ", "typst-show.typ", "page.typ", "numbering.typ", "rus.lua",
         TEXT_FILTER)


def extension_dir(root: Path) -> Path:
    """``<root>/_extensions/rus``."""
    return root / "_extensions" / NAME


def copy_extension(project_root: Path, build_dir: Path) -> Path:
    """Copy the extension into the build folder; a Swedish error when the project lacks it."""
    source = extension_dir(project_root)
    missing = [name for name in FILES if not (source / name).is_file()]
    if missing:
        raise RenderError(
            f"Rapportmallen är ofullständig: {', '.join(missing)} saknas i {source}. "
            "Återställ mappen _extensions/rus från projektets git-förråd.")
    target = extension_dir(build_dir)
    shutil.copytree(source, target, dirs_exist_ok=True)
    return target

"""Executed notebook → Pandoc Markdown, for the built-in renderer.

Only what a reader should see survives: Markdown cells, and each code cell's richest
displayable output (Markdown, else an image). Code, streams and plain-text reprs are dropped,
which is what Quarto does with ``echo: false``.

Image paths in the combined document are relative to the build folder (the chapter root), never
absolute: typst compiles with its root limited to that folder and pandoc finds the images there
(``--resource-path``). Paths are written with :func:`rus_analysis.report.markup.link_target`, so
spaces and non-ASCII letters in a folder name ("OneDrive - Region Örebro län/RUS uppföljning
2025") are just characters.
"""

from __future__ import annotations

import base64
import os
import posixpath
import re
from pathlib import Path, PurePosixPath

import nbformat

from rus_analysis.errors import BuildError
from rus_analysis.report.markup import Markdown, link_target, read_link_target

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.MULTILINE)
# ![description](destination): the description may hold escapes and character references (never
# a bare "]"), the destination is <…> (link_target) or a bare path without spaces.
IMAGE = re.compile(r"(!\[(?:\\.|[^\]\\\n])*\])\((<(?:\\.|[^>\\\n])*>|[^)\s]+)\)")


class RenderError(BuildError):
    """The report could not be rendered. The message is Swedish and user-facing."""


def _image_markdown(data: str, alt: str, target: Path, base: Path) -> Markdown:
    """The image written to ``target``, linked relative to ``base``; the alt text escaped."""
    target.write_bytes(base64.b64decode(data))
    link = Path(os.path.relpath(target, base)).as_posix()
    return Markdown('![{}]({}){{fig-alt="{}"}}').format(alt, link_target(link), alt)


def notebook_blocks(notebook: Path, media_dir: Path) -> list[str]:
    """What a reader sees of an executed notebook, one Markdown text per cell, in order.

    Markdown cells as they are; of a code cell, each output's Markdown (else its PNG image,
    written to ``media_dir`` with the alt text from the output's metadata). Code, streams and
    plain-text reprs are dropped, as Quarto does with ``echo: false``. Image links stay relative
    to the notebook's folder. Both renderers start from these texts, so they show the same text.

    Raises RenderError when a cell ended in an error or an image has no alt text.
    """
    nb = nbformat.read(notebook, as_version=4)
    media_dir.mkdir(parents=True, exist_ok=True)
    blocks: list[str] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            blocks.append(cell.source)
            continue
        if cell.cell_type != "code":
            continue
        parts = []
        for number, output in enumerate(cell.get("outputs", [])):
            if output.output_type == "error":
                raise RenderError(f"{notebook.name}: cell {index} slutade med fel: {output.ename}")
            data = output.get("data", {})
            if "text/markdown" in data:
                parts.append(data["text/markdown"].strip("\n"))
            elif "image/png" in data:
                alt = output.get("metadata", {}).get("alt") or ""
                if not alt:
                    raise RenderError(f"{notebook.name}: en figur i cell {index} saknar alternativtext.")
                target = media_dir / f"{notebook.stem}-{index}-{number}.png"
                parts.append(_image_markdown(data["image/png"], alt, target, notebook.parent))
        if parts:
            blocks.append("\n\n".join(parts))
    return blocks


def notebook_to_markdown(notebook: Path, media_dir: Path, root: Path | None = None) -> str:
    """One executed notebook as Markdown for the combined document (:func:`notebook_blocks`),
    rendered from ``root`` (default: the notebook's folder): image links are rebased from the
    notebook's folder onto ``root``, relative, so the combined document finds them and typst
    (root limited to the build folder) may read them."""
    blocks = notebook_blocks(notebook, media_dir)
    base = Path(os.path.relpath(notebook.parent, root or notebook.parent)).as_posix()
    return "\n\n".join(_rebase_image_paths(block, base) for block in blocks) + "\n"


def _rebase_image_paths(markdown: str, base: str) -> str:
    """Relative image paths (relative to the notebook) → relative to the chapter root, ``base``
    being the notebook's folder seen from the root. URLs and absolute paths stay as they are
    (typst's root then refuses anything outside the build folder)."""
    def fix(match: re.Match) -> str:
        path = read_link_target(match.group(2))
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path) or PurePosixPath(path).is_absolute():
            return match.group(0)
        rebased = posixpath.normpath(posixpath.join(base, path))
        return f"{match.group(1)}({link_target(rebased)})"

    return IMAGE.sub(fix, markdown)


def mark_appendix(markdown: str) -> str:
    """Mark an appendix chapter: its level-1 heading gets the class ``bilaga``.

    The built-in filter (``templates/builtin.lua``) then numbers the appendices "Bilaga A",
    "A.1" … as Quarto's book does: typst through ``rus-appendices`` in the shared typst template,
    HTML with the numbers written into the headings.
    """

    def fix(match: re.Match) -> str:
        hashes, text = match.group(1), match.group(2)
        if len(hashes) != 1:
            return match.group(0)
        attributes = re.match(r"^(.*?)\s*(?<!\\)\{([^}]*)\}$", text)  # not an escaped \{
        if attributes:
            return f"# {attributes.group(1)} {{.bilaga {attributes.group(2).strip()}}}"
        return f"# {text} {{.bilaga}}"

    return HEADING.sub(fix, markdown)


def qmd_to_markdown(path: Path) -> str:
    """A plain ``.qmd`` chapter (no code): its text without a YAML front matter."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        text = text.split("---", 2)[2]
    return text

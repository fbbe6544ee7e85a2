"""Executed notebook → Pandoc Markdown, for the built-in renderer.

Only what a reader should see survives: Markdown cells, and each code cell's richest
displayable output (Markdown, else an image). Code, streams and plain-text reprs are dropped,
which is what Quarto does with ``echo: false``.
"""

from __future__ import annotations

from rus_analysis.errors import BuildError

import base64
import os
import re
from pathlib import Path

import nbformat

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.MULTILINE)


class RenderError(BuildError):
    """The report could not be rendered. The message is Swedish and user-facing."""


def _image_markdown(data: str, alt: str, target: Path, base: Path) -> str:
    target.write_bytes(base64.b64decode(data))
    alt = alt.replace("\n", " ").replace('"', "'")
    link = Path(os.path.relpath(target, base)).as_posix()
    return f'![{alt}]({link}){{fig-alt="{alt}"}}'


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


def notebook_to_markdown(notebook: Path, media_dir: Path) -> str:
    """One executed notebook as Markdown for the combined document (:func:`notebook_blocks`),
    image links made absolute so the combined document finds them."""
    blocks = notebook_blocks(notebook, media_dir)
    return "\n\n".join(_absolute_image_paths(block, notebook.parent) for block in blocks) + "\n"


def _absolute_image_paths(markdown: str, base: Path) -> str:
    def fix(match: re.Match) -> str:
        path = match.group(2)
        if re.match(r"^[a-z]+:", path) or Path(path).is_absolute():
            return match.group(0)
        return f"{match.group(1)}({(base / path).resolve().as_posix()})"

    return re.sub(r"(!\[[^\]]*\])\(([^)\s]+)\)", fix, markdown)


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
        attributes = re.match(r"^(.*?)\s*\{([^}]*)\}$", text)
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

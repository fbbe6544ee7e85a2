"""Executed notebook → Pandoc Markdown, for the built-in renderer.

Only what a reader should see survives: Markdown cells, and each code cell's richest
displayable output (Markdown, else an image). Code, streams and plain-text reprs are dropped,
which is what Quarto does with ``echo: false``.
"""

from __future__ import annotations

from rus_analysis.errors import BuildError

import base64
import re
from pathlib import Path

import nbformat

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.MULTILINE)


class RenderError(BuildError):
    """The report could not be rendered. The message is Swedish and user-facing."""


def _image_markdown(data: str, alt: str, target: Path) -> str:
    target.write_bytes(base64.b64decode(data))
    alt = alt.replace("\n", " ").replace('"', "'")
    return f'![{alt}]({target.as_posix()}){{fig-alt="{alt}"}}'


def notebook_to_markdown(notebook: Path, media_dir: Path) -> str:
    """Convert one executed notebook; images go to ``media_dir``; paths in Markdown stay relative.

    Markdown outputs may reference image files relative to the notebook; they are rewritten
    to absolute paths so the combined document finds them.
    """
    nb = nbformat.read(notebook, as_version=4)
    media_dir.mkdir(parents=True, exist_ok=True)
    parts: list[str] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            parts.append(cell.source)
            continue
        if cell.cell_type != "code":
            continue
        for number, output in enumerate(cell.get("outputs", [])):
            if output.output_type == "error":
                raise RenderError(f"{notebook.name}: cell {index} slutade med fel: {output.ename}")
            data = output.get("data", {})
            if "text/markdown" in data:
                parts.append(_absolute_image_paths(data["text/markdown"], notebook.parent))
            elif "image/png" in data:
                alt = output.get("metadata", {}).get("alt") or ""
                if not alt:
                    raise RenderError(f"{notebook.name}: en figur i cell {index} saknar alternativtext.")
                target = media_dir / f"{notebook.stem}-{index}-{number}.png"
                parts.append(_image_markdown(data["image/png"], alt, target))
    return "\n\n".join(parts) + "\n"


def _absolute_image_paths(markdown: str, base: Path) -> str:
    def fix(match: re.Match) -> str:
        path = match.group(2)
        if re.match(r"^[a-z]+:", path) or Path(path).is_absolute():
            return match.group(0)
        return f"{match.group(1)}({(base / path).resolve().as_posix()})"

    return re.sub(r"(!\[[^\]]*\])\(([^)\s]+)\)", fix, markdown)


def mark_appendix(markdown: str, letter: str) -> str:
    """Appendix headings: "Bilaga A. …" on the chapter, and no numbers at all inside it."""

    def fix(match: re.Match) -> str:
        hashes, text = match.group(1), match.group(2)
        text = re.sub(r"\s*\{\.unnumbered\}$", "", text)
        if len(hashes) == 1:
            text = f"Bilaga {letter}. {text}"
        return f"{hashes} {text} {{.unnumbered}}"

    return HEADING.sub(fix, markdown)


def qmd_to_markdown(path: Path) -> str:
    """A plain ``.qmd`` chapter (no code): its text without a YAML front matter."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        text = text.split("---", 2)[2]
    return text

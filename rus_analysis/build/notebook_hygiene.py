"""Source notebook hygiene and preparing executed notebooks for rendering.

A clean source notebook has no outputs, no execution counts and no volatile metadata, so a
pull-request diff shows only what a person changed. The same definition drives the cleaner
(`rus notebooks rensa`) and the check in the tests.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

KEPT_NOTEBOOK_METADATA = {"kernelspec"}
KEPT_CELL_METADATA = {"tags"}
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def problems(nb: nbformat.NotebookNode) -> list[str]:
    """What makes a notebook unclean, in Swedish; empty when clean."""
    found = []
    extra = set(nb.metadata) - KEPT_NOTEBOOK_METADATA
    if extra:
        found.append(f"metadata som ska bort: {sorted(extra)}")
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        found.append("kernelspec ska vara python3")
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count") is not None):
            found.append(f"cell {index} har utdata eller körnummer")
        extra_cell = set(cell.metadata) - KEPT_CELL_METADATA
        if extra_cell:
            found.append(f"cell {index} har metadata som ska bort: {sorted(extra_cell)}")
    return found


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without outputs, execution counts or volatile metadata (changed in place and
    returned): only the kernelspec and the cell metadata that matters (``tags``) are kept.
    """
    nb.metadata = {"kernelspec": dict(KERNELSPEC)}
    for cell in nb.cells:
        cell.metadata = {k: v for k, v in cell.metadata.items() if k in KEPT_CELL_METADATA}
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def clean_file(path: Path) -> bool:
    """Clean a notebook in place; return True when it changed."""
    before = path.read_text(encoding="utf-8")
    nb = clean(nbformat.reads(before, as_version=4))
    after = nbformat.writes(nb) + "\n"
    if after != before:
        path.write_text(after, encoding="utf-8")
        return True
    return False


def unclean_notebooks(folder: Path) -> dict[Path, list[str]]:
    """Each source notebook in ``folder`` that is not clean, with its problems in Swedish."""
    result = {}
    for path in sorted(folder.glob("*.ipynb")):
        found = problems(nbformat.read(path, as_version=4))
        if found:
            result[path] = found
    return result


def prepare_for_rendering(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop what must never reach a reader: the parameters cells and run metadata."""
    nb.cells = [
        cell for cell in nb.cells
        if not {"parameters", "injected-parameters", "rus-forberedelse"} & set(cell.metadata.get("tags", []))
    ]
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return nb

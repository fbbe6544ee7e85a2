"""A new chapter notebook for a kraftsamling: one cell per indicator, in catalogue order.

``rus notebooks ny <kraftsamling-id>`` writes it. The notebook is thin: a parameters cell, the
report, the chapter heading, the kraftsamling's goal, then ``report.show_indicator("<id>")`` once
per indicator. An analyst adds cells of their own between the indicators (text, an extra chart)
and they appear in the report where they stand. The build checks that a chapter shows exactly
its catalogue indicators, so a cell per indicator is kept in this simple call shape.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from rus_analysis.config.catalogue import Catalogue
from rus_analysis.errors import ConfigError
from rus_analysis.report.markup import Markdown

PARAMETERS = (
    "# Parametrar: papermill ersätter dem när rapporten byggs för ett visst år. Utan params_dir\n"
    "# och data_dir hittas projektmappen uppåt från arbetsmappen (mappen med _quarto.yml).\n"
    "report_year = {year}\n"
    "params_dir = None\n"
    "data_dir = None"
)
OPEN_REPORT = ("from rus_analysis.report.chapter import open_report\n\n"
               "report = open_report(report_year, params_dir, data_dir)")


def _cell_id(text: str) -> str:
    """Stable cell ids, so regenerating a notebook gives the same file."""
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()[:8]


def chapter_notebook(catalogue: Catalogue, kraftsamling_id: str, year: int) -> nbformat.NotebookNode:
    """The notebook for one kraftsamling (see the module docstring)."""
    kraftsamling = next((k for k in catalogue.kraftsamlingar if k.id == kraftsamling_id), None)
    if kraftsamling is None:
        known = ", ".join(k.id for k in catalogue.kraftsamlingar)
        raise ConfigError(f"Kraftsamlingen {kraftsamling_id!r} finns inte i params/indikatorer.yml "
                          f"(kända: {known}). Lägg till den under kraftsamlingar först.")
    indicators = catalogue.for_kraftsamling(kraftsamling_id)
    if not indicators:
        raise ConfigError(f"Kraftsamlingen {kraftsamling_id!r} har inga indikatorer i "
                          "params/indikatorer.yml. Lägg till dem först.")
    cells = [
        nbformat.v4.new_code_cell(PARAMETERS.format(year=year), metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(OPEN_REPORT),
        nbformat.v4.new_markdown_cell(str(Markdown("# ") + kraftsamling.title)),  # text, escaped
        nbformat.v4.new_code_cell(f'report.show_goal("{kraftsamling_id}")'),
    ]
    for indicator in indicators:
        cells.append(nbformat.v4.new_code_cell(f'report.show_indicator("{indicator.id}")'))
    for cell in cells:
        cell["id"] = _cell_id(f"{kraftsamling_id}:{cell['source']}")
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python",
                                        "name": "python3"}}
    return notebook


def write_chapter_notebook(catalogue: Catalogue, kraftsamling_id: str, year: int,
                           folder: Path, overwrite: bool = False) -> Path:
    """Write ``<folder>/<kraftsamling-id>.ipynb``; never overwrites an analyst's notebook
    unless asked."""
    path = Path(folder) / f"{kraftsamling_id}.ipynb"
    if path.exists() and not overwrite:
        raise ConfigError(f"Notebooken {path} finns redan. Lägg till celler i den i stället, eller "
                          "ta bort den först om du vill börja om.")
    notebook = chapter_notebook(catalogue, kraftsamling_id, year)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path

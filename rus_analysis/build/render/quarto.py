"""Rendering with Quarto (1.9.18 or later), for users who have it (conda-forge ``quarto`` or quarto.org).

Quarto cannot be installed where this project is built and tested, so this module follows what
Quarto's documentation and source (github.com/quarto-dev/quarto-cli, quarto-web) say it does:

- A ``.ipynb`` is never executed unless asked (``src/execute/jupyter/jupyter.ts``, ``filterFormat``),
  and the project's ``execute`` options (``echo``, ``warning``, ``output``) reach the notebook
  converter whether or not it ran (``src/core/jupyter/tags.ts``): ``echo: false`` hides our code.
- ``text/markdown`` ranks first among a display's representations (``display-data.ts``) and is
  passed through as Markdown, image paths relative to the notebook. With ``output: asis`` there
  is no enclosing div, so headings in outputs become sections in the table of contents
  (quarto-cli #5037); but the outputs of one cell are then joined by a single newline, hence
  :func:`prepare_notebook`.
- A book's single-file format (typst → PDF) is written to the project output folder as
  ``<book.output-file>.pdf`` (quarto-web ``docs/books/book-output.qmd``, "Output Path");
  ``--output-dir`` replaces ``project.output-dir`` (``src/project/project-context.ts``); HTML
  books are a website with ``index.html``, referenced images copied along.
- ``book.title/subtitle/author/date`` become document metadata (``book-render.ts``,
  ``withBookTitleMetadata``) shown on the orange-book title page (``typst-show.typ``). ``date``
  is parsed as a date (``src/core/date.ts``): "Statistik till och med 2023" would print as
  2023-01-01, so the data cut-off goes into the subtitle instead.
- Typst books arrived in Quarto 1.9 (changelog-1.9, #13954; "Typst Books are available in
  Quarto 1.9.18", quarto-dev discussion #6979), as did ``pdf-standard: ua-1`` for typst (#4426).
  ``font-paths`` resolve against the project folder (``output-typst.ts``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import yaml

from rus_analysis.build.render.book import Book, year_config
from rus_analysis.build.render.builtin import TitlePage, font_dir
from rus_analysis.build.render.markdown import RenderError

MIN_VERSION = (1, 9, 18)
FORMATS = {"html": "_quarto_html", "typst": "_quarto_pdf"}


def quarto_path() -> str | None:
    return shutil.which("quarto")


def _run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["quarto", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise RenderError(
            f"Quarto kunde inte startas ({exc}). Installera Quarto eller välj --motor inbyggd.") from exc


def quarto_version() -> tuple[int, ...] | None:
    """The installed version, e.g. (1, 9, 18); None when ``quarto --version`` says nothing usable."""
    match = re.search(r"(\d+)\.(\d+)\.(\d+)", _run(["--version"]).stdout)
    return tuple(int(part) for part in match.groups()) if match else None


def quarto_problem() -> str | None:
    """Why Quarto cannot render the report, in Swedish; None when it can."""
    if not quarto_path():
        return "Quarto finns inte på PATH. Installera Quarto eller välj --motor inbyggd."
    version = quarto_version()
    if version is not None and version < MIN_VERSION:
        found, needed = ".".join(map(str, version)), ".".join(map(str, MIN_VERSION))
        return (f"Quarto {found} är för gammal: rapportens PDF är en typst-bok, som kräver Quarto "
                f"{needed} eller senare. Uppdatera Quarto eller välj --motor inbyggd.")
    return None


def quarto_config(book: Book, title: TitlePage, basename: str) -> dict:
    """The year's ``_quarto.yml``: its chapters, title page and output file name."""
    config = year_config(book)
    config["book"].pop("date", None)  # Quarto would parse it as a date (module docstring)
    cutoff = title.date[:1].lower() + title.date[1:]
    config["book"].update(title=title.title, subtitle=f"{title.subtitle} – {cutoff}",
                          author=title.author, **{"output-file": basename})
    return config


def prepare_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep what the built-in renderer keeps (Markdown and images), each output a block of its own."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if not any(key == "text/markdown" or key.startswith("image/") for key in data):
                continue  # streams, plain-text reprs: never shown to a reader
            if "text/markdown" in data:
                # Under output: asis Quarto joins a cell's outputs with one newline.
                data["text/markdown"] = data["text/markdown"].rstrip("\n") + "\n\n"
            kept.append(output)
        cell.outputs = kept
    return nb


def prepare_build(build_dir: Path, book: Book, title: TitlePage, basename: str) -> None:
    """Write the year's ``_quarto.yml``, the fonts and Quarto-ready notebooks into the build folder."""
    (build_dir / "_quarto.yml").write_text(
        yaml.safe_dump(quarto_config(book, title, basename), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    shutil.copytree(font_dir(), build_dir / "fonts", dirs_exist_ok=True)
    for chapter in book.chapters:
        path = build_dir / chapter.path
        if path.suffix == ".ipynb":
            nbformat.write(prepare_notebook(nbformat.read(path, as_version=4)), path)


def render_quarto(build_dir: Path, book: Book, title: TitlePage, basename: str,
                  pdf_file: Path, html_dir: Path) -> None:
    """Render the executed chapters in ``build_dir``; copy the PDF and the HTML site out."""
    problem = quarto_problem()
    if problem:
        raise RenderError(problem)
    prepare_build(build_dir, book, title, basename)
    for fmt, out in FORMATS.items():
        result = _run(["render", "--to", fmt, "--output-dir", out], cwd=build_dir)
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip()[-3000:]
            raise RenderError(f"Quarto misslyckades med formatet {fmt} (felkod {result.returncode}):\n{detail}")
    produced = build_dir / FORMATS["typst"] / f"{basename}.pdf"
    if not produced.is_file():
        raise RenderError(f"Quarto skapade ingen PDF: {produced} saknas.")
    site = build_dir / FORMATS["html"]
    if not (site / "index.html").is_file():
        raise RenderError(f"Quarto skapade ingen HTML: {site / 'index.html'} saknas.")
    shutil.copy2(produced, pdf_file)
    shutil.copytree(site, html_dir)

"""Rendering with Quarto (1.9.18 or later), for users who have it (conda-forge ``quarto`` or quarto.org).

Quarto cannot be installed where this project is built and tested, so this module follows what
Quarto's documentation and source (github.com/quarto-dev/quarto-cli, quarto-web) say it does:

- The PDF is a typst book in the project's own format ``rus-typst`` (the format extension
  ``_extensions/rus``, :mod:`rus_analysis.build.render.extension`), not Quarto's default typst
  book template (orange-book), which breaks PDF/UA-1 at every level-2 heading. A format
  ``<name>-typst`` is read from the project's ``_extensions/<name>/``
  (``src/command/render/render-contexts.ts``, ``readExtensionFormat``).
- A ``.ipynb`` is never executed unless asked (``src/execute/jupyter/jupyter.ts``). Quarto puts a
  code cell's outputs inside a ``cell`` div, and pandoc's table of contents leaves out headings
  inside divs (the HTML chapters then had no page TOC). :func:`prepare_notebook` therefore
  gives Quarto notebooks of Markdown cells only: the very Markdown the built-in renderer reads
  (:func:`rus_analysis.build.render.markdown.notebook_blocks`), so headings are sections.
- A book's single-file format (typst → PDF) is written to the project output folder as
  ``<book.output-file>.pdf`` (quarto-web ``docs/books/book-output.qmd``); ``--output-dir``
  replaces ``project.output-dir`` (``src/project/project-context.ts``); HTML books are a
  website with ``index.html``, referenced images copied along.
- ``book.title/subtitle/author/date`` become document metadata (``book-render.ts``,
  ``withBookTitleMetadata``). ``date`` is parsed as a date (``src/core/date.ts``), so it is the
  ISO publication date, printed with ``date-format`` in the document's language ("12 juni
  2025"); the statistics period goes in ``rus-statistik``, read by the title page partial.
- The HTML title block labels ``author`` with the language string ``title-block-author-single``
  ("Författare" in Quarto's Swedish file); ``_quarto.yml`` sets it to "Utgivare".
- Quarto prints its pandoc settings before an error; the cause is in its last lines. A failed
  render keeps Quarto's whole output in ``quarto.log`` in the build folder and the error leads
  with those last lines.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import yaml

from rus_analysis.build.render.book import Book, year_config
from rus_analysis.build.render.builtin import TitlePage, font_dir
from rus_analysis.build.render.extension import FORMAT
from rus_analysis.build.render.markdown import RenderError, notebook_blocks
from rus_analysis.report.markup import escape

MIN_VERSION = (1, 9, 18)
FORMATS = {"html": "_quarto_html", FORMAT: "_quarto_pdf"}
FORMAT_NAMES = {"html": "HTML-rapporten", FORMAT: "PDF-rapporten (typst)"}
LOG_NAME = "quarto.log"
DATE_FORMAT = "D MMMM YYYY"
CAUSE_LINES = 12  # Quarto's last lines searched for the first error line


def quarto_path() -> str | None:
    """The ``quarto`` executable on PATH, or None."""
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
    config["book"].pop("date", None)
    # Quarto reads these values as Markdown: escaped, they print as written (report.markup).
    config["book"].update(title=str(escape(title.title)), subtitle=str(escape(title.subtitle)),
                          author=str(escape(title.author)), **{"output-file": basename})
    if title.published:
        config["book"]["date"] = title.published.isoformat()
        config["date-format"] = DATE_FORMAT
    config["rus-statistik"] = str(escape(title.statistics))
    return config


def prepare_notebook(path: Path, media_dir: Path) -> None:
    """Rewrite an executed notebook as Markdown cells only: what the built-in renderer shows.

    No code cell is left, so Quarto wraps nothing in a ``cell`` div: the headings of the
    chapter are sections (page TOC in HTML, outline in the PDF), and Quarto has nothing to run.
    """
    blocks = notebook_blocks(path, media_dir)
    nb = nbformat.v4.new_notebook()
    nb.metadata = nbformat.read(path, as_version=4).metadata
    nb.cells = [nbformat.v4.new_markdown_cell(block) for block in blocks]
    nbformat.write(nb, path)


def prepare_build(build_dir: Path, book: Book, title: TitlePage, basename: str) -> None:
    """Write the year's ``_quarto.yml``, the fonts and Quarto-ready notebooks into the build folder.

    The format extension is already there (the pipeline copies it for both renderers).
    """
    (build_dir / "_quarto.yml").write_text(
        yaml.safe_dump(quarto_config(book, title, basename), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    shutil.copytree(font_dir(), build_dir / "fonts", dirs_exist_ok=True)
    for chapter in book.chapters:
        path = build_dir / chapter.path
        if path.suffix == ".ipynb":
            prepare_notebook(path, path.parent / "figurer")


def failure_message(fmt: str, returncode: int, output: str, log_file: Path) -> str:
    """Swedish frame around Quarto's own last error lines (the cause), pointing at the log."""
    lines = [line.rstrip() for line in output.splitlines() if line.strip()]
    tail = lines[-CAUSE_LINES:]
    marked = [i for i, line in enumerate(tail) if re.search(r"\berror\b", line, re.IGNORECASE)]
    cause = tail[marked[0]:] if marked else tail[-3:]
    cause_text = "\n".join(f"  {line}" for line in cause) or "  (Quarto skrev inget)"
    return (f"Quarto kunde inte skapa {FORMAT_NAMES.get(fmt, fmt)} (felkod {returncode}). "
            f"Orsak enligt Quarto:\n{cause_text}\nHela Quartos utskrift finns i {log_file}.")


def render_quarto(build_dir: Path, book: Book, title: TitlePage, basename: str,
                  pdf_file: Path, html_dir: Path) -> None:
    """Render the executed chapters in ``build_dir``; copy the PDF and the HTML site out."""
    problem = quarto_problem()
    if problem:
        raise RenderError(problem)
    prepare_build(build_dir, book, title, basename)
    log_file = build_dir / LOG_NAME
    with log_file.open("w", encoding="utf-8") as log:
        log.write(f"# rus rapport, Quarto {'.'.join(map(str, quarto_version() or ()))}, "
                  f"{dt.datetime.now().isoformat(timespec='seconds')}\n")
    for fmt, out in FORMATS.items():
        args = ["render", "--to", fmt, "--output-dir", out]
        result = _run(args, cwd=build_dir)
        output = "\n".join(part for part in (result.stdout, result.stderr) if part)
        with log_file.open("a", encoding="utf-8") as log:
            log.write(f"\n# quarto {' '.join(args)} → felkod {result.returncode}\n{output}\n")
        if result.returncode != 0:
            raise RenderError(failure_message(fmt, result.returncode, output, log_file))
    produced = build_dir / FORMATS[FORMAT] / f"{basename}.pdf"
    if not produced.is_file():
        raise RenderError(f"Quarto skapade ingen PDF: {produced} saknas. Se {log_file}.")
    site = build_dir / FORMATS["html"]
    if not (site / "index.html").is_file():
        raise RenderError(f"Quarto skapade ingen HTML: {site / 'index.html'} saknas. Se {log_file}.")
    shutil.copy2(produced, pdf_file)
    shutil.copytree(site, html_dir)

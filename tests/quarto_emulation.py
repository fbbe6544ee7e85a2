"""What Quarto compiles for the `rus-typst` format, put together without Quarto.

Quarto cannot be installed here. Its typst path is pandoc (typst writer, Quarto's Lua filters,
Quarto's main template with its partials) and then typst. This module does the same with the
pieces we can have: Quarto's own template and definitions (``tests/fixtures/quarto``, with
provenance), the project's extension partials over them (``_extensions/rus``, as Quarto's
``template-partials`` do), a test filter emitting the typst constructs Quarto's filters emit
(``quarto-like.lua``, which also runs the project's ``rus.lua``), the metadata Quarto passes
(``by-author``, formatted ``date``, ``lang``, ``toc-depth`` …) and the project's typst with
PDF/UA-1. What Quarto really passes is verified only against Quarto's sources.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import nbformat
import pypandoc
import typst
import yaml

from rus_analysis.build.render.book import Book
from rus_analysis.build.render.builtin import TEMPLATES, TitlePage, font_dir, swedish_date
from rus_analysis.build.render.extension import extension_dir
from rus_analysis.build.render.markdown import qmd_to_markdown
from rus_analysis.build.render.quarto import prepare_notebook
from rus_analysis.report.markup import escape, link_target, read_link_target
from support import FIXTURES, PROJECT, pdf_pages

QUARTO_FIXTURES = FIXTURES / "quarto"
QUARTO_LIKE_FILTER = QUARTO_FIXTURES / "quarto-like.lua"
TEMPLATE_ORDERS = ("quarto-1.10-book", "quarto-cli-d3c7193", "quarto-brand")
# Quarto's Swedish language file: the synthetic divider before a book's appendices.
APPENDICES_TITLE = "Bilagor"
# Quarto's callout renderer imports @preview/fontawesome in the header for the icon function it
# passes to `callout`; packages cannot be fetched here, so a stand-in for that function.
HEADER_INCLUDES = """header-includes: |
  ```{=typst}
  #let fa-exclamation-triangle() = none
  ```
"""


def book_item(kind: str) -> str:
    """The marker quarto-like.lua reads as Quarto's book file metadata (chapter / appendix)."""
    return f"<!-- quarto-book-item: {kind} -->"


def quarto_book_markdown(book: Book, build_dir: Path, work_dir: Path) -> str:
    """The book's chapters as Quarto puts them in one document for a single-file format.

    The executed notebooks (in ``build_dir``) are prepared as the Quarto path prepares them
    (Markdown cells only, on a copy), each file is marked chapter or appendix, and Quarto's
    unnumbered "Bilagor" divider stands before the first appendix. Image links are made
    absolute (Quarto resolves them against the notebook's folder).
    """
    shutil.copytree(build_dir / "notebooks", work_dir / "notebooks", dirs_exist_ok=True)
    parts = []
    divider = False
    for chapter in book.chapters:
        if chapter.appendix and not divider:
            parts += [book_item("appendix"), f"# {APPENDICES_TITLE} {{.unnumbered}}"]
            divider = True
        parts.append(book_item("appendix" if chapter.appendix else "chapter"))
        if chapter.path.endswith(".ipynb"):
            path = work_dir / chapter.path
            prepare_notebook(path, path.parent / "figurer")
            text = "\n\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells)
            parts.append(absolute_images(text, path.parent))
        else:
            parts.append(qmd_to_markdown(build_dir / chapter.path))
    return "\n\n".join(parts) + "\n"


def absolute_images(markdown: str, base: Path) -> str:
    """Image links (``path`` or ``<path>``, relative to ``base``) made absolute."""
    def fix(match: re.Match) -> str:
        link = read_link_target(match.group(2))
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", link) or Path(link).is_absolute():
            return match.group(0)
        return f"{match.group(1)}({link_target(str((base / link).resolve()))})"

    return re.sub(r"(!\[[^\]]*\])\((<[^>]*>|[^)\s]+)\)", fix, markdown)


def quarto_metadata(title: TitlePage) -> dict:
    """The metadata Quarto hands pandoc for the year's book (book title metadata, language,
    format options of _quarto.yml and the extension), as far as the template reads it."""
    # Escaped as rus_analysis.build.render.quarto.quarto_config writes them: Quarto reads them as Markdown.
    metadata = {
        "title": str(escape(title.title)),
        "subtitle": str(escape(title.subtitle)),
        "by-author": [{"name": {"literal": str(escape(title.author))}}],
        "lang": "sv-SE",
        "toc": True,
        "toc-depth": 2,
        "toc-title": "Innehåll",
        "section-numbering": "1.1.a",
        "papersize": "a4",
        "rus-statistik": str(escape(title.statistics)),
    }
    if title.published:
        metadata["date"] = swedish_date(title.published)  # Quarto formats it with date-format
    return metadata


def quarto_templates(order: str, target: Path) -> Path:
    """Quarto's template (in one of the known partial orders) and partials, with the extension's
    partials over Quarto's, as Quarto stages them for pandoc."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("definitions.typ", "notes.typ", "biblio.typ", "brand.typ"):
        shutil.copyfile(QUARTO_FIXTURES / name, target / name)
    shutil.copyfile(QUARTO_FIXTURES / f"template-{order}.typ", target / "template.typ")
    for partial in extension_dir(PROJECT).glob("*.typ"):
        shutil.copyfile(partial, target / partial.name)
    return target / "template.typ"


def extension_filters(extension: Path) -> list[Path]:
    """The typst format's filters as ``_extension.yml`` lists them, in order (what Quarto runs)."""
    manifest = yaml.safe_load((extension / "_extension.yml").read_text(encoding="utf-8"))
    entries = manifest["contributes"]["formats"]["typst"].get("filters", [])
    return [extension / (entry["path"] if isinstance(entry, dict) else entry) for entry in entries]


def render_like_quarto(markdown: str, title: TitlePage, work_dir: Path,
                       order: str = TEMPLATE_ORDERS[0]) -> Path:
    """Markdown → typst as Quarto makes it → PDF/UA-1 with the project's typst. Returns the PDF."""
    work_dir.mkdir(parents=True, exist_ok=True)
    template = quarto_templates(order, work_dir / f"templates-{order}")
    metadata_file = work_dir / "metadata.yml"
    metadata_file.write_text(yaml.safe_dump(quarto_metadata(title), allow_unicode=True) + HEADER_INCLUDES,
                             encoding="utf-8")
    typ_file = work_dir / f"quarto-{order}.typ"
    previous = os.environ.get("RUS_QUARTO_FILTERS")
    os.environ["RUS_QUARTO_FILTERS"] = "\n".join(str(path) for path in extension_filters(extension_dir(PROJECT)))
    try:
        pypandoc.convert_text(
            markdown, "typst", format="markdown", outputfile=str(typ_file),
            extra_args=["--standalone", "--wrap=none", f"--template={template}",
                        # Quarto's conditional content (HTML-only download links), which Quarto
                        # handles itself, as the built-in renderer emulates it.
                        f"--lua-filter={TEMPLATES / 'villkor.lua'}",
                        f"--lua-filter={QUARTO_LIKE_FILTER}", f"--metadata-file={metadata_file}"],
        )
    finally:
        if previous is None:
            os.environ.pop("RUS_QUARTO_FILTERS", None)
        else:
            os.environ["RUS_QUARTO_FILTERS"] = previous
    pdf_file = typ_file.with_suffix(".pdf")
    typst.compile(str(typ_file), output=str(pdf_file), root="/", font_paths=[str(font_dir())],
                  ignore_system_fonts=True, pdf_standards=["ua-1"])
    return pdf_file


def pdf_facts(path: Path) -> dict:
    """What the parity checks compare: outline entries (heading numbers and text), figure and
    table captions with their numbers, alt texts in the structure tree, page count, /Lang and
    the document title."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    reader = PdfReader(path)

    def flatten(items) -> list[str]:
        out = []
        for item in items:
            out += flatten(item) if isinstance(item, list) else [" ".join(item.title.split())]
        return out

    alts: list[str] = []
    seen: set[int] = set()

    def walk(node) -> None:
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                return
            seen.add(node.idnum)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            if "/Alt" in node:
                alts.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, ArrayObject):
            for child in node:
                walk(child)

    root = reader.trailer["/Root"]
    walk(root["/StructTreeRoot"])
    pages = pdf_pages(path)  # parsed once per session (the built-in PDF is read by other tests too)
    text = "\n".join(pages)
    # Number and first line only (30 characters): captions may wrap at different places.
    captions = [" ".join(m.group(0).split())[:30] for m in
                re.finditer(r"(Tabell|Figur) [0-9A-Z]+\.\d+:[^\n]*", text)]
    return {
        "outline": flatten(reader.outline),
        "captions": captions,
        "alts": sorted(alts),
        "pages": len(reader.pages),
        "empty_pages": [i + 1 for i, page in enumerate(pages) if not page.strip()],
        "lang": str(root.get("/Lang")),
        "title": str(reader.metadata.get("/Title")),
        "author": str(reader.metadata.get("/Author")),
        "text": text,
    }

"""The built-in renderer: the same book as Quarto, made with pandoc (HTML, typst) and typst (PDF).

Used when Quarto is not installed. The PDF layout is the project's Quarto format extension
(``_extensions/rus``): its typst partials are put together in the order of Quarto's own typst
template (``templates/typst/template.typ``) and compiled with PDF/UA-1, so both renderers share
one design. Fonts come only from :func:`font_dir` (shipped with the pinned matplotlib), never
from the machine, so the PDF is the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import matplotlib
import pypandoc
import typst

from rus_analysis.build.render.book import Book
from rus_analysis.build.render.markdown import RenderError, mark_appendix, notebook_to_markdown, qmd_to_markdown

TEMPLATES = resources.files("rus_analysis.build") / "templates"
BUILTIN_FILTER = TEMPLATES / "builtin.lua"
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december")
TOC_TITLE = "Innehåll"


def font_dir() -> Path:
    """DejaVu Sans as shipped inside matplotlib: a pinned dependency, so fonts never drift."""
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def swedish_date(day: dt.date) -> str:
    """``2025-06-12`` → ``12 juni 2025`` (what Quarto prints for ``date-format: D MMMM YYYY``, lang sv)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class TitlePage:
    """What the title page shows: title, "Uppföljningsrapport <år>", the publisher, the
    statistics period ("Statistik till och med 2024") and the publication date."""

    title: str
    subtitle: str
    author: str
    statistics: str
    published: dt.date | None = None


def combined_markdown(book: Book, chapter_root: Path, media_dir: Path) -> str:
    """All chapters in order as one Pandoc Markdown document."""
    parts = []
    for chapter in book.chapters:
        source = chapter_root / chapter.path
        if not source.is_file():
            raise RenderError(f"Kapitlet {chapter.path} finns inte i {chapter_root}.")
        if source.suffix == ".ipynb":
            text = notebook_to_markdown(source, media_dir)
        else:
            text = qmd_to_markdown(source)
        if chapter.appendix:
            text = mark_appendix(text)
        parts.append(text)
    return "\n\n".join(parts)


def _metadata_args(title: TitlePage) -> list[str]:
    args = [
        f"--metadata=title:{title.title}",
        f"--metadata=subtitle:{title.subtitle}",
        f"--metadata=author:{title.author}",
        f"--metadata=rus-statistik:{title.statistics}",
        "--metadata=lang:sv-SE",
        f"--metadata=toc-title:{TOC_TITLE}",
        "--metadata=toc-depth:2",
    ]
    if title.published:
        args.append(f"--metadata=date:{swedish_date(title.published)}")
    return args


def typst_template(extension: Path, target: Path) -> Path:
    """The pandoc template for typst in ``target``: the extension's partials (``*.typ``) and the
    built-in renderer's main template and definitions, side by side as pandoc wants partials."""
    partials = sorted(extension.glob("*.typ"))
    if not partials:
        raise RenderError(f"Rapportmallen saknas: {extension} har inga typst-filer (*.typ).")
    target.mkdir(parents=True, exist_ok=True)
    for partial in partials:
        shutil.copyfile(partial, target / partial.name)
    for name in ("template.typ", "definitions.typ"):
        (target / name).write_bytes((TEMPLATES / "typst" / name).read_bytes())
    return target / "template.typ"


def render_pdf(markdown_file: Path, pdf_file: Path, title: TitlePage, extension: Path) -> None:
    """Markdown → typst (pandoc, the extension's layout) → PDF/UA-1 (typst). HTML-only content
    (download links) is left out (``templates/villkor.lua``)."""
    typ_file = markdown_file.with_suffix(".typ")
    template = typst_template(extension, markdown_file.parent / "_typst")
    pypandoc.convert_file(
        str(markdown_file), "typst", format="markdown", outputfile=str(typ_file),
        extra_args=[
            "--standalone", "--number-sections", "--wrap=none",
            f"--template={template}",
            f"--lua-filter={TEMPLATES / 'villkor.lua'}",
            f"--lua-filter={BUILTIN_FILTER}",
            *_metadata_args(title),
        ],
    )
    try:
        # PDF/UA-1 (ISO 14289): the build fails rather than ship an inaccessible PDF.
        typst.compile(
            str(typ_file), output=str(pdf_file), root="/",
            font_paths=[str(font_dir())], ignore_system_fonts=True, pdf_standards=["ua-1"],
        )
    except RuntimeError as exc:
        raise RenderError(f"typst kunde inte skapa en tillgänglig PDF (PDF/UA-1): {exc}") from exc


def render_html(markdown_file: Path, html_file: Path, title: TitlePage,
                downloads: dict[str, str] | None = None) -> None:
    """One self-contained HTML file (images embedded; data files beside it).

    ``downloads`` maps ``pdf-link`` and ``xlsx-link`` to paths relative to ``html_file``; they
    are shown under the title. Captions are numbered and tables scroll in their own region
    (``templates/rapport-html.lua``); HTML-only content is kept (``templates/villkor.lua``).
    """
    links = [f"--metadata={key}:{value}" for key, value in (downloads or {}).items()]
    args = _metadata_args(title)
    if title.published:  # the HTML title block labels the date as Quarto's does
        args[-1] = f"--metadata=date:Publicerad {swedish_date(title.published)}"
    pypandoc.convert_file(
        str(markdown_file), "html5", format="markdown", outputfile=str(html_file),
        extra_args=[
            "--standalone", "--embed-resources", "--toc", "--toc-depth=2", "--number-sections",
            f"--css={TEMPLATES / 'rapport.css'}",
            f"--template={TEMPLATES / 'rapport.html'}",
            f"--lua-filter={TEMPLATES / 'villkor.lua'}",
            f"--lua-filter={TEMPLATES / 'rapport-html.lua'}",
            f"--lua-filter={BUILTIN_FILTER}",
            *links,
            f"--metadata=pagetitle:{title.title} – {title.subtitle}",
            *args,
        ],
    )

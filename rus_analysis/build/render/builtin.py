"""The built-in renderer: the same book as Quarto, made with pandoc (HTML, typst) and typst (PDF).

Used when Quarto is not installed. Fonts come only from :func:`font_dir` (shipped with the
pinned matplotlib), never from the machine, so the PDF is the same everywhere.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import matplotlib
import pypandoc
import typst

from rus_analysis.build.render.book import Book
from rus_analysis.build.render.markdown import RenderError, mark_appendix, notebook_to_markdown, qmd_to_markdown

TEMPLATES = resources.files("rus_analysis.build") / "templates"


def font_dir() -> Path:
    """DejaVu Sans as shipped inside matplotlib: a pinned dependency, so fonts never drift."""
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


@dataclass(frozen=True)
class TitlePage:
    title: str
    subtitle: str
    author: str
    date: str


def combined_markdown(book: Book, chapter_root: Path, media_dir: Path) -> str:
    """All chapters in order as one Pandoc Markdown document."""
    parts = []
    appendix_letters = iter(string.ascii_uppercase)
    for chapter in book.chapters:
        source = chapter_root / chapter.path
        if not source.is_file():
            raise RenderError(f"Kapitlet {chapter.path} finns inte i {chapter_root}.")
        if source.suffix == ".ipynb":
            text = notebook_to_markdown(source, media_dir)
        else:
            text = qmd_to_markdown(source)
        if chapter.appendix:
            text = mark_appendix(text, next(appendix_letters))
        parts.append(text)
    return "\n\n".join(parts)


def _metadata_args(title: TitlePage) -> list[str]:
    return [
        f"--metadata=title:{title.title}",
        f"--metadata=subtitle:{title.subtitle}",
        f"--metadata=author:{title.author}",
        f"--metadata=date:{title.date}",
        "--metadata=lang:sv-SE",
    ]


def render_pdf(markdown_file: Path, pdf_file: Path, title: TitlePage) -> None:
    typ_file = markdown_file.with_suffix(".typ")
    pypandoc.convert_file(
        str(markdown_file), "typst", format="markdown", outputfile=str(typ_file),
        extra_args=[
            "--standalone", "--number-sections", "--wrap=none",
            f"--template={TEMPLATES / 'rapport.typ'}",
            f"--lua-filter={TEMPLATES / 'typst-alt.lua'}",
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


def render_html(markdown_file: Path, html_file: Path, title: TitlePage) -> None:
    pypandoc.convert_file(
        str(markdown_file), "html5", format="markdown", outputfile=str(html_file),
        extra_args=[
            "--standalone", "--embed-resources", "--toc", "--toc-depth=2", "--number-sections",
            f"--css={TEMPLATES / 'rapport.css'}",
            f"--template={TEMPLATES / 'rapport.html'}",
            f"--metadata=pagetitle:{title.title} – {title.subtitle}",
            "--metadata=toc-title:Innehåll",
            *_metadata_args(title),
        ],
    )

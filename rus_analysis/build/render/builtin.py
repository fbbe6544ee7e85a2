"""The built-in renderer: the same book as Quarto, made with pandoc (HTML, typst) and typst (PDF).

Used when Quarto is not installed. The PDF layout is the project's Quarto format extension
(``_extensions/rus``): its typst partials are put together in the order of Quarto's own typst
template (``templates/typst/template.typ``) and compiled with PDF/UA-1, so both renderers share
one design. Fonts come only from :func:`font_dir` (shipped with the pinned matplotlib), never
from the machine, so the PDF is the same everywhere.

Text from data is inert here twice over. It reaches the Markdown escaped
(:mod:`rus_analysis.report.markup`), the title page included (a metadata file of escaped
values); and as a second line of defence pandoc reads the Markdown without the extensions that
make text active (:data:`~rus_analysis.report.markup.READER_FORMAT`: no raw HTML or typst, no
citations, no math), and typst compiles with its root at the build folder, so even typst code
that slipped through could not read a file outside it.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import matplotlib
import pypandoc
import typst
import yaml

from rus_analysis.build.render.book import Book
from rus_analysis.build.render.extension import TEXT_FILTER
from rus_analysis.build.render.markdown import RenderError, mark_appendix, notebook_to_markdown, qmd_to_markdown
from rus_analysis.report.markup import READER_FORMAT, escape

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
    """All chapters in order as one Pandoc Markdown document, to be rendered from
    ``chapter_root``: every image path in it is relative to that folder."""
    parts = []
    for chapter in book.chapters:
        source = chapter_root / chapter.path
        if not source.is_file():
            raise RenderError(f"Kapitlet {chapter.path} finns inte i {chapter_root}.")
        if source.suffix == ".ipynb":
            text = notebook_to_markdown(source, media_dir, root=chapter_root)
        else:
            text = qmd_to_markdown(source)
        if chapter.appendix:
            text = mark_appendix(text)
        parts.append(text)
    return "\n\n".join(parts)


def metadata_file(markdown_file: Path, title: TitlePage, suffix: str, **extra: str) -> Path:
    """The document metadata as YAML beside the Markdown (``<name>.<suffix>.yml``). Pandoc reads
    metadata values as Markdown, so every text value is escaped: a title with ``@``, ``*`` or
    ``<`` is shown as written."""
    texts = {"title": title.title, "subtitle": title.subtitle, "author": title.author,
             "rus-statistik": title.statistics, "toc-title": TOC_TITLE, **extra}
    if title.published:
        texts.setdefault("date", swedish_date(title.published))
    metadata: dict[str, object] = {key: str(escape(value)) for key, value in texts.items()}
    metadata.update({"lang": "sv-SE", "toc-depth": 2})
    path = markdown_file.with_name(f"{markdown_file.stem}.{suffix}.yml")
    path.write_text(yaml.safe_dump(metadata, allow_unicode=True, sort_keys=True), encoding="utf-8")
    return path


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


def render_pdf(markdown_file: Path, pdf_file: Path, title: TitlePage, extension: Path,
               timestamp: int | None = None) -> None:
    """Markdown → typst (pandoc, the extension's layout) → PDF/UA-1 (typst), rendered from the
    Markdown's folder (the build folder): image paths are relative to it and typst may read
    nothing outside it. HTML-only content (download links) is left out (``templates/villkor.lua``).
    ``timestamp`` (UNIX seconds) is the PDF's creation date; a fixed one makes the same inputs
    give byte-identical PDFs."""
    root = markdown_file.parent
    typ_file = markdown_file.with_suffix(".typ")
    template = typst_template(extension, root / "_typst")
    run_pandoc(
        markdown_file, "typst", typ_file,
        [
            "--standalone", "--number-sections", "--wrap=none",
            f"--template={template}",
            f"--lua-filter={TEMPLATES / 'villkor.lua'}",
            f"--lua-filter={extension / TEXT_FILTER}",
            f"--lua-filter={BUILTIN_FILTER}",
            f"--metadata-file={metadata_file(markdown_file, title, 'pdf')}",
            f"--resource-path={root}",
        ],
        root,  # image paths are relative to the build folder, also for the filters
    )
    compile_typst(typ_file, pdf_file, timestamp)


def run_pandoc(source: Path, to: str, output: Path, extra_args: list[str], cwd: Path) -> None:
    """pandoc: ``source`` (Markdown, :data:`~rus_analysis.report.markup.READER_FORMAT`) to the
    format ``to``, written to ``output``, with pandoc working in ``cwd``.

    The pandoc binary is pypandoc's, but it runs with ``cwd`` given to the process, never by
    changing this process's working directory as pypandoc's ``cworkdir`` does (``os.chdir``
    before and after its call): with the PDF and the HTML rendered at the same time, the two
    calls interleaved and left this process in the build folder, and once a later build had
    removed that folder no kernel could start in the process. Raises :class:`RenderError`
    (Swedish, with pandoc's own message) when pandoc fails."""
    done = subprocess.run(
        [pypandoc.get_pandoc_path(), str(source), f"--from={READER_FORMAT}", f"--to={to}",
         f"--output={output}", *extra_args],
        cwd=cwd, capture_output=True, text=True, encoding="utf-8", errors="replace", check=False)
    if done.returncode != 0:
        raise RenderError(f"pandoc kunde inte göra om {source.name} till {to}: "
                          f"{done.stderr.strip() or f'slutkod {done.returncode}'}")


def compile_typst(typ_file: Path, pdf_file: Path, timestamp: int | None = None) -> None:
    """typst → PDF/UA-1 with typst's root at ``typ_file``'s folder: a file outside it (``../x``,
    ``/etc/hostname``) cannot be read, included or shown. Raises :class:`RenderError` (Swedish)
    when typst fails; no PDF is left behind then."""
    try:
        # PDF/UA-1 (ISO 14289): the build fails rather than ship an inaccessible PDF.
        typst.compile(
            str(typ_file), output=str(pdf_file), root=str(typ_file.parent),
            font_paths=[str(font_dir())], ignore_system_fonts=True, pdf_standards=["ua-1"],
            timestamp=timestamp,
        )
    except RuntimeError as exc:
        pdf_file.unlink(missing_ok=True)
        raise RenderError(f"typst kunde inte skapa en tillgänglig PDF (PDF/UA-1): {exc}") from exc


def render_html(markdown_file: Path, html_file: Path, title: TitlePage,
                downloads: dict[str, str] | None = None) -> None:
    """One self-contained HTML file (images embedded, found relative to the Markdown's folder;
    data files beside it).

    ``downloads`` maps ``pdf-link`` and ``xlsx-link`` to paths relative to ``html_file``; they
    are shown under the title. Captions are numbered and tables scroll in their own region
    (``templates/rapport-html.lua``); HTML-only content is kept (``templates/villkor.lua``).
    """
    links = [f"--metadata={key}:{value}" for key, value in (downloads or {}).items()]
    extra = {"pagetitle": f"{title.title} – {title.subtitle}"}
    if title.published:  # the HTML title block labels the date as Quarto's does
        extra["date"] = f"Publicerad {swedish_date(title.published)}"
    run_pandoc(
        markdown_file, "html5", html_file,
        [
            "--standalone", "--embed-resources", "--toc", "--toc-depth=2", "--number-sections",
            # Footnotes (an analyst's comment can have them) at the end of their chapter, as
            # Quarto's HTML book shows them on the chapter's page, not all after the last appendix.
            "--reference-location=section",
            f"--css={TEMPLATES / 'rapport.css'}",
            f"--template={TEMPLATES / 'rapport.html'}",
            f"--lua-filter={TEMPLATES / 'villkor.lua'}",
            f"--lua-filter={TEMPLATES / 'rapport-html.lua'}",
            f"--lua-filter={BUILTIN_FILTER}",
            *links,
            f"--metadata-file={metadata_file(markdown_file, title, 'html', **extra)}",
            f"--resource-path={markdown_file.parent}",
        ],
        markdown_file.parent,  # image paths are relative to the build folder
    )

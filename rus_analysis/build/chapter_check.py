"""Before publishing: every indicator the catalogue places in a kraftsamling is in its chapter.

``Report.show_indicator`` marks each indicator's heading output with its id
(:data:`~rus_analysis.report.display.INDICATOR_MARKER`). A chapter that ran without errors but
lost indicators (a notebook edited by hand, a cell deleted) stops the build here, naming the
chapter and the missing indicators, instead of publishing a shorter report with exit code 0.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from rus_analysis.build.render.book import Book
from rus_analysis.config.catalogue import Catalogue
from rus_analysis.errors import BuildError
from rus_analysis.report.display import INDICATOR_MARKER


class ChapterIncompleteError(BuildError):
    """A kraftsamling's chapter does not show all of the kraftsamling's indicators."""


def shown_indicators(nb: nbformat.NotebookNode) -> list[str]:
    """Indicator ids marked in the executed notebook's outputs, in order."""
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            marker = output.get("metadata", {}).get(INDICATOR_MARKER)
            if isinstance(marker, str):
                found.append(marker)
    return found


def check_chapters(book: Book, catalogue: Catalogue, kraftsamlingar: list[str], build_dir: Path) -> None:
    """Raise :class:`ChapterIncompleteError` when a kraftsamling chapter misses indicators."""
    chapters = {c.stem: c for c in book.chapters}
    for kraftsamling_id in kraftsamlingar:
        chapter = chapters.get(kraftsamling_id)
        if chapter is None or not chapter.path.endswith(".ipynb"):
            continue
        shown = set(shown_indicators(nbformat.read(build_dir / chapter.path, as_version=4)))
        missing = [i for i in catalogue.for_kraftsamling(kraftsamling_id) if i.id not in shown]
        if missing:
            titles = "; ".join(f"{i.title} ({i.id})" for i in missing)
            raise ChapterIncompleteError(
                f"Kapitlet {chapter.path} visar inte {len(missing)} av kraftsamlingens indikatorer: {titles}. "
                f"Katalogen (params/indikatorer.yml) placerar dem i kraftsamlingen "
                f"{catalogue.kraftsamling(kraftsamling_id).title}. Kontrollera att notebooken anropar "
                f'report.show_indicators("{kraftsamling_id}") med rätt id. Inget publicerades.'
            )


def figures_without_web_drawings(build_dir: Path) -> list[str]:
    """The print figures (``figurer/<name>.<png|svg>`` under ``build_dir``, relative POSIX paths,
    sorted) that lack a web drawing (``<name>.phone.svg``, :data:`WEB_VARIANTS`) beside them; empty
    when the web drawings are switched off (``RUS_WEB_VARIANTS=0``). Such a chart shows its print
    image on a phone (``templates/rapport-html.lua``), so the build says so (F17)."""
    from rus_analysis.report.figure_cache import WEB_VARIANTS, web_drawings

    if not web_drawings():
        return []
    lacking = []
    for image in sorted(build_dir.rglob("figurer/*")):
        stem, _, extension = image.name.partition(".")
        if extension not in ("png", "svg"):  # a web drawing (x.phone.svg) or anything else
            continue
        if any(not (image.parent / f"{stem}.{variant}.svg").is_file() for variant in WEB_VARIANTS):
            lacking.append(image.relative_to(build_dir).as_posix())
    return lacking

"""The chapter list of ``_quarto.yml``: the single source both renderers read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rus_analysis.config.yaml_files import SettingsError, read_yaml


@dataclass(frozen=True)
class Chapter:
    """One chapter of the book: its path in the project and whether it is an appendix (bilaga)."""

    path: str  # relative to the project root, e.g. "notebooks/barn_och_unga.ipynb"
    appendix: bool = False

    @property
    def stem(self) -> str:
        """The chapter's file name without extension; a kraftsamling's chapter stem is its id."""
        return Path(self.path).stem


@dataclass(frozen=True)
class Book:
    """``_quarto.yml``: its whole configuration and its chapters in order (appendices last)."""

    config: dict
    chapters: tuple[Chapter, ...]

    @property
    def title(self) -> str:
        """The book's title from ``_quarto.yml`` (``book.title``)."""
        return self.config["book"]["title"]


def read_book(quarto_yml: Path) -> Book:
    """The book in ``_quarto.yml``: its configuration and chapters (``book.chapters`` then
    ``book.appendices``, in order). Raises SettingsError (a ConfigError) when the file is missing,
    invalid or has no ``book.chapters``.
    """
    config = read_yaml(quarto_yml)
    try:
        book = config["book"]
        chapters = [Chapter(p) for p in book["chapters"]]
    except (TypeError, KeyError) as exc:
        raise SettingsError(f"Fel i {quarto_yml}: 'book.chapters' saknas.") from exc
    chapters += [Chapter(p, appendix=True) for p in book.get("appendices", [])]
    return Book(config=config, chapters=tuple(chapters))


def select_chapters(book: Book, kraftsamlingar: list[str], all_kraftsamlingar: list[str]) -> Book:
    """Keep the chapters of the report year's kraftsamlingar, in ``_quarto.yml`` order.

    A kraftsamling notebook not chosen for the year is dropped; a chosen one without a
    chapter in ``_quarto.yml`` is an error, so a fourth area cannot silently vanish.
    """
    stems = {c.stem for c in book.chapters}
    missing = [k for k in kraftsamlingar if k not in stems]
    if missing:
        raise SettingsError(
            f"Kraftsamlingarna {missing} saknar kapitel i _quarto.yml. "
            f"Lägg till notebooks/<id>.ipynb under book.chapters."
        )
    dropped = set(all_kraftsamlingar) - set(kraftsamlingar)
    kept = tuple(c for c in book.chapters if c.stem not in dropped)
    return Book(config=book.config, chapters=kept)


def year_config(book: Book) -> dict:
    """The ``_quarto.yml`` for one year's build folder: the year's chapters, in order."""
    config = {**book.config, "book": dict(book.config["book"])}
    config["book"]["chapters"] = [c.path for c in book.chapters if not c.appendix]
    appendices = [c.path for c in book.chapters if c.appendix]
    if appendices:
        config["book"]["appendices"] = appendices
    else:
        config["book"].pop("appendices", None)
    return config

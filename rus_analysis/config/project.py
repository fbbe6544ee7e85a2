"""Where the project is: found once, then passed down. Nothing in the package looks beside itself.

A project folder holds ``_quarto.yml`` (the book), ``params/`` (catalogue, thresholds, one file per
report year), ``data/`` (the snapshot), ``notebooks/`` and, once built, ``_build/`` and ``_output/``.
:func:`find_project_root` decides which folder that is: ``--projekt`` when given, else the
environment variable ``RUS_PROJEKT``, else the nearest folder from the working directory upwards
that holds ``_quarto.yml``. The package works the same installed from a wheel or editable.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from rus_analysis.errors import ConfigError

PROJECT_ENV = "RUS_PROJEKT"
MARKER = "_quarto.yml"
# What a report build reads from the project folder (the rest is written by the build).
BUILD_INPUTS = ("_quarto.yml", "_extensions", "index.qmd", "notebooks", "params", "data", "kommentarer")


def find_project_root(explicit: str | Path | None = None, start: str | Path | None = None) -> Path:
    """The project folder, resolved to an absolute path.

    Order: ``explicit`` (the CLI's ``--projekt``), then ``$RUS_PROJEKT``, then the first of
    ``start`` (default: the working directory) and its parents that holds ``_quarto.yml``.
    Raises ConfigError (Swedish) when the named folder is not a project, or none is found.
    """
    for given, how in ((explicit, "--projekt"), (os.environ.get(PROJECT_ENV) or None, PROJECT_ENV)):
        if given is not None:
            root = Path(given).expanduser().resolve()
            if not (root / MARKER).is_file():
                raise ConfigError(f"{root} (från {how}) är ingen projektmapp: filen {MARKER} saknas där.")
            return root
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    raise ConfigError(f"Hittar ingen projektmapp: ingen {MARKER} i {here} eller mapparna ovanför. Kör "
                      f"kommandot i projektmappen, ange --projekt MAPP eller sätt miljövariabeln {PROJECT_ENV}.")


@dataclass(frozen=True)
class Project:
    """The paths of one project folder; build one with ``Project(find_project_root(...))``."""

    root: Path

    @property
    def params_dir(self) -> Path:
        """``params/``: the catalogue, the thresholds and one ``<år>.yml`` per report year."""
        return self.root / "params"

    @property
    def catalogue_file(self) -> Path:
        """``params/indikatorer.yml``, the indicator catalogue."""
        return self.params_dir / "indikatorer.yml"

    @property
    def thresholds_file(self) -> Path:
        """``params/bedomning.yml``, the målbedömning's thresholds (load with ``load_thresholds``)."""
        return self.params_dir / "bedomning.yml"

    @property
    def data_dir(self) -> Path:
        """``data/``, the snapshot (``data/series/<id>.csv`` and provenance records)."""
        return self.root / "data"

    @property
    def book_file(self) -> Path:
        """``_quarto.yml``, the book: chapter order and formats for both renderers."""
        return self.root / MARKER

    @property
    def shared_sources_dir(self) -> Path:
        """``../shared/sources`` beside the project: the shared source files for ``rus data bygg``."""
        return self.root.parent / "shared" / "sources"

    def output_dir(self, year: int) -> Path:
        """``_output/<year>/``, where the published PDF, HTML and manifest of a year go."""
        return self.root / "_output" / str(year)

    def build_dir(self, year: int) -> Path:
        """``_build/<year>/``, the year's scratch folder (executed notebooks, figures, Markdown)."""
        return self.root / "_build" / str(year)


def copy_project(source: Path, target: Path) -> Path:
    """Copy the files a report build reads (``BUILD_INPUTS``) from ``source`` into ``target``.

    For a throwaway project: back tests, tests and trial builds. Figures and notebook checkpoints
    are left behind; a missing optional input (``kommentarer/``) is skipped. Returns ``target``.
    """
    target.mkdir(parents=True, exist_ok=True)
    for name in BUILD_INPUTS:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, target / name,
                            ignore=shutil.ignore_patterns("figurer", "datafiler", ".ipynb_checkpoints"))
        elif src.is_file():
            shutil.copy2(src, target / name)
    return target

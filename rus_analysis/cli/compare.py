"""``rus jamfor``: what a change does to the report, as Markdown for a pull request."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Optional

import typer

from rus_analysis.errors import ConfigError, os_error_text

_YEAR = re.compile(r"^\d{4}$")


# The command's help: paragraphs as single lines (typer keeps a docstring's line breaks).
HELP = (
    "Jämför två rapportår eller två git-revisioner och skriv ändringarna som Markdown.\n\n"
    "Ändrade bedömningar, värden som ändrats mer än avrundningen, serier som fått eller förlorat "
    "dataår och ändrade kommentarer, att klistra in i en pull request. En revision bedöms med sin "
    "egen kod, sina parametrar och sina data; ingen PDF byggs."
)


def jamfor(
    a: str = typer.Argument(..., metavar="A",
                            help="Före: ett rapportår (2024) eller en git-revision (main, en commit)."),
    b: str = typer.Argument(..., metavar="B", help="Efter: ett rapportår (2025) eller en git-revision (HEAD)."),
    ar: Optional[int] = typer.Option(None, "--ar", help="Rapportåret när A och B är revisioner. "
                                     "Utan värde: det senaste året i B."),
    ut: Optional[Path] = typer.Option(None, "--ut", help="Skriv sammanfattningen till filen i stället "
                                      "för till skärmen."),
    projekt: Optional[Path] = typer.Option(None, "--projekt", help="Projektmappen (annars RUS_PROJEKT, "
                                           "eller närmaste mapp uppåt med _quarto.yml)."),
) -> None:
    """Jämför två rapportår eller två git-revisioner och skriv ändringarna som Markdown.

    Ändrade bedömningar, värden som ändrats mer än avrundningen, serier som fått eller förlorat
    dataår och ändrade kommentarer, att klistra in i en pull request. En revision bedöms med
    sin egen kod, sina parametrar och sina data; ingen PDF byggs."""
    from rus_analysis.config.project import find_project_root

    root = find_project_root(projekt)
    params = root / "params"
    if _YEAR.match(a) and _YEAR.match(b) and (params / f"{a}.yml").is_file() and (params / f"{b}.yml").is_file():
        if ar is not None:
            raise ConfigError("--ar gäller bara när A och B är git-revisioner; här är de rapportår.")
        text = _compare_years(root, int(a), int(b))
    else:
        text = _compare_revisions(root, a, b, ar)
    if ut is None:
        typer.echo(text, nl=False)
        return
    try:
        ut.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"Kan inte skriva {ut}: {os_error_text(exc)}.") from None
    typer.echo(f"Skrev jämförelsen till {ut}.")


def _compare_years(root: Path, year_a: int, year_b: int) -> str:
    from rus_analysis.build.review import (
        changes_markdown,
        commentary_changes,
        compare_status,
        status_long,
        titles_of,
    )

    changes = compare_status(status_long(root, year_a), status_long(root, year_b),
                             f"rapporten {year_a}", f"rapporten {year_b}")
    changes.commentary = commentary_changes(root, year_a, root, year_b, titles_of(root))
    changes.notes.append("Båda åren bedöms med samma data och samma kod; skillnaderna kommer av årens "
                         "parametrar (bland annat data_till_och_med) och kommentarer.")
    return changes_markdown(changes)


def _compare_revisions(root: Path, a: str, b: str, year: int | None) -> str:
    from rus_analysis.build.review import (
        changes_markdown,
        commentary_changes,
        compare_status,
        is_revision,
        materialise_revision,
        revision_status,
        short_revision,
        titles_of,
    )

    usage = "Ange två rapportår (rus jamfor 2024 2025) eller två revisioner (rus jamfor main HEAD --ar 2025)."

    def is_year(name: str) -> bool:
        return bool(_YEAR.match(name)) and (root / "params" / f"{name}.yml").is_file()

    # Name the argument that is really missing, not the first one that is not a revision:
    # in `rus jamfor 2024 2031` it is 2031 that lacks a parameter file.
    for name in (a, b):
        if not is_revision(root, name) and not is_year(name):
            hint = (f"Det finns ingen params/{name}.yml. " if _YEAR.match(name) else "")
            raise ConfigError(f"{name!r} är varken ett rapportår med parameterfil eller en git-revision i "
                              f"projektets arkiv. {hint}{usage}")
    for name in (a, b):
        if not is_revision(root, name):
            other = b if name == a else a
            raise ConfigError(f"{name!r} är ett rapportår men {other!r} är en git-revision; jämför två "
                              f"rapportår eller två revisioner, inte ett av vardera. {usage}")
    labels = {name: f"`{name}` ({short_revision(root, name)})" for name in (a, b)}
    with tempfile.TemporaryDirectory(prefix="rus-jamfor-") as work:
        work_dir = Path(work)
        project_a = materialise_revision(root, a, work_dir / "A")
        project_b = materialise_revision(root, b, work_dir / "B")
        year = year or _latest_year(project_b / "params", b)
        for name, project in ((a, project_a), (b, project_b)):
            if not (project / "params" / f"{year}.yml").is_file():
                raise ConfigError(f"Revisionen {name!r} har ingen params/{year}.yml; välj ett annat år med --ar.")
        before, note_a = revision_status(project_a, year, work_dir / "a.csv", labels[a])
        after, note_b = revision_status(project_b, year, work_dir / "b.csv", labels[b])
        changes = compare_status(before, after, labels[a], f"{labels[b]}, rapporten {year}")
        titles = titles_of(project_a) | titles_of(project_b)
        changes.commentary = commentary_changes(project_a, year, project_b, year, titles)
        changes.notes += [n for n in (note_a, note_b) if n]
    return changes_markdown(changes)


def _latest_year(params: Path, revision: str) -> int:
    years = sorted(int(p.stem) for p in params.glob("*.yml") if _YEAR.match(p.stem))
    if not years:
        raise ConfigError(f"Revisionen {revision!r} har inga rapportår i params/; ange --ar.")
    return years[-1]

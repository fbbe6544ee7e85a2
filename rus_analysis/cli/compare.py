"""``rus jamfor``: what a change does to the report, as Markdown for a pull request."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Optional

import typer

from rus_analysis.errors import ConfigError

_YEAR = re.compile(r"^\d{4}$")


def jamfor(
    a: str = typer.Argument(..., help="Före: ett rapportår (2024) eller en git-revision (main, en commit)."),
    b: str = typer.Argument(..., help="Efter: ett rapportår (2025) eller en git-revision (HEAD)."),
    ar: Optional[int] = typer.Option(None, "--ar", help="Rapportåret när A och B är revisioner. "
                                     "Utan värde: det senaste året i B."),
    ut: Optional[Path] = typer.Option(None, "--ut", help="Skriv sammanfattningen till filen i stället "
                                      "för till skärmen."),
    projekt: Optional[Path] = typer.Option(None, "--projekt", help="Projektmappen (annars den närmaste "
                                           "mappen med _quarto.yml)."),
) -> None:
    """Jämför två rapportår, eller ett rapportår i två git-revisioner, och skriv vad som ändrats
    (bedömningar, värden, datatäckning, kommentarer) som Markdown för en pull request."""
    from rus_analysis.build.review import (
        changes_markdown,
        commentary_changes,
        compare_status,
        is_revision,
        materialise_revision,
        revision_status,
        status_long,
    )
    from rus_analysis.config.catalogue import load_catalogue
    from rus_analysis.config.geography import REGION_NAMES
    from rus_analysis.config.project import find_project_root

    root = find_project_root(projekt)
    params = root / "params"
    if _YEAR.match(a) and _YEAR.match(b) and (params / f"{a}.yml").is_file() \
            and (params / f"{b}.yml").is_file():
        before, after = status_long(root, int(a)), status_long(root, int(b))
        titles = {i.id: i.title for i in load_catalogue(params / "indikatorer.yml").indicators}
        changes = compare_status(before, after, f"rapporten {a}", f"rapporten {b}", titles)
        changes.commentary = commentary_changes(root, int(a), root, int(b))
        changes.notes.append("Rapportåren jämförs med samma data och samma kod; skillnaderna kommer av "
                             "respektive års parametrar och dataavgränsning.")
    else:
        for name in (a, b):
            if _YEAR.match(name) and not (params / f"{name}.yml").is_file():
                raise ConfigError(f"Det finns ingen parameterfil för {name} (params/{name}.yml). "
                                  "Ange två rapportår som finns, eller två git-revisioner.")
            if not is_revision(root, name):
                raise ConfigError(f"{name!r} är varken ett rapportår med parameterfil eller en git-revision "
                                  "i projektets arkiv.")
        with tempfile.TemporaryDirectory(prefix="rus-jamfor-") as work:
            work_dir = Path(work)
            project_a = materialise_revision(root, a, work_dir / "A")
            project_b = materialise_revision(root, b, work_dir / "B")
            year = ar or _latest_year(project_b / "params")
            before, note_a = revision_status(project_a, year, work_dir / "a.csv")
            after, note_b = revision_status(project_b, year, work_dir / "b.csv")
            titles = {i.id: i.title for i in load_catalogue(project_b / "params" / "indikatorer.yml").indicators}
            changes = compare_status(before, after, f"{a} ({year})", f"{b} ({year})", titles)
            changes.commentary = commentary_changes(project_a, year, project_b, year)
            changes.notes += [n for n in (note_a, note_b) if n]
    text = changes_markdown(changes, REGION_NAMES)
    if ut is None:
        typer.echo(text, nl=False)
    else:
        ut.write_text(text, encoding="utf-8")
        typer.echo(f"Skrev jämförelsen till {ut}.")


def _latest_year(params: Path) -> int:
    years = sorted(int(p.stem) for p in params.glob("*.yml") if _YEAR.match(p.stem))
    if not years:
        raise ConfigError(f"Inga rapportår i {params}: ange --ar.")
    return years[-1]

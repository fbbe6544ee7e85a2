"""``rus kommentar``: the analysts' own words per indicator and kraftsamling (kommentarer/<år>/)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from rus_analysis.errors import RusError

kommentar_app = typer.Typer(help="Analytikernas egna kommentarer i rapporten (kommentarer/<år>/).",
                            no_args_is_help=True)
console = Console()
errors = Console(stderr=True)


def _fail(message: str) -> None:
    errors.print(f"[bold red]Fel:[/] {message}", highlight=False)
    raise typer.Exit(code=1)


def _year(projekt: Path, ar: Optional[int]) -> int:
    from rus_analysis.config.report_params import load_report_params

    return load_report_params(projekt / "params", ar).report_year


def _catalogue(projekt: Path):
    from rus_analysis.config.catalogue import load_catalogue

    return load_catalogue(projekt / "params" / "indikatorer.yml")


@kommentar_app.command("ny")
def new(
    id: str = typer.Argument(..., help="Indikatorns eller kraftsamlingens id i params/indikatorer.yml."),
    ar: Optional[int] = typer.Option(None, "--ar", help="Rapportår. Utan värde: senaste året."),
    projekt: Path = typer.Option(Path("."), "--projekt", help="Projektmappen."),
) -> None:
    """Skapa kommentarer/<år>/<id>.md, med ett fingeravtryck av de data texten skrivs mot."""
    from rus_analysis.report import comments

    try:
        year = _year(projekt, ar)
        catalogue = _catalogue(projekt)
        path = comments.new_comment(projekt, year, id, catalogue)
    except RusError as exc:
        _fail(str(exc))
        return
    console.print(f"Skapade {path}. Skriv analysen i Markdown; den visas under rubriken "
                  f"\"{comments.HEADING}\" i rapporten {year}.", highlight=False)


@kommentar_app.command("uppdatera")
def refresh(
    id: str = typer.Argument(..., help="Indikatorns eller kraftsamlingens id."),
    ar: Optional[int] = typer.Option(None, "--ar", help="Rapportår. Utan värde: senaste året."),
    projekt: Path = typer.Option(Path("."), "--projekt", help="Projektmappen."),
) -> None:
    """Markera att kommentaren är läst mot dagens data (nytt fingeravtryck, texten orörd)."""
    from rus_analysis.report import comments

    try:
        year = _year(projekt, ar)
        catalogue = _catalogue(projekt)
        path = comments.refresh_fingerprint(projekt, year, id, catalogue)
    except RusError as exc:
        _fail(str(exc))
        return
    console.print(f"Uppdaterade fingeravtrycket i {path}.", highlight=False)


def warn_stale(projekt: Path, year: int) -> None:
    """After a build: warn in the terminal about comments whose data changed (never in the report)."""
    folder = projekt / "kommentarer" / str(year)
    if not folder.is_dir() or not any(folder.glob("*.md")):
        return  # no comments this year: nothing to load
    from rus_analysis.report import comments

    try:
        catalogue = _catalogue(projekt)
        warnings = comments.stale_comments(projekt, year, catalogue)
    except RusError as exc:
        warnings = [str(exc)]
    for warning in warnings:
        errors.print(f"[yellow]Varning:[/] {warning}", highlight=False)

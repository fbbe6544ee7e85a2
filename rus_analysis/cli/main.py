"""The ``rus`` command: the analysts' one interface to the report."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from rus_analysis.build.pipeline import ENGINES, LOG_DIR, build_report, build_reports  # light
from rus_analysis.cli.compare import HELP as JAMFOR_HELP
from rus_analysis.cli.compare import jamfor
from rus_analysis.cli.data import data_app
from rus_analysis.cli.kommentar import kommentar_app
from rus_analysis.cli.new_year import HELP as NYTT_AR_HELP
from rus_analysis.cli.new_year import nytt_ar
from rus_analysis.cli.swedish import SwedishGroup
from rus_analysis.config.project import Project, find_project_root

# SwedishGroup is the one top-level handler: every RusError prints its Swedish message, any other
# exception one Swedish line naming fel.log, and typer's own texts are Swedish (cli/swedish.py).
app = typer.Typer(help="Uppföljning av RUS 2022–2030 för Region Örebro län.", no_args_is_help=True,
                  add_completion=False, cls=SwedishGroup)
notebooks_app = typer.Typer(help="Underhåll av källnotebookarna.", no_args_is_help=True)
app.add_typer(notebooks_app, name="notebooks")
console = Console()
errors = Console(stderr=True)

app.add_typer(data_app, name="data")
app.add_typer(kommentar_app, name="kommentar")
app.command("jamfor", help=JAMFOR_HELP)(jamfor)
app.command("nytt-ar", help=NYTT_AR_HELP)(nytt_ar)


def _show_version(value: bool) -> None:
    if value:
        from rus_analysis.cli.version import version_text

        console.print(version_text(), highlight=False)
        raise typer.Exit()


# -v before the command (`rus -v rapport`, what `bygg.py -v …` passes on) or after it.
settings = {"verbose": False}


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                 help="Visa paketets version och git-revision och avsluta."),
    utforlig: bool = typer.Option(False, "-v", "--utforlig", help="Visa detaljer: varje steg när det börjar "
                                  "och slutar, byggmappen och loggarna."),
) -> None:
    """Uppföljning av RUS 2022–2030 för Region Örebro län."""
    settings["verbose"] = utforlig


def main() -> None:
    """Console-script entry point (``rus``). After Ctrl-C or SIGTERM the process ends at once
    (``os._exit``) once the build has stopped its children and printed its one line, so no
    worker thread can print anything after it."""
    code = app(standalone_mode=False)
    code = code if isinstance(code, int) else 0
    sys.stdout.flush()
    sys.stderr.flush()
    if code in (128 + 2, 128 + 15):  # BuildInterrupted: Ctrl-C, SIGTERM
        os._exit(code)
    sys.exit(code)


def fail(message: str) -> None:
    """Print ``Fel: <message>`` in red on stderr and exit with code 1 (no traceback)."""
    errors.print(f"[bold red]Fel:[/] {message}", highlight=False)
    raise typer.Exit(code=1)


def _years(ctx: typer.Context, first: Optional[int]) -> list[Optional[int]]:
    """``--ar 2023 2024 2025``: the option's value and the years after it (click passes those on
    as extra arguments). Anything else there is a Swedish usage error (exit 2)."""
    years: list[Optional[int]] = [first]
    for text in ctx.args:
        if not text.isdigit() or len(text) != 4 or first is None:
            ctx.fail(f"Oväntat extra argument ({text}). Flera år skrivs efter --ar, till exempel: "
                     "--ar 2023 2024 2025.")
        years.append(int(text))
    return list(dict.fromkeys(years))


@app.command("rapport", context_settings={"allow_extra_args": True})
def report(
    ctx: typer.Context,
    ar: Optional[int] = typer.Option(
        None, "--ar", help="Rapportår (params/<år>.yml), ett eller flera: --ar 2023 2024 2025. "
                           "Utan värde: senaste året."),
    motor: str = typer.Option("auto", "--motor", help=f"Renderare: {' | '.join(ENGINES)}."),
    tvinga: bool = typer.Option(False, "--tvinga", help="Bygg om även när inga indata har ändrats."),
    parallella: int = typer.Option(2, "--parallella", min=1, help="Antal notebookar som körs samtidigt."),
    projekt: Optional[Path] = typer.Option(
        None, "--projekt", help="Projektmappen (annars RUS_PROJEKT, eller närmaste mapp uppåt med _quarto.yml)."),
    utforlig: bool = typer.Option(False, "-v", "--utforlig", help="Visa detaljer: varje steg när det börjar och "
                                  "slutar, byggmappen och loggarna."),
) -> None:
    """Bygg uppföljningsrapporten (PDF och HTML) för ett eller flera år.

    Flera år i ett kommando delar arbete: kärnorna startas en gång och förra årets bedömning räknas inte om."""
    from rus_analysis.cli.progress import progress_for

    years = _years(ctx, ar)
    verbose = utforlig or settings["verbose"]
    projekt = find_project_root(projekt)
    log = lambda m: console.print(m, highlight=False)  # noqa: E731
    with progress_for(console, verbose) as progress:
        if len(years) == 1:
            results = [build_report(projekt, years[0], engine=motor, force=tvinga, workers=parallella, log=log,
                                    progress=progress)]
        else:
            results = build_reports(projekt, years, engine=motor, force=tvinga, workers=parallella, log=log,
                                    progress=progress)
    if verbose:
        for result in results:
            build_dir = Project(projekt).build_dir(result.year)
            console.print(f"Byggmapp: {build_dir}\nLoggar (kärnornas utskrifter, bibliotekens varningar): "
                          f"{build_dir / LOG_DIR}\nManifest: {result.output_dir / 'manifest.json'}", highlight=False)
    from rus_analysis.cli.kommentar import warn_stale

    for result in results:
        if not result.skipped:
            table = Table(title=f"Tider för {result.year} ({result.engine})")
            table.add_column("Steg")
            table.add_column("Sekunder", justify="right")
            for stage, seconds in result.timings.items():
                table.add_row(stage, f"{seconds:.1f}".replace(".", ","))
            console.print(table)
        # Never wrapped (a path with a space, written to a file or pipe, must stay one line to copy).
        console.print(f"[green]PDF:[/]  {result.pdf}\n[green]HTML:[/] {result.html}", highlight=False,
                      soft_wrap=True)
        warn_stale(projekt, result.year)


CLEAN_COMMAND = "python3 bygg.py rus notebooks rensa"


def _notebook_paths(paths: List[Path]) -> list[Path]:
    """The notebooks named: files as given, folders as their ``*.ipynb``; a missing path is an error."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(path.glob("*.ipynb"))
        elif path.is_file():
            found.append(path)
        else:
            fail(f"{path} finns inte.")
    return found


@notebooks_app.command("rensa")
def notebooks_clean(
    notebookar: Optional[List[Path]] = typer.Argument(
        None, help="Notebookar eller mappar med notebookar (standard: notebooks/)."),
) -> None:
    """Ta bort utdata, körnummer och flyktig metadata (även JupyterLabs language_info) ur källnotebookarna.

    Samma rensning som pre-commit-kroken gör; resultatet är detsamma som nbstripout ger."""
    from rus_analysis.build.notebook_hygiene import clean_file

    notebooks = _notebook_paths(notebookar or [Path("notebooks")])
    changed = []
    for path in notebooks:
        try:
            if clean_file(path):
                changed.append(path)
        except (ValueError, OSError):  # not JSON, not a notebook, unreadable
            fail(f"{path} kunde inte läsas som en notebook (inte giltig JSON i notebookformat, eller oläslig).")
    for path in changed:
        console.print(f"Rensade {path}", highlight=False)
    console.print(f"{len(changed)} av {len(notebooks)} notebookar ändrades.")


@notebooks_app.command("ny")
def notebooks_new(
    kraftsamling: str = typer.Argument(..., help="Kraftsamlingens id i params/indikatorer.yml."),
    projekt: Path = typer.Option(Path("."), "--projekt", help="Projektmappen."),
) -> None:
    """Skapa notebooks/<kraftsamling>.ipynb med en cell per indikator i katalogens ordning."""
    from rus_analysis.config.catalogue import load_catalogue
    from rus_analysis.config.report_params import load_report_params
    from rus_analysis.errors import RusError
    from rus_analysis.report.notebook_template import write_chapter_notebook

    try:
        year = load_report_params(projekt / "params").report_year
        catalogue = load_catalogue(projekt / "params" / "indikatorer.yml")
        path = write_chapter_notebook(catalogue, kraftsamling, year, projekt / "notebooks")
    except RusError as exc:
        fail(str(exc))
        return
    console.print(f"Skapade {path}. Lägg till kapitlet i _quarto.yml och kraftsamlingen i "
                  "params/<år>.yml.", highlight=False)


@notebooks_app.command("kontroll")
def notebooks_check(mapp: Path = typer.Argument(Path("notebooks"), help="Mappen med notebookar.")) -> None:
    """Kontrollera att källnotebookarna är rena (körs även i testerna)."""
    from rus_analysis.build.notebook_hygiene import unclean_notebooks

    found = unclean_notebooks(mapp)
    for path, problems in found.items():
        errors.print(f"{path}: " + "; ".join(problems), highlight=False)
    if found:
        fail(f"Notebookarna är inte rena. Kör: {CLEAN_COMMAND}")
    console.print("Alla notebookar är rena.")

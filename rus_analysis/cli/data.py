"""``rus data``: check, build, update and import the data snapshot."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from rus_analysis.config.geography import DEFAULT_PEERS
from rus_analysis.config.numbers import format_number
from rus_analysis.config.project import Project, find_project_root
from rus_analysis.errors import ConfigError, RusError

if TYPE_CHECKING:  # pydantic models, pandas: imported by the commands that use them (a quick `rus --help`)
    from rus_analysis.config.catalogue import Catalogue

data_app = typer.Typer(help="Ögonblicksbilden av statistiken i data/: kontroll, bygge, uppdatering och import.",
                       no_args_is_help=True)
console = Console()
errors = Console(stderr=True)

DATA_OPTION = typer.Option(None, "--data", help="Mappen med ögonblicksbilden (standard: data/ i projektmappen).")
PARAMS_OPTION = typer.Option(
    None, "--params", help="Mappen med indikatorer.yml och årsparametrarna (standard: params/ i projektmappen).")
PROJECT_OPTION = typer.Option(
    None, "--projekt", help="Projektmappen (annars RUS_PROJEKT, eller närmaste mapp uppåt med _quarto.yml).")


def _fail(message: str) -> None:
    errors.print(f"[bold red]Fel:[/] {message}", highlight=False)
    raise typer.Exit(code=1)


def _project(projekt: Optional[Path]) -> Project:
    try:
        return Project(find_project_root(projekt))
    except ConfigError as exc:
        _fail(str(exc))
        raise


def _folders(projekt: Optional[Path], data: Optional[Path], params: Optional[Path]) -> tuple[Path, Path]:
    """``--data`` and ``--params`` when given, else the project's data/ and params/."""
    if data is not None and params is not None and projekt is None:
        return data, params
    project = _project(projekt)
    return data or project.data_dir, params or project.params_dir


def _catalogue(params: Path) -> Catalogue:
    from rus_analysis.config.catalogue import load_catalogue
    from rus_analysis.config.yaml_files import SettingsError

    try:
        return load_catalogue(params / "indikatorer.yml")
    except SettingsError as exc:
        _fail(str(exc))
        raise


def _peers(params: Path) -> tuple[str, ...]:
    """The jämförbara län of the newest report year, or the strategy's four if there is none."""
    from rus_analysis.config.report_params import load_report_params
    from rus_analysis.config.yaml_files import SettingsError

    try:
        return tuple(load_report_params(params).peers)
    except (SettingsError, ValueError, FileNotFoundError):
        return DEFAULT_PEERS


NO_BREAK = "\u00a0"
# Blocks are wrapped to the terminal, but never wider than this (long lines are hard to read).
MAX_WIDTH = 100


def _width() -> int:
    return max(40, min(console.width, MAX_WIDTH))


def wrap(text: str, width: int, first: str = "", rest: str | None = None) -> list[str]:
    """``text`` wrapped to ``width`` with the prefixes ``first`` and ``rest`` (default: spaces as
    wide as ``first``); words, ids and paths are never broken (a longer word gets its own line)."""
    rest = " " * len(first) if rest is None else rest
    # A command in backticks (`rus data uppdatera`) stays on one line: its spaces are no-break
    # spaces while wrapping.
    text = re.sub(r"`[^`]*`", lambda m: m.group(0).replace(" ", NO_BREAK), text)
    lines = textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest, break_long_words=False,
                          break_on_hyphens=False) or [first.rstrip()]
    return [line.replace(NO_BREAK, " ") for line in lines]


def _join_levels(levels: list[str]) -> str:
    return levels[0] if len(levels) == 1 else ", ".join(levels[:-1]) + " och " + levels[-1]


def coverage_blocks(frame, width: int) -> list[list[str]]:
    """One compact block of lines per indicator from :func:`~rus_analysis.snapshot.coverage.coverage_table`:
    ``id – titel``, then the levels with the same years joined on one wrapped line, then the
    comment. No line is longer than ``width`` unless a single word is."""
    from rus_analysis.snapshot.coverage import LEVEL_NAMES

    blocks = []
    for row in frame.to_dict("records"):
        lines = wrap(f"{row['indikator']} – {row['titel']}", width, rest="    ")
        groups: dict[str, list[str]] = {}
        for level in LEVEL_NAMES:
            groups.setdefault(row[level], []).append(level)
        for text, names in groups.items():
            lines += wrap(f"{_join_levels(names)}: {text}", width, first="  ", rest="    ")
        if row["kommentar"]:
            lines += wrap(f"Obs: {row['kommentar']}", width, first="  ", rest="    ")
        blocks.append(lines)
    return blocks


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def _check(data: Path, params: Path, catalogue: Catalogue, year: int | None = None) -> None:
    """Validate every file first, then print the coverage of the readable ones (one block per
    indicator, wrapped to the terminal), the series that stop before the report year's
    data_till_och_med (``year``, else the newest params year) and the problems; exit 1 if there
    are any."""
    from rus_analysis.snapshot.coverage import coverage_table  # pandas, pandera: only when checking
    from rus_analysis.snapshot.validation import MISSING_SNAPSHOT, snapshot_problems

    found = snapshot_problems(data, catalogue)
    if MISSING_SNAPSHOT in found:  # nothing to cover or compare: the catalogue's faults and this
        _print_problems(catalogue.retired_queries() + found[MISSING_SNAPSHOT])
        raise typer.Exit(code=1)
    problems = [p for series in found.values() for p in series]
    frame = coverage_table(data, catalogue, peers=_peers(params), unreadable=set(found))
    width = _width()
    for line in wrap(f"Täckning i {_shown_path(data)}: år med värden per nivå, {len(frame)} indikatorer", width):
        console.print(f"[bold]{escape(line)}[/]", soft_wrap=True, highlight=False)
    for block in coverage_blocks(frame, width):
        head, *rest = block
        console.print(f"[bold]{escape(head)}[/]", soft_wrap=True, highlight=False)
        for line in rest:
            console.print(line, soft_wrap=True, highlight=False, markup=False)
    _show_queries(catalogue, width)
    _show_cutoff(data, params, catalogue, year, set(found))
    problems = catalogue.retired_queries() + problems
    if problems:
        _print_problems(problems)
        raise typer.Exit(code=1)
    console.print("[green]Ögonblicksbilden klarar kontrollen.[/]")


def _print_problems(problems: list[str]) -> None:
    """The problems as a counted list on stderr, wrapped to the terminal."""
    errors.print(f"[bold red]{len(problems)} problem i ögonblicksbilden:[/]", highlight=False)
    for problem in problems:
        for line in wrap(problem, _error_width(), first="  • "):
            errors.print(line, soft_wrap=True, highlight=False, markup=False)


def _show_cutoff(data: Path, params: Path, catalogue: Catalogue, year: int | None, broken: set[str]) -> None:
    """The report year's series that stop before its data_till_och_med. With ``year`` (``--ar``),
    per series what to update (``freshness.update_lines``); without, the newest params year's
    series grouped by latest year. Silent when the folder has no params year at all."""
    from rus_analysis.config.report_params import available_years, load_report_params
    from rus_analysis.config.yaml_files import SettingsError
    from rus_analysis.snapshot.freshness import grouped_lines, series_ends, update_lines

    if year is None and not available_years(params):
        return
    try:
        report = load_report_params(params, year, catalogue)
    except SettingsError as exc:
        _fail(str(exc))
        raise
    cutoff = report.data_cutoff
    ends = series_ends(data, [i for i in catalogue.indicators if i.kraftsamling in report.kraftsamlingar],
                       report.region, skip=broken)
    lines = grouped_lines(ends, cutoff)
    width = _width()
    if not lines:
        for line in wrap(f"Alla serier i rapporten {report.report_year} når {cutoff} (data_till_och_med).", width):
            console.print(line, highlight=False, markup=False, soft_wrap=True)
        return
    late = sum(not e.reaches(cutoff) for e in ends)
    heading = (f"{late} av {len(ends)} serier i rapporten {report.report_year} slutar före {cutoff} "
               "(data_till_och_med):")
    for line in wrap(heading, width):
        console.print(f"[bold yellow]{escape(line)}[/]", highlight=False, soft_wrap=True)
    for line in update_lines(ends, cutoff)[1:] if year is not None else lines:
        console.print(line, highlight=False, markup=False, soft_wrap=True)


def _error_width() -> int:
    return max(40, min(errors.width, MAX_WIDTH))


def _show_queries(catalogue: Catalogue, width: int) -> None:
    """Queries whose codes could not be verified offline, and caveats: said, never silent."""
    unverified = catalogue.unverified_queries()
    if unverified:
        heading = (f"{len(unverified)} frågor kunde inte verifieras utan nätverk (kontrollera dem mot "
                   "källans metadata före första hämtningen):")
        for line in wrap(heading, width):
            console.print(f"[bold yellow]{escape(line)}[/]", soft_wrap=True, highlight=False)
        for indicator, number, query in unverified:
            for line in wrap(f"{indicator.id}, fråga {number} ({query.label()}): {query.unverified_reason}",
                             width, first="  • "):
                console.print(line, soft_wrap=True, highlight=False, markup=False)
    notes = [(i, n, q) for i in catalogue.indicators for n, q in enumerate(i.queries, start=1) if q.note]
    for indicator, number, query in notes:
        for line in wrap(f"Obs: {indicator.id}, fråga {number} ({query.label()}): {query.note}", width, first="  ",
                         rest="    "):
            console.print(line, soft_wrap=True, highlight=False, markup=False)


@data_app.command("kontroll")
def check(data: Optional[Path] = DATA_OPTION, params: Optional[Path] = PARAMS_OPTION,
          projekt: Optional[Path] = PROJECT_OPTION,
          ar: Optional[int] = typer.Option(
              None, "--ar", help="Rapportåret vars data_till_och_med serierna jämförs med (standard: senaste året).")
          ) -> None:
    """Kontrollera ögonblicksbilden och visa vilka år och regioner varje indikator täcker."""
    data, params = _folders(projekt, data, params)
    _check(data, params, _catalogue(params), ar)


@data_app.command("bygg")
def build(
    kallor: Optional[Path] = typer.Option(None, "--kallor", help="Mappen med källfilerna (normalt ../shared/sources)."),
    ersatt_hamtade: bool = typer.Option(
        False, "--ersatt-hamtade",
        help="Ersätt även serier som hämtats med 'uppdatera' eller 'importera' (annars behålls de)."),
    data: Optional[Path] = DATA_OPTION,
    params: Optional[Path] = PARAMS_OPTION,
    projekt: Optional[Path] = PROJECT_OPTION,
) -> None:
    """Bygg serierna i data/ från källfilerna och kontrollera resultatet."""
    from rus_analysis.snapshot.refresh import build_snapshot

    data, params = _folders(projekt, data, params)
    catalogue = _catalogue(params)
    try:
        # A series fetched from Kolada/SCB or imported by hand is kept unless asked: it is usually
        # newer and wider than the one the source files give.
        sources = kallor or _project(projekt).shared_sources_dir
        written = build_snapshot(sources, data, catalogue, keep_foreign=not ersatt_hamtade)
    except RusError as exc:
        _fail(f"{exc}\nÖgonblicksbilden är oförändrad.")
    console.print(f"Byggde {len(written)} serier: {', '.join(written)}", highlight=False)
    _check(data, params, catalogue)


@data_app.command("uppdatera")
def update(
    indikator: Optional[List[str]] = typer.Option(
        None, "--indikator", help="Indikator att hämta (kan upprepas). Utan värde: alla med frågor."),
    utan_cache: bool = typer.Option(False, "--utan-cache", help="Hämta på nytt även det som finns i .cache/http."),
    data: Optional[Path] = DATA_OPTION,
    params: Optional[Path] = PARAMS_OPTION,
    projekt: Optional[Path] = PROJECT_OPTION,
) -> None:
    """Hämta indikatorer från Kolada och SCB enligt frågorna i indikatorer.yml."""
    from rus_analysis.ingest.api.http import DEFAULT_CACHE, HttpClient, make_session
    from rus_analysis.snapshot.refresh import update_snapshot

    data, params = _folders(projekt, data, params)
    catalogue = _catalogue(params)
    unverified = [(i, n, q) for i, n, q in catalogue.unverified_queries() if not indikator or i.id in indikator]
    for indicator, number, query in unverified:
        console.print(f"Obs: {indicator.id}, fråga {number} ({query.label()}) är inte verifierad: "
                      f"{query.unverified_reason}", highlight=False)
    http = HttpClient(make_session(None if utan_cache else DEFAULT_CACHE))
    try:
        result = update_snapshot(data, catalogue, indikator or None, http=http)
    except RusError as exc:
        _fail(f"{exc}\nÖgonblicksbilden är oförändrad.")
    if result.empty:
        console.print(f"Källorna gav inga värden för: {', '.join(result.empty)}; de serierna lämnas orörda.",
                      highlight=False)
    if not result.updated:
        if not result.empty:
            console.print("Inga indikatorer har frågor (queries) i indikatorer.yml; inget hämtades.")
        return
    table = Table(title="Uppdaterade serier")
    table.add_column("Indikator")
    table.add_column("Rader", justify="right")
    for indicator_id in result.updated:
        table.add_row(indicator_id, format_number(result.rows[indicator_id], 0))
    console.print(table)
    if result.skipped:
        console.print(f"Utan frågor (hämtas inte automatiskt): {', '.join(result.skipped)}", highlight=False)


def _cell_text(value: float, status: str, decimals: int) -> str:
    return status or "saknas" if value != value else format_number(value, decimals)


def _change_text(change, decimals: int) -> str:
    """'old → new' with as many decimals as it takes to tell them apart (up to the snapshot's %.10g)."""
    for shown in range(decimals, 11):
        old = _cell_text(change.old_value, change.old_status, shown)
        new = _cell_text(change.new_value, change.new_status, shown)
        if old != new:
            break
    return f"{old} → {new}"


def _print_import(result, indicator_decimals: int) -> None:
    """The import summary: cells added, changed (largest listed), unchanged; years and regions."""
    from rus_analysis.config.geography import REGION_NAMES

    merge = result.merge
    years = (f"{merge.years[0]}–{merge.years[-1]}" if len(merge.years) > 1 else str(merge.years[0])) \
        if merge.years else "–"
    regions = ", ".join(REGION_NAMES.get(c, c) for c in merge.regions[:8])
    if len(merge.regions) > 8:
        regions += f" och {len(merge.regions) - 8} till"
    head = "Torrkörning (inget skrevs): " if result.dry_run else ""
    console.print(f"{head}{', '.join(result.files)} → {result.indicator} ({result.format}"
                  + (f", {result.encoding}" if result.encoding else "") + ")", highlight=False)
    console.print(f"  Celler: {format_number(merge.added, 0)} nya, {format_number(len(merge.changed), 0)} ändrade, "
                  f"{format_number(merge.unchanged, 0)} oförändrade. År {years}; regioner: {regions}.", highlight=False)
    if result.replaced:
        console.print(f"  --ersatt: {format_number(merge.removed, 0)} rader som inte finns i filen "
                      f"{'skulle tas' if result.dry_run else 'togs'} bort.", highlight=False)
    if merge.changed:
        console.print("  Största ändringarna:", highlight=False)
        for change in merge.largest_changes(5):
            console.print(f"    {change.region_name} {change.year}, kön {change.sex}, {change.group}: "
                          f"{_change_text(change, indicator_decimals)}", highlight=False)
    for note in result.notes:
        console.print(f"  Obs: {note}", highlight=False)
    if not result.dry_run and not result.written:
        console.print("  Inget ändrades: filens värden finns redan i serien.", highlight=False)
    elif result.written and not merge.changes_anything:
        console.print("  Inga värden ändrades; filen noterades som källa i ursprungsuppgifterna.", highlight=False)


@data_app.command("importera")
def import_(
    filer: List[Path] = typer.Argument(..., help="Exporten från SCB (CSV, text, xlsx, PX, JSON-stat2) eller Kolada "
                                                 "(CSV, JSON; alla sidor av ett svar)."),
    indikator: str = typer.Option(..., "--indikator", help="Indikatorns id i indikatorer.yml."),
    ersatt: bool = typer.Option(False, "--ersatt", help="Ersätt hela serien med filens rader (annars uppdateras "
                                                       "bara filens celler)."),
    torrkorning: bool = typer.Option(False, "--torrkorning", help="Visa vad importen skulle göra utan att skriva."),
    decimaltecken: Optional[str] = typer.Option(
        None, "--decimaltecken", help="'komma' eller 'punkt' när filens tal kan läsas på två sätt."),
    data: Optional[Path] = DATA_OPTION,
    params: Optional[Path] = PARAMS_OPTION,
    projekt: Optional[Path] = PROJECT_OPTION,
) -> None:
    """Importera en fil som hämtats för hand till en indikators serie (cell för cell)."""
    from rus_analysis.snapshot.refresh import import_file

    if decimaltecken not in (None, "komma", "punkt"):
        _fail(f"--decimaltecken ska vara 'komma' eller 'punkt', inte {decimaltecken!r}.")
    data, params = _folders(projekt, data, params)
    catalogue = _catalogue(params)
    try:
        result = import_file(filer, indikator, data, catalogue, replace=ersatt, dry_run=torrkorning,
                             decimal=decimaltecken)
    except RusError as exc:
        _fail(f"{exc}\nÖgonblicksbilden är oförändrad.")
    _print_import(result, catalogue.get(indikator).decimals)


@data_app.command("migrera")
def migrate(data: Optional[Path] = DATA_OPTION, params: Optional[Path] = PARAMS_OPTION,
            projekt: Optional[Path] = PROJECT_OPTION) -> None:
    """Skriv om ursprungsuppgifter i det gamla formatet till schema_version 2 (med filernas sha256)."""
    from rus_analysis.snapshot.refresh import migrate_snapshot

    data, params = _folders(projekt, data, params)
    catalogue = _catalogue(params)
    try:
        migrated = migrate_snapshot(data, catalogue)
    except RusError as exc:
        _fail(f"{exc}\nÖgonblicksbilden är oförändrad.")
    if migrated:
        console.print(f"Skrev om ursprungsuppgifterna för {len(migrated)} serier: {', '.join(migrated)}",
                      highlight=False)
    else:
        console.print("Alla ursprungsuppgifter har redan schema_version 2.", highlight=False)

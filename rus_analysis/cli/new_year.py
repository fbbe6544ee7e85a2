"""``rus nytt-ar``: a new report year's params file, and what data to update for it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from rus_analysis.config.project import Project, find_project_root

# The command's help: paragraphs as single lines (typer keeps a docstring's line breaks).
HELP = (
    "Skapa params/<år>.yml från senaste året och visa vilka data som behöver uppdateras.\n\n"
    "rapportar blir året och data_till_och_med året före; allt annat i filen, kommentarerna "
    "också, följer med. Sedan visas per indikator om data når data_till_och_med och, om inte, "
    "vad som ska hämtas eller importeras. Finns filen redan skrivs ingenting."
)


def nytt_ar(
    ar: int = typer.Argument(..., metavar="ÅR", help="Det nya rapportåret, t.ex. 2026."),
    projekt: Optional[Path] = typer.Option(
        None, "--projekt", help="Projektmappen (annars RUS_PROJEKT, eller närmaste mapp uppåt med _quarto.yml)."),
) -> None:
    """Skapa params/<år>.yml från senaste året och visa vilka data som behöver uppdateras.

    rapportar blir året och data_till_och_med året före; allt annat i filen, kommentarerna
    också, följer med. Sedan visas per indikator om data når data_till_och_med och, om inte,
    vad som ska hämtas eller importeras. Finns filen redan skrivs ingenting."""
    from rus_analysis.config.catalogue import load_catalogue
    from rus_analysis.config.new_year import create_new_year
    from rus_analysis.snapshot.freshness import series_ends, update_lines
    from rus_analysis.snapshot.validation import snapshot_problems

    project = Project(find_project_root(projekt))
    catalogue = load_catalogue(project.catalogue_file)
    target, source, params = create_new_year(project.params_dir, ar)
    typer.echo(f"Skapade {_relative(target, project.root)} från {_relative(source, project.root)}:")
    typer.echo(f"rapportar {params.report_year}, data_till_och_med {params.data_cutoff}, allt annat som förut.")
    typer.echo("")
    broken = set(snapshot_problems(project.data_dir, catalogue))
    indicators = [i for i in catalogue.indicators if i.kraftsamling in params.kraftsamlingar]
    ends = series_ends(project.data_dir, indicators, params.region, skip=broken)
    for line in update_lines(ends, params.data_cutoff):
        typer.echo(line)
    if broken:
        typer.echo(f"  Klarar inte kontrollen ({len(broken)}): {', '.join(sorted(broken))}; "
                   "se rus data kontroll.")
    typer.echo("")
    typer.echo(f"Kontrollera sedan: rus data kontroll --ar {ar}")


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)

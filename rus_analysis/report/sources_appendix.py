"""The report's source appendix ("Källor") as Markdown, from the catalogue and the provenance records.

Every figure in the report must be traceable: for each indicator the appendix names the source,
table or KPI, release, retrieval date, where the file was found and every transformation. An
indicator without data is listed as "Data saknas" with how to fetch it.
"""

from __future__ import annotations

from pathlib import Path

from rus_analysis.config.catalogue import Catalogue, Indicator
from rus_analysis.snapshot.store import read_provenance, series_path

INTRO = (
    "Alla siffror i rapporten kommer från projektets ögonblicksbild av officiell statistik "
    "(mappen `data/series/`). För varje indikator anges här källan, tabellen eller nyckeltalet, "
    "vilken publicering som används, när uppgifterna hämtades, var filen finns och hur värdena har "
    "bearbetats. Ingen uppgift har hittats på, fyllts i eller räknats fram utan att det står här."
)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _origin_lines(record: dict) -> list[str]:
    """Where the numbers came from: a public repository, a live API request, or a file an
    analyst downloaded and imported (the three kinds of record the project writes)."""
    lines = []
    for origin in record.get("origin") or []:
        lines.append(f"  - `{origin['repository']}`, `{origin['path']}`, commit `{origin['commit']}`")
    for request in record.get("api_requests") or []:
        parts = [str(request.get(k)) for k in ("api", "table") if request.get(k)]
        lines.append(f"  - API: {', '.join(parts)}" + (f", `{request['url']}`" if request.get("url") else ""))
    for file in record.get("files") or []:
        name = file.get("file", "fil")
        checksum = f", sha256 `{file['sha256'][:12]}…`" if file.get("sha256") else ""
        lines.append(f"  - Importerad fil `{name}`{checksum}")
    return lines


def indicator_section(indicator: Indicator, data_dir: Path, level: int = 3) -> str:
    """The appendix entry for one indicator."""
    heading = "#" * level
    lines = [f"{heading} {indicator.title}", ""]
    if not series_path(data_dir, indicator.id).is_file():
        lines.append(f"**Data saknas.** Källa: {indicator.source.agency}, {indicator.source.table}.")
        if indicator.missing_note:
            lines += ["", _one_line(indicator.missing_note)]
        return "\n".join(lines) + "\n"

    record = read_provenance(data_dir, indicator.id)
    if record is None:
        lines.append(f"- **Källa:** {indicator.source.agency}")
        lines.append(f"- **Tabell eller nyckeltal:** {indicator.source.table}")
        lines.append("- **Ursprung:** uppgifter om publicering och hämtning saknas för den här serien.")
        return "\n".join(lines) + "\n"

    lines += [
        f"- **Källa:** {_one_line(record.get('agency', indicator.source.agency))}",
        f"- **Tabell eller nyckeltal:** {_one_line(record.get('table', indicator.source.table))}",
        f"- **Publicering:** {_one_line(record.get('release', 'uppgift saknas'))}",
        f"- **Hämtad:** {_one_line(record.get('retrieved', 'uppgift saknas'))}",
    ]
    if record.get("licence"):
        lines.append(f"- **Licens:** {_one_line(record['licence'])}")
    origins = _origin_lines(record)
    if origins:
        lines += ["- **Offentligt ursprung:**", *origins]
    transformations = record.get("transformations") or []
    if transformations:
        lines.append("- **Bearbetning:**")
        lines += [f"  {n}. {_one_line(step)}" for n, step in enumerate(transformations, start=1)]
    notes = record.get("notes") or []
    if notes:
        lines.append("- **Att tänka på:**")
        lines += [f"  - {_one_line(note)}" for note in notes]
    return "\n".join(lines) + "\n"


def sources_appendix(catalogue: Catalogue, data_dir: Path, kraftsamlingar: list[str] | None = None,
                     level: int = 1, with_heading: bool = True) -> str:
    """The whole "Källor" appendix, grouped by kraftsamling in the given (or the catalogue's) order."""
    order = kraftsamlingar or [k.id for k in catalogue.kraftsamlingar]
    titles = {k.id: k.title for k in catalogue.kraftsamlingar}
    unknown = [k for k in order if k not in titles]
    if unknown:
        raise ValueError(f"Kraftsamlingarna {unknown} finns inte i indikatorkatalogen.")
    # The notebook chapter carries its own "# Källor" heading (Quarto needs it in a Markdown cell).
    parts = ([f"{'#' * level} Källor", ""] if with_heading else []) + [INTRO, ""]
    for kraftsamling in order:
        indicators = catalogue.for_kraftsamling(kraftsamling)
        if not indicators:
            continue
        parts += [f"{'#' * (level + 1)} {titles[kraftsamling]}", ""]
        parts += [indicator_section(i, Path(data_dir), level + 2) for i in indicators]
    return "\n".join(parts).rstrip() + "\n"

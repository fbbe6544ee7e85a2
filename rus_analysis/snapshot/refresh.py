"""The three commands that change ``data/``: each takes frames from ingest and swaps them in.

- ``build_snapshot`` (``rus data bygg``): every series the shared source files give;
- ``update_snapshot`` (``rus data uppdatera``): indicators fetched from Kolada and SCB;
- ``import_file`` (``rus data importera``): one file downloaded by hand.

Ingest reads, parses and tidies; this module hands the frames to the one writer
(``snapshot.writer.write_snapshot``: validate, stage, write, read back, swap), so a failure
leaves ``data/`` byte-identical.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from rus_analysis.checksums import sha256_file
from rus_analysis.config.catalogue import Catalogue
from rus_analysis.ingest.api.http import HttpClient
from rus_analysis.ingest.api.kolada import KoladaClient
from rus_analysis.ingest.api.scb import ScbClient
from rus_analysis.ingest.api.update import UpdateError, describe_query, fetch_indicator
from rus_analysis.ingest.files import collect_series
from rus_analysis.ingest.files.common import GENERATOR as FILES_GENERATOR
from rus_analysis.ingest.files.common import SourceFormatError
from rus_analysis.ingest.manual_import import GENERATOR as IMPORT_GENERATOR
from rus_analysis.ingest.manual_import import ManualImportError, read_export
from rus_analysis.ingest.provenance import FileSource, ProvenanceError, SeriesFile, SeriesProvenance, load_provenance
from rus_analysis.snapshot.store import provenance_path, series_path, to_csv_text
from rus_analysis.snapshot.writer import SeriesWrite, sha256_text, write_snapshot
from rus_analysis.snapshot.validation import validate_series


# --- rus data bygg ------------------------------------------------------------------------------

def _generated_by_us(data_dir: Path, indicator_id: str) -> bool:
    """True when the source-file builder wrote the series (an unreadable record counts as ours)."""
    path = provenance_path(data_dir, indicator_id)
    if not path.is_file():
        return False
    try:
        return load_provenance(path).generator == FILES_GENERATOR
    except ProvenanceError:
        try:
            record = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return True
        return not isinstance(record, dict) or record.get("generator") == FILES_GENERATOR


def build_snapshot(sources_dir: Path, data_dir: Path, catalogue: Catalogue | None = None,
                   keep_foreign: bool = False) -> list[str]:
    """Rebuild every imported series in ``data_dir/series`` from ``sources_dir``; return their ids.

    Series written by other tools (for example a Kolada download) under other ids are left alone;
    series this builder wrote earlier but no longer produces are removed. A series another tool
    wrote under one of our ids is replaced, unless ``keep_foreign`` is true. With a catalogue,
    every series must have an entry in it. Everything goes through the one writer
    (``snapshot.writer``): if any series breaks the contract nothing is written (WriteError).
    """
    sources_dir, data_dir = Path(sources_dir), Path(data_dir)
    results = collect_series(sources_dir)
    produced = {r.indicator for r in results}
    if catalogue is not None:
        unknown = sorted(produced - {i.id for i in catalogue.indicators})
        if unknown:
            raise SourceFormatError(f"Serierna {unknown} saknas i indikatorkatalogen (params/indikatorer.yml). "
                                    f"Lägg till dem i katalogen innan ögonblicksbilden byggs.")
    series_dir = data_dir / "series"
    stale = [csv.stem for csv in sorted(series_dir.glob("*.csv")) if csv.stem not in produced
             and _generated_by_us(data_dir, csv.stem)] if series_dir.is_dir() else []
    writes = []
    for result in results:
        if keep_foreign and series_path(data_dir, result.indicator).is_file() \
                and not _generated_by_us(data_dir, result.indicator):
            continue
        writes.append(SeriesWrite(result.indicator, result.frame, result.provenance.to_record(sources_dir),
                                  origin=f"källfilerna i {sources_dir}"))
    return write_snapshot(data_dir, writes, catalogue, remove=stale).written


def is_current(sources_dir: Path, data_dir: Path) -> bool:
    """True when ``data_dir`` holds exactly what a rebuild from ``sources_dir`` would write."""
    for result in collect_series(Path(sources_dir)):
        csv, prov = series_path(Path(data_dir), result.indicator), provenance_path(Path(data_dir), result.indicator)
        if not (csv.is_file() and prov.is_file()):
            return False
        text = to_csv_text(result.frame)
        if csv.read_text(encoding="utf-8") != text:
            return False
        record = result.provenance.to_record(Path(sources_dir)).model_copy(update={"series": SeriesFile(
            file=csv.name, sha256=sha256_text(text), rows=len(result.frame))})
        if prov.read_text(encoding="utf-8") != record.to_yaml():
            return False
    return True


# --- rus data uppdatera -------------------------------------------------------------------------

@dataclass
class UpdateResult:
    updated: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # in the catalogue but without queries
    empty: list[str] = field(default_factory=list)  # the sources answered, but with no values: not written


def update_snapshot(data_dir: Path, catalogue: Catalogue, indicator_ids: list[str] | None = None,
                    http: HttpClient | None = None, now: dt.datetime | None = None) -> UpdateResult:
    """Fetch the named indicators (default: all with queries) and swap them into ``data_dir``."""
    http = http or HttpClient()
    kolada, scb = KoladaClient(http), ScbClient(http)
    retrieved = (now or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds")
    result = UpdateResult()
    if indicator_ids:
        selected = []
        for indicator_id in indicator_ids:
            try:
                indicator = catalogue.get(indicator_id)
            except KeyError as exc:
                raise UpdateError(exc.args[0]) from None
            if not indicator.queries:
                raise UpdateError(f"Indikatorn {indicator_id} har inga frågor (queries) i params/indikatorer.yml "
                                  "och kan inte hämtas automatiskt; importera en fil med 'rus data importera'.")
            selected.append(indicator)
    else:
        selected = [i for i in catalogue.indicators if i.queries]
        result.skipped = [i.id for i in catalogue.indicators if not i.queries]
    fetched = []
    for indicator in selected:
        item = fetch_indicator(indicator, kolada, scb, retrieved)
        if item.frame.empty:
            # No rows at all (e.g. Kolada has not published the KPI for these regions): an empty file would
            # replace whatever the snapshot holds with nothing, so the series is left as it is, and said.
            result.empty.append(indicator.id)
            continue
        problems = validate_series(item.frame, indicator)
        if problems:
            queries = ", ".join(describe_query(n, q) for n, q in enumerate(indicator.queries, 1))
            raise UpdateError(f"Indikatorn {indicator.id}: det hämtade klarar inte kontrollen ({queries}):\n"
                              + "\n".join(f"  • {p}" for p in problems))
        fetched.append(item)
    if not fetched:
        return result
    # The one writer validates again, writes, reads back and swaps; any failure leaves data/ unchanged.
    write_snapshot(data_dir, [SeriesWrite(item.indicator.id, item.frame, item.provenance,
                                          origin=", ".join(describe_query(n, q) for n, q in
                                                           enumerate(item.indicator.queries, 1)))
                              for item in fetched], catalogue)
    for item in fetched:
        result.updated.append(item.indicator.id)
        result.rows[item.indicator.id] = len(item.frame)
    return result


# --- rus data importera -------------------------------------------------------------------------

def import_file(path: Path, indicator_id: str, data_dir: Path, catalogue: Catalogue,
                now: dt.datetime | None = None) -> int:
    """Import ``path`` as the series of ``indicator_id``; returns the number of rows written."""
    try:
        indicator = catalogue.get(indicator_id)
    except KeyError as exc:
        raise ManualImportError(exc.args[0]) from None
    try:
        frame, facts = read_export(path, indicator)
    except ManualImportError as exc:
        raise ManualImportError(f"{path.name} ({indicator_id}): {exc}") from None
    problems = validate_series(frame, indicator)
    if problems:
        raise ManualImportError(f"{path.name} ({indicator_id}) klarar inte kontrollen:\n"
                                + "\n".join(f"  • {p}" for p in problems))
    when = (now or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds")
    provenance = SeriesProvenance(
        indicator=indicator.id,
        title=indicator.title,
        agency=facts["agency"],
        table=facts["table"],
        release=f"uppdaterad {facts['table_updated']}" if facts.get("table_updated") else "anges inte i filen",
        retrieved=when,
        licence="SCB:s öppna data, CC BY 4.0" if facts["agency"] == "SCB" else "Kolada öppna data, CC BY 4.0",
        sources=[FileSource(file=path.name, sha256=sha256_file(path), format=facts["format"], imported=when,
                            table_title=facts.get("table_title"), table_updated=facts.get("table_updated"))],
        transformations=[
            "Regionkoder och -namn översatta till projektets koder; kön till T/K/M; grupper enligt katalogen",
            f"Enhet från katalogen ({indicator.unit}); saknade värden ('..') behållna som tomma med status",
            "Inga värden beräknade, avrundade eller ifyllda",
        ],
        notes=[f"Filen {path.name} hämtades för hand från statistikdatabasen; hämtdatum är dagen då "
               "den importerades."],
        generator=IMPORT_GENERATOR,
    )
    write_snapshot(data_dir, [SeriesWrite(indicator.id, frame, provenance, origin=f"filen {path.name}")], catalogue)
    return len(frame)

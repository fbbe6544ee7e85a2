"""The three commands that change ``data/``: each takes frames from ingest and swaps them in.

- ``build_snapshot`` (``rus data bygg``): every series the shared source files give;
- ``update_snapshot`` (``rus data uppdatera``): indicators fetched from Kolada and SCB;
- ``import_file`` (``rus data importera``): a file downloaded by hand, merged cell by cell.

Ingest reads, parses and tidies; this module hands the frames to the one writer
(``snapshot.writer.write_snapshot``: validate, stage, write, read back, swap), so a failure
leaves ``data/`` byte-identical.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pandas as pd
import yaml

from rus_analysis.checksums import sha256_file
from rus_analysis.config.catalogue import Catalogue
from rus_analysis.config.numbers import format_number
from rus_analysis.config.yaml_files import yaml_error_text
from rus_analysis.errors import os_error_text
from rus_analysis.ingest.api.http import HttpClient
from rus_analysis.ingest.api.kolada import KoladaClient
from rus_analysis.ingest.api.scb import ScbClient
from rus_analysis.ingest.api.update import UpdateError, describe_query, fetch_indicator
from rus_analysis.ingest.decoding import Decimal
from rus_analysis.ingest.files import collect_series
from rus_analysis.ingest.files.common import GENERATOR as FILES_GENERATOR
from rus_analysis.ingest.files.common import SourceFormatError
from rus_analysis.ingest.identity import IdentityError, check_identity, declared_unit, unit_conversion
from rus_analysis.ingest.manual_import import GENERATOR as IMPORT_GENERATOR
from rus_analysis.ingest.manual_import import Export, ManualImportError, read_export
from rus_analysis.ingest.provenance import (
    CellCounts,
    FileSource,
    ProvenanceError,
    SeriesFile,
    SeriesProvenance,
    load_provenance,
    migrate_v1,
)
from rus_analysis.snapshot.merge import MergeResult, merge_series
from rus_analysis.snapshot.store import provenance_path, read_provenance, read_series, series_path, to_csv_text
from rus_analysis.snapshot.validation import check_series_file, validate_series
from rus_analysis.snapshot.writer import SeriesWrite, sha256_text, write_snapshot

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
    """What ``update_snapshot`` did: the ids updated with their row counts, and those without queries."""

    updated: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # in the catalogue but without queries
    empty: list[str] = field(default_factory=list)  # the sources answered, but with no values: not written


def update_snapshot(data_dir: Path, catalogue: Catalogue, indicator_ids: list[str] | None = None,
                    http: HttpClient | None = None, now: dt.datetime | None = None) -> UpdateResult:
    """Fetch the named indicators (default: all with queries) and swap them into ``data_dir``."""
    http = http or HttpClient()
    kolada, scb = KoladaClient(http), ScbClient(http)
    retrieved = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
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

MAGNITUDE_LIMIT = 50.0  # a file whose values are this many times larger/smaller: wrong unit or separator
UNVERIFIED_LIMIT = 0.25  # median relative difference tolerated when the file cannot say what it holds


@dataclass
class ImportResult:
    """What ``import_file`` did (or, with ``dry_run``, would do)."""

    indicator: str
    files: list[str]
    format: str
    encoding: str | None
    merge: MergeResult
    notes: list[str]
    unit_conversion: str | None
    replaced: bool
    dry_run: bool
    written: bool


def _convert(frame: pd.DataFrame, factor: Fraction) -> pd.DataFrame:
    """Values times an exact factor: multiply by the numerator, divide by the denominator, so
    391365840 MWh → 391365.84 GWh and 1 TJ → 1/3,6 GWh carry no float noise from the factor."""
    frame = frame.copy()
    factor = Fraction(factor)
    if factor != 1:
        frame["value"] = frame["value"] * factor.numerator / factor.denominator
    return frame


def _median_ratio(merge: MergeResult) -> float | None:
    ratios = [abs(c.new_value / c.old_value) for c in merge.changed
              if c.old_value and c.new_value and not (math.isnan(c.old_value) or math.isnan(c.new_value))]
    return float(pd.Series(ratios).median()) if ratios else None


def _check_plausible(merge: MergeResult, indicator_id: str, verified: bool, names: str) -> None:
    """Refuse values 50× off the series (unit or decimal separator wrong) and, when the file cannot
    say what it holds, values that differ from the series' overlapping cells by more than a quarter."""
    ratio = _median_ratio(merge)
    if ratio is None:
        return
    example = merge.largest_changes(1)[0]
    shown = (f"t.ex. {example.region_name} {example.year}: {format_number(example.new_value, 3)} i filen mot "
             f"{format_number(example.old_value, 3)} i serien")
    if ratio >= MAGNITUDE_LIMIT or ratio <= 1 / MAGNITUDE_LIMIT:
        factor = format_number(ratio if ratio >= 1 else 1 / ratio, 0)
        raise ManualImportError(
            f"{names}: värdena är i median {factor} gånger {'större' if ratio >= 1 else 'mindre'} än serien "
            f"{indicator_id} för samma celler ({shown}). Fel enhet eller decimaltecken? Inget importerades")
    if not verified:
        diffs = [abs(c.new_value - c.old_value) / abs(c.old_value) for c in merge.changed
                 if c.old_value and not (math.isnan(c.old_value) or math.isnan(c.new_value))]
        share = float(pd.Series(diffs).median()) if diffs else 0.0
        overlap = len(merge.changed) + merge.unchanged
        if share > UNVERIFIED_LIMIT and len(diffs) * 2 > overlap:
            raise ManualImportError(
                f"{names}: filen anger inte vad den innehåller, och värdena skiljer sig i median "
                f"{format_number(share * 100, 0)} procent från serien {indicator_id} för samma celler ({shown}). "
                "Gäller filen verkligen den här indikatorn? Inget importerades")


def _import_record(existing: SeriesProvenance | None, indicator, export: Export, source: FileSource,
                   replace: bool, when: str) -> SeriesProvenance:
    table = export.table or indicator.source.table
    release = f"uppdaterad {export.table_updated}" if export.table_updated else "anges inte i filen"
    transformations = [
        "Regionkoder och -namn översatta till projektets koder; kön till T/K/M; grupper enligt katalogen",
        f"Enhet {indicator.unit}; saknade värden (SCB '..', '.', Kolada utan värde) behållna som tomma med status",
        "Importen ändrade bara filens celler (region, år, kön, grupp); övriga rader behölls",
        "Inga värden beräknade, avrundade eller ifyllda",
    ]
    if source.unit_conversion:
        transformations.insert(1, f"Enheten räknades om: {source.unit_conversion}")
    if existing is None or replace:
        return SeriesProvenance(
            indicator=indicator.id, title=indicator.title, agency=export.agency, table=table, release=release,
            retrieved=when,
            licence="SCB:s öppna data, CC BY 4.0" if export.agency == "SCB" else "Kolada öppna data, CC BY 4.0",
            sources=[source], transformations=transformations,
            notes=[f"Filen {source.file} hämtades för hand; hämtdatum är dagen då den importerades.", *source.notes],
            generator=IMPORT_GENERATOR)
    record = existing.model_copy(deep=True)
    record.sources = [*record.sources, source]
    if export.table and export.table not in record.table:
        record.table = f"{record.table}; {export.table}"
    if export.agency not in record.agency:
        record.agency = f"{record.agency}; {export.agency}"
    if export.table_updated:  # the file's own release, as the file states it (stored literally)
        record.release = f"{record.release}; {export.table + ': ' if export.table else ''}{release}"
    record.retrieved = f"{record.retrieved}; {source.file} importerad {when}"
    record.transformations = [*record.transformations,
                              *[t for t in transformations if t not in record.transformations]]
    record.notes = [*record.notes, *[n for n in source.notes if n not in record.notes]]
    record.generator = IMPORT_GENERATOR
    return record


def import_file(paths: Path | list[Path], indicator_id: str, data_dir: Path, catalogue: Catalogue,
                now: dt.datetime | None = None, replace: bool = False, dry_run: bool = False,
                decimal: Decimal | None = None) -> ImportResult:
    """Import a downloaded file (or every page of one Kolada answer) into ``indicator_id``'s series.

    Reads the file (``ingest.manual_import``), checks that it is for the indicator and in its unit
    (``ingest.identity``; known conversions are applied and recorded), validates the rows, merges
    them cell by cell into the series (``snapshot.merge``; ``replace`` swaps the whole series),
    refuses values 50× off the series, and writes through the one writer. ``dry_run`` does all of
    it except the write. Importing the same file again changes nothing and writes nothing.
    Raises ManualImportError/IdentityError/WriteError (Swedish); ``data/`` is then unchanged.
    """
    paths = [Path(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)]
    names = ", ".join(p.name for p in paths)
    try:
        indicator = catalogue.get(indicator_id)
    except KeyError as exc:
        raise ManualImportError(exc.args[0]) from None
    if series_path(Path(data_dir), indicator_id).is_file():
        problems = check_series_file(Path(data_dir), indicator)
        if problems:
            raise ManualImportError(f"Serien {indicator_id} i {data_dir} klarar inte kontrollen, så ingenting "
                                    "importeras i den förrän den är åtgärdad:\n"
                                    + "\n".join(f"  • {p}" for p in problems))
    existing = read_series(Path(data_dir), indicator_id)
    export = read_export(paths, indicator, set(existing["group"].dropna()), decimal)
    try:
        verified, identity_notes = check_identity(export.evidence, indicator)
        declared = declared_unit(export.evidence)
        factor, conversion = unit_conversion(declared, indicator)
    except IdentityError as exc:
        raise IdentityError(f"{names}: {exc}") from None
    if declared == "andel" and (export.frame["value"].dropna() > 1).any():
        raise IdentityError(f"{names}: filen anger enheten andel men har värden över 1; är de redan i procent?")
    frame = _convert(export.frame, factor)
    problems = validate_series(frame, indicator)
    if problems:
        raise ManualImportError(f"{names} ({indicator_id}) klarar inte kontrollen; inget importerades:\n"
                                + "\n".join(f"  • {p}" for p in problems))
    merge = merge_series(existing, frame, replace=replace)
    _check_plausible(merge, indicator_id, verified, names)
    notes = [*export.notes, *identity_notes]
    if conversion:
        notes.insert(0, f"Enheten räknades om: {conversion}.")
    result = ImportResult(indicator_id, [p.name for p in paths], export.format, export.encoding, merge, notes,
                          conversion, replace, dry_run, written=False)
    checksum = sha256_file(paths[0]) if len(paths) == 1 else sha256_text("".join(sha256_file(p) for p in paths))
    try:
        previous = read_provenance(Path(data_dir), indicator_id) if not existing.empty else None
    except ProvenanceError:
        previous = None
    # A file whose values are all in the series already is still recorded once as a source (it
    # confirms them); importing it again changes nothing at all.
    known = previous is not None and any(getattr(s, "sha256", None) == checksum for s in previous.sources)
    if dry_run or (not merge.changes_anything and (known or previous is None)):
        return result
    when = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    years = f"{merge.years[0]}–{merge.years[-1]}" if len(merge.years) > 1 else str(merge.years[0])
    source = FileSource(
        file=names, sha256=checksum,
        format=export.format, imported=when, mode="ersatt" if replace else "sammanfoga", table=export.table,
        table_title=export.table_title, table_updated=export.table_updated, unit_declared=declared,
        unit_conversion=conversion, years=years, regions=merge.regions,
        cells=CellCounts(added=merge.added, changed=len(merge.changed), unchanged=merge.unchanged,
                         removed=merge.removed),
        notes=notes)
    record = _import_record(previous, indicator, export, source, replace, when)
    write_snapshot(data_dir, [SeriesWrite(indicator.id, merge.frame, record, origin=f"filen {names}")], catalogue)
    result.written = True
    return result


# --- rus data migrera ---------------------------------------------------------------------------

def migrate_snapshot(data_dir: Path, catalogue: Catalogue | None = None) -> list[str]:
    """Rewrite every provenance record of schema version 1 (``origin``/``api_requests``/``files``)
    in the model of version 2, with the series CSV's sha256, through the one writer.

    The series' rows are not touched; a CSV that does not pass the contract is refused
    (WriteError), so a checksum is never recorded for a broken file. Returns the ids rewritten.
    """
    data_dir = Path(data_dir)
    writes = []
    for csv in sorted((data_dir / "series").glob("*.csv")):
        path = provenance_path(data_dir, csv.stem)
        if not path.is_file():
            continue
        try:
            record = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            why = (yaml_error_text(exc) if isinstance(exc, yaml.YAMLError) else "inte UTF-8-text"
                   if isinstance(exc, UnicodeDecodeError) else os_error_text(exc))
            raise ProvenanceError(f"{path.name} går inte att läsa ({why}); återställ den med git") from None
        if not isinstance(record, dict) or "schema_version" in record:
            continue
        record.setdefault("indicator", csv.stem)
        writes.append(SeriesWrite(csv.stem, read_series(data_dir, csv.stem), migrate_v1(record),
                                  origin=f"ursprungsuppgifterna i {path.name}"))
    if writes:
        write_snapshot(data_dir, writes, catalogue)
    return [w.indicator for w in writes]

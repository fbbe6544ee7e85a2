"""``rus data importera``: a file downloaded by hand from SCB or Kolada into the snapshot.

Accepted: SCB Statistikdatabasen exports as CSV (comma, semicolon or tab; title line and
footnotes allowed; wide with one column per year, or long with a year column) or JSON-stat2,
an SCB PxWebApi v1 JSON answer, and Kolada data as the v3 API's JSON or as a CSV with the
API's columns (kpi, municipality_id, year, gender, value[, status]). This module reads and
tidies; ``rus_analysis.snapshot.refresh.import_file`` validates the series and swaps it in
atomically, exactly as an API update.
"""

from __future__ import annotations

from rus_analysis.errors import IngestError

import csv
import io
import json
import math
import re
import unicodedata
from pathlib import Path

import pandas as pd

from rus_analysis import __version__
from rus_analysis.config.catalogue import Indicator, Query
from rus_analysis.ingest.api.http import SourceError
from rus_analysis.ingest.api.kolada import kolada_query, records_to_cells
from rus_analysis.ingest.api.scb import MISSING_SYMBOLS, parse_jsonstat2, parse_v1
from rus_analysis.ingest.tidy import SYMBOL, VALUE, to_snapshot

GENERATOR = f"rus_analysis.ingest.manual_import {__version__}"
REGION_HEADERS = {"region", "lan", "kommun", "lan/kommun", "region/lan"}
SEX_HEADERS = {"kon", "gender"}
TIME_HEADERS = {"ar", "tid", "period", "year", "valar"}
YEAR = re.compile(r"^(?:(?P<pre>.*\S)\s+)?(?P<year>(?:19|20)\d\d)(?:\s+(?P<post>\S.*))?$")


class ManualImportError(IngestError):
    """The file cannot be imported; the snapshot is unchanged. Swedish message."""


def _fold(text: str) -> str:
    """Compare headers without case or diacritics: 'Kön' ~ 'Kon', 'Födelseregion' ~ 'Fodelseregion'."""
    decomposed = unicodedata.normalize("NFKD", str(text).strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")  # older Statistikdatabasen exports are Windows-1252


def _number(text: str, decimal_comma: bool) -> tuple[float, str]:
    """(value, symbol) from one exported cell: numbers, or SCB's '..'-style symbols as missing."""
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if cleaned in MISSING_SYMBOLS or cleaned == "":
        return math.nan, cleaned or ".."
    if decimal_comma:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned), ""
    except ValueError:
        raise ManualImportError(f"cellen {text!r} är varken ett tal eller ett av SCB:s tecken för saknat värde "
                                "('..', '.')") from None


def _csv_rows(text: str) -> tuple[list[list[str]], str, str | None]:
    lines = text.splitlines()
    sample = "\n".join(line for line in lines[:20] if line.strip())
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    # Skip a title line (one field) and blank lines before the header; stop at the footnotes.
    start = next((i for i, r in enumerate(rows) if len([c for c in r if c.strip()]) >= 2), None)
    if start is None:
        raise ManualImportError("filen har ingen rubrikrad med minst två kolumner")
    width = len(rows[start])
    titles = [r[0].strip() for r in rows[:start] if len(r) == 1 and r[0].strip()]
    body = []
    for row in rows[start + 1:]:
        if not any(c.strip() for c in row):
            break
        if len(row) != width:
            raise ManualImportError(f"raden {row} har {len(row)} fält, rubrikraden {width}")
        body.append(row)
    return [rows[start], *body], delimiter, (titles[0] if titles else None)


def _scb_csv_cells(text: str, query: Query) -> tuple[pd.DataFrame, str | None]:
    rows, delimiter, title = _csv_rows(text)
    header = [h.strip() for h in rows[0]]
    body = rows[1:]
    decimal_comma = delimiter != ","
    names = {}
    for column in header:
        folded = _fold(column)
        if folded in REGION_HEADERS or folded == _fold(query.region_dimension):
            names[column] = query.region_dimension
        elif folded in SEX_HEADERS or (query.sex_dimension and folded == _fold(query.sex_dimension)):
            names[column] = query.sex_dimension or "Kon"
        elif folded in TIME_HEADERS or folded == _fold(query.time_dimension):
            names[column] = query.time_dimension
        elif query.group_dimension and folded == _fold(query.group_dimension):
            names[column] = query.group_dimension
    if query.region_dimension not in names.values():
        raise ManualImportError(f"hittar ingen regionkolumn bland {header}; kolumnen ska heta 'region'")
    year_columns = {i: YEAR.match(h) for i, h in enumerate(header) if header[i] not in names and YEAR.match(h)}
    records = []
    if year_columns:  # wide: one column per year (and perhaps content)
        keys = [i for i in range(len(header)) if i not in year_columns]
        for row in body:
            base = {names.get(header[i], header[i]): row[i].strip() for i in keys}
            for i, match in year_columns.items():
                record = dict(base)
                record[query.time_dimension] = match.group("year")
                content = " ".join(x for x in (match.group("pre"), match.group("post")) if x)
                if content:
                    record["ContentsCode"] = content
                record[VALUE], record[SYMBOL] = _number(row[i], decimal_comma)
                records.append(record)
    else:  # long: a year column and the value last
        if query.time_dimension not in names.values():
            raise ManualImportError(f"hittar varken årskolumner eller en kolumn 'år' bland {header}")
        for row in body:
            record = {names.get(h, h): v.strip() for h, v in zip(header[:-1], row[:-1])}
            record[VALUE], record[SYMBOL] = _number(row[-1], decimal_comma)
            records.append(record)
    return pd.DataFrame(records), title


def _kolada_csv_cells(text: str) -> tuple[pd.DataFrame, str]:
    frame = pd.read_csv(io.StringIO(text), sep=None, engine="python", dtype=str, keep_default_na=False)
    frame.columns = [_fold(c) for c in frame.columns]
    municipality = "municipality_id" if "municipality_id" in frame else "municipality"
    period = "year" if "year" in frame else "period"
    missing = [c for c in ("kpi", municipality, period, "gender", "value") if c not in frame]
    if missing:
        raise ManualImportError(f"Kolada-filen saknar kolumnerna {missing} (väntade kpi, municipality_id, year, "
                                "gender, value)")
    kpis = sorted(set(frame["kpi"]))
    if len(kpis) != 1:
        raise ManualImportError(f"filen innehåller flera KPI:er ({', '.join(kpis)}); importera en i taget")
    records = [{"kpi": r["kpi"], "municipality": r[municipality], "period": r[period],
                "values": [{"gender": r["gender"], "value": r["value"] if r["value"].strip() else None,
                            "status": r.get("status", "")}]} for _, r in frame.iterrows()]
    return records_to_cells(records, kpis[0]), kpis[0]


def _query(indicator: Indicator, api: str) -> Query | None:
    return next((q for q in indicator.queries if q.api == api), None)


def _check_kpi(indicator: Indicator, kpi: str) -> Query | None:
    queries = [q for q in indicator.queries if q.api == "kolada"]
    if queries and kpi not in {q.id for q in queries}:
        raise ManualImportError(f"filen gäller Kolada {kpi}, men {indicator.id} hämtas från "
                                f"{', '.join(q.id for q in queries)} enligt katalogen")
    return next((q for q in queries if q.id == kpi), None)


def _select(cells: pd.DataFrame, query: Query) -> pd.DataFrame:
    """Keep the cells the catalogue query selects (codes or texts), as the API would have."""
    for dimension, wanted in query.selection.items():
        if dimension in cells and wanted != ["*"]:
            wanted_folded = {_fold(w) for w in wanted}
            keep = cells[dimension].map(
                lambda v: _fold(v) in wanted_folded or _fold(str(v).split(" ")[0]) in wanted_folded)
            cells = cells[keep]
    return cells


def read_export(path: Path, indicator: Indicator) -> tuple[pd.DataFrame, dict]:
    """Snapshot rows from one exported file, and a description of the file."""
    if not path.is_file():
        raise ManualImportError(f"filen {path} finns inte")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xls", ".px"):
        raise ManualImportError(f"{suffix}-filer stöds inte; exportera tabellen som CSV eller JSON-stat2")
    text = _read_text(path)
    scb_query = _query(indicator, "scb") or Query(api="scb", id=indicator.source.table)
    try:
        if text.lstrip().startswith(("{", "[")):
            try:
                doc = json.loads(text)
            except ValueError as exc:
                raise ManualImportError(f"filen är inte giltig JSON ({exc}); är den avbruten?") from None
            if isinstance(doc, dict) and doc.get("class") == "dataset":
                cells, facts = parse_jsonstat2(doc)
                return to_snapshot(_select(cells, scb_query), scb_query, indicator), {
                    "format": "SCB JSON-stat2", "agency": "SCB", "table": facts.get("table") or scb_query.id,
                    "table_title": facts.get("label"), "table_updated": facts.get("updated")}
            if isinstance(doc, dict) and "columns" in doc and "data" in doc:
                cells, facts = parse_v1(doc)
                return to_snapshot(_select(cells, scb_query), scb_query, indicator), {
                    "format": "SCB PxWebApi v1 JSON", "agency": "SCB", "table": scb_query.id,
                    "table_title": facts.get("label"), "table_updated": facts.get("updated")}
            if isinstance(doc, dict) and isinstance(doc.get("values"), list):
                kpis = sorted({str(r.get("kpi")) for r in doc["values"] if isinstance(r, dict)})
                if len(kpis) != 1:
                    raise ManualImportError(f"filen innehåller {len(kpis)} KPI:er ({', '.join(kpis)}); en i taget")
                query = kolada_query(kpis[0], _check_kpi(indicator, kpis[0]))
                cells = records_to_cells(doc["values"], kpis[0])
                return to_snapshot(cells, query, indicator), {"format": "Kolada API v3 JSON", "agency": "RKA (Kolada)",
                                                              "table": f"Kolada {kpis[0]}"}
            raise ManualImportError("JSON-filen är varken JSON-stat2 från SCB, ett PxWebApi v1-svar eller Kolada-data")
        first = text.lstrip().splitlines()[0].casefold() if text.strip() else ""
        if "kpi" in first and "municipality" in first:
            cells, kpi = _kolada_csv_cells(text)
            query = kolada_query(kpi, _check_kpi(indicator, kpi))
            return to_snapshot(cells, query, indicator), {"format": "Kolada CSV", "agency": "RKA (Kolada)",
                                                          "table": f"Kolada {kpi}"}
        cells, title = _scb_csv_cells(text, scb_query)
        return to_snapshot(_select(cells, scb_query), scb_query, indicator), {
            "format": "SCB Statistikdatabasen CSV", "agency": "SCB", "table": scb_query.id, "table_title": title}
    except SourceError as exc:
        raise ManualImportError(str(exc)) from None

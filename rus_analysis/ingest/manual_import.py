"""``rus data importera``, the reading half: a file downloaded by hand into tidy rows for one indicator.

Formats (decided from the bytes, not the file name):

- SCB Statistikdatabasen / PxWeb CSV and text: comma, semicolon or tab; UTF-8 (with or without
  BOM), Windows-1252/latin-1, UTF-16 ("Unicode text" from Excel); title lines before the header
  and footnotes after it; wide (one column per year, perhaps "Andel (procent) 2022") or long (a
  year column and the value last); decimal comma or point, thousands with (no-break) spaces;
  SCB's symbols per its legend (``..`` and ``.`` missing, ``-`` nil = 0, recorded);
- PxWeb xlsx (openpyxl) and PC-Axis ``.px`` (``ingest.px``);
- SCB JSON-stat2 (PxWebApi 2.0, with or without ``status``) and PxWebApi v1 JSON;
- Kolada CSV (API columns, rKolada downloads with a KPI title instead of an id, no gender,
  re-saved by Swedish Excel) and Kolada JSON (API v2 and v3; several pages as several files,
  refused when a page is missing). Kolada's 0 for "no data" is read exactly as ``rus data bygg``
  reads it (``ingest.files.common.kolada_zero_means_missing``).

Region codes that lost their leading zeros in Excel (``6`` for 0006) are repaired when that is
unambiguous, with a note. ``read_export`` returns the rows and what the file says about itself;
``snapshot.refresh.import_file`` checks identity and unit, merges and writes.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from rus_analysis import __version__
from rus_analysis.config.catalogue import Indicator
from rus_analysis.config.geography import LAN, REGION_NAMES, RIKET
from rus_analysis.errors import IngestError, os_error_text
from rus_analysis.ingest.api.http import SourceError
from rus_analysis.ingest.api.scb import parse_jsonstat2, parse_v1
from rus_analysis.ingest.decoding import (
    Decimal,
    ExportFormatError,
    decide_decimal,
    decode,
    kind_words,
    parse_value,
    sniff_kind,
)
from rus_analysis.ingest.files.common import kolada_zero_means_missing
from rus_analysis.ingest.identity import KPI, SCB_TABLE, Evidence, fold
from rus_analysis.ingest.px import codepage, parse_px, px_rows
from rus_analysis.ingest.schema import COLUMNS, DTYPES, KEY
from rus_analysis.ingest.tidy import DEFAULT_SEX

GENERATOR = f"rus_analysis.ingest.manual_import {__version__}"
REGION_HEADERS = {"region", "lan", "kommun", "lan/kommun", "region/lan", "municipality", "municipality_id",
                  "kommunkod", "regionkod", "lanskod", "omrade"}
SEX_HEADERS = {"kon", "gender", "sex"}
TIME_HEADERS = {"ar", "tid", "period", "year", "valar", "time"}
VALUE_HEADERS = {"value", "varde", "values"}
YEAR = re.compile(r"^(?:(?P<pre>.*\S)\s+)?(?P<year>(?:19|20)\d\d)(?:\s+(?P<post>\S.*))?$")
TOTAL_WORDS = {"totalt", "samtliga", "alla", "total", "totalt samtliga", "samtliga branslen", "hela befolkningen"}
MAX_SHOWN = 6


class ManualImportError(IngestError):
    """The file cannot be imported; the snapshot is unchanged. Swedish message."""


@dataclass
class Export:
    """Tidy rows read from one or more files (pages) and what the files say about themselves.

    ``frame`` has the snapshot columns (``ingest.schema.COLUMNS``) in the file's own unit;
    ``evidence`` feeds ``ingest.identity``; ``notes`` are Swedish sentences for the summary
    and the provenance (region codes repaired, ``-`` read as 0, zeros read as missing …).
    """

    frame: pd.DataFrame
    format: str
    agency: str
    evidence: Evidence
    table: str | None = None
    table_title: str | None = None
    table_updated: str | None = None
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class _Raw:
    """Cells before mapping: one dict per cell with region/year/sex/group texts and the value."""

    rows: list[dict[str, Any]]
    others: dict[str, set[str]]  # other dimensions and their values
    format: str
    agency: str
    evidence: Evidence
    table: str | None = None
    table_title: str | None = None
    table_updated: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    kolada_kpi: str | None = None
    region_from_kolada: bool = False
    notes: list[str] = field(default_factory=list)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)  # dimension → label → code (JSON-stat2)


def _shown(items, limit: int = MAX_SHOWN) -> str:
    items = list(items)
    text = ", ".join(str(i) for i in items[:limit])
    return text + (f" och {len(items) - limit} till" if len(items) > limit else "")


# --- regions ----------------------------------------------------------------------------------

_NAMES = {fold(name): code for code, name in REGION_NAMES.items()}
_NAMES.update({"sverige": RIKET, "hela riket": RIKET, "riket": RIKET, "sweden": RIKET, "hela landet": RIKET})


def _name_code(text: str) -> str | None:
    folded = fold(text).strip()
    folded = re.sub(r"^region\s+", "", folded)
    folded = re.sub(r"\s+county$", " lan", folded)
    for candidate in (folded, f"{folded} lan", f"{folded}s lan", folded.replace("regionen", " lan").strip()):
        if candidate in _NAMES:
            return _NAMES[candidate]
    if folded == "vastra gotalandsregionen":
        return _NAMES.get("vastra gotalands lan")
    return None


@dataclass
class _Region:
    code: str | None  # our code; None if unknown
    repaired: str | None = None  # the text whose leading zeros were restored
    outside: bool = False  # a valid Swedish code outside the project's regions


def _region(raw: Any, kolada: bool) -> _Region:
    text = str(raw).strip().strip('"').strip()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    head = text.split(" ", 1)[0]
    if head.isdigit():
        if len(head) == 4:
            code, repaired = head, None
        elif len(head) == 2 and not kolada:
            code, repaired = ("0000" if head == "00" else "00" + head), None
        elif len(head) in (1, 2):
            code, repaired = "00" + head.zfill(2), head
        elif len(head) == 3:
            code, repaired = "0" + head, head
        else:
            return _Region(None)
        if code == "0000" and head not in ("0000", "00"):
            repaired = head
        if code in REGION_NAMES:
            return _Region(code, repaired)
        if code[:2] in {c[2:] for c in LAN} and code[2:] != "00":
            return _Region(None, repaired, outside=True)
        return _Region(None, repaired)
    return _Region(_name_code(text))


# --- text tables (CSV, text, xlsx) ------------------------------------------------------------

def _delimiter(lines: list[str]) -> str:
    best, best_score = ",", -1
    for delimiter in ("\t", ";", ","):
        counts = []
        for row in csv.reader(io.StringIO("\n".join(lines[:40])), delimiter=delimiter):
            if len(row) >= 2:
                counts.append(len(row))
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        score = counts.count(common) * common
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _split_table(rows: list[list[Any]]) -> tuple[list[str], list[list[Any]], list[str], list[str]]:
    """(header, body, title lines, footnote lines) from rows of cells; refuses ragged or empty bodies."""
    def filled(row: list[Any]) -> list[Any]:
        return [c for c in row if c is not None and str(c).strip() != ""]

    start = next((i for i, r in enumerate(rows) if len(filled(r)) >= 2), None)
    if start is None:
        raise ExportFormatError("filen har ingen tabell (ingen rad med minst två kolumner)")
    titles = [" ".join(str(c) for c in filled(r)) for r in rows[:start] if filled(r)]
    width = len(rows[start])
    while width > 1 and (rows[start][width - 1] is None or str(rows[start][width - 1]).strip() == ""):
        if all(len(r) < width or r[width - 1] in (None, "") for r in rows[start:]):
            width -= 1
        else:
            break
    header = ["" if c is None else str(c).strip() for c in rows[start][:width]]
    body, notes = [], []
    for number, row in enumerate(rows[start + 1:], start=start + 2):
        cells = filled(row)
        if not cells:
            if body:
                notes += [" ".join(str(c) for c in filled(r)) for r in rows[number:] if filled(r)]
                break
            continue
        if len(cells) == 1 and body and len(row) < width:
            notes += [" ".join(str(c) for c in filled(r)) for r in rows[number - 1:] if filled(r)]
            break
        if len(row) != width and not (len(row) > width and all(c in (None, "") for c in row[width:])):
            raise ExportFormatError(f"rad {number} har {len(row)} fält men rubrikraden {width} "
                                    "(avkortad eller trasig fil?)")
        body.append(list(row[:width]))
    if not body:
        raise ExportFormatError("filen har en rubrikrad men inga datarader")
    return header, body, titles, notes


def _fill_down(body: list[list[Any]], columns: list[int]) -> None:
    """PxWeb's xlsx leaves a repeated stub value empty under the first; fill it in."""
    for column in columns:
        previous = None
        for row in body:
            if row[column] in (None, "") and previous is not None:
                row[column] = previous
            previous = row[column]


def _looks_like_regions(values: list[Any]) -> bool:
    found = [v for v in values if v not in (None, "")]
    return bool(found) and all(_region(v, False).code or _region(v, False).outside for v in found)


def _text_table(rows: list[list[Any]], fmt: str, encoding: str | None, delimiter: str | None) -> _Raw:
    header, body, titles, notes = _split_table(rows)
    folded = [fold(h) for h in header]
    if {"kpi"} <= set(folded) and ({"municipality_id", "municipality"} & set(folded)):
        return _kolada_table(header, body, "Kolada CSV" if fmt.endswith("CSV") else "Kolada xlsx", encoding, delimiter)
    year_cols = {i: YEAR.match(h) for i, h in enumerate(header) if YEAR.match(h)
                 and folded[i] not in TIME_HEADERS}
    dim_cols = [i for i in range(len(header)) if i not in year_cols]
    role: dict[int, str] = {}
    for i in dim_cols:
        if folded[i] in SEX_HEADERS:
            role[i] = "sex"
        elif folded[i] in TIME_HEADERS:
            role[i] = "year"
        elif folded[i] in REGION_HEADERS:
            role[i] = "region"
    value_col = None
    if not year_cols:
        candidates = [i for i in dim_cols if folded[i] in VALUE_HEADERS] or [dim_cols[-1]]
        value_col = candidates[0]
        dim_cols = [i for i in dim_cols if i != value_col]
        if "year" not in role.values():
            raise ExportFormatError(f"hittar varken årskolumner (t.ex. '2023') eller en kolumn 'år' bland "
                                    f"{_shown(repr(h) for h in header)}")
    _fill_down(body, [i for i in dim_cols if role.get(i) != "year"])
    if "region" not in role.values():
        guess = [i for i in dim_cols if i not in role and _looks_like_regions([r[i] for r in body])]
        if not guess:
            raise ExportFormatError(f"hittar ingen regionkolumn bland {_shown(repr(h) for h in header)}; "
                                    "den ska heta 'region' eller innehålla regionkoder som '18 Örebro län'")
        role[guess[0]] = "region"
    for i in dim_cols:
        if i not in role and header[i] == "":
            header[i] = f"kolumn {i + 1}"
    others = {header[i]: {str(r[i]).strip() for r in body} for i in dim_cols if i not in role}
    texts = [*titles, *notes, *[m.group("pre") or "" for m in year_cols.values()],
             *[m.group("post") or "" for m in year_cols.values()]]
    if value_col is not None:
        texts.append(header[value_col])
    cells = []
    for row in body:
        base = {"region": row[[i for i in role if role[i] == "region"][0]]}
        for i, name in role.items():
            if name in ("sex", "year"):
                base[name] = row[i]
        base["others"] = {header[i]: str(row[i]).strip() for i in dim_cols if i not in role}
        if year_cols:
            for i, match in year_cols.items():
                cells.append({**base, "year": match.group("year"), "raw": row[i]})
        else:
            cells.append({**base, "raw": row[value_col]})
    table_ids = set(SCB_TABLE.findall(" ".join([*titles, *notes])))
    evidence = Evidence(kpis=set(), tables=table_ids, contents=set(), texts=[t for t in texts if t], unit=None)
    return _Raw(cells, others, fmt, "SCB", evidence, table=", ".join(sorted(table_ids)) or None,
                table_title=titles[0] if titles else None, encoding=encoding, delimiter=delimiter)


def _kolada_table(header: list[str], body: list[list[Any]], fmt: str, encoding: str | None,
                  delimiter: str | None) -> _Raw:
    folded = [fold(h) for h in header]
    index = {name: folded.index(name) for name in folded}
    region_col = index.get("municipality_id", index.get("municipality"))
    name_col = index.get("municipality") if "municipality_id" in index else None
    year_col = index.get("year", index.get("period"))
    value_col = index.get("value")
    missing = [n for n, c in (("municipality_id", region_col), ("year", year_col), ("value", value_col)) if c is None]
    if missing:
        raise ExportFormatError(f"Kolada-filen saknar kolumnerna {', '.join(missing)} (väntade kpi, municipality_id, "
                                "year, gender, value)")
    kpi_values = {str(r[index["kpi"]]).strip() for r in body}
    if len(kpi_values) != 1:
        raise ExportFormatError(
            f"filen innehåller flera nyckeltal ({_shown(sorted(kpi_values))}); importera ett i taget")
    kpi_text = kpi_values.pop()
    kpi = kpi_text if KPI.fullmatch(kpi_text) else None
    cells = []
    for row in body:
        cells.append({"region": row[region_col], "region_name": row[name_col] if name_col is not None else None,
                      "year": row[year_col],
                      "sex": row[index["gender"]] if "gender" in index else "T",
                      "raw": row[value_col], "status": row[index["status"]] if "status" in index else "",
                      "others": {}})
    evidence = Evidence(kpis={kpi} if kpi else set(), tables=set(), contents=set(),
                        texts=[] if kpi else [kpi_text], unit=None)
    notes = [] if "gender" in index else ["Filen har ingen kolumn för kön; värdena lästes som totalt (T)."]
    return _Raw(cells, {}, fmt, "RKA (Kolada)", evidence, table=f"Kolada {kpi}" if kpi else f"Kolada: {kpi_text}",
                table_title=None if kpi else kpi_text, encoding=encoding, delimiter=delimiter, kolada_kpi=kpi,
                region_from_kolada=True, notes=notes)


def _read_csv_text(text: str, encoding: str) -> _Raw:
    lines = [line for line in text.splitlines() if line.strip()]
    delimiter = _delimiter(lines)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise ExportFormatError(f"filen går inte att läsa som CSV ({exc}); är den avkortad?") from None
    return _text_table(rows, "SCB Statistikdatabasen CSV", encoding, delimiter)


def _read_xlsx(path: Path) -> _Raw:
    import openpyxl  # a declared dependency; imported here because only xlsx needs it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ExportFormatError(f"Excel-filen går inte att öppna ({type(exc).__name__}: {exc}); är den trasig "
                                "eller avkortad? Ladda ned den på nytt") from None
    try:
        sheets = [s for s in book.worksheets]
        if not sheets:
            raise ExportFormatError("Excel-filen har inga blad")
        rows = [list(r) for r in sheets[0].iter_rows(values_only=True)]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ExportFormatError(
            f"Excel-filen går inte att läsa ({type(exc).__name__}); ladda ned den på nytt") from None
    finally:
        book.close()
    rows = [["" if c is None else (c if isinstance(c, (int, float)) and not isinstance(c, bool) else str(c))
             for c in r] for r in rows]
    raw = _text_table(rows, "PxWeb xlsx", None, None)
    raw.format = "Kolada xlsx" if raw.agency != "SCB" else "PxWeb xlsx"
    return raw


def _read_px(raw_bytes: bytes) -> _Raw:
    try:
        text = raw_bytes.decode(codepage(raw_bytes))
    except (UnicodeDecodeError, LookupError):
        raise ExportFormatError("PX-filens teckenkodning (CODEPAGE) går inte att läsa") from None
    px = parse_px(text)
    roles: dict[str, str] = {}
    for name in px.dimensions:
        folded = fold(name)
        if folded in TIME_HEADERS or name == px.first("TIMEVAL"):
            roles[name] = "year"
        elif folded in SEX_HEADERS:
            roles[name] = "sex"
        elif folded in REGION_HEADERS or _looks_like_regions(px.codes[name]):
            roles.setdefault(name, "region")
    if "region" not in roles.values() or "year" not in roles.values():
        raise ExportFormatError(f"PX-filen saknar en region- eller årsdimension (dimensioner: {_shown(px.dimensions)})")
    others = {d: set(px.values[d]) for d in px.dimensions if d not in roles}
    cells = []
    for row in px_rows(px):
        cell = {"others": {d: row[f"{d}#text"] for d in others}, "raw": row["cell"]}
        for name, role in roles.items():
            cell[role] = row[name] if role != "region" else f"{row[name]} {row[name + '#text']}"
        cells.append(cell)
    texts = [t for t in (px.first("TITLE"), px.first("CONTENTS")) if t]
    ids = {i for i in (px.first("MATRIX"), px.first("TABLEID")) if i}
    evidence = Evidence(kpis=set(), tables=ids, contents=set(), texts=texts, unit=px.first("UNITS"))
    return _Raw(cells, others, "PC-Axis (.px)", "SCB", evidence, table=px.first("TABLEID") or px.first("MATRIX"),
                table_title=px.first("TITLE"), table_updated=px.first("LAST-UPDATED") or px.first("CREATION-DATE"),
                encoding=codepage(raw_bytes), delimiter=None)


# --- JSON -------------------------------------------------------------------------------------

def _page_numbers(url: Any) -> int | None:
    match = re.search(r"[?&]page=(\d+)", str(url or ""))
    return int(match.group(1)) if match else None


def _kolada_pages(docs: list[tuple[str, dict]]) -> list[dict]:
    """Every record of a complete page set; refuses a set with a page missing (names the pages)."""
    pages: dict[int, str] = {}
    last_seen = None
    fields = set()  # the paging field names the files really have (v3 next_url, v2 next_page)
    for name, doc in docs:
        following = doc.get("next_url") or doc.get("next_page")
        preceding = doc.get("previous_url") or doc.get("previous_page")
        next_field = "next_url" if doc.get("next_url") else "next_page"
        previous_field = "previous_url" if "previous_url" in doc or "next_url" in doc else "previous_page"
        if following:
            fields.add(next_field)
        number = (_page_numbers(preceding) + 1) if _page_numbers(preceding) else (
            (_page_numbers(following) - 1) if _page_numbers(following) else (1 if not preceding else None))
        if number is None:
            raise ExportFormatError(f"{name}: sidnumret går inte att avgöra av {next_field}/{previous_field}")
        if number in pages:
            raise ExportFormatError(f"sidan {number} finns två gånger ({pages[number]} och {name})")
        pages[number] = name
        if not following:
            last_seen = number
    wanted = set(range(1, (last_seen or max(pages) + 1) + 1))
    missing = sorted(wanted - set(pages))
    if missing or last_seen is None:
        more = "" if last_seen else " och eventuellt fler"
        shown = ", ".join(str(m) for m in missing) if missing else str(max(pages) + 1)
        raise ExportFormatError(
            f"Kolada-svaret är uppdelat på flera sidor och sidan {shown}{more} saknas "
            f"({'/'.join(sorted(fields)) or 'next_page'} pekar vidare). "
            "Ladda ned alla sidor och ange alla filerna i samma import, eller hämta med 'rus data uppdatera'")
    return [record for _, doc in docs for record in doc["values"]]


def _kolada_json(docs: list[tuple[str, dict]]) -> _Raw:
    records = _kolada_pages(docs)
    kpis = sorted({str(r.get("kpi")) for r in records if isinstance(r, dict)})
    if len(kpis) > 1:
        raise ExportFormatError(f"filen innehåller flera nyckeltal ({_shown(kpis)}); importera ett i taget")
    cells = []
    for record in records:
        if not (isinstance(record, dict) and {"municipality", "period", "values"} <= set(record)
                and isinstance(record["values"], list)):
            raise ExportFormatError("Kolada-posterna ska ha municipality, period och values (är filen trasig?)")
        for item in record["values"]:
            if not (isinstance(item, dict) and "gender" in item and "value" in item):
                raise ExportFormatError("varje Kolada-värde ska ha gender och value")
            cells.append({"region": record["municipality"], "year": record["period"], "sex": item["gender"],
                          "raw": item["value"], "status": item.get("status") or "", "others": {}})
    kpi = kpis[0] if kpis else None
    version = "v3" if any("next_url" in d or "previous_url" in d for _, d in docs) else "v2"
    evidence = Evidence(kpis=set(kpis), tables=set(), contents=set(), texts=[], unit=None)
    return _Raw(cells, {}, f"Kolada API {version} JSON", "RKA (Kolada)", evidence, table=f"Kolada {kpi}",
                kolada_kpi=kpi, region_from_kolada=True)


def _scb_json(doc: dict) -> _Raw:
    try:
        if doc.get("class") == "dataset":
            cells, facts = parse_jsonstat2(doc)
            fmt = "SCB JSON-stat2"
        else:
            cells, facts = parse_v1(doc)
            fmt = "SCB PxWebApi v1 JSON"
    except SourceError as exc:
        raise ExportFormatError(str(exc).replace("svaret från SCB", "filen")) from None
    dims = [c for c in cells.columns if c not in ("value", "symbol")]
    roles: dict[str, str] = {}
    dimension = doc.get("dimension") or {}
    time_role = set((doc.get("role") or {}).get("time") or [])
    for name in dims:
        folded = fold(name)
        label = fold((dimension.get(name) or {}).get("label") or "")
        if name in time_role or folded in TIME_HEADERS or label in TIME_HEADERS:
            roles[name] = "year"
        elif folded in SEX_HEADERS or label in SEX_HEADERS:
            roles[name] = "sex"
        elif folded in REGION_HEADERS or label in REGION_HEADERS:
            roles[name] = "region"
    if "region" not in roles.values() or "year" not in roles.values():
        raise ExportFormatError(f"filen saknar en region- eller tidsdimension (dimensioner: {_shown(dims)})")
    labels = {name: ((dimension.get(name) or {}).get("category") or {}).get("label") or {} for name in dims}
    others = {d: {str(labels[d].get(v, v)) for v in cells[d].astype(str)} for d in dims if d not in roles}
    rows = []
    for record in cells.to_dict("records"):
        row = {"others": {d: str(labels[d].get(record[d], record[d])) for d in others},
               "raw": None if pd.isna(record["value"]) else record["value"], "symbol": record.get("symbol") or ""}
        for name, role in roles.items():
            row[role] = record[name]
        rows.append(row)
    contents = set(cells["ContentsCode"].astype(str)) if "ContentsCode" in cells else set()
    unit_values = {str(u) for u in (facts.get("units") or {}).values() if u}
    texts = [t for t in (doc.get("label"), *[str(v) for v in labels.get("ContentsCode", {}).values()]) if t]
    evidence = Evidence(kpis=set(), tables={facts["table"]} if facts.get("table") else set(), contents=contents,
                        texts=texts, unit=next(iter(unit_values)) if len(unit_values) == 1 else None)
    codes = {d: {str(labels[d].get(v, v)): str(v) for v in cells[d].astype(str)} for d in others}
    return _Raw(rows, others, fmt, "SCB", evidence, table=facts.get("table"), table_title=facts.get("label"),
                table_updated=facts.get("updated"), codes=codes)


def _read_json(named: list[tuple[str, str]]) -> _Raw:
    docs = []
    for name, text in named:
        try:
            docs.append((name, json.loads(text)))
        except ValueError as exc:
            raise ExportFormatError(f"{name} är inte giltig JSON ({exc.msg} på rad {exc.lineno}); är filen "
                                    "avkortad? Ladda ned den på nytt") from None
    if all(isinstance(d, dict) and isinstance(d.get("values"), list) for _, d in docs):
        return _kolada_json(docs)
    if len(docs) > 1:
        raise ExportFormatError("flera filer kan bara importeras tillsammans när de är sidor av samma Kolada-svar")
    doc = docs[0][1]
    if isinstance(doc, dict) and (doc.get("class") == "dataset" or ("columns" in doc and "data" in doc)):
        return _scb_json(doc)
    raise ExportFormatError("JSON-filen är varken JSON-stat2 från SCB, ett PxWebApi v1-svar eller Kolada-data")


# --- from raw cells to tidy rows --------------------------------------------------------------

def _sex(raw: Any) -> str | None:
    text = str(raw).strip()
    folded = fold(text)
    for candidate in (text, folded, text.split(" ", 1)[0], folded.split(" ", 1)[-1]):
        if candidate in DEFAULT_SEX:
            return DEFAULT_SEX[candidate]
        if candidate.casefold() in {k.casefold() for k in DEFAULT_SEX}:
            return {k.casefold(): v for k, v in DEFAULT_SEX.items()}[candidate.casefold()]
    return None


def _group_mapping(values: set[str], known_groups: set[str], catalogue_groups: dict[str, str],
                   codes: dict[str, str], named: bool) -> dict[str, str] | None:
    """Map a dimension's values (labels, with their codes) to the series' groups, or None when the
    dimension is not the group. ``named``: the catalogue names this dimension as the group."""
    mapping = {}
    folded_known = {fold(g): g for g in known_groups}
    folded_catalogue = {fold(k): v for k, v in catalogue_groups.items()}
    for value in values:
        candidates = [fold(value)] + ([fold(codes[value])] if value in codes else [])
        found = next((folded_catalogue[c] for c in candidates if c in folded_catalogue), None) \
            or next((folded_known[c] for c in candidates if c in folded_known), None)
        if found is None and candidates[0] in TOTAL_WORDS:
            found = "totalt"
        if found is None:
            starts = {g for c in candidates for k, g in folded_known.items()
                      if k != "totalt" and (k.startswith(c) or c.startswith(k))}
            found = starts.pop() if len(starts) == 1 else None
        if found is None:
            if named:
                raise ExportFormatError(f"gruppen {value!r} finns varken i seriens grupper "
                                        f"({_shown(sorted(known_groups))}) "
                                        "eller i frågans mappning 'groups' i params/indikatorer.yml")
            return None
        mapping[value] = found
    if not named and all(v == "totalt" for v in mapping.values()):
        return None
    return mapping


def _to_rows(raw: _Raw, indicator: Indicator, known_groups: set[str],
             decimal: Decimal | None) -> tuple[pd.DataFrame, list[str]]:
    notes = list(raw.notes)
    # groups: a dimension whose values are the series' groups (or the catalogue query's)
    catalogue_groups: dict[str, str] = {}
    group_dimensions = set()
    fixed_group = "totalt"
    for query in indicator.queries:
        catalogue_groups.update(query.groups)
        if query.group_dimension:
            group_dimensions.add(fold(query.group_dimension))
        if raw.kolada_kpi and query.api == "kolada" and query.id == raw.kolada_kpi:
            fixed_group = query.group
    group_dim, group_map = None, {}
    for name, values in sorted(raw.others.items(), key=lambda item: fold(item[0]) not in group_dimensions):
        named = fold(name) in group_dimensions
        if not (named or known_groups - {"totalt"} or catalogue_groups):
            continue
        mapping = _group_mapping(values, set(known_groups) | {"totalt"}, catalogue_groups,
                                 raw.codes.get(name, {}), named)
        if mapping is not None:
            group_dim, group_map = name, mapping
            break
    for name, values in raw.others.items():
        if name != group_dim and len(values) > 1:
            raise ExportFormatError(f"kolumnen/dimensionen {name!r} har flera värden ({_shown(sorted(values))}); "
                                    "välj ett värde när tabellen laddas ned, eller importera en del i taget")
        if name != group_dim:
            raw.evidence.hints += sorted(values)
    tokens = [c["raw"] for c in raw.rows if isinstance(c["raw"], str)]
    decided = decide_decimal(tokens, raw.delimiter, decimal) if tokens else "punkt"
    unknown, repaired, outside, nil, zero_missing = set(), set(), set(), [], []
    records = []
    for cell in raw.rows:
        region = _region(cell["region"], raw.region_from_kolada)
        if region.code is None:
            (outside if region.outside else unknown).add(str(cell["region"]).strip())
            continue
        if region.repaired:
            repaired.add((region.repaired, region.code))
        name = cell.get("region_name")
        if name and _name_code(str(name)) not in (None, region.code):
            shown = str(cell["region"]).strip()
            raise ExportFormatError(f"regionkoden {shown!r} ({region.code}, {REGION_NAMES[region.code]}) stämmer inte "
                                    f"med namnet {name!r} på samma rad; koden är tvetydig, rätta den i filen")
        year_text = str(cell.get("year", "")).strip()
        if isinstance(cell.get("year"), float) and cell["year"].is_integer():
            year_text = str(int(cell["year"]))
        if not re.fullmatch(r"(19|20)\d\d", year_text):
            raise ExportFormatError(f"tidsperioden {year_text!r} är inte ett år; indikatorerna är årsvärden")
        sex = _sex(cell.get("sex", "T"))
        if sex is None:
            raise ExportFormatError(f"könet {cell.get('sex')!r} är okänt (väntade T/K/M, totalt, kvinnor, män)")
        group = group_map[cell["others"][group_dim]] if group_dim else fixed_group
        try:
            value, symbol = parse_value(cell["raw"], decided)
        except ExportFormatError as exc:
            raise ExportFormatError(f"{exc} (region {region.code}, år {year_text})") from None
        symbol = cell.get("symbol") or symbol
        status_text = fold(str(cell.get("status") or ""))
        if symbol == "-":
            nil.append(f"{REGION_NAMES[region.code]} {year_text}")
        if symbol in ("..", ".", "...", "…") or (symbol and math.isnan(value)):
            value = math.nan
        if raw.kolada_kpi and kolada_zero_means_missing(raw.kolada_kpi, int(year_text), value, region.code):
            zero_missing.append(f"{REGION_NAMES[region.code]} {year_text} {sex}")
            value = math.nan
        status = ""
        if math.isnan(value):
            status = "sekretess" if "sekretess" in status_text or "sekretess" in fold(symbol) else "saknas"
        records.append({"indicator": indicator.id, "region_code": region.code,
                        "region_name": REGION_NAMES[region.code], "year": int(year_text), "sex": sex,
                        "group": group, "value": value, "unit": indicator.unit, "status": status})
    if unknown:
        raise ExportFormatError(f"okända regionkoder: {_shown(sorted(unknown))} (projektet känner riket, 21 län "
                                "och Örebro läns 12 kommuner)")
    if outside:
        notes.append(f"{len(outside)} kommuner utanför Örebro län togs inte med ({_shown(sorted(outside), 4)}).")
    if repaired:
        pairs = sorted(repaired, key=lambda p: p[1])
        notes.append("Regionkoder som förlorat inledande nollor (t.ex. i Excel) lästes som "
                     + ", ".join(f"{old} → {new}" for old, new in pairs) + ".")
    if nil:
        notes.append(f"SCB:s tecken '-' (inget finns att redovisa) lästes som 0 enligt teckenförklaringen: "
                     f"{_shown(nil)}.")
    if zero_missing:
        notes.append(f"Koladas 0 betyder att uppgift saknas för {raw.kolada_kpi} detta år (samma regel som "
                     f"'rus data bygg'): {_shown(zero_missing)} lästes som saknade.")
    if not records:
        found = f"; regionerna i filen: {_shown(sorted(outside))}" if outside else ""
        raise ExportFormatError(f"filen har inga rader för riket, länen eller Örebro läns kommuner{found}")
    frame = pd.DataFrame(records, columns=COLUMNS).astype(DTYPES)
    duplicated = frame[frame.duplicated(KEY, keep=False)]
    if not duplicated.empty:
        keys = sorted({f"{r.region_code} {r.year} {r.sex} {r.group}" for r in duplicated.itertuples()})
        raise ExportFormatError(f"samma cell (region, år, kön, grupp) förekommer flera gånger: {_shown(keys)}")
    return frame, notes


def read_export(paths: list[Path] | Path, indicator: Indicator, known_groups: set[str] = frozenset(),
                decimal: Decimal | None = None) -> Export:
    """Read one file (or the pages of one Kolada answer) into rows for ``indicator``.

    ``known_groups`` are the group labels the existing series uses (a file's dimension whose
    values match them becomes the group); ``decimal`` resolves a file whose numbers read two ways.
    Values stay in the file's unit; ``snapshot.refresh`` converts. Raises ManualImportError
    (Swedish, naming the file) for anything that cannot be read exactly.
    """
    paths = [Path(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)]
    names = ", ".join(p.name for p in paths)
    try:
        raw = _read(paths)
        frame, notes = _to_rows(raw, indicator, set(known_groups), decimal)
    except ExportFormatError as exc:
        raise ManualImportError(f"{names}: {exc}") from None
    return Export(frame=frame, format=raw.format, agency=raw.agency, evidence=raw.evidence, table=raw.table,
                  table_title=raw.table_title, table_updated=raw.table_updated, encoding=raw.encoding, notes=notes)


def _read(paths: list[Path]) -> _Raw:
    contents = []
    for path in paths:
        if not path.is_file():
            raise ExportFormatError(f"filen {path} finns inte")
        try:
            contents.append((path, path.read_bytes()))
        except OSError as exc:
            raise ExportFormatError(f"filen {path} går inte att läsa ({os_error_text(exc)})") from None
    if len(contents) > 1:
        return _read_json([(p.name, decode(b).text) for p, b in contents])
    path, raw = contents[0]
    if not raw.strip(b" \t\r\n\x00"):
        raise ExportFormatError("filen är tom")
    kind = sniff_kind(raw)
    suffix = path.suffix.lower()
    if kind == "xlsx":
        if suffix != ".xlsx":
            raise ExportFormatError(f"filen är en Excel-arbetsbok (xlsx) fast den heter "
                                    f"{path.suffix or 'utan ändelse'}; "
                                    "byt filändelsen till .xlsx och försök igen")
        return _read_xlsx(path)
    if suffix == ".xlsx":
        raise ExportFormatError("filen heter .xlsx men är ingen Excel-arbetsbok (trasig eller felaktigt namngiven); "
                                "ladda ned den på nytt")
    if kind != "text":
        raise ExportFormatError(f"filen är {kind_words(kind)}")
    head = raw[:200].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith((b"CHARSET", b"AXIS-VERSION", b"LANGUAGE", b"CODEPAGE", b"MATRIX")) or suffix == ".px":
        return _read_px(raw)
    decoded = decode(raw)
    if decoded.text.lstrip().startswith(("{", "[")):
        return _read_json([(path.name, decoded.text)])
    return _read_csv_text(decoded.text, decoded.encoding)

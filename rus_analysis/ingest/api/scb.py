"""SCB's statistical database: PxWebApi 2.0 (JSON-stat2), with PxWebApi v1 as fallback.

The parsers are strict: a response whose shape differs from the documented one (a schema
change), or that holds fewer cells than its own dimensions promise (a partial answer), is
refused with a message saying so. Missing cells stay missing (".." → status "saknas").
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import pandas as pd

from rus_analysis.config.catalogue import Indicator, Query
from rus_analysis.config.geography import to_scb_code
from rus_analysis.config.settings import api_urls
from rus_analysis.ingest.api.http import HttpClient, HttpError, SourceError
from rus_analysis.ingest.tidy import SYMBOL, VALUE, resolve_regions, to_snapshot

AGENCY = "SCB"
LICENCE = "SCB:s öppna data, CC BY 4.0 (källa: SCB)"
MISSING_SYMBOLS = {"..", ".", "...", "…"}  # SCB: value not available or too uncertain; cannot occur


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise SourceError(f"svaret från SCB har inte den väntade formen: {what}")


def _category_codes(name: str, dimension: Any, size: int) -> list[str]:
    _require(isinstance(dimension, dict) and isinstance(dimension.get("category"), dict),
             f"dimensionen {name!r} saknar 'category'")
    category = dimension["category"]
    index = category.get("index")
    if index is None:  # JSON-stat allows a lone category to have only a label
        index = list(category.get("label", {}))
    if isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        codes = [str(code) for code, _ in sorted(index.items(), key=lambda item: item[1])]
    else:
        raise SourceError(f"svaret från SCB har inte den väntade formen: dimensionen {name!r} har ett okänt index")
    _require(len(codes) == size, f"dimensionen {name!r} har {len(codes)} kategorier men storleken {size}")
    return codes


def _cell_list(raw: Any, total: int, what: str) -> list:
    """JSON-stat keeps values and statuses as a list, a sparse {index: x} object or one shared string."""
    if raw is None:
        return [None] * total
    if isinstance(raw, str):
        return [raw] * total
    if isinstance(raw, list):
        _require(len(raw) == total, f"ofullständigt svar: {len(raw)} {what} men tabellen har {total} celler")
        return raw
    if isinstance(raw, dict):
        cells = [None] * total
        for key, item in raw.items():
            _require(str(key).isdigit() and int(key) < total, f"{what} har ett ogiltigt index {key!r}")
            cells[int(key)] = item
        return cells
    raise SourceError(f"svaret från SCB har inte den väntade formen: {what} är varken lista eller objekt")


def parse_jsonstat2(doc: Any) -> tuple[pd.DataFrame, dict]:
    """JSON-stat 2.0 dataset → one row per cell (dimension codes, value, symbol) and table facts."""
    _require(isinstance(doc, dict), "JSON-stat2 ska vara ett objekt")
    _require(doc.get("class") == "dataset", "'class' ska vara 'dataset' (är det JSON-stat2?)")
    ids, sizes, dimensions = doc.get("id"), doc.get("size"), doc.get("dimension")
    _require(isinstance(ids, list) and isinstance(sizes, list) and len(ids) == len(sizes),
             "'id' och 'size' ska vara listor lika långa")
    _require(isinstance(dimensions, dict), "'dimension' saknas")
    _require("value" in doc, "'value' saknas")
    codes = [_category_codes(name, dimensions.get(name), int(size)) for name, size in zip(ids, sizes, strict=False)]
    total = math.prod(int(s) for s in sizes)
    values = _cell_list(doc["value"], total, "värden")
    symbols = _cell_list(doc.get("status"), total, "statusar")
    for value in values:
        _require(value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)),
                 f"värdet {value!r} är inte ett tal")
    rows = [dict(zip(ids, combo, strict=False)) for combo in itertools.product(*codes)]  # row-major, last id fastest
    cells = pd.DataFrame(rows, columns=ids)
    cells[VALUE] = pd.Series([math.nan if v is None else float(v) for v in values], dtype="float64")
    cells[SYMBOL] = [s or "" for s in symbols]
    px = (doc.get("extension") or {}).get("px") or {}
    units = {}
    for name in ids:
        for code, unit in ((dimensions[name].get("category") or {}).get("unit") or {}).items():
            units[code] = unit.get("base") if isinstance(unit, dict) else unit
    facts = {"label": doc.get("label"), "updated": doc.get("updated"), "table": px.get("tableid"), "units": units}
    return cells, facts


def parse_v1(doc: Any) -> tuple[pd.DataFrame, dict]:
    """PxWebApi v1 ``json`` answer (columns/data, values as strings) → one row per cell."""
    _require(isinstance(doc, dict), "v1-svaret ska vara ett objekt")
    columns, data = doc.get("columns"), doc.get("data")
    _require(isinstance(columns, list) and isinstance(data, list), "'columns' och 'data' ska vara listor")
    _require(all(isinstance(c, dict) and "code" in c and "type" in c for c in columns),
             "varje kolumn ska ha 'code' och 'type'")
    keys = [c["code"] for c in columns if c["type"] in ("d", "t")]
    contents = [c["code"] for c in columns if c["type"] == "c"]
    _require(bool(contents), "inga innehållskolumner (type 'c')")
    rows = []
    for entry in data:
        _require(isinstance(entry, dict) and isinstance(entry.get("key"), list)
                 and isinstance(entry.get("values"), list), "varje datarad ska ha 'key' och 'values'")
        _require(len(entry["key"]) == len(keys) and len(entry["values"]) == len(contents),
                 f"datarad {entry.get('key')} har fel antal nycklar eller värden (ofullständigt svar?)")
        for content, raw in zip(contents, entry["values"], strict=False):
            row = dict(zip(keys, map(str, entry["key"]), strict=False))
            row["ContentsCode"] = content
            text = str(raw).strip()
            if text in MISSING_SYMBOLS:
                row[VALUE], row[SYMBOL] = math.nan, text
            else:
                try:
                    row[VALUE], row[SYMBOL] = float(text), ""
                except ValueError:
                    raise SourceError(f"SCB-värdet {raw!r} är varken ett tal eller ett känt "
                                      "teckenförklaringstecken") from None
            rows.append(row)
    cells = pd.DataFrame(rows, columns=[*keys, "ContentsCode", VALUE, SYMBOL])
    meta = (doc.get("metadata") or [{}])[0] if isinstance(doc.get("metadata"), list) else {}
    return cells, {"label": meta.get("label"), "updated": meta.get("updated"), "table": None, "units": {}}


class ScbClient:
    """SCB's PxWebApi 2.0 (JSON-stat2), with v1 as fallback, through an ``HttpClient``."""

    def __init__(self, http: HttpClient, base_v2: str | None = None, base_v1: str | None = None):
        """The bases default to ``RUS_SCB_URL`` / ``RUS_SCB_V1_URL`` or SCB's public addresses."""
        urls = api_urls()
        self.http = http
        self.base_v2, self.base_v1 = (base_v2 or urls.scb).rstrip("/"), (base_v1 or urls.scb_v1).rstrip("/")

    def metadata(self, table: str) -> dict:
        """The table's dimensions and categories (PxWebApi 2.0, JSON-stat2 without values)."""
        doc = self.http.get_json(f"{self.base_v2}/tables/{table}/metadata", params={"lang": "sv"})
        _require(isinstance(doc, dict) and isinstance(doc.get("dimension"), dict), "metadata saknar 'dimension'")
        return doc

    def selection(self, query: Query) -> dict[str, list[str]]:
        """The PxWebApi selection for a catalogue query: dimension → codes (``*`` for all), with our
        region codes translated to SCB's and the query's own fixed selections added.
        """
        selection = {query.region_dimension: [to_scb_code(c) for c in resolve_regions(query.regions)],
                     query.time_dimension: [str(y) for y in query.years] or ["*"]}
        for dimension, mapping in ((query.sex_dimension, query.sex), (query.group_dimension, query.groups)):
            if dimension:
                selection[dimension] = list(mapping) or ["*"]
        selection.update(query.selection)  # explicit codes win
        return selection

    def data(self, query: Query) -> tuple[pd.DataFrame, dict]:
        """Fetch the query's cells from v2; when v2 fails and the query names a v1 table, from v1."""
        selection = self.selection(query)
        url = f"{self.base_v2}/tables/{query.id}/data?lang=sv&outputFormat=json-stat2"
        body = {"selection": [{"variableCode": k, "valueCodes": v} for k, v in selection.items()]}
        try:
            cells, facts = parse_jsonstat2(self.http.post_json(url, body))
            return cells, {**facts, "api": "SCB PxWebApi 2.0", "url": url, "selection": selection}
        except HttpError as v2_error:
            if not query.table_v1:
                raise
            url = f"{self.base_v1}/{query.table_v1.strip('/')}"
            body = {"query": [{"code": k, "selection": {"filter": "all" if v == ["*"] else "item", "values": v}}
                              for k, v in selection.items()],
                    "response": {"format": "json"}}
            try:
                cells, facts = parse_v1(self.http.post_json(url, body))
            except HttpError as v1_error:
                raise HttpError(f"PxWebApi 2.0: {v2_error}; PxWebApi v1: {v1_error}") from v1_error
            return cells, {**facts, "api": "SCB PxWebApi v1 (reserv när 2.0 inte svarade)", "url": url,
                           "selection": selection}

    def fetch(self, query: Query, indicator: Indicator) -> tuple[pd.DataFrame, dict]:
        """Snapshot rows for one query, and where they came from."""
        cells, facts = self.data(query)
        rows = to_snapshot(cells, query, indicator, allowed_regions=set(resolve_regions(query.regions)))
        origin = {"api": facts["api"], "agency": AGENCY, "table": query.id, "url": facts["url"],
                  "selection": facts["selection"], "table_title": facts.get("label"),
                  "table_updated": facts.get("updated"), "licence": LICENCE}
        return rows, origin

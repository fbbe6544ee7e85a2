"""Kolada (RKA), API v3: KPI metadata and values per KPI, municipality/region and year.

Shapes follow the v3 documentation (https://api.kolada.se/v3/docs): a data answer is
``{"count", "values": [{"kpi", "municipality", "period", "values": [{"gender", "count",
"status", "value"}]}], "next_url"}``, paged through ``next_url``. Ids: ``0000`` riket, ``00LL``
regions, SCB's kommun codes. A value Kolada lacks stays missing with a status, never a zero.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from rus_analysis.config.catalogue import Indicator, Query
from rus_analysis.config.settings import api_urls
from rus_analysis.ingest.api.http import HttpClient, SourceError
from rus_analysis.ingest.tidy import SYMBOL, VALUE, resolve_regions, to_snapshot

AGENCY = "RKA (Kolada)"
LICENCE = "Kolada öppna data, CC BY 4.0 (källa: Kolada/RKA)"
PER_PAGE = 5000
YEARS_PER_REQUEST = 25  # Kolada refuses longer year lists in one URL
# v3 answers only about twenty municipality ids per call (seen in public v3 client code that
# batches by 20); riket + 21 län + 12 kommuner is 34, so ids go in blocks.
MUNICIPALITIES_PER_REQUEST = 20
MAX_PAGES = 500  # a guard against a next_url that never ends


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise SourceError(f"svaret från Kolada har inte den väntade formen: {what}")


def _value(raw: Any) -> float:
    if raw is None:
        return math.nan
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw)
    if isinstance(raw, str):
        try:
            return float(raw)
        except ValueError:
            pass
    raise SourceError(f"Kolada-värdet {raw!r} är inte ett tal")


def records_to_cells(records: list[Any], kpi: str) -> pd.DataFrame:
    """Kolada data records → one row per (municipality, period, gender) with value and status."""
    rows = []
    for record in records:
        _require(isinstance(record, dict) and {"kpi", "municipality", "period", "values"} <= set(record),
                 "varje post ska ha kpi, municipality, period och values")
        _require(str(record["kpi"]) == kpi, f"posten gäller KPI {record['kpi']!r}, inte {kpi!r}")
        _require(isinstance(record["values"], list), "'values' i en post ska vara en lista")
        for item in record["values"]:
            _require(isinstance(item, dict) and "gender" in item and "value" in item,
                     "varje värde ska ha gender och value")
            value = _value(item["value"])
            status = str(item.get("status") or "").strip()
            rows.append({"municipality": str(record["municipality"]), "period": str(record["period"]),
                         "gender": str(item["gender"]), VALUE: value,
                         SYMBOL: (status or "saknas") if math.isnan(value) else ""})
    return pd.DataFrame(rows, columns=["municipality", "period", "gender", VALUE, SYMBOL])


def kolada_query(kpi: str, query: Query | None = None) -> Query:
    """The dimension names Kolada's cells use, on top of a catalogue query's regions and group."""
    base = query.model_dump() if query else {"api": "kolada", "id": kpi}
    base.update(region_dimension="municipality", time_dimension="period", sex_dimension="gender", sex={})
    return Query.model_validate(base)


class KoladaClient:
    """Kolada API v3 through an ``HttpClient``: KPI metadata, and an indicator's values as tidy rows."""

    def __init__(self, http: HttpClient, base: str | None = None):
        """``base`` defaults to ``RUS_KOLADA_URL`` or Kolada's public v3 address."""
        self.http, self.base = http, (base or api_urls().kolada).rstrip("/")

    def kpi(self, kpi: str) -> dict:
        """KPI metadata (title, description, is_divided_by_gender …)."""
        doc = self.http.get_json(f"{self.base}/kpi/{kpi}")
        _require(isinstance(doc, dict) and isinstance(doc.get("values"), list), "'values' saknas")
        matches = [v for v in doc["values"] if isinstance(v, dict) and v.get("id") == kpi]
        if not matches:
            raise SourceError(f"Kolada känner inte KPI {kpi!r}; kontrollera id:t på kolada.se")
        return matches[0]

    def values(self, kpi: str, municipalities: list[str], years: list[int]) -> tuple[list[dict], str]:
        """Every data record for the KPI, following ``next_url``; refuses a partial answer."""
        url = f"{self.base}/data/kpi/{kpi}/municipality/{','.join(municipalities)}"
        if years:
            url += f"/year/{','.join(map(str, years))}"
        first_url, params = url, {"per_page": PER_PAGE}
        records: list[dict] = []
        counts, page_sizes, seen = [], [], set()
        next_url: str | None = url
        while next_url:
            _require(next_url not in seen and len(seen) < MAX_PAGES, f"sidnumreringen upprepar {next_url}")
            seen.add(next_url)
            doc = self.http.get_json(next_url, params=params)
            params = None  # next_url carries its own query string
            _require(isinstance(doc, dict) and isinstance(doc.get("values"), list), "'values' saknas")
            _require(isinstance(doc.get("count"), int), "'count' saknas")
            counts.append(doc["count"])
            page_sizes.append(len(doc["values"]))
            records.extend(doc["values"])
            next_url = doc.get("next_url") or None
        # count is the page's length or the total over all pages; anything else is a partial answer
        if not (counts == page_sizes or (len(set(counts)) == 1 and counts[0] == len(records))):
            raise SourceError(f"ofullständigt svar från Kolada för {kpi}: svaret angav {counts[0]} poster "
                              f"men innehöll {len(records)}")
        return records, first_url

    def fetch(self, query: Query, indicator: Indicator) -> tuple[pd.DataFrame, dict]:
        """Snapshot rows for one query, and where they came from."""
        regions = resolve_regions(query.regions)
        years = sorted(query.years)
        year_blocks = [years[i:i + YEARS_PER_REQUEST] for i in range(0, len(years), YEARS_PER_REQUEST)] or [[]]
        region_blocks = [regions[i:i + MUNICIPALITIES_PER_REQUEST]
                         for i in range(0, len(regions), MUNICIPALITIES_PER_REQUEST)]
        records, urls = [], []
        for region_block in region_blocks:
            for year_block in year_blocks:
                block_records, url = self.values(query.id, region_block, year_block)
                records.extend(block_records)
                urls.append(url)
        cells = records_to_cells(records, query.id)
        rows = to_snapshot(cells, kolada_query(query.id, query), indicator, allowed_regions=set(regions))
        origin = {"api": "Kolada API v3", "agency": AGENCY, "table": f"Kolada {query.id}", "url": " ; ".join(urls),
                  "records": len(records), "licence": LICENCE}
        return rows, origin

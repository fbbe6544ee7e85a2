"""``rus data uppdatera``: fetch indicators from Kolada and SCB and write them into the snapshot.

Everything is fetched and validated first; only then is the snapshot rewritten, in one atomic
swap. Any failure leaves ``data/`` byte-identical and names the indicator and the query.
"""

from __future__ import annotations

from rus_analysis.errors import IngestError

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from rus_analysis import __version__
from rus_analysis.config.catalogue import Catalogue, Indicator, Query
from rus_analysis.snapshot.store import atomic_directory, read_series, write_series
from rus_analysis.ingest.api.http import HttpClient, SourceError
from rus_analysis.ingest.api.kolada import KoladaClient
from rus_analysis.ingest.api.scb import ScbClient
from rus_analysis.snapshot.validation import validate_series

GENERATOR = f"rus_analysis.ingest.api {__version__}"


class UpdateError(IngestError):
    """An update failed; the snapshot is unchanged. Swedish message naming indicator and query."""


@dataclass
class Fetched:
    indicator: Indicator
    frame: pd.DataFrame
    provenance: dict


@dataclass
class UpdateResult:
    updated: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # in the catalogue but without queries


def describe_query(number: int, query: Query) -> str:
    source = "Kolada" if query.api == "kolada" else "SCB"
    return f"fråga {number} ({source} {query.id})"


def fetch_indicator(indicator: Indicator, kolada: KoladaClient, scb: ScbClient, retrieved: str) -> Fetched:
    """All of an indicator's queries, combined and validated; raises UpdateError."""
    frames, origins = [], []
    for number, query in enumerate(indicator.queries, start=1):
        client = kolada if query.api == "kolada" else scb
        try:
            rows, origin = client.fetch(query, indicator)
        except SourceError as exc:
            raise UpdateError(f"Indikatorn {indicator.id}, {describe_query(number, query)}: {exc}") from exc
        frames.append(rows)
        origins.append(origin)
    frame = pd.concat(frames, ignore_index=True)
    problems = validate_series(frame, indicator)
    if problems:
        raise UpdateError(f"Indikatorn {indicator.id}: det hämtade klarar inte kontrollen "
                          f"({', '.join(describe_query(n, q) for n, q in enumerate(indicator.queries, 1))}):\n"
                          + "\n".join(f"  • {p}" for p in problems))
    provenance = {
        "indicator": indicator.id,
        "title": indicator.title,
        "agency": ", ".join(dict.fromkeys(o["agency"] for o in origins)),
        "table": ", ".join(o["table"] for o in origins),
        "release": "; ".join(f"{o['table']}: uppdaterad {o['table_updated']}" for o in origins
                             if o.get("table_updated")) or "enligt API vid hämtningen",
        "retrieved": retrieved,
        "licence": "; ".join(dict.fromkeys(o["licence"] for o in origins)),
        "api_requests": origins,  # not "origin": that key holds repository/path/commit for importers
        "transformations": [
            "Regionkoder översatta till projektets (0000 riket, 00LL län, kommunkod); SCB:s kön 1/2/1+2 → M/K/T",
            f"Grupper enligt frågornas mappning i params/indikatorer.yml; enhet från katalogen ({indicator.unit})",
            "Saknade värden (SCB '..', Kolada utan värde) behållna som tomma med status, aldrig nollor",
            "Inga värden beräknade, avrundade eller ifyllda",
        ],
        "notes": [],
        "generator": GENERATOR,
    }
    return Fetched(indicator, frame, provenance)


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
    fetched = [fetch_indicator(indicator, kolada, scb, retrieved) for indicator in selected]
    if not fetched:
        return result
    with atomic_directory(data_dir) as staging:
        for item in fetched:
            write_series(staging, item.indicator.id, item.frame, item.provenance)
        # Read back what was written: the files, not the frames, are what the report uses.
        problems = [p for item in fetched for p in validate_series(read_series(staging, item.indicator.id),
                                                                    item.indicator)]
        if problems:
            raise UpdateError("De skrivna filerna klarar inte kontrollen:\n" + "\n".join(f"  • {p}" for p in problems))
    for item in fetched:
        result.updated.append(item.indicator.id)
        result.rows[item.indicator.id] = len(item.frame)
    return result

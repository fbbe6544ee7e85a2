"""``rus data uppdatera``, the fetching half: an indicator's Kolada and SCB queries as one frame.

``rus_analysis.snapshot.refresh.update_snapshot`` fetches every indicator with this, validates,
and only then rewrites the snapshot in one atomic swap. Any failure leaves ``data/``
byte-identical and names the indicator and the query.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rus_analysis import __version__
from rus_analysis.config.catalogue import Indicator, Query
from rus_analysis.errors import IngestError
from rus_analysis.ingest.api.http import SourceError
from rus_analysis.ingest.api.kolada import KoladaClient
from rus_analysis.ingest.api.scb import ScbClient
from rus_analysis.ingest.provenance import ApiSource, SeriesProvenance

GENERATOR = f"rus_analysis.ingest.api {__version__}"


class UpdateError(IngestError):
    """An update failed; the snapshot is unchanged. Swedish message naming indicator and query."""


@dataclass
class Fetched:
    """An indicator's fetched rows (snapshot columns) and provenance, before the snapshot validates them."""

    indicator: Indicator
    frame: pd.DataFrame
    provenance: SeriesProvenance


def describe_query(number: int, query: Query) -> str:
    """A query as the user's messages name it: ``fråga 2 (SCB TAB3200)``."""
    source = "Kolada" if query.api == "kolada" else "SCB"
    return f"fråga {number} ({source} {query.id})"


def fetch_indicator(indicator: Indicator, kolada: KoladaClient, scb: ScbClient, retrieved: str) -> Fetched:
    """All of an indicator's queries, combined; raises UpdateError. The snapshot validates it."""
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
    provenance = SeriesProvenance(
        indicator=indicator.id,
        title=indicator.title,
        agency=", ".join(dict.fromkeys(o["agency"] for o in origins)),
        table=", ".join(o["table"] for o in origins),
        release="; ".join(f"{o['table']}: uppdaterad {o['table_updated']}" for o in origins
                          if o.get("table_updated")) or "enligt API vid hämtningen",
        retrieved=retrieved,
        licence="; ".join(dict.fromkeys(o["licence"] for o in origins)),
        sources=[ApiSource(**{k: v for k, v in o.items() if k in ApiSource.model_fields}) for o in origins],
        transformations=[
            "Regionkoder översatta till projektets (0000 riket, 00LL län, kommunkod); SCB:s kön 1/2/1+2 → M/K/T",
            f"Grupper enligt frågornas mappning i params/indikatorer.yml; enhet från katalogen ({indicator.unit})",
            "Saknade värden (SCB '..', Kolada utan värde) behållna som tomma med status, aldrig nollor",
            "Inga värden beräknade, avrundade eller ifyllda",
        ],
        generator=GENERATOR,
    )
    return Fetched(indicator, frame, provenance)

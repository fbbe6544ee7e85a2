"""The tidy row every source becomes: the columns, key and dtypes of one snapshot series.

Ingest produces frames of this shape; the snapshot stores them as CSV; assessment and report
read them back. Defined here, the first phase that builds such a frame, so every later phase
imports it from one place.
"""

from __future__ import annotations

import pandas as pd

COLUMNS = ["indicator", "region_code", "region_name", "year", "sex", "group", "value", "unit", "status"]
KEY = ["indicator", "region_code", "year", "sex", "group"]
DTYPES = {
    "indicator": "string",
    "region_code": "string",
    "region_name": "string",
    "year": "int64",
    "sex": "string",
    "group": "string",
    "value": "float64",
    "unit": "string",
    "status": "string",
}
# Each column in Swedish words, for messages: the file's column names are English identifiers.
COLUMN_WORDS = {
    "indicator": "indikator", "region_code": "regionkod", "region_name": "regionnamn", "year": "år",
    "sex": "kön", "group": "grupp", "value": "värde", "unit": "enhet", "status": "status",
}


def column_text(column: str) -> str:
    """``kolumnen för år ('year')``: a snapshot column as a Swedish message names it."""
    word = COLUMN_WORDS.get(column)
    return f"kolumnen för {word} ('{column}')" if word else f"kolumnen '{column}'"


def empty_frame() -> pd.DataFrame:
    """A series with no rows but the snapshot's columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in DTYPES.items()})

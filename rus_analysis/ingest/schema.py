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


def empty_frame() -> pd.DataFrame:
    """A series with no rows but the snapshot's columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in DTYPES.items()})

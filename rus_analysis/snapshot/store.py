"""The tidy snapshot under ``data/series/``: one CSV and one provenance record per indicator.

Writes are atomic for the whole snapshot: everything is written to a temporary folder next to
the target and swapped in at the end, so a failure leaves the previous snapshot untouched.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from rus_analysis.ingest.schema import COLUMNS, DTYPES, KEY

def series_path(data_dir: Path, indicator_id: str) -> Path:
    return data_dir / "series" / f"{indicator_id}.csv"


def provenance_path(data_dir: Path, indicator_id: str) -> Path:
    return data_dir / "series" / f"{indicator_id}.provenance.yml"


def read_series(data_dir: Path, indicator_id: str) -> pd.DataFrame:
    """One indicator's rows; an empty frame with the right columns when there is no data."""
    path = series_path(data_dir, indicator_id)
    if not path.is_file():
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in DTYPES.items()})
    frame = pd.read_csv(path, dtype={c: t for c, t in DTYPES.items() if t == "string"},
                        keep_default_na=False, na_values={"value": [""]})
    return frame.astype(DTYPES)


def read_provenance(data_dir: Path, indicator_id: str) -> dict | None:
    path = provenance_path(data_dir, indicator_id)
    if not path.is_file():
        return None
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def available_indicators(data_dir: Path) -> list[str]:
    return sorted(p.stem for p in (data_dir / "series").glob("*.csv"))


def to_csv_text(frame: pd.DataFrame) -> str:
    """Canonical CSV: fixed columns, sorted by key, so a rebuild is byte-for-byte identical."""
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise ValueError(f"Kolumner saknas i serien: {sorted(missing)}")
    ordered = frame[COLUMNS].sort_values(KEY, kind="mergesort").reset_index(drop=True)
    return ordered.to_csv(index=False, lineterminator="\n", float_format="%.10g")


def to_provenance_text(record: dict) -> str:
    return yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100)


def write_series(staging_dir: Path, indicator_id: str, frame: pd.DataFrame, provenance: dict) -> None:
    """Write one series and its provenance into a staging data folder."""
    (staging_dir / "series").mkdir(parents=True, exist_ok=True)
    series_path(staging_dir, indicator_id).write_text(to_csv_text(frame), encoding="utf-8")
    provenance_path(staging_dir, indicator_id).write_text(to_provenance_text(provenance), encoding="utf-8")

"""The tidy snapshot under ``data/series/``: one CSV and one provenance record per indicator.

Reading and the canonical file formats live here; writing into ``data/`` goes through the one
writer, ``snapshot.writer.write_snapshot`` (validate, stage, read back, swap).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import yaml

from rus_analysis.ingest.provenance import SeriesFile, SeriesProvenance, load_provenance
from rus_analysis.ingest.schema import COLUMNS, DTYPES, KEY, empty_frame


def series_path(data_dir: Path, indicator_id: str) -> Path:
    """``<data_dir>/series/<id>.csv``: one indicator's rows."""
    return data_dir / "series" / f"{indicator_id}.csv"


def provenance_path(data_dir: Path, indicator_id: str) -> Path:
    """``<data_dir>/series/<id>.provenance.yml``: where the rows come from."""
    return data_dir / "series" / f"{indicator_id}.provenance.yml"


def read_series_file(path: Path) -> pd.DataFrame:
    """The rows of one series CSV written by the writer (columns ``COLUMNS``, dtypes ``DTYPES``).

    Expects a valid file: ``rus data kontroll`` (``validation.check_series_file``) reports what is
    wrong with one that is not.
    """
    frame = pd.read_csv(path, dtype={c: t for c, t in DTYPES.items() if t == "string"},
                        keep_default_na=False, na_values={"value": [""]})
    return frame.astype(DTYPES)


def read_series(data_dir: Path, indicator_id: str) -> pd.DataFrame:
    """One indicator's rows; an empty frame with the right columns when there is no data."""
    path = series_path(data_dir, indicator_id)
    if not path.is_file():
        return empty_frame()
    return read_series_file(path)


def read_provenance(data_dir: Path, indicator_id: str) -> SeriesProvenance | None:
    """The series' provenance record, or None without one; ProvenanceError (Swedish) if invalid."""
    path = provenance_path(data_dir, indicator_id)
    if not path.is_file():
        return None
    return load_provenance(path)


def available_indicators(data_dir: Path) -> list[str]:
    """The ids of the series in ``<data_dir>/series/``, sorted."""
    return sorted(p.stem for p in (data_dir / "series").glob("*.csv"))


def to_csv_text(frame: pd.DataFrame) -> str:
    """Canonical CSV: fixed columns, sorted by key, so a rebuild is byte-for-byte identical."""
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise ValueError(f"Kolumner saknas i serien: {sorted(missing)}")
    ordered = frame[COLUMNS].sort_values(KEY, kind="mergesort").reset_index(drop=True)
    return ordered.to_csv(index=False, lineterminator="\n", float_format="%.10g")


def to_provenance_text(record: SeriesProvenance | dict) -> str:
    """YAML text of a provenance record (the model's own fixed order; dicts as given)."""
    if isinstance(record, SeriesProvenance):
        return record.to_yaml()
    return yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100)


def write_series(staging_dir: Path, indicator_id: str, frame: pd.DataFrame,
                 provenance: SeriesProvenance | dict) -> None:
    """Write one series and its provenance into a folder, unchecked: for test fixtures only.

    Everything that changes the real ``data/`` goes through ``snapshot.writer.write_snapshot``.
    """
    (staging_dir / "series").mkdir(parents=True, exist_ok=True)
    text = to_csv_text(frame)
    if isinstance(provenance, SeriesProvenance) and provenance.series is None:
        provenance = provenance.model_copy(update={"series": SeriesFile(
            file=f"{indicator_id}.csv", sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), rows=len(frame))})
    series_path(staging_dir, indicator_id).write_text(text, encoding="utf-8")
    provenance_path(staging_dir, indicator_id).write_text(to_provenance_text(provenance), encoding="utf-8")

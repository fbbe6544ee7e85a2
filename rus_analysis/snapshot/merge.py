"""Merging imported rows into a series cell by cell: nothing outside the file's cells changes.

A cell is (region_code, year, sex, group). A cell in the file is added when the series lacks
it, changed when its value or status differs, and unchanged otherwise; every other row of the
series stays exactly as it was. Values are compared as the snapshot stores them (ten
significant digits), so importing the same file twice changes nothing. A missing value never
replaces another missing value (the series' more specific status, e.g. ``sekretess``, stays).
With ``replace`` the series becomes the file's rows and the dropped rows are counted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from rus_analysis.ingest.schema import COLUMNS, DTYPES

CELL = ["region_code", "year", "sex", "group"]


@dataclass(frozen=True)
class Change:
    """One changed cell: where, and the value and status before and after (NaN when missing)."""

    region_code: str
    region_name: str
    year: int
    sex: str
    group: str
    old_value: float
    old_status: str
    new_value: float
    new_status: str

    @property
    def size(self) -> float:
        """How large the change is, for ordering: |new − old|; a value appearing or vanishing is largest."""
        if math.isnan(self.old_value) or math.isnan(self.new_value):
            return math.inf
        return abs(self.new_value - self.old_value)


@dataclass
class MergeResult:
    """The merged series (snapshot columns, sorted by key) and what the merge did."""

    frame: pd.DataFrame
    added: int = 0
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    removed: int = 0  # only with replace: existing rows not in the file
    years: list[int] = field(default_factory=list)  # years in the file
    regions: list[str] = field(default_factory=list)  # region codes in the file

    @property
    def changes_anything(self) -> bool:
        """True when the merge adds, changes or removes at least one cell."""
        return bool(self.added or self.changed or self.removed)

    def largest_changes(self, count: int = 5) -> list[Change]:
        """The ``count`` changed cells with the largest absolute change, in a stable order."""
        return sorted(self.changed, key=lambda c: (-c.size, c.region_code, c.year, c.sex, c.group))[:count]


def stored(value: float) -> float:
    """The value as the snapshot's CSV stores it (``%.10g``)."""
    return value if math.isnan(value) else float(f"{value:.10g}")


def _same(old: dict, new: dict) -> bool:
    old_value, new_value = float(old["value"]), float(new["value"])
    if math.isnan(old_value) and math.isnan(new_value):
        return True
    if math.isnan(old_value) or math.isnan(new_value):
        return False
    return stored(old_value) == stored(new_value) and (old["status"] or "") == (new["status"] or "")


def merge_series(existing: pd.DataFrame, new: pd.DataFrame, replace: bool = False) -> MergeResult:
    """Merge ``new`` into ``existing`` (both with the snapshot columns, unique cells); see the module."""
    def cells(frame: pd.DataFrame) -> dict[tuple, dict]:
        records = frame[COLUMNS].to_dict("records")
        return {(r["region_code"], int(r["year"]), r["sex"], r["group"]): r for r in records}

    old, incoming = cells(existing), cells(new)
    result = MergeResult(frame=existing)
    merged = {} if replace else dict(old)
    for key, row in incoming.items():
        before = old.get(key)
        if before is None:
            result.added += 1
            merged[key] = row
        elif _same(before, row):
            result.unchanged += 1
            merged[key] = before
        else:
            result.changed.append(Change(row["region_code"], row["region_name"], key[1], key[2], key[3],
                                         float(before["value"]), before["status"] or "",
                                         float(row["value"]), row["status"] or ""))
            merged[key] = row
    if replace:
        result.removed = len(set(old) - set(incoming))
    frame = pd.DataFrame(list(merged.values()), columns=COLUMNS).astype(DTYPES)
    frame["value"] = frame["value"].map(stored)
    result.frame = frame.sort_values(CELL, kind="mergesort").reset_index(drop=True)
    result.years = sorted({k[1] for k in incoming})
    result.regions = sorted({k[0] for k in incoming})
    return result

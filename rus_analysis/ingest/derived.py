"""Computed series: ratios of two real series (per invånare, per BRP, per 1 000 invånare).

Both inputs are tidy frames with ``region_code``, ``year`` and ``value`` (optionally ``sex``,
``group`` and ``status``). A ratio exists only where both inputs have a row; a missing or
confidential input gives a missing ratio with the input's reason, never a guess.
"""

from __future__ import annotations

import math

import pandas as pd

KEYS = ["region_code", "year"]


def _with_status(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    if "status" not in frame.columns:
        frame["status"] = ""
    frame["status"] = frame["status"].fillna("").astype(str)
    frame.loc[frame["value"].isna() & (frame["status"] == ""), "status"] = "saknas"
    return frame


def ratio(numerator: pd.DataFrame, denominator: pd.DataFrame, factor: float = 1.0,
          decimals: int | None = None) -> pd.DataFrame:
    """``numerator / denominator × factor`` per region and year.

    The denominator must have one row per region and year (for example a population total).
    The result keeps the numerator's rows that have a denominator row; its ``status`` is the
    numerator's reason if it has one, otherwise the denominator's.
    """
    if denominator.duplicated(KEYS).any():
        raise ValueError("Nämnaren har flera rader för samma region och år.")
    num = _with_status(numerator)
    den = _with_status(denominator)[[*KEYS, "value", "status"]].rename(
        columns={"value": "_den", "status": "_den_status"})
    merged = num.merge(den, on=KEYS, how="inner", validate="many_to_one")
    zero = merged["_den"].eq(0) & merged["_den_status"].eq("")
    if zero.any():
        bad = merged.loc[zero, KEYS].head(3).to_dict("records")
        raise ValueError(f"Nämnaren är 0 för {bad}; kvoten går inte att beräkna.")
    merged["status"] = merged["status"].where(merged["status"] != "", merged["_den_status"])
    merged["value"] = merged["value"] / merged["_den"] * factor
    merged.loc[merged["status"] != "", "value"] = math.nan
    if decimals is not None:
        merged["value"] = merged["value"].round(decimals)
    return merged.drop(columns=["_den", "_den_status"]).reset_index(drop=True)


def sum_complete(frame: pd.DataFrame, by: list[str], part: str, parts: int) -> pd.DataFrame:
    """Sum ``value`` over ``part`` within ``by``, only where all ``parts`` parts have a value.

    Used for quarters → year: a year with a suppressed or absent quarter has no annual total,
    and its status says why (the first reason among its quarters, or ``saknas``).
    """
    frame = _with_status(frame)
    rows = []
    for key, group in frame.groupby(by, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        complete = len(group) == parts and group[part].nunique() == parts and (group["status"] == "").all()
        if complete:
            value, status = float(group["value"].sum()), ""
        else:
            reasons = [s for s in group["status"] if s]
            value, status = math.nan, reasons[0] if reasons else "saknas"
        rows.append({**dict(zip(by, key, strict=False)), "value": value, "status": status})
    return pd.DataFrame(rows, columns=[*by, "value", "status"])

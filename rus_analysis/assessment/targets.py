"""The level a quantified target asks for: one computation for the assessment and the chart.

A ``niva`` target is its value. A ``relativ_forandring`` target is the value of its base year
changed by the target's percent (−60 % of 2005's value by 2030). When the series has no value for
the base year, the first year with a value after it is the reference, and the result says so
(``reference_moved``). Both the målbedömning (``assessment.series``) and the target drawn in a
chart (``report.charts.common.target_point``) call :func:`target_level`, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rus_analysis.config.catalogue import Target

QUANTIFIED = ("niva", "relativ_forandring")


@dataclass(frozen=True)
class TargetLevel:
    """A quantified target as a level: reach ``value`` (the indicator's unit) in ``year``.

    ``base_year`` is the target's base year as the strategy states it (None for most level
    targets); ``reference_year``/``reference_value`` are the year and value the level was
    computed from (a relative target), or the base year's value when there is one (a level
    target), else None.
    """

    value: float
    year: int
    base_year: int | None
    reference_year: int | None
    reference_value: float | None

    @property
    def reference_moved(self) -> bool:
        """True when the base year had no value and a later year's value was used instead."""
        return (self.base_year is not None and self.reference_year is not None
                and self.reference_year != self.base_year)


def target_level(target: Target | None, series: pd.Series, default_target_year: int,
                 break_year: int | None = None) -> TargetLevel | str | None:
    """The target's level for one region's series, or the Swedish reason it cannot be computed.

    ``series``: year (int) → value (float), missing years absent or NaN, e.g. from
    ``assessment.series.to_series``. ``default_target_year`` applies when the target names no
    year (``malar_om_inget_anges`` in params/bedomning.yml). Years before ``break_year`` are not
    used as a reference. Returns None when the target is not quantified (``riktning``,
    ``jamforbara_lan`` or no target). Raises ValueError when the catalogue entry lacks the value,
    or a relative target lacks its base year.
    """
    if target is None or target.kind not in QUANTIFIED:
        return None
    if target.value is None:
        raise ValueError(f"Målet {target.wording!r} är av typen {target.kind} men saknar värde (value).")
    year = target.target_year or default_target_year
    values = series.dropna()
    if break_year is not None:
        values = values[values.index >= break_year]
    if target.kind == "niva":
        base = values.get(target.base_year) if target.base_year is not None else None
        return TargetLevel(float(target.value), year, target.base_year,
                           target.base_year if base is not None else None,
                           float(base) if base is not None else None)
    if target.base_year is None:
        raise ValueError(f"Målet {target.wording!r} är en relativ förändring men saknar basår (base_year).")
    after = values[values.index >= target.base_year].sort_index()
    if after.empty:
        return f"data för målets basår {target.base_year} och senare saknas"
    ref_year, ref = int(after.index[0]), float(after.iloc[0])
    # ref + ref·v/100 rather than ref·(1 + v/100): −60 % of 100 is exactly 40.
    return TargetLevel(ref + ref * target.value / 100, year, target.base_year, ref_year, ref)

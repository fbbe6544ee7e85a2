"""Assess one series: how fast it moves, towards its target or in its desired direction.

Notation (as in the method chapter): base year b, latest year t, target year T,
d = +1 when higher is better ('upp'), −1 when lower is better ('ned').

* Measure of change per year (``Measure``):
  - a share in percent: change in percentage points per year, (y_t − y_b) / (t − b);
  - otherwise the compound annual growth rate, CAGR = (y_t / y_b)^(1 / (t − b)) − 1;
  - when a value (or the target) is zero or negative CAGR is undefined, so the average
    change per year (y_t − y_b) / (t − b) is used instead.
* Quantified target: met when d·(y_t − target) ≥ 0. Otherwise the ratio
  RR = d · actual / |required| of the actual to the required change per year is classed
  against ``mal`` in params/bedomning.yml.
* Direction only: d · change is classed against ``riktning``; for the average change the
  change is first divided by the mean of |y_b| and |y_t| so it is a percentage again.
  For percentage points the "Rätt håll" threshold is scaled down near 0 or 100 percent.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from rus_analysis.assessment import text
from rus_analysis.assessment.classes import Measure, ProgressClass
from rus_analysis.assessment.targets import QUANTIFIED, target_level
from rus_analysis.config.catalogue import Target
from rus_analysis.config.thresholds import Thresholds

Direction = Literal["upp", "ned"]


@dataclass(frozen=True)
class Assessment:
    """The result for one series. Changes are per year in the measure's unit (CAGR in percent)."""

    status: ProgressClass
    sentence: str
    direction: Direction
    requested_base_year: int | None
    base_year: int | None = None
    base_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    measure: Measure | None = None
    actual_change: float | None = None
    required_change: float | None = None
    ratio: float | None = None
    target_value: float | None = None
    target_year: int | None = None
    right_way_threshold: float | None = None  # after any scaling near a natural limit
    limit_factor: float | None = None
    notes: tuple[str, ...] = ()
    uncertain: str | None = None  # why the verdict is uncertain (assessment.uncertainty), else None


@dataclass(frozen=True)
class _Goal:
    level: float
    year: int
    description: str


def to_series(values: pd.Series | tuple[Sequence[int], Sequence[float]]) -> pd.Series:
    """A clean year → value series: integer years, sorted, missing values dropped."""
    if isinstance(values, pd.Series):
        years, data = list(values.index), list(values.to_numpy())
    else:
        years, data = list(values[0]), list(values[1])
    if len(years) != len(data):
        raise ValueError(f"Serien har {len(years)} år men {len(data)} värden; de måste vara lika många.")
    try:
        numbers = pd.to_numeric(pd.Series(data, dtype="object")).to_numpy(dtype=float)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"Serien innehåller något som inte är ett tal ({exc}); rätta källdata.") from exc
    series = pd.Series(numbers, index=[_year(y) for y in years])
    duplicated = series.index[series.index.duplicated()].unique()
    if len(duplicated):
        raise ValueError(f"Året {duplicated[0]} förekommer flera gånger i serien; ett värde per år krävs.")
    if series.isin([math.inf, -math.inf]).any():
        raise ValueError("Serien innehåller ett oändligt värde; rätta källdata.")
    return series.dropna().sort_index()


def _year(value: object) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not number.is_integer():
        raise ValueError(f"{value!r} är inget år; serien ska vara indexerad med år (t.ex. 2023).")
    return int(number)


def assess(
    values: pd.Series | tuple[Sequence[int], Sequence[float]],
    direction: Direction,
    *,
    thresholds: Thresholds,
    target: Target | None = None,
    base_year: int | None = None,
    horizon: int | None = None,
    break_year: int | None = None,
    percentage: bool = False,
    unit: str = "",
    subject: str = "Värdet",
    goal: tuple[float, int, str] | None = None,
    linear: bool = False,
) -> Assessment:
    """Assess a series against its target, or its desired direction when it has none.

    ``base_year`` defaults to the target's base year, else ``basar`` in the params. With
    ``horizon`` (years) the base is ``horizon`` years before the latest year instead.
    ``break_year`` is the first year of the latest homogeneous segment; earlier years are
    not compared with later ones. ``percentage`` measures change in percentage points.
    ``goal`` (level, year, description) replaces ``target`` for derived series such as the
    difference to the jämförbara län; ``linear`` measures the average change per year, for
    such differences that may cross zero.
    """
    if direction not in ("upp", "ned"):
        raise ValueError(f"Riktningen {direction!r} är okänd; använd 'upp' eller 'ned'.")
    if base_year is not None and horizon is not None:
        raise ValueError("Ange antingen basår eller horisont, inte båda.")
    rules = thresholds
    d = 1 if direction == "upp" else -1
    series = to_series(values)
    notes: list[str] = []
    if break_year is not None:
        series = series[series.index >= break_year]

    def cannot(reason: str, requested: int | None = None, **known) -> Assessment:
        status = ProgressClass.KAN_INTE_BEDOMAS
        return Assessment(status, text.cannot_assess(reason, notes), direction, requested, **known)

    if series.empty:
        return cannot("data saknas")
    latest = int(series.index[-1])
    if horizon is not None:
        requested = latest - horizon
    else:
        requested = base_year or (target.base_year if target and target.base_year else None)
        requested = requested or rules.default_base_year
    candidates = series[series.index >= requested]
    if len(candidates) < rules.min_points:
        return cannot(text.too_few(rules.min_points, requested, break_year), requested)
    b, y_b = int(candidates.index[0]), float(candidates.iloc[0])
    t, y_t = latest, float(series.iloc[-1])
    if b != requested:
        notes.append(text.base_moved(requested, b, break_year))
    known = {"base_year": b, "base_value": y_b, "latest_year": t, "latest_value": y_t}

    if goal is None and target is not None and target.kind in QUANTIFIED:
        goal_or_reason = _goal_from_target(target, series, rules, unit, notes)
        if isinstance(goal_or_reason, str):
            return cannot(goal_or_reason, requested, **known)
        goal = (goal_or_reason.level, goal_or_reason.year, goal_or_reason.description)
    level, goal_year, goal_text = goal if goal is not None else (None, None, "")
    if goal_year is not None and goal_year <= b:
        return cannot(f"målåret {goal_year} ligger inte efter basåret {b}", requested, **known)

    if percentage:
        measure = Measure.POINTS
    elif linear:
        measure = Measure.LINEAR
    elif y_b > 0 and y_t > 0 and (level is None or level > 0):
        measure = Measure.CAGR
    else:
        measure = Measure.LINEAR
        notes.append(text.LINEAR_NOTE)
    actual = _change(measure, y_b, y_t, t - b)
    change = text.change_clause(subject, measure, actual, b, t, unit)

    if level is not None:
        met = d * (y_t - level) >= 0
        required = _change(measure, y_b, level, goal_year - b)
        if met:
            status, ratio = ProgressClass.MALET_NATT, None
        else:
            # y_b == level means the target was met at the base year and has since been lost.
            ratio = d * actual / abs(required) if required else math.copysign(math.inf, d * actual)
            status = _target_class(ratio, rules)
        lost = not met and d * (y_b - level) >= 0
        sentence = text.target_sentence(change, status, goal_text, required, measure, unit, notes,
                                        lost=(b, t) if lost else None)
        return Assessment(status, sentence, direction, requested, **known, measure=measure,
                          actual_change=actual, required_change=required, ratio=ratio,
                          target_value=level, target_year=goal_year, notes=tuple(notes))

    progress, right, wrong, factor = d * actual, None, None, None
    if measure is Measure.POINTS:
        factor = limit_factor(y_b, direction, rules.direction.limit_exponent)
        right = rules.direction.right_way_points * factor
        wrong = rules.direction.wrong_way_points
    else:
        right, wrong = rules.direction.right_way_percent, rules.direction.wrong_way_percent
        if measure is Measure.LINEAR:
            scale = (abs(y_b) + abs(y_t)) / 2
            progress = 100 * progress / scale if scale else 0.0
    if progress >= right:
        status = ProgressClass.RATT_HALL
    elif progress <= -wrong:
        status = ProgressClass.FEL_HALL
    else:
        status = ProgressClass.OFORANDRAT
    sentence = text.direction_sentence(change, status, direction, notes)
    return Assessment(status, sentence, direction, requested, **known, measure=measure,
                      actual_change=actual, right_way_threshold=right, limit_factor=factor,
                      notes=tuple(notes))


def _change(measure: Measure, start: float, end: float, years: int) -> float:
    if measure is Measure.CAGR:
        return 100 * ((end / start) ** (1 / years) - 1)
    return (end - start) / years


def _target_class(ratio: float, rules: Thresholds) -> ProgressClass:
    if ratio >= rules.targets.on_track_ratio:
        return ProgressClass.I_TAKT
    if ratio <= 0:
        return ProgressClass.FEL_HALL
    if rules.targets.split_slow and ratio < rules.targets.very_slow_ratio:
        return ProgressClass.MYCKET_FOR_LANGSAMT
    return ProgressClass.FOR_LANGSAMT


def limit_factor(base_value: float, direction: Direction, exponent: float) -> float:
    """Statistics Canada's factor C = 1 − x^a that lowers the "Rätt håll" bar near 0 or 100 %.

    x is how close the base value is to the limit it moves towards: base/100 when the share
    should rise (limit 100 %), (100 − base)/100 when it should fall (limit 0 %). So C is 0 at
    the limit, close to 1 far from it, and a share and its complement (100 − y, opposite
    direction) get the same factor. Outside 0–100 the value is no share: C = 1.
    """
    if not 0 <= base_value <= 100:
        return 1.0
    closeness = base_value / 100 if direction == "upp" else (100 - base_value) / 100
    return 1 - closeness**exponent


def _goal_from_target(target: Target, series: pd.Series, rules: Thresholds, unit: str,
                      notes: list[str]) -> _Goal | str:
    """The target level and year (``targets.target_level``), or the reason it cannot be computed."""
    level = target_level(target, series, rules.default_target_year)
    if isinstance(level, str):
        return level
    if target.kind == "niva":
        return _Goal(level.value, level.year, text.level_goal(level.value, level.year, unit))
    if level.reference_moved:
        notes.append(text.reference_moved(target.base_year, level.reference_year))
    return _Goal(level.value, level.year, text.relative_goal(target.value, level.year, target.base_year))


def assess_horizons(values, direction: Direction, *, thresholds: Thresholds,
                    base_year: int | None = None, **options) -> tuple[Assessment, Assessment]:
    """Both horizons: since the base year, and over the last ``kort_horisont_ar`` years."""
    rules = thresholds
    long = assess(values, direction, thresholds=rules, base_year=base_year, **options)
    short = assess(values, direction, thresholds=rules, horizon=rules.short_horizon_years, **options)
    return long, short

"""What every chart kind shares: the Chart type, frame checks, alt-text pieces and targets.

What a chart shares with its table (regions, breakdowns, names, units, source line) is in
``rus_analysis.report.rows``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from rus_analysis.assessment.targets import target_level
from rus_analysis.assessment.text import reference_moved
from rus_analysis.config.catalogue import Indicator
from rus_analysis.config.numbers import format_number
from rus_analysis.ingest.schema import COLUMNS
from rus_analysis.report import figure_cache, narrative, style
from rus_analysis.report.missing import MissingData
from rus_analysis.report.rows import STATUS_WORDS, shown_rows, source_text  # noqa: F401 (re-exported)


@dataclass
class Chart:
    """A finished chart: the figure, its alt text and source, and the caption to show under it.

    ``data`` holds the tidy snapshot rows the chart draws (columns of
    :data:`rus_analysis.snapshot.store.COLUMNS`, after the report's cut-off), offered to readers as
    a CSV; ``source_url`` is the agency's page; ``redraw(profile)`` draws the same chart again in
    another profile (the HTML's screen and phone sizes). All three are set by the chart functions.
    """

    figure: Figure
    alt_text: str
    source: str
    title: str
    name: str
    profile: style.Profile
    data: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    source_url: str | None = None
    redraw: Callable[[style.Profile | str], Chart | MissingData] | None = field(
        default=None, repr=False, compare=False)
    # The figure cache (report.figure_cache): the key to store this chart under, or the stored
    # entry it came from (then ``figure`` is None and the saved files are copied from there).
    cache_key: str | None = field(default=None, repr=False, compare=False)
    cached: Path | None = field(default=None, repr=False, compare=False)

    def cache_fields(self) -> dict:
        """What the figure cache stores besides the files (everything but the figure)."""
        return {"alt_text": self.alt_text, "source": self.source, "title": self.title, "name": self.name,
                "profile": self.profile, "data": self.data, "source_url": self.source_url}


ChartResult = Chart | MissingData


# --- shared helpers ----------------------------------------------------------------------------

def redrawable(function: Callable[..., ChartResult]) -> Callable[..., ChartResult]:
    """Give the charts a function returns ``redraw`` (the same call with another ``profile``)
    and ``source_url`` (the ``indicator`` argument's agency page). In a build, a chart drawn
    before from the same arguments by the same code comes from the figure cache
    (:mod:`rus_analysis.report.figure_cache`) without being drawn."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def wrapper(*args, **kwargs) -> ChartResult:
        bound = signature.bind(*args, **kwargs)
        key = None
        if bound.arguments.get("profile") is None and figure_cache.cache_dir() is not None:
            complete = signature.bind(*args, **kwargs)
            complete.apply_defaults()
            key = figure_cache.chart_key(function, dict(complete.arguments))
            hit = figure_cache.load(key) if key else None
            if hit is not None:
                fields, entry = hit
                chart = Chart(figure=None, **fields, cached=entry)  # type: ignore[arg-type]
                chart.redraw = lambda profile: function(*bound.args, **{**bound.kwargs, "profile": profile})
                return chart
        result = function(*args, **kwargs)
        if isinstance(result, Chart):
            result.redraw = lambda profile: function(*bound.args, **{**bound.kwargs, "profile": profile})
            if result.source_url is None:
                result.source_url = bound.arguments["indicator"].source.url
            result.cache_key = key
        return result

    return wrapper


def _check_frame(frame: pd.DataFrame) -> None:
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise ValueError(f"Tabellen saknar kolumnerna {sorted(missing)}. Läs serien med "
                         "rus_analysis.snapshot.store.read_series.")
    indicators = sorted(frame["indicator"].dropna().unique())
    if len(indicators) > 1:
        raise ValueError(f"Tabellen innehåller flera indikatorer ({', '.join(indicators)}); "
                         "välj en indikators rader först.")


def _missing_years_text(rows: pd.DataFrame, name: str) -> str | None:
    gaps = rows[rows["value"].isna()].sort_values("year")
    if gaps.empty:
        return None
    reasons = sorted({STATUS_WORDS.get(s, "uppgift saknas") for s in gaps["status"].fillna("")})
    years = narrative.join_names([str(y) for y in gaps["year"]])
    return f"Värde saknas för {name} {years} ({', '.join(reasons)})"


def _region_change(rows: pd.DataFrame, code: str, name: str, span: list[int], unit: str,
                   decimals: int, genus: narrative.Genus = "utrum", since: int | None = None) -> str | None:
    """One region's (or group's) change over the years it has values, for an alt text. With
    ``since`` (a series break) only the years from then on are compared."""
    values = rows[rows["region_code"] == code].dropna(subset=["value"]).sort_values("year")
    if since is not None:
        values = values[values["year"] >= since]
    if values.empty:
        return None
    first, last = values.iloc[0], values.iloc[-1]
    if len(values) == 1:
        return f"{name} {narrative.with_unit(last['value'], unit, decimals)} {int(last['year'])}"
    full_span = int(first["year"]) == span[0] and int(last["year"]) == span[-1]
    clause = narrative.change_clause(int(first["year"]), float(first["value"]), int(last["year"]),
                                     float(last["value"]), unit, decimals, genus,
                                     years=not full_span)
    return f"{name} {clause}"


def break_within(indicator: Indicator, years: list[int]) -> int | None:
    """The catalogue's break year when it falls inside the years shown (first year after the break)."""
    year = indicator.break_year
    return year if year is not None and years and years[0] < year <= years[-1] else None


def draw_break(ax, year: int) -> Line2D:
    """A dashed vertical line between the last year before a series break and the first after it,
    labelled in words (never colour alone); returns a legend handle."""
    look = {"color": style.SOURCE_COLOUR, "linestyle": (0, (4, 3)), "linewidth": 1.1}
    ax.axvline(year - 0.5, **look, zorder=1)
    ax.annotate(f"Seriebrott {year}", xy=(year - 0.5, 1), xycoords=("data", "axes fraction"),
                xytext=(3, -3), textcoords="offset points", ha="left", va="top", fontsize="small",
                color=style.SOURCE_COLOUR)
    return Line2D([], [], **look, label=f"Seriebrott {year}")


def break_sentence(year: int) -> str:
    """What a reader (and a screen reader) needs to know about a break inside the series."""
    return (f"Serien har ett brott {year}: värdena före och efter jämförs inte, så förändringen räknas "
            f"från {year}.")


def _finish(figure: Figure, indicator: Indicator, source: str | None) -> str:
    text = source or source_text(indicator)
    style.add_source(figure, text)
    return text


def _years_with_values(rows: pd.DataFrame) -> list[int]:
    """The years with at least one value: what a line chart's year axis spans."""
    return sorted(rows.loc[rows["value"].notna(), "year"].unique().tolist())


# --- targets -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class TargetPoint:
    """A target as a point: the value to reach in ``year``, and the base it is measured from."""

    year: int
    value: float
    base_year: int | None
    base_value: float | None
    description: str


def target_point(indicator: Indicator, series: pd.Series, unit: str,
                 default_target_year: int | None = None) -> TargetPoint | str | None:
    """The target for the region whose values (by year) are given, a reason why it cannot be
    drawn, or None when the strategy sets no quantified target.

    The level comes from ``assessment.targets.target_level``, the same computation the
    målbedömning uses, so the chart and the verdict always agree. A target without a target
    year is drawn only when ``default_target_year`` is given.
    """
    target = indicator.target
    year = (target.target_year or default_target_year) if target is not None else None
    if target is None or target.value is None or year is None:
        return None
    level = target_level(target, series, year, break_year=indicator.break_year)
    if level is None:
        return None
    if isinstance(level, str):
        return (f"Målet ({format_number(target.value, 0)} procent till {year} "
                f"jämfört med {target.base_year}) kan inte ritas: {level}.")
    decimals = indicator.decimals
    value = narrative.with_unit(level.value, unit, decimals)
    if target.kind == "relativ_forandring":
        description = (f"Målet är {value} år {level.year} ({format_number(target.value, 0)} procent "
                       f"jämfört med basåret {target.base_year}).")
        if level.reference_moved:
            description += " " + reference_moved(target.base_year, level.reference_year)
    else:
        description = f"Målet är {value} år {level.year}."
    return TargetPoint(level.year, level.value, level.reference_year, level.reference_value, description)


"""Time series: Örebro län against riket and the jämförbara län over time, with the target."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from rus_analysis.config.catalogue import Indicator
from rus_analysis.config.geography import RIKET
from rus_analysis.config.numbers import format_number
from rus_analysis.config.units import is_percent
from rus_analysis.report import narrative, style
from rus_analysis.report.charts.common import (
    Chart,
    ChartResult,
    TargetPoint,
    _check_frame,
    _finish,
    _missing_years_text,
    _region_change,
    _years_with_values,
    break_sentence,
    break_within,
    draw_break,
    redrawable,
    shown_rows,
    target_point,
)
from rus_analysis.report.missing import missing_for
from rus_analysis.report.rows import DEFAULT_REGIONS, region_name, unit_of, year_span


@redrawable
def time_series(frame: pd.DataFrame, indicator: Indicator, *,
                regions: tuple[str, ...] | list[str] | None = None, sex: str = "T",
                group: str = "totalt", show_target: bool = True, since: int | None = None,
                profile: style.Profile | str | None = None,
                source: str | None = None) -> ChartResult:
    """Örebro län against riket and the jämförbara län over time, with the target if there is one.

    ``regions`` defaults to Örebro län, riket and the four jämförbara län present in the data.
    For counts and tonnes, where riket is on another scale, pass ``regions=["0018"]``.
    """
    _check_frame(frame)
    wanted = list(regions) if regions is not None else list(DEFAULT_REGIONS)
    rows = frame[(frame["sex"] == sex) & (frame["group"] == group)
                 & frame["region_code"].isin(wanted)]
    if since is not None:
        rows = rows[rows["year"] >= since]
    present = [c for c in wanted if rows.loc[rows["region_code"] == c, "value"].notna().any()]
    main = wanted[0]
    if main not in present:
        return missing_for(indicator, f"Inga värden för {region_name(main, frame)}")
    unit = unit_of(rows, indicator)
    decimals = indicator.decimals
    years = _years_with_values(rows)

    with style.theme(profile) as chosen:
        figure, panel = style.new_figure(chosen)
        ax = panel.add_subplot()
        handles = []
        for code in sorted(present, key=lambda c: c == main):  # the main region drawn last
            series = rows[rows["region_code"] == code].sort_values("year")
            (line,) = ax.plot(series["year"], series["value"], label=region_name(code, frame),
                              **style.region_line_style(code))
            handles.append((present.index(code), line))
        main_values = rows[rows["region_code"] == main].set_index("year")["value"]
        target = target_point(indicator, main_values, unit) if show_target else None
        tick_years = list(years)
        breaks = break_within(indicator, years)
        if breaks is not None:
            handles.append((len(present) + 1, draw_break(ax, breaks)))
        if isinstance(target, TargetPoint):
            _draw_target(ax, target, years[0])
            tick_years += [target.year]
            handles.append((len(present), Line2D([], [], **{**style.TARGET_STYLE,
                                                           "marker": "*", "markersize": 9},
                                                 label="Mål")))
        if not is_percent(unit) and np.nanmin(rows["value"]) >= 0:
            ax.set_ylim(bottom=0)
        ax.margins(x=0.03)
        style.format_year_axis(ax, sorted(set(tick_years)))
        style.format_value_axis(ax, unit)
        ordered = [h for _, h in sorted(handles, key=lambda pair: pair[0])]
        panel.legend(handles=ordered, loc="outside lower center",
                     ncols=style.legend_columns(chosen, 3 if len(ordered) > 4 else len(ordered),
                                                [h.get_label() for h in ordered]))
        used_source = _finish(figure, indicator, source)

    title = f"{indicator.title}, {year_span(years)}"
    alt = _time_series_alt(rows, present, main, years, unit, decimals, indicator.title, target,
                           break_within(indicator, years))
    return Chart(figure, alt, used_source, title, f"{indicator.id}-tidsserie", chosen,
                 data=shown_rows(rows))


def _draw_target(ax, point: TargetPoint, first_year: int) -> None:
    if point.base_year is not None and point.base_value is not None:
        ax.plot([point.base_year, point.year], [point.base_value, point.value], **style.TARGET_STYLE,
                zorder=2)
        ax.plot([point.base_year], [point.base_value], **style.BASE_YEAR_MARKER, zorder=6)
        ax.annotate(f"Basår {point.base_year}", (point.base_year, point.base_value),
                    textcoords="offset points", xytext=(0, 9), ha="center", fontsize="small",
                    color=style.OREBRO_COLOUR)
    else:
        ax.plot([first_year, point.year], [point.value, point.value], **style.TARGET_STYLE, zorder=2)
    ax.plot([point.year], [point.value], **style.TARGET_MARKER, zorder=6)
    ax.annotate(f"Mål {point.year}", (point.year, point.value), textcoords="offset points",
                xytext=(0, 9), ha="center", fontsize="small", color=style.OREBRO_COLOUR)


def _time_series_alt(rows: pd.DataFrame, present: list[str], main: str, years: list[int],
                     unit: str, decimals: int, title: str, target, breaks: int | None = None) -> str:
    parts = [f"Linjediagram: {title} {year_span(years)}."]
    if breaks is not None:
        parts.append(break_sentence(breaks))
    clauses = [_region_change(rows, c, region_name(c, rows, in_sentence=i > 0), years, unit,
                              decimals, since=breaks)
               for i, c in enumerate(c for c in present if c in (main, RIKET))]
    parts.append(narrative._capitalise("; ".join(c for c in clauses if c)) + ".")
    peers = [c for c in present if c not in (main, RIKET)]
    if peers:
        latest = years[-1]
        values = rows[(rows["year"] == latest) & rows["region_code"].isin(peers)]
        listed = [f"{region_name(c, rows)} {format_number(v, decimals)}"
                  for c in peers for v in values.loc[values["region_code"] == c, "value"].dropna()]
        if listed:
            parts.append(f"Jämförbara län {latest}: {narrative.join_names(listed)} "
                         f"{narrative.unit_words(unit, '2')}.".replace("  ", " ").replace(" .", "."))
    for code in present:
        gap = _missing_years_text(rows[rows["region_code"] == code], region_name(code, rows))
        if gap:
            parts.append(gap + ".")
    if isinstance(target, TargetPoint):
        parts.append(target.description)
    elif isinstance(target, str):
        parts.append(target)
    return " ".join(parts)

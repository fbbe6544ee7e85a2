"""Sector bars: emissions per sector for one region as stacked bars, one bar per published year."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from rus_analysis.config.catalogue import Indicator
from rus_analysis.config.geography import OREBRO_LAN
from rus_analysis.config.numbers import format_number
from rus_analysis.report import narrative, style, typography
from rus_analysis.report.charts.common import (
    Chart,
    ChartResult,
    TargetPoint,
    _check_frame,
    _finish,
    redrawable,
    shown_rows,
    target_point,
)
from rus_analysis.report.missing import missing_for
from rus_analysis.report.rows import region_name, unit_of, year_span


@redrawable
def sector_bars(frame: pd.DataFrame, indicator: Indicator, *, region: str = OREBRO_LAN,
                years: list[int] | None = None, show_target: bool = True,
                profile: style.Profile | str | None = None,
                source: str | None = None) -> ChartResult:
    """Emissions per sector for one region as stacked bars, one bar per published year.

    The year axis is proportional (the database publishes 1990, 2000, 2005, 2010, 2015 and then
    single years, and the gaps show as gaps). A quantified target is drawn as an outlined bar at
    its year.
    """
    _check_frame(frame)
    rows = frame[(frame["region_code"] == region) & (frame["sex"] == "T")
                 & (frame["group"] != "totalt")]
    if years is not None:
        rows = rows[rows["year"].isin(years)]
    data = shown_rows(rows)  # the snapshot's own labels, for the CSV
    rows = rows.assign(group=rows["group"].map(typography.label))  # "(inkl. avlopp)"
    if rows["value"].notna().sum() == 0:
        return missing_for(indicator, f"Inga värden per sektor för {region_name(region, frame)}")
    unit = unit_of(rows, indicator)
    decimals = indicator.decimals
    wide = rows.pivot_table(index="year", columns="group", values="value", aggfunc="first",
                            dropna=False).sort_index()
    # Largest sector (latest year) at the bottom, so the biggest changes are easiest to read.
    latest_year = int(wide.index.max())
    sectors = wide.loc[latest_year].fillna(0).sort_values(ascending=False).index.tolist()
    sectors = [s for s in sectors if wide[s].fillna(0).abs().sum() > 0]
    incomplete = [int(y) for y in wide.index if wide.loc[y, sectors].isna().any()]
    totals = wide[sectors].sum(axis=1, min_count=len(sectors))
    target = None
    if show_target:
        target = target_point(indicator, totals, unit)

    with style.theme(profile) as chosen:
        figure, panel = style.new_figure(chosen, aspect=0.8)
        ax = panel.add_subplot()
        colours = style.sector_colours(sectors)
        # A proportional year axis: 1990, 2000, 2005 … 2024 stand at their years, so the gaps
        # between published years show as gaps (never evenly spaced slots).
        positions = wide.index.to_numpy(dtype=float)
        width = 0.72 * float(np.min(np.diff(positions))) if len(positions) > 1 else 0.72
        bottom = np.zeros(len(positions))
        for sector in sectors:
            heights = wide[sector].fillna(0).to_numpy()
            ax.bar(positions, heights, bottom=bottom, color=colours[sector], width=width,
                   label=sector, edgecolor="white", linewidth=0.4, zorder=2)
            bottom += heights
        handles = [Patch(facecolor=colours[s], label=s) for s in sectors]
        tick_years = [int(y) for y in positions]
        if isinstance(target, TargetPoint):
            ax.bar([target.year], [target.value], width=width, fill=False,
                   edgecolor=style.OREBRO_COLOUR, linestyle=(0, (2, 1.5)), linewidth=1.4, zorder=2)
            ax.annotate(f"Mål {target.year}", (target.year, target.value), textcoords="offset points",
                        xytext=(0, 4), ha="center", fontsize="small", color=style.OREBRO_COLOUR)
            tick_years.append(target.year)
            handles.append(Patch(fill=False, edgecolor=style.OREBRO_COLOUR, linestyle="--",
                                 label=f"Mål {target.year} (totalt)"))
        style.format_year_axis(ax, tick_years)
        ax.grid(axis="x", visible=False)
        top = float(np.nanmax(np.append(bottom, target.value if isinstance(target, TargetPoint) else 0)))
        ax.set_ylim(0, top * 1.05)
        style.format_value_axis(ax, unit, max_abs=top)
        panel.legend(handles=handles, loc="outside lower center",
                     ncols=style.legend_columns(chosen, 2, [h.get_label() for h in handles]))
        used_source = _finish(figure, indicator, source)

    alt = _sector_alt(wide, sectors, totals, incomplete, region_name(region, frame), unit,
                      decimals, indicator.title, target)
    title = (f"{typography.join_phrase(indicator.title, 'per sektor')}, {region_name(region, frame)}, "
             f"{year_span(list(wide.index))}")
    return Chart(figure, alt, used_source, title, f"{indicator.id}-sektorer-{region}", chosen,
                 data=data)


def _sector_alt(wide, sectors, totals, incomplete, name, unit, decimals, title, target) -> str:
    years = [int(y) for y in wide.index]
    parts = [(f"Staplat stapeldiagram: {typography.join_phrase(title, 'per sektor')}, {name}, åren "
              f"{narrative.join_names([str(y) for y in years])}.")]
    complete = totals.dropna()
    if len(complete) >= 2:
        clause = narrative.change_clause(int(complete.index[0]), float(complete.iloc[0]),
                                         int(complete.index[-1]), float(complete.iloc[-1]), unit,
                                         decimals, genus="plural")
        parts.append(f"Utsläppen totalt {clause}.")
    latest = years[-1]
    if latest in complete.index and complete[latest] > 0:
        shares = wide.loc[latest, sectors].sort_values(ascending=False)
        first = shares.index[0]
        share = format_number(shares.iloc[0] / complete[latest] * 100, 0)
        parts.append(f"Störst {latest} var {first} med "
                     f"{narrative.with_unit(shares.iloc[0], unit, decimals)} ({share} procent av "
                     f"totalen), följt av {narrative.join_names(list(shares.index[1:3]))}.")
    if incomplete:
        parts.append(f"Uppgift saknas för någon sektor {narrative.join_names([str(y) for y in incomplete])}; "
                     "totalen anges inte för de åren.")
    if isinstance(target, TargetPoint):
        parts.append(target.description)
    elif isinstance(target, str):
        parts.append(target)
    return " ".join(parts)

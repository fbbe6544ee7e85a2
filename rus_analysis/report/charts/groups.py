"""Group series: a breakdown (kön, födelseregion, vistelsetid) over time for the region and riket."""

from __future__ import annotations

from typing import Literal

import pandas as pd

from rus_analysis.config.catalogue import Indicator
from rus_analysis.config.geography import OREBRO_LAN, RIKET
from rus_analysis.config.units import difference_unit
from rus_analysis.report import narrative, style, typography
from rus_analysis.report.charts.common import (
    Chart,
    ChartResult,
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
)
from rus_analysis.report.missing import missing_for
from rus_analysis.report.rows import breakdown_rows, region_name, unit_of, year_span


@redrawable
def group_series(frame: pd.DataFrame, indicator: Indicator, *,
                 by: Literal["kon", "fodelseregion", "vistelsetid"] = "kon",
                 regions: tuple[str, ...] | list[str] = (OREBRO_LAN, RIKET),
                 profile: style.Profile | str | None = None,
                 source: str | None = None) -> ChartResult:
    """Women and men (or inrikes and utrikes födda) over time for Örebro län and riket.

    Colour is the region's (Örebro län always the same blue); line style and marker the group's.
    """
    _check_frame(frame)
    words, groups, rows = breakdown_rows(frame, by, regions)
    if rows["value"].notna().sum() == 0:
        return missing_for(indicator, f"Inga värden {words}")
    unit = unit_of(rows, indicator)
    decimals = indicator.decimals
    years = _years_with_values(rows)

    with style.theme(profile) as chosen:
        figure, panel = style.new_figure(chosen)
        ax = panel.add_subplot()
        handles = []
        for code in reversed(list(regions)):
            for index, category in enumerate(groups):
                series = rows[(rows["region_code"] == code) & (rows["category"] == category)]
                if series["value"].notna().sum() == 0:
                    continue
                look = style.group_style(category, index)
                label = f"{region_name(code, frame)}, {look.pop('label').lower()}"
                line_style = style.region_line_style(code)
                line_style.pop("marker")
                (line,) = ax.plot(series.sort_values("year")["year"],
                                  series.sort_values("year")["value"],
                                  **{**line_style, **look}, label=label)
                handles.append((list(regions).index(code), index, line))
        breaks = break_within(indicator, years)
        if breaks is not None:
            handles.append((len(regions), 0, draw_break(ax, breaks)))
        ax.margins(x=0.03)
        style.format_year_axis(ax, years)
        style.format_value_axis(ax, unit)
        ordered = [h for *_, h in sorted(handles, key=lambda t: (t[0], t[1]))]
        panel.legend(handles=ordered, loc="outside lower center", ncols=style.legend_columns(
            chosen, min(len(groups), 2), [h.get_label() for h in ordered]))
        used_source = _finish(figure, indicator, source)

    alt = _group_alt(rows, regions, groups, years, unit, decimals, indicator.title, words,
                     break_within(indicator, years))
    title = f"{typography.join_phrase(indicator.title, words)}, {year_span(years)}"
    return Chart(figure, alt, used_source, title, f"{indicator.id}-{by}", chosen,
                 data=shown_rows(rows))


def _group_alt(rows, regions, groups, years, unit, decimals, title, words, breaks=None) -> str:
    parts = [f"Linjediagram: {typography.join_phrase(title, words)} {year_span(years)}."]
    if breaks is not None:
        parts.append(break_sentence(breaks))
    for code in regions:
        region_rows = rows[rows["region_code"] == code]
        clauses = []
        for index, category in enumerate(groups):
            label = style.group_style(category, index)["label"].lower()
            clause = _region_change(region_rows[region_rows["category"] == category], code, label,
                                    years, unit, decimals, since=breaks)
            if clause:
                clauses.append(clause)
        if not clauses:
            continue
        sentence = f"{region_name(code, rows)}: {', '.join(clauses)}."
        latest = region_rows[region_rows["year"] == region_rows.dropna(subset=["value"])["year"].max()]
        pair = [latest.loc[latest["category"] == g, "value"].dropna() for g in groups]
        if len(groups) == 2 and all(len(p) for p in pair):  # a gap only between two groups
            gap = abs(float(pair[0].iloc[0]) - float(pair[1].iloc[0]))
            sentence += (f" Skillnaden var {narrative.with_unit(gap, difference_unit(unit), decimals)}"
                         f" {int(latest['year'].iloc[0])}.")
        parts.append(sentence)
        for category in groups:
            gap_text = _missing_years_text(region_rows[region_rows["category"] == category],
                                           f"{region_name(code, rows)} ({category})")
            if gap_text:
                parts.append(gap_text + ".")
    return " ".join(parts)

"""The report's charts, drawn from tidy snapshot frames in the house style.

Every function takes one indicator's rows (``snapshot.read_series``) and its catalogue entry and
returns a :class:`Chart` (figure, Swedish alt text generated from the data, source line) or,
when there is nothing to draw, a :class:`~rus_analysis.display.MissingData` box: never an empty
chart. Show either with :func:`rus_analysis.display.show`.

Missing values are never filled in: a confidential year breaks the line, a kommun without a
value gets "uppgift saknas" instead of a bar, and the alt text says what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from rus_analysis import narrative, style
from rus_analysis.catalogue import Indicator
from rus_analysis.display import MissingData, missing_for
from rus_analysis.formatting import format_number
from rus_analysis.geography import OREBRO_KOMMUNER, OREBRO_LAN, REGION_NAMES, RIKET
from rus_analysis.snapshot import COLUMNS

DEFAULT_REGIONS = (OREBRO_LAN, RIKET, *style.PEER_CODES)
BREAKDOWNS = {
    "kon": ("efter kön", ["K", "M"]),
    "fodelseregion": ("efter födelseregion", ["inrikes födda", "utrikes födda"]),
    "vistelsetid": ("efter vistelsetid i Sverige",
                    ["vistelsetid 0–1 år", "vistelsetid 2–3 år", "vistelsetid 4–9 år", "vistelsetid 10– år"]),
}
STATUS_WORDS = {"sekretess": "sekretess", "saknas": "uppgift saknas i källan"}


@dataclass
class Chart:
    """A finished chart: the figure, its alt text and source, and the caption to show under it."""

    figure: Figure
    alt_text: str
    source: str
    title: str
    name: str
    profile: style.Profile


ChartResult = Chart | MissingData


# --- shared helpers ----------------------------------------------------------------------------

def source_text(indicator: Indicator) -> str:
    """The source line's text, naming the agency once.

    ``SCB (Befolkningens arbetsmarknadsstatus, BAS)`` + ``SCB AM0210 TAB3200`` becomes
    ``SCB, Befolkningens arbetsmarknadsstatus, BAS (AM0210 TAB3200)``.
    """
    agency, table = indicator.source.agency.strip(), indicator.source.table.strip()
    if ";" in agency:  # several agencies: the table field already names each
        return table
    match = re.match(r"^(.*?)\s*\((.*)\)$", agency)
    short, detail = (match.group(1), match.group(2)) if match else (agency, "")
    if table.lower().startswith(short.lower()):
        rest = table[len(short):].strip(" ,")
        if rest and detail:
            return f"{short}, {detail}, {rest}" if "(" in rest else f"{short}, {detail} ({rest})"
        return f"{short}, {rest}" if rest else short
    if detail and table.lower().startswith(detail.lower()):
        return f"{short}, {table}"
    return f"{agency}, {table}"


def _check_frame(frame: pd.DataFrame) -> None:
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise ValueError(f"Tabellen saknar kolumnerna {sorted(missing)}. Läs serien med "
                         "rus_analysis.snapshot.read_series.")
    indicators = sorted(frame["indicator"].dropna().unique())
    if len(indicators) > 1:
        raise ValueError(f"Tabellen innehåller flera indikatorer ({', '.join(indicators)}); "
                         "välj en indikators rader först.")


def region_name(code: str, frame: pd.DataFrame | None = None, in_sentence: bool = False) -> str:
    name = REGION_NAMES.get(code)
    if name is None and frame is not None:
        names = frame.loc[frame["region_code"] == code, "region_name"]
        name = str(names.iloc[0]) if len(names) else code
    name = name or code
    return "riket" if in_sentence and code == RIKET else name


def unit_of(frame: pd.DataFrame, indicator: Indicator) -> str:
    """The unit the data carry, else the catalogue's (never an empty caption)."""
    units = [u for u in frame["unit"].dropna().unique() if str(u).strip()]
    return str(units[0]) if units else indicator.unit


def breakdown_rows(frame: pd.DataFrame, by: str, regions) -> tuple[str, list[str], pd.DataFrame]:
    """The rows of one breakdown (kön, födelseregion, vistelsetid) with a ``category`` column;
    shared by the chart and its table so the two always show the same data."""
    if by not in BREAKDOWNS:
        raise ValueError(f"Okänd uppdelning {by!r}. Välj en av: {', '.join(BREAKDOWNS)}.")
    words, groups = BREAKDOWNS[by]
    if by == "kon":
        rows = frame[frame["sex"].isin(groups) & (frame["group"] == "totalt")].assign(
            category=lambda f: f["sex"])
    else:
        rows = frame[(frame["sex"] == "T") & frame["group"].isin(groups)].assign(
            category=lambda f: f["group"])
    return words, groups, rows[rows["region_code"].isin(regions)]


def _missing_years_text(rows: pd.DataFrame, name: str) -> str | None:
    gaps = rows[rows["value"].isna()].sort_values("year")
    if gaps.empty:
        return None
    reasons = sorted({STATUS_WORDS.get(s, "uppgift saknas") for s in gaps["status"].fillna("")})
    years = narrative.join_names([str(y) for y in gaps["year"]])
    return f"Värde saknas för {name} {years} ({', '.join(reasons)})"


def _finish(figure: Figure, indicator: Indicator, source: str | None) -> str:
    text = source or source_text(indicator)
    style.add_source(figure, text)
    return text


def _year_span(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])


# --- targets -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class TargetPoint:
    """A target as a point: the value to reach in ``year``, and the base it is measured from."""

    year: int
    value: float
    base_year: int | None
    base_value: float | None
    description: str


def target_point(indicator: Indicator, series: pd.Series, unit: str) -> TargetPoint | str | None:
    """The target for the region whose values (by year) are given, a reason why it cannot be
    drawn, or None when the strategy sets no quantified target."""
    target = indicator.target
    if target is None or target.kind not in ("niva", "relativ_forandring"):
        return None
    if target.value is None or target.target_year is None:
        return None
    decimals = indicator.decimals
    base_value = None
    if target.base_year is not None:
        base = series.get(target.base_year)
        base_value = None if base is None or pd.isna(base) else float(base)
    if target.kind == "relativ_forandring":
        if base_value is None:
            return (f"Målet ({format_number(target.value, 0)} procent till {target.target_year} "
                    f"jämfört med {target.base_year}) kan inte ritas: värdet för basåret saknas.")
        value = base_value * (1 + target.value / 100)
        description = (f"Målet är {narrative.with_unit(value, unit, decimals)} år "
                       f"{target.target_year} ({format_number(target.value, 0)} procent jämfört "
                       f"med basåret {target.base_year}).")
    else:
        value = float(target.value)
        description = f"Målet är {narrative.with_unit(value, unit, decimals)} år {target.target_year}."
    return TargetPoint(target.target_year, value, target.base_year, base_value, description)


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


# --- time series -------------------------------------------------------------------------------

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
    years = sorted(rows.loc[rows["value"].notna(), "year"].unique().tolist())

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
        if isinstance(target, TargetPoint):
            _draw_target(ax, target, years[0])
            tick_years += [target.year]
            handles.append((len(present), Line2D([], [], **{**style.TARGET_STYLE,
                                                           "marker": "*", "markersize": 9},
                                                 label="Mål")))
        if not narrative.is_percent(unit) and np.nanmin(rows["value"]) >= 0:
            ax.set_ylim(bottom=0)
        ax.margins(x=0.03)
        style.format_year_axis(ax, sorted(set(tick_years)))
        style.format_value_axis(ax, unit)
        ordered = [h for _, h in sorted(handles, key=lambda pair: pair[0])]
        panel.legend(handles=ordered, loc="outside lower center",
                     ncols=3 if len(ordered) > 4 else len(ordered))
        used_source = _finish(figure, indicator, source)

    title = f"{indicator.title}, {_year_span(years)}"
    alt = _time_series_alt(rows, present, main, years, unit, decimals, indicator.title, target)
    return Chart(figure, alt, used_source, title, f"{indicator.id}-tidsserie", chosen)


def _region_change(rows: pd.DataFrame, code: str, name: str, span: list[int], unit: str,
                   decimals: int, genus: narrative.Genus = "utrum") -> str | None:
    values = rows[rows["region_code"] == code].dropna(subset=["value"]).sort_values("year")
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


def _time_series_alt(rows: pd.DataFrame, present: list[str], main: str, years: list[int],
                     unit: str, decimals: int, title: str, target) -> str:
    parts = [f"Linjediagram: {title} {_year_span(years)}."]
    clauses = [_region_change(rows, c, region_name(c, rows, in_sentence=i > 0), years, unit,
                              decimals)
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


# --- kommuner ----------------------------------------------------------------------------------

def kommun_bars(frame: pd.DataFrame, indicator: Indicator, *, year: int | None = None,
                sex: str = "T", group: str = "totalt", profile: style.Profile | str | None = None,
                source: str | None = None) -> ChartResult:
    """The latest value per kommun in Örebro län, sorted, with riket and länet as reference lines."""
    _check_frame(frame)
    rows = frame[(frame["sex"] == sex) & (frame["group"] == group)]
    kommun_rows = rows[rows["region_code"].isin(OREBRO_KOMMUNER)]
    with_values = kommun_rows.dropna(subset=["value"])
    if year is None:
        if with_values.empty:
            return missing_for(indicator, "Inga värden per kommun")
        year = int(with_values["year"].max())
    current = kommun_rows[kommun_rows["year"] == year].set_index("region_code")
    if current["value"].notna().sum() == 0:
        return missing_for(indicator, f"Inga värden per kommun för {year}")
    unit = unit_of(rows, indicator)
    decimals = indicator.decimals
    values = {code: (float(current.at[code, "value"]) if code in current.index
                     and pd.notna(current.at[code, "value"]) else np.nan)
              for code in OREBRO_KOMMUNER}
    # Highest at the top; kommuner without a value last, labelled instead of drawn.
    order = sorted(values, key=lambda c: (np.isnan(values[c]), -np.nan_to_num(values[c])))
    references = {}
    for code in (OREBRO_LAN, RIKET):
        ref = rows[(rows["region_code"] == code) & (rows["year"] == year)]["value"].dropna()
        if not ref.empty:
            references[code] = float(ref.iloc[0])

    with style.theme(profile) as chosen:
        figure, panel = style.new_figure(chosen, aspect=0.72)
        ax = panel.add_subplot()
        positions = np.arange(len(order))[::-1]
        names = [OREBRO_KOMMUNER[c] for c in order]
        bar_values = [values[c] for c in order]
        ax.barh(positions, np.nan_to_num(bar_values), color=style.OREBRO_LIGHT, height=0.7,
                edgecolor="none", zorder=2)
        top = max([v for v in bar_values if not np.isnan(v)] + list(references.values()))
        # Values in a column right of the plot, where the reference lines cannot cross them.
        value_column = ax.get_yaxis_transform()
        for pos, value in zip(positions, bar_values):
            if np.isnan(value):
                ax.text(0, pos, " uppgift saknas", va="center", ha="left", fontsize="small",
                        color=style.SOURCE_COLOUR, style="italic")
            else:
                ax.text(1.01, pos, format_number(value, decimals), va="center", ha="left",
                        fontsize="small", transform=value_column)
        ax.set_yticks(positions, names)
        handles = []
        for code, line_style in ((OREBRO_LAN, "-"), (RIKET, "--")):
            if code in references:
                label = f"{region_name(code)} {format_number(references[code], decimals)}"
                handles.append(ax.axvline(references[code], color=style.region_colour(code),
                                          linestyle=line_style, linewidth=1.8, label=label, zorder=3))
        ax.set_xlim(0, top * 1.04)
        ax.grid(axis="y", visible=False)
        style.format_value_axis(ax, unit, axis="x", max_abs=top)
        ax.set_ylabel("Kommun")
        if handles:
            panel.legend(handles=handles, loc="outside lower center", ncols=len(handles))
        used_source = _finish(figure, indicator, source)

    alt = _kommun_alt(values, references, current, year, unit, decimals, indicator.title)
    title = f"{indicator.title} per kommun, {year}"
    return Chart(figure, alt, used_source, title, f"{indicator.id}-kommuner-{year}", chosen)


def _kommun_alt(values: dict[str, float], references: dict[str, float], current: pd.DataFrame,
                year: int, unit: str, decimals: int, title: str) -> str:
    named = {OREBRO_KOMMUNER[c]: v for c, v in values.items()}
    parts = [(f"Liggande stapeldiagram: {title} per kommun i Örebro län {year}, sorterat från "
              "högst till lägst.")]
    if sum(1 for v in named.values() if not np.isnan(v)) >= 2:
        parts.append(narrative.extremes_sentence(named, unit, decimals))
    refs = [f"{region_name(c, in_sentence=True)} {narrative.with_unit(v, unit, decimals)}"
            for c, v in references.items()]
    if refs:
        parts.append(f"Referenslinjer: {narrative.join_names(refs)}.")
    if RIKET in references:
        parts.append(narrative.count_sentence(named, references[RIKET], "riket", decimals=decimals))
    missing = [OREBRO_KOMMUNER[c] for c, v in values.items() if np.isnan(v)]
    if missing:
        statuses = {str(current.at[c, "status"]) for c in values
                    if np.isnan(values[c]) and c in current.index}
        reasons = sorted({STATUS_WORDS.get(s, "uppgift saknas") for s in statuses} or
                         {"uppgift saknas"})
        parts.append(f"Värde saknas för {narrative.join_names(missing)} ({', '.join(reasons)}).")
    return " ".join(parts)


# --- breakdown by group ------------------------------------------------------------------------

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
    years = sorted(rows.loc[rows["value"].notna(), "year"].unique().tolist())

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
        ax.margins(x=0.03)
        style.format_year_axis(ax, years)
        style.format_value_axis(ax, unit)
        ordered = [h for *_, h in sorted(handles, key=lambda t: (t[0], t[1]))]
        panel.legend(handles=ordered, loc="outside lower center", ncols=min(len(groups), 2))
        used_source = _finish(figure, indicator, source)

    alt = _group_alt(rows, regions, groups, years, unit, decimals, indicator.title, words)
    title = f"{indicator.title} {words}, {_year_span(years)}"
    return Chart(figure, alt, used_source, title, f"{indicator.id}-{by}", chosen)


def _group_alt(rows, regions, groups, years, unit, decimals, title, words) -> str:
    parts = [f"Linjediagram: {title} {words} {_year_span(years)}."]
    for code in regions:
        region_rows = rows[rows["region_code"] == code]
        clauses = []
        for index, category in enumerate(groups):
            label = style.group_style(category, index)["label"].lower()
            clause = _region_change(region_rows[region_rows["category"] == category], code, label,
                                    years, unit, decimals)
            if clause:
                clauses.append(clause)
        if not clauses:
            continue
        sentence = f"{region_name(code, rows)}: {', '.join(clauses)}."
        latest = region_rows[region_rows["year"] == region_rows.dropna(subset=["value"])["year"].max()]
        pair = [latest.loc[latest["category"] == g, "value"].dropna() for g in groups]
        if len(groups) == 2 and all(len(p) for p in pair):  # a gap only between two groups
            gap = abs(float(pair[0].iloc[0]) - float(pair[1].iloc[0]))
            sentence += (f" Skillnaden var {narrative.with_unit(gap, narrative.difference_unit(unit), decimals)}"
                         f" {int(latest['year'].iloc[0])}.")
        parts.append(sentence)
        for category in groups:
            gap_text = _missing_years_text(region_rows[region_rows["category"] == category],
                                           f"{region_name(code, rows)} ({category})")
            if gap_text:
                parts.append(gap_text + ".")
    return " ".join(parts)


# --- emissions by sector -----------------------------------------------------------------------

def sector_bars(frame: pd.DataFrame, indicator: Indicator, *, region: str = OREBRO_LAN,
                years: list[int] | None = None, show_target: bool = True,
                profile: style.Profile | str | None = None,
                source: str | None = None) -> ChartResult:
    """Emissions per sector for one region as stacked bars, one bar per published year.

    Years are evenly spaced categories (the database publishes 1990, 2000, 2005, 2010 and then
    single years), labelled on the axis. A quantified target is drawn as an outlined bar.
    """
    _check_frame(frame)
    rows = frame[(frame["region_code"] == region) & (frame["sex"] == "T")
                 & (frame["group"] != "totalt")]
    if years is not None:
        rows = rows[rows["year"].isin(years)]
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
        positions = np.arange(len(wide.index))
        bottom = np.zeros(len(positions))
        for sector in sectors:
            heights = wide[sector].fillna(0).to_numpy()
            ax.bar(positions, heights, bottom=bottom, color=colours[sector], width=0.72,
                   label=sector, edgecolor="white", linewidth=0.4, zorder=2)
            bottom += heights
        labels = [str(int(y)) for y in wide.index]
        handles = [Patch(facecolor=colours[s], label=s) for s in sectors]
        if isinstance(target, TargetPoint):
            position = len(positions)
            ax.bar([position], [target.value], width=0.72, fill=False,
                   edgecolor=style.OREBRO_COLOUR, linestyle=(0, (2, 1.5)), linewidth=1.4, zorder=2)
            labels.append(f"Mål\n{target.year}")
            positions = np.append(positions, position)
            handles.append(Patch(fill=False, edgecolor=style.OREBRO_COLOUR, linestyle="--",
                                 label=f"Mål {target.year} (totalt)"))
        ax.set_xticks(positions, labels)
        ax.grid(axis="x", visible=False)
        ax.set_xlabel("År")
        top = float(np.nanmax(np.append(bottom, target.value if isinstance(target, TargetPoint) else 0)))
        ax.set_ylim(0, top * 1.05)
        style.format_value_axis(ax, unit, max_abs=top)
        panel.legend(handles=handles, loc="outside lower center", ncols=2)
        used_source = _finish(figure, indicator, source)

    alt = _sector_alt(wide, sectors, totals, incomplete, region_name(region, frame), unit,
                      decimals, indicator.title, target)
    title = f"{indicator.title} per sektor, {region_name(region, frame)}, {_year_span(list(wide.index))}"
    return Chart(figure, alt, used_source, title, f"{indicator.id}-sektorer-{region}", chosen)


def _sector_alt(wide, sectors, totals, incomplete, name, unit, decimals, title, target) -> str:
    years = [int(y) for y in wide.index]
    parts = [(f"Staplat stapeldiagram: {title} per sektor, {name}, åren "
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

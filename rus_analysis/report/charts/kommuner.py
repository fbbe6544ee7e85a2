"""Kommun bars: the latest value per kommun in Örebro län, with länet and riket as their own bars."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rus_analysis.config.catalogue import Indicator
from rus_analysis.config.geography import OREBRO_KOMMUNER, OREBRO_LAN, RIKET
from rus_analysis.config.numbers import format_number
from rus_analysis.report import narrative, style, typography
from rus_analysis.report.charts.common import (
    Chart,
    ChartResult,
    _check_frame,
    _finish,
    redrawable,
    shown_rows,
)
from rus_analysis.report.missing import missing_for
from rus_analysis.report.rows import NOT_IN_EXTRACT, STATUS_WORDS, region_name, unit_of


@redrawable
def kommun_bars(frame: pd.DataFrame, indicator: Indicator, *, year: int | None = None,
                sex: str = "T", group: str = "totalt", profile: style.Profile | str | None = None,
                source: str | None = None) -> ChartResult:
    """The latest value per kommun in Örebro län, sorted, with länet and riket as bars of their own
    under a gap and riket also as a dashed line (two lines could hide each other)."""
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
        # Kommuner on top; länet and riket as bars of their own under a gap, so the two
        # references can never hide each other however close they are (80,6 and 80,9).
        refs = [c for c in (OREBRO_LAN, RIKET) if c in references]
        positions = np.arange(len(order))[::-1] + len(refs) + (0.6 if refs else 0)
        names = [OREBRO_KOMMUNER[c] for c in order]
        bar_values = [values[c] for c in order]
        ax.barh(positions, np.nan_to_num(bar_values), color=style.OREBRO_LIGHT, height=0.7,
                edgecolor="none", zorder=2)
        ref_positions = np.arange(len(refs))[::-1].astype(float)
        for pos, code in zip(ref_positions, refs, strict=True):
            ax.barh([pos], [references[code]], color=style.region_colour(code), height=0.7,
                    edgecolor="none", zorder=2)
        top = max([v for v in bar_values if not np.isnan(v)] + list(references.values()))
        # Values in a column right of the plot, where the reference line cannot cross them.
        value_column = ax.get_yaxis_transform()
        values_shown = [*bar_values, *(references[c] for c in refs)]
        for pos, value in zip([*positions, *ref_positions], values_shown, strict=True):
            if np.isnan(value):
                ax.text(0, pos, " uppgift saknas", va="center", ha="left", fontsize="small",
                        color=style.SOURCE_COLOUR, style="italic")
            else:
                ax.text(1.01, pos, format_number(value, decimals), va="center", ha="left",
                        fontsize="small", transform=value_column)
        ax.set_yticks([*positions, *ref_positions], [*names, *(region_name(c) for c in refs)])
        for label in ax.get_yticklabels()[len(names):]:
            label.set_fontweight("bold")
        handles = []
        if RIKET in references:  # one reference line only: nothing for it to hide behind
            label = f"Riket {format_number(references[RIKET], decimals)}"
            handles.append(ax.axvline(references[RIKET], color=style.region_colour(RIKET),
                                      linestyle="--", linewidth=1.4, label=label, zorder=3))
        ax.set_xlim(0, top * 1.04)
        ax.grid(axis="y", visible=False)
        style.format_value_axis(ax, unit, axis="x", max_abs=top)
        ax.set_ylabel("Kommun")
        if handles:
            panel.legend(handles=handles, loc="outside lower center", ncols=style.legend_columns(
                chosen, len(handles), [h.get_label() for h in handles]))
        used_source = _finish(figure, indicator, source)

    alt = _kommun_alt(values, references, current, year, unit, decimals, indicator.title)
    title = f"{typography.join_phrase(indicator.title, 'per kommun')}, {year}"
    shown = rows[(rows["year"] == year) & rows["region_code"].isin([*OREBRO_KOMMUNER, OREBRO_LAN, RIKET])]
    return Chart(figure, alt, used_source, title, f"{indicator.id}-kommuner-{year}", chosen,
                 data=shown_rows(shown))


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
        parts.append(f"Under kommunerna visas {narrative.join_names(refs)}; en streckad linje "
                     "markerar riket.")
    if RIKET in references:
        parts.append(narrative.count_sentence(named, references[RIKET], "riket", decimals=decimals))
    missing = [OREBRO_KOMMUNER[c] for c, v in values.items() if np.isnan(v)]
    if missing:
        reasons = sorted({STATUS_WORDS.get(str(current.at[c, "status"]), "uppgift saknas")
                          if c in current.index else NOT_IN_EXTRACT
                          for c in values if np.isnan(values[c])})
        parts.append(f"Värde saknas för {narrative.join_names(missing)} ({', '.join(reasons)}).")
    return " ".join(parts)

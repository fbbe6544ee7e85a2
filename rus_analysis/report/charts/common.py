"""What every chart kind shares: the Chart type, frame checks, names, units, sources and targets."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from rus_analysis.report import narrative, style
from rus_analysis.config.catalogue import Indicator
from rus_analysis.report.display import MissingData
from rus_analysis.report.formatting import format_number
from rus_analysis.config.geography import OREBRO_LAN, REGION_NAMES, RIKET
from rus_analysis.ingest.schema import COLUMNS

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
                         "rus_analysis.snapshot.store.read_series.")
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


def _region_change(rows: pd.DataFrame, code: str, name: str, span: list[int], unit: str,
                   decimals: int, genus: narrative.Genus = "utrum") -> str | None:
    """One region's (or group's) change over the years it has values, for an alt text."""
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


def _finish(figure: Figure, indicator: Indicator, source: str | None) -> str:
    text = source or source_text(indicator)
    style.add_source(figure, text)
    return text


def _year_span(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])


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


"""What a chart and its table share, so the two always show the same data the same way.

The regions shown by default, the breakdowns (kön, födelseregion, vistelsetid) and the rows that
belong to each, region names, the unit, the source line, the words for a missing value's status.
"""

from __future__ import annotations

import re

import pandas as pd

from rus_analysis.config.catalogue import Indicator
from rus_analysis.config.geography import DEFAULT_PEERS, DEFAULT_REGION, REGION_NAMES, RIKET
from rus_analysis.ingest.schema import COLUMNS, KEY

DEFAULT_REGIONS = (DEFAULT_REGION, RIKET, *DEFAULT_PEERS)
BREAKDOWNS = {
    "kon": ("efter kön", ["K", "M"]),
    "fodelseregion": ("efter födelseregion", ["inrikes födda", "utrikes födda"]),
    "vistelsetid": ("efter vistelsetid i Sverige",
                    ["vistelsetid 0–1 år", "vistelsetid 2–3 år", "vistelsetid 4–9 år", "vistelsetid 10– år"]),
}
# Why a value the source lists is empty: the source did not publish it. (A year the source file does
# not hold at all is "finns inte i underlaget", see tables.NO_ROW.)
STATUS_WORDS = {"sekretess": "sekretess", "saknas": "inte publicerad av källan"}
# A year or region the source file does not hold at all: the statistics may well be published, the
# extract the report is built from just lacks them.
NOT_IN_EXTRACT = "finns inte i underlaget"


def shown_rows(*frames: pd.DataFrame) -> pd.DataFrame:
    """The tidy rows a chart or table shows (columns of ``ingest.schema.COLUMNS``, in key
    order): what its "Ladda ner data (CSV)" file holds (:mod:`rus_analysis.report.datafiles`)."""
    rows = pd.concat([f[COLUMNS] for f in frames], ignore_index=True)
    return rows.sort_values(KEY, kind="mergesort").reset_index(drop=True)


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


def region_name(code: str, frame: pd.DataFrame | None = None, in_sentence: bool = False) -> str:
    """A region's name: from config.geography, else the frame's ``region_name`` column, else the code.

    ``in_sentence`` gives "riket" in lower case, as inside a sentence.
    """
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


def year_span(years: list[int]) -> str:
    """``2015–2024``, or one year alone; ``years`` sorted ascending and not empty."""
    return f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])

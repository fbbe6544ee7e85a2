"""Coverage of the snapshot: which years each indicator has at each geography level, and what is missing.

The table tells an analyst, before a report is built, where the report will have to say
"Data saknas" and what to fetch to avoid it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rus_analysis.config.catalogue import Catalogue
from rus_analysis.config.geography import DEFAULT_PEERS, LAN, OREBRO_KOMMUNER, OREBRO_LAN, REGION_NAMES, RIKET
from rus_analysis.snapshot.store import read_series

MISSING = "saknas"
MAX_GAP_RUNS = 3

LEVEL_NAMES = ("riket", "Örebro län", "jämförbara län", "övriga län", "kommuner")


def levels(peers: tuple[str, ...] = DEFAULT_PEERS) -> dict[str, tuple[str, ...]]:
    """The region codes of each geography level; ``peers`` are the jämförbara län."""
    return dict(zip(LEVEL_NAMES, (
        (RIKET,),
        (OREBRO_LAN,),
        tuple(peers),
        tuple(c for c in LAN if c != OREBRO_LAN and c not in peers),
        tuple(OREBRO_KOMMUNER),
    ), strict=True))


def _ranges(years: list[int]) -> str:
    """``[2009, 2011, 2012, 2013]`` → ``2009, 2011–2013``."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def _years_text(years: list[int]) -> str:
    """``2010–2024``, with the gaps named: ``2009–2012 (saknas 2010–2011)``.

    A series published only every fifth year would have long gap lists, so when the gaps
    outnumber the runs of data the years with data are listed instead.
    """
    first, last = years[0], years[-1]
    text = str(first) if first == last else f"{first}–{last}"
    gaps = sorted(set(range(first, last + 1)) - set(years))
    if not gaps:
        return text
    if len(_ranges(gaps).split(", ")) > MAX_GAP_RUNS:
        return f"{text} (år med data: {_ranges(years)})"
    return f"{text} (saknas {_ranges(gaps)})"


def _level_text(rows: pd.DataFrame, codes: tuple[str, ...]) -> str:
    present = rows[rows["region_code"].isin(codes)]
    if present.empty:
        return MISSING
    text = _years_text(sorted(present["year"].astype(int).unique()))
    if len(codes) > 1:
        absent = [c for c in codes if c not in set(present["region_code"])]
        if absent and len(absent) <= 3:
            text += f"; saknas för {', '.join(REGION_NAMES[c] for c in absent)}"
        elif absent:
            text += f"; {len(codes) - len(absent)} av {len(codes)} har data"
    return text


UNREADABLE = "kan inte läsas"


def coverage_table(data_dir: Path, catalogue: Catalogue,
                   peers: tuple[str, ...] = DEFAULT_PEERS, unreadable: set[str] | frozenset = frozenset()
                   ) -> pd.DataFrame:
    """One row per catalogue indicator, one column per geography level.

    A cell gives the first–last year with a value (missing years in between named) and the
    regions without any value; ``saknas`` when the level has no value at all. Rows whose
    value is missing (sekretess/saknas) do not count as coverage. Series in ``unreadable``
    (those ``validation.snapshot_problems`` found broken) are not read: their row says so.
    """
    level_codes = levels(tuple(peers))
    records = []
    for indicator in catalogue.indicators:
        if indicator.id in unreadable:
            records.append({"indikator": indicator.id, "titel": indicator.title,
                            **{level: UNREADABLE for level in level_codes},
                            "kommentar": "Filen klarar inte kontrollen (se nedan)"})
            continue
        frame = read_series(data_dir, indicator.id)
        with_value = frame[frame["value"].notna()]
        record = {"indikator": indicator.id, "titel": indicator.title}
        for level, codes in level_codes.items():
            record[level] = _level_text(with_value, codes)
        if with_value.empty:
            record["kommentar"] = "Data saknas helt" + (f". {indicator.missing_note}" if indicator.missing_note else "")
        else:
            record["kommentar"] = ""
        records.append(record)
    return pd.DataFrame(records, columns=["indikator", "titel", *LEVEL_NAMES, "kommentar"])

"""From a source's cells (one column per dimension, plus value and symbol) to snapshot rows.

Shared by the SCB API (JSON-stat2 and v1), manually downloaded SCB files and Kolada, so every
path maps regions, sex and groups the same way, and refuses what it cannot map.
"""

from __future__ import annotations

import pandas as pd

from rus_analysis.config.catalogue import Indicator, Query
from rus_analysis.config.geography import (
    DEFAULT_PEERS,
    LAN,
    OREBRO_KOMMUNER,
    OREBRO_LAN,
    REGION_NAMES,
    RIKET,
    from_scb_code,
)
from rus_analysis.ingest.api.http import SourceError
from rus_analysis.ingest.schema import COLUMNS, DTYPES, empty_frame

REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "riket": (RIKET,),
    "lan": tuple(LAN),
    "orebro_lan": (OREBRO_LAN,),
    "jamforbara_lan": DEFAULT_PEERS,
    "orebro_kommuner": tuple(OREBRO_KOMMUNER),
}
# SCB's Kon codes and texts, and Kolada's gender codes.
DEFAULT_SEX = {
    "1": "M", "2": "K", "1+2": "T", "T": "T", "K": "K", "M": "M",
    "män": "M", "kvinnor": "K", "totalt": "T", "män och kvinnor": "T", "kvinnor och män": "T", "samtliga": "T",
}
_NAMES = {name.casefold(): code for code, name in REGION_NAMES.items()}
_NAMES.update({"sverige": RIKET, "hela riket": RIKET, "riket": RIKET})
VALUE, SYMBOL = "value", "symbol"


def resolve_regions(names: list[str]) -> list[str]:
    """Expand aliases (``riket``, ``lan``, ``orebro_lan``, ``jamforbara_lan``, ``orebro_kommuner``)."""
    codes: list[str] = []
    for name in names:
        if name in REGION_ALIASES:
            codes.extend(REGION_ALIASES[name])
        elif name in REGION_NAMES:
            codes.append(name)
        else:
            raise SourceError(f"okänd region {name!r} i frågan; använd {', '.join(REGION_ALIASES)} "
                              "eller en regionkod som 0018")
    return list(dict.fromkeys(codes))


def lookup(mapping: dict[str, str], raw: str) -> str | None:
    """Find ``raw`` in ``mapping`` as is, ignoring case, or by either half of "code text"."""
    raw = str(raw).strip()
    folded = {k.casefold(): v for k, v in mapping.items()}
    candidates = [raw]
    if " " in raw:
        head, tail = raw.split(" ", 1)
        candidates += [head, tail.strip()]
    for candidate in candidates:
        if candidate in mapping:
            return mapping[candidate]
        if candidate.casefold() in folded:
            return folded[candidate.casefold()]
    return None


def region_code(raw: str) -> str | None:
    """Our code for an SCB/Kolada code, a "code name" label or a name; None if unknown."""
    raw = str(raw).strip()
    head = raw.split(" ", 1)[0]
    if head.isdigit():
        code = head if len(head) == 4 else from_scb_code(head)
        return code if code in REGION_NAMES else None
    return _NAMES.get(raw.casefold())


def _year(raw: str) -> int | None:
    text = str(raw).strip()
    return int(text) if len(text) == 4 and text.isdigit() else None


def to_snapshot(cells: pd.DataFrame, query: Query, indicator: Indicator,
                allowed_regions: set[str] | None = None) -> pd.DataFrame:
    """Map a source's cells to snapshot rows; raise SourceError naming what cannot be mapped."""
    dimensions = [c for c in cells.columns if c not in (VALUE, SYMBOL)]
    shown = ", ".join(dimensions)
    for needed, role in ((query.region_dimension, "region"), (query.time_dimension, "tid")):
        if needed not in dimensions:
            raise SourceError(f"dimensionen {needed!r} ({role}) saknas i svaret (det har: {shown}); "
                              "har tabellen ändrats? Rätta frågan i params/indikatorer.yml")
    sex_dimension = query.sex_dimension or ("Kon" if "Kon" in dimensions else None)
    group_dimension = query.group_dimension
    for needed in (sex_dimension, group_dimension):
        if needed and needed not in dimensions:
            raise SourceError(f"dimensionen {needed!r} saknas i svaret (det har: {shown})")
    mapped = {query.region_dimension, query.time_dimension, sex_dimension, group_dimension}
    for dimension in dimensions:
        values = cells[dimension].unique()
        if dimension not in mapped and len(values) > 1:
            raise SourceError(f"dimensionen {dimension!r} har flera värden ({', '.join(map(str, values[:6]))}); "
                              "välj ett värde i frågans selection eller ange den som group_dimension")
    if cells.empty:
        return empty_frame()

    regions = cells[query.region_dimension].map(region_code)
    unknown = sorted(set(cells.loc[regions.isna(), query.region_dimension].astype(str)))
    if allowed_regions is not None:
        unknown += sorted(set(cells.loc[regions.notna() & ~regions.isin(allowed_regions),
                                        query.region_dimension].astype(str)))
    if unknown:
        raise SourceError(f"okänd eller oväntad regionkod i svaret: {', '.join(unknown[:10])} "
                          "(projektet känner riket, 21 län och Örebro läns 12 kommuner)")
    years = cells[query.time_dimension].map(_year)
    if years.isna().any():
        bad = sorted(set(cells.loc[years.isna(), query.time_dimension].astype(str)))
        raise SourceError(f"tidsperioden {', '.join(bad[:5])} är inte ett år; indikatorerna är årsvärden")
    sex = _mapped(cells, sex_dimension, {**DEFAULT_SEX, **query.sex}, "kön", "sex") if sex_dimension else "T"
    group = _mapped(cells, group_dimension, query.groups, "grupp", "groups") if group_dimension else query.group
    values = pd.to_numeric(cells[VALUE], errors="coerce")
    symbols = cells[SYMBOL].fillna("").astype(str) if SYMBOL in cells else pd.Series("", index=cells.index)
    status = values.isna().map({True: "saknas", False: ""})
    status[values.isna() & symbols.str.contains("sekretess", case=False)] = "sekretess"
    frame = pd.DataFrame({
        "indicator": indicator.id,
        "region_code": regions,
        "region_name": regions.map(REGION_NAMES),
        "year": years.astype(int),
        "sex": sex,
        "group": group,
        "value": values,
        "unit": indicator.unit,
        "status": status,
    }, index=cells.index)
    return frame[COLUMNS].astype(DTYPES).reset_index(drop=True)


def _mapped(cells: pd.DataFrame, dimension: str, mapping: dict[str, str], word: str, field: str) -> pd.Series:
    result = cells[dimension].map(lambda raw: lookup(mapping, raw))
    if result.isna().any():
        bad = sorted(set(cells.loc[result.isna(), dimension].astype(str)))
        raise SourceError(f"värdet {', '.join(map(repr, bad[:6]))} i dimensionen {dimension!r} ({word}) saknas i "
                          f"frågans mappning '{field}' i params/indikatorer.yml")
    return result

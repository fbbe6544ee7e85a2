"""Eurostat regional accounts and population for the Swedish län (NUTS 3).

Source folder: ``eurostat-nuts3-sweden``. Not published as series of its own: BRP (million SEK,
current prices) and population are denominators for computed series. Eurostat's population is on
1 January, which is SCB's 31 December of the year before; ``year`` here is that 31 December year.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rus_analysis.config.geography import LAN, RIKET
from rus_analysis.ingest.files.common import Origin, check, check_regions, parse_number, require_columns, require_file

FOLDER = "eurostat-nuts3-sweden"
GDP_FILE = f"{FOLDER}/eurostat_nama_10r_3gdp_SE_extract.csv"
POPULATION_FILE = f"{FOLDER}/eurostat_demo_r_pjanaggr3_SE_extract.csv"
NUTS3 = {
    "SE": RIKET, "SE110": "0001", "SE121": "0003", "SE122": "0004", "SE123": "0005", "SE124": "0018",
    "SE125": "0019", "SE211": "0006", "SE212": "0007", "SE213": "0008", "SE214": "0009", "SE221": "0010",
    "SE224": "0012", "SE231": "0013", "SE232": "0014", "SE311": "0017", "SE312": "0020", "SE313": "0021",
    "SE321": "0022", "SE322": "0023", "SE331": "0024", "SE332": "0025",
}
GDP_ORIGIN = Origin("Rrbracci/MSB104_assignment1", "nama_10r_3gdp.tsv", "04123145cc69daba3b8c166fd02108a629ca4371")
POPULATION_ORIGIN = Origin("Rrbracci/MSB104_assignment1", "demo_r_pjanaggr3.tsv",
                           "1bcf89c94950ed7f06c6781c9c082185d1d153f8")
RETRIEVED = "2023-10-03 (Eurostats bulkfiler, nedladdade i oktober 2023)"
LICENCE = "Eurostats policy för vidareutnyttjande (fri användning med källangivelse)"


def _read(sources_dir: Path, relative: str, keys: list[str]) -> pd.DataFrame:
    path = require_file(sources_dir, relative)
    data = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(data, [*keys, "geo", "year", "value_with_flag", "value", "flag"], path)
    data = data[data["geo"].isin(NUTS3)].copy()
    data["region_code"] = data["geo"].map(NUTS3)
    data["year"] = data["year"].astype(int)
    data["value"] = data["value"].map(parse_number)
    # ':' means "not available" in Eurostat; it must never turn into a number.
    check((data["value"].isna() == data["value_with_flag"].str.startswith(":")).all(),
          f"{path.name}: kolumnen value stämmer inte med value_with_flag (':' = saknas).")
    return data


def gdp_msek(sources_dir: Path) -> pd.DataFrame:
    """BRP, million SEK at current prices (unit MIO_NAC), riket and the 21 län, 2000–2020(–2021)."""
    data = _read(sources_dir, GDP_FILE, ["unit"])
    gdp = data[(data["unit"] == "MIO_NAC") & data["value"].notna()]
    check_regions(gdp, {RIKET, *LAN}, f"{GDP_FILE} (MIO_NAC)")
    return gdp[["region_code", "year", "value"]].reset_index(drop=True)


def population(sources_dir: Path, age: str) -> pd.DataFrame:
    """Population by Eurostat age group (``TOTAL`` or ``Y15-64``), both sexes, at 31 December of ``year``."""
    data = _read(sources_dir, POPULATION_FILE, ["unit", "sex", "age"])
    check(age in set(data["age"]), f"{POPULATION_FILE}: åldersgruppen {age} saknas.")
    rows = data[(data["sex"] == "T") & (data["age"] == age) & data["value"].notna()].copy()
    rows["year"] = rows["year"] - 1  # 1 January t+1 is 31 December t
    check_regions(rows, {RIKET, *LAN}, f"{POPULATION_FILE} ({age})")
    return rows[["region_code", "year", "value"]].reset_index(drop=True)

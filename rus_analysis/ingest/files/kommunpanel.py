"""Population of Örebro län's kommuner every fourth year, from a teaching panel of SCB data.

Source folder: ``mattiasnordin-municip-panel``. Not a series of its own; a denominator. The
panel's ``pop`` for year t is the population on 31 December t−1, so ``year`` here is t−1. The
panel's education share (16–74 år) is not the RUS measure and is not used.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rus_analysis.config.geography import OREBRO_KOMMUNER
from rus_analysis.ingest.files.common import Origin, check, check_regions, parse_number, require_columns, require_file

FOLDER = "mattiasnordin-municip-panel"
DATA_FILE = f"{FOLDER}/municip_data.csv"
ORIGIN = Origin("mattiasnordin/Regression", "data/raw/municip_data.csv", "3186826d2c03de540aef24596d92a90a6aa34775")


def population(sources_dir: Path) -> pd.DataFrame:
    """Population on 31 December (2001, 2005, …, 2021) for Örebro län's 12 kommuner."""
    path = require_file(sources_dir, DATA_FILE)
    data = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(data, ["municip_code", "municip_name", "county_code", "year", "pop"], path)
    data["region_code"] = data["municip_code"].str.strip().str.zfill(4)
    data = data[data["region_code"].isin(OREBRO_KOMMUNER)].copy()
    check_regions(data, set(OREBRO_KOMMUNER), path.name)
    check((data["county_code"].str.strip() == "18").all(), f"{path.name}: Örebro läns kommuner har fel länskod.")
    data["year"] = data["year"].astype(int) - 1  # pop for year t is 31 December t-1
    data["value"] = data["pop"].map(parse_number)
    return data[["region_code", "year", "value"]].reset_index(drop=True)

"""BRP per invånare (SCB NR0105, TAB3138), riket and the 21 län, 2000–2024, current prices.

Source folder: ``scb-brp-per-invanare-lan-region-halland``. One vintage (a 2025/2026 extraction), whole
tkr as published; 2023 and 2024 are SCB's preliminary figures at the time.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rus_analysis.config.geography import LAN, RIKET
from rus_analysis.ingest.files.common import (
    Origin,
    Provenance,
    SeriesResult,
    check,
    check_regions,
    parse_number,
    require_columns,
    require_file,
    tidy,
)

FOLDER = "scb-brp-per-invanare-lan-region-halland"
DATA_FILE = f"{FOLDER}/scb_nr0105_brp_per_invanare_tkr_riket_21lan_2000-2024.csv"
UNIT = "tusen kronor per invånare (löpande priser)"
ORIGIN = Origin("Analys-Region-Halland/samhallsbyggnad_utkast", "socioekonomi/data/01-kommun-regionalrakenskaper.json",
                "6a8cc39c9875661925795a107f7bed92cf3b7fcb")
AGENCY = "SCB (Regionalräkenskaper)"
TABLE = "SCB NR0105 TAB3138, BRP per invånare (löpande priser)"
RELEASE = "Regionalräkenskaperna 2000–2024 enligt uttag 2025/2026 (2023–2024 preliminära)"
RETRIEVED = "2026-11-30 (Region Hallands uttag, commit 6a8cc39c98; transkriberat och kontrollerat mot indexet)"
LICENCE = "SCB:s öppna data (CC BY 4.0); Region Hallands repo anger ingen licens"


def load(sources_dir: Path) -> pd.DataFrame:
    """Rows ``region_code, year, value`` (tkr per inhabitant, current prices)."""
    path = require_file(sources_dir, DATA_FILE)
    data = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(data, ["matt", "region_kod", "ar", "varde", "enhet"], path)
    check(set(data["matt"]) == {"brp_per_inv"}, f"{path.name}: väntade bara måttet brp_per_inv.")
    check(set(data["enhet"]) == {"tkr (löpande priser)"}, f"{path.name}: väntade enheten tkr (löpande priser).")
    frame = pd.DataFrame({"region_code": data["region_kod"], "year": data["ar"].astype(int),
                          "value": data["varde"].map(parse_number)})
    check(frame["value"].notna().all(), f"{path.name}: tomma värden, vilket källan inte har.")
    check_regions(frame, {RIKET, *LAN}, path.name)
    return frame


def build(sources_dir: Path) -> list[SeriesResult]:
    """BRP per invånare (SCB NR0105, current prices, tkr) for riket and the 21 län.

    A list of ``SeriesResult``: a tidy frame with the columns and dtypes of ``ingest.schema`` (value
    in the catalogue's unit; a missing value is NaN with a status, never 0) and its provenance.
    Raises SourceFormatError (an IngestError; Swedish, naming the file) when a file is missing or
    has changed shape.
    """
    return [SeriesResult(
        tidy("brp_per_invanare", load(sources_dir), UNIT),
        Provenance(
            indicator="brp_per_invanare", title="BRP per invånare", agency=AGENCY, table=TABLE, release=RELEASE,
            retrieved=RETRIEVED, licence=LICENCE, origins=[ORIGIN], inputs=[sources_dir / DATA_FILE],
            transformations=["Riket och alla 21 län, varje år 2000–2024; hela tusental kronor som i källan.",
                             "Inga värden räknade, avrundade eller ifyllda."],
            notes=["Löpande priser: ökningen över tid innehåller prisökning. Fasta priser (volym) finns inte i "
                   "underlaget.",
                   "Produktionen räknas där arbetsstället ligger.",
                   "En och samma årgång (uttag 2025/2026); 2023 och 2024 är preliminära."],
        ),
    )]

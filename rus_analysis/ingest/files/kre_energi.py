"""Final energy use per län (SCB KRE, EN0203), from Region Halland's report data.

Source folder: ``scb-kre-slutanvandning-region-halland``. SCB suppresses many län-years for
confidentiality; those rows are kept with an empty value and status ``sekretess``, never as zero
and never filled from other years.
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

FOLDER = "scb-kre-slutanvandning-region-halland"
DATA_FILE = f"{FOLDER}/scb_kre_slutlig_energianvandning_gwh_riket_21lan_2009-2024.csv"
COLUMNS = ["regionkod", "region", "region_typ", "lankod", "ar", "energibarare", "gwh", "folkmangd",
           "mwh_per_invanare", "flagga"]
ORIGIN = Origin("Analys-Region-Halland/samhallsbyggnad_utkast", "energi/data/e-energi-per-invanare.json",
                "6a8cc39c9875661925795a107f7bed92cf3b7fcb")
AGENCY = "SCB (Kommunal och regional energistatistik, KRE)"
TABLE = "SCB EN0203, slutanvändning per region och energibärare (Total energi)"
RELEASE = "KRE 2009–2024 enligt Region Hallands uttag (senaste år 2024)"
RETRIEVED = "Okänt exakt datum; Region Hallands uttag i commit 6a8cc39c98 (data till och med 2024)"
LICENCE = "SCB:s öppna data (CC BY 4.0); Region Hallands repo anger ingen licens"


def load(sources_dir: Path) -> pd.DataFrame:
    """Rows as in the file, with numeric ``gwh`` and ``folkmangd`` and our region codes."""
    path = require_file(sources_dir, DATA_FILE)
    data = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(data, COLUMNS, path)
    check(set(data["flagga"]) <= {"ok", "sekretess"},
          f"{path.name}: okända flaggor {sorted(set(data['flagga']) - {'ok', 'sekretess'})}.")
    check(set(data["energibarare"]) == {"El", "Total energi"},
          f"{path.name}: väntade energibärarna El och Total energi, fick {sorted(set(data['energibarare']))}.")
    data["region_code"] = data["regionkod"].str.strip()
    data["year"] = data["ar"].astype(int)
    data["gwh"] = data["gwh"].map(parse_number)
    data["folkmangd"] = data["folkmangd"].map(parse_number)
    confidential = data["flagga"] == "sekretess"
    check(data.loc[confidential, "gwh"].isna().all() and data.loc[~confidential, "gwh"].notna().all(),
          f"{path.name}: flaggan sekretess och tomma värden stämmer inte överens.")
    check_regions(data, {RIKET, *LAN}, path.name)
    return data


def total_energy(data: pd.DataFrame) -> pd.DataFrame:
    """Total final energy use per region and year from ``load``'s rows.

    Columns: region_code (str), year (int), value (float, GWh), status (``""`` or ``sekretess``).
    """
    total = data[data["energibarare"] == "Total energi"]
    return pd.DataFrame({
        "region_code": total["region_code"], "year": total["year"], "value": total["gwh"],
        "status": total["flagga"].map({"ok": "", "sekretess": "sekretess"}),
    })


def population(data: pd.DataFrame) -> pd.DataFrame:
    """Population 31 December, as Region Halland joined it from SCB BE0101 (same in El and Total rows)."""
    rows = data[["region_code", "year", "folkmangd"]].drop_duplicates()
    check(not rows.duplicated(["region_code", "year"]).any(),
          f"{DATA_FILE}: olika folkmängd i El- och Total-raden för samma region och år.")
    return rows.rename(columns={"folkmangd": "value"}).reset_index(drop=True)


def provenance(sources_dir: Path, indicator: str, title: str, transformations: list[str]) -> Provenance:
    """The provenance of one series from SCB KRE (agency, table, release, inputs and the given steps)."""
    return Provenance(
        indicator=indicator, title=title, agency=AGENCY, table=TABLE, release=RELEASE, retrieved=RETRIEVED,
        licence=LICENCE, origins=[ORIGIN], inputs=[sources_dir / DATA_FILE],
        transformations=[
            "Region Hallands JSON-fil skrevs av till CSV (riket och län; kommuner kopierades inte).",
            "Energibäraren Total energi (alla användarkategorier) används.",
            "Celler som SCB sekretessmarkerat behålls som rader med tomt värde och status sekretess.",
            *transformations,
        ],
        notes=["Luckorna beror på SCB:s sekretess och finns även i SCB:s egen tabell; de fylls aldrig i."],
    )


def build(sources_dir: Path) -> list[SeriesResult]:
    """Final energy use (GWh) per län and riket, SCB KRE.

    A list of ``SeriesResult``: a tidy frame with the columns and dtypes of ``ingest.schema`` (value
    in the catalogue's unit; a missing value is NaN with a status, never 0) and its provenance.
    Raises SourceFormatError (an IngestError; Swedish, naming the file) when a file is missing or
    has changed shape.
    """
    data = load(sources_dir)
    return [SeriesResult(
        tidy("energianvandning_total", total_energy(data), "GWh"),
        provenance(sources_dir, "energianvandning_total", "Slutlig energianvändning", []),
    )]

"""Kolada values for riket (0000), from a Västra Götaland "kommunblad" site's rKolada downloads.

Source folder: ``kolada-riket-vastragotaland-kommunblad``. Riket only: a comparison line until
Örebro's values are fetched from Kolada. Trap: N02797 has 0 for 2007 (K and M), which means "no
data", so 2007 is kept as a missing row, not as zero.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rus_analysis.config.geography import RIKET
from rus_analysis.ingest.files.common import (
    Origin,
    Provenance,
    SeriesResult,
    check,
    kolada_zero_means_missing,
    parse_number,
    require_columns,
    require_file,
    tidy,
)

FOLDER = "kolada-riket-vastragotaland-kommunblad"
DATA_FILE = f"{FOLDER}/kolada_riket_N02904_N15424_N17464_N02797_extract.csv"
COLUMNS = ["source_file", "kpi", "municipality_id", "year", "count", "gender", "value"]
REPOSITORY = "goeranh/fs_website2"
COMMIT = "9d3f3e574e042b1150c40d1c66b3c6a088b5a1e9"
RETRIEVED = "Troligen maj 2021 (rKolada-uttag i goeranh/fs_website2, HEAD 2021-05-21)"
LICENCE = "Kolada är öppna data (RKA); repot har ingen licensfil"


def origin(file_name: str) -> Origin:
    """Where a downloaded rKolada file was found publicly (repository, path, commit)."""
    return Origin(REPOSITORY, f"data/kommunblad/{file_name}", COMMIT)


def load(sources_dir: Path) -> pd.DataFrame:
    """Every KPI's riket rows from the downloaded Kolada file.

    Columns: kpi (str), region_code (str, always ``0000``), year (int), sex (``T``/``K``/``M``), value
    (float; NaN when missing). Raises SourceFormatError when the file holds other regions or sexes.
    """
    path = require_file(sources_dir, DATA_FILE)
    data = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(data, COLUMNS, path)
    check(set(data["municipality_id"]) == {RIKET}, f"{path.name}: väntade bara riket (0000).")
    check(set(data["gender"]) <= {"T", "K", "M"}, f"{path.name}: okända värden i gender.")
    return pd.DataFrame({"kpi": data["kpi"], "region_code": data["municipality_id"],
                         "year": data["year"].astype(int), "sex": data["gender"],
                         "value": data["value"].map(parse_number)})


def kpi_rows(data: pd.DataFrame, kpi: str) -> pd.DataFrame:
    """One KPI's rows from ``load`` without the kpi column, plus a status column: Kolada's 0 in a
    year known to have no data becomes ``saknas`` (the value is kept as read; the tidy step clears it).
    Raises SourceFormatError when the KPI is not in the file.
    """
    rows = data[data["kpi"] == kpi].copy()
    check(not rows.empty, f"{DATA_FILE}: nyckeltalet {kpi} saknas.")
    rows["status"] = ""
    no_data = pd.Series([kolada_zero_means_missing(kpi, y, v, r)
                         for y, v, r in zip(rows["year"], rows["value"], rows["region_code"], strict=True)],
                        index=rows.index, dtype=bool)
    rows.loc[no_data, "status"] = "saknas"
    return rows.drop(columns="kpi")


SERIES = [
    ("unga_uvas", "N02797", "Invånare 16–24 år som varken arbetar eller studerar", "df_kpi_9_uvas.csv",
     ["Kolada lagrar 2007 som 0 för kvinnor och män, vilket betyder att uppgift saknas: raderna behålls "
      "med tomt värde och status saknas."],
     ["2017 totalt (6,778) stämmer med MUCF:s publicerade 6,78 procent för riket."]),
]
# KPIs that are a school-location (lägeskommun) variant: their riket rows join the Skolverket
# series by school municipality, built in dalastrategin and skolverket_behorighet.
SCHOOL_LOCATION_FILES = {"N17464": "df_kpi_8_gymexam.csv", "N15424": "df_kpi_7_gymbehorighet.csv"}


def riket_part(sources_dir: Path, kpi: str) -> tuple[pd.DataFrame, Origin, Path]:
    """Riket's rows of a lägeskommun KPI (columns region_code, year, sex, value, status), where
    they came from, and the input file: for a series that adds them to kommun rows."""
    return kpi_rows(load(sources_dir), kpi), origin(SCHOOL_LOCATION_FILES[kpi]), sources_dir / DATA_FILE


def riket_transformation(kpi: str) -> str:
    """The transformation note for riket's rows of a lägeskommun KPI, for a series' provenance."""
    return (f"Riket (0000) från Kolada {kpi} (lägeskommun, Koladas värden vid ett uttag ca maj 2021 i "
            f"{REPOSITORY}), oavrundat, efter kön (T/K/M); Västra Götalands rader togs bort vid kopieringen.")


def build(sources_dir: Path) -> list[SeriesResult]:
    """The riket-only Kolada series (a comparison line until the API fetch replaces them).

    A list of ``SeriesResult``: a tidy frame with the columns and dtypes of ``ingest.schema`` (value
    in the catalogue's unit; a missing value is NaN with a status, never 0) and its provenance.
    Raises SourceFormatError (an IngestError; Swedish, naming the file) when a file is missing or
    has changed shape.
    """
    data = load(sources_dir)
    results = []
    for indicator, kpi, title, file_name, transformations, notes in SERIES:
        results.append(SeriesResult(
            tidy(indicator, kpi_rows(data, kpi), "procent"),
            Provenance(
                indicator=indicator, title=title, agency="RKA (Kolada)", table=f"Kolada {kpi}",
                release="Koladas värden vid uttaget (ca maj 2021)", retrieved=RETRIEVED, licence=LICENCE,
                origins=[origin(file_name)], inputs=[sources_dir / DATA_FILE],
                transformations=[
                    "Bara raderna för riket (0000) finns i källfilen; Västra Götalands rader togs bort "
                    "vid kopieringen.",
                    "Koladas oavrundade värden används; kön (T/K/M) läggs i kolumnen sex.",
                    *transformations,
                ],
                notes=["Örebro län och dess kommuner finns inte i filen och måste hämtas från Kolada.", *notes],
            ),
        ))
    return results

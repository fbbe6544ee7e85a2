"""Greenhouse-gas emissions from Nationella emissionsdatabasen (SMHI/Naturvårdsverket).

Source folder: ``smhi-emissionsdatabasen-klimatkollen``. Every release of the database revises
the whole series back to 1990, so every series here is built from ONE release: the newest, which
holds both the base year 2005 and the latest year. Its gaps (2016–2019) are left as gaps.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from rus_analysis.config.geography import LAN, OREBRO_KOMMUNER, RIKET
from rus_analysis.ingest.files.common import (
    Origin,
    Provenance,
    SeriesResult,
    check,
    check_regions,
    region_from_name,
    require_file,
    tidy,
)

FOLDER = "smhi-emissionsdatabasen-klimatkollen"
RELEASE_DIR = "raw_json_release2026"
RELEASE = ("Nationella emissionsdatabasen, publicering 2026 (data 1990, 2000, 2005, 2010, 2015 och "
           "2020–2024; 2024 publicerat första gången 2026)")
FILES = {
    "riket": "national-sector-emissions.json",
    "lan": "region-sector-emissions.json",
    "kommun": "municipality-sector-emissions.json",
}
SECTORS = [
    "Arbetsmaskiner",
    "Avfall (inkl.avlopp)",
    "Egen uppvärmning av bostäder och lokaler",
    "El och fjärrvärme",
    "Industri (energi + processer)",
    "Jordbruk",
    "Produktanvändning (inkl. lösningsmedel)",
    "Transporter",
    "Utrikes transporter",
]
DOMESTIC_SECTORS = [s for s in SECTORS if s != "Utrikes transporter"]
UNIT = "ton CO2-ekv"
ORIGINS = [Origin("Klimatbyran/territorial-data-pipeline", f"output/{name}",
                  "bf20c580380961c3b1b246681992e2d9d2b26f11") for name in FILES.values()]
AGENCY = "Naturvårdsverket och SMHI (Nationella emissionsdatabasen)"
TABLE = "Nationella emissionsdatabasen, växthusgaser totalt (GGT, CO2-ekvivalenter) per huvudsektor"
RETRIEVED = ("2026-06-25 (Klimatkollens commit av databasens uttag; exakt hämtdatum från SMHI:s API "
             "är inte dokumenterat)")
LICENCE = ("Officiell statistik, fritt tillgänglig från nationellaemissionsdatabasen.smhi.se; "
           "Klimatkollens pipeline-repo saknar licensfil")


def input_paths(sources_dir: Path) -> dict[str, Path]:
    """The release's files by geography level (``lan``, ``kommun`` …); raises SourceFormatError
    when one is missing, so a partial release is never mixed with another.
    """
    return {level: require_file(sources_dir, f"{FOLDER}/{RELEASE_DIR}/{name}") for level, name in FILES.items()}


def load_sectors(sources_dir: Path) -> pd.DataFrame:
    """All sector rows of the release for riket, the 21 län and Örebro län's kommuner."""
    rows = []
    for level, path in input_paths(sources_dir).items():
        records = json.loads(path.read_text(encoding="utf-8"))
        check(isinstance(records, list) and all({"name", "sectors"} <= set(r) for r in records),
              f"{path.name}: väntade en lista med poster {{name, sectors}} (formatet kan ha ändrats).")
        for record in records:
            code = region_from_name(record["name"], path)
            if code is None:
                continue  # a kommun outside Örebro län
            check((code == RIKET) == (level == "riket"),
                  f"{path.name}: namnet {record['name']!r} hör inte hemma på nivån {level}.")
            for year, sectors in record["sectors"].items():
                check(sorted(sectors) == sorted(SECTORS),
                      f"{path.name}: {record['name']} {year} har sektorerna {sorted(sectors)}, "
                      f"väntade {SECTORS} (sektorindelningen kan ha ändrats).")
                for sector, value in sectors.items():
                    check(value is None or isinstance(value, (int, float)),
                          f"{path.name}: {record['name']} {year} {sector}: {value!r} är inte ett tal.")
                    rows.append({"region_code": code, "year": int(year), "group": sector, "value": value})
    frame = pd.DataFrame(rows)
    check_regions(frame, {RIKET, *LAN, *OREBRO_KOMMUNER}, f"{FOLDER}/{RELEASE_DIR}")
    check(not frame["value"].isna().any(), f"{FOLDER}/{RELEASE_DIR}: tomma sektorvärden, vilket källan inte brukar ha.")
    return frame


def sector_start_years(sectors: pd.DataFrame) -> dict[str, int]:
    """Per sector, the first year with a value other than 0 for riket: the year the database starts
    allocating the sector. Utrikes transporter is allocated to län and kommuner only from 2023."""
    riket = sectors[(sectors["region_code"] == RIKET) & (sectors["value"] != 0)]
    return riket.groupby("group")["year"].min().astype(int).to_dict()


def absent_before_start(sectors: pd.DataFrame) -> pd.DataFrame:
    """A 0 before a sector's first year is no measurement of zero but a sector the release does not
    hold yet: such cells become missing (status saknas). Zeros from the first year on are kept: they
    are published values (a kommun without any district-heating plant, say)."""
    starts = sector_start_years(sectors)
    frame = sectors.copy()
    before = frame["year"] < frame["group"].map(starts).fillna(frame["year"].min())
    check(frame.loc[before, "value"].eq(0).all(),
          "Emissionsdatabasen: en sektor har värden skilda från 0 före sitt första år för riket.")
    frame["status"] = ""
    frame.loc[before, "value"] = float("nan")
    frame.loc[before, "status"] = "saknas"
    return frame


def _provenance(sources_dir: Path, indicator: str, title: str, transformations: list[str]) -> Provenance:
    return Provenance(
        indicator=indicator, title=title, agency=AGENCY, table=TABLE, release=RELEASE,
        retrieved=RETRIEVED, licence=LICENCE, origins=ORIGINS,
        inputs=list(input_paths(sources_dir).values()),
        transformations=[
            f"Alla värden kommer från en och samma publicering ({RELEASE_DIR}); publiceringar blandas aldrig.",
            "Riket, alla 21 län och Örebro läns 12 kommuner behålls; övriga kommuner tas bort.",
            "Kommun- och länskoder kopplas på via namn (alla namn matchar SCB:s kodlista).",
            *transformations,
        ],
        notes=[
            "Publiceringen innehåller inte åren 2016–2019; de lämnas tomma och fylls inte från äldre publiceringar.",
            "Klimatkollen har avrundat sektorvärdena till två decimaler.",
        ],
    )


def build(sources_dir: Path) -> list[SeriesResult]:
    """Total and per-sector greenhouse-gas emissions (ton CO2-ekv), one release.

    A list of ``SeriesResult``: a tidy frame with the columns and dtypes of ``ingest.schema`` (value
    in the catalogue's unit; a missing value is NaN with a status, never 0) and its provenance.
    Raises SourceFormatError (an IngestError; Swedish, naming the file) when a file is missing or
    has changed shape.
    """
    sectors = load_sectors(sources_dir)
    # International transport is outside the territorial total (as in Sweden's climate targets);
    # in this release it also has values only for 2023–2024, so including it would create a break.
    domestic = sectors[sectors["group"].isin(DOMESTIC_SECTORS)]
    total = domestic.groupby(["region_code", "year"], as_index=False)["value"].sum()
    # Sum of values with two decimals: round away binary noise so reruns and platforms agree.
    total["value"] = total["value"].round(2)
    return [
        SeriesResult(
            tidy("vaxthusgaser_totalt", total, UNIT),
            _provenance(sources_dir, "vaxthusgaser_totalt", "Växthusgasutsläpp totalt", [
                "Totalen är summan av databasens åtta inhemska huvudsektorer (källan har ingen totalrad), "
                "avrundad till två decimaler.",
                "Huvudsektorn Utrikes transporter räknas inte in i totalen: den ligger utanför den territoriella "
                "totalen (som i de nationella klimatmålen) och har i den här publiceringen värden bara för "
                "2023–2024 (källan har 0 för tidigare år, där sektorn inte fördelades), så att ta med den skulle "
                "skapa ett seriebrott.",
            ]),
        ),
        SeriesResult(
            tidy("vaxthusgaser_sektor", absent_before_start(sectors), UNIT),
            _provenance(sources_dir, "vaxthusgaser_sektor", "Växthusgasutsläpp per sektor", [
                "Huvudsektorerna redovisas i kolumnen group med databasens egna namn; värdena är oförändrade.",
                "En sektor som databasen ännu inte fördelar (0 för riket) har inget värde: åren före sektorns "
                "första år med ett värde för riket blir tomma med status saknas, aldrig 0. Det gäller Utrikes "
                "transporter, som har värden först från 2023 (källan har 0 för 1990–2022); den ingår inte i "
                "serien vaxthusgaser_totalt.",
                "Nollor från och med sektorns första år behålls: de är publicerade värden.",
            ]),
        ),
    ]

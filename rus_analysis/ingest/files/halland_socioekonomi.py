"""SCB employment, education and income-standard measures, from Region Halland's report data.

Source folder: ``region-halland-socioekonomi``. Each measure (``matt``) becomes its own series.
Two traps: RAMS förvärvsfrekvens and BAS sysselsättningsgrad use different employment
definitions and stay separate series (never spliced); ``lag_ekstd_barn`` (SCB HE0110, under 60 %
of the median) is not Kolada N02904 and is never merged with it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rus_analysis.config.geography import DEFAULT_PEERS, LAN, OREBRO_KOMMUNER, OREBRO_LAN, RIKET
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

FOLDER = "region-halland-socioekonomi"
DATA_FILE = f"{FOLDER}/scb_syssgrad_utbildning_ekstandard_lan_riket_orebro_kommuner.csv"
DEFINITIONS_FILE = f"{FOLDER}/matt_definitioner.csv"
COLUMNS = ["matt", "region_kod", "region_namn", "region_typ", "ar", "varde", "enhet"]
COMMIT = "6a8cc39c9875661925795a107f7bed92cf3b7fcb"
REPOSITORY = "Analys-Region-Halland/samhallsbyggnad_utkast"
RETRIEVED = ("Okänt exakt datum; Region Hallands uttag ur SCB:s statistikdatabas i commit "
             f"{COMMIT[:10]} (senaste år 2024/2025)")
LICENCE = "SCB:s öppna data (CC BY 4.0); Region Hallands repo anger ingen licens"
TRANSCRIBED = ("Värdena skrevs av från Region Hallands JSON-filer till CSV och kontrollerades av en "
               "oberoende andra läsning (0 avvikelser).")
BAS_GROUPS = {"syssgrad_bas": "totalt", "syssgrad_bas_inrikes": "inrikes födda",
              "syssgrad_bas_utrikes": "utrikes födda"}
UNIT = "procent"


def load(sources_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The long data file and the measure catalogue, both as text."""
    path = require_file(sources_dir, DATA_FILE)
    data = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(data, COLUMNS, path)
    check(set(data["enhet"]) == {"procent"},
          f"{path.name}: väntade enheten 'procent' i alla rader, fick {set(data['enhet'])}.")
    data["region_code"] = data["region_kod"].str.strip()
    data["year"] = data["ar"].astype(int)
    data["value"] = data["varde"].map(parse_number)
    definitions_path = require_file(sources_dir, DEFINITIONS_FILE)
    definitions = pd.read_csv(definitions_path, dtype=str, keep_default_na=False)
    require_columns(definitions, ["matt", "rubrik", "kalla", "tabell", "kommentar"], definitions_path)
    return data, definitions.set_index("matt")


def _measure(data: pd.DataFrame, matt: str) -> pd.DataFrame:
    rows = data[data["matt"] == matt]
    check(not rows.empty, f"{DATA_FILE}: måttet {matt!r} saknas (har filen ändrats?).")
    return rows[["region_code", "year", "value"]]


def _provenance(sources_dir: Path, definitions: pd.DataFrame, indicator: str, title: str,
                matts: list[str], agency: str, release: str, transformations: list[str],
                source_files: list[str], notes: list[str] = ()) -> Provenance:
    tables = sorted({f"{definitions.loc[m, 'kalla']} ({definitions.loc[m, 'tabell']})" for m in matts})
    comments = [f"SCB:s kommentar ({m}): {definitions.loc[m, 'kommentar']}" for m in matts
                if definitions.loc[m, "kommentar"]]
    return Provenance(
        indicator=indicator, title=title, agency=agency, table=", ".join(tables), release=release,
        retrieved=RETRIEVED, licence=LICENCE,
        origins=[Origin(REPOSITORY, f"socioekonomi/data/{name}", COMMIT) for name in source_files],
        inputs=[sources_dir / DATA_FILE, sources_dir / DEFINITIONS_FILE],
        transformations=[TRANSCRIBED, f"Mått ur den gemensamma filen: {', '.join(matts)}; värdena är oförändrade.",
                         *transformations],
        notes=[*comments, *notes],
    )


def build(sources_dir: Path) -> list[SeriesResult]:
    """Every measure in Region Halland's socio-economic data (employment, education, income standard).

    A list of ``SeriesResult``: a tidy frame with the columns and dtypes of ``ingest.schema`` (value
    in the catalogue's unit; a missing value is NaN with a status, never 0) and its provenance.
    Raises SourceFormatError (an IngestError; Swedish, naming the file) when a file is missing or
    has changed shape.
    """
    data, definitions = load(sources_dir)
    lan_and_riket = {RIKET, *LAN}
    results = []

    bas = pd.concat([_measure(data, m).assign(group=g) for m, g in BAS_GROUPS.items()])
    check_regions(bas, lan_and_riket | set(OREBRO_KOMMUNER), "Sysselsättningsgrad (BAS)")
    results.append(SeriesResult(
        tidy("sysselsattningsgrad_bas", bas, UNIT),
        _provenance(sources_dir, definitions, "sysselsattningsgrad_bas", "Sysselsättningsgrad 20–64 år (BAS)",
                    list(BAS_GROUPS), "SCB (Befolkningens arbetsmarknadsstatus, BAS)",
                    "BAS årsregister 2020–2024 (kommuner endast 2024)",
                    ["Totalt, inrikes födda och utrikes födda läggs i kolumnen group.",
                     "Kommunerna finns bara för 2024 och bara för totalt och utrikes födda i källan."],
                    ["02-kommun-arbete-tid.json", "02-kommun-senaste.json"],
                    ["Seriebrott: BAS ersätter RAMS från 2020 och skarvas aldrig ihop med förvärvsfrekvens (RAMS)."]),
    ))

    rams = _measure(data, "forvfrekv_rams")
    check_regions(rams, lan_and_riket, "Förvärvsfrekvens (RAMS)")
    results.append(SeriesResult(
        tidy("forvarvsfrekvens_rams", rams, UNIT),
        _provenance(sources_dir, definitions, "forvarvsfrekvens_rams", "Förvärvsfrekvens 20–64 år (RAMS)",
                    ["forvfrekv_rams"], "SCB (Registerbaserad arbetsmarknadsstatistik, RAMS)",
                    "RAMS 2004–2018 och RAMS-baserad övergångsserie 2019–2021", [],
                    ["02-kommun-arbete-tid.json"],
                    ["Seriebrott: jämförs inte med och skarvas inte ihop med sysselsättningsgrad (BAS).",
                     "Regionfakta visar andra värden för 2018 (81,0 för Örebro län) från en annan RAMS-tabell; "
                     "den här serien är SCB AM0207 TAB728/TAB685 enligt Region Hallands mått."]),
    ))

    education = _measure(data, "utb_eftergymn")
    check_regions(education, {RIKET, OREBRO_LAN, *DEFAULT_PEERS, *OREBRO_KOMMUNER},
                  "Eftergymnasial utbildning")
    results.append(SeriesResult(
        tidy("eftergymnasial_utbildning", education, UNIT),
        _provenance(sources_dir, definitions, "eftergymnasial_utbildning",
                    "Andel 25–64 år med eftergymnasial utbildning", ["utb_eftergymn"],
                    "SCB (Utbildningsregistret, UF0506)",
                    "Befolkningens utbildning, serie 1985–2025 (årsetiketter enligt källan)",
                    ["Årsetiketterna behålls som i källan (senaste år 2025)."],
                    ["02-kommun-utbildning-tid.json", "02-kommun-senaste.json"],
                    ["Källan har bara riket, Örebro län och de fyra jämförbara länen samt "
                     "Örebro läns kommuner (2025)."]),
    ))

    children = _measure(data, "lag_ekstd_barn")
    check_regions(children, lan_and_riket | set(OREBRO_KOMMUNER), "Låg ekonomisk standard, barn")
    results.append(SeriesResult(
        tidy("barn_lag_ekonomisk_standard", children, UNIT),
        _provenance(sources_dir, definitions, "barn_lag_ekonomisk_standard",
                    "Barn 0–19 år i hushåll med låg ekonomisk standard", ["lag_ekstd_barn"],
                    "SCB (Inkomster och skatter, HE0110)", "HE0110 TAB1123, 2011–2024 (kommuner endast 2024)", [],
                    ["01-kommun-ekstandard-tid.json", "01-kommun-senaste.json"],
                    ["Inte samma mått som Kolada N02904 (ekonomiskt utsatta hushåll); de två blandas aldrig."]),
    ))
    return results

"""Eligibility for upper secondary school (åk 9) per Örebro kommun, by school municipality (Skolverket).

Source folder: ``skolverket-behorighet-ak9-orebro-kommuner-mmo85``. Skolverket counts the pupils in
schools located in the kommun (lägeskommun, Kolada N15424), not the kommun's resident pupils, so the
series is ``behorighet_yrkesprogram_skolkommun``; riket comes from Kolada N15424 (same concept).
Skolverket's markers stay missing: ``..`` (too few pupils) → sekretess, ``.`` → saknas, and ``~100``
(1–4 pupils not eligible; the exact share is withheld) → sekretess. Nothing is read as 100.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd

from rus_analysis.config.geography import OREBRO_KOMMUNER
from rus_analysis.ingest.files import kolada_riket
from rus_analysis.ingest.files.common import (
    Origin,
    Provenance,
    SeriesResult,
    cell,
    check,
    require_columns,
    require_file,
    tidy,
)

FOLDER = "skolverket-behorighet-ak9-orebro-kommuner-mmo85"
OVER_TIME = f"{FOLDER}/skolverket_grundskola_jamforelse_over_tid_ak9_orebro_lan_kommuner_2015-16_2024-25.csv"
BY_SEX = f"{FOLDER}/skolverket_behorighet_gymnasiet_ak9_2024-25_orebro_lan_kommuner_per_kon.csv"
MEASURE = "Andel (%) behöriga till yrkesprogram"
BY_SEX_COLUMN = "Andel (%) elever behöriga till yrkesprog."
SEXES = {"Flickor": "K", "Pojkar": "M", "Samtliga": "T"}
REPOSITORY = "MMO85/skolverket_examen"
COMMIT = "46f7900d3aff278a0714a7bb0cbfc526de06292a"
ORIGINS = [
    Origin(REPOSITORY, "raw_data/Grundskola - Jämförelse av betygsresultat över tid 2025 Kommun_Åk9.xlsx", COMMIT),
    Origin(REPOSITORY, "raw_data/behorighet_grundskola_2024_25.csv", COMMIT),
]
RETRIEVED = "2026-11-30 (filerna i MMO85/skolverket_examen, exporterade från Skolverkets statistiksök 2026-01)"
LICENCE = "Skolverkets statistik är öppna data; repot har ingen licensfil"


def school_year_end(text: str) -> int:
    """``2024/25`` → 2025: the spring term in which the grades are set."""
    check(len(text) == 7 and text[4] == "/" and text[:4].isdigit(), f"Läsåret {text!r} har oväntad form.")
    return int(text[:4]) + 1


def skolverket_cell(raw: str) -> tuple[float, str]:
    """A Skolverket share: ``~100`` is withheld (1–4 pupils not eligible), never read as 100."""
    if str(raw).strip() == "~100":
        return math.nan, "sekretess"
    return cell(raw)


def load_over_time(sources_dir: Path) -> pd.DataFrame:
    """Samtliga huvudmän, the eligible share per kommun and school year, as T rows."""
    path = require_file(sources_dir, OVER_TIME)
    data = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(data, ["typ_av_huvudman", "kommun", "kommunkod", "lanskod", "uppgift", "lasar", "varde"], path)
    check(set(data["lanskod"]) == {"18"}, f"{path.name}: väntade bara Örebro län (länskod 18).")
    rows = data[(data["typ_av_huvudman"] == "Samtliga") & (data["uppgift"] == MEASURE)]
    check(set(rows["kommunkod"]) == set(OREBRO_KOMMUNER),
          f"{path.name}: måttet {MEASURE!r} saknas för någon av Örebro läns kommuner.")
    cells = rows["varde"].map(skolverket_cell)
    return pd.DataFrame({"region_code": rows["kommunkod"].to_numpy(),
                         "year": rows["lasar"].map(school_year_end).to_numpy(), "sex": "T",
                         "value": [v for v, _ in cells], "status": [s for _, s in cells]})


def load_by_sex(sources_dir: Path) -> pd.DataFrame:
    """The 2024/25 report: Samtliga huvudmän, flickor/pojkar/samtliga per kommun."""
    path = require_file(sources_dir, BY_SEX)
    lines = path.read_text(encoding="utf-8").splitlines()
    header = next((i for i, line in enumerate(lines) if line.startswith("Kommun;Kommun-kod;")), None)
    check(header is not None, f"{path.name}: rubrikraden (Kommun;Kommun-kod;…) saknas.")
    year_line = next((line for line in lines[:header] if line.startswith("Valt läsår:")), "")
    check(year_line.strip() == "Valt läsår: 2024/25", f"{path.name}: väntade läsåret 2024/25, fick {year_line!r}.")
    data = pd.read_csv(io.StringIO("\n".join(lines[header:])), sep=";", dtype=str, keep_default_na=False)
    require_columns(data, ["Kommun-kod", "Läns-kod", "Typ av huvudman", "Kön", BY_SEX_COLUMN], path)
    rows = data[(data["Typ av huvudman"] == "Samtliga") & (data["Läns-kod"] == "18")]
    check(set(rows["Kön"]) == set(SEXES),
          f"{path.name}: väntade könen {sorted(SEXES)}, fick {sorted(set(rows['Kön']))}.")
    check(set(rows["Kommun-kod"]) == set(OREBRO_KOMMUNER), f"{path.name}: någon av Örebro läns kommuner saknas.")
    cells = rows[BY_SEX_COLUMN].map(skolverket_cell)
    return pd.DataFrame({"region_code": rows["Kommun-kod"].to_numpy(), "year": 2025,
                         "sex": rows["Kön"].map(SEXES).to_numpy(),
                         "value": [v for v, _ in cells], "status": [s for _, s in cells]})


def build(sources_dir: Path) -> list[SeriesResult]:
    """Eligibility for upper secondary school per Örebro kommun (Skolverket).

    A list of ``SeriesResult``: a tidy frame with the columns and dtypes of ``ingest.schema`` (value
    in the catalogue's unit; a missing value is NaN with a status, never 0) and its provenance.
    Raises SourceFormatError (an IngestError; Swedish, naming the file) when a file is missing or
    has changed shape.
    """
    over_time, by_sex = load_over_time(sources_dir), load_by_sex(sources_dir)
    # The two Skolverket reports must agree on 2024/25 Samtliga; then only K and M are added.
    check_total = over_time[over_time["year"] == 2025].set_index("region_code")["value"]
    same = by_sex[by_sex["sex"] == "T"].set_index("region_code")["value"]
    check(((check_total - same).abs() < 1e-9).all(),
          f"{BY_SEX}: andelen för samtliga 2024/25 skiljer sig från jämförelsen över tid.")
    riket, riket_origin, riket_input = kolada_riket.riket_part(sources_dir, "N15424")
    frame = pd.concat([over_time, by_sex[by_sex["sex"] != "T"], riket], ignore_index=True)
    return [SeriesResult(
        tidy("behorighet_yrkesprogram_skolkommun", frame, "procent"),
        Provenance(
            indicator="behorighet_yrkesprogram_skolkommun",
            title="Elever i årskurs 9 behöriga till yrkesprogram, efter skolkommun",
            agency="Skolverket; RKA (Kolada)",
            table="Skolverket, Grundskola – jämförelse av betygsresultat över tid (åk 9) och behörighet till "
                  "gymnasieskolan 2024/25; Kolada N15424 (lägeskommun)",
            release="Skolverkets officiella statistik läsåren 2015/16–2024/25 (uttag 2026-01); Kolada N15424 "
                    "enligt uttag ca maj 2021",
            retrieved=f"{RETRIEVED}; Kolada: {kolada_riket.RETRIEVED}",
            licence=f"{LICENCE}; {kolada_riket.LICENCE}",
            origins=[*ORIGINS, riket_origin],
            inputs=[sources_dir / OVER_TIME, sources_dir / BY_SEX, riket_input],
            transformations=[
                f"Kommunerna: måttet {MEASURE!r}, huvudman Samtliga, ur Skolverkets jämförelse över tid.",
                "År = vårterminens år (läsåret 2024/25 → 2025).",
                "Kvinnor och män (flickor och pojkar) för 2024/25 ur rapporten Behörighet till gymnasieskolan; "
                "dess andelar för samtliga stämmer med jämförelsen över tid (kontrolleras vid importen).",
                "'..' (för få elever) och '~100' (1–4 elever inte behöriga, andelen redovisas inte) → tomt värde "
                "med status sekretess; '.' → status saknas. Inget värde läses som 100.",
                kolada_riket.riket_transformation("N15424"),
            ],
            notes=["Efter skolkommun (lägeskommun): andelen gäller eleverna i skolor i kommunen, inte kommunens "
                   "folkbokförda elever (hemkommun, Kolada N15428).",
                   "Länet saknas: Skolverkets filer har bara kommunerna, och ett länsvärde kan inte räknas ut ur "
                   "andelarna.",
                   "Små kommuner (Ljusnarsberg, Laxå, Hällefors) svänger mycket mellan åren."],
        ),
    )]

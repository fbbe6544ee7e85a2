"""MUCF: young people not in work or education (UVAS), 2022, three län (Excel export).

Source folder: ``mucf-uvas-nms-region-dalarna``. Värmland is one of the RUS comparison län;
Örebro län is not in the file. MUCF's measure is kept apart from SCB's and from the Kolada
download (different retrievals and definitions are never mixed in one series).
"""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pandas as pd

from rus_analysis.ingest.files.common import Origin, Provenance, SeriesResult, check, parse_number, require_file, tidy

FOLDER = "mucf-uvas-nms-region-dalarna"
DATA_FILE = f"{FOLDER}/mucf_uvas_2022_dalarna_gavleborg_varmland.xlsx"
SHEETS = {"Dalarna": "0020", "Gävleborg": "0021", "Värmland": "0017"}
YEAR = 2022
AGE = "16-24 år"
LABELS = {  # MUCF's row label → (sex, group)
    "Kvinnor Inrikesfödd": ("K", "inrikes födda"), "Kvinnor Utrikesfödd": ("K", "utrikes födda"),
    "Män Inrikesfödd": ("M", "inrikes födda"), "Män Utrikesfödd": ("M", "utrikes födda"),
    "Inrikesfödd": ("T", "inrikes födda"), "Utrikesfödd": ("T", "utrikes födda"),
    "Kvinnor": ("K", "totalt"), "Män": ("M", "totalt"), "Alla": ("T", "totalt"),
}


def parse_sheet(rows: list[tuple], name: str) -> list[dict]:
    """The 16–24 shares (Andel) from one MUCF sheet: an age row, an Antal/Andel row, then one row per label."""
    header = next((i for i, r in enumerate(rows) if "Antal" in r and "Andel" in r), None)
    check(header is not None and header > 0, f"{name}: hittar inte raden Antal | Andel (layouten kan ha ändrats).")
    # The age labels sit above the Antal columns in some sheets and one column further left in
    # others, so rely on their order: the first Andel column belongs to the first age group.
    ages = [str(a).replace("\u00a0", " ").strip() for a in rows[header - 1] if a]
    check(ages[:1] == [AGE], f"{name}: första åldersgruppen är {ages[:1]}, väntade {AGE}.")
    share_column = list(rows[header]).index("Andel")
    records = []
    for row in rows[header + 1:]:
        label = str(row[0]).strip() if row[0] else ""
        if not label:
            continue
        check(label in LABELS, f"{name}: okänd radrubrik {label!r}.")
        share = parse_number(row[share_column])
        check(share is None or 0 <= share <= 1, f"{name}: andelen {share!r} för {label} ligger inte mellan 0 och 1.")
        sex, group = LABELS[label]
        # MUCF gives a fraction (0.056); the snapshot's unit is percent. Rounding removes float noise only.
        value = math.nan if share is None else round(share * 100, 6)
        records.append({"sex": sex, "group": group, "value": value})
    check(len(records) == len(LABELS), f"{name}: väntade {len(LABELS)} rader, fick {len(records)}.")
    return records


def build(sources_dir: Path) -> list[SeriesResult]:
    """UVAS 16–24 år (MUCF), 2022, three län, by sex and birth region.

    A list of ``SeriesResult``: a tidy frame with the columns and dtypes of ``ingest.schema`` (value
    in the catalogue's unit; a missing value is NaN with a status, never 0) and its provenance.
    Raises SourceFormatError (an IngestError; Swedish, naming the file) when a file is missing or
    has changed shape.
    """
    path = require_file(sources_dir, DATA_FILE)
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    records = []
    for sheet, code in SHEETS.items():
        check(sheet in workbook.sheetnames, f"{path.name}: bladet {sheet} saknas.")
        rows = [tuple(r) for r in workbook[sheet].iter_rows(values_only=True)]
        records += [{**r, "region_code": code, "year": YEAR} for r in parse_sheet(rows, f"{path.name}/{sheet}")]
    workbook.close()
    return [SeriesResult(
        tidy("unga_uvas_mucf", pd.DataFrame(records), "procent"),
        Provenance(
            indicator="unga_uvas_mucf", title="Unga 16–24 år som varken arbetar eller studerar (MUCF)",
            agency="MUCF (Myndigheten för ungdoms- och civilsamhällesfrågor)",
            table="MUCF, statistik om unga som varken arbetar eller studerar (export ur statistikverktyget)",
            release="2022", retrieved="Senast 2024-11-08 (handexport av Region Dalarna, commit 0ffbebe0b4)",
            licence="Repot är MPL 2.0; statistiken är MUCF:s öppet publicerade statistik",
            origins=[Origin("Region-Dalarna/socioekonomisk_analys_nms", "Indata/MUCF_20241108.xlsx",
                            "0ffbebe0b4bd6100a02cb9ab47e2ff66d9f946e6")],
            inputs=[path],
            transformations=[
                "Andelarna för 16–24 år läses ur MUCF:s egna blad (Dalarna, Gävleborg, Värmland); "
                "bladet Inläs används inte.",
                "Andelen (t.ex. 0,056) räknas om till procent (5,6).",
                "Kön läggs i kolumnen sex och inrikes/utrikes födda i kolumnen group.",
                "Åldersgruppen 25–29 år finns i filen men används inte (RUS-måttet gäller 16–24 år).",
            ],
            notes=["Örebro län finns inte i filen. Värmland är ett av RUS jämförbara län.",
                   "MUCF:s definition skiljer sig från SCB:s mått i BAS; de blandas inte."],
        ),
    )]

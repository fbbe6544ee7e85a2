"""SCB's published population tables (BE0101): riket, län and kommuner on 31 December 2023 and 2024.

Source folder: ``scb-folkmangd-tabhel``. Not a series of its own; a denominator. The Excel
sheets have a title block above the header and footnotes below the data, both skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd

from rus_analysis.config.geography import LAN, OREBRO_KOMMUNER, RIKET, from_scb_code
from rus_analysis.ingest.files.common import Origin, check, check_regions, require_file

FOLDER = "scb-folkmangd-tabhel"
FILES = {2023: f"{FOLDER}/be0101_tabhel2023.xlsx", 2024: f"{FOLDER}/be0101_tabhel2024.xlsx"}
ORIGINS = [Origin("Klimatbyran/municipality-data-pipeline", f"kpis/bicycles/sources/be0101_tabhel{year}.xlsx",
                  "514bdf44864206dd05e134b9e18e0b931e85046b") for year in FILES]


def parse_sheet(rows: list[tuple], year: int, name: str) -> pd.DataFrame:
    """Region code and population from the rows of a ``Totalt`` sheet (title, header, data, footnotes)."""
    title = next((str(r[0]) for r in rows if r and isinstance(r[0], str) and r[0].startswith("Folkmängd")), "")
    check("31 december" in title and str(year) in title,
          f"{name}: rubriken {title!r} gäller inte folkmängd 31 december {year} (har filen bytts?).")
    header = next((i for i, r in enumerate(rows) if r[:3] == ("Kommun", "Kommunnamn", "Folkmängd")), None)
    check(header is not None,
          f"{name}: hittar inte rubrikraden Kommun | Kommunnamn | Folkmängd (rubrikraden kan ha ändrats).")
    records = []
    for row in rows[header + 1:]:
        code, label, value = (row + (None, None, None))[:3]
        label = str(label or "").strip()
        if label == "Riket":
            code = "00"
        elif code is None or not re.fullmatch(r"\d{2}|\d{4}", str(code).strip()):
            continue  # blank spacer rows and footnotes such as "1) Händelser ..."
        check(isinstance(value, (int, float)), f"{name}: folkmängden för {label!r} är {value!r}, inte ett tal.")
        records.append({"region_code": from_scb_code(str(code)), "year": year, "value": float(value)})
    return pd.DataFrame(records, columns=["region_code", "year", "value"])


def load(sources_dir: Path) -> pd.DataFrame:
    """Population 31 December 2023 and 2024 for riket, the 21 län and Örebro län's kommuner."""
    frames = []
    for year, relative in FILES.items():
        path = require_file(sources_dir, relative)
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        check("Totalt" in workbook.sheetnames, f"{path.name}: bladet Totalt saknas.")
        rows = [tuple(r) for r in workbook["Totalt"].iter_rows(values_only=True)]
        workbook.close()
        frames.append(parse_sheet(rows, year, path.name))
    data = pd.concat(frames, ignore_index=True)
    data = data[data["region_code"].isin({RIKET, *LAN, *OREBRO_KOMMUNER})]
    for year in FILES:
        check_regions(data[data["year"] == year], {RIKET, *LAN, *OREBRO_KOMMUNER}, FILES[year])
    return data.reset_index(drop=True)


def input_paths(sources_dir: Path) -> list[Path]:
    """The two BE0101 workbooks (31 December 2023 and 2024), whether or not they exist."""
    return [sources_dir / relative for relative in FILES.values()]

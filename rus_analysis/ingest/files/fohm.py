"""Folkhälsomyndigheten's Folkhälsodata for riket and the 21 län (via Region Halland's app data).

Source folder: ``fohm-folkhalsodata-lan-region-halland-hosrapport``. Two of its 14 indicators fill a
gap in the report better than what the other sources have:

* self-rated health (HLV, bra eller mycket bra, 16–84 år) for Örebro län, riket and every län: the
  report had none. Values are four-year moving averages; the year stored is the window's last year
  (``2021-2024`` → 2024), as Kolada does for HLV (T−3…T).
* eligibility for yrkesprogram for pupils resident in the län (SCB via FoHM), 2006–2025: the only
  län-level value on the home-municipality basis (Kolada N15428); Skolverket's files have kommuner by
  school location only.

The others are not used: the AKU employment rate and FoHM's low economic standard repeat series the
report has from SCB's register statistics (BAS, HE0110), which are better for län and kommuner.
Values are rounded to one decimal by the app, and kept as they are.
"""

from __future__ import annotations

import re
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

FOLDER = "fohm-folkhalsodata-lan-region-halland-hosrapport"
DATA_FILE = f"{FOLDER}/fohm_folkhalsodata_riket_21lan.csv"
DESCRIPTIONS = f"{FOLDER}/indikatorer.csv"
ORIGIN = Origin("Analys-Region-Halland/hosrapport", "app/public/data/ar-folkhalsa.json",
                "46106ba14b7ac3518385004b9956ff3dbb4d48a2")
AGENCY = "Folkhälsomyndigheten (Folkhälsodata)"
RETRIEVED = ("2026-11-30 (Region Hallands appdata, commit 46106ba1 av 2026-07-02, hämtad från "
             "Folkhälsomyndighetens PxWeb-API med R-paketet pxweb)")
LICENCE = "Folkhälsomyndighetens öppna data; Region Hallands repo har ingen licensfil"
BASE = "Folkhälsodata, A_Mo8"
WINDOW = re.compile(r"^(\d{4})-(\d{4})$")


def load(sources_dir: Path) -> pd.DataFrame:
    """All rows, with our region codes (FoHM's ``00`` → 0000, ``LL`` → 00LL) and numeric values."""
    path = require_file(sources_dir, DATA_FILE)
    data = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(data, ["indikator", "namn", "enhet", "region_kod", "region_namn", "period", "varde"], path)
    check(data["region_kod"].str.fullmatch(r"\d{2}").all(), f"{path.name}: regionkoderna ska vara två siffror.")
    data["region_code"] = data["region_kod"].map(lambda c: RIKET if c == "00" else f"00{c}")
    data["value"] = data["varde"].map(parse_number)
    return data


def _rows(data: pd.DataFrame, indicator: str, windows: bool) -> pd.DataFrame:
    rows = data[data["indikator"] == indicator].copy()
    check(not rows.empty, f"{DATA_FILE}: indikatorn {indicator} saknas.")
    check(set(rows["enhet"]) == {"procent"}, f"{DATA_FILE}: {indicator} har enheten {sorted(set(rows['enhet']))}.")
    if windows:
        parts = rows["period"].str.extract(WINDOW)
        check(parts.notna().all().all(), f"{DATA_FILE}: {indicator} har perioder som inte är fyraårsperioder.")
        check(((parts[1].astype(int) - parts[0].astype(int)) == 3).all(),
              f"{DATA_FILE}: {indicator} har perioder som inte är fyra år långa.")
        rows["year"] = parts[1].astype(int)
    else:
        check(rows["period"].str.fullmatch(r"\d{4}").all(), f"{DATA_FILE}: {indicator} har perioder som inte är år.")
        rows["year"] = rows["period"].astype(int)
    check_regions(rows, {RIKET, *LAN}, f"{DATA_FILE} ({indicator})")
    return rows[["region_code", "year", "value"]]


def _provenance(sources_dir: Path, indicator: str, title: str, table: str, release: str,
                transformations: list[str], notes: list[str]) -> Provenance:
    return Provenance(
        indicator=indicator, title=title, agency=AGENCY, table=table, release=release, retrieved=RETRIEVED,
        licence=LICENCE, origins=[ORIGIN], inputs=[sources_dir / DATA_FILE, sources_dir / DESCRIPTIONS],
        transformations=[
            "Riket och alla 21 län; Folkhälsomyndighetens tvåsiffriga länskoder blir 00LL, 00 blir 0000.",
            "Värdena är avrundade till en decimal av Region Hallands app och används som de är.",
            *transformations,
        ],
        notes=notes,
    )


def build(sources_dir: Path) -> list[SeriesResult]:
    """Self-rated health and eligibility for upper secondary school per län and riket (Folkhälsodata).

    A list of ``SeriesResult``: a tidy frame with the columns and dtypes of ``ingest.schema`` (value
    in the catalogue's unit; a missing value is NaN with a status, never 0) and its provenance.
    Raises SourceFormatError (an IngestError; Swedish, naming the file) when a file is missing or
    has changed shape.
    """
    data = load(sources_dir)
    health = _rows(data, "fohm-sjalvskattad_halsa", windows=True)
    eligibility = _rows(data, "fohm-gymnasiebehorighet", windows=False)
    return [
        SeriesResult(
            tidy("sjalvskattad_halsa", health, "procent"),
            _provenance(
                sources_dir, "sjalvskattad_halsa", "Självskattad hälsa, bra eller mycket bra",
                f"{BASE}/Halsoutfall/01Overgrip/01.01halsgod/halsgodyreg.px (Hälsa på lika villkor)",
                "HLV fyraårsperioder 2004–2007 till 2021–2024 enligt uttaget 2026-07",
                ["Urval: Hälsotillstånd = bra eller mycket bra, Andel, Kön = totalt.",
                 "År = fyraårsperiodens sista år (2021–2024 → 2024), som Kolada gör för HLV.",
                 "Perioderna 2014–2017, 2016–2019 och 2020–2023 finns inte i källfilen och lämnas bort; de fylls "
                 "inte i."],
                ["Fyraårsmedelvärden: två år i följd delar tre undersökningsår, så förändringen mellan två år är "
                 "liten och inte oberoende.",
                 "Åldrar 16–84 år. Koladas U01405 har för Örebro län i stället Region Örebro läns enkät Liv & Hälsa "
                 "(ett enskilt år, 18–84 år); de två serierna jämförs inte.",
                 "Bara kön totalt; uppdelning efter kön och utbildning finns inte för länen i källfilen."],
            ),
        ),
        SeriesResult(
            tidy("behorighet_yrkesprogram", eligibility, "procent"),
            _provenance(
                sources_dir, "behorighet_yrkesprogram", "Elever i årskurs 9 behöriga till yrkesprogram",
                f"{BASE}/2_Kompetens/02Lutbsyss/02.11Behgymn/BehgymnReg.px (underlag från SCB)",
                "Registerstatistik 2006–2025 enligt uttaget 2026-07",
                ["Urval: Kön = båda könen (1+2).",
                 "År = vårterminens år, som i källan."],
                ["Eleverna folkbokförda i länet oavsett skola (hemkommunsbegreppet, Kolada N15428), inte Skolverkets "
                 "mått efter skolkommun (se behorighet_yrkesprogram_skolkommun)."],
            ),
        ),
    ]

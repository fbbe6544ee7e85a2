"""Files from Region Dalarna's public follow-up of Dalastrategin (SCB, Kolada, Tillväxtanalys, Skolverket).

Source folder: ``region-dalarna-uppfoljning-dalastrategin``. Traps handled here:
Kolada N02904 is not SCB's low-economic-standard measure (kept apart); Tillväxtanalys changed
method in 2010 (only the new method, 2010** onwards, is used); Skolverket's file is by school
municipality, not home municipality (its own series, never mixed with Kolada's hemkommun KPIs).
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd

from rus_analysis.config.geography import LAN, OREBRO_KOMMUNER, RIKET
from rus_analysis.ingest.derived import sum_complete
from rus_analysis.ingest.files import kolada_riket
from rus_analysis.ingest.files.common import (
    Origin,
    Provenance,
    SeriesResult,
    cell,
    check,
    check_regions,
    parse_number,
    region_from_name,
    require_columns,
    require_file,
    tidy,
)

FOLDER = "region-dalarna-uppfoljning-dalastrategin"
REPOSITORY = "Region-Dalarna/uppfoljning_dalastrategin"
COMMIT = "6571f1810d2d1f4637e6dbdc7ea533a031629429"
RETRIEVED = "Senast 2023-05-26 (Region Dalarnas commit; exakt hämtdatum är inte dokumenterat)"
NO_LICENCE = "Officiell statistik; Region Dalarnas repo har ingen licensfil"
N02904_FILE = f"{FOLDER}/kolada_N02904_barn_0-19_ekonomiskt_utsatta_hushall_alla_lan_2007-2021.csv"
AA0003_FILE = f"{FOLDER}/scb_AA0003_andel_forvarvsarbetande_utrikes_fodda_vistelsetid_per_lan.csv"
ANNUAL_FILE = f"{FOLDER}/tillvaxtanalys_nystartade_foretag_per_lan_1994-2021.xlsx"
QUARTER_FILE = f"{FOLDER}/tillvaxtanalys_nystartade_foretag_per_kvartal_lan_kommun_2007Q1-2021Q2.xlsx"
SKOLVERKET_FILE = f"{FOLDER}/skolverket_gymnasie_genomstromning_GY11_per_skolkommun_startar2011-2017.csv"
SEX = {"män och kvinnor": "T", "kvinnor": "K", "män": "M"}
FIRST_NEW_METHOD_YEAR = 2010


def _origin(path: str) -> Origin:
    return Origin(REPOSITORY, path, COMMIT)


# --- Kolada N02904: children in economically vulnerable households -------------------------------

def load_n02904(sources_dir: Path) -> pd.DataFrame:
    """Kolada N02904 (children 0–19 in economically vulnerable households, percent) for the 21 län.

    Columns: region_code (str, ``00LL``), year (int), value (float, percent; NaN when missing).
    Raises SourceFormatError when the file is missing, has other columns, or holds another KPI.
    """
    path = require_file(sources_dir, N02904_FILE)
    data = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(data, ["kpi", "municipality_id", "year", "value", "municipality"], path)
    check(set(data["kpi"]) == {"Invånare 0-19 år i ekonomiskt utsatta hushåll, andel (%)"},
          f"{path.name}: väntade bara nyckeltalet N02904, fick {sorted(set(data['kpi']))}.")
    frame = pd.DataFrame({"region_code": data["municipality_id"].str.strip(), "year": data["year"].astype(int),
                          "value": data["value"].map(parse_number)})
    check_regions(frame, set(LAN), path.name)
    return frame


def build_n02904(sources_dir: Path) -> SeriesResult:
    """``barn_ekonomiskt_utsatta_hushall``: the län from Region Dalarna's file and riket from Kolada.

    One ``SeriesResult``: a tidy frame with the columns and dtypes of ``ingest.schema`` (value in
    the catalogue's unit; a missing value is NaN with a status, never 0) and its provenance. Raises
    SourceFormatError (an IngestError; Swedish, naming the file) when a file is missing or has
    changed shape.
    """
    lan = load_n02904(sources_dir)
    riket = kolada_riket.kpi_rows(kolada_riket.load(sources_dir), "N02904")
    frame = pd.concat([lan, riket[["region_code", "year", "sex", "value"]]], ignore_index=True)
    return SeriesResult(
        tidy("barn_ekonomiskt_utsatta_hushall", frame, "procent"),
        Provenance(
            indicator="barn_ekonomiskt_utsatta_hushall",
            title="Invånare 0–19 år i ekonomiskt utsatta hushåll (Kolada N02904)",
            agency="RKA (Kolada), underlag från SCB", table="Kolada N02904",
            release="Kolada-uttag: län 2007–2021 (Region Dalarna, senast 2023-05-26); riket 2011–2019 (ca maj 2021)",
            retrieved="Län: senast 2023-05-26 (Region Dalarnas commit). "
                      "Riket: troligen maj 2021 (goeranh/fs_website2).",
            licence="Kolada är öppna data (RKA); repona har ingen licensfil",
            origins=[_origin("Data/utsatthet.csv"), kolada_riket.origin("df_kpi_1_poverty.csv")],
            inputs=[sources_dir / N02904_FILE, sources_dir / kolada_riket.DATA_FILE],
            transformations=[
                "Länsvärdena kommer från Region Dalarnas uttag (rKolada), riksvärdena från ett separat uttag "
                "(goeranh/fs_website2); varje regions tidsserie kommer från ett och samma uttag.",
                "Värdena är Koladas oavrundade värden och ändras inte.",
            ],
            notes=["Inte samma mått som SCB:s låg ekonomisk standard (barn_lag_ekonomisk_standard); "
                   "de blandas aldrig.",
                   "Kolada har ersatt N02904 med N66077 (Invånare 0–19 år med låg ekonomisk standard)."],
        ),
    )


# --- SCB AA0003: employment of foreign-born people by years in Sweden ----------------------------

def build_aa0003(sources_dir: Path) -> SeriesResult:
    """``sysselsattning_utrikes_vistelsetid`` (SCB AA0003, share employed by years in Sweden).

    One ``SeriesResult``: a tidy frame with the columns and dtypes of ``ingest.schema`` (value in
    the catalogue's unit; a missing value is NaN with a status, never 0) and its provenance. Raises
    SourceFormatError (an IngestError; Swedish, naming the file) when a file is missing or has
    changed shape.
    """
    path = require_file(sources_dir, AA0003_FILE)
    data = pd.read_csv(path, dtype=str, keep_default_na=False)
    value_column = "Andel förvärvsarbetande (ny definition från och med 2019)"
    require_columns(data, ["region", "kön", "utbildningsnivå", "bakgrundsvariabel", "år", value_column], path)
    check(set(data["utbildningsnivå"]) == {"samtliga utbildningsnivåer"},
          f"{path.name}: väntade bara samtliga utbildningsnivåer.")
    check(set(data["kön"]) <= set(SEX), f"{path.name}: okända värden för kön: {sorted(set(data['kön']) - set(SEX))}.")
    groups = data["bakgrundsvariabel"].str.strip()
    check(groups.str.fullmatch(r"vistelsetid \d+-(\d+)? år").all(),
          f"{path.name}: okända värden i bakgrundsvariabel: {sorted(set(groups))[:5]}.")
    frame = pd.DataFrame({
        "region_code": data["region"].map(lambda n: region_from_name(n, path)),
        "year": data["år"].astype(int), "sex": data["kön"].map(SEX),
        # "vistelsetid 10- år" → "vistelsetid 10– år": an en dash, as Swedish print style has it.
        "group": groups.str.replace("-", "–", regex=False),
        "value": data[value_column].map(parse_number),
    })
    check_regions(frame, set(LAN), path.name)
    return SeriesResult(
        tidy("sysselsattning_utrikes_vistelsetid", frame, "procent"),
        Provenance(
            indicator="sysselsattning_utrikes_vistelsetid",
            title="Andel förvärvsarbetande bland utrikes födda efter vistelsetid",
            agency="SCB (Integration: etableringsindikatorer, AA0003)", table="SCB AA0003 IntGr1LanKonUtb",
            release="Uttag 2010–2021 (Region Dalarna)", retrieved=RETRIEVED, licence=NO_LICENCE,
            origins=[_origin("Data/etablering.csv")], inputs=[path],
            transformations=["Kön och vistelsetid läggs i kolumnerna sex och group; värdena är oförändrade.",
                             "Bindestreck i vistelsetidsgrupperna skrivs som tankstreck (0–1 år)."],
            notes=["SCB:s tabellrubrik anger en ny definition av förvärvsarbetande från och med 2019: "
                   "jämför inte nivåer över 2018/2019."],
        ),
    )


# --- Tillväxtanalys: new enterprises --------------------------------------------------------------

def _period(label: object) -> tuple[int, int | None, str]:
    """Year, quarter (None for an annual column) and method marker from a header like ``201001**``."""
    match = re.fullmatch(r"(\d{4})(\d{2})?(\**)", str(label).strip())
    check(match is not None, f"Okänd periodrubrik {label!r} i Tillväxtanalys-filen (rubrikraden kan ha ändrats).")
    quarter = int(match.group(2)) if match.group(2) else None
    return int(match.group(1)), quarter, match.group(3)


def _new_method(year: int, marker: str) -> bool:
    # 2010 appears twice: "2010*" (old method) and "2010**" (new method, continued as "***").
    return year > FIRST_NEW_METHOD_YEAR or (year == FIRST_NEW_METHOD_YEAR and marker == "**")


def load_annual(sources_dir: Path) -> pd.DataFrame:
    """Tillväxtanalys' annual new enterprises per län and riket (new method only, from 2010).

    Columns: region_code (str), year (int), value (float, count), status (str). Raises
    SourceFormatError when the workbook's layout has changed.
    """
    path = require_file(sources_dir, ANNUAL_FILE)
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = [tuple(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    check(rows and rows[0][0] == "Län", f"{path.name}: första cellen ska vara 'Län' (rubrikraden kan ha ändrats).")
    periods = [_period(h) for h in rows[0][1:]]
    check(sum(1 for y, _, _m in periods if y == 2010) == 2,
          f"{path.name}: väntade två kolumner för 2010 (gammal och ny metod).")
    records = []
    for row in rows[1:]:
        if row[0] is None:
            continue
        code = region_from_name(str(row[0]), path)
        check(code is not None, f"{path.name}: okänd region {row[0]!r}.")
        for (year, _, marker), raw in zip(periods, row[1:], strict=False):
            if _new_method(year, marker):
                value, status = cell(raw)
                records.append({"region_code": code, "year": year, "value": value, "status": status})
    frame = pd.DataFrame(records)
    check_regions(frame, {RIKET, *LAN}, path.name)
    return frame


def load_quarters(sources_dir: Path, sheet: str) -> pd.DataFrame:
    """Quarterly counts (new method) from the sheet ``Län`` or ``Kommun``."""
    path = require_file(sources_dir, QUARTER_FILE)
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    check(sheet in workbook.sheetnames, f"{path.name}: bladet {sheet} saknas.")
    rows = [tuple(r) for r in workbook[sheet].iter_rows(values_only=True)]
    workbook.close()
    first_period = 1 if sheet == "Län" else 2
    expected = ("Län",) if sheet == "Län" else ("Kommunnummer", "Kommun")
    check(rows[0][:first_period] == expected, f"{path.name}/{sheet}: rubrikraden börjar inte med {expected}.")
    periods = [_period(h) for h in rows[0][first_period:]]
    records = []
    for row in rows[1:]:
        if sheet == "Län":
            code = region_from_name(str(row[0]), path) if row[0] else None
        else:
            code = f"{int(row[0]):04d}" if isinstance(row[0], (int, float)) else None
        if code is None or code not in {RIKET, *LAN, *OREBRO_KOMMUNER}:
            continue
        for (year, quarter, marker), raw in zip(periods, row[first_period:], strict=False):
            if _new_method(year, marker):
                value, status = cell(raw)
                records.append({"region_code": code, "year": year, "quarter": quarter, "value": value,
                                "status": status})
    return pd.DataFrame(records)


def build_new_enterprises(sources_dir: Path) -> SeriesResult:
    """``nystartade_foretag_antal``: annual counts, kommuner summed from complete quarters.

    One ``SeriesResult``: a tidy frame with the columns and dtypes of ``ingest.schema`` (value in
    the catalogue's unit; a missing value is NaN with a status, never 0) and its provenance. Raises
    SourceFormatError (an IngestError; Swedish, naming the file) when a file is missing or has
    changed shape.
    """
    annual = load_annual(sources_dir)
    lan_quarters = load_quarters(sources_dir, "Län")
    # The quarter → year sum is only trusted because it reproduces the annual file for the län:
    # exactly, apart from a few ±1 differences (two exports, small revisions in between).
    lan_sums = sum_complete(lan_quarters, ["region_code", "year"], "quarter", 4).dropna(subset=["value"])
    check_sum = lan_sums.merge(annual, on=["region_code", "year"], suffixes=("_q", "_a"))
    difference = (check_sum["value_q"] - check_sum["value_a"]).abs()
    check(len(check_sum) > 200 and difference.max() <= 1 and (difference == 0).mean() > 0.9,
          f"{QUARTER_FILE}: kvartalen summerar inte till årsvärdena i {ANNUAL_FILE} "
          f"(största skillnad {difference.max():g}).")
    kommun_quarters = load_quarters(sources_dir, "Kommun")
    check_regions(kommun_quarters, set(OREBRO_KOMMUNER), f"{QUARTER_FILE}/Kommun")
    kommuner = sum_complete(kommun_quarters, ["region_code", "year"], "quarter", 4)
    full_years = kommun_quarters.groupby("year")["quarter"].nunique()
    kommuner = kommuner[kommuner["year"].isin(full_years[full_years == 4].index)]
    frame = pd.concat([annual, kommuner], ignore_index=True)
    return SeriesResult(
        tidy("nystartade_foretag_antal", frame, "antal"),
        Provenance(
            indicator="nystartade_foretag_antal", title="Nystartade företag, antal",
            agency="Tillväxtanalys (officiell statistik om nystartade företag)",
            table="Tillväxtanalys, nystartade företag per län (år) och per kommun (kvartal)",
            release="Uttag 1994–2021 per län och 2007K1–2021K2 per kommun (Region Dalarna); ny metod från 2010",
            retrieved=RETRIEVED, licence=NO_LICENCE,
            origins=[_origin("Data/NystartadeFöretag2023Uppd.xlsx"), _origin("Data/AntalNystartadeFöretag.xlsx")],
            inputs=[sources_dir / ANNUAL_FILE, sources_dir / QUARTER_FILE],
            transformations=[
                "Bara ny metod används: kolumnen 2010** och åren därefter (markerade ***). Åren 1994–2009 och "
                "2010* (gammal metod) tas inte med, eftersom metoden byttes 2010.",
                "Tolkning: 2010** är ny metod eftersom serien fortsätter med *** efter den; "
                "filen förklarar inte tecknen.",
                "Län och riket (raden Samtliga) tas från årsfilen. Riket saknar värde för 2021 i filen och "
                "redovisas som saknat.",
                "Kommunernas årsvärden är summan av årets fyra kvartal ur kvartalsfilen, bara när alla fyra "
                "kvartal har ett värde; annars tomt med status sekretess ('..' = för litet antal för att redovisas).",
                "Kontroll vid varje import: länens kvartalssummor stämmer med årsfilen, exakt för Örebro län och "
                "med högst 1 företags skillnad för några län 2010 och 2020 (två uttag med små revideringar emellan).",
                "2021 har bara två kvartal i kvartalsfilen och redovisas därför inte för kommunerna.",
            ],
            notes=["Örebro län 2017 = 1 776 stämmer med Regionfakta."],
        ),
    )


# --- Skolverket: upper-secondary diploma within four years, by school municipality ---------------

PROGRAM_GROUPS = {"Gymnasieskolan totalt": "totalt", "Nationella program": "nationella program",
                  "Yrkesprogram": "yrkesprogram", "Högskoleförberedande program": "högskoleförberedande program"}


def build_skolverket(sources_dir: Path) -> SeriesResult:
    """Gymnasieexamen inom 4 år by school municipality (Skolverket) for Örebro län's kommuner.

    One ``SeriesResult``: a tidy frame with the columns and dtypes of ``ingest.schema`` (value in
    the catalogue's unit; a missing value is NaN with a status, never 0) and its provenance. Raises
    SourceFormatError (an IngestError; Swedish, naming the file) when a file is missing or has
    changed shape.
    """
    path = require_file(sources_dir, SKOLVERKET_FILE)
    data = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(data, ["startlasar", "programgrupp", "kommun", "kommun_kod", "typ_av_huvudman",
                           "examen_inom_4ar_pct"], path)
    check(set(data["programgrupp"]) == set(PROGRAM_GROUPS),
          f"{path.name}: okända programgrupper {sorted(set(data['programgrupp']) - set(PROGRAM_GROUPS))}.")
    check(data["startlasar"].str.fullmatch(r"\d{4}/\d{2}").all(), f"{path.name}: startläsår har oväntad form.")
    # Nationella program is the sum of the two programme groups; Kolada has no KPI for it and the
    # report does not use it, so the series keeps the groups a Kolada query can refresh.
    rows = data[(data["typ_av_huvudman"] == "Samtliga") & data["kommun_kod"].isin(OREBRO_KOMMUNER)
                & (data["programgrupp"] != "Nationella program")]
    check(not rows.empty, f"{path.name}: inga rader för Örebro läns kommuner med huvudman Samtliga.")
    cells = rows["examen_inom_4ar_pct"].map(cell)
    frame = pd.DataFrame({
        "region_code": rows["kommun_kod"],
        # Starting in autumn of year s, four years end in spring of s + 4.
        "year": rows["startlasar"].str[:4].astype(int) + 4,
        "group": rows["programgrupp"].map(PROGRAM_GROUPS),
        "value": [v for v, _ in cells], "status": [s for _, s in cells],
    })
    riket, riket_origin, riket_input = kolada_riket.riket_part(sources_dir, "N17464")
    frame = pd.concat([frame, riket], ignore_index=True)
    return SeriesResult(
        tidy("gymnasieexamen_4_ar_skolkommun", frame, "procent"),
        Provenance(
            indicator="gymnasieexamen_4_ar_skolkommun",
            title="Gymnasieelever med examen inom 4 år, efter skolkommun",
            agency="Skolverket; RKA (Kolada)",
            table="Skolverket, Gymnasieskolan – genomströmning inom 3, 4 och 5 år (GY11); Kolada N17464 (lägeskommun)",
            release="Startkullar 2011/12–2017/18; Kolada N17464 enligt uttag ca maj 2021",
            retrieved=f"{RETRIEVED}; Kolada: {kolada_riket.RETRIEVED}", licence=f"{NO_LICENCE}; {kolada_riket.LICENCE}",
            origins=[_origin(f"Data/skolverket/gymnasie{n}.xlsx") for n in range(12, 19)] + [riket_origin],
            inputs=[path, riket_input],
            transformations=[
                "Region Dalarna läste ut kolumnerna ur Skolverkets sju Excelfiler (ett extrakt, värden oförändrade).",
                "Huvudman Samtliga och Örebro läns kommuner med gymnasieskola behålls.",
                "År = startåret + 4, alltså det år fyraårsperioden slutar (startläsår 2011/12 → 2015).",
                "Programgrupperna läggs i kolumnen group (Gymnasieskolan totalt = totalt). Gruppen Nationella "
                "program (yrkes- och högskoleförberedande program tillsammans) tas inte med: rapporten använder den "
                "inte och Kolada har inget nyckeltal för den, så serien innehåller bara det som frågorna i "
                "katalogen kan uppdatera.",
                "'..' (för få elever för att redovisas) → tomt värde med status sekretess; '.' → status saknas.",
                kolada_riket.riket_transformation("N17464"),
            ],
            notes=["Efter skolkommun (lägeskommun), inte hemkommun: andelen gäller eleverna i kommunens skolor, "
                   "inte kommunens unga. Hemkommunsmåttet är Kolada N17461 (kommun) och N60978 (län); den här "
                   "serien är ett komplement. Kolada N17464 är lägeskommunsvarianten och hör därför hit."],
        ),
    )


def build(sources_dir: Path) -> list[SeriesResult]:
    """Every series from Region Dalarna's follow-up files.

    A list of ``SeriesResult``: a tidy frame with the columns and dtypes of ``ingest.schema`` (value
    in the catalogue's unit; a missing value is NaN with a status, never 0) and its provenance.
    Raises SourceFormatError (an IngestError; Swedish, naming the file) when a file is missing or
    has changed shape.
    """
    return [build_n02904(sources_dir), build_aa0003(sources_dir), build_new_enterprises(sources_dir),
            build_skolverket(sources_dir)]

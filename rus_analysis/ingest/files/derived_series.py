"""Computed series, built from imported series and real denominators with ``rus_analysis.ingest.derived``.

Each provenance record names the exact numerator and denominator. Where the right denominator
does not exist in the sources (population 16–64, number of employed), the series is either
absent (the catalogue says "Data saknas") or carries the approximation in its id, title and unit.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rus_analysis.ingest.derived import ratio
from rus_analysis.ingest.files import eurostat, kre_energi, scb_brp
from rus_analysis.ingest.files.befolkning import population_31_december
from rus_analysis.ingest.files.common import Provenance, SeriesResult, tidy


def _base(series: dict[str, SeriesResult], indicator: str):
    return series[indicator].frame, series[indicator].provenance


def _inputs(*records: Provenance) -> tuple[list, list]:
    origins, inputs = [], []
    for record in records:
        origins += [o for o in record.origins if o not in origins]
        inputs += record.inputs
    return origins, inputs


def emissions_per_inhabitant(sources_dir: Path, series: dict[str, SeriesResult]) -> SeriesResult:
    """Greenhouse-gas emissions per inhabitant (ton CO2-ekv per invånare): the emission series
    divided by folkmängd 31 december (``befolkning.population_31_december``) where both have a value.

    ``series`` holds the already imported series by id. Returns one ``SeriesResult`` (tidy frame,
    ingest.schema columns, and provenance naming both inputs).
    """
    emissions, emissions_prov = _base(series, "vaxthusgaser_totalt")
    population = population_31_december(sources_dir)
    frame = ratio(emissions, population.frame)
    origins, inputs = _inputs(emissions_prov)
    return SeriesResult(
        tidy("vaxthusgaser_per_invanare", frame, "ton CO2-ekv per invånare"),
        Provenance(
            indicator="vaxthusgaser_per_invanare", title="Växthusgasutsläpp per invånare",
            agency=f"{emissions_prov.agency}; SCB (folkmängd, BE0101)",
            table=f"{emissions_prov.table}; SCB BE0101 folkmängd 31 december",
            release=emissions_prov.release, retrieved=emissions_prov.retrieved,
            licence=emissions_prov.licence, origins=origins + population.origins,
            inputs=inputs + population.inputs,
            transformations=[
                "Täljare: serien vaxthusgaser_totalt (en publicering, åtta inhemska huvudsektorer).",
                f"Nämnare: {population.description}",
                "Värde = utsläpp i ton CO2-ekv / folkmängd 31 december samma år.",
                "Kommunerna får värden bara för år med både utsläpp och folkmängd (2005, 2021, 2023, 2024).",
            ],
            notes=emissions_prov.notes,
        ),
    )


def gdp_msek(sources_dir: Path) -> pd.DataFrame:
    """BRP in million SEK, current prices: SCB's BRP per invånare (whole tkr) × population 31 December
    (the KRE file's, from SCB BE0101). Riket and the 21 län, 2009–2024."""
    per_inhabitant = scb_brp.load(sources_dir)
    population = kre_energi.population(kre_energi.load(sources_dir))
    merged = per_inhabitant.merge(population, on=["region_code", "year"], suffixes=("_brp", "_pop"))
    # tkr per inhabitant × inhabitants / 1 000 = million SEK
    merged["value"] = merged["value_brp"] * merged["value_pop"] / 1000
    return merged[["region_code", "year", "value"]]


def energy_per_gdp(sources_dir: Path, series: dict[str, SeriesResult]) -> SeriesResult:
    """Final energy use per BRP in MWh per mnkr BRP (current prices): energy (GWh) × 1 000 / BRP
    (million SEK, Eurostat regional accounts) where both have a value; one ``SeriesResult``.
    """
    energy, energy_prov = _base(series, "energianvandning_total")
    gdp = gdp_msek(sources_dir)
    # GWh per million SEK × 1 000 = MWh per million SEK.
    frame = ratio(energy, gdp, factor=1000)
    origins, inputs = _inputs(energy_prov)
    return SeriesResult(
        tidy("energianvandning_per_brp", frame, "MWh per mnkr BRP (löpande priser)"),
        Provenance(
            indicator="energianvandning_per_brp", title="Slutlig energianvändning per BRP",
            agency=f"{energy_prov.agency}; {scb_brp.AGENCY}",
            table=f"{energy_prov.table}; {scb_brp.TABLE}",
            release=f"{energy_prov.release}; {scb_brp.RELEASE}",
            retrieved=f"{energy_prov.retrieved}; BRP: {scb_brp.RETRIEVED}",
            licence=f"{energy_prov.licence}; {scb_brp.LICENCE}",
            origins=origins + [scb_brp.ORIGIN], inputs=inputs + [sources_dir / scb_brp.DATA_FILE],
            transformations=[
                "Täljare: serien energianvandning_total (SCB KRE, Total energi, GWh).",
                "Nämnare: BRP i miljoner kronor, löpande priser = SCB:s BRP per invånare (NR0105 TAB3138, hela "
                "tusental kronor) × folkmängden 31 december (SCB BE0101, samma fil som energin) / 1 000.",
                "Värde = GWh × 1 000 / BRP i mnkr = MWh per miljon kronor BRP.",
                "År där energianvändningen är sekretessbelagd får tomt värde med status sekretess.",
                "Bara år med båda uppgifterna (2009–2024) redovisas; senaste år med värde för Örebro län är 2023.",
            ],
            notes=[
                "BRP i löpande priser: en del av minskningen över tid är prisökning, inte effektivisering. "
                "BRP i fasta priser finns inte i underlaget, så målbedömningen är osäker.",
                "BRP per invånare är avrundat till hela tusental kronor och SCB:s befolkningsbegrepp för måttet kan "
                "skilja sig från folkmängden 31 december; nämnaren kan därför avvika några promille från SCB:s "
                "BRP i miljoner kronor.",
                "Basåret 2005 saknas (KRE-serien börjar 2009).",
                *energy_prov.notes,
            ],
        ),
    )


def new_enterprises_per_1000(sources_dir: Path, series: dict[str, SeriesResult]) -> SeriesResult:
    """New enterprises per 1 000 inhabitants aged 15–64 (a proxy for the catalogue's 16–64):
    counts × 1 000 / Eurostat population 15–64; one ``SeriesResult``.
    """
    counts, counts_prov = _base(series, "nystartade_foretag_antal")
    population = eurostat.population(sources_dir, "Y15-64")
    frame = ratio(counts, population, factor=1000)
    origins, inputs = _inputs(counts_prov)
    return SeriesResult(
        tidy("nystartade_foretag_per_1000_15_64", frame, "antal per 1 000 invånare 15–64 år"),
        Provenance(
            indicator="nystartade_foretag_per_1000_15_64",
            title="Nystartade företag per 1 000 invånare 15–64 år (närmevärde för 16–64 år)",
            agency=f"{counts_prov.agency}; Eurostat (befolkning, underlag från SCB)",
            table=f"{counts_prov.table}; Eurostat demo_r_pjanaggr3 (Y15-64)",
            release=counts_prov.release, retrieved=f"{counts_prov.retrieved}; Eurostat {eurostat.RETRIEVED}",
            licence=f"{counts_prov.licence}; {eurostat.LICENCE}",
            origins=origins + [eurostat.POPULATION_ORIGIN],
            inputs=inputs + [sources_dir / eurostat.POPULATION_FILE],
            transformations=[
                "Täljare: serien nystartade_foretag_antal (Tillväxtanalys, ny metod från 2010).",
                "Nämnare: befolkningen 15–64 år den 1 januari året efter (= 31 december samma år), Eurostat "
                "demo_r_pjanaggr3, båda könen.",
                "Värde = antal nystartade företag × 1 000 / befolkningen 15–64 år.",
                "Kommunerna saknar nämnare (ingen befolkning 15–64 år per kommun i källorna) och redovisas inte.",
            ],
            notes=[
                "NÄRMEVÄRDE: RUS-måttet (Tillväxtanalys, Kolada N00999) räknar per 1 000 invånare 16–64 år. "
                "Eurostat har bara 15–64 år, så nivån blir något lägre än det officiella måttet. Jämförelser "
                "mellan län och över tid påverkas lite, men värdena ska inte jämföras med publicerade 16–64-värden.",
                *counts_prov.notes,
            ],
        ),
    )


BUILDERS = [emissions_per_inhabitant, energy_per_gdp, new_enterprises_per_1000]


def build(sources_dir: Path, series: dict[str, SeriesResult]) -> list[SeriesResult]:
    """The computed series, from the imported ``series`` (id → SeriesResult) and real denominators
    found in ``sources_dir``. Raises SourceFormatError when an input series or denominator is missing.
    """
    return [builder(sources_dir, series) for builder in BUILDERS]

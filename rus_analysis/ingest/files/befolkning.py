"""Folkmängd 31 december for riket, län and Örebro län's kommuner, pieced from four files.

All four carry the same statistic (SCB BE0101, population on 31 December). Where two of them
cover the same region and year they must agree exactly, and the kommuner must add up to the
län; otherwise the import stops. That is what makes it safe to use them as one denominator.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from rus_analysis.config.geography import OREBRO_KOMMUNER, OREBRO_LAN
from rus_analysis.ingest.files import eurostat, folkmangd, kommunpanel, kre_energi
from rus_analysis.ingest.files.common import Origin, check


@dataclass
class Population:
    """Folkmängd 31 december: rows (region_code, year, value in persons), input files, origins,
    and how it was pieced together."""

    frame: pd.DataFrame  # region_code, year, value
    inputs: list[Path]
    origins: list[Origin]
    description: str


def _agree(a: pd.DataFrame, b: pd.DataFrame, what: str) -> None:
    both = a.merge(b, on=["region_code", "year"], suffixes=("_a", "_b"))
    differ = both[both["value_a"] != both["value_b"]]
    check(differ.empty, f"Folkmängden skiljer sig mellan källorna ({what}): {differ.head(3).to_dict('records')}")


def population_31_december(sources_dir: Path) -> Population:
    """Folkmängd 31 december for riket, the län and Örebro län's kommuner, pieced from four files.

    ``Population.frame`` has columns region_code (str), year (int), value (float, persons). Where two
    files give the same region and year they must agree; otherwise SourceFormatError is raised.
    """
    kre = kre_energi.population(kre_energi.load(sources_dir))            # riket, län 2009–2024
    euro = eurostat.population(sources_dir, "TOTAL")                       # riket 1989–2021, län 1999–2021
    scb = folkmangd.load(sources_dir)                                      # riket, län, kommuner 2023–2024
    panel = kommunpanel.population(sources_dir)                            # kommuner 2001, 2005 … 2021
    _agree(kre, euro, "SCB via KRE-filen och Eurostat")
    _agree(kre, scb, "SCB via KRE-filen och SCB:s tabell")
    lan = pd.concat([kre, euro, scb]).drop_duplicates(["region_code", "year"])
    kommun_sum = panel.groupby("year", as_index=False)["value"].sum().assign(region_code=OREBRO_LAN)
    _agree(lan, kommun_sum, "summan av Örebro läns kommuner och Örebro län")
    frame = pd.concat([lan, panel, scb[scb["region_code"].isin(OREBRO_KOMMUNER)]])
    frame = frame.drop_duplicates(["region_code", "year"]).sort_values(["region_code", "year"])
    return Population(
        frame=frame.reset_index(drop=True),
        inputs=[sources_dir / kre_energi.DATA_FILE, sources_dir / eurostat.POPULATION_FILE,
                *folkmangd.input_paths(sources_dir), sources_dir / kommunpanel.DATA_FILE],
        origins=[kre_energi.ORIGIN, eurostat.POPULATION_ORIGIN, *folkmangd.ORIGINS, kommunpanel.ORIGIN],
        description=(
            "Folkmängd 31 december samma år (SCB BE0101): riket och län 2009–2024 ur KRE-filen (Region Hallands "
            "koppling till SCB:s folkmängd), tidigare år ur Eurostat demo_r_pjanaggr3 (1 januari året efter), "
            "2023–2024 även ur SCB:s tabell; kommunerna ur Nordins kommunpanel (2001, 2005 … 2021) och SCB:s "
            "tabell (2023, 2024). Där källorna överlappar är värdena identiska, och kommunerna summerar till länet "
            "(kontrolleras vid varje import)."
        ),
    )

"""Verdicts that rest on a weak basis: said to be uncertain, with the reason and their sensitivity.

An indicator whose data do not measure what the target means (e.g. energy per BRP in current
prices, when "50 procent effektivare" means fixed prices) and whose target base year is missing
(so the comparison starts in another year) keeps its computed class, but the verdict says
"osäker" with the catalogue's reason (``uncertain`` in params/indikatorer.yml), and shows how the
class and the ratio RR change when other base years (``sensitivity_base_years``) are used.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from rus_analysis.assessment.series import Assessment, Direction, assess
from rus_analysis.config.catalogue import Target
from rus_analysis.config.numbers import format_number

UNCERTAIN_WORD = "osäker"


def base_year_sensitivity(values: pd.Series, direction: Direction, target: Target | None,
                          base_years: list[int], **options) -> list[tuple[int, Assessment]]:
    """The assessment with each base year in turn; a relative target is then measured from that year
    too (−50 % of the 2011 value when the base is 2011). Base years without a value are skipped."""
    results = []
    for year in base_years:
        if year not in values.dropna().index:
            continue
        moved = target.model_copy(update={"base_year": year}) if target is not None and target.base_year else target
        results.append((year, assess(values, direction, target=moved, base_year=year, **options)))
    return results


def sensitivity_sentence(results: list[tuple[int, Assessment]]) -> str:
    """``Med basåret 2011: i takt med målet (kvot 1,13); med 2012: …``"""
    if not results:
        return ""
    parts = []
    for number, (year, result) in enumerate(results):
        words = result.status.words.lower()
        ratio = f" (kvot {format_number(result.ratio, 2)})" if result.ratio is not None else ""
        parts.append(f"{'med basåret' if number == 0 else 'med'} {year}: {words}{ratio}")
    return "Känslighet för basåret: " + "; ".join(parts) + "."


def mark_uncertain(result: Assessment, reason: str, sensitivity: str = "") -> Assessment:
    """The same class, its sentence followed by why it is uncertain and how sensitive it is."""
    extra = f"Bedömningen är {UNCERTAIN_WORD}: {reason.strip().rstrip('.')}."
    sentence = " ".join(p for p in (result.sentence, extra, sensitivity) if p)
    return dataclasses.replace(result, sentence=sentence, uncertain=reason.strip())

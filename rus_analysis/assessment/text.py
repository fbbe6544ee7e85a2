"""The Swedish sentences that explain an assessment, one reader-facing sentence group each.

Kept apart from the arithmetic so the wording can be reviewed on its own. Numbers go through
rus_analysis.config.numbers (decimal comma, typographic minus).
"""

from __future__ import annotations

from rus_analysis.assessment.classes import Measure, ProgressClass
from rus_analysis.config.numbers import format_number, format_signed

NO_DATA = "Data saknas."
LINEAR_NOTE = (
    "Årlig procentuell förändring kan inte beräknas när ett värde är noll eller negativt, "
    "så den genomsnittliga förändringen per år används i stället."
)

def decimals_for(value: float) -> int:
    """Enough decimals that a small but real change does not print as 0,0."""
    size = abs(value)
    if size == 0 or float(value).is_integer() or size >= 1:
        return 0 if float(value).is_integer() else 1
    return 2 if size >= 0.1 else 3


def number(value: float) -> str:
    """A change or level with just enough decimals (``decimals_for``), Swedish style: ``0,25``, ``12``."""
    return format_number(value, decimals_for(value))


def signed(value: float) -> str:
    """As ``number`` with an explicit sign: ``+0,25``, ``−1,3``."""
    return format_signed(value, decimals_for(value))


def rate_unit(measure: Measure, unit: str) -> str:
    """The unit of a change per year: the measure's own (``procent per år``, ``procentenheter per år``),
    or ``<unit> per år`` for the average change in the indicator's unit.
    """
    if measure.name == "LINEAR":
        return f"{unit} per år".strip()
    return measure.value


def change_clause(subject: str, measure: Measure, actual: float, start: int, end: int,
                  unit: str) -> str:
    """The sentence on what happened: ``Andelen ökade med 0,6 procentenheter per år 2021–2024.``

    ``actual`` is the change per year in the measure's unit; a change that rounds to zero is said
    as "förändrades knappt" with its sign, and exactly zero as "låg kvar på samma nivå".
    """
    period = f"{start}–{end}"
    rate = rate_unit(measure, unit)
    if actual == 0:
        return f"{subject} låg kvar på samma nivå {period}."
    amount = number(abs(actual))
    if amount.strip("0,") == "":
        return f"{subject} förändrades knappt ({signed(actual)} {rate}) {period}."
    verb = "ökade" if actual > 0 else "minskade"
    return f"{subject} {verb} med {amount} {rate} {period}."


def level_goal(value: float, year: int, unit: str) -> str:
    """A level target in words: ``40 ton CO2-ekv till 2030``."""
    return f"{number(value)} {unit}".strip() + f" till {year}"


def relative_goal(percent: float, year: int, base_year: int) -> str:
    """A relative target in words: ``−60 procent till 2030 jämfört med 2005``."""
    return f"{signed(percent)} procent till {year} jämfört med {base_year}"


def target_sentence(change: str, status: ProgressClass, goal: str, required: float,
                    measure: Measure, unit: str, notes: list[str],
                    lost: tuple[int, int] | None = None) -> str:
    """``lost`` = (base year, latest year) when the target was met at the base but no longer is."""
    if status is ProgressClass.MALET_NATT:
        parts = [change, f"Målet ({goal}) är nått."]
    elif lost is not None:
        parts = [change, f"Målet ({goal}) var nått {lost[0]} men inte {lost[1]}.", status.sentence]
    else:
        need = f"För att nå målet ({goal}) behövs {signed(required)} {rate_unit(measure, unit)}."
        parts = [change, need, status.sentence]
    return " ".join(parts + notes)


def direction_sentence(change: str, status: ProgressClass, direction: str, notes: list[str]) -> str:
    """The text of a direction-only assessment: the change, the class's sentence with the desired
    direction (``önskad riktning: ökning``), then any notes (moved base year, linear measure).
    """
    wanted = "ökning" if direction == "upp" else "minskning"
    verdict = f"{status.sentence.rstrip('.')} (önskad riktning: {wanted})."
    return " ".join([change, verdict] + notes)


def cannot_assess(reason: str, notes: list[str]) -> str:
    """The text when a series cannot be assessed: "Data saknas." when there is no data, else
    "Utvecklingen kan inte bedömas: <reason>." followed by the notes.
    """
    if reason == "data saknas":
        return NO_DATA
    return " ".join([f"Utvecklingen kan inte bedömas: {reason}."] + notes)


def too_few(min_points: int, requested: int, break_year: int | None) -> str:
    """The reason for too few comparable years since ``requested``, naming a series break if there is one."""
    reason = f"det finns för få jämförbara värden (minst {min_points} år från {requested} behövs)"
    if break_year is not None:
        reason += f"; serien har ett brott {break_year} och äldre värden jämförs inte med nyare"
    return reason


def base_moved(requested: int, used: int, break_year: int | None) -> str:
    """The note when the base year has no value (or lies before a break) and a later year is used."""
    if break_year is not None and requested < break_year <= used:
        return f"Serien har ett brott {break_year}, så jämförelsen börjar {used} i stället för {requested}."
    return f"Data för {requested} saknas; jämförelsen börjar {used}, det första året med data därefter."


def reference_moved(target_base: int, used: int) -> str:
    """The note when a relative target's base year has no value and its level is computed from a
    later year (``assessment.targets.target_level``); the chart's text uses the same words.
    """
    return f"Data för målets basår {target_base} saknas; målnivån räknas från värdet {used}."

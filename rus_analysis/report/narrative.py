"""Swedish sentences generated from the data, for the report text and the charts' alt text.

The grammar that is easy to get wrong is handled here once:

- the verb follows the *displayed* numbers: ``ökade``/``minskade`` only when the rounded values
  differ, otherwise ``var oförändrad`` (``oförändrat`` for ett-words, ``oförändrade`` for plurals);
- a difference between two percentages is in ``procentenheter``, never ``procent``;
- units agree in number: ``1 procentenhet`` but ``1,0 procentenheter`` and ``2 procentenheter``
  (decimal numbers take the plural in Swedish);
- counts up to twelve are written as words (klarspråk): ``I fem av tolv kommuner …``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Literal

import pandas as pd

from rus_analysis.config.geography import OREBRO_KOMMUNER, RIKET
from rus_analysis.config.numbers import format_number
from rus_analysis.config.units import POINTS_UNIT, difference_unit, is_percent

Genus = Literal["utrum", "neutrum", "plural"]

# unit as written in the snapshot (lower case) -> (singular, plural) in running text
UNIT_FORMS: dict[str, tuple[str, str]] = {
    "procent": ("procent", "procent"),
    "%": ("procent", "procent"),
    "procentenheter": ("procentenhet", "procentenheter"),
    "ton co2-ekv": ("ton CO2-ekvivalenter", "ton CO2-ekvivalenter"),
    "ton co2-ekv.": ("ton CO2-ekvivalenter", "ton CO2-ekvivalenter"),
    "ton co2-ekvivalenter": ("ton CO2-ekvivalenter", "ton CO2-ekvivalenter"),
    "kronor": ("krona", "kronor"),
    "kr": ("krona", "kronor"),
    "personer": ("person", "personer"),
    "antal": ("", ""),
    "år": ("år", "år"),
}

_NUMBER_WORDS = ["noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio",
                 "elva", "tolv"]

_UNCHANGED = {"utrum": "oförändrad", "neutrum": "oförändrat", "plural": "oförändrade"}


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number_word(n: int, genus: Genus = "utrum") -> str:
    """``fem``, ``tolv``; ``en``/``ett`` by genus; 13 and up as digits."""
    if 0 <= n < len(_NUMBER_WORDS):
        return "ett" if n == 1 and genus == "neutrum" else _NUMBER_WORDS[n]
    return format_number(n, 0)


def join_names(names: Sequence[str]) -> str:
    """``A``, ``A och B``, ``A, B och C``."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " och " + names[-1]


def unit_words(unit: str, number_text: str) -> str:
    """The unit in running text, agreeing in number with the number as displayed."""
    singular, plural = UNIT_FORMS.get(unit.strip().lower(), (unit.strip(), unit.strip()))
    return singular if number_text.lstrip("\u2212+") == "1" else plural


def with_unit(value: float | None, unit: str, decimals: int = 1) -> str:
    """``22,0 procent``, ``1 procentenhet``, ``1 424 720 ton CO2-ekvivalenter``."""
    text = format_number(value, decimals)
    if _is_missing(value):
        return text
    words = unit_words(unit, text)
    return f"{text} {words}" if words else text


def _rounded(value: float, decimals: int) -> float:
    return round(value, decimals) + 0.0  # + 0.0 turns −0.0 into 0.0


def change_verb(first: float, last: float, decimals: int = 1, genus: Genus = "utrum") -> str:
    """``ökade``, ``minskade`` or ``var oförändrad`` judged on the displayed numbers."""
    a, b = _rounded(first, decimals), _rounded(last, decimals)
    if b > a:
        return "ökade"
    if b < a:
        return "minskade"
    return f"var {_UNCHANGED[genus]}"


def change_clause(first_year: int, first: float, last_year: int, last: float, unit: str,
                  decimals: int = 1, genus: Genus = "utrum", years: bool = True) -> str:
    """The predicate of a change: ``ökade från 21,2 till 22,0 procent mellan 2014 och 2024``.

    The unit is said once, after the second number, and the years come together at the end, so
    a number never runs into a year (``från 1 550 2010``). With ``years=False`` (when the years
    are already given, as in alt text): ``ökade från 78,1 till 79,9 procent``.
    """
    verb = change_verb(first, last, decimals, genus)
    if verb.startswith("var "):
        value = with_unit(last, unit, decimals)
        return f"{verb}, {value}, både {first_year} och {last_year}" if years else f"{verb}, {value}"
    clause = f"{verb} från {format_number(first, decimals)} till {with_unit(last, unit, decimals)}"
    return f"{clause} mellan {first_year} och {last_year}" if years else clause


def reader_unit(unit: str, title: str | None = None) -> str:
    """The unit as a reader says it after a number.

    ``antal`` names what is counted (``nystartade företag`` from the title ``Nystartade företag,
    antal``), and ``antal per 1 000 invånare`` becomes ``nystartade företag per 1 000 invånare``:
    never ``8,7 antal per 1 000 invånare``.
    """
    text = re.sub(r"CO2-ekv\.?(?![a-zåäö])", "CO2-ekvivalenter", unit.strip())
    lower = text.lower()
    noun = ""
    if title:
        base = re.sub(r"\s*\(.*?\)\s*$", "", title).strip()
        base = re.sub(r",\s*antal$", "", base, flags=re.IGNORECASE)
        noun = base.split(" per ")[0].strip()
        noun = noun[:1].lower() + noun[1:] if noun[1:2].islower() or len(noun) < 2 else noun
    if lower == "antal":
        return noun
    if lower.startswith("antal "):
        rest = text[len("antal "):]
        return f"{noun} {rest}".strip() if noun else rest
    return text


def change_amount(first: float, last: float, unit: str, decimals: int = 1) -> str:
    """How much it changed: ``0,8 procentenheter`` for percentages, else ``30 procent``."""
    if is_percent(unit):
        return with_unit(abs(last - first), POINTS_UNIT, decimals)
    if first == 0:
        return with_unit(abs(last - first), unit, decimals)
    return with_unit(abs(last / first - 1) * 100, "procent", 0)


def change_sentence(subject: str, first_year: int, first: float, last_year: int, last: float,
                    unit: str, decimals: int = 1, genus: Genus = "utrum",
                    with_amount: bool = False, place: str | None = None) -> str:
    """``Andelen ökade från 21,2 procent 2014 till 22,0 procent 2024.``

    ``with_amount`` adds the size of the change: ``, en ökning med 0,8 procentenheter``.
    ``place`` puts an adverbial first, with the verb before the subject as Swedish word order
    requires: ``place="I Örebro län"``, ``subject="andelen"`` gives
    ``I Örebro län ökade andelen från …``.
    """
    if _is_missing(first) or _is_missing(last):
        raise ValueError(f"Förändring för {subject!r} kan inte beskrivas: ett av värdena saknas.")
    clause = change_clause(first_year, first, last_year, last, unit, decimals, genus)
    if place:
        verb, rest = clause.split(" ", 1)
        sentence = f"{place} {verb} {subject} {rest}"
    else:
        sentence = f"{subject} {clause}"
    verb = change_verb(first, last, decimals, genus)
    if with_amount and not verb.startswith("var "):
        noun = "en ökning" if verb == "ökade" else "en minskning"
        sentence += f", {noun} med {change_amount(first, last, unit, decimals)}"
    return _capitalise(sentence) + "."


def difference_sentence(subject: str, value: float, reference_name: str, reference: float,
                        unit: str, decimals: int = 1, year: int | None = None) -> str:
    """``Örebro län ligger 1,3 procentenheter under riket.`` (``(2024)`` when a year is given)."""
    if _is_missing(value) or _is_missing(reference):
        raise ValueError(f"Jämförelse mellan {subject} och {reference_name} kan inte göras: "
                         "ett av värdena saknas.")
    difference = value - reference  # from the unrounded values, rounded once when shown
    when = f" ({year})" if year is not None else ""
    if _rounded(difference, decimals) == 0:
        return f"{_capitalise(subject)} ligger på samma nivå som {reference_name}{when}."
    side = "över" if difference > 0 else "under"
    amount = with_unit(abs(difference), difference_unit(unit), decimals)
    return f"{_capitalise(subject)} ligger {amount} {side} {reference_name}{when}."


def _ranked(values: Mapping[str, float]) -> list[tuple[str, float]]:
    return [(k, v) for k, v in values.items() if not _is_missing(v)]


def extremes_sentence(values: Mapping[str, float], unit: str, decimals: int = 1,
                      measure: str = "värdet", year: int | None = None) -> str:
    """``Högst var värdet i Örebro (82,1 procent) och lägst i Ljusnarsberg (70,2 procent).``

    Ties on the displayed value share the place: ``i Kumla och Örebro``.
    """
    present = _ranked(values)
    if len(present) < 2:
        raise ValueError("Minst två värden behövs för att ange högsta och lägsta.")
    rounded = {name: _rounded(v, decimals) for name, v in present}
    top, bottom = max(rounded.values()), min(rounded.values())
    if top == bottom:
        return (f"Värdet var detsamma, {with_unit(top, unit, decimals)}, "
                f"i {join_names(sorted(rounded))}{' ' + str(year) if year else ''}.")
    highest = sorted(n for n, v in rounded.items() if v == top)
    lowest = sorted(n for n, v in rounded.items() if v == bottom)
    when = f" {year}" if year is not None else ""
    return (f"Högst var {measure}{when} i {join_names(highest)} ({with_unit(top, unit, decimals)}) "
            f"och lägst i {join_names(lowest)} ({with_unit(bottom, unit, decimals)}).")


def count_sentence(values: Mapping[str, float], reference: float, reference_name: str,
                   noun: tuple[str, str] = ("kommun", "kommuner"), measure: str = "värdet",
                   decimals: int = 1, definite_plural: str = "kommunerna") -> str:
    """``I fem av tolv kommuner var värdet högre än i riket.``"""
    present = _ranked(values)
    if not present or _is_missing(reference):
        raise ValueError("Jämförelsen kan inte göras: värden saknas.")
    ref = _rounded(reference, decimals)
    above = sum(1 for _, v in present if _rounded(v, decimals) > ref)
    total = len(present)
    total_text = number_word(total)
    if above == 0:
        return (f"I ingen av de {total_text} {definite_plural} var {measure} "
                f"högre än i {reference_name}.")
    if above == total:
        return f"I samtliga {total_text} {noun[1]} var {measure} högre än i {reference_name}."
    return (f"I {number_word(above)} av {total_text} {noun[1]} var {measure} "
            f"högre än i {reference_name}.")


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- from tidy frames --------------------------------------------------------------------------

def _values(frame: pd.DataFrame, region_code: str, sex: str = "T",
            group: str = "totalt") -> pd.Series:
    rows = frame[(frame["region_code"] == region_code) & (frame["sex"] == sex)
                 & (frame["group"] == group)].dropna(subset=["value"])
    return rows.set_index("year")["value"].sort_index()


def series_change(frame: pd.DataFrame, region_code: str, subject: str, unit: str | None = None,
                  decimals: int = 1, genus: Genus = "utrum", since: int | None = None,
                  sex: str = "T", group: str = "totalt", with_amount: bool = False,
                  place: str | None = None) -> str:
    """The change from the first (or ``since``) to the latest year with a value.

    ``series_change(frame, "0018", "värdet", place="I Örebro län")`` gives
    ``I Örebro län ökade värdet från 78,1 procent 2020 till 80,6 procent 2024.``
    """
    values = _values(frame, region_code, sex, group)
    if since is not None:
        values = values[values.index >= since]
    if len(values) < 2:
        raise ValueError(f"För få år med värden för region {region_code} för att beskriva "
                         "en förändring (minst två behövs).")
    unit = unit if unit is not None else str(frame["unit"].iloc[0])
    return change_sentence(subject, int(values.index[0]), float(values.iloc[0]),
                           int(values.index[-1]), float(values.iloc[-1]), unit, decimals, genus,
                           with_amount, place)


def region_difference(frame: pd.DataFrame, region_code: str, reference_code: str = RIKET,
                      year: int | None = None, decimals: int = 1, sex: str = "T",
                      group: str = "totalt", unit: str | None = None) -> str:
    """``Örebro län ligger 1,3 procentenheter under riket (2024).`` for the latest common year."""
    own, ref = _values(frame, region_code, sex, group), _values(frame, reference_code, sex, group)
    common = sorted(set(own.index) & set(ref.index))
    if year is None:
        if not common:
            raise ValueError(f"Inget år har värden för både {region_code} och {reference_code}.")
        year = common[-1]
    if year not in common:
        raise ValueError(f"År {year} saknar värde för {region_code} eller {reference_code}.")
    names = frame.drop_duplicates("region_code").set_index("region_code")["region_name"]
    reference_name = "riket" if reference_code == RIKET else str(names[reference_code])
    unit = unit if unit is not None else str(frame["unit"].iloc[0])
    return difference_sentence(str(names[region_code]), float(own[year]), reference_name,
                               float(ref[year]), unit, decimals, year)


def kommun_summary(frame: pd.DataFrame, year: int | None = None, decimals: int = 1,
                   measure: str = "värdet", sex: str = "T", group: str = "totalt") -> str:
    """Highest and lowest kommun in Örebro län, and how many lie above riket, in one paragraph."""
    rows = frame[(frame["sex"] == sex) & (frame["group"] == group)].dropna(subset=["value"])
    kommuner = rows[rows["region_code"].isin(OREBRO_KOMMUNER)]
    if kommuner.empty:
        raise ValueError("Inga värden per kommun i Örebro län att beskriva.")
    year = int(kommuner["year"].max()) if year is None else year
    current = kommuner[kommuner["year"] == year]
    values = {OREBRO_KOMMUNER[c]: float(v) for c, v in zip(current["region_code"], current["value"], strict=False)}
    unit = str(frame["unit"].iloc[0])
    sentences = [extremes_sentence(values, unit, decimals, measure, year)]
    riket = rows[(rows["region_code"] == RIKET) & (rows["year"] == year)]["value"]
    if not riket.empty:
        sentences.append(count_sentence(values, float(riket.iloc[0]), "riket", measure=measure,
                                        decimals=decimals))
    return " ".join(sentences)

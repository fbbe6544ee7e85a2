"""Is a downloaded file for this indicator, and in its unit? Checked before anything is merged.

Identity: an id in the file (Kolada KPI, SCB table, SCB product code or contents code) is
compared with the catalogue (the indicator's queries and ``source.table``); where a format has
no id, the distinctive words of the file's title, headers and footnotes are compared with the
indicator's title, description and source. A mismatch is refused naming both. A file that says
nothing about itself is accepted only with a note, and the caller then compares its values with
the series it would change (``snapshot.refresh``).

Units: the unit the file declares (JSON-stat2 ``unit``, PX ``UNITS``, a title like
``Slutanvändning (MWh)`` or a header ``Andel (procent)``) must be the catalogue's unit or have a
known conversion (one table, ``UNITS``: kWh/MWh/GWh/TWh/GJ/TJ/PJ, andel/procent/promille, ton/kton/kg,
kronor/tkr/mnkr), which is applied and recorded; a unit of another quantity is refused naming both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction

from rus_analysis.config.catalogue import Indicator
from rus_analysis.errors import IngestError

KPI = re.compile(r"\b[NU]\d{5}\b")
SCB_TABLE = re.compile(r"\bTAB\d{2,5}\b|\b[A-Z]{2}\d{4}[A-Z]?\b")
# Words that say nothing about which statistic a file holds.
GENERIC = set("""
andel andelen andelar procent antal region regioner lan kommun kommuner riket sverige totalt samtliga
efter och eller samt med utan for fran till inom under over enligt per varav av som den det de har
befolkning befolkningen befolkningens invanare invanarna tabellinnehall tabell innehall uppgift
uppgifter saknas tillganglig osaker anges forklaring symboler kalla kallor statistik statistikdatabasen
scb kolada rka ar aren year value varde varden kon gender man kvinnor totalt alder aldrar fodda
testfixtur sweden county municipality regional
""".split())


class IdentityError(IngestError):
    """The file is for another statistic or another unit than the indicator. Swedish message."""


@dataclass
class Evidence:
    """What a file says about itself."""

    kpis: set[str]
    tables: set[str]  # SCB table ids, matrix names and product codes
    contents: set[str]  # SCB contents codes
    texts: list[str]  # title, contents labels, value headers, footnotes: what the file says it is
    unit: str | None  # a unit field (JSON-stat2 unit, PX UNITS), when the format has one
    hints: list[str] = field(default_factory=list)  # one-valued dimensions: support a match, never refute


def fold(text: str) -> str:
    """Lower case without diacritics: 'Slutanvändning' → 'slutanvandning'."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> set[str]:
    """Distinctive words (five letters or more, not generic) of a text, folded."""
    found = {w for w in re.findall(r"[a-z]+", fold(text)) if len(w) >= 5}
    return {w for w in found if w not in GENERIC and w.rstrip("s") not in GENERIC}


def _related(a: str, b: str) -> bool:
    """Same word, or one a compound part of the other ('slutanvandning' ~ 'energianvandning')."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 6 and (long_.startswith(short) or long_.endswith(short)):
        return True
    # shared compound tail of at least eight letters: ...anvandning, ...utbildning
    for size in range(min(len(a), len(b)), 7, -1):
        if a[-size:] == b[-size:]:
            return True
    return a[:9] == b[:9] and len(a) >= 9 and len(b) >= 9


def catalogue_ids(indicator: Indicator) -> tuple[set[str], set[str], set[str]]:
    """(Kolada KPIs, SCB tables/product codes, SCB contents codes) the catalogue names."""
    kpis = {q.id for q in indicator.queries if q.api == "kolada"} | set(KPI.findall(indicator.source.table))
    tables = set(SCB_TABLE.findall(indicator.source.table)) - kpis
    contents: set[str] = set()
    for query in indicator.queries:
        if query.api == "scb":
            tables.add(query.id)
            contents |= set(query.selection.get("ContentsCode", []))
    return kpis, tables, contents


def _indicator_words(indicator: Indicator) -> set[str]:
    return words(" ".join([indicator.title, indicator.description, indicator.source.agency, indicator.source.table]))


def check_identity(evidence: Evidence, indicator: Indicator) -> tuple[bool, list[str]]:
    """(verified, notes). Raises IdentityError when the file is for another statistic.

    ``verified`` is False when the file carries neither an id nor distinctive words; the caller
    must then check the values against the existing series.
    """
    kpis, tables, contents = catalogue_ids(indicator)
    described = f"{indicator.id} ({indicator.title}; {indicator.source.table})"
    if evidence.kpis:
        wrong = sorted(evidence.kpis - kpis)
        if wrong and not (evidence.kpis & kpis):
            where = f"Kolada {', '.join(sorted(kpis))}" if kpis else "en annan källa än Kolada"
            raise IdentityError(f"filen gäller Kolada {', '.join(wrong)}, men indikatorn {indicator.id} "
                                f"({indicator.title}) hämtas från "
                                f"{where}. Välj rätt indikator med --indikator")
        return True, []
    file_ids = evidence.tables | evidence.contents
    id_match = bool(file_ids & (tables | contents)) or any(
        f.startswith(t) for f in file_ids for t in tables if re.fullmatch(r"[A-Z]{2}\d{4}[A-Z]?", t))
    if id_match:
        return True, []
    file_words = words(" ".join(evidence.texts))
    ours = _indicator_words(indicator)
    if any(_related(a, b) for a in file_words | words(" ".join(evidence.hints)) for b in ours):
        return True, []
    if file_words or (file_ids and tables):
        shown = next((t for t in evidence.texts if words(t)), "") or ", ".join(sorted(file_ids))
        ids = f" (tabell {', '.join(sorted(file_ids))})" if file_ids else ""
        raise IdentityError(f"filen gäller {' '.join(shown.split())[:120]!r}{ids}, men indikatorn är {described}. "
                            "Välj rätt indikator med --indikator, eller kontrollera att rätt tabell laddades ned")
    return False, [f"Filen anger varken tabell, nyckeltal eller rubrik; att den gäller {indicator.title} "
                   "kunde inte kontrolleras i filen utan bara mot seriens befintliga värden."]


# --- units ------------------------------------------------------------------------------------

# Every unit a file may declare: folded name → (quantity, exact size in the quantity's base unit,
# how it is written). The one rule for conversions: same quantity → factor = size / target size;
# different quantities → refused. 1 TJ = 1/3,6 GWh exactly (1 kWh = 3,6 MJ).
UNITS: dict[str, tuple[str, Fraction, str]] = {
    "kwh": ("energi", Fraction(1, 10**6), "kWh"),
    "mwh": ("energi", Fraction(1, 10**3), "MWh"),
    "gwh": ("energi", Fraction(1), "GWh"),
    "twh": ("energi", Fraction(10**3), "TWh"),
    "gj": ("energi", Fraction(1, 3600), "GJ"),
    "tj": ("energi", Fraction(1000, 3600), "TJ"),
    "pj": ("energi", Fraction(10**6, 3600), "PJ"),
    "procent": ("andel", Fraction(1), "procent"),
    "andel": ("andel", Fraction(100), "andel"),
    "promille": ("andel", Fraction(1, 10), "promille"),
    "ton": ("massa", Fraction(1), "ton"),
    "kton": ("massa", Fraction(1000), "kton"),
    "kiloton": ("massa", Fraction(1000), "kiloton"),
    "kg": ("massa", Fraction(1, 1000), "kg"),
    "antal": ("antal", Fraction(1), "antal"),
    "kronor": ("pengar", Fraction(1), "kronor"),
    "kr": ("pengar", Fraction(1), "kr"),
    "tkr": ("pengar", Fraction(1000), "tkr"),
    "mnkr": ("pengar", Fraction(10**6), "mnkr"),
}
ENERGY = re.compile(r"\b(" + "|".join(k for k, v in UNITS.items() if v[0] == "energi") + r")\b")
# Units other than energy and shares count only where SCB puts a unit: the whole unit field, or in
# parentheses ("Utsläpp (ton) efter ..."), so a title like "Antal elever ..." declares nothing.
OTHER = [k for k, v in UNITS.items() if v[0] not in ("energi", "andel")]
OTHER_IN_PARENS = re.compile(r"\(\s*(" + "|".join(OTHER) + r")\s*\)")


def declared_unit(evidence: Evidence) -> str | None:
    """The unit the file declares, as written in ``UNITS`` (``GWh``, ``TJ``, ``procent``, ``ton`` …), or None."""
    candidates = [evidence.unit] if evidence.unit else []
    candidates += evidence.texts
    for index, text in enumerate(candidates):
        folded = fold(text or "")
        energy = ENERGY.findall(folded)
        if energy and " per " not in folded:
            return UNITS[energy[0]][2]
        if re.search(r"procent|%", folded):
            return "procent"
        if re.search(r"\bpromille\b", folded):
            return "promille"
        # "andel" is a unit only where SCB puts units: alone, after a comma or in parentheses at the end
        if re.search(r"(^|,|\()\s*andel\s*\)?\s*$", folded) or re.search(r"\bandel\s*\(?\s*0\s*[-–]\s*1\b", folded):
            return "andel"
        if " per " in folded:
            continue
        whole = folded.strip() if index == 0 and evidence.unit else ""
        other = OTHER_IN_PARENS.search(folded)
        if whole.split()[:1] and whole.split()[0] in OTHER:
            return UNITS[whole.split()[0]][2]
        if other:
            return UNITS[other.group(1)][2]
    return None


def _base_unit(unit: str) -> str | None:
    """The ``UNITS`` key a catalogue unit is measured in ('ton CO2-ekv' → 'ton'); None for a rate ('… per …')."""
    folded = fold(unit).strip()
    if " per " in folded or not folded:
        return None
    first = folded.split()[0]
    return first if first in UNITS else None


def unit_conversion(declared: str | None, indicator: Indicator) -> tuple[Fraction, str | None]:
    """(factor, description) to bring the file's values to the catalogue's unit.

    ``factor`` (exact) multiplies the file's values; description is None when no conversion is
    needed. One rule for every unit in ``UNITS``: same quantity → converted; another quantity, or a
    catalogue unit that is a rate, → IdentityError naming both units in Swedish.
    """
    if declared is None:
        return Fraction(1), None
    target = indicator.unit.strip()
    key = fold(declared)
    if key not in UNITS:
        return Fraction(1), None
    if fold(target) == key:
        return Fraction(1), None
    base = _base_unit(target)
    if base is not None and UNITS[base][0] == UNITS[key][0]:
        factor = UNITS[key][1] / UNITS[base][1]
        if factor == 1:
            return Fraction(1), None
        shown_target = UNITS[base][2]
        how = f"delade med {_number(1 / factor)}" if factor < 1 else f"gånger {_number(factor)}"
        return factor, f"{declared} → {shown_target}: värdena {how}"
    raise IdentityError(f"filen anger enheten {declared}, men indikatorn {indicator.id} har enheten {target} "
                        "och det finns ingen känd omräkning mellan dem. Kontrollera att rätt tabell laddades ned")


def _number(value: Fraction) -> str:
    """Swedish: 1 000 (no-break space), 3,6."""
    if value.denominator == 1:
        return _thousands(float(value))
    return f"{float(value):.6g}".replace(".", ",")


def _thousands(value: float) -> str:
    text = f"{value:,.0f}".replace(",", "\u00a0")
    return text

"""The report's source appendix ("Källor") as Markdown, from the catalogue and the provenance records.

Every figure in the report must be traceable: for each indicator the appendix cites the agency,
the table or KPI, the release and the retrieval date, in a reader's words. The technical
provenance (retrieval route, repositories, checksums, transcription checks, transformations)
stays with the data in ``data/`` and is shown by ``rus data kontroll``. An indicator without data
is listed as "Data saknas" with who publishes it.
"""

from __future__ import annotations

import re
from pathlib import Path

from rus_analysis.config.catalogue import Catalogue, Indicator
from rus_analysis.ingest.provenance import ProvenanceError
from rus_analysis.report.markup import Markdown, link
from rus_analysis.report.rows import source_text
from rus_analysis.snapshot.store import read_provenance, series_path

INTRO = Markdown(
    "Alla siffror i rapporten kommer från officiell statistik. För varje indikator anges här "
    "vilken myndighet som publicerar statistiken, vilken tabell eller vilket nyckeltal som används, "
    "vilken publicering siffrorna kommer från och när de hämtades. Inga värden har uppskattats "
    "eller fyllts i. Hur varje serie har hämtats och kontrollerats dokumenteras i rapportens "
    "dataunderlag."
)

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december"]
# Words that belong to the technical provenance (retrieval route, repositories, checks), not to a
# reader's citation: a parenthesis or phrase containing one is left out of the appendix.
_TECHNICAL = re.compile(r"commit|repo|github|HEAD|Region Hallands|Region Dalarna|Klimatkollen|"
                        r"goeranh|rKolada|handexport|pipeline|\.json|\.csv|\.xlsx|\.tsv",
                        re.IGNORECASE)
_ISO_DATE = re.compile(r"(?P<before>\b\w+\s+)?(?P<date>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


# "enligt uttaget 2026-07", "enligt uttag 2025/2026", "enligt Region Hallands uttag",
# "enligt uttag ca maj 2021", "(uttag 2026-01)": who extracted the figures and when, as a whole
# phrase (the word "uttag" with its ending and the date or period after it), never cut inside a
# word. The retrieval date is cited on its own line ("Hämtad").
_EXTRACT_PHRASE = re.compile(
    r"\s*enligt\s+(?:[^;,()]*?\s)?uttag(?:et)?\b"
    r"(?:\s+(?:ca\s+)?(?:(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)\s+)?"
    r"\d{4}(?:[-/–]\d{2,4})?\b)?")


def _without_technical(text: str) -> str:
    """A release or retrieval note as a reader's citation: parentheses and phrases that tell the
    retrieval route (repositories, commits, who extracted it) are left out."""
    text = _one_line(text)
    previous = None
    while previous != text:  # innermost parentheses first
        previous = text
        text = re.sub(r"\s*\(([^()]*)\)",
                      lambda m: "" if _TECHNICAL.search(m.group(1)) else m.group(0), text)
    text = _EXTRACT_PHRASE.sub("", re.sub(r"\s*\(uttag(?:et)?\s[^()]*\)", "", text))
    parts = [p.strip() for p in text.split(";")]
    return "; ".join(p for p in parts if p and not _TECHNICAL.search(p)).strip(" ;,")


def reader_date(text: str) -> str:
    """``2026-06-25`` → ``25 juni 2026``; ``Senast 2023-05-26 (…)`` → ``senast 26 maj 2023``.
    Several dates are joined; without any date: ``uppgift saknas``."""
    dates = []
    for match in _ISO_DATE.finditer(str(text)):
        day, month = int(match.group("day")), int(match.group("month"))
        if not 1 <= month <= 12:
            continue
        prefix = "senast " if (match.group("before") or "").strip().lower() == "senast" else ""
        written = f"{prefix}{day} {MONTHS[month - 1]} {match.group('date')}"
        before = text[max(0, match.start('date') - 12):match.start('date')]
        if written not in dates and _TECHNICAL.search(before) is None:
            dates.append(written)
    return " och ".join(dates) if dates else "uppgift saknas"


def indicator_section(indicator: Indicator, data_dir: Path, level: int = 3) -> Markdown:
    """The appendix entry for one indicator: agency, table or KPI, release, retrieval date.
    Every value from the catalogue or the provenance record is text (escaped); the catalogue's
    web address is a link only when it is an http(s) address."""
    lines = [Markdown("#") * level + Markdown(" ") + indicator.title, Markdown("")]
    if not series_path(data_dir, indicator.id).is_file():
        lines.append(Markdown("Data saknas i den här rapporten. Källa: {}.").format(source_text(indicator)))
        if indicator.published:
            lines += [Markdown(""), Markdown("{}").format(_one_line(indicator.published))]
        return Markdown("\n").join(lines) + Markdown("\n")

    try:
        record = read_provenance(data_dir, indicator.id)
    except ProvenanceError:
        record = None  # `rus data kontroll` names the problem; the reader sees what the catalogue says
    release = _without_technical(record.release if record else "")
    lines += [
        Markdown("- Källa: {}").format(_one_line(record.agency if record else indicator.source.agency)),
        Markdown("- Tabell eller nyckeltal: {}").format(_one_line(record.table if record else indicator.source.table)),
        Markdown("- Publicering: {}").format(release or "uppgift saknas"),
        Markdown("- Hämtad: {}").format(reader_date(record.retrieved if record else "")),
    ]
    if indicator.source.url:
        lines.append(Markdown("- Webbplats: {}").format(link(indicator.source.url)))
    return Markdown("\n").join(lines) + Markdown("\n")


def sources_appendix(catalogue: Catalogue, data_dir: Path, kraftsamlingar: list[str] | None = None,
                     level: int = 1, with_heading: bool = True) -> Markdown:
    """The whole "Källor" appendix, grouped by kraftsamling in the given (or the catalogue's) order."""
    order = kraftsamlingar or [k.id for k in catalogue.kraftsamlingar]
    titles = {k.id: k.title for k in catalogue.kraftsamlingar}
    unknown = [k for k in order if k not in titles]
    if unknown:
        raise ValueError(f"Kraftsamlingarna {unknown} finns inte i indikatorkatalogen.")
    # The notebook chapter carries its own "# Källor" heading (Quarto needs it in a Markdown cell).
    parts = ([Markdown("#") * level + Markdown(" Källor"), Markdown("")] if with_heading else [])
    parts += [INTRO, Markdown("")]
    for kraftsamling in order:
        indicators = catalogue.for_kraftsamling(kraftsamling)
        if not indicators:
            continue
        parts += [Markdown("#") * (level + 1) + Markdown(" ") + titles[kraftsamling], Markdown("")]
        parts += [indicator_section(i, Path(data_dir), level + 2) for i in indicators]
    return Markdown("\n").join(parts).rstrip() + Markdown("\n")

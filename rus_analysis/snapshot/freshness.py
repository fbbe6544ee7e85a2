"""Does the snapshot reach a report's last data year? Which series stop before it, and what to do.

A report says "Statistik till och med <data_till_och_med>"; a series whose latest value is older
shows an older "senaste år" without anyone noticing. This module finds those series for
``rus nytt-ar`` (what to update before the new report), ``rus data kontroll --ar`` and the
build's warning and manifest. Every message is Swedish and at most :data:`WIDTH` columns wide,
so it reads in an 80-column terminal.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rus_analysis.config.catalogue import Indicator
from rus_analysis.config.geography import RIKET
from rus_analysis.snapshot.store import read_series

WIDTH = 80
NO_DATA = "utan data"


@dataclass(frozen=True)
class SeriesEnd:
    """Where one indicator's series ends.

    ``latest_year`` is the latest year with a value for the report's region; when the region has
    none, for its kommuner; when they have none either, for any region (e.g. only the jämförbara
    län). None when the series has no value at all. ``where`` names which of these it is:
    ``"region"``, ``"kommuner"``, ``"annan"`` or ``""`` (no value).
    """

    indicator: Indicator
    latest_year: int | None
    where: str

    def reaches(self, cutoff: int) -> bool:
        """True when the series has a value for ``cutoff`` or later."""
        return self.latest_year is not None and self.latest_year >= cutoff


def _kommun_of(region: str, code: str) -> bool:
    """A kommun code (``1880``) belongs to the län ``00LL`` whose two last digits start it."""
    return region.startswith("00") and region != RIKET and not code.startswith("00") \
        and code[:2] == region[2:]


def series_ends(data_dir: Path, indicators: Iterable[Indicator], region: str,
                skip: set[str] | frozenset = frozenset()) -> list[SeriesEnd]:
    """One :class:`SeriesEnd` per indicator (in the given order), from ``data/series/<id>.csv``.

    Rows with a missing value (sekretess, saknas) do not count. Indicators in ``skip`` (series
    that fail validation) are left out. A series file that does not exist counts as no data.
    Raises what ``store.read_series`` raises for an unreadable file (validate first).
    """
    ends = []
    for indicator in indicators:
        if indicator.id in skip:
            continue
        frame = read_series(data_dir, indicator.id)
        frame = frame[frame["value"].notna()]
        codes = frame["region_code"].astype(str)
        latest, where = None, ""
        for name, rows in (("region", frame[codes == region]),
                           ("kommuner", frame[codes.map(lambda c: _kommun_of(region, c))]),
                           ("annan", frame)):
            if not rows.empty:
                latest, where = int(rows["year"].max()), name
                break
        ends.append(SeriesEnd(indicator, latest, where))
    return ends


def ending_before(ends: Iterable[SeriesEnd], cutoff: int) -> dict[str, int | None]:
    """``{indicator id: latest year or None}`` for every series that stops before ``cutoff``
    (None: no value at all), in the given order. This is what the build's manifest records."""
    return {e.indicator.id: e.latest_year for e in ends if not e.reaches(cutoff)}


def _wrapped(text: str, indent: str, next_indent: str | None = None) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent,
                         subsequent_indent=next_indent if next_indent is not None else indent,
                         break_long_words=False, break_on_hyphens=False)


def grouped_lines(ends: Iterable[SeriesEnd], cutoff: int) -> list[str]:
    """The series that stop before ``cutoff``, grouped by their latest year (newest first), then
    those without data: ``t.o.m. 2024 (7): vaxthusgaser_totalt, …``. Indicator ids, because the
    reader is the analyst who updates them. Empty when every series reaches ``cutoff``."""
    before = [e for e in ends if not e.reaches(cutoff)]
    groups: dict[int | None, list[str]] = {}
    for end in sorted(before, key=lambda e: -(e.latest_year or 0)):
        groups.setdefault(end.latest_year, []).append(end.indicator.id)
    lines = []
    for year, ids in groups.items():
        head = f"t.o.m. {year}" if year is not None else NO_DATA
        lines += _wrapped(f"{head} ({len(ids)}): {', '.join(ids)}", "  ", "      ")
    return lines


def cutoff_warning(ends: list[SeriesEnd], cutoff: int, report_year: int) -> list[str]:
    """The build's warning: a head line and :func:`grouped_lines`; empty when nothing is missing."""
    before = [e for e in ends if not e.reaches(cutoff)]
    if not before:
        return []
    head = (f"Obs: {len(before)} av {len(ends)} serier i rapporten {report_year} slutar före "
            f"{cutoff}, fast titelsidan säger \"Statistik till och med {cutoff}\":")
    return [*_wrapped(head, ""), *grouped_lines(ends, cutoff),
            *_wrapped(f"Vad som behöver uppdateras: rus data kontroll --ar {report_year}", "")]


def update_hint(indicator: Indicator) -> tuple[str, str]:
    """What an analyst does to extend the series: (a Swedish sentence, the command to run).

    A series with Kolada/SCB queries in the catalogue: ``rus data uppdatera``; one computed from
    several sources (the catalogue's agency names them with ``;``): new source files and
    ``rus data bygg``; otherwise: fetch the catalogue's table by hand and ``rus data importera``.
    """
    source = indicator.source
    if indicator.queries:
        apis = " och ".join(sorted({q.label().split()[0] for q in indicator.queries}))
        return f"Hämtas från {apis}:", f"rus data uppdatera --indikator {indicator.id}"
    if ";" in source.agency:
        return (f"Räknas ur flera källor ({source.agency}); lägg nya källfiler i källmappen, sedan:",
                "rus data bygg")
    return f"Hämta {source.table} för hand, sedan:", f"rus data importera FIL --indikator {indicator.id}"


def update_lines(ends: Iterable[SeriesEnd], cutoff: int) -> list[str]:
    """Per indicator, whether its data reach ``cutoff`` and, when not, what to update.

    Those that reach it first, on one wrapped line; then one block per series that does not:
    ``- <id>: t.o.m. <år>`` (or ``utan data``) and the hint of :func:`update_hint`, indented.
    """
    ends = list(ends)
    ready = [e.indicator.id for e in ends if e.reaches(cutoff)]
    late = [e for e in ends if not e.reaches(cutoff)]
    lines = [f"Data till och med {cutoff} för {len(ends)} indikatorer:"]
    if ready:
        lines += _wrapped(f"Når {cutoff} ({len(ready)}): {', '.join(ready)}", "  ", "    ")
    if late:
        lines.append(f"  Slutar före {cutoff} ({len(late)}):")
        for end in late:
            state = f"t.o.m. {end.latest_year}" if end.latest_year is not None else NO_DATA
            if end.where == "kommuner":
                state += " (kommunerna)"
            elif end.where == "annan":
                state += " (andra regioner)"
            lines += _wrapped(f"- {end.indicator.id}: {state}", "  ", "      ")
            hint, command = update_hint(end.indicator)
            lines += [*_wrapped(hint, "      "), f"      {command}"]
            if end.latest_year is None and end.indicator.missing_note:
                lines += _wrapped(end.indicator.missing_note, "      ")
    else:
        lines.append(f"  Alla når {cutoff}.")
    return lines

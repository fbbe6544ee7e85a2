"""The indicator catalogue, ``params/indikatorer.yml``: one entry per indicator.

An indicator id is the name of its data file (``data/series/<id>.csv``), its provenance
record, its charts and its row in the status table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rus_analysis.config.yaml_files import SettingsError, load_yaml_model
from rus_analysis.errors import ConfigError

Direction = Literal["upp", "ned"]

# Kolada KPIs that Kolada's own catalogue no longer holds, and the KPI that replaces each
# (../shared/sources/kolada-kpi-katalog-rkolada/PROVENANCE.md, the v3 catalogue of March 2026).
RETIRED_KOLADA_KPIS: dict[str, str] = {"N00914": "N02267", "N02904": "N66077"}
Breakdown = Literal["kon", "fodelseregion", "kommun", "sektor", "vistelsetid"]


class Target(BaseModel):
    """A target the strategy sets for an indicator."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["niva", "relativ_forandring", "jamforbara_lan", "riktning"]
    value: float | None = None  # level, or relative change in percent (−60 = −60 %)
    base_year: int | None = None
    target_year: int | None = None
    wording: str  # the strategy's own words


class Source(BaseModel):
    """Who publishes an indicator's statistics and in which table or KPI (shown in the report)."""

    model_config = ConfigDict(extra="forbid")

    agency: str
    table: str  # table or KPI id, e.g. "SCB AM0210 TAB3200" or "Kolada N02904"
    url: str | None = None


class Query(BaseModel):
    """One API request that yields (part of) an indicator's series, used by ``rus data uppdatera``.

    Kolada: ``id`` is the KPI, sex comes from Kolada's gender. SCB: ``id`` is the PxWebApi 2.0
    table (``TAB3200``), ``table_v1`` the optional v1 path used as fallback, ``selection`` fixes the
    other dimensions (``ContentsCode``, ``Alder`` …). ``sex`` maps SCB's Kon codes or texts to T/K/M;
    ``groups`` maps values of ``group_dimension`` to the snapshot's group labels.
    """

    model_config = ConfigDict(extra="forbid")

    api: Literal["kolada", "scb"]
    id: str = Field(min_length=1)
    table_v1: str | None = None
    regions: list[str] = ["riket", "lan", "orebro_kommuner"]  # aliases or region codes
    years: list[int] = []  # empty: every year the source has
    selection: dict[str, list[str]] = {}
    region_dimension: str = "Region"
    time_dimension: str = "Tid"
    sex_dimension: str | None = None
    sex: dict[str, Literal["T", "K", "M"]] = {}
    group_dimension: str | None = None
    groups: dict[str, str] = {}
    group: str = "totalt"  # group label when there is no group_dimension
    # False when the query's table, variable or value codes could not be checked offline against
    # a recorded answer or the provider's catalogue; ``unverified_reason`` then says what is unchecked.
    verified: bool = True
    unverified_reason: str | None = None
    note: str | None = None  # a caveat about what the query returns (survey, variant, coverage)

    @model_validator(mode="after")
    def _reason_when_unverified(self) -> Query:
        if not self.verified and not (self.unverified_reason or "").strip():
            raise ValueError("en fråga med verified: false måste ange unverified_reason (vad som inte kunde "
                             "kontrolleras)")
        return self

    def label(self) -> str:
        """``Kolada N02267`` or ``SCB TAB3200``: how messages name the query."""
        return f"{'Kolada' if self.api == 'kolada' else 'SCB'} {self.id}"


# The indicator texts a reader sees, and how they state a span of years: "2006–2025", "t.o.m. 2025".
_READER_TEXTS = ("description", "published", "missing_reason", "uncertain")
_YEAR_RANGE = re.compile(r"\b(?:\d{4}\s*[–-]\s*|(?:till och med|t\.\s?o\.\s?m\.)\s+)(?P<end>\d{4})\b")


class Indicator(BaseModel):
    """One indicator of the catalogue: titles, unit, kraftsamling, source, breakdowns, desired direction,
    target, series breaks and the API queries that fetch it. Keys as in params/indikatorer.yml.
    """

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    # How a sentence names it, in definite form: "sysselsättningsgraden", "utsläppen av växthusgaser".
    subject: str | None = None
    description: str
    unit: str
    kraftsamling: str
    targeted: bool  # one of the strategy's målsatta indikatorer
    source: Source
    breakdowns: list[Breakdown] = []
    direction: Direction
    target: Target | None = None
    series_break: str | None = None  # declared break against another series (id and why)
    break_year: int | None = None  # first year after a break inside this series; no trend across it
    decimals: int = 1
    missing_note: str | None = None  # for analysts (`rus data kontroll`): how to fetch missing data
    # For readers, when the report has no data: why it is missing, and who publishes the
    # statistics and when. Plain Swedish, no commands, file names or ids (shown in the report).
    missing_reason: str | None = None
    published: str | None = None
    # Why a verdict on this series is uncertain (e.g. the target means fixed prices but the data are in
    # current prices); the assessment then says "osäker" with this reason.
    uncertain: str | None = None
    # Other base years to show the verdict's sensitivity to (the ratio RR with each), for an
    # indicator whose target base year is missing from the data.
    sensitivity_base_years: list[int] = []
    queries: list[Query] = []  # how `rus data uppdatera` fetches the series from Kolada/SCB


class Kraftsamling(BaseModel):
    """One of the strategy's kraftsamlingar; its chapter is ``notebooks/<id>.ipynb``."""

    model_config = ConfigDict(extra="forbid")

    # Like an indicator id: it names a notebook and is written into its generated code cells.
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    goal: str

    @property
    def chapter(self) -> str:
        """The chapter's path in the project, as _quarto.yml lists it."""
        return chapter_path(self.id)


def chapter_path(kraftsamling_id: str) -> str:
    """``notebooks/<id>.ipynb``: a kraftsamling's notebook is named by its id, nothing else."""
    return f"notebooks/{kraftsamling_id}.ipynb"


class UnknownIdError(SettingsError, KeyError):
    """An indicator or kraftsamling id that the catalogue does not have (e.g. a notebook typo).

    A ``KeyError`` too, for callers that catch that; ``str()`` is the Swedish message."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class Catalogue(BaseModel):
    """``params/indikatorer.yml``: the kraftsamlingar (in the report's order) and their indicators."""

    model_config = ConfigDict(extra="forbid")

    kraftsamlingar: list[Kraftsamling]
    indicators: list[Indicator]

    @model_validator(mode="after")
    def _check_references(self) -> Catalogue:
        known = {k.id for k in self.kraftsamlingar}
        seen: set[str] = set()
        for indicator in self.indicators:
            if indicator.id in seen:
                raise ValueError(f"indikatorn {indicator.id!r} finns två gånger i katalogen")
            seen.add(indicator.id)
            if indicator.kraftsamling not in known:
                raise ValueError(
                    f"indikatorn {indicator.id!r} hör till kraftsamlingen {indicator.kraftsamling!r}, "
                    f"som inte finns bland kraftsamlingar ({', '.join(sorted(known))})"
                )
        return self

    def get(self, indicator_id: str) -> Indicator:
        """The indicator with this id; raises UnknownIdError (a ConfigError and a KeyError, in
        Swedish) when there is none."""
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise UnknownIdError(f"Indikatorn {indicator_id!r} finns inte i katalogen (params/indikatorer.yml).")

    def kraftsamling(self, kraftsamling_id: str) -> Kraftsamling:
        """The kraftsamling with this id; :class:`UnknownIdError` (Swedish) when there is none."""
        for kraftsamling in self.kraftsamlingar:
            if kraftsamling.id == kraftsamling_id:
                return kraftsamling
        known = ", ".join(k.id for k in self.kraftsamlingar)
        raise UnknownIdError(f"Kraftsamlingen {kraftsamling_id!r} finns inte i katalogen "
                             f"(params/indikatorer.yml). Kända kraftsamlingar: {known}.")

    def for_kraftsamling(self, kraftsamling_id: str) -> list[Indicator]:
        """The kraftsamling's indicators in catalogue order; :class:`UnknownIdError` for an unknown id."""
        self.kraftsamling(kraftsamling_id)
        return [i for i in self.indicators if i.kraftsamling == kraftsamling_id]

    def retired_queries(self) -> list[str]:
        """One Swedish problem per query that asks Kolada for a retired KPI, naming its replacement."""
        return [f"{indicator.id}: frågan {number} ber Kolada om {query.id}, som inte finns kvar i Koladas "
                f"katalog; använd {RETIRED_KOLADA_KPIS[query.id]} i stället"
                for indicator in self.indicators
                for number, query in enumerate(indicator.queries, start=1)
                if query.api == "kolada" and query.id in RETIRED_KOLADA_KPIS]

    def unverified_queries(self) -> list[tuple[Indicator, int, Query]]:
        """Every query marked ``verified: false``, with its indicator and number (from 1)."""
        return [(indicator, number, query) for indicator in self.indicators
                for number, query in enumerate(indicator.queries, start=1) if not query.verified]

    @property
    def kraftsamling_ids(self) -> list[str]:
        """The kraftsamlingar in the catalogue's order, which is the report's order."""
        return [k.id for k in self.kraftsamlingar]

    def check_kraftsamlingar(self, chosen: Sequence[str], source: str | Path) -> None:
        """A report year's kraftsamlingar (params/<år>.yml): known ids, each once, in the catalogue's order.

        A year may leave a kraftsamling out (an older report, before it existed). Raises
        ConfigError naming ``source`` otherwise.
        """
        order = self.kraftsamling_ids
        unknown = [k for k in chosen if k not in order]
        if unknown:
            raise ConfigError(f"Fel i {source}: kraftsamlingen {unknown[0]!r} finns inte i params/indikatorer.yml "
                              f"(där finns {', '.join(order)}).")
        repeated = sorted({k for k in chosen if list(chosen).count(k) > 1})
        if repeated:
            raise ConfigError(f"Fel i {source}: kraftsamlingen {repeated[0]!r} står flera gånger.")
        expected = [k for k in order if k in chosen]
        if list(chosen) != expected:
            raise ConfigError(f"Fel i {source}: kraftsamlingarna står i ordningen {', '.join(chosen)}, men "
                              f"rapportens ordning är katalogens (params/indikatorer.yml): {', '.join(expected)}.")

    def check_year_ranges(self, year: int, cutoff: int, chosen: Sequence[str], source: str | Path) -> None:
        """The reader's texts of the year's indicators (``description``, ``published``,
        ``missing_reason``, ``uncertain``) state no year range ("2006–2025", "t.o.m. 2025") ending
        after the report's ``data_till_och_med`` (``cutoff``): the text is shown in every year's
        report, and must not promise years the report does not show. Raises ConfigError naming
        the indicator, the field and ``source`` (the year's params file)."""
        for indicator in self.indicators:
            if indicator.kraftsamling not in chosen:
                continue
            for name in _READER_TEXTS:
                text = getattr(indicator, name) or ""
                for found in _YEAR_RANGE.finditer(text):
                    end = int(found.group("end"))
                    if end > cutoff:
                        raise ConfigError(
                            f"Fel i params/indikatorer.yml, indikatorn {indicator.id!r}, fältet {name!r}: texten "
                            f"nämner {' '.join(found.group(0).split())}, men rapporten {year} har data till och med "
                            f"{cutoff} ({source}). Texten visas i varje års rapport: skriv den utan slutår "
                            f"(till exempel \"från 2006\") eller med ett år som inte är senare än {cutoff}.")

    def check_book_chapters(self, chapters: Sequence[str], source: str | Path) -> None:
        """_quarto.yml's chapter list: every kraftsamling's ``notebooks/<id>.ipynb``, in the catalogue's order.

        ``chapters`` are the paths under ``book.chapters`` and ``book.appendices``. Other chapters
        (index, sammanfattning, appendices) may stand anywhere. Raises ConfigError naming ``source``.
        """
        wanted = [k.chapter for k in self.kraftsamlingar]
        missing = [c for c in wanted if c not in chapters]
        if missing:
            raise ConfigError(f"Fel i {source}: kapitlet {missing[0]} saknas under book.chapters. Varje "
                              "kraftsamling i params/indikatorer.yml har ett kapitel; lägg till det i "
                              "katalogens ordning.")
        present = [c for c in chapters if c in wanted]
        if present != wanted:
            raise ConfigError(f"Fel i {source}: kraftsamlingarnas kapitel står i ordningen {', '.join(present)}, "
                              f"men katalogen (params/indikatorer.yml) har ordningen {', '.join(wanted)}.")


def load_catalogue(path: Path) -> Catalogue:
    """Load and validate the catalogue; errors name the file and the field."""
    return load_yaml_model(path, Catalogue)

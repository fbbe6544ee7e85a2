"""Markdown tables from tidy snapshot frames: the text equivalent of every chart.

Pipe tables, because they survive pandoc → typst (PDF) and → HTML alike, where pandas' HTML
tables are flattened. Numbers are Swedish (``78,1``, ``1 244 472``) and right-aligned, the
caption is a ``: …`` line (Quarto and pandoc both read it), and no cell is ever empty: a
missing value is ``–`` and a note under the table says why (``– = uppgift saknas (sekretess)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from rus_analysis.config.catalogue import Indicator
from rus_analysis.config.geography import OREBRO_KOMMUNER, OREBRO_LAN, RIKET
from rus_analysis.config.numbers import MISSING, format_number, format_signed
from rus_analysis.config.units import difference_unit
from rus_analysis.ingest.schema import COLUMNS
from rus_analysis.report import typography
from rus_analysis.report.anchors import slug
from rus_analysis.report.datafiles import link as source_link
from rus_analysis.report.markup import Markdown, escape, identifier, normalise_space
from rus_analysis.report.missing import MissingData, missing_for
from rus_analysis.report.rows import (
    DEFAULT_REGIONS,
    NOT_IN_EXTRACT,
    STATUS_WORDS,
    breakdown_rows,
    region_name,
    shown_rows,
    source_text,
    unit_of,
    year_span,
)

Align = Literal["left", "right"]
MAX_YEAR_COLUMNS = 8  # more years than this do not fit across an A4 page: years become rows
NO_ROW = NOT_IN_EXTRACT  # no row at all; a row with a status is what the source marked missing


@dataclass
class Table:
    """A finished table: header, rows of text cells, alignment, caption and notes."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    align: list[Align]
    notes: list[str] = field(default_factory=list)
    source: str | None = None
    label: str | None = None
    data: pd.DataFrame | None = field(default=None, repr=False, compare=False)  # tidy rows shown
    source_url: str | None = None  # the agency's page: the source line links to it

    def markdown(self) -> Markdown:
        """The pipe table, its ``: caption`` line and the notes; every text escaped."""
        lines = [markdown_table(self.header, self.rows, self.align), Markdown("")]
        anchor = (Markdown(" {#tbl-") + identifier(slug(self.label)) + Markdown("}")
                  if self.label else Markdown(""))
        lines += [Markdown(": {}{}").format(self.caption, anchor), Markdown("")]
        tail = escape(" ".join(self.notes))
        if self.source:
            source = self.source.rstrip(".")
            # The agency's page as a link (only an http(s) address), the words escaped.
            linked = source_link(source, self.source_url) if self.source_url else escape(source)
            tail = (tail + Markdown(" Källa: ") + linked + Markdown(".")).strip()
        if tail:
            lines += [tail, Markdown("")]
        return Markdown("\n").join(lines)

    def _repr_markdown_(self) -> Markdown:
        return self.markdown()


def _cell(text: str) -> Markdown:
    """A cell's Markdown: text escaped (``|`` included), :class:`Markdown` kept as it is."""
    return escape(text)


def _visible_length(cell: str) -> int:
    return len(cell) if isinstance(cell, Markdown) else len(normalise_space(cell))


def markdown_table(header: list[str], rows: list[list[str]], align: list[Align],
                   widths: list[int] | None = None) -> Markdown:
    """A pipe table. Cells are text (escaped) unless they are
    :class:`~rus_analysis.report.markup.Markdown`. Refuses empty cells: a missing value must be
    written as ``–``.

    Pandoc takes relative column widths from the dashes under the header; ``widths`` sets them
    (e.g. ``[40, 24, 18, 18]``) when the longest cell would starve a column of numbers."""
    width = len(header)
    if len(align) != width or any(len(row) != width for row in rows):
        raise ValueError("Tabellens rader, rubriker och justering har olika antal kolumner.")
    for row in [header, *rows]:
        for cell in row:
            if not _cell(cell):
                raise ValueError(f"Tom cell i tabellraden {row!r}: skriv {MISSING} för ett värde "
                                 "som saknas.")
    cells = [[_cell(c) for c in row] for row in [header, *rows]]
    # Dash counts follow the visible content, so pandoc's relative column widths do too.
    if widths is None:
        widths = [max(3, *(_visible_length(row[i]) for row in [header, *rows])) for i in range(width)]
    elif len(widths) != width:
        raise ValueError("Tabellens kolumnbredder och kolumner är olika många.")
    rule = [Markdown("-") * w + Markdown(":") if a == "right" else Markdown(":") + Markdown("-") * w
            for w, a in zip(widths, align, strict=True)]
    lines = [Markdown("| ") + Markdown(" | ").join(cells[0]) + Markdown(" |"),
             Markdown("|") + Markdown("|").join(rule) + Markdown("|")]
    lines += [Markdown("| ") + Markdown(" | ").join(row) + Markdown(" |") for row in cells[1:]]
    return Markdown("\n").join(lines)


def _check_frame(frame: pd.DataFrame) -> None:
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise ValueError(f"Tabellen saknar kolumnerna {sorted(missing)}. Läs serien med "
                         "rus_analysis.snapshot.store.read_series.")


def _missing_note(reasons: set[str]) -> list[str]:
    if not reasons:
        return []
    return [f"{MISSING} = uppgift saknas ({'; '.join(sorted(reasons))})."]


def _value_cell(rows: pd.DataFrame, decimals: int, reasons: set[str]) -> str:
    """One formatted value (the first of ``rows``), or ``–`` with the reason recorded for the note."""
    if rows.empty:
        reasons.add(NO_ROW)
        return MISSING
    row = rows.iloc[0]
    return _formatted(row["value"], row["status"], decimals, reasons)


def _formatted(value, status, decimals: int, reasons: set[str]) -> str:
    """A value formatted, or ``–`` with the reason (its ``status`` in words) recorded for the note."""
    if pd.isna(value):
        reasons.add(STATUS_WORDS.get(str(status or ""), "uppgift saknas"))
        return MISSING
    return format_number(float(value), decimals)


def _first_rows(rows: pd.DataFrame, key_column: str) -> dict[tuple[str, int], tuple[object, object]]:
    """``{(key, year): (value, status)}`` of the first row of each ``key_column`` value and year:
    what :func:`_value_cell` would show for that cell, looked up once instead of filtering the
    frame per cell (issue 16)."""
    first = rows.drop_duplicates([key_column, "year"], keep="first")
    return {(key, int(year)): (value, status) for key, year, value, status
            in zip(first[key_column], first["year"], first["value"], first["status"], strict=True)}


def _looked_up_cell(cells: dict[tuple[str, int], tuple[object, object]], key: str, year: int, decimals: int,
                    reasons: set[str]) -> str:
    """:func:`_value_cell` for a cell of :func:`_first_rows`."""
    if (key, int(year)) not in cells:
        reasons.add(NO_ROW)
        return MISSING
    return _formatted(*cells[(key, int(year))], decimals, reasons)


def _grid(rows: pd.DataFrame, keys: list[tuple[str, str]], years: list[int], decimals: int,
          key_column: str, years_as: Literal["columns", "rows"], first_header: str,
          reasons: set[str]) -> tuple[list[str], list[list[str]], list[Align]]:
    """Cells for (row label, key) × years, in either orientation: each cell the first row of its
    key and year."""
    cells = _first_rows(rows, key_column)
    matrix = [[_looked_up_cell(cells, key, year, decimals, reasons) for year in years] for _, key in keys]
    if years_as == "columns":
        header = [first_header, *(str(y) for y in years)]
        body = [[label, *cells] for (label, _), cells in zip(keys, matrix, strict=True)]
    else:
        header = ["År", *(label for label, _ in keys)]
        body = [[str(year), *(matrix[k][i] for k in range(len(keys)))]
                for i, year in enumerate(years)]
    return header, body, ["left"] + ["right"] * (len(header) - 1)


def year_table(frame: pd.DataFrame, indicator: Indicator, *,
               regions: tuple[str, ...] | list[str] | None = None, years: list[int] | None = None,
               sex: str = "T", group: str = "totalt",
               years_as: Literal["columns", "rows"] | None = None,
               source: str | None = None) -> Table | MissingData:
    """Values per region and year: Örebro län, riket and the jämförbara län by default.

    Years are columns when there are at most eight of them, else rows (so the table fits A4).
    """
    _check_frame(frame)
    wanted = list(regions) if regions is not None else list(DEFAULT_REGIONS)
    rows = frame[(frame["sex"] == sex) & (frame["group"] == group)
                 & frame["region_code"].isin(wanted)]
    if years is not None:
        rows = rows[rows["year"].isin(years)]
    if rows["value"].notna().sum() == 0:
        return missing_for(indicator, "Inga värden att visa i tabellen")
    present = [c for c in wanted if (rows["region_code"] == c).any()]
    table_years = sorted(years) if years is not None else sorted(rows["year"].unique().tolist())
    orientation = years_as or ("columns" if len(table_years) <= MAX_YEAR_COLUMNS else "rows")
    reasons: set[str] = set()
    keys = [(region_name(c, frame), c) for c in present]
    header, body, align = _grid(rows, keys, table_years, indicator.decimals, "region_code",
                                orientation, "Region", reasons)
    caption = typography.caption(indicator.title, unit_of(rows, indicator), year_span(table_years))
    return Table(caption, header, body, align, _missing_note(reasons),
                 source or source_text(indicator), f"{indicator.id}-ar",
                 data=shown_rows(rows[rows["year"].isin(table_years)]),
                 source_url=indicator.source.url)


def kommun_table(frame: pd.DataFrame, indicator: Indicator, *, year: int | None = None,
                 sex: str = "T", group: str = "totalt",
                 source: str | None = None) -> Table | MissingData:
    """Each Örebro kommun's value in one year, highest first, then länet and riket, with the
    difference to riket (percentage points for percentages)."""
    _check_frame(frame)
    rows = frame[(frame["sex"] == sex) & (frame["group"] == group)]
    kommun_rows = rows[rows["region_code"].isin(OREBRO_KOMMUNER)]
    if year is None:
        with_values = kommun_rows.dropna(subset=["value"])
        if with_values.empty:
            return missing_for(indicator, "Inga värden per kommun")
        year = int(with_values["year"].max())
    current = rows[rows["year"] == year]
    if current[current["region_code"].isin(OREBRO_KOMMUNER)]["value"].notna().sum() == 0:
        return missing_for(indicator, f"Inga värden per kommun för {year}")
    unit = unit_of(rows, indicator)
    decimals = indicator.decimals
    values = current.set_index("region_code")["value"]
    riket = values.get(RIKET, np.nan)
    kommuner = sorted(OREBRO_KOMMUNER, key=lambda c: (pd.isna(values.get(c, np.nan)),
                                                      -np.nan_to_num(values.get(c, np.nan))))
    reasons: set[str] = set()
    difference_header = f"Skillnad mot riket ({difference_unit(unit)})"
    body = []
    # Länet and riket only when they have a value; without riket there is no difference
    # column at all (never a column of dashes).
    references = [c for c in (OREBRO_LAN, RIKET) if pd.notna(values.get(c, np.nan))]
    for code in [*kommuner, *references]:
        value_cell = _value_cell(current[current["region_code"] == code], decimals, reasons)
        value = values.get(code, np.nan)
        row = [region_name(code, frame), value_cell]
        if pd.notna(riket):
            if code == RIKET:
                row.append(format_number(0, decimals))
            elif pd.isna(value):
                row.append(MISSING)
            else:
                row.append(format_signed(value - riket, decimals))  # unrounded values, rounded once
        body.append(row)
    header = ["Kommun", str(year)] + ([difference_header] if pd.notna(riket) else [])
    caption = typography.caption(typography.join_phrase(indicator.title, "per kommun"), unit, str(year))
    return Table(caption, header, body, ["left", "right", "right"][:len(header)],
                 _missing_note(reasons), source or source_text(indicator),
                 f"{indicator.id}-kommuner-{year}",
                 data=shown_rows(current[current["region_code"].isin([*OREBRO_KOMMUNER, *references])]),
                 source_url=indicator.source.url)


def group_table(frame: pd.DataFrame, indicator: Indicator, *,
                by: Literal["kon", "fodelseregion", "vistelsetid"] = "kon",
                regions: tuple[str, ...] | list[str] = (OREBRO_LAN, RIKET),
                years: list[int] | None = None, source: str | None = None) -> Table | MissingData:
    """Values by kön or födelseregion for each region and year, with the gap between the two
    groups (percentage points for percentages)."""
    _check_frame(frame)
    words, groups, rows = breakdown_rows(frame, by, regions)
    if years is not None:
        rows = rows[rows["year"].isin(years)]
    if rows["value"].notna().sum() == 0:
        return missing_for(indicator, f"Inga värden {words}")
    unit = unit_of(rows, indicator)
    decimals = indicator.decimals
    table_years = sorted(years) if years is not None else sorted(rows["year"].unique().tolist())
    labels = {"K": "kvinnor", "M": "män"}
    reasons: set[str] = set()
    body = []
    for code in regions:
        region_rows = rows[rows["region_code"] == code]
        if region_rows.empty:
            continue
        first = _first_rows(region_rows, "category")
        for category in groups:
            cells = [_looked_up_cell(first, category, y, decimals, reasons) for y in table_years]
            body.append([f"{region_name(code, frame)}, {labels.get(category, category)}", *cells])
        if len(groups) != 2:  # a gap row only compares two groups
            continue
        gaps = []
        for y in table_years:
            pair = [region_rows[(region_rows["category"] == g) & (region_rows["year"] == y)]["value"]
                    .dropna() for g in groups]
            gaps.append(format_number(abs(float(pair[0].iloc[0]) - float(pair[1].iloc[0])), decimals)
                        if all(len(p) for p in pair) else MISSING)
        body.append([f"{region_name(code, frame)}, skillnad ({difference_unit(unit)})",
                     *gaps])
    header = ["Region och grupp", *(str(y) for y in table_years)]
    caption = typography.caption(typography.join_phrase(indicator.title, words), unit,
                                 year_span(table_years))
    return Table(caption, header, body, ["left"] + ["right"] * len(table_years),
                 _missing_note(reasons), source or source_text(indicator), f"{indicator.id}-{by}",
                 data=shown_rows(rows[rows["year"].isin(table_years)]),
                 source_url=indicator.source.url)

"""The overview tables and the legend: every indicator's status by kraftsamling, and its heading.

Everything is built from the status table (rus_analysis.assessment.status_table), so the summary, the
kraftsamling chapters and the method appendix always agree.
"""

from __future__ import annotations

import pandas as pd

from rus_analysis.assessment import DIRECTION_CLASSES, TARGET_CLASSES, ProgressClass
from rus_analysis.config.catalogue import Catalogue, Indicator, Kraftsamling
from rus_analysis.config.geography import REGION_NAMES, RIKET
from rus_analysis.config.numbers import format_number
from rus_analysis.config.report_params import ReportParams
from rus_analysis.report import typography
from rus_analysis.report.anchors import slug
from rus_analysis.report.markup import Markdown, identifier
from rus_analysis.report.tables import markdown_table
from rus_analysis.report.verdicts import status_label

NOT_ASSESSABLE = ProgressClass.KAN_INTE_BEDOMAS.name


def _main_rows(status: pd.DataFrame, region: str) -> pd.DataFrame:
    """The total (both sexes, all groups) per indicator; group-only indicators have none."""
    return status[(status["region_code"] == region) & (status["sex"] == "T")
                  & (status["group"] == "totalt") & (status["comparison"] == "")]


def latest_total(frame: pd.DataFrame, region: str) -> tuple[float, int] | None:
    """The latest published total for a region, whether or not it can be assessed."""
    rows = frame[(frame["region_code"] == region) & (frame["sex"] == "T")
                 & (frame["group"] == "totalt")].dropna(subset=["value"])
    if rows.empty:
        return None
    row = rows.loc[rows["year"].idxmax()]
    return float(row["value"]), int(row["year"])


def _within_cutoff(frame: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """The rows the status table was built from: a later year must not show up beside it."""
    cutoff = status.attrs.get("data_cutoff")
    return frame if cutoff is None else frame[frame["year"] <= cutoff]


def _in_sentence(title: str) -> str:
    """A title after a colon: lower-case initial, but ``AKU`` or ``BRP`` keep their capitals."""
    first = title.split(" ", 1)[0]
    return title if first[1:2].isupper() else title[:1].lower() + title[1:]


def _kraftsamling(catalogue: Catalogue, kraftsamling_id: str) -> Kraftsamling:
    found = next((k for k in catalogue.kraftsamlingar if k.id == kraftsamling_id), None)
    if found is None:
        known = ", ".join(k.id for k in catalogue.kraftsamlingar)
        raise KeyError(f"Kraftsamlingen {kraftsamling_id!r} finns inte i params/indikatorer.yml "
                       f"(kända: {known}). Rätta kraftsamlingar i årets parameterfil.")
    return found


def _latest_text(frame: pd.DataFrame, region: str, indicator: Indicator) -> str:
    latest = latest_total(frame, region)
    if latest is None:
        groups = frame.loc[frame["value"].notna() & (frame["region_code"] == region), "group"]
        return "Per grupp" if len(groups) else "Data saknas"
    return f"{format_number(latest[0], indicator.decimals)} ({latest[1]})"


def _status_cell(rows: pd.DataFrame, status: pd.DataFrame, indicator_id: str, region: str) -> str | Markdown:
    if indicator_id not in rows.index:
        groups = status[(status["indicator"] == indicator_id) & (status["region_code"] == region)
                        & (status["status"] != NOT_ASSESSABLE)]
        if groups.empty:
            unknown = ProgressClass.KAN_INTE_BEDOMAS
            return status_label(unknown.symbol, unknown.words, unknown.colour)
        return "Olika per grupp"
    row = rows.loc[indicator_id]
    return status_label(row["symbol"], row["words"], row["colour"])


def status_overview(status: pd.DataFrame, catalogue: Catalogue, kraftsamling_id: str,
                    params: ReportParams, frames: dict[str, pd.DataFrame],
                    caption: str | None = None, label: str | None = None) -> Markdown:
    """One row per indicator: its unit, the region's class, and the latest value for the region
    and for riket (the year in brackets). Riket's own verdict is in each indicator's section.

    The table carries a ``#tbl-`` label (unique in the book: ``label``, else
    ``bedomning-<kraftsamling>``): Quarto keeps the caption of a labelled table only, and numbers it.
    """
    kraftsamling = _kraftsamling(catalogue, kraftsamling_id)
    own = _main_rows(status, params.region).set_index("indicator")
    rows = []
    for indicator in catalogue.for_kraftsamling(kraftsamling_id):
        frame = _within_cutoff(frames[indicator.id], status)
        name = indicator.title + (" (målsatt)" if indicator.targeted else "")
        rows.append([
            typography.caption(name, indicator.unit),
            _status_cell(own, status, indicator.id, params.region),
            _latest_text(frame, params.region, indicator),
            _latest_text(frame, RIKET, indicator),
        ])
    region = REGION_NAMES[params.region]
    header = ["Indikator och enhet", "Bedömning", region, "Riket"]
    # Room for "1 243 312 (2024)" beside the longest title: the numbers never overlap.
    table = markdown_table(header, rows, ["left", "left", "right", "right"], widths=[38, 24, 19, 19])
    title = caption or f"{kraftsamling.title}: bedömning och senaste värde (år)"
    anchor = identifier(slug(label or f"bedomning-{kraftsamling_id}"))
    return Markdown("{}\n\n: {} {{#tbl-{}}}").format(table, title, anchor)


def status_overview_data(status: pd.DataFrame, indicators: list, region: str,
                         frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows behind a status overview: per indicator, for ``region`` and riket, the
    assessment's words and the latest published total (year, value, unit) from the snapshot.

    Columns: indicator, title, region_code, region_name, assessment, year (Int64), value, unit.
    """
    records = []
    for code in (region, RIKET):
        assessed = _main_rows(status, code).set_index("indicator")
        for indicator in indicators:
            frame = _within_cutoff(frames[indicator.id], status)
            latest = latest_total(frame, code)
            words = (assessed.at[indicator.id, "words"] if indicator.id in assessed.index
                     else "Bedöms per grupp")
            records.append({
                "indicator": indicator.id, "title": indicator.title, "region_code": code,
                "region_name": REGION_NAMES.get(code, code), "assessment": words,
                "year": latest[1] if latest else None, "value": latest[0] if latest else None,
                "unit": indicator.unit,
            })
    frame = pd.DataFrame.from_records(records)
    return frame.astype({"year": "Int64", "value": "float64"})


def legend_markdown() -> Markdown:
    """The classes with symbol and words, for readers who meet them first in the summary.
    Each class has its own symbol (no symbol means two things)."""
    target = ", ".join(f"{c.symbol} {c.words}" for c in TARGET_CLASSES if c.name != "MYCKET_FOR_LANGSAMT")
    direction = ", ".join(f"{c.symbol} {c.words}" for c in DIRECTION_CLASSES)
    unknown = ProgressClass.KAN_INTE_BEDOMAS
    return Markdown(
        "**Så läses bedömningen.** Indikatorer med ett mål i siffror: {}. "
        "Indikatorer där målet är en riktning (ska öka eller minska): {}. "
        "{}: för få år med jämförbar statistik, eller statistik saknas. "
        "Bedömningen gäller utvecklingen sedan basåret; metoden beskrivs i bilaga A."
    ).format(target, direction, f"{unknown.symbol} {unknown.words}")


def indicator_heading(indicator: Indicator) -> Markdown:
    """The indicator's heading, description and an italic line with its kind, goal and unit;
    every catalogue text escaped."""
    kind = "Målsatt indikator i RUS" if indicator.targeted else "Kompletterande indikator"
    goal = indicator.target.wording if indicator.target else (
        "ska öka" if indicator.direction == "upp" else "ska minska")
    lines = [Markdown("## {}\n\n{}\n").format(indicator.title, indicator.description),
             Markdown("*{}*").format(f"{kind}. Mål: {goal.rstrip('.')}. Enhet: {indicator.unit}.")]
    if indicator.series_break:
        lines.append(Markdown("\n*Seriebrott:* {}").format(indicator.series_break))
    return Markdown("\n").join(lines)

"""The overview elements: status tables, the legend, key findings and each indicator's verdict.

Everything is built from the status table (rus_analysis.assessment.status_table), so the summary, the
kraftsamling chapters and the method appendix always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rus_analysis.assessment import DIRECTION_CLASSES, TARGET_CLASSES, ProgressClass
from rus_analysis.config.catalogue import Catalogue, Indicator, Kraftsamling
from rus_analysis.config.numbers import format_number
from rus_analysis.config.geography import REGION_NAMES, RIKET
from rus_analysis.report.narrative import join_names, number_word, with_unit
from rus_analysis.config.report_params import ReportParams
from rus_analysis.report.anchors import slug
from rus_analysis.report.tables import markdown_table

NOT_ASSESSABLE = ProgressClass.KAN_INTE_BEDOMAS.name


def status_label(symbol: str, words: str, colour: str) -> str:
    """Symbol in the class colour plus the words: status is never carried by colour alone."""
    return f'[{symbol}]{{style="color:{colour}"}} {words}'


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


def _status_cell(rows: pd.DataFrame, indicator_id: str) -> str:
    if indicator_id not in rows.index:
        return "Bedöms per grupp, se avsnittet"
    row = rows.loc[indicator_id]
    return status_label(row["symbol"], row["words"], row["colour"])


def status_overview(status: pd.DataFrame, catalogue: Catalogue, kraftsamling_id: str,
                    params: ReportParams, frames: dict[str, pd.DataFrame],
                    caption: str | None = None, label: str | None = None) -> str:
    """One row per indicator: the region's and riket's class and latest published value.

    The table carries a ``#tbl-`` label (unique in the book: ``label``, else
    ``bedomning-<kraftsamling>``): Quarto keeps the caption of a labelled table only, and numbers it.
    """
    kraftsamling = _kraftsamling(catalogue, kraftsamling_id)
    own = _main_rows(status, params.region).set_index("indicator")
    riket = _main_rows(status, RIKET).set_index("indicator")
    rows = []
    for indicator in catalogue.for_kraftsamling(kraftsamling_id):
        frame = _within_cutoff(frames[indicator.id], status)
        name = indicator.title + (" (målsatt)" if indicator.targeted else "")
        rows.append([
            name,
            _status_cell(own, indicator.id),
            _latest_text(frame, params.region, indicator),
            _status_cell(riket, indicator.id),
            _latest_text(frame, RIKET, indicator),
        ])
    region = REGION_NAMES[params.region]
    header = ["Indikator", f"Bedömning {region}", f"Senaste värde {region} (år)", "Bedömning riket",
              "Senaste värde riket (år)"]
    table = markdown_table(header, rows, ["left", "left", "right", "left", "right"])
    title = caption or f"{kraftsamling.title}: bedömning per indikator"
    anchor = slug(label or f"bedomning-{kraftsamling_id}")
    return f"{table}\n\n: {title} {{#tbl-{anchor}}}"


def legend_markdown() -> str:
    """The classes with symbol and words, for readers who meet them first in the summary."""
    target = ", ".join(f"{c.symbol} {c.words}" for c in TARGET_CLASSES if c.name != "MYCKET_FOR_LANGSAMT")
    direction = ", ".join(f"{c.symbol} {c.words}" for c in DIRECTION_CLASSES)
    unknown = ProgressClass.KAN_INTE_BEDOMAS
    return (
        f"**Så läses bedömningen.** Indikatorer med ett kvantifierat mål: {target}. "
        f"Indikatorer där målet är en riktning (ska öka eller minska): {direction}. "
        f"{unknown.symbol} {unknown.words}: för få år med jämförbar statistik, eller data saknas. "
        "Bedömningen gäller utvecklingen sedan basåret; metoden beskrivs i bilaga A."
    )


@dataclass(frozen=True)
class Finding:
    text: str


def key_findings(status: pd.DataFrame, catalogue: Catalogue, params: ReportParams,
                 frames: dict[str, pd.DataFrame]) -> list[Finding]:
    """Three to five short sentences generated from the status table."""
    chosen = {i.id: i for i in catalogue.indicators if i.kraftsamling in params.kraftsamlingar}
    own = _main_rows(status, params.region)
    own = own[own["indicator"].isin(chosen)]
    region = REGION_NAMES[params.region]
    findings = []
    assessed = own[own["status"] != NOT_ASSESSABLE]
    counts = assessed["words"].value_counts()
    if len(assessed):
        parts = [f"{number_word(int(n))} {words.lower()}" for words, n in counts.items()]
        findings.append(Finding(
            f"Av {number_word(len(chosen))} indikatorer kan {number_word(len(assessed))} bedömas som helhet "
            f"för {region}: {join_names(parts)}."))
    wrong = assessed[assessed["status"] == ProgressClass.FEL_HALL.name]
    if len(wrong):
        titles = [_in_sentence(chosen[i].title) for i in wrong["indicator"]]
        findings.append(Finding(f"Åt fel håll går: {join_names(titles)}."))
    for _, row in assessed.iterrows():
        indicator = chosen[row["indicator"]]
        if indicator.target is not None and indicator.target.kind == "relativ_forandring":
            findings.append(Finding(row["sentence"]))
    gap = _largest_gap_to_riket(status, chosen, params.region)
    if gap:
        findings.append(gap)
    missing = [i for i in chosen if not _within_cutoff(frames[i], status)["value"].notna().any()]
    if missing:
        noun, pronoun = ("indikator", "den") if len(missing) == 1 else ("indikatorer", "de")
        findings.append(Finding(
            f"För {number_word(len(missing))} {noun} saknas statistik i den här rapporten; {pronoun} står som "
            "”Data saknas” med uppgift om var statistiken kan hämtas."))
    return findings[:5]


def _largest_gap_to_riket(status: pd.DataFrame, chosen: dict[str, Indicator], region: str) -> Finding | None:
    own = _main_rows(status, region).set_index("indicator")
    riket = _main_rows(status, RIKET).set_index("indicator")
    best = None
    for indicator_id, indicator in chosen.items():
        if not indicator.unit.startswith("procent") or indicator_id not in riket.index or indicator_id not in own.index:
            continue
        mine, theirs = own.loc[indicator_id], riket.loc[indicator_id]
        if (pd.isna(mine["latest_value"]) or pd.isna(theirs["latest_value"])
                or mine["latest_year"] != theirs["latest_year"]):
            continue
        difference = mine["latest_value"] - theirs["latest_value"]
        if best is None or abs(difference) > abs(best[0]):
            best = (difference, indicator, mine, theirs)
    # A difference that rounds to zero is no finding (and has no side).
    if best is None or round(abs(best[0]), best[1].decimals) == 0:
        return None
    difference, indicator, mine, theirs = best
    side = "högre" if difference > 0 else "lägre"
    decimals = indicator.decimals
    return Finding(
        f"Störst skillnad mot riket bland andelarna: {_in_sentence(indicator.title)}, "
        f"{with_unit(mine['latest_value'], indicator.unit, decimals)} i {REGION_NAMES[region]} mot "
        f"{with_unit(theirs['latest_value'], indicator.unit, decimals)} i riket ({mine['latest_year']}), "
        f"{with_unit(abs(difference), 'procentenheter', decimals)} {side}.")


def findings_markdown(findings: list[Finding]) -> str:
    if not findings:
        return "Ingen indikator kunde bedömas med den statistik som finns."
    return "## Viktigaste iakttagelserna\n\n" + "\n".join(f"- {f.text}" for f in findings)


def indicator_heading(indicator: Indicator) -> str:
    kind = "Målsatt indikator i RUS" if indicator.targeted else "Kompletterande indikator"
    lines = [f"## {indicator.title}", "", indicator.description, ""]
    goal = indicator.target.wording if indicator.target else (
        "ska öka" if indicator.direction == "upp" else "ska minska")
    lines.append(f"*{kind}. Mål: {goal.rstrip('.')}. Enhet: {indicator.unit}.*")
    if indicator.series_break:
        lines += ["", f"*Seriebrott:* {indicator.series_break}"]
    return "\n".join(lines)


def assessment_box(status: pd.DataFrame, indicator: Indicator, region: str, short_years: int = 5) -> str:
    """The verdict for the region (both horizons, per group) and riket's total, as a list.

    Groups that cannot be assessed are named on one line instead of one line each; a comparison
    with the jämförbara län always has its own line, with its reason. ``short_years`` is
    ``kort_horisont_ar`` in params/bedomning.yml."""
    rows = status[(status["indicator"] == indicator.id)]
    lines = ["**Målbedömning**", ""]
    not_assessed = []
    for _, row in rows.iterrows():
        if row["region_code"] not in (region, RIKET):
            continue
        is_total = row["sex"] == "T" and row["group"] == "totalt" and not row["comparison"]
        if row["region_code"] == RIKET and not is_total:
            continue  # riket's groups are in the tables; the verdict list stays readable
        who = REGION_NAMES[row["region_code"]]
        if row["group_label"] != "totalt":
            who += f", {row['group_label']}"
        if row["comparison"]:
            who += f" jämfört med {row['comparison']}"
        if row["status"] == NOT_ASSESSABLE and not is_total and not row["comparison"]:
            not_assessed.append(row["group_label"])
            continue
        line = f"- {who}: {status_label(row['symbol'], row['words'], row['colour'])}. {row['sentence']}"
        has_short = isinstance(row["short_term_words"], str) and bool(row["short_term_words"])
        if has_short and row["status"] != NOT_ASSESSABLE:
            short = status_label(row["short_term_symbol"], row["short_term_words"],
                                 _colour(row["short_term_words"]))
            line += f" {short_horizon_label(row, short_years)}: {short}."
        lines.append(line)
    if not_assessed:
        unknown = ProgressClass.KAN_INTE_BEDOMAS
        lines.append(f"- {REGION_NAMES[region]}, {join_names(not_assessed)}: "
                     f"{status_label(unknown.symbol, unknown.words, unknown.colour)} "
                     "(för få jämförbara år sedan basåret, se bilaga A).")
    return "\n".join(lines)


def short_horizon_label(row: pd.Series, short_years: int) -> str:
    """The short horizon named by the years it really spans: ``Senaste fem åren (2019–2024)``, or
    ``Kortare sikt, 2020–2024`` when the year asked for (here 2019) has no value and the base moved."""
    base, latest = row.get("short_term_base_year"), row.get("short_term_latest_year")
    if base is None or latest is None or pd.isna(base) or pd.isna(latest):
        return f"Senaste {number_word(short_years)} åren"
    base, latest = int(base), int(latest)
    if latest - base == short_years:
        return f"Senaste {number_word(short_years)} åren ({base}–{latest})"
    return f"Kortare sikt, {base}–{latest}"


def _colour(words: str) -> str:
    words = words.removesuffix(" (osäker)")  # an uncertain verdict keeps its class's colour
    return next((c.colour for c in ProgressClass if c.words == words), ProgressClass.KAN_INTE_BEDOMAS.colour)

"""The message first: the summary's first two pages, in plain Swedish.

What a regional politician needs before any table:

1. **Läget** per kraftsamling: how many indicators go the right way, too slowly, the wrong way or
   cannot be assessed, and which of the strategy's målsatta indikatorer lack statistics, and why.
2. **De viktigaste iakttagelserna**: three to five findings, targets first.
3. **Sedan förra årets rapport**: verdicts that changed and new statistics, from the previous
   year's parameters assessed against the same data (each with its own cut-off).
4. **De största skillnaderna**: between groups (kön, födelseregion) and between kommuner.

Everything comes from the status table and the series frames, so it always agrees with the
chapters. Counts are per indicator: the region's total, or, for an indicator assessed only per
group (emissions per sector), "olika för olika grupper" when the groups go different ways.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rus_analysis.config.catalogue import Catalogue, Indicator
from rus_analysis.config.geography import OREBRO_KOMMUNER, REGION_NAMES
from rus_analysis.config.numbers import format_number
from rus_analysis.config.report_params import ReportParams
from rus_analysis.config.units import is_percent
from rus_analysis.report import narrative, typography
from rus_analysis.report.markup import Markdown, escape
from rus_analysis.report.summary import _kraftsamling as kraftsamling_of
from rus_analysis.report.tables import markdown_table
from rus_analysis.report.verdicts import BAD, FLAT, GOOD, UNKNOWN, subject_of, verdict_sentence

# The summary's columns: what a reader asks ("does it go the right way?"), in that order.
CATEGORIES = [
    ("ratt", "Rätt håll"),
    ("langsamt", "För långsamt"),
    ("fel", "Fel håll"),
    ("oforandrat", "Oförändrat"),
    ("blandat", "Olika per grupp"),
    ("okand", "Kan inte bedömas"),
]
_SLOW = {"FOR_LANGSAMT", "MYCKET_FOR_LANGSAMT"}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _total_row(status: pd.DataFrame, indicator_id: str, region: str) -> pd.Series | None:
    rows = status[(status["indicator"] == indicator_id) & (status["region_code"] == region)
                  & (status["sex"] == "T") & (status["group"] == "totalt") & (status["comparison"] == "")]
    return rows.iloc[0] if len(rows) else None


def category(status: pd.DataFrame, indicator: Indicator, region: str) -> str:
    """One of CATEGORIES' keys for an indicator, judged since the base year."""
    row = _total_row(status, indicator.id, region)
    if row is None:
        groups = status[(status["indicator"] == indicator.id) & (status["region_code"] == region)
                        & (status["comparison"] == "") & (status["sex"] != "")]
        known = groups[groups["status"] != UNKNOWN]["status"]
        if known.empty:
            return "okand"
        kinds = {_kind(s) for s in known}
        return _kind(known.iloc[0]) if len(kinds) == 1 else "blandat"
    return _kind(str(row["status"]))


def _kind(status: str) -> str:
    if status in _SLOW:
        return "langsamt"
    if status in GOOD:
        return "ratt"
    if status in BAD:
        return "fel"
    if status in FLAT:
        return "oforandrat"
    return "okand"


def _chosen(catalogue: Catalogue, params: ReportParams) -> list[Indicator]:
    return [i for k in params.kraftsamlingar for i in catalogue.for_kraftsamling(k)]


def _has_data(frame: pd.DataFrame, region: str) -> bool:
    return bool(frame.loc[frame["region_code"] == region, "value"].notna().any())


# --- 1. Läget --------------------------------------------------------------------------------

def standing_table(status: pd.DataFrame, catalogue: Catalogue, params: ReportParams) -> Markdown:
    """Per kraftsamling: the number of indicators in each category; a column nobody is in is
    left out, except the four the reader asks about."""
    titles = {k: kraftsamling_of(catalogue, k).title for k in params.kraftsamlingar}
    counts = {k: {key: 0 for key, _ in CATEGORIES} for k in params.kraftsamlingar}
    for kraftsamling in params.kraftsamlingar:
        for indicator in catalogue.for_kraftsamling(kraftsamling):
            counts[kraftsamling][category(status, indicator, params.region)] += 1
    always = {"ratt", "langsamt", "fel", "okand"}
    shown = [(key, words) for key, words in CATEGORIES
             if key in always or any(c[key] for c in counts.values())]
    rows = [[titles[k], *(str(counts[k][key]) for key, _ in shown),
             str(sum(counts[k].values()))] for k in params.kraftsamlingar]
    if len(params.kraftsamlingar) > 1:
        rows.append(["Alla", *(str(sum(c[key] for c in counts.values())) for key, _ in shown),
                     str(sum(sum(c.values()) for c in counts.values()))])
    header = ["Kraftsamling", *(words for _, words in shown), "Indikatorer"]
    table = markdown_table(header, rows, ["left"] + ["right"] * (len(header) - 1))
    region = REGION_NAMES[params.region]
    return Markdown("{}\n\n: {} {{#tbl-laget}}\n").format(
        table, f"Antal indikatorer efter bedömning för {region} sedan basåret")


def standing_lead(status: pd.DataFrame, catalogue: Catalogue, params: ReportParams,
                  frames: dict[str, pd.DataFrame]) -> str:
    """The opening sentence: how many indicators go which way, in words."""
    chosen = _chosen(catalogue, params)
    counts = {key: 0 for key, _ in CATEGORIES}
    for indicator in chosen:
        counts[category(status, indicator, params.region)] += 1
    phrases = {"ratt": "går åt rätt håll", "langsamt": "går åt rätt håll men för långsamt",
               "fel": "går åt fel håll", "oforandrat": "står i stort sett still",
               "blandat": "går olika för olika grupper", "okand": "kan inte bedömas"}
    parts = [f"{narrative.number_word(counts[key])} {phrases[key]}" for key, _ in CATEGORIES
             if counts[key]]
    region = REGION_NAMES[params.region]
    text = (f"Rapporten följer {narrative.number_word(len(chosen))} indikatorer för {region}. "
            f"Bedömt från basåret: {narrative.join_names(parts)}.")
    unknown = [i for i in chosen if category(status, i, params.region) == "okand"]
    if unknown:
        without = [i for i in unknown if not _has_data(frames[i.id], params.region)]
        few = len(unknown) - len(without)
        lacking = f"{narrative.number_word(len(without))} statistik för {region}"
        short = f"{narrative.number_word(few)} för få år med jämförbar statistik sedan basåret"
        opening = f" Av de {narrative.number_word(len(unknown))} som inte kan bedömas"
        if without and few:
            text += f"{opening} saknar {lacking}, och {short.replace(' för få', ' har för få', 1)}."
        elif without:
            text += f"{opening} saknar {lacking}."
        else:
            text += f"{opening} har {short}."
    return text


def missing_targeted(catalogue: Catalogue, params: ReportParams,
                     frames: dict[str, pd.DataFrame]) -> Markdown | None:
    """Which of the strategy's målsatta indikatorer lack statistics, and why (a list; the
    catalogue's words escaped)."""
    chosen = _chosen(catalogue, params)
    targeted = [i for i in chosen if i.targeted]
    lacking = [i for i in targeted if not _has_data(frames[i.id], params.region)]
    if not lacking:
        return None
    lines = [escape(f"{_capital(narrative.number_word(len(lacking)))} av strategins "
                    f"{narrative.number_word(len(targeted))} målsatta indikatorer (de som strategin "
                    "sätter mål för) saknar statistik i årets rapport:"), Markdown("")]
    for indicator in lacking:
        reason = (indicator.missing_reason or "statistiken fanns inte i underlaget").split(", så ")[0]
        reason = reason.strip().rstrip(".")
        agency = indicator.source.agency.split(" (")[0].split(";")[0].strip()
        lines.append(Markdown("- ") + f"{indicator.title}: {reason[:1].lower() + reason[1:]}. "
                     f"Statistiken publiceras av {agency}.")
    return Markdown("\n").join(lines)


# --- 2. Iakttagelser ------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One key finding: a finished Swedish sentence for the summary."""

    text: str


def key_findings(status: pd.DataFrame, catalogue: Catalogue, params: ReportParams,
                 frames: dict[str, pd.DataFrame], base_year: int = 2021) -> list[Finding]:
    """Three to five findings, most important first: the targets, what goes the wrong way,
    the gaps between groups, and the largest difference to riket."""
    region = params.region
    chosen = _chosen(catalogue, params)
    findings: list[Finding] = []
    for indicator in chosen:  # targets with a verdict
        row = _total_row(status, indicator.id, region)
        if not indicator.targeted or row is None or row["status"] == UNKNOWN:
            continue
        findings.append(Finding(verdict_sentence(row, indicator, default_base_year=base_year,
                                                 data_cutoff=params.data_cutoff, with_amount=True)))
    wrong = [i for i in chosen if category(status, i, region) in ("fel", "blandat")]
    for indicator in wrong[:2]:
        groups = status[(status["indicator"] == indicator.id) & (status["region_code"] == region)
                        & (status["status"].isin(BAD))]
        if category(status, indicator, region) == "fel":
            row = _total_row(status, indicator.id, region)
            findings.append(Finding(verdict_sentence(row, indicator, default_base_year=base_year)))
        elif len(groups):
            names = narrative.join_names([typography.label(str(g)).lower() for g in groups["group_label"]])
            noun = "sektorerna" if "sektor" in indicator.breakdowns else "grupperna"
            findings.append(Finding(f"{_capital(subject_of(indicator))} går åt fel håll i {noun} "
                                    f"{names}."))
    for indicator in chosen:  # gaps between groups that should shrink
        gaps = status[(status["indicator"] == indicator.id) & (status["region_code"] == region)
                      & (status["sex"] == "") & (status["status"] != UNKNOWN)]
        for _, row in gaps.iterrows():
            pair = str(row["group_label"]).removeprefix("skillnad ").split("–")
            if len(pair) != 2:
                continue
            verb = "minskat" if row["latest_value"] < row["base_value"] else "ökat"
            findings.append(Finding(
                f"Skillnaden i {subject_of(indicator).removeprefix('andelen ')} mellan {pair[0]} "
                f"och {pair[1]} har {verb} från "
                f"{narrative.with_unit(row['base_value'], 'procentenheter', indicator.decimals)} "
                f"{int(row['base_year'])} till "
                f"{narrative.with_unit(row['latest_value'], 'procentenheter', indicator.decimals)} "
                f"{int(row['latest_year'])}."))
    gap = _largest_gap_to_riket(status, chosen, region)
    if gap:
        findings.append(gap)
    return findings[:5]


def _largest_gap_to_riket(status: pd.DataFrame, chosen: list[Indicator], region: str) -> Finding | None:
    best = None
    for indicator in chosen:
        if not is_percent(indicator.unit):
            continue
        mine, theirs = _total_row(status, indicator.id, region), _total_row(status, indicator.id, "0000")
        if mine is None or theirs is None or pd.isna(mine["latest_value"]) or pd.isna(theirs["latest_value"]):
            continue
        if mine["latest_year"] != theirs["latest_year"]:
            continue
        difference = float(mine["latest_value"]) - float(theirs["latest_value"])
        if best is None or abs(difference) > abs(best[0]):
            best = (difference, indicator, mine, theirs)
    if best is None or round(abs(best[0]), best[1].decimals) == 0:
        return None
    difference, indicator, mine, theirs = best
    decimals = indicator.decimals
    side = "högre" if difference > 0 else "lägre"
    return Finding(
        f"Störst skillnad mot riket: {subject_of(indicator)} är "
        f"{narrative.with_unit(abs(difference), 'procentenheter', decimals)} {side} i "
        f"{REGION_NAMES[region]} än i riket ({format_number(mine['latest_value'], decimals)} mot "
        f"{narrative.with_unit(theirs['latest_value'], indicator.unit, decimals)} "
        f"{int(mine['latest_year'])}).")


# --- 3. Sedan förra året ------------------------------------------------------------------------

def changes_since(status: pd.DataFrame, previous: pd.DataFrame | None, catalogue: Catalogue,
                  params: ReportParams, previous_params: ReportParams | None) -> Markdown:
    """Verdicts that changed and new statistics, against the previous year's report assessed on
    the same data with its own cut-off (a list; titles escaped)."""
    if previous is None or previous_params is None:
        return escape(f"Det finns ingen rapport för {params.report_year - 1} att jämföra med, så "
                      "förändringar sedan förra året redovisas inte.")
    region = params.region
    changed, newer = [], []
    for indicator in _chosen(catalogue, params):
        now, then = category(status, indicator, region), category(previous, indicator, region)
        now_row, then_row = _total_row(status, indicator.id, region), _total_row(previous, indicator.id, region)
        if now != then:
            words = dict(CATEGORIES)
            changed.append(f"{indicator.title}: {words[now].lower()} (förra året: {words[then].lower()})")
        latest_now = _latest_year(now_row)
        latest_then = _latest_year(then_row)
        if latest_now is not None and (latest_then is None or latest_now > latest_then):
            newer.append((indicator.title, latest_now))
    lines = [escape(f"Jämfört med rapporten {previous_params.report_year} (statistik till och med "
                    f"{previous_params.data_cutoff}), bedömd på samma underlag:"), Markdown("")]
    if changed:
        lines.append(Markdown("- ") + (f"Bedömningen har ändrats för {narrative.number_word(len(changed))} "
                                       f"indikator{'er' if len(changed) != 1 else ''}: "
                                       + "; ".join(changed) + "."))
    else:
        lines.append(Markdown("- Ingen indikator har fått en annan bedömning."))
    if newer:
        by_year: dict[int, list[str]] = {}
        for title, year in newer:
            by_year.setdefault(year, []).append(title[:1].lower() + title[1:] if title[1:2].islower() else title)
        parts = [f"{year} för {narrative.join_names(titles)}" for year, titles in sorted(by_year.items())]
        lines.append(Markdown("- ") + (f"Ny statistik finns för {narrative.number_word(len(newer))} "
                                       f"indikator{'er' if len(newer) != 1 else ''}: "
                                       + "; ".join(parts) + "."))
    else:
        lines.append(Markdown("- Ingen indikator har fått ny statistik sedan förra året."))
    return Markdown("\n").join(lines)


def _latest_year(row: pd.Series | None) -> int | None:
    if row is None or pd.isna(row["latest_year"]):
        return None
    return int(row["latest_year"])


# --- 4. Skillnader ------------------------------------------------------------------------------

def group_gaps(catalogue: Catalogue, params: ReportParams, frames: dict[str, pd.DataFrame],
               count: int = 2) -> list[str]:
    """The largest differences between two groups (kön, födelseregion) in the latest year."""
    pairs = {"kon": ("sex", ["K", "M"], ["kvinnor", "män"]),
             "fodelseregion": ("group", ["inrikes födda", "utrikes födda"],
                               ["inrikes födda", "utrikes födda"])}
    found = []
    for indicator in _chosen(catalogue, params):
        if not is_percent(indicator.unit):
            continue
        frame = frames[indicator.id]
        own = frame[(frame["region_code"] == params.region) & frame["value"].notna()]
        for by, (column, values, names) in pairs.items():
            if by not in indicator.breakdowns:
                continue
            other = "group" if column == "sex" else "sex"
            rows = own[own[column].isin(values) & (own[other] == ("totalt" if other == "group" else "T"))]
            years = [y for y, g in rows.groupby("year") if g[column].nunique() == 2]
            if not years:
                continue
            year = max(years)
            current = rows[rows["year"] == year].set_index(column)["value"]
            a, b = float(current[values[0]]), float(current[values[1]])
            high, low = (names[0], names[1]) if a > b else (names[1], names[0])
            found.append((abs(a - b), (
                f"{_capital(subject_of(indicator))} är "
                f"{narrative.with_unit(abs(a - b), 'procentenheter', indicator.decimals)} högre bland "
                f"{high} än bland {low} ({format_number(max(a, b), indicator.decimals)} mot "
                f"{narrative.with_unit(min(a, b), indicator.unit, indicator.decimals)} {year}).")))
    return [text for _, text in sorted(found, key=lambda pair: -pair[0])[:count]]


def kommun_gaps(catalogue: Catalogue, params: ReportParams, frames: dict[str, pd.DataFrame],
                count: int = 3) -> list[str]:
    """The widest spread between Örebro län's kommuner (highest / lowest) in the latest year,
    for shares and per-inhabitant rates (totals differ with size and are left out)."""
    if params.region != "0018":
        return []
    found = []
    for indicator in _chosen(catalogue, params):
        unit = indicator.unit.lower()
        if not (is_percent(indicator.unit) or " per " in unit):
            continue
        frame = frames[indicator.id]
        kommuner = frame[frame["region_code"].isin(OREBRO_KOMMUNER) & (frame["sex"] == "T")
                         & (frame["group"] == "totalt") & frame["value"].notna()]
        if kommuner["region_code"].nunique() < 2:
            continue
        year = int(kommuner["year"].max())
        if year < params.data_cutoff - 3:  # too old to call a current difference
            continue
        current = kommuner[kommuner["year"] == year]
        high, low = current.loc[current["value"].idxmax()], current.loc[current["value"].idxmin()]
        if float(low["value"]) <= 0:
            continue
        spread = float(high["value"]) / float(low["value"])
        shown = narrative.reader_unit(indicator.unit, indicator.title)
        found.append((spread, (
            f"{_capital(subject_of(indicator))} var {year} högst i "
            f"{OREBRO_KOMMUNER[high['region_code']]} "
            f"({narrative.with_unit(float(high['value']), shown, indicator.decimals)}) och lägst i "
            f"{OREBRO_KOMMUNER[low['region_code']]} "
            f"({narrative.with_unit(float(low['value']), shown, indicator.decimals)}), "
            f"{_times(spread)}.")))
    return [text for _, text in sorted(found, key=lambda pair: -pair[0])[:count]]


def _times(spread: float) -> str:
    if spread >= 1.95:
        return f"{format_number(spread, 1)} gånger så mycket"
    return f"{format_number((spread - 1) * 100, 0)} procent mer"


# --- the whole summary ------------------------------------------------------------------------

def summary_markdown(status: pd.DataFrame, catalogue: Catalogue, params: ReportParams,
                     frames: dict[str, pd.DataFrame], previous: pd.DataFrame | None = None,
                     previous_params: ReportParams | None = None, base_year: int = 2021) -> Markdown:
    """The first pages: läget, iakttagelser, förändringar sedan förra året, skillnader. Every
    sentence is text (escaped by :mod:`rus_analysis.report.markup`)."""
    blank = Markdown("")
    parts = [Markdown("## Läget i korthet"), blank, escape(standing_lead(status, catalogue, params, frames)),
             blank, standing_table(status, catalogue, params)]
    lacking = missing_targeted(catalogue, params, frames)
    if lacking:
        parts += [lacking, blank]
    findings = key_findings(status, catalogue, params, frames, base_year)
    parts += [Markdown("## De viktigaste iakttagelserna"), blank]
    parts += ([Markdown("- ") + f.text for f in findings] or
              [Markdown("- Ingen indikator kunde bedömas med den statistik som finns.")]) + [blank]
    parts += [Markdown("## Sedan förra årets rapport"), blank,
              changes_since(status, previous, catalogue, params, previous_params), blank]
    groups, kommuner = group_gaps(catalogue, params, frames), kommun_gaps(catalogue, params, frames)
    if groups or kommuner:
        parts += [Markdown("## De största skillnaderna"), blank]
        parts += [Markdown("- ") + text for text in groups + kommuner] + [blank]
    return Markdown("\n").join(parts).rstrip() + Markdown("\n")

"""Each indicator's verdict in plain Swedish: one sentence, and the rates in a compact table.

Built from the status table (rus_analysis.assessment.status_table), one row per region × group
with both horizons: since the base year (``status``, ``base_year`` …) and the short horizon
(``short_term_status``, ``short_term_base_year`` …). The sentence says where the indicator is going and
whether that is the right way; where the two horizons disagree it says so in a second sentence:

    Sysselsättningsgraden har ökat sedan 2021 och går åt rätt håll.
    Utsläppen av växthusgaser har minskat sedan 2005 och går åt rätt håll, men för långsamt för
    att nå målet till 2030. Mellan 2020 och 2024 gick utvecklingen däremot åt fel håll.

Periods are always named by their years, never as "senaste fem åren": with a base year of 2021
the "short" horizon (2019–2024) can be the longer one.
"""

from __future__ import annotations

import re

import pandas as pd

from rus_analysis.assessment import ProgressClass
from rus_analysis.config.catalogue import Indicator
from rus_analysis.config.geography import REGION_NAMES, RIKET
from rus_analysis.config.numbers import MISSING, format_signed
from rus_analysis.config.units import POINTS_UNIT, is_percent
from rus_analysis.report import narrative, typography
from rus_analysis.report.datafiles import verdict_data
from rus_analysis.report.markup import Markdown
from rus_analysis.report.tables import Table

GOOD = {"MALET_NATT", "I_TAKT", "RATT_HALL", "FOR_LANGSAMT", "MYCKET_FOR_LANGSAMT"}
BAD = {"FEL_HALL"}
FLAT = {"OFORANDRAT"}
UNKNOWN = ProgressClass.KAN_INTE_BEDOMAS.name


def status_label(symbol: str, words: str, colour: str) -> Markdown:
    """Symbol in the class colour plus the words: status is never carried by colour alone."""
    return Markdown('[{}]{{style="color:{}"}} {}').format(symbol, colour, words)


def class_label(name: str, words: str = "") -> Markdown:
    """Symbol, colour and words of a class; ``words`` may add "(osäker)" to the class's own."""
    status = ProgressClass[name]
    return status_label(status.symbol, words or status.words, status.colour)


def _kind(name: str) -> str:
    return "good" if name in GOOD else "bad" if name in BAD else "flat" if name in FLAT else "unknown"


def subject_of(indicator: Indicator) -> str:
    """The indicator as a sentence names it: the catalogue's ``subject``, else its title with a
    small initial (``BRP`` and other acronyms keep their capitals)."""
    if indicator.subject:
        return indicator.subject
    title = indicator.title
    return title if title[1:2].isupper() else title[:1].lower() + title[1:]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _has(value) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value is not pd.NA


def _verb(change) -> str:
    if not _has(change) or round(float(change), 6) == 0:
        return "legat still"
    return "ökat" if change > 0 else "minskat"


def _period(start, end) -> str:
    return f"{int(start)}–{int(end)}"


def _reason(row: pd.Series, indicator: Indicator, default_base_year: int) -> str:
    """Why a row cannot be assessed, in a reader's words."""
    sentence = str(row.get("sentence") or "")
    if sentence.startswith("Data saknas"):
        return "statistik saknas"
    found = re.search(r"från (\d{4})", sentence)
    year = found.group(1) if found else str(default_base_year)
    text = f"det finns för få år med jämförbar statistik från {year}"
    if indicator.break_year and "brott" in sentence:
        text += f" (serien har ett brott {indicator.break_year})"
    return text


def _goal_tail(status: str, indicator: Indicator) -> str:
    year = indicator.target.target_year if indicator.target and indicator.target.target_year else 2030
    if status == "I_TAKT":
        return f" i den takt som behövs för att nå målet till {year}"
    if status == "FOR_LANGSAMT":
        return f" och går åt rätt håll, men för långsamt för att nå målet till {year}"
    if status == "MYCKET_FOR_LANGSAMT":
        return f" och går åt rätt håll, men alldeles för långsamt för att nå målet till {year}"
    return ""


def verdict_sentence(row: pd.Series, indicator: Indicator, subject: str | None = None,
                     default_base_year: int = 2021, data_cutoff: int | None = None,
                     with_amount: bool = False) -> str:
    """One plain sentence for one status row (a second one where the horizons disagree).

    ``row`` is a status-table row; ``subject`` names what is measured in definite form
    (``sysselsättningsgraden``), by default the catalogue's. With ``data_cutoff``, a series
    that ends well before it says which year its latest figure is for; ``with_amount`` says by
    how much it changed (``har minskat med 35 procent sedan 2005``).
    """
    subject = subject or subject_of(indicator)
    long, short = str(row["status"]), str(row.get("short_term_status") or UNKNOWN)
    short_known = short != UNKNOWN and _has(row.get("short_term_base_year"))
    if long == UNKNOWN:
        reason = _reason(row, indicator, default_base_year)
        if not short_known:
            return f"{_capital(subject)} kan inte bedömas: {reason}."
        period = f"mellan {int(row['short_term_base_year'])} och {int(row['short_term_latest_year'])}"
        verb = _verb(row.get("short_term_actual_change"))
        tail = {"good": ", i önskad riktning", "bad": ", i motsatt riktning mot den önskade",
                "flat": ""}[_kind(short)]
        if verb == "legat still" or _kind(short) == "flat":
            return (f"{_capital(subject)} kan inte bedömas sedan basåret: {reason}. "
                    f"{_capital(period)} har {subject} i stort sett legat still.")
        return (f"{_capital(subject)} kan inte bedömas sedan basåret: {reason}. "
                f"{_capital(period)} har {subject} {verb}{tail}.")
    base = int(row["base_year"])
    verb = _verb(row.get("actual_change"))
    if with_amount and verb != "legat still":
        amount = _amount(row, indicator)
        verb += f" med {amount}" if amount else ""
    if long == "MALET_NATT":
        main = f"{_capital(subject)} har nått målet"
    elif long in FLAT or verb == "legat still":
        main = f"{_capital(subject)} har i stort sett legat still sedan {base}"
    elif long in BAD:
        main = f"{_capital(subject)} har {verb} sedan {base}, vilket är fel håll"
    elif long == "RATT_HALL":
        main = f"{_capital(subject)} har {verb} sedan {base} och går åt rätt håll"
    else:
        main = f"{_capital(subject)} har {verb} sedan {base}{_goal_tail(long, indicator)}"
    second = ""
    if short_known and (int(row["short_term_base_year"]), int(row["short_term_latest_year"])) != (
            base, int(row["latest_year"])):
        period = f"Mellan {int(row['short_term_base_year'])} och {int(row['short_term_latest_year'])}"
        if _kind(short) != _kind(long):
            second = {"bad": f" {period} gick utvecklingen däremot åt fel håll.",
                      "good": f" {period} gick utvecklingen däremot åt rätt håll.",
                      "flat": f" {period} var utvecklingen däremot i stort sett oförändrad."}[_kind(short)]
        elif (_kind(long) == "good" and int(row["short_term_base_year"]) > base
              and row.get("short_term_measure") == row.get("measure")
              and _has(row.get("short_term_actual_change")) and _has(row.get("actual_change"))
              and float(row["short_term_actual_change"]) * float(row["actual_change"]) > 0
              and abs(float(row["short_term_actual_change"])) < 0.6 * abs(float(row["actual_change"]))):
            main += ", men långsammare de senaste åren"
    uncertain = re.search(r"Bedömningen är osäker: [^.]*\.", str(row.get("sentence") or ""))
    if uncertain:
        second += " " + uncertain.group(0)
    if data_cutoff is not None and int(row["latest_year"]) < int(data_cutoff) - 1:
        second += f" Den senaste statistiken gäller {int(row['latest_year'])}."
    return main + "." + second


def _amount(row: pd.Series, indicator: Indicator) -> str | None:
    """How much the value changed from the base year: percentage points for shares, else percent."""
    base, latest = row.get("base_value"), row.get("latest_value")
    if not (_has(base) and _has(latest)) or float(base) == 0:
        return None
    if is_percent(indicator.unit):
        return narrative.with_unit(abs(float(latest) - float(base)), POINTS_UNIT, indicator.decimals)
    return narrative.with_unit(abs(float(latest) / float(base) - 1) * 100, "procent", 0)


def _period_of(row: pd.Series, short: bool) -> str | None:
    status = row["short_term_status" if short else "status"]
    base = row["short_term_base_year" if short else "base_year"]
    latest = row["short_term_latest_year" if short else "latest_year"]
    if status == UNKNOWN or not (_has(base) and _has(latest)):
        return None
    return _period(base, latest)


def _rate(row: pd.Series, short: bool, unit_word: str, common: str | None = None) -> tuple[str, str]:
    """(number with sign, and its period unless it is the column's ``common`` one; the measure's
    unit) for one horizon, or (–, '')."""
    status = row["short_term_status" if short else "status"]
    change = row["short_term_actual_change" if short else "actual_change"]
    if status == UNKNOWN or not _has(change):
        return MISSING, ""
    base = row["short_term_base_year" if short else "base_year"]
    latest = row["short_term_latest_year" if short else "latest_year"]
    measure = str(row["short_term_measure" if short else "measure"] or "")
    unit = {"procentenheter per år": "procentenheter", "procent per år": "procent"}.get(
        measure, unit_word)
    number = "0" if round(float(change), 6) == 0 else format_signed(float(change), _decimals(float(change)))
    period = _period(base, latest)
    return (number if period == common else f"{number} ({period})"), unit


def _decimals(value: float) -> int:
    size = abs(value)
    return 0 if size >= 100 else 1 if size >= 1 else 2 if size >= 0.1 else 3


def _who(row: pd.Series, region: str) -> str:
    name = REGION_NAMES.get(row["region_code"], row["region_code"])
    label = str(row["group_label"])
    if label and label != "totalt":
        name += f", {typography.label(label)}"
    if row.get("comparison"):
        name += f" jämfört med {row['comparison']}"
    return name


def verdict_rows(status: pd.DataFrame, indicator: Indicator, region: str) -> pd.DataFrame:
    """The rows shown for an indicator: the region (total, groups, gaps, peers), then riket's total."""
    rows = status[status["indicator"] == indicator.id]
    own = natural_order(rows[rows["region_code"] == region])
    riket = rows[(rows["region_code"] == RIKET) & (rows["sex"] == "T") & (rows["group"] == "totalt")
                 & (rows["comparison"] == "")]
    return pd.concat([own, riket]) if region != RIKET else own


def _natural_key(row: pd.Series) -> tuple:
    """Total first, then kvinnor and män, groups by the first number in their label
    (``vistelsetid 2–3 år`` before ``vistelsetid 10– år``), gaps and comparisons last."""
    label = str(row["group_label"])
    number = re.search(r"\d+", label)
    return (row["comparison"] != "", row["sex"] == "", label != "totalt",
            {"T": 0, "K": 1, "M": 2}.get(row["sex"], 3),
            int(number.group()) if number else -1, label)


def natural_order(rows: pd.DataFrame) -> pd.DataFrame:
    """Status rows in the order a reader expects (see ``_natural_key``)."""
    if rows.empty:
        return rows
    keys = rows.apply(_natural_key, axis=1)
    return rows.loc[sorted(rows.index, key=lambda i: keys[i])]


def verdict_table(status: pd.DataFrame, indicator: Indicator, region: str) -> Table | None:
    """Rates and classes for both horizons, one row per region and group; a horizon nobody
    could be assessed on is left out (no column of dashes). None when nothing is assessed."""
    rows = verdict_rows(status, indicator, region)
    assessed = rows[(rows["status"] != UNKNOWN) | (rows["short_term_status"] != UNKNOWN)]
    if assessed.empty:
        return None
    unit_word = narrative.reader_unit(indicator.unit, indicator.title)
    long_any = (assessed["status"] != UNKNOWN).any()
    short_any = (assessed["short_term_status"] != UNKNOWN).any()
    # When the short horizon spans the same years as the long one in every row (its start year
    # had no value), it says nothing new: one horizon only.
    if long_any and all(_period_of(row, True) in (None, _period_of(row, False))
                        for _, row in assessed.iterrows()):
        short_any = False
    # The period most rows share goes in the header; a row with another period says its own.
    # A tie goes to the period of the first row in table order (the region comes first), never
    # to a set's order, which varies from run to run.
    common = {}
    for short in (False, True):
        periods = [p for _, row in assessed.iterrows() if (p := _period_of(row, short))]
        common[short] = max(periods, key=lambda p: (periods.count(p), -periods.index(p))) if periods else None
    body, units = [], {True: set(), False: set()}
    for _, row in assessed.iterrows():
        cells = [_who(row, region)]
        for short, present in ((False, long_any), (True, short_any)):
            if not present:
                continue
            rate, unit = _rate(row, short, unit_word, common[short])
            units[short].add(unit)
            status_name = row["short_term_status" if short else "status"]
            words = str(row["short_term_words" if short else "words"] or "")
            cells += [rate, class_label(status_name, words)]
        body.append(cells)
    header = ["Område"]
    for short, present, words in ((False, long_any, "Sedan basåret"),
                                  (True, short_any, "Senaste åren")):
        if not present:
            continue
        unit = next(iter(units[short] - {""}), "") if len(units[short] - {""}) == 1 else ""
        when = common[short] or words.lower()
        header += [f"Per år {when} ({unit})" if unit else f"Per år {when}", "Bedömning"]
    align = ["left"] + ["right", "left"] * ((len(header) - 1) // 2)
    notes = []
    if any(cell == MISSING for cells in body for cell in cells):
        notes.append(f"{MISSING} = kan inte bedömas (för få år med jämförbar statistik).")
    caption = typography.caption(f"{indicator.title}: förändring per år och bedömning")
    return Table(caption, header, body, align, notes, None, f"{indicator.id}-bedomning",
                 data=verdict_data(assessed))


def group_summary(status: pd.DataFrame, indicator: Indicator, region: str) -> str | None:
    """For an indicator assessed only per group (emissions per sector): how many groups go
    which way, and which go the wrong way."""
    rows = status[(status["indicator"] == indicator.id) & (status["region_code"] == region)
                  & (status["comparison"] == "")]
    assessed = rows[rows["status"] != UNKNOWN]
    if assessed.empty:
        return None
    base = int(assessed["base_year"].min())
    good = assessed[assessed["status"].isin(GOOD)]
    bad = assessed[assessed["status"].isin(BAD)]
    total = narrative.number_word(len(assessed))
    subject = _capital(subject_of(indicator))
    noun = "sektorer" if "sektor" in indicator.breakdowns else "grupper"
    text = (f"{subject} går åt rätt håll sedan {base} i {narrative.number_word(len(good))} av "
            f"{total} {noun}")
    if len(bad):
        names = narrative.join_names([typography.label(str(g)).lower() for g in bad["group_label"]])
        text += f" och åt fel håll i {narrative.number_word(len(bad))}: {names}"
    return text + "."


def _gap_subject(label: str) -> str:
    """``skillnad inrikes födda–utrikes födda`` → ``skillnaden mellan inrikes födda och utrikes födda``."""
    pair = label.removeprefix("skillnad ").split("–")
    return f"skillnaden mellan {pair[0]} och {pair[1]}" if len(pair) == 2 else label


def assessment_markdown(status: pd.DataFrame, indicator: Indicator, region: str,
                        default_base_year: int = 2021) -> Markdown:
    """The verdict paragraph under the heading "Bedömning": the region's total in one sentence,
    one for each gap that should shrink, or a summary over the groups when there is no total."""
    rows = status[(status["indicator"] == indicator.id) & (status["region_code"] == region)]
    total = rows[(rows["sex"] == "T") & (rows["group"] == "totalt") & (rows["comparison"] == "")]
    gaps = rows[rows["sex"] == ""]
    sentences = []
    if len(total):
        sentences.append(verdict_sentence(total.iloc[0], indicator, default_base_year=default_base_year,
                                          data_cutoff=status.attrs.get("data_cutoff")))
    else:
        summary = group_summary(status, indicator, region)
        if summary:
            sentences.append(summary)
        elif len(rows):
            reason = _reason(rows.iloc[0], indicator, default_base_year)
            noun = "någon av grupperna" if len(rows) > 1 else subject_of(indicator)
            sentences.append(f"Utvecklingen kan inte bedömas för {noun}: {reason}.")
    if len(total):
        sensitivity = re.search(r"Känslighet för basåret: [^\n]*?\.(?=\s|$)", str(total.iloc[0]["sentence"]))
        if sensitivity:
            sentences.append(sensitivity.group(0))
    for _, row in gaps.iterrows():
        sentences.append(verdict_sentence(row, indicator, _gap_subject(str(row["group_label"])),
                                          default_base_year))
    return Markdown("**Bedömning.** ") + " ".join(sentences)

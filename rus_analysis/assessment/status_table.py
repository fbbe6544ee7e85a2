"""The status table: one assessed row per indicator × region × group, for the report's overview.

Rows per indicator, in catalogue order:
* the region (Örebro län by default) and riket, for every sex/group combination in the data;
* the gaps that should shrink (``skillnader`` in params/bedomning.yml), for percentage
  indicators broken down that way;
* for a target relative to the jämförbara län: the region against the peers' mean.
An indicator, region or group without data gets "Kan inte bedömas" with "Data saknas".
Only years up to ``data_cutoff`` are used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from rus_analysis.assessment import (
    PEER_MEAN,
    Assessment,
    ProgressClass,
    Thresholds,
    assess_gap,
    assess_horizons,
    compare_with_peers,
    peer_kind,
)
from rus_analysis.assessment.text import NO_DATA
from rus_analysis.assessment.uncertainty import (
    UNCERTAIN_WORD,
    base_year_sensitivity,
    mark_uncertain,
    sensitivity_sentence,
)
from rus_analysis.config.catalogue import Catalogue, Indicator
from rus_analysis.config.geography import DEFAULT_PEERS, REGION_NAMES, RIKET
from rus_analysis.config.units import measured_in_points

# The strategy's jämförbara län: Jönköping, Kronoberg, Värmland, Västmanland.
_SEX_WORDS = {"T": "", "K": "kvinnor", "M": "män"}
_NEEDED = ["region_code", "year", "sex", "group", "value"]

COLUMNS = [
    "indicator", "title", "kraftsamling", "region_code", "region_name", "sex", "group",
    "group_label", "comparison", "status", "symbol", "words", "colour", "base_year", "base_value",
    "latest_year", "latest_value", "measure", "actual_change", "required_change", "ratio",
    "sentence", "short_term_symbol", "short_term_words", "short_term_sentence",
    "short_term_base_year", "short_term_latest_year",
    "short_term_status", "short_term_actual_change", "short_term_measure", "short_term_latest_value",
]


def status_table(
    catalogue: Catalogue,
    frames_by_indicator: Mapping[str, pd.DataFrame],
    report_year: int,
    data_cutoff: int,
    region: str,
    thresholds: Thresholds,
    *,
    peers: Sequence[str] = DEFAULT_PEERS,
) -> pd.DataFrame:
    """Assess every catalogue indicator for ``region`` and riket; see the module docstring."""
    if data_cutoff >= report_year:
        raise ValueError(
            f"Data till och med {data_cutoff} måste vara tidigare än rapportåret {report_year}."
        )
    if region not in REGION_NAMES:
        raise ValueError(f"Okänd regionkod {region!r}; använd t.ex. '0018' för Örebro län.")
    rules = thresholds
    rows: list[dict] = []
    for indicator in catalogue.indicators:
        frame = frames_by_indicator.get(indicator.id)
        if frame is None:
            frame = pd.DataFrame(columns=_NEEDED)
        missing = [c for c in _NEEDED if c not in frame.columns]
        if missing:
            raise ValueError(f"Serien för {indicator.id!r} saknar kolumnerna {missing}; "
                             "använd snapshot.read_series för att läsa den.")
        frame = frame[(frame["year"] <= data_cutoff) & frame["value"].notna()]
        rows += _indicator_rows(indicator, frame, region, list(peers), rules)
    table = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("base_year", "latest_year", "short_term_base_year", "short_term_latest_year"):
        table[column] = table[column].astype("Int64")
    table.attrs.update(report_year=report_year, data_cutoff=data_cutoff, region=region)
    return table


def _indicator_rows(indicator: Indicator, frame: pd.DataFrame, region: str, peers: list[str],
                    rules: Thresholds) -> list[dict]:
    percentage = measured_in_points(indicator.unit)
    options = {"thresholds": rules, "target": indicator.target, "break_year": indicator.break_year,
               "percentage": percentage, "unit": indicator.unit}
    rows = []
    for code in (region, RIKET):
        own = frame[frame["region_code"] == code]
        if own.empty:
            rows.append(_row(indicator, code, "T", "totalt", "", _no_data(indicator), None))
            continue
        combos = own[["sex", "group"]].drop_duplicates()
        combos = combos.assign(order=(combos["sex"] != "T") * 1 + (combos["group"] != "totalt") * 2)
        for sex, group in combos.sort_values(["order", "sex", "group"])[["sex", "group"]].itertuples(index=False):
            label = _group_label(sex, group)
            subject = indicator.title if label == "totalt" else f"{indicator.title} ({label})"
            values = _series(own, sex, group)
            long, short = assess_horizons(values, indicator.direction, subject=subject, **options)
            if indicator.uncertain and long.status is not ProgressClass.KAN_INTE_BEDOMAS:
                sensitivity = base_year_sensitivity(
                    values, indicator.direction, indicator.target, indicator.sensitivity_base_years,
                    subject=subject, **{k: v for k, v in options.items() if k != "target"})
                long = mark_uncertain(long, indicator.uncertain, sensitivity_sentence(sensitivity))
                short = mark_uncertain(short, indicator.uncertain)
            rows.append(_row(indicator, code, sex, group, "", long, short))
        if percentage:
            rows += _gap_rows(indicator, own, code, rules)
    if indicator.target is not None and indicator.target.kind == "jamforbara_lan":
        rows.append(_peer_row(indicator, frame, region, peers, rules, percentage))
    return rows


def _gap_rows(indicator: Indicator, own: pd.DataFrame, code: str, rules: Thresholds) -> list[dict]:
    rows = []
    for pair in rules.gaps:
        if pair.breakdown not in indicator.breakdowns:
            continue
        other_column, other_value = ("group", "totalt") if pair.column == "kon" else ("sex", "T")
        base = own[own[other_column] == other_value]
        first, second = (_series(base, *_key(pair.snapshot_column, g, other_value)) for g in pair.groups)
        if first.empty or second.empty:
            continue
        label = f"skillnad {pair.names[0]}–{pair.names[1]}"
        options = {"names": pair.names, "thresholds": rules, "break_year": indicator.break_year}
        long = assess_gap(first, second, **options)
        short = assess_gap(first, second, horizon=rules.short_horizon_years, **options)
        rows.append(_row(indicator, code, "", label, "", long, short))
    return rows


def _peer_row(indicator: Indicator, frame: pd.DataFrame, region: str, peers: list[str],
              rules: Thresholds, percentage: bool) -> dict:
    target = indicator.target
    own = _series(frame[frame["region_code"] == region], "T", "totalt")
    others = {p: _series(frame[frame["region_code"] == p], "T", "totalt") for p in peers if p != region}
    if own.empty or any(s.empty for s in others.values()):
        missing = [REGION_NAMES[p] for p, s in {region: own, **others}.items() if s.empty]
        sentence = f"{NO_DATA} Saknas för: {', '.join(missing)}."
        result = Assessment(ProgressClass.KAN_INTE_BEDOMAS, sentence, indicator.direction, None)
        return _row(indicator, region, "T", "totalt", "jämförbara län (medelvärde)", result, None)
    kind = peer_kind(target)
    common = {"kind": kind, "peer_names": REGION_NAMES, "own_name": REGION_NAMES[region],
              "thresholds": rules, "break_year": indicator.break_year}
    if kind == "niva":
        common.update(target_year=target.target_year, percentage=percentage, unit=indicator.unit)
    base_year = target.base_year or rules.default_base_year
    long = _mean(compare_with_peers(own, others, indicator.direction, base_year=base_year, **common))
    short = _mean(compare_with_peers(own, others, indicator.direction,
                                     horizon=rules.short_horizon_years, **common))
    return _row(indicator, region, "T", "totalt", long.peer_name, long.assessment, short.assessment)


def _mean(comparisons):
    return next(c for c in comparisons if c.peer == PEER_MEAN)


def _key(column: str, value: str, other_value: str) -> tuple[str, str]:
    return (value, other_value) if column == "sex" else (other_value, value)


def _series(frame: pd.DataFrame, sex: str, group: str) -> pd.Series:
    rows = frame[(frame["sex"] == sex) & (frame["group"] == group)]
    return pd.Series(rows["value"].to_numpy(dtype=float), index=rows["year"].astype(int).to_numpy())


def _group_label(sex: str, group: str) -> str:
    parts = [p for p in (_SEX_WORDS.get(sex, sex), "" if group == "totalt" else group) if p]
    return ", ".join(parts) or "totalt"


def _words(result: Assessment) -> str:
    """The class in words, with "(osäker)" when the verdict rests on a weak basis."""
    if result.uncertain:
        return f"{result.status.words} ({UNCERTAIN_WORD})"
    return result.status.words


def _no_data(indicator: Indicator) -> Assessment:
    return Assessment(ProgressClass.KAN_INTE_BEDOMAS, NO_DATA, indicator.direction, None)


def _row(indicator: Indicator, code: str, sex: str, group: str, comparison: str,
         result: Assessment, short: Assessment | None) -> dict:
    label = group if sex == "" else _group_label(sex, group)
    return {
        "indicator": indicator.id,
        "title": indicator.title,
        "kraftsamling": indicator.kraftsamling,
        "region_code": code,
        "region_name": REGION_NAMES.get(code, code),
        "sex": sex,
        "group": group,
        "group_label": label,
        "comparison": comparison,
        "status": result.status.name,
        "symbol": result.status.symbol,
        "words": _words(result),
        "colour": result.status.colour,
        "base_year": result.base_year,
        "base_value": result.base_value,
        "latest_year": result.latest_year,
        "latest_value": result.latest_value,
        "measure": result.measure.value if result.measure else "",
        "actual_change": result.actual_change,
        "required_change": result.required_change,
        "ratio": result.ratio,
        "sentence": result.sentence,
        # Without data there is no short horizon either: same class and sentence as the long one.
        "short_term_symbol": (short or result).status.symbol,
        "short_term_words": _words(short or result),
        "short_term_sentence": (short or result).sentence,
        # The years the short horizon really spans (its base moves when the year it asks for is missing).
        "short_term_base_year": short.base_year if short is not None else None,
        "short_term_latest_year": short.latest_year if short is not None else None,
        # The short horizon's class and rate, so the report can say where the two horizons part.
        "short_term_status": (short or result).status.name,
        "short_term_actual_change": (short or result).actual_change,
        "short_term_measure": (short or result).measure.value if (short or result).measure else "",
        "short_term_latest_value": (short or result).latest_value,
    }

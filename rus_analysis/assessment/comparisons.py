"""Derived series that are assessed like any other: gaps between groups, and the län's
position relative to the jämförbara län.

* Gap ("skillnaden ska minska"): |group A − group B| in percentage points, desired direction
  'ned', measured in percentage points per year.
* Level target ("högre än i jämförbara län"): the difference own − peer, with the target
  that it reaches zero (same level) by the target year, assessed like a level target.
* Growth target ("växa snabbare än jämförbara län"): the ratio own / peer, whose annual
  growth rate is (1 + own CAGR) / (1 + peer CAGR) − 1, assessed in the desired direction.
Each peer is compared on its own and the unweighted mean of the peers as one more peer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from rus_analysis.assessment import text
from rus_analysis.assessment.classes import ProgressClass
from rus_analysis.assessment.series import Assessment, Direction, assess, to_series
from rus_analysis.config.catalogue import Target
from rus_analysis.config.thresholds import Thresholds

PEER_MEAN = "medel"
PEER_MEAN_NAME = "jämförbara län (medelvärde)"
PeerKind = Literal["niva", "tillvaxt"]


def gap_series(first, second) -> pd.Series:
    """The absolute difference between two groups, for the years both have a value."""
    a, b = to_series(first), to_series(second)
    common = a.index.intersection(b.index)
    return (a[common] - b[common]).abs()


def assess_gap(first, second, *, names: Sequence[str] = ("kvinnor", "män"),
               thresholds: Thresholds, **options) -> Assessment:
    """Assess the gap between two percentage series; it should shrink ('ned')."""
    subject = f"Skillnaden mellan {names[0]} och {names[1]}"
    return assess(gap_series(first, second), "ned", thresholds=thresholds, percentage=True,
                  subject=subject, **options)


def peer_mean(peers: Mapping[str, pd.Series]) -> pd.Series:
    """Unweighted mean of the peers, only for years where every peer has a value.

    A year with a peer missing would change what the mean is made of, like a series break.
    """
    if not peers:
        return pd.Series(dtype=float)
    frame = pd.concat({code: to_series(s) for code, s in peers.items()}, axis=1)
    return frame.dropna().mean(axis=1)


def peer_kind(target: Target) -> PeerKind:
    """'tillvaxt' when the strategy's wording is about growing faster, else 'niva'."""
    words = target.wording.lower()
    return "tillvaxt" if "snabbare" in words or "tillväxt" in words else "niva"


@dataclass(frozen=True)
class PeerComparison:
    """The region against one jämförbart län (or the peers' mean, ``medel``) in their latest
    common year, and the assessment of the difference."""

    peer: str  # region code, or "medel" for the mean of the peers
    peer_name: str
    year: int | None  # latest year both have a value
    own_value: float | None
    peer_value: float | None
    difference: float | None  # own − peer in that year
    assessment: Assessment


def compare_with_peers(
    own,
    peers: Mapping[str, pd.Series],
    direction: Direction,
    *,
    kind: PeerKind = "niva",
    peer_names: Mapping[str, str] | None = None,
    own_name: str = "Örebro län",
    target_year: int | None = None,
    thresholds: Thresholds,
    percentage: bool = False,
    unit: str = "",
    **options,
) -> list[PeerComparison]:
    """Compare ``own`` with each peer and with the peers' mean (last in the list)."""
    rules = thresholds
    names = dict(peer_names or {})
    others = {code: to_series(s) for code, s in peers.items()}
    others[PEER_MEAN] = peer_mean(others)
    names[PEER_MEAN] = PEER_MEAN_NAME
    mine = to_series(own)
    result = []
    for code, other in others.items():
        name = names.get(code, code)
        common = mine.index.intersection(other.index)
        if kind == "niva":
            assessment = _level(mine[common], other[common], direction, own_name, name,
                                target_year or rules.default_target_year, rules, percentage, unit, options)
        else:
            assessment = _growth(mine[common], other[common], direction, own_name, name, rules, options)
        last = int(common.max()) if len(common) else None
        own_value = float(mine[last]) if last is not None else None
        peer_value = float(other[last]) if last is not None else None
        difference = own_value - peer_value if last is not None else None
        result.append(PeerComparison(code, name, last, own_value, peer_value, difference, assessment))
    return result


def _level(mine, other, direction, own_name, name, year, rules, percentage, unit, options):
    wording = "minst" if direction == "upp" else "högst"
    goal = (0.0, year, f"{wording} samma nivå som {name} till {year}")
    subject = f"Skillnaden {own_name} minus {name}"
    result = assess(mine - other, direction, thresholds=rules, goal=goal, percentage=percentage,
                    unit=unit, subject=subject, linear=True, **options)
    if result.latest_year is None:
        return result
    t = result.latest_year
    unit_text = f" {unit}" if unit else ""
    levels = (f"{own_name} hade {text.number(mine[t])}{unit_text} {t} och {name} "
              f"{text.number(other[t])}{unit_text}.")
    return dataclasses.replace(result, sentence=f"{levels} {result.sentence}")


def _growth(mine, other, direction, own_name, name, rules, options):
    if len(mine) and ((mine <= 0).any() or (other <= 0).any()):
        reason = "tillväxttakten kan bara jämföras när alla värden är större än noll"
        return Assessment(ProgressClass.KAN_INTE_BEDOMAS, text.cannot_assess(reason, []), direction,
                          None)
    result = assess(mine / other, direction, thresholds=rules, **options)
    if result.latest_year is None or result.measure is None:
        return result
    b, t = result.base_year, result.latest_year
    own_rate = 100 * ((mine[t] / mine[b]) ** (1 / (t - b)) - 1)
    peer_rate = 100 * ((other[t] / other[b]) ** (1 / (t - b)) - 1)
    pace = {ProgressClass.RATT_HALL: "snabbare än", ProgressClass.OFORANDRAT: "i ungefär samma takt som",
            ProgressClass.FEL_HALL: "långsammare än"}[result.status]
    if direction == "ned":
        pace = {"snabbare än": "långsammare än", "långsammare än": "snabbare än"}.get(pace, pace)
    sentence = (f"{own_name}: {text.signed(own_rate)} procent per år {b}–{t}; {name}: "
                f"{text.signed(peer_rate)} procent per år. {own_name} växer {pace} {name}.")
    return dataclasses.replace(result, sentence=" ".join([sentence, *result.notes]))

"""Gaps between groups and comparisons with the jämförbara län, worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from rus_analysis.assessment import (
    PEER_MEAN,
    Measure,
    ProgressClass,
    assess_gap,
    compare_with_peers,
    gap_series,
    peer_kind,
    peer_mean,
)
from rus_analysis.config.catalogue import Target
from support import unit_thresholds

RULES = unit_thresholds()
NAMES = {"0006": "Jönköpings län", "0007": "Kronobergs län"}


def test_gap_series_is_absolute_difference_on_common_years():
    women = pd.Series({2020: 78.0, 2021: 79.0, 2022: 83.0})
    men = pd.Series({2021: 82.0, 2022: 81.5, 2023: 80.0})
    # 2021: |79 − 82| = 3; 2022: |83 − 81.5| = 1.5 (women now ahead: still a gap of 1.5)
    assert gap_series(women, men).to_dict() == {2021: 3.0, 2022: 1.5}


def test_shrinking_gap_is_right_way():
    # Gap 82 − 78 = 4 pp (2021) → 82.5 − 80 = 2.5 pp (2023): −0.75 pp per year, should fall.
    # Threshold near the 0 limit: x = (100 − 4)/100 = 0.96, C = 1 − 0.96^4.44 = 1 − 0.8342 = 0.1658,
    # 0.25 · 0.1658 = 0.0414 pp; d · change = +0.75 ≥ 0.0414 → Rätt håll.
    result = assess_gap(pd.Series({2021: 78.0, 2023: 80.0}), pd.Series({2021: 82.0, 2023: 82.5}),
                        thresholds=RULES)
    assert result.direction == "ned" and result.measure is Measure.POINTS
    assert result.actual_change == pytest.approx(-0.75)
    assert result.limit_factor == pytest.approx(1 - 0.96**4.44)
    assert result.status is ProgressClass.RATT_HALL
    assert result.sentence.startswith(
        "Skillnaden mellan kvinnor och män minskade med 0,75 procentenheter per år 2021–2023."
    )


def test_widening_gap_is_wrong_way_with_group_names():
    result = assess_gap(pd.Series({2021: 80.0, 2024: 70.0}), pd.Series({2021: 85.0, 2024: 85.0}),
                        names=("utrikes födda", "inrikes födda"), thresholds=RULES)
    # Gap 5 → 15: +3.33 pp per year → Fel håll.
    assert result.status is ProgressClass.FEL_HALL
    assert result.sentence == (
        "Skillnaden mellan utrikes födda och inrikes födda ökade med 3,3 procentenheter per år "
        "2021–2024. Utvecklingen går åt fel håll (önskad riktning: minskning)."
    )


def test_peer_mean_only_uses_years_where_every_peer_has_a_value():
    peers = {"a": pd.Series({2020: 10.0, 2021: 12.0}), "b": pd.Series({2021: 14.0, 2022: 9.0})}
    assert peer_mean(peers).to_dict() == {2021: 13.0}


def test_level_comparison_against_each_peer_and_the_mean():
    # Higher is better, target: at least the peers' level by 2030; base 2015.
    own = pd.Series({2015: 9.0, 2023: 9.5})
    peers = {"0006": pd.Series({2015: 10.0, 2023: 10.3}), "0007": pd.Series({2015: 8.0, 2023: 8.1})}
    result = compare_with_peers(own, peers, "upp", peer_names=NAMES, unit="per 1 000 invånare",
                                thresholds=RULES, base_year=2015, target_year=2030)
    assert [c.peer for c in result] == ["0006", "0007", PEER_MEAN]
    jonkoping, kronoberg, mean = result
    # vs Jönköping: difference −1.0 (2015) → −0.8 (2023): +0.025 per year; closing to 0 by 2030
    # needs (0 − (−1.0)) / 15 = 0.0667 per year; RR = 0.025 / 0.0667 = 0.375 → för långsamt.
    assert jonkoping.difference == pytest.approx(-0.8)
    assert jonkoping.assessment.measure is Measure.LINEAR
    assert jonkoping.assessment.actual_change == pytest.approx(0.025)
    assert jonkoping.assessment.required_change == pytest.approx(1 / 15)
    assert jonkoping.assessment.ratio == pytest.approx(0.375)
    assert jonkoping.assessment.status is ProgressClass.FOR_LANGSAMT
    assert jonkoping.assessment.sentence.startswith(
        "Örebro län hade 9,5 per 1 000 invånare 2023 och Jönköpings län 10,3 per 1 000 invånare."
    )
    assert "genomsnittliga förändringen" not in jonkoping.assessment.sentence  # linear by design
    # vs Kronoberg: +1.4 in 2023 → already higher → Målet nått.
    assert kronoberg.assessment.status is ProgressClass.MALET_NATT
    # vs mean: (10 + 8)/2 = 9.0 (2015), (10.3 + 8.1)/2 = 9.2 (2023); own 9.5 ≥ 9.2 → Målet nått.
    assert mean.peer_value == pytest.approx(9.2)
    assert mean.peer_name == "jämförbara län (medelvärde)"
    assert mean.assessment.status is ProgressClass.MALET_NATT


def test_growth_comparison():
    # "Grow faster": own 100 → 110 (2015–2020), peer 100 → 105.
    # own CAGR = 1.1^(1/5) − 1 = 1.924 %; peer = 1.05^(1/5) − 1 = 0.980 %.
    # ratio own/peer: 1 → 1.0476; CAGR = 1.0476^(1/5) − 1 = 0.935 % ≥ 0.5 → Rätt håll (faster).
    own = pd.Series({2015: 100.0, 2020: 110.0})
    result = compare_with_peers(own, {"0006": pd.Series({2015: 100.0, 2020: 105.0})}, "upp",
                                kind="tillvaxt", peer_names=NAMES, thresholds=RULES, base_year=2015)
    assessment = result[0].assessment
    assert assessment.actual_change == pytest.approx(100 * ((110 / 105) ** 0.2 - 1))
    assert assessment.status is ProgressClass.RATT_HALL
    assert assessment.sentence == (
        "Örebro län: +1,9 procent per år 2015–2020; Jönköpings län: +0,98 procent per år. "
        "Örebro län växer snabbare än Jönköpings län."
    )


def test_growth_comparison_needs_positive_values():
    result = compare_with_peers(pd.Series({2015: -1.0, 2020: 2.0}), {"0006": pd.Series({2015: 1.0, 2020: 2.0})},
                                "upp", kind="tillvaxt", thresholds=RULES, base_year=2015)
    assert result[0].assessment.status is ProgressClass.KAN_INTE_BEDOMAS


def test_peer_kind_from_wording():
    growth = "BRP per sysselsatt ska växa snabbare än i jämförbara län"
    assert peer_kind(Target(kind="jamforbara_lan", wording=growth)) == "tillvaxt"
    assert peer_kind(Target(kind="jamforbara_lan", wording="Fler nystartade företag än i jämförbara län")) == "niva"

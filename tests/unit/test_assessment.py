"""Worked examples and edge cases for rus_analysis.assessment, arithmetic shown in comments."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from rus_analysis.assessment import (
    Measure,
    ProgressClass,
    Thresholds,
    assess,
    assess_horizons,
    limit_factor,
    to_series,
)
from rus_analysis.config.catalogue import Target
from support import unit_thresholds

RULES = unit_thresholds()
EMISSIONS_TARGET = Target(kind="relativ_forandring", value=-60, base_year=2005, target_year=2030,
                          wording="Utsläppen ska minska med 60 procent till 2030 jämfört med 2005")


def rules_with(**changes) -> Thresholds:
    """The real params with some nested values changed, e.g. targets={'split_slow': True}."""
    data = RULES.model_dump(by_alias=True)
    for key, value in changes.items():
        data[key] = {**data[key], **value} if isinstance(value, dict) else value
    return Thresholds.model_validate(data)


def level_target(value: float, year: int = 2030) -> Target:
    return Target(kind="niva", value=value, target_year=year, wording="nivåmål")


# --- Quantified targets --------------------------------------------------------------------


def test_relative_target_right_way_but_too_slow():
    # Emissions 100 (2005) → 70 (2023), target −60 % by 2030 vs 2005, lower is better (d = −1).
    # CAGR_actual   = (70/100)^(1/18) − 1 = exp(ln 0.7 / 18) − 1 = exp(−0.019815) − 1 = −1.962 %
    # target level  = 100 − 60 % · 100 = 40
    # CAGR_required = (40/100)^(1/25) − 1 = exp(ln 0.4 / 25) − 1 = exp(−0.036652) − 1 = −3.599 %
    # RR = d · actual / |required| = (−1)(−1.962) / 3.599 = 0.545 → 0 < RR < 0.95
    result = assess(pd.Series({2005: 100.0, 2015: 85.0, 2023: 70.0}), "ned", thresholds=RULES,
                    target=EMISSIONS_TARGET, subject="Utsläppen")
    assert result.status is ProgressClass.FOR_LANGSAMT
    assert result.measure is Measure.CAGR
    assert (result.base_year, result.base_value, result.latest_year, result.latest_value) == (2005, 100, 2023, 70)
    assert result.actual_change == pytest.approx(-1.962, abs=1e-3)
    assert result.required_change == pytest.approx(-3.599, abs=1e-3)
    assert result.ratio == pytest.approx(0.545, abs=1e-3)
    assert result.target_value == 40 and result.target_year == 2030
    assert result.sentence == (
        "Utsläppen minskade med 2,0 procent per år 2005–2023. För att nå målet (−60 procent till 2030 "
        "jämfört med 2005) behövs −3,6 procent per år. Utvecklingen går åt rätt håll men för långsamt."
    )


def test_optional_split_at_060():
    # Same numbers: RR = 0.545 < 0.60, so with the split switched on it is "mycket för långsamt".
    rules = rules_with(mal={"dela_for_langsamt": True})
    result = assess(pd.Series({2005: 100.0, 2023: 70.0}), "ned", thresholds=rules, target=EMISSIONS_TARGET)
    assert result.status is ProgressClass.MYCKET_FOR_LANGSAMT
    assert "mycket för långsamt" in result.sentence


def test_level_target_on_track_in_percentage_points():
    # Share 70 % (2021) → 76 % (2025), target 80 % by 2030, higher is better.
    # actual   = (76 − 70) / 4 = 1.5 pp per year
    # required = (80 − 70) / 9 = 1.111 pp per year
    # RR = 1.5 / 1.111 = 1.35 ≥ 0.95 → I takt med målet
    result = assess(pd.Series({2021: 70.0, 2023: 73.0, 2025: 76.0}), "upp", thresholds=RULES,
                    target=level_target(80), percentage=True, unit="procent")
    assert result.status is ProgressClass.I_TAKT
    assert result.measure is Measure.POINTS
    assert result.actual_change == pytest.approx(1.5)
    assert result.required_change == pytest.approx(10 / 9)
    assert result.ratio == pytest.approx(1.35)
    assert "behövs +1,1 procentenheter per år" in result.sentence
    assert result.sentence.endswith("Utvecklingen är i takt med målet.")


def test_ratio_exactly_at_threshold_is_on_track():
    # With i_takt_kvot 0.75 (exact in binary): 70 → 73 over 4 years = 0.75 pp/yr, target 74 in
    # 2025 needs (74 − 70)/4 = 1 pp/yr, RR = 0.75 exactly → I takt (the rule is RR ≥ threshold).
    rules = rules_with(mal={"i_takt_kvot": 0.75})
    result = assess(pd.Series({2021: 70.0, 2025: 73.0}), "upp", thresholds=rules,
                    target=level_target(74, 2025), percentage=True)
    assert result.ratio == 0.75
    assert result.status is ProgressClass.I_TAKT


def test_target_already_met():
    # 76 % ≥ target 75 % → Målet nått, whatever the pace.
    result = assess(pd.Series({2021: 70.0, 2024: 76.0}), "upp", thresholds=RULES,
                    target=level_target(75), percentage=True)
    assert result.status is ProgressClass.MALET_NATT
    assert result.ratio is None
    assert "Målet (75 till 2030) är nått." in result.sentence


def test_target_met_at_base_but_lost():
    # Lower is better, target 50: 45 (2021) met it, 55 (2024) does not. Moving away → Fel håll.
    result = assess(pd.Series({2021: 45.0, 2024: 55.0}), "ned", thresholds=RULES,
                    target=level_target(50), unit="dagar")
    assert result.status is ProgressClass.FEL_HALL
    assert result.ratio < 0
    assert "var nått 2021 men inte 2024" in result.sentence


def test_wrong_way_with_target():
    # 70 → 68 when it should rise to 80: actual = −0.5 pp/yr, RR < 0 → Fel håll.
    result = assess(pd.Series({2021: 70.0, 2025: 68.0}), "upp", thresholds=RULES,
                    target=level_target(80), percentage=True)
    assert result.status is ProgressClass.FEL_HALL
    assert result.ratio == pytest.approx(-0.5 / (10 / 9))


def test_target_year_not_after_base_year_cannot_be_assessed():
    result = assess(pd.Series({2021: 70.0, 2024: 72.0}), "upp", thresholds=RULES,
                    target=level_target(80, 2021), percentage=True)
    assert result.status is ProgressClass.KAN_INTE_BEDOMAS
    assert "målåret 2021 ligger inte efter basåret 2021" in result.sentence


def test_target_without_value_is_a_clear_error():
    broken = Target(kind="niva", target_year=2030, wording="ska bli bättre")
    with pytest.raises(ValueError, match="saknar värde"):
        assess(pd.Series({2021: 1.0, 2023: 2.0}), "upp", thresholds=RULES, target=broken)


def test_direction_and_peer_targets_are_assessed_by_direction():
    target = Target(kind="riktning", wording="ska öka")
    result = assess(pd.Series({2021: 100.0, 2025: 104.0}), "upp", thresholds=RULES, target=target)
    assert result.status is ProgressClass.RATT_HALL and result.ratio is None


# --- Direction only ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latest", "expected"),
    [
        # CAGR = (104/100)^(1/4) − 1 = 0.985 % ≥ 0.5 → Rätt håll
        (104.0, ProgressClass.RATT_HALL),
        # CAGR = (101/100)^(1/4) − 1 = 0.249 %, inside ±0.5 → Oförändrat
        (101.0, ProgressClass.OFORANDRAT),
        # CAGR = (97/100)^(1/4) − 1 = −0.759 % ≤ −0.5 → Fel håll
        (97.0, ProgressClass.FEL_HALL),
    ],
)
def test_direction_only_cagr(latest, expected):
    result = assess(pd.Series({2021: 100.0, 2025: latest}), "upp", thresholds=RULES)
    assert result.status is expected
    assert result.actual_change == pytest.approx(100 * ((latest / 100) ** 0.25 - 1))
    assert result.right_way_threshold == RULES.direction.right_way_percent


def test_direction_only_lower_is_better():
    # 100 → 97: −0.759 % per year, and lower is better: d · CAGR = +0.759 → Rätt håll.
    result = assess(pd.Series({2021: 100.0, 2025: 97.0}), "ned", thresholds=RULES, subject="Arbetslösheten")
    assert result.status is ProgressClass.RATT_HALL
    assert result.sentence == (
        "Arbetslösheten minskade med 0,76 procent per år 2021–2025. "
        "Utvecklingen går åt rätt håll (önskad riktning: minskning)."
    )


def test_unchanged_series_says_so():
    result = assess(pd.Series({2021: 50.0, 2024: 50.0}), "upp", thresholds=RULES, subject="Andelen")
    assert result.status is ProgressClass.OFORANDRAT
    assert result.sentence.startswith("Andelen låg kvar på samma nivå 2021–2024.")


# --- Natural limits (0 % and 100 %) --------------------------------------------------------


def test_limit_factor_values():
    # C = 1 − x^4.44. Share 95 % that should rise: x = 0.95, 0.95^4.44 = exp(4.44 · ln 0.95)
    # = exp(4.44 · −0.0512933) = exp(−0.2277422) = 0.796330 → C = 0.203670.
    assert limit_factor(95, "upp", 4.44) == pytest.approx(0.203670, abs=1e-6)
    # The complement (5 % that should fall) is as close to its limit: same factor.
    assert limit_factor(5, "ned", 4.44) == pytest.approx(0.203670, abs=1e-6)
    assert limit_factor(100, "upp", 4.44) == 0
    assert limit_factor(0, "ned", 4.44) == 0
    assert limit_factor(0, "upp", 4.44) == 1  # far from the limit it moves towards
    assert limit_factor(130, "upp", 4.44) == 1  # not a share


def test_small_rise_near_100_percent_counts_as_right_way():
    # 95 → 95.3 over 3 years = 0.1 pp per year. Unscaled threshold 0.25 would say Oförändrat;
    # near 100 % it is 0.25 · 0.203670 = 0.0509 pp, and 0.1 ≥ 0.0509 → Rätt håll.
    result = assess(pd.Series({2021: 95.0, 2024: 95.3}), "upp", thresholds=RULES, percentage=True)
    assert result.actual_change == pytest.approx(0.1)
    assert result.limit_factor == pytest.approx(0.203670, abs=1e-6)
    assert result.right_way_threshold == pytest.approx(0.0509, abs=1e-4)
    assert result.status is ProgressClass.RATT_HALL
    mid = assess(pd.Series({2021: 50.0, 2024: 50.3}), "upp", thresholds=RULES, percentage=True)
    assert mid.status is ProgressClass.OFORANDRAT  # 0.1 < 0.25 · (1 − 0.5^4.44) = 0.238


def test_staying_at_100_percent_is_right_way_and_falling_from_it_is_wrong_way():
    # At the limit C = 0, so keeping 100 % (change 0 ≥ 0) is Rätt håll, as in Statistics Canada.
    kept = assess(pd.Series({2021: 100.0, 2024: 100.0}), "upp", thresholds=RULES, percentage=True)
    assert kept.status is ProgressClass.RATT_HALL and kept.limit_factor == 0
    # The "Fel håll" threshold is never scaled: −1 pp per year ≤ −0.25 → Fel håll.
    fell = assess(pd.Series({2021: 100.0, 2024: 97.0}), "upp", thresholds=RULES, percentage=True)
    assert fell.status is ProgressClass.FEL_HALL


def test_share_reaching_zero_is_measured_in_points_not_cagr():
    # 2 % → 0 % should fall: −0.5 pp per year. Percentage points need no division by the level,
    # so zero is fine and there is no fallback note.
    result = assess(pd.Series({2021: 2.0, 2025: 0.0}), "ned", thresholds=RULES, percentage=True)
    assert result.measure is Measure.POINTS
    assert result.actual_change == pytest.approx(-0.5)
    assert result.status is ProgressClass.RATT_HALL
    assert result.notes == ()


# --- Zeros and sign changes ----------------------------------------------------------------


def test_zero_base_falls_back_to_linear_change():
    # 0 → 10 over 5 years: CAGR undefined. Linear change = 10/5 = 2 per year; divided by the mean
    # level (0 + 10)/2 = 5 → 40 % per year ≥ 0.5 → Rätt håll.
    result = assess(pd.Series({2020: 0.0, 2025: 10.0}), "upp", thresholds=RULES, unit="företag",
                    base_year=2020)
    assert result.measure is Measure.LINEAR
    assert result.actual_change == pytest.approx(2.0)
    assert result.status is ProgressClass.RATT_HALL
    assert "Värdet ökade med 2 företag per år 2020–2025." in result.sentence
    assert "genomsnittliga förändringen per år används" in result.sentence


def test_sign_change_falls_back_to_linear_change():
    # Net migration −5 → +5 over 2 years: linear change +5 per year, higher is better.
    result = assess(pd.Series({2021: -5.0, 2023: 5.0}), "upp", thresholds=RULES, unit="personer")
    assert result.measure is Measure.LINEAR
    assert result.actual_change == pytest.approx(5.0)
    assert result.status is ProgressClass.RATT_HALL


def test_zero_target_uses_linear_ratio():
    # Net-zero: 100 (2005) → 60 (2025), target 0 by 2045. Linear: actual = −40/20 = −2 per year,
    # required = (0 − 100)/40 = −2.5 per year, RR = 2/2.5 = 0.8 → för långsamt.
    target = Target(kind="niva", value=0, target_year=2045, wording="netto noll")
    result = assess(pd.Series({2005: 100.0, 2025: 60.0}), "ned", thresholds=RULES, target=target,
                    base_year=2005)
    assert result.measure is Measure.LINEAR
    assert result.ratio == pytest.approx(0.8)
    assert result.status is ProgressClass.FOR_LANGSAMT


# --- Base year, too few points, series breaks, horizons ------------------------------------


def test_missing_base_year_uses_first_year_after_and_says_so():
    # No data for 2005: the comparison starts 2007, and the −60 % target is computed from 2007.
    # CAGR = (66/110)^(1/16) − 1; target level = 110 − 66 = 44.
    series = pd.Series({2003: 120.0, 2007: 110.0, 2023: 66.0})
    result = assess(series, "ned", thresholds=RULES, target=EMISSIONS_TARGET)
    assert result.requested_base_year == 2005 and result.base_year == 2007
    assert result.target_value == pytest.approx(44.0)
    assert result.actual_change == pytest.approx(100 * ((66 / 110) ** (1 / 16) - 1))
    assert "Data för 2005 saknas; jämförelsen börjar 2007" in result.sentence
    assert "Data för målets basår 2005 saknas; målnivån räknas från värdet 2007." in result.sentence


def test_default_base_year_comes_from_params():
    result = assess(pd.Series({2015: 1.0, RULES.default_base_year: 2.0, 2024: 3.0}), "upp", thresholds=RULES)
    assert result.base_year == RULES.default_base_year


@pytest.mark.parametrize("series", [pd.Series({2024: 5.0}), pd.Series({2010: 4.0, 2024: 5.0})])
def test_fewer_than_two_comparable_points(series):
    # One value; or two values, but only one from the base year (2021) on.
    result = assess(series, "upp", thresholds=RULES)
    assert result.status is ProgressClass.KAN_INTE_BEDOMAS
    assert "för få jämförbara värden" in result.sentence
    assert result.base_year is None and result.actual_change is None


def test_no_data_at_all():
    result = assess(pd.Series([], dtype=float), "upp", thresholds=RULES)
    assert result.status is ProgressClass.KAN_INTE_BEDOMAS
    assert result.sentence == "Data saknas."


def test_missing_values_are_skipped_not_filled():
    # 2021 is missing (NaN): the first year with a value after it, 2022, is the base.
    result = assess(pd.Series({2021: math.nan, 2022: 100.0, 2024: 110.0}), "upp", thresholds=RULES)
    assert result.base_year == 2022 and result.base_value == 100


def test_series_break_limits_trend_to_latest_segment():
    # RAMS up to 2019, BAS from 2020 (break_year 2020). Base 2015 → the trend starts 2020.
    # (80.2 − 78.4) / 4 = 0.45 pp per year.
    series = pd.Series({2015: 76.0, 2019: 79.0, 2020: 78.4, 2022: 79.6, 2024: 80.2})
    result = assess(series, "upp", thresholds=RULES, base_year=2015, break_year=2020, percentage=True)
    assert (result.base_year, result.latest_year) == (2020, 2024)
    assert result.actual_change == pytest.approx(0.45)
    assert "Serien har ett brott 2020, så jämförelsen börjar 2020 i stället för 2015." in result.sentence


def test_trend_only_across_a_break_cannot_be_assessed():
    series = pd.Series({2015: 76.0, 2019: 79.0, 2020: 78.4})
    result = assess(series, "upp", thresholds=RULES, base_year=2015, break_year=2020, percentage=True)
    assert result.status is ProgressClass.KAN_INTE_BEDOMAS
    assert "brott 2020" in result.sentence


def test_two_horizons():
    # Long: 2021 → 2030 rose. Short (5 years): 2025 → 2030 fell.
    series = pd.Series({2021: 100.0, 2025: 130.0, 2030: 120.0})
    long, short = assess_horizons(series, "upp", thresholds=RULES)
    assert (long.base_year, long.latest_year, long.status) == (2021, 2030, ProgressClass.RATT_HALL)
    # Short horizon base = 2030 − 5 = 2025: CAGR = (120/130)^(1/5) − 1 = −1.59 % → Fel håll.
    assert (short.requested_base_year, short.base_year) == (2025, 2025)
    assert short.status is ProgressClass.FEL_HALL


def test_short_horizon_with_missing_year_moves_forward():
    series = pd.Series({2015: 10.0, 2020: 11.0, 2023: 12.0})
    result = assess(series, "upp", thresholds=RULES, horizon=5)  # 2023 − 5 = 2018 → 2020
    assert result.base_year == 2020
    assert "Data för 2018 saknas; jämförelsen börjar 2020" in result.sentence


# --- Input handling ------------------------------------------------------------------------


def test_two_sequences_are_accepted():
    result = assess(([2021, 2025], [100.0, 104.0]), "upp", thresholds=RULES)
    assert result.status is ProgressClass.RATT_HALL


def test_unsorted_input_is_sorted():
    assert list(to_series(([2024, 2021], [2.0, 1.0])).index) == [2021, 2024]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (([2021, 2021], [1.0, 2.0]), "förekommer flera gånger"),
        (([2021, 2022], [1.0]), "lika många"),
        ((["tjugo", 2022], [1.0, 2.0]), "inget år"),
        (([2021, 2022], [1.0, "x"]), "inte är ett tal"),
        (([2021, 2022], [1.0, math.inf]), "oändligt"),
    ],
)
def test_bad_input_gives_swedish_message(values, message):
    with pytest.raises(ValueError, match=message):
        assess(values, "upp", thresholds=RULES)


def test_bad_direction_and_conflicting_base():
    with pytest.raises(ValueError, match="'upp' eller 'ned'"):
        assess(pd.Series({2021: 1.0, 2022: 2.0}), "up", thresholds=RULES)
    with pytest.raises(ValueError, match="antingen basår eller horisont"):
        assess(pd.Series({2021: 1.0, 2022: 2.0}), "upp", thresholds=RULES, base_year=2021, horizon=5)


def test_result_is_frozen():
    result = assess(pd.Series({2021: 1.0, 2022: 2.0}), "upp", thresholds=RULES)
    with pytest.raises(AttributeError):
        result.status = ProgressClass.FEL_HALL  # type: ignore[misc]

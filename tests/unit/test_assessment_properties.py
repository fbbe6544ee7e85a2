"""Properties the assessment must have for any series (hypothesis).

Cases within a hair of a threshold are left out: there the class may legitimately flip on the
last bit of a float, which says nothing about the rules.
"""

from __future__ import annotations

import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rus_analysis.assessment import Assessment, Measure, ProgressClass, assess
from rus_analysis.config.catalogue import Target
from support import examples, unit_thresholds

RULES = unit_thresholds()
EDGE = 1e-6

years = st.tuples(st.integers(2000, 2020), st.integers(1, 15)).map(lambda p: (p[0], p[0] + p[1]))
positive = st.floats(0.5, 1e6, allow_nan=False, allow_infinity=False)
share = st.floats(0, 100, allow_nan=False, allow_infinity=False)
direction = st.sampled_from(["upp", "ned"])


def run(b, t, y_b, y_t, d, **options) -> Assessment:
    return assess(([b, t], [y_b, y_t]), d, thresholds=RULES, base_year=b, **options)


def far_from_edges(result: Assessment) -> bool:
    """False when the deciding number is within EDGE of a class boundary."""
    sign = 1 if result.direction == "upp" else -1
    if result.target_value is not None:
        if abs(result.latest_value - result.target_value) < EDGE * max(1, abs(result.target_value)):
            return False
        if result.ratio is None or math.isinf(result.ratio):
            return True
        edges = (0, RULES.targets.on_track_ratio, RULES.targets.very_slow_ratio)
        return all(abs(result.ratio - e) > EDGE for e in edges)
    progress = sign * result.actual_change
    if result.measure is Measure.LINEAR:
        scale = (abs(result.base_value) + abs(result.latest_value)) / 2
        progress = 100 * progress / scale if scale else 0.0
    wrong = (RULES.direction.wrong_way_points if result.measure is Measure.POINTS
             else RULES.direction.wrong_way_percent)
    return abs(progress - result.right_way_threshold) > EDGE and abs(progress + wrong) > EDGE


@st.composite
def level_targets(draw, values):
    return Target(kind="niva", value=draw(values), target_year=draw(st.integers(2021, 2040)), wording="mål")


# --- A better latest value never gives a worse class ---------------------------------------


@settings(max_examples=examples(300))
@given(years, positive, positive, positive, direction, st.one_of(st.none(), level_targets(positive)))
def test_better_latest_value_never_worse_class(span, y_b, y1, y2, d, target):
    b, t = span
    assume(target is None or target.target_year > b)
    worse, better = sorted([y1, y2]) if d == "upp" else sorted([y1, y2], reverse=True)
    first = run(b, t, y_b, worse, d, target=target)
    second = run(b, t, y_b, better, d, target=target)
    assert second.status.rank >= first.status.rank


@settings(max_examples=examples(300))
@given(years, share, share, share, direction, st.one_of(st.none(), level_targets(share)))
def test_better_latest_share_never_worse_class(span, y_b, y1, y2, d, target):
    b, t = span
    assume(target is None or target.target_year > b)
    worse, better = sorted([y1, y2]) if d == "upp" else sorted([y1, y2], reverse=True)
    first = run(b, t, y_b, worse, d, target=target, percentage=True)
    second = run(b, t, y_b, better, d, target=target, percentage=True)
    assert second.status.rank >= first.status.rank


# --- Mirrored series with mirrored direction give the same class ---------------------------


def flip(d: str) -> str:
    return "ned" if d == "upp" else "upp"


@settings(max_examples=examples(300))
@given(years, share, share, direction, st.one_of(st.none(), level_targets(share)))
def test_share_and_its_complement_get_the_same_class(span, y_b, y_t, d, target):
    # A share y that should rise is the same fact as the share 100 − y that should fall
    # (e.g. employed / not employed), including the scaling near 0 and 100 %.
    b, t = span
    assume(target is None or target.target_year > b)
    original = run(b, t, y_b, y_t, d, target=target, percentage=True)
    assume(far_from_edges(original))
    mirror_target = None if target is None else target.model_copy(update={"value": 100 - target.value})
    mirrored = run(b, t, 100 - y_b, 100 - y_t, flip(d), target=mirror_target, percentage=True)
    assert mirrored.status is original.status


@settings(max_examples=examples(300))
@given(years, st.floats(-1e6, 1e6, allow_nan=False), st.floats(-1e6, 1e6, allow_nan=False), direction)
def test_negated_series_with_flipped_direction_gets_the_same_class(span, y_b, y_t, d):
    # Values of opposite sign (or zero) use the linear change, which is symmetric under y → −y.
    b, t = span
    assume(not (y_b > 0 and y_t > 0) and not (y_b < 0 and y_t < 0))
    original = run(b, t, y_b, y_t, d)
    assert original.measure is Measure.LINEAR
    assume(far_from_edges(original))
    assert run(b, t, -y_b, -y_t, flip(d)).status is original.status


# --- Scaling by a positive constant does not change a ratio-based class --------------------


@settings(max_examples=examples(300))
@given(years, positive, positive, direction, st.floats(1e-3, 1e3), st.integers(2021, 2040),
       st.floats(0.1, 3))
def test_scaling_does_not_change_target_class(span, y_b, y_t, d, k, target_year, target_factor):
    b, t = span
    assume(target_year > b)
    target = Target(kind="niva", value=y_b * target_factor, target_year=target_year, wording="mål")
    original = run(b, t, y_b, y_t, d, target=target)
    assume(far_from_edges(original))
    scaled_target = target.model_copy(update={"value": target.value * k})
    scaled = run(b, t, y_b * k, y_t * k, d, target=scaled_target)
    assert scaled.status is original.status


@settings(max_examples=examples(300))
@given(years, positive, positive, direction, st.floats(1e-3, 1e3), st.floats(-90, 90))
def test_scaling_does_not_change_relative_target_or_direction_class(span, y_b, y_t, d, k, percent):
    b, t = span
    target = Target(kind="relativ_forandring", value=percent, base_year=b, target_year=2030, wording="mål")
    for options in ({"target": target}, {}):
        original = run(b, t, y_b, y_t, d, **options)
        if not far_from_edges(original):
            continue
        assert run(b, t, y_b * k, y_t * k, d, **options).status is original.status


def test_ranks_order_the_classes_the_way_the_words_say():
    c = ProgressClass
    assert c.MALET_NATT.rank > c.I_TAKT.rank > c.FOR_LANGSAMT.rank > c.MYCKET_FOR_LANGSAMT.rank > c.FEL_HALL.rank
    assert c.RATT_HALL.rank > c.OFORANDRAT.rank > c.FEL_HALL.rank

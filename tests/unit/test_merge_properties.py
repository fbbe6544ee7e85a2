"""Property tests for the cell-by-cell merge of an import into a series (snapshot.merge)."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from rus_analysis.config.geography import REGION_NAMES
from rus_analysis.ingest.schema import COLUMNS, DTYPES
from rus_analysis.snapshot.merge import merge_series, stored
from support import examples

REGIONS = ["0000", "0018", "1880", "0017"]
CELL = ["region_code", "year", "sex", "group"]

values = st.one_of(st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False), st.just(math.nan))
cells = st.tuples(st.sampled_from(REGIONS), st.integers(2015, 2024), st.sampled_from(["T", "K", "M"]),
                  st.sampled_from(["totalt", "inrikes födda"]))
series = st.dictionaries(cells, values, max_size=30)


def frame(data: dict) -> pd.DataFrame:
    rows = [dict(indicator="x", region_code=r, region_name=REGION_NAMES[r], year=y, sex=s, group=g, value=v,
                 unit="procent", status="saknas" if math.isnan(v) else "") for (r, y, s, g), v in data.items()]
    return pd.DataFrame(rows, columns=COLUMNS).astype(DTYPES)


def as_dict(result: pd.DataFrame) -> dict:
    return {(r.region_code, int(r.year), r.sex, r.group): r.value for r in result.itertuples()}


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or stored(a) == stored(b)


@settings(max_examples=examples(150), deadline=None)
@given(series, series)
def test_merge_updates_only_the_files_cells(existing, new):
    result = merge_series(frame(existing), frame(new))
    merged = as_dict(result.frame)
    assert set(merged) == set(existing) | set(new)
    for key, value in new.items():
        assert same(merged[key], value) or (math.isnan(value) and key in existing and math.isnan(existing[key]))
    for key, value in existing.items():
        if key not in new:
            assert same(merged[key], value)  # every other row stays
    assert result.added + len(result.changed) + result.unchanged == len(new)
    assert result.added == len(set(new) - set(existing))
    assert not result.frame.duplicated(CELL).any()


@settings(max_examples=examples(100), deadline=None)
@given(series, series)
def test_importing_the_same_file_twice_changes_nothing(existing, new):
    once = merge_series(frame(existing), frame(new))
    twice = merge_series(once.frame, frame(new))
    assert not twice.changes_anything
    assert twice.unchanged == len(new)
    pd.testing.assert_frame_equal(twice.frame, once.frame)


@settings(max_examples=examples(100), deadline=None)
@given(series, series)
def test_replace_keeps_only_the_files_cells_and_counts_the_rest(existing, new):
    result = merge_series(frame(existing), frame(new), replace=True)
    assert set(as_dict(result.frame)) == set(new)
    assert result.removed == len(set(existing) - set(new))


@settings(max_examples=examples(100), deadline=None)
@given(series)
def test_merging_nothing_changes_nothing(existing):
    result = merge_series(frame(existing), frame({}))
    assert not result.changes_anything
    assert as_dict(result.frame).keys() == existing.keys()


def test_missing_value_does_not_replace_a_more_specific_missing_status():
    old = frame({("0018", 2019, "T", "totalt"): math.nan})
    old["status"] = "sekretess"
    result = merge_series(old, frame({("0018", 2019, "T", "totalt"): math.nan}))
    assert result.unchanged == 1 and result.frame["status"].tolist() == ["sekretess"]


def test_largest_changes_come_first():
    old = frame({("0000", 2020, "T", "totalt"): 10.0, ("0018", 2020, "T", "totalt"): 10.0,
                 ("1880", 2020, "T", "totalt"): 10.0})
    new = frame({("0000", 2020, "T", "totalt"): 11.0, ("0018", 2020, "T", "totalt"): 30.0,
                 ("1880", 2020, "T", "totalt"): math.nan})
    largest = merge_series(old, new).largest_changes(3)
    assert [c.region_code for c in largest] == ["1880", "0018", "0000"]

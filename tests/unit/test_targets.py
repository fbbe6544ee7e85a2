"""assessment.targets.target_level: the one computation of a quantified target's level."""

from __future__ import annotations

import pandas as pd
import pytest

from rus_analysis.assessment.targets import TargetLevel, target_level
from rus_analysis.config.catalogue import Target

RELATIVE = Target(kind="relativ_forandring", value=-60, base_year=2005, target_year=2030, wording="−60 %")


def test_relative_target_from_the_base_year():
    level = target_level(RELATIVE, pd.Series({2005: 100.0, 2024: 70.0}), 2030)
    assert level == TargetLevel(40.0, 2030, 2005, 2005, 100.0)
    assert not level.reference_moved


def test_missing_base_year_moves_the_reference_and_says_so():
    level = target_level(RELATIVE, pd.Series({2004: 90.0, 2009: 80.0, 2024: 70.0}), 2030)
    assert (level.value, level.reference_year, level.reference_moved) == (32.0, 2009, True)


def test_no_value_from_the_base_year_on_is_a_reason():
    assert target_level(RELATIVE, pd.Series({2004: 90.0}), 2030) == \
        "data för målets basår 2005 och senare saknas"


def test_a_break_keeps_the_reference_after_it():
    level = target_level(RELATIVE, pd.Series({2005: 100.0, 2019: 50.0, 2024: 45.0}), 2030, break_year=2019)
    assert (level.reference_year, level.value) == (2019, 20.0)


def test_level_target_and_default_year():
    level = target_level(Target(kind="niva", value=80, wording="80"), pd.Series({2020: 70.0}), 2030)
    assert (level.value, level.year, level.reference_year) == (80.0, 2030, None)


def test_direction_targets_have_no_level_and_broken_entries_raise():
    assert target_level(Target(kind="riktning", wording="ska öka"), pd.Series({2020: 1.0}), 2030) is None
    assert target_level(None, pd.Series(dtype=float), 2030) is None
    with pytest.raises(ValueError, match="saknar värde"):
        target_level(Target(kind="niva", wording="x"), pd.Series({2020: 1.0}), 2030)
    with pytest.raises(ValueError, match="saknar basår"):
        target_level(Target(kind="relativ_forandring", value=-5, wording="x"), pd.Series({2020: 1.0}), 2030)

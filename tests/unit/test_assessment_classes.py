"""The classes' symbols, colours and words, and the params file that drives the thresholds."""

from __future__ import annotations

import itertools
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from fontTools.ttLib import TTFont

from rus_analysis.assessment import ProgressClass, Thresholds, load_thresholds
from rus_analysis.config.yaml_files import SettingsError
from support import UNIT_THRESHOLDS, unit_thresholds

# --- Colours: contrast on white and separation under colour-vision deficiencies -------------

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "normal": np.eye(3),
}


def linear_rgb(colour: str) -> np.ndarray:
    srgb = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def contrast_on_white(colour: str) -> float:
    luminance = float(linear_rgb(colour) @ [0.2126, 0.7152, 0.0722])  # WCAG relative luminance
    return 1.05 / (luminance + 0.05)


def cielab(rgb: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(rgb, 0, 1)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


COLOURS = sorted({c.colour for c in ProgressClass})


@pytest.mark.parametrize("status", list(ProgressClass), ids=lambda c: c.name)
def test_colour_contrast_is_enough_for_text_on_white(status):
    assert contrast_on_white(status.colour) >= 4.5  # WCAG 2.1 AA, normal text


def test_contrast_formula_on_known_values():
    assert contrast_on_white("#000000") == pytest.approx(21)
    assert contrast_on_white("#767676") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("vision", list(CVD))
def test_distinct_colours_stay_apart_under_colour_vision_deficiency(vision):
    matrix = np.array(CVD[vision])
    for a, b in itertools.combinations(COLOURS, 2):
        distance = np.linalg.norm(cielab(matrix @ linear_rgb(a)) - cielab(matrix @ linear_rgb(b)))
        assert distance > 12, f"{a} och {b} är för lika vid {vision} (ΔE {distance:.1f})"


def test_every_class_has_words_and_a_unique_label():
    labels = [c.label for c in ProgressClass]
    assert len(set(labels)) == len(labels)
    assert all(c.words and c.symbol for c in ProgressClass)
    # One symbol per class: ● must not mean both "I takt med målet" and "Rätt håll".
    symbols = [c.symbol for c in ProgressClass]
    assert len(set(symbols)) == len(symbols)


def test_symbols_exist_in_dejavu_sans():
    # matplotlib ships DejaVu Sans, so this font is always there for charts.
    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    cmap = TTFont(font).getBestCmap()
    missing = [c.name for c in ProgressClass if any(ord(ch) not in cmap for ch in c.symbol)]
    assert missing == []


# --- Params file ----------------------------------------------------------------------------


def test_params_file_loads_with_documented_defaults():
    rules = unit_thresholds()
    assert rules.targets.on_track_ratio == 0.95
    assert rules.targets.very_slow_ratio == 0.60
    assert rules.targets.split_slow is False
    assert rules.direction.right_way_percent == 0.5
    assert rules.direction.limit_exponent == 4.44
    assert {pair.breakdown for pair in rules.gaps} == {"kon", "fodelseregion"}


def test_percentage_units():
    """One unit rule for validation, narrative, summary and assessment (config.units)."""
    from rus_analysis.config.units import difference_unit, is_percent, is_percentage_points, measured_in_points

    assert is_percent("procent") and is_percent("Procent av befolkningen") and is_percent("%")
    assert not is_percent("procentenheter") and is_percentage_points("procentenheter")
    assert not is_percent("ton CO2-ekv") and not is_percent(None) and not is_percent("")
    assert measured_in_points("procent") and measured_in_points("procentenheter")
    assert not measured_in_points("antal per 1 000 invånare 16–64 år")
    assert difference_unit("procent") == "procentenheter" and difference_unit("GWh") == "GWh"


def test_bad_params_file_names_the_field(tmp_path):
    text = UNIT_THRESHOLDS.read_text(encoding="utf-8").replace("i_takt_kvot: 0.95", "i_takt_kvot: snabbt")
    path = tmp_path / "bedomning.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=r"fältet 'i_takt_kvot' under 'mal'"):
        load_thresholds(path)


def test_split_threshold_must_be_below_on_track():
    data = unit_thresholds().model_dump(by_alias=True)
    data["mal"]["mycket_for_langsamt_kvot"] = 0.99
    with pytest.raises(ValueError, match="mindre än i_takt_kvot"):
        Thresholds.model_validate(data)


def test_missing_params_file_is_a_swedish_error(tmp_path):
    with pytest.raises(SettingsError, match="finns inte"):
        load_thresholds(tmp_path / "saknas.yml")

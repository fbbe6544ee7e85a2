"""Which series stop before a report's data_till_och_med, and what the analyst is told to do."""

from __future__ import annotations

import pandas as pd
import pytest

from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.config.geography import REGION_NAMES
from rus_analysis.snapshot.freshness import (
    WIDTH,
    cutoff_warning,
    ending_before,
    grouped_lines,
    series_ends,
    update_hint,
    update_lines,
)
from rus_analysis.snapshot.store import DTYPES, write_series
from support import FIXTURES


@pytest.fixture
def catalogue():
    return load_catalogue(FIXTURES / "catalogue" / "indikatorer.yml")


def series(indicator: str, cells: list[tuple[str, int, float | None]]) -> pd.DataFrame:
    return pd.DataFrame([
        dict(indicator=indicator, region_code=code, region_name=REGION_NAMES[code], year=year, sex="T",
             group="totalt", value=value, unit="procent", status="" if value is not None else "sekretess")
        for code, year, value in cells
    ]).astype(DTYPES)


@pytest.fixture
def snapshot(tmp_path):
    # Örebro län to 2024; a suppressed 2025 cell is not data.
    write_series(tmp_path, "sysselsattning_total", series("sysselsattning_total", [
        ("0018", 2023, 80.1), ("0018", 2024, 80.6), ("0018", 2025, None), ("0000", 2025, 79.0)]), {})
    # Only kommuner (skolkommun-like): Örebro kommun 2025.
    write_series(tmp_path, "gymnasieexamen_4ar", series("gymnasieexamen_4ar", [("1880", 2025, 70.2)]), {})
    # Only a jämförbart län (like MUCF's file): Värmland 2022.
    write_series(tmp_path, "barn_ekonomiskt_utsatta", series("barn_ekonomiskt_utsatta", [("0017", 2022, 9.1)]), {})
    return tmp_path


def test_latest_year_for_the_region_then_kommuner_then_any(snapshot, catalogue):
    ends = {e.indicator.id: e for e in series_ends(snapshot, catalogue.indicators, "0018")}
    assert (ends["sysselsattning_total"].latest_year, ends["sysselsattning_total"].where) == (2024, "region")
    assert (ends["gymnasieexamen_4ar"].latest_year, ends["gymnasieexamen_4ar"].where) == (2025, "kommuner")
    assert (ends["barn_ekonomiskt_utsatta"].latest_year, ends["barn_ekonomiskt_utsatta"].where) == (2022, "annan")
    assert (ends["energianvandning"].latest_year, ends["energianvandning"].where) == (None, "")
    # Another län's kommuner are not Örebro län's.
    other = {e.indicator.id: e for e in series_ends(snapshot, catalogue.indicators, "0017")}
    assert other["gymnasieexamen_4ar"].where == "annan"
    assert other["barn_ekonomiskt_utsatta"].where == "region"


def test_ending_before_is_what_the_manifest_records(snapshot, catalogue):
    ends = series_ends(snapshot, catalogue.indicators, "0018")
    assert ending_before(ends, 2025) == {"sysselsattning_fodelseregion": None, "sysselsattning_total": 2024,
                                         "barn_ekonomiskt_utsatta": 2022, "energianvandning": None}
    assert ending_before(ends, 2022) == {"sysselsattning_fodelseregion": None, "energianvandning": None}


def test_grouped_warning_names_each_series_once_newest_first(snapshot, catalogue):
    ends = series_ends(snapshot, catalogue.indicators, "0018")
    assert grouped_lines(ends, 2025) == [
        "  t.o.m. 2024 (1): sysselsattning_total",
        "  t.o.m. 2022 (1): barn_ekonomiskt_utsatta",
        "  utan data (2): sysselsattning_fodelseregion, energianvandning",
    ]
    warning = cutoff_warning(ends, 2025, 2026)
    assert warning[0].startswith("Obs: 4 av 5 serier i rapporten 2026 slutar före 2025")
    assert warning[-1] == "Vad som behöver uppdateras: rus data kontroll --ar 2026"
    assert all(len(line) <= WIDTH for line in warning)
    reached = [e for e in ends if e.indicator.id == "gymnasieexamen_4ar"]
    assert cutoff_warning(reached, 2025, 2026) == [] and grouped_lines(reached, 2025) == []


def test_update_hints_follow_the_catalogue(catalogue):
    assert update_hint(catalogue.get("sysselsattning_total")) == (
        "Hämtas från SCB:", "rus data uppdatera --indikator sysselsattning_total")
    energy = catalogue.get("energianvandning")
    assert not energy.queries
    assert update_hint(energy) == ("Hämta SCB EN0203 för hand, sedan:",
                                   "rus data importera FIL --indikator energianvandning")
    derived = energy.model_copy(update={"source": energy.source.model_copy(
        update={"agency": "SCB (KRE); SCB (Regionalräkenskaper)"})})
    assert update_hint(derived)[1] == "rus data bygg"


def test_update_lines_fit_80_columns_and_give_a_command_per_late_series(snapshot, catalogue):
    lines = update_lines(series_ends(snapshot, catalogue.indicators, "0018"), 2025)
    assert lines[0] == "Data till och med 2025 för 5 indikatorer:"
    assert lines[1] == "  Når 2025 (1): gymnasieexamen_4ar"
    assert "  - barn_ekonomiskt_utsatta: t.o.m. 2022 (andra regioner)" in lines
    assert "      rus data uppdatera --indikator sysselsattning_total" in lines
    assert "      rus data importera FIL --indikator energianvandning" in lines
    assert all(len(line) <= WIDTH for line in lines)

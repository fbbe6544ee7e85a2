"""The "Källor" appendix generated from the catalogue and the provenance records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.report.sources_appendix import indicator_section, sources_appendix

from support import PROJECT


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(PROJECT / "params" / "indikatorer.yml")


@pytest.fixture(scope="module")
def appendix(catalogue) -> str:
    return sources_appendix(catalogue, PROJECT / "data")


def test_appendix_lists_every_kraftsamling_and_indicator(catalogue, appendix):
    assert appendix.startswith("# Källor\n")
    for kraftsamling in catalogue.kraftsamlingar:
        assert f"\n## {kraftsamling.title}\n" in appendix
    for indicator in catalogue.indicators:
        assert f"\n### {indicator.title}\n" in appendix


def test_appendix_gives_source_release_retrieval_origin_and_steps(appendix):
    section = appendix.split("### Utsläpp av växthusgaser\n")[1].split("\n### ")[0]
    assert "**Källa:** Naturvårdsverket och SMHI" in section
    assert "publicering 2026" in section
    assert "**Hämtad:** 2026-06-25" in section
    assert "`Klimatbyran/territorial-data-pipeline`" in section
    assert "bf20c580380961c3b1b246681992e2d9d2b26f11" in section
    assert "  1. Alla värden kommer från en och samma publicering" in section


def test_indicators_without_data_say_data_saknas_and_how_to_fetch(catalogue, appendix):
    section = appendix.split("### Självskattad hälsa\n")[1]
    assert section.lstrip().startswith("**Data saknas.**")
    assert "Folkhälsomyndigheten" in section and "`rus data importera`" in section
    assert "N00999" in appendix.split("### Nystartade företag per 1 000 invånare 16–64 år\n")[1].split("###")[0]


def test_a_series_without_provenance_is_flagged(catalogue, tmp_path):
    (tmp_path / "series").mkdir()
    shutil.copy(PROJECT / "data" / "series" / "unga_uvas.csv", tmp_path / "series" / "unga_uvas.csv")
    text = indicator_section(catalogue.get("unga_uvas"), tmp_path)
    assert "uppgifter om publicering och hämtning saknas" in text
    assert "Data saknas" not in text


def test_order_follows_the_report_and_unknown_kraftsamlingar_are_refused(catalogue):
    text = sources_appendix(catalogue, PROJECT / "data", ["gron_omstallning", "barn_och_unga"], level=2)
    assert text.startswith("## Källor\n")
    assert text.index("### Grön omställning") < text.index("### Barn och unga")
    assert "Ökad inkludering" not in text
    with pytest.raises(ValueError, match="kompetens"):
        sources_appendix(catalogue, PROJECT / "data", ["kompetens"])


def test_fetched_and_imported_series_show_their_origin(tmp_path):
    """Series from `rus data uppdatera` / `importera` carry api_requests / files, not origin."""
    from rus_analysis.config.catalogue import Indicator
    from rus_analysis.snapshot.store import provenance_path, series_path
    from rus_analysis.report.sources_appendix import indicator_section

    indicator = Indicator.model_validate({
        "id": "x", "title": "X", "description": "d", "unit": "procent", "kraftsamling": "k",
        "targeted": False, "source": {"agency": "RKA", "table": "Kolada N1"}, "direction": "upp"})
    (tmp_path / "series").mkdir()
    series_path(tmp_path, "x").write_text("indicator\n")
    provenance_path(tmp_path, "x").write_text(
        "agency: RKA\ntable: N1\napi_requests:\n- api: Kolada v3\n  table: N1\n  url: https://api.kolada.se/v3/data/kpi/N1\n"
        "files:\n- file: export.csv\n  sha256: 0123456789abcdef0123\n", encoding="utf-8")
    text = indicator_section(indicator, tmp_path)
    assert "API: Kolada v3, N1, `https://api.kolada.se/v3/data/kpi/N1`" in text
    assert "Importerad fil `export.csv`, sha256 `0123456789ab…`" in text

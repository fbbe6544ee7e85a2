"""The "Källor" appendix generated from the catalogue and the provenance records."""

from __future__ import annotations

import shutil

import pytest

from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.report.markup import unescape
from rus_analysis.report.sources_appendix import indicator_section, reader_date, sources_appendix
from support import PROJECT


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(PROJECT / "params" / "indikatorer.yml")


@pytest.fixture(scope="module")
def appendix(catalogue) -> str:
    return unescape(sources_appendix(catalogue, PROJECT / "data"))


def test_appendix_lists_every_kraftsamling_and_indicator(catalogue, appendix):
    assert appendix.startswith("# Källor\n")
    for kraftsamling in catalogue.kraftsamlingar:
        assert f"\n## {kraftsamling.title}\n" in appendix
    for indicator in catalogue.indicators:
        assert f"\n### {indicator.title}\n" in appendix


def test_appendix_cites_agency_table_release_and_retrieval_date(appendix):
    section = appendix.split("### Utsläpp av växthusgaser\n")[1].split("\n### ")[0]
    assert "- Källa: Naturvårdsverket och SMHI" in section
    assert "publicering 2026" in section
    assert "- Hämtad: 25 juni 2026" in section


def test_appendix_keeps_the_technical_provenance_out(appendix):
    """Repositories, commits, transcription checks and guesses stay in data/ (rus data kontroll)."""
    for word in ("commit", "Klimatbyran", "goeranh", "github", "Rrbracci", "Troligen", "avvikelser",
                 "kolumnen", "data/series", "ögonblicksbild", "**", "`"):
        assert word.lower() not in appendix.lower(), word


def test_reader_dates():
    assert reader_date("2026-06-25 (Klimatkollens commit av databasens uttag)") == "25 juni 2026"
    assert reader_date("Senast 2023-05-26 (Region Dalarnas commit)") == "senast 26 maj 2023"
    assert reader_date("Troligen maj 2021 (rKolada-uttag i goeranh/fs_website2, HEAD 2021-05-21)") \
        == "uppgift saknas"


def test_indicators_without_data_say_data_saknas_and_who_publishes(catalogue, appendix):
    section = appendix.split("### BRP per sysselsatt\n")[1].split("\n### ")[0]
    assert section.lstrip().startswith("Data saknas i den här rapporten.")
    assert "SCB publicerar" in section and "rus data" not in section
    assert "N00999" in appendix.split("### Nystartade företag per 1 000 invånare 16–64 år\n")[1].split("###")[0]


def test_a_series_without_provenance_still_cites_the_catalogue(catalogue, tmp_path):
    (tmp_path / "series").mkdir()
    shutil.copy(PROJECT / "data" / "series" / "unga_uvas.csv", tmp_path / "series" / "unga_uvas.csv")
    text = unescape(indicator_section(catalogue.get("unga_uvas"), tmp_path))
    assert "- Källa: RKA (Kolada), underlag från MUCF och SCB" in text
    assert "- Hämtad: uppgift saknas" in text
    assert "Data saknas" not in text


def test_order_follows_the_report_and_unknown_kraftsamlingar_are_refused(catalogue):
    text = unescape(sources_appendix(catalogue, PROJECT / "data", ["gron_omstallning", "barn_och_unga"], level=2))
    assert text.startswith("## Källor\n")
    assert text.index("### Grön omställning") < text.index("### Barn och unga")
    assert "Ökad inkludering" not in text
    with pytest.raises(ValueError, match="kompetens"):
        sources_appendix(catalogue, PROJECT / "data", ["kompetens"])

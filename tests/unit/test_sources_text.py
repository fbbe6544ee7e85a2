"""The "Källor" appendix generated from the catalogue and the provenance records."""

from __future__ import annotations

import re
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


@pytest.mark.parametrize("release, cited", [
    ("Registerstatistik 2006–2025 enligt uttaget 2026-07", "Registerstatistik 2006–2025"),
    ("HLV fyraårsperioder 2004–2007 till 2021–2024 enligt uttaget 2026-07",
     "HLV fyraårsperioder 2004–2007 till 2021–2024"),
    ("Regionalräkenskaperna 2000–2024 enligt uttag 2025/2026 (2023–2024 preliminära)",
     "Regionalräkenskaperna 2000–2024 (2023–2024 preliminära)"),
    ("KRE 2009–2024 enligt Region Hallands uttag (senaste år 2024)", "KRE 2009–2024 (senaste år 2024)"),
    ("Startkullar 2011/12–2017/18; Kolada N17464 enligt uttag ca maj 2021",
     "Startkullar 2011/12–2017/18; Kolada N17464"),
    ("Skolverkets officiella statistik läsåren 2015/16–2024/25 (uttag 2026-01); Kolada N15424 enligt uttag ca maj 2021",
     "Skolverkets officiella statistik läsåren 2015/16–2024/25; Kolada N15424"),
    ("Befolkningens utbildning, serie 1985–2025 (årsetiketter enligt källan)",
     "Befolkningens utbildning, serie 1985–2025 (årsetiketter enligt källan)"),
])
def test_the_extract_phrase_goes_as_a_whole(release, cited):
    """'enligt uttaget 2026-07' is left out whole: never 'Registerstatistik 2006–2025et 2026-07'."""
    from rus_analysis.report.sources_appendix import _without_technical

    assert _without_technical(release) == cited


def test_no_release_in_the_appendix_is_cut_inside_a_word(appendix):
    text = unescape(appendix)
    assert re.search(r"\d{4}et\b|\buttag(et)?\s+\d{4}", text) is None, text

"""The indicator catalogue: it loads, it matches the snapshot, and it states the strategy's targets."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.config.yaml_files import SettingsError
from rus_analysis.snapshot.store import available_indicators
from support import PROJECT

CATALOGUE = PROJECT / "params" / "indikatorer.yml"


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(CATALOGUE)


def test_catalogue_has_the_three_kraftsamlingar_with_notebooks(catalogue):
    assert [k.id for k in catalogue.kraftsamlingar] == ["okad_inkludering", "barn_och_unga", "gron_omstallning"]
    assert [k.title for k in catalogue.kraftsamlingar] == ["Ökad inkludering", "Barn och unga", "Grön omställning"]
    for kraftsamling in catalogue.kraftsamlingar:
        assert (PROJECT / kraftsamling.chapter).is_file()
        assert len(kraftsamling.goal) > 100
        assert catalogue.for_kraftsamling(kraftsamling.id), kraftsamling.id


def test_every_indicator_with_data_has_a_csv_and_every_csv_an_indicator(catalogue):
    csvs = set(available_indicators(PROJECT / "data"))
    with_data = {i.id for i in catalogue.indicators if i.missing_note is None}
    without_data = {i.id for i in catalogue.indicators if i.missing_note is not None}
    assert sorted(with_data - csvs) == [], "indikatorer utan CSV måste ha missing_note"
    assert sorted(csvs - with_data) == [], "CSV-filer utan indikator i katalogen (eller med missing_note)"
    assert not without_data & csvs


def test_missing_notes_say_where_to_fetch_the_data(catalogue):
    for indicator in catalogue.indicators:
        if indicator.missing_note:
            assert "rus data" in indicator.missing_note, indicator.id


def test_the_strategys_targets(catalogue):
    emissions = catalogue.get("vaxthusgaser_totalt").target
    assert (emissions.kind, emissions.value, emissions.base_year, emissions.target_year) == (
        "relativ_forandring", -60, 2005, 2030)
    energy = catalogue.get("energianvandning_per_brp")
    assert (energy.target.kind, energy.target.value, energy.target.base_year, energy.target.target_year) == (
        "relativ_forandring", -50, 2005, 2030)
    assert "tolkat" in energy.target.wording  # the interpretation is documented
    assert catalogue.get("nystartade_foretag_per_1000").target.kind == "jamforbara_lan"
    assert catalogue.get("brp_per_sysselsatt").target.kind == "jamforbara_lan"
    for indicator in catalogue.indicators:
        assert indicator.target is None or indicator.target.kind != "riktning" or indicator.target.value is None
        assert indicator.targeted == (indicator.id in {
            "vaxthusgaser_totalt", "energianvandning_per_brp", "nystartade_foretag_per_1000",
            "brp_per_sysselsatt", "sjalvskattad_halsa"}), indicator.id


def test_breaks_are_declared(catalogue):
    # The other series is named the way a reader knows it (RAMS, BAS), never by its id.
    assert "RAMS" in catalogue.get("sysselsattningsgrad_bas").series_break
    assert "BAS" in catalogue.get("forvarvsfrekvens_rams").series_break
    ids = {i.id for i in catalogue.indicators}
    for indicator in catalogue.indicators:
        reader_text = " ".join(t or "" for t in (indicator.title, indicator.description,
                                                  indicator.series_break, indicator.missing_reason,
                                                  indicator.published))
        assert not [i for i in ids if i in reader_text], indicator.id
    assert catalogue.get("sysselsattning_utrikes_vistelsetid").break_year == 2019


def test_the_two_child_poverty_measures_are_separate(catalogue):
    scb, kolada = catalogue.get("barn_lag_ekonomisk_standard"), catalogue.get("barn_ekonomiskt_utsatta_hushall")
    assert "HE0110" in scb.source.table and "N02904" in kolada.source.table


def test_approximations_say_so(catalogue):
    approximation = catalogue.get("nystartade_foretag_per_1000_15_64")
    assert "närmevärde" in approximation.title and "15–64" in approximation.unit
    assert "löpande priser" in catalogue.get("energianvandning_per_brp").unit


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "indikatorer.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_fourth_kraftsamling_needs_only_catalogue_entries(tmp_path):
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    data["kraftsamlingar"].append({"id": "kompetensforsorjning", "title": "Kompetensförsörjning",
                                   "goal": "Arbetsgivare ska hitta den kompetens de behöver."})
    data["indicators"].append({"id": "matchning", "title": "Matchning på arbetsmarknaden", "description": "…",
                               "unit": "procent", "kraftsamling": "kompetensforsorjning", "targeted": False,
                               "source": {"agency": "SCB", "table": "SCB AM9906"}, "direction": "upp",
                               "missing_note": "Hämtas med `rus data uppdatera`."})
    catalogue = load_catalogue(write(tmp_path, data))
    assert [i.id for i in catalogue.for_kraftsamling("kompetensforsorjning")] == ["matchning"]


def test_unknown_kraftsamling_and_duplicate_ids_are_refused_in_swedish(tmp_path):
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    data["indicators"][0]["kraftsamling"] = "okand"
    with pytest.raises(SettingsError, match="okand"):
        load_catalogue(write(tmp_path, data))
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    data["indicators"].append(data["indicators"][0])
    with pytest.raises(SettingsError, match="två gånger"):
        load_catalogue(write(tmp_path, data))


def test_a_years_kraftsamlingar_follow_the_catalogue(catalogue):
    from rus_analysis.errors import ConfigError

    catalogue.check_kraftsamlingar(["okad_inkludering", "gron_omstallning"], "params/2023.yml")  # a subset
    with pytest.raises(ConfigError, match=r"Fel i params/2026.yml: kraftsamlingarna står i ordningen "
                                          r"gron_omstallning, okad_inkludering.*okad_inkludering, gron_omstallning"):
        catalogue.check_kraftsamlingar(["gron_omstallning", "okad_inkludering"], "params/2026.yml")
    with pytest.raises(ConfigError, match="Fel i params/2026.yml: kraftsamlingen 'kompetens' finns inte"):
        catalogue.check_kraftsamlingar(["kompetens"], "params/2026.yml")


def test_every_params_year_and_quarto_yml_agree_with_the_catalogue(catalogue):
    from rus_analysis.build.render.book import read_book
    from rus_analysis.config.report_params import available_years, load_report_params

    for year in available_years(PROJECT / "params"):
        load_report_params(PROJECT / "params", year, catalogue)
    catalogue.check_book_chapters([c.path for c in read_book(PROJECT / "_quarto.yml").chapters], "_quarto.yml")


def test_quarto_yml_without_a_kraftsamling_chapter_or_out_of_order_is_named(catalogue):
    from rus_analysis.errors import ConfigError

    chapters = ["index.qmd", "notebooks/sammanfattning.ipynb", "notebooks/okad_inkludering.ipynb",
                "notebooks/gron_omstallning.ipynb", "notebooks/metod.ipynb"]
    with pytest.raises(ConfigError, match="Fel i _quarto.yml: kapitlet notebooks/barn_och_unga.ipynb saknas"):
        catalogue.check_book_chapters(chapters, "_quarto.yml")
    chapters.insert(3, "notebooks/barn_och_unga.ipynb")
    catalogue.check_book_chapters(chapters, "_quarto.yml")
    chapters[2], chapters[3] = chapters[3], chapters[2]
    with pytest.raises(ConfigError, match="Fel i _quarto.yml: kraftsamlingarnas kapitel står i ordningen"):
        catalogue.check_book_chapters(chapters, "_quarto.yml")

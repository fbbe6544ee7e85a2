"""The importers against the real shared source files, and the committed snapshot against a rebuild."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from rus_analysis.checksums import sha256_file
from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.config.geography import LAN, OREBRO_KOMMUNER, RIKET
from rus_analysis.config.project import Project
from rus_analysis.ingest.files import collect_series
from rus_analysis.ingest.files.common import GENERATOR, SourceFormatError
from rus_analysis.snapshot.refresh import build_snapshot, is_current
from rus_analysis.snapshot.store import read_series
from support import PROJECT
from support import SHARED_SOURCES as SOURCES

pytestmark = pytest.mark.skipif(
    not SOURCES.is_dir(),
    reason=f"De delade källfilerna finns inte i {SOURCES} (CI har ../shared bredvid repot).",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("bygg") / "data"
    build_snapshot(SOURCES, data_dir, load_catalogue(PROJECT / "params" / "indikatorer.yml"))
    return data_dir


def series(data_dir: Path, indicator: str) -> pd.DataFrame:
    return read_series(data_dir, indicator)


def value(frame: pd.DataFrame, region: str, year: int, group: str = "totalt", sex: str = "T") -> float:
    rows = frame[(frame.region_code == region) & (frame.year == year) & (frame.group == group) & (frame.sex == sex)]
    assert len(rows) == 1, (region, year, group, sex)
    return float(rows["value"].iloc[0])


def files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((directory / "series").iterdir())}


def test_default_sources_dir_is_shared_beside_the_repository():
    assert Project(PROJECT).shared_sources_dir == PROJECT.parent / "shared" / "sources"


@pytest.mark.langsam  # a full data build of its own (or two): in the full suite, not the 60-second one
def test_rebuild_is_byte_for_byte_identical(built, tmp_path):
    build_snapshot(SOURCES, tmp_path / "data")
    assert files(tmp_path / "data") == files(built)


def test_committed_snapshot_equals_a_fresh_rebuild(built):
    committed = {name: content for name, content in files(PROJECT / "data").items()
                 if name.endswith((".csv", ".yml"))}
    ours = {name for name, content in committed.items() if name.endswith(".provenance.yml")
            and yaml.safe_load(content).get("generator") == GENERATOR}
    ours |= {name.replace(".provenance.yml", ".csv") for name in ours}
    fresh = files(built)
    assert sorted(ours) == sorted(fresh), "data/series/ har andra importerade serier än en ny byggnad"
    for name in sorted(fresh):
        assert committed[name] == fresh[name], f"data/series/{name} skiljer sig från en ny byggnad: kör rus data bygg"


def test_every_series_keeps_only_riket_lan_and_orebro_kommuner(built):
    allowed = {RIKET, *LAN, *OREBRO_KOMMUNER}
    for result in collect_series(SOURCES):
        assert set(result.frame["region_code"]) <= allowed, result.indicator
        missing = result.frame["value"].isna()
        assert (result.frame.loc[missing, "status"] != "").all(), result.indicator
        assert (result.frame.loc[~missing, "status"] == "").all(), result.indicator


def test_every_provenance_record_is_complete(built):
    for path in sorted((built / "series").glob("*.provenance.yml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("indicator", "title", "agency", "table", "release", "retrieved", "licence"):
            assert record[key], (path.name, key)
        assert record["schema_version"] == 2
        assert record["sources"] and all(o["kind"] == "repository" and o["repository"] and o["path"]
                                         and len(o["commit"]) == 40 for o in record["sources"]), path.name
        csv = path.with_name(record["series"]["file"])
        assert record["series"]["sha256"] == sha256_file(csv), path.name
        assert record["inputs"] and all(len(i["sha256"]) == 64 and (SOURCES / i["file"]).is_file()
                                        for i in record["inputs"]), path.name
        assert record["transformations"], path.name


def test_emissions_come_from_one_release_with_its_own_gaps(built):
    total = series(built, "vaxthusgaser_totalt")
    # PROVENANCE: Örebro län 2015 is 1 424 720 (2021), 1 394 003 (2025) and 1 369 707 t (2026 release).
    assert round(value(total, "0018", 2015)) == 1_369_707
    assert sorted(set(total["year"])) == [1990, 2000, 2005, 2010, 2015, 2020, 2021, 2022, 2023, 2024]
    assert set(total["region_code"]) == {RIKET, *LAN, *OREBRO_KOMMUNER}
    # Cross-check from PROVENANCE: Örebro kommun 2021 = 424 696 t in the 2026 release.
    assert round(value(total, "1880", 2021)) == 424_696
    provenance = yaml.safe_load((built / "series" / "vaxthusgaser_totalt.provenance.yml").read_text(encoding="utf-8"))
    assert "2026" in provenance["release"]
    assert all("release2026" in i["file"] for i in provenance["inputs"])


def test_emissions_total_is_the_sum_of_the_domestic_sectors(built):
    total, sectors = series(built, "vaxthusgaser_totalt"), series(built, "vaxthusgaser_sektor")
    domestic = sectors[(sectors.group != "Utrikes transporter") & (sectors.region_code == "0018")
                       & (sectors.year == 2024)]
    assert value(total, "0018", 2024) == pytest.approx(domestic["value"].sum(), abs=0.01)
    assert len(set(sectors["group"])) == 9


def test_bas_and_rams_are_separate_series(built):
    bas, rams = series(built, "sysselsattningsgrad_bas"), series(built, "forvarvsfrekvens_rams")
    assert set(bas["group"]) == {"totalt", "inrikes födda", "utrikes födda"}
    assert bas["year"].min() == 2020 and rams["year"].max() == 2021
    # PROVENANCE caveat 1: Örebro län 2020/2021 is 77.8/79.2 in RAMS and 78.1/79.7 in BAS.
    assert (value(rams, "0018", 2020), value(rams, "0018", 2021)) == (77.8, 79.2)
    assert (value(bas, "0018", 2020), value(bas, "0018", 2021)) == (78.1, 79.7)
    kommuner = bas[bas.region_code.isin(OREBRO_KOMMUNER)]
    assert set(kommuner["year"]) == {2024} and len(kommuner) == 24  # totalt and utrikes födda
    assert len(bas[(bas.year == 2024) & bas.region_code.isin({RIKET, *LAN})]) == 66


def test_low_economic_standard_is_not_kolada_n02904(built):
    scb, kolada = series(built, "barn_lag_ekonomisk_standard"), series(built, "barn_ekonomiskt_utsatta_hushall")
    assert value(scb, "0018", 2019) == 23.0
    assert value(kolada, "0018", 2019) == pytest.approx(10.94048)
    assert set(scb[scb.region_code.isin(OREBRO_KOMMUNER)]["year"]) == {2024}
    assert len(scb[scb.region_code.isin(OREBRO_KOMMUNER)]) == 12
    assert set(scb["year"]) == set(range(2011, 2025))


def test_confidential_energy_cells_stay_empty(built):
    energy = series(built, "energianvandning_total")
    row = energy[(energy.region_code == "0018") & (energy.year == 2010)].iloc[0]
    assert math.isnan(row["value"]) and row["status"] == "sekretess"
    assert value(energy, "0018", 2009) == pytest.approx(13168.95)
    per_gdp = series(built, "energianvandning_per_brp")
    assert per_gdp[(per_gdp.region_code == "0018") & (per_gdp.year == 2010)]["status"].iloc[0] == "sekretess"
    # 13 168,95 GWh / (298 tkr per invånare × 278 882 invånare / 1 000 = 83 106,8 MSEK) × 1 000
    assert value(per_gdp, "0018", 2009) == pytest.approx(13168.95 * 1000 / (298 * 278882 / 1000))
    # Energy per BRP runs to the latest year both exist: 2023 for Örebro län (2024 energy is confidential).
    latest = per_gdp[(per_gdp.region_code == "0018") & per_gdp.value.notna()]["year"].max()
    assert latest == 2023


def test_kolada_2007_zeros_are_missing_not_zero(built):
    uvas = series(built, "unga_uvas")
    first = uvas[uvas.year == 2007]
    assert set(first["sex"]) == {"K", "M"} and first["value"].isna().all() and set(first["status"]) == {"saknas"}
    assert value(uvas, RIKET, 2017) == pytest.approx(6.778078)


def test_new_enterprises_use_the_new_method_only(built):
    counts = series(built, "nystartade_foretag_antal")
    assert counts["year"].min() == 2010
    assert value(counts, "0018", 2017) == 1776  # Regionfakta
    assert value(counts, "0018", 2010) == 1550  # the 2010** column, not 2010* (1 483)
    assert value(counts, "1880", 2019) == 973  # 263 + 229 + 250 + 231
    assert counts[counts.region_code.isin(OREBRO_KOMMUNER)]["year"].max() == 2020
    per_1000 = series(built, "nystartade_foretag_per_1000_15_64")
    assert not per_1000["region_code"].isin(OREBRO_KOMMUNER).any()
    assert value(per_1000, "0018", 2017) == pytest.approx(1776 * 1000 / 183547)  # Eurostat Y15-64, 1 Jan 2018


def test_emissions_per_inhabitant_divide_by_31_december_population(built):
    per_inhabitant = series(built, "vaxthusgaser_per_invanare")
    total = series(built, "vaxthusgaser_totalt")
    assert value(per_inhabitant, "0018", 2023) == pytest.approx(value(total, "0018", 2023) / 308_116)
    assert value(per_inhabitant, "1880", 2024) == pytest.approx(value(total, "1880", 2024) / 160_140)
    assert set(per_inhabitant[per_inhabitant.region_code == "1880"]["year"]) == {2005, 2021, 2023, 2024}


@pytest.mark.langsam  # a full data build of its own (or two): in the full suite, not the 60-second one
def test_build_keeps_foreign_series_and_removes_stale_ones(tmp_path):
    data_dir = tmp_path / "data"
    (data_dir / "series").mkdir(parents=True)
    (data_dir / "series" / "hamtad.csv").write_text("x\n", encoding="utf-8")
    (data_dir / "series" / "hamtad.provenance.yml").write_text("indicator: hamtad\n", encoding="utf-8")
    (data_dir / "series" / "gammal.csv").write_text("x\n", encoding="utf-8")
    (data_dir / "series" / "gammal.provenance.yml").write_text(f"generator: {GENERATOR}\n", encoding="utf-8")
    build_snapshot(SOURCES, data_dir)
    assert (data_dir / "series" / "hamtad.csv").is_file()
    assert not (data_dir / "series" / "gammal.csv").exists()
    assert not (data_dir / "series" / "gammal.provenance.yml").exists()


def test_a_failed_build_leaves_the_previous_snapshot_untouched(tmp_path):
    data_dir = tmp_path / "data"
    (data_dir / "series").mkdir(parents=True)
    (data_dir / "series" / "kvar.csv").write_text("x\n", encoding="utf-8")
    catalogue = load_catalogue(PROJECT / "params" / "indikatorer.yml")
    catalogue.indicators = [i for i in catalogue.indicators if i.id != "vaxthusgaser_totalt"]
    with pytest.raises(SourceFormatError, match="vaxthusgaser_totalt"):
        build_snapshot(SOURCES, data_dir, catalogue)
    assert sorted(p.name for p in (data_dir / "series").iterdir()) == ["kvar.csv"]


def test_a_missing_sources_folder_gives_a_swedish_message(tmp_path):
    with pytest.raises(SourceFormatError, match="Källmappen"):
        build_snapshot(tmp_path / "finns-inte", tmp_path / "data")


@pytest.mark.langsam  # a full data build of its own (or two): in the full suite, not the 60-second one
def test_keep_foreign_leaves_a_fetched_series_under_our_id_alone(tmp_path):
    data_dir = tmp_path / "data"
    (data_dir / "series").mkdir(parents=True)
    (data_dir / "series" / "unga_uvas.csv").write_text("hämtad från Kolada\n", encoding="utf-8")
    (data_dir / "series" / "unga_uvas.provenance.yml").write_text("indicator: unga_uvas\n", encoding="utf-8")
    written = build_snapshot(SOURCES, data_dir, keep_foreign=True)
    assert "unga_uvas" not in written and "vaxthusgaser_totalt" in written
    assert (data_dir / "series" / "unga_uvas.csv").read_text(encoding="utf-8") == "hämtad från Kolada\n"
    assert "unga_uvas" in build_snapshot(SOURCES, data_dir)
    assert (data_dir / "series" / "unga_uvas.csv").read_text(encoding="utf-8").startswith("indicator,")


@pytest.mark.langsam  # a full data build of its own (or two): in the full suite, not the 60-second one
def test_is_current_tells_a_stale_snapshot(built, tmp_path):
    assert is_current(SOURCES, built)
    copy = tmp_path / "data"
    shutil.copytree(built, copy)
    path = copy / "series" / "vaxthusgaser_totalt.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",1369707.3,", ",1369708,"), encoding="utf-8")
    assert not is_current(SOURCES, copy)


def test_no_series_stores_a_structurally_absent_value_as_zero(built):
    sectors = series(built, "vaxthusgaser_sektor")
    abroad = sectors[sectors.group == "Utrikes transporter"]
    before = abroad[abroad.year < 2023]
    assert len(before) == 272  # riket, 21 län and 12 kommuner × 8 years: all missing, none 0
    assert before["value"].isna().all() and (before["status"] == "saknas").all()
    assert value(sectors, "0018", 2023, "Utrikes transporter") == pytest.approx(1341.4)
    # Zeros from a sector's first year on are published values and stay.
    assert value(sectors, "1814", 1990, "El och fjärrvärme") == 0
    # In every series: no region has a run of zeros before its first non-zero value for riket.
    for csv in sorted((built / "series").glob("*.csv")):
        frame = series(built, csv.stem)
        for (group, sex), rows in frame[frame.region_code == RIKET].groupby(["group", "sex"]):
            ordered = rows.dropna(subset=["value"]).sort_values("year")["value"]
            assert not (len(ordered) > 1 and ordered.iloc[0] == 0), (csv.stem, group, sex)


def test_behorighet_per_kommun_by_school_location_is_a_time_series(built):
    frame = series(built, "behorighet_yrkesprogram_skolkommun")
    kommuner = frame[frame.region_code.isin(OREBRO_KOMMUNER) & (frame.sex == "T")]
    assert set(kommuner.region_code) == set(OREBRO_KOMMUNER)
    assert sorted(kommuner.year.unique()) == list(range(2016, 2026))
    assert value(frame, "1880", 2025) == pytest.approx(81.3)  # Örebro 2024/25, Skolverket
    assert value(frame, "1860", 2016) == pytest.approx(53.7)  # Laxå 2015/16
    assert value(frame, "1882", 2025, sex="K") == pytest.approx(78.8)  # Askersund flickor 2024/25
    assert not (frame.region_code == "0018").any()  # no län value: Skolverket's files have none
    assert frame[frame.region_code == RIKET].year.min() == 1998  # riket from Kolada N15424
    # ~100 (1–4 pupils not eligible) is withheld, never read as 100.
    assert not (frame["value"] == 100).any()


def test_home_municipality_eligibility_for_the_lan_comes_from_folkhalsomyndigheten(built):
    frame = series(built, "behorighet_yrkesprogram")
    assert set(frame.region_code) == {RIKET, *LAN}
    assert sorted(frame.year.unique()) == list(range(2006, 2026))


def test_self_rated_health_windows_are_stored_at_their_last_year(built):
    frame = series(built, "sjalvskattad_halsa")
    assert value(frame, "0018", 2024) == pytest.approx(71.7)  # 2021–2024
    assert value(frame, RIKET, 2024) == pytest.approx(71.0)
    assert value(frame, "0018", 2007) == pytest.approx(65.9)  # 2004–2007
    assert not ((frame.region_code == "0018") & frame.year.isin([2017, 2019, 2023])).any()  # not in the source


def test_brp_per_invanare_to_2024(built):
    frame = series(built, "brp_per_invanare")
    assert value(frame, "0018", 2024) == 524 and value(frame, RIKET, 2024) == 606
    assert value(frame, "0018", 2000) > 0 and len(frame) == 22 * 25

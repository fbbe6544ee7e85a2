"""The status table: rows, groups, gaps, peers, missing data and the data cut-off."""

from __future__ import annotations

import pandas as pd
import pytest

from rus_analysis.assessment import ProgressClass
from rus_analysis.assessment.status_table import COLUMNS, status_table
from rus_analysis.config.catalogue import Catalogue
from rus_analysis.snapshot.atomic import atomic_directory
from rus_analysis.snapshot.store import read_series, write_series
from support import unit_thresholds

RULES = unit_thresholds()


def indicator(id_, unit, direction, **extra):
    return {"id": id_, "title": extra.pop("title", id_.capitalize()), "description": "d", "unit": unit,
            "kraftsamling": "k1", "targeted": True, "source": {"agency": "SCB", "table": "T1"},
            "direction": direction, **extra}


CATALOGUE = Catalogue.model_validate({
    "kraftsamlingar": [{"id": "k1", "title": "Kraftsamling", "goal": "mål"}],
    "indicators": [
        indicator("utslapp", "ton CO2-ekv", "ned", title="Växthusgasutsläpp",
                  target={"kind": "relativ_forandring", "value": -60, "base_year": 2005,
                          "target_year": 2030, "wording": "−60 procent till 2030 jämfört med 2005"}),
        indicator("syssgrad", "procent", "upp", title="Sysselsättningsgrad", breakdowns=["kon"],
                  break_year=2020),
        indicator("nyforetag", "per 1 000 invånare", "upp", title="Nystartade företag",
                  target={"kind": "jamforbara_lan", "target_year": 2030,
                          "wording": "Fler nystartade företag än i jämförbara län"}),
        indicator("saknas", "procent", "ned", title="Unga som varken arbetar eller studerar"),
    ],
})


def rows(indicator_id, region, values, sex="T", group="totalt", unit="x"):
    return [{"indicator": indicator_id, "region_code": region, "region_name": "", "year": year,
             "sex": sex, "group": group, "value": value, "unit": unit, "status": ""}
            for year, value in values.items()]


def frames():
    emissions = rows("utslapp", "0018", {2005: 100.0, 2023: 70.0, 2024: 10.0}) + rows(
        "utslapp", "0000", {2005: 200.0, 2023: 180.0})
    employment = (
        rows("syssgrad", "0018", {2019: 70.0, 2021: 78.0, 2024: 79.5})
        + rows("syssgrad", "0018", {2021: 76.0, 2024: 78.0}, sex="K")
        + rows("syssgrad", "0018", {2021: 80.0, 2024: 81.0}, sex="M")
        + rows("syssgrad", "0000", {2021: 77.0, 2024: 77.0})
    )
    firms = rows("nyforetag", "0018", {2021: 9.0, 2024: 9.6})
    for code, level in {"0006": 10.0, "0007": 8.0, "0017": 9.0, "0019": 9.5}.items():
        firms += rows("nyforetag", code, {2021: level, 2024: level + 0.2})
    return {
        "utslapp": pd.DataFrame(emissions),
        "syssgrad": pd.DataFrame(employment),
        "nyforetag": pd.DataFrame(firms),
    }


@pytest.fixture(scope="module")
def table():
    return status_table(CATALOGUE, frames(), report_year=2025, data_cutoff=2023, region="0018", thresholds=RULES)


def pick(table, indicator_id, region="0018", group_label="totalt", comparison=""):
    hit = table[(table.indicator == indicator_id) & (table.region_code == region)
                & (table.group_label == group_label) & (table.comparison == comparison)]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def test_columns_and_row_order(table):
    assert list(table.columns) == COLUMNS
    assert table.indicator.drop_duplicates().tolist() == ["utslapp", "syssgrad", "nyforetag", "saknas"]
    # Region first, then riket, for each indicator.
    assert table[table.indicator == "utslapp"].region_code.tolist() == ["0018", "0000"]
    assert table.attrs == {"report_year": 2025, "data_cutoff": 2023, "region": "0018"}


def test_data_cutoff_is_respected(table):
    # The 2024 value (10) is after the cut-off 2023 and must not be used.
    row = pick(table, "utslapp")
    assert (row.base_year, row.latest_year, row.latest_value) == (2005, 2023, 70.0)
    # (70/100)^(1/18) − 1 = −1.96 %; needed −3.60 %; RR 0.545 → för långsamt.
    assert row.status == "FOR_LANGSAMT"
    assert row.symbol == ProgressClass.FOR_LANGSAMT.symbol
    assert row.words == "Rätt håll men för långsamt"
    assert row.colour == ProgressClass.FOR_LANGSAMT.colour
    assert row.sentence.startswith("Växthusgasutsläpp minskade med 2,0 procent per år 2005–2023.")
    assert row.region_name == "Örebro län"
    assert pick(table, "utslapp", "0000").region_name == "Riket"


def test_groups_break_year_and_gap(table):
    employment = table[(table.indicator == "syssgrad") & (table.region_code == "0018")]
    assert employment.group_label.tolist() == ["totalt", "kvinnor", "män", "skillnad kvinnor–män"]
    total = pick(table, "syssgrad")
    # Break 2020: the 2019 value is not used; 2021 is the default base year (in params).
    # Cut-off 2023 leaves only 2021 from the break on → too few values.
    assert total.status == "KAN_INTE_BEDOMAS"
    assert "för få jämförbara värden" in total.sentence
    women = pick(table, "syssgrad", group_label="kvinnor")
    assert women.sentence.startswith("Utvecklingen kan inte bedömas")


def test_gap_row_with_later_cutoff():
    table = status_table(CATALOGUE, frames(), report_year=2026, data_cutoff=2024, region="0018", thresholds=RULES)
    gap = pick(table, "syssgrad", group_label="skillnad kvinnor–män")
    # Gap |76 − 80| = 4 (2021) → |78 − 81| = 3 (2024): −0.33 pp per year, should fall → Rätt håll.
    assert gap.status == "RATT_HALL"
    assert gap.sex == "" and gap.group == "skillnad kvinnor–män"
    assert gap.actual_change == pytest.approx(-1 / 3)
    assert gap.sentence.startswith("Skillnaden mellan kvinnor och män minskade med 0,33 procentenheter")
    assert gap.short_term_words == "Rätt håll"
    # Riket has no K/M rows, so no gap row there.
    assert "skillnad kvinnor–män" not in table[table.region_code == "0000"].group_label.tolist()
    riket = pick(table, "syssgrad", "0000")
    assert riket.status == "OFORANDRAT" and riket.measure == "procentenheter per år"


def test_peer_row(table):
    peer = pick(table, "nyforetag", comparison="jämförbara län (medelvärde)")
    # Peer mean 2021 = (10 + 8 + 9 + 9.5)/4 = 9.125; own 9.0 → below. 2024 is after the cut-off,
    # so only 2021 remains → cannot be assessed.
    assert peer.status == "KAN_INTE_BEDOMAS"
    later = status_table(CATALOGUE, frames(), report_year=2026, data_cutoff=2024, region="0018", thresholds=RULES)
    peer = pick(later, "nyforetag", comparison="jämförbara län (medelvärde)")
    # 2024: own 9.6 ≥ peer mean 9.325 → Målet nått.
    assert peer.status == "MALET_NATT"
    assert peer.sentence.startswith("Örebro län hade 9,6 per 1 000 invånare 2024 och jämförbara län")
    # The plain trend row is there too: 9.0 → 9.6 is +2.2 % per year → Rätt håll.
    assert pick(later, "nyforetag").status == "RATT_HALL"


def test_missing_peer_data_is_reported():
    data = frames()
    data["nyforetag"] = data["nyforetag"][data["nyforetag"].region_code != "0019"]
    table = status_table(CATALOGUE, data, report_year=2026, data_cutoff=2024, region="0018", thresholds=RULES)
    peer = pick(table, "nyforetag", comparison="jämförbara län (medelvärde)")
    assert peer.status == "KAN_INTE_BEDOMAS"
    assert peer.sentence == "Data saknas. Saknas för: Västmanlands län."


def test_indicator_without_data(table):
    missing = table[table.indicator == "saknas"]
    assert missing.region_code.tolist() == ["0018", "0000"]
    assert set(missing.status) == {"KAN_INTE_BEDOMAS"}
    assert set(missing.sentence) == {"Data saknas."}
    assert set(missing.words) == {"Kan inte bedömas"}
    assert missing.base_year.isna().all()


def test_missing_values_in_snapshot_are_not_used():
    data = frames()
    extra = pd.DataFrame(rows("utslapp", "0018", {2022: float("nan")}))
    extra["status"] = "sekretess"
    data["utslapp"] = pd.concat([data["utslapp"], extra])
    table = status_table(CATALOGUE, data, report_year=2025, data_cutoff=2023, region="0018", thresholds=RULES)
    assert pick(table, "utslapp").latest_year == 2023


def test_reads_snapshot_written_by_snapshot_module(tmp_path):
    target = tmp_path / "data"
    provenance = {"source": "test"}
    with atomic_directory(target) as staging:
        for indicator_id, frame in frames().items():
            write_series(staging, indicator_id, frame, provenance)
    read = {i.id: read_series(target, i.id) for i in CATALOGUE.indicators}
    from_disk = status_table(CATALOGUE, read, report_year=2025, data_cutoff=2023, region="0018", thresholds=RULES)
    in_memory = status_table(CATALOGUE, frames(), report_year=2025, data_cutoff=2023, region="0018", thresholds=RULES)
    pd.testing.assert_frame_equal(from_disk, in_memory)


def test_bad_arguments():
    with pytest.raises(ValueError, match="måste vara tidigare än rapportåret"):
        status_table(CATALOGUE, frames(), report_year=2024, data_cutoff=2024, region="0018", thresholds=RULES)
    with pytest.raises(ValueError, match="Okänd regionkod"):
        status_table(CATALOGUE, frames(), report_year=2025, data_cutoff=2023, region="9999", thresholds=RULES)
    with pytest.raises(ValueError, match="saknar kolumnerna"):
        status_table(CATALOGUE, {"utslapp": pd.DataFrame({"year": [2020]})}, 2025, 2023, "0018", RULES)


def test_an_uncertain_verdict_says_so_with_its_reason_and_sensitivity_to_the_base_year():
    catalogue = Catalogue.model_validate({
        "kraftsamlingar": [{"id": "k1", "title": "K", "goal": "mål"}],
        "indicators": [indicator(
            "energi", "MWh per mnkr", "ned", title="Energi per BRP",
            target={"kind": "relativ_forandring", "value": -50, "base_year": 2005, "target_year": 2030,
                    "wording": "−50 procent"},
            uncertain="BRP i löpande priser och basåret flyttat", sensitivity_base_years=[2009, 2011, 2012])],
    })
    values = {2009: 160.0, 2011: 125.0, 2012: 123.0, 2020: 92.0}
    table = status_table(catalogue, {"energi": pd.DataFrame(rows("energi", "0018", values))}, 2025, 2024, "0018", RULES)
    row = table[table["region_code"] == "0018"].iloc[0]
    assert row["status"] == ProgressClass.I_TAKT.name  # the class is kept …
    assert row["words"] == "I takt med målet (osäker)"  # … and called uncertain
    assert "Bedömningen är osäker: BRP i löpande priser och basåret flyttat." in row["sentence"]
    # The ratio RR with each base year: 2009 on track; 2011 and 2012 too slow.
    assert "Känslighet för basåret: med basåret 2009: i takt med målet (kvot 1,51)" in row["sentence"]
    assert "med 2011: rätt håll men för långsamt (kvot 0,93)" in row["sentence"]
    assert "med 2012: rätt håll men för långsamt" in row["sentence"]
    assert row["short_term_words"].endswith("(osäker)")


def test_the_short_horizon_records_the_years_it_really_spans():
    table = status_table(CATALOGUE, frames(), 2025, 2024, "0018", RULES)
    row = table[(table["indicator"] == "utslapp") & (table["region_code"] == "0018")].iloc[0]
    # 2019 (five years before 2024) has no value: the short horizon starts 2023, and says so.
    assert (row["short_term_base_year"], row["short_term_latest_year"]) == (2023, 2024)

"""The overview: status table per kraftsamling, key findings, legend and the Målbedömning box.

Expected classes and numbers are worked out by hand in the comments (base year 2021 from
params/bedomning.yml, data cut-off 2024).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from rus_analysis.report import summary
from rus_analysis.assessment import load_thresholds
from rus_analysis.config.catalogue import Catalogue
from rus_analysis.config.report_params import ReportParams
from rus_analysis.assessment.status_table import status_table

RULES = load_thresholds()
PARAMS = ReportParams.model_validate({"rapportar": 2025, "data_till_och_med": 2024,
                                      "kraftsamlingar": ["arbete", "klimat"]})
GREEN = '[●]{style="color:#1E7E50"} Rätt håll'
RED = '[✖]{style="color:#AD373C"} Fel håll'
SLOW = '[◐]{style="color:#966400"} Rätt håll men för långsamt'
UNKNOWN = '[?]{style="color:#595959"} Kan inte bedömas'
SAME = '[◆]{style="color:#7D53B5"} Oförändrat'


def indicator(id_, title, unit, direction, kraftsamling, **extra):
    return {"id": id_, "title": title, "description": f"Om {title.lower()}.", "unit": unit,
            "kraftsamling": kraftsamling, "targeted": extra.pop("targeted", False),
            "source": {"agency": "SCB", "table": "T1"}, "direction": direction, **extra}


CATALOGUE = Catalogue.model_validate({
    "kraftsamlingar": [
        {"id": "arbete", "title": "Arbete", "goal": "Fler i arbete.", "notebook": "arbete.ipynb"},
        {"id": "klimat", "title": "Klimat", "goal": "Lägre utsläpp.", "notebook": "klimat.ipynb"},
    ],
    "indicators": [
        indicator("syssgrad", "Sysselsättningsgrad", "procent", "upp", "arbete", breakdowns=["kon"]),
        indicator("utbildning", "Eftergymnasial utbildning", "procent", "upp", "arbete"),
        indicator("arbetsloshet", "Arbetslöshet (AKU)", "procent", "ned", "arbete"),
        indicator("vistelse", "Förvärvsarbetande utrikes födda", "procent", "upp", "arbete",
                  breakdowns=["vistelsetid"]),
        indicator("unga", "Unga som varken arbetar eller studerar", "procent", "ned", "arbete"),
        indicator("utslapp", "Utsläpp", "ton CO2-ekv", "ned", "klimat", targeted=True, decimals=0,
                  target={"kind": "relativ_forandring", "value": -60, "base_year": 2005,
                          "target_year": 2030, "wording": "−60 procent till 2030 jämfört med 2005"}),
        indicator("energi", "Energianvändning", "GWh", "ned", "klimat", decimals=0),
        indicator("nyforetag", "Nystartade företag", "per 1 000 invånare", "upp", "klimat",
                  targeted=True, target={"kind": "jamforbara_lan", "target_year": 2030,
                                         "wording": "Fler nystartade företag än i jämförbara län"}),
    ],
})


def rows(indicator_id, region, values, sex="T", group="totalt"):
    return [{"indicator": indicator_id, "region_code": region, "region_name": "", "year": year,
             "sex": sex, "group": group, "value": value, "unit": "", "status": ""}
            for year, value in values.items()]


def frames() -> dict[str, pd.DataFrame]:
    data = {
        # 78 → 80: +0,67 pp/år; the bar near 100 % is 0,25 · (1 − 0,78^4,44) ≈ 0,17 → Rätt håll.
        # Riket 79 → 81 likewise. Women 77 → 79,5 Rätt håll; men and the gap have one year only.
        "syssgrad": rows("syssgrad", "0018", {2021: 78.0, 2024: 80.0})
        + rows("syssgrad", "0018", {2021: 77.0, 2024: 79.5}, sex="K")
        + rows("syssgrad", "0018", {2024: 81.0}, sex="M")
        + rows("syssgrad", "0000", {2021: 79.0, 2024: 81.0})
        + rows("syssgrad", "0000", {2021: 78.0, 2024: 80.0}, sex="K")
        + rows("syssgrad", "0000", {2021: 80.0, 2024: 82.0}, sex="M"),
        # 40 → 41: +0,33 pp/år against a bar of 0,25 · (1 − 0,4^4,44) ≈ 0,25 → Rätt håll.
        # Riket 45 → 47,5. Gap 2024: 41 − 47,5 = −6,5 pp, the largest among the shares.
        "utbildning": rows("utbildning", "0018", {2021: 40.0, 2024: 41.0})
        + rows("utbildning", "0000", {2021: 45.0, 2024: 47.5}),
        # Should fall; 6 → 7,5 is +0,5 pp/år ≥ 0,25 the wrong way → Fel håll. Riket flat.
        # The 2025 value is after the cut-off and must never be shown.
        "arbetsloshet": rows("arbetsloshet", "0018", {2021: 6.0, 2024: 7.5, 2025: 9.9})
        + rows("arbetsloshet", "0000", {2021: 7.0, 2024: 7.0}),
        # Only groups, no total; nothing for riket.
        "vistelse": rows("vistelse", "0018", {2021: 30.0, 2024: 35.0}, group="vistelsetid 0–1 år")
        + rows("vistelse", "0018", {2021: 70.0, 2024: 72.0}, group="vistelsetid 10– år"),
        # Target −60 % from 2005: level 40 in 2030. CAGR (70/100)^(1/19) − 1 = −1,86 %/år;
        # needed (40/100)^(1/25) − 1 = −3,60 %/år; ratio 0,52 < 0,95 → för långsamt.
        "utslapp": rows("utslapp", "0018", {2005: 100.0, 2021: 80.0, 2024: 70.0})
        + rows("utslapp", "0000", {2005: 1000.0, 2024: 900.0}),
        # Should fall; (110/100)^(1/3) − 1 = +3,2 %/år → Fel håll.
        "energi": rows("energi", "0018", {2021: 100.0, 2024: 110.0}),
        # One year for the region, riket only before the base year → cannot be assessed.
        "nyforetag": rows("nyforetag", "0018", {2023: 9.5})
        + rows("nyforetag", "0000", {2019: 11.0, 2020: 11.4}),
    }
    frames = {key: pd.DataFrame(value) for key, value in data.items()}
    frames["unga"] = pd.DataFrame(columns=frames["syssgrad"].columns)
    return frames


@pytest.fixture(scope="module")
def data():
    return frames()


@pytest.fixture(scope="module")
def status(data):
    return status_table(CATALOGUE, data, PARAMS.report_year, PARAMS.data_cutoff, PARAMS.region,
                        RULES, peers=PARAMS.peers)


def table_rows(markdown: str) -> list[list[str]]:
    """The body rows of every pipe table in the text, as stripped cells."""
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    body = [line for line in lines if not re.fullmatch(r"\|[-:|]+\|", line)][1:]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in body]


def overview(status, data, kraftsamling="arbete", **options):
    markdown = summary.status_overview(status, CATALOGUE, kraftsamling, PARAMS, data, **options)
    return markdown, {row[0]: row[1:] for row in table_rows(markdown)}


def test_overview_rows_have_symbol_and_words_for_region_and_riket(status, data):
    markdown, rows_by_title = overview(status, data)
    assert list(rows_by_title) == ["Sysselsättningsgrad", "Eftergymnasial utbildning", "Arbetslöshet (AKU)",
                                   "Förvärvsarbetande utrikes födda",
                                   "Unga som varken arbetar eller studerar"]
    assert rows_by_title["Sysselsättningsgrad"] == [GREEN, "80,0 (2024)", GREEN, "81,0 (2024)"]
    assert rows_by_title["Eftergymnasial utbildning"] == [GREEN, "41,0 (2024)", GREEN, "47,5 (2024)"]
    # The 2025 value (9,9) is after the data cut-off: the latest value shown is 2024's.
    assert rows_by_title["Arbetslöshet (AKU)"] == [RED, "7,5 (2024)", SAME, "7,0 (2024)"]
    assert "9,9" not in markdown and "2025" not in markdown
    # Labelled, so Quarto keeps (and numbers) the caption; labels are unique per kraftsamling.
    assert markdown.endswith("\n\n: Arbete: bedömning per indikator {#tbl-bedomning-arbete}")
    assert "| Indikator | Bedömning Örebro län | Senaste värde Örebro län (år) |" in markdown


def test_overview_missing_and_group_only_indicators(status, data):
    _, rows_by_title = overview(status, data)
    assert rows_by_title["Unga som varken arbetar eller studerar"] == [
        UNKNOWN, "Data saknas", UNKNOWN, "Data saknas"]
    # Groups only in the region; riket has nothing at all.
    assert rows_by_title["Förvärvsarbetande utrikes födda"] == [
        "Bedöms per grupp, se avsnittet", "Per grupp", UNKNOWN, "Data saknas"]


def test_overview_latest_value_even_when_not_assessable(status, data):
    _, rows_by_title = overview(status, data, "klimat", caption="Målbedömning i korthet")
    assert rows_by_title["Nystartade företag (målsatt)"] == [UNKNOWN, "9,5 (2023)", UNKNOWN, "11,4 (2020)"]
    assert rows_by_title["Utsläpp (målsatt)"] == [SLOW, "70 (2024)", SLOW, "900 (2024)"]
    assert rows_by_title["Energianvändning"] == [RED, "110 (2024)", UNKNOWN, "Data saknas"]


def test_overview_caption_and_unknown_kraftsamling(status, data):
    markdown, _ = overview(status, data, "klimat", caption="Målbedömning i korthet")
    assert markdown.endswith(": Målbedömning i korthet {#tbl-bedomning-klimat}")
    with pytest.raises(KeyError, match="Kraftsamlingen 'okand' finns inte"):
        overview(status, data, "okand")


def test_no_empty_table_cells(status, data):
    texts = [overview(status, data, k)[0] for k in ("arbete", "klimat")]
    texts += [summary.assessment_box(status, i, "0018") for i in CATALOGUE.indicators]
    for text in texts:
        for line in text.splitlines():
            if line.startswith("|"):
                assert "||" not in line.replace(" ", ""), line
                assert all(cell.strip() for cell in line.strip().strip("|").split("|")), line


def findings(status, data):
    return [f.text for f in summary.key_findings(status, CATALOGUE, PARAMS, data)]


def test_key_findings(status, data):
    texts = findings(status, data)
    # Assessed as a whole: syssgrad, utbildning (Rätt håll), arbetslöshet, energi (Fel håll),
    # utsläpp (för långsamt). Vistelse has no total; unga and nyföretag cannot be assessed.
    head, parts = texts[0].rstrip(".").split(": ", 1)
    assert head == "Av åtta indikatorer kan fem bedömas som helhet för Örebro län"
    assert sorted(re.split(r", | och (?=två|en )", parts)) == [
        "en rätt håll men för långsamt", "två fel håll", "två rätt håll"]
    # Exactly the wrong-way indicators; an acronym keeps its capitals.
    assert texts[1] == "Åt fel håll går: arbetslöshet (AKU) och energianvändning."
    utslapp = status[(status.indicator == "utslapp") & (status.region_code == "0018")].iloc[0]
    assert utslapp.sentence.startswith("Utsläpp minskade med 1,9 procent per år 2005–2024.")
    assert texts[2] == utslapp.sentence
    assert texts[3] == ("Störst skillnad mot riket bland andelarna: eftergymnasial utbildning, "
                        "41,0 procent i Örebro län mot 47,5 procent i riket (2024), "
                        "6,5 procentenheter lägre.")
    assert texts[4] == ("För en indikator saknas statistik i den här rapporten; den står som "
                        "”Data saknas” med uppgift om var statistiken kan hämtas.")
    assert len(texts) == 5
    markdown = summary.findings_markdown(summary.key_findings(status, CATALOGUE, PARAMS, data))
    assert markdown.startswith("## Viktigaste iakttagelserna\n\n- Av åtta indikatorer")
    assert markdown.count("\n- ") == 5


def test_largest_gap_higher_and_at_most_five_findings(data):
    changed = dict(data)
    # Region 88 against riket 81 in 2024: +7,0 pp, now larger than utbildning's 6,5.
    changed["syssgrad"] = pd.DataFrame(rows("syssgrad", "0018", {2021: 86.0, 2024: 88.0})
                                       + rows("syssgrad", "0000", {2021: 79.0, 2024: 81.0}))
    # A second missing indicator: the plural sentence; the list is still cut at five.
    changed["vistelse"] = data["unga"]
    status = status_table(CATALOGUE, changed, 2025, 2024, "0018", RULES)
    texts = findings(status, changed)
    gap = next(t for t in texts if t.startswith("Störst skillnad"))
    assert gap.endswith("88,0 procent i Örebro län mot 81,0 procent i riket (2024), "
                        "7,0 procentenheter högre.")
    assert texts[-1].startswith("För två indikatorer saknas statistik i den här rapporten; de står som")
    assert len(texts) == 5
    # A second relative target pushes the missing-data sentence past the fifth place.
    second = CATALOGUE.model_copy(deep=True)
    second.indicators[6] = second.indicators[6].model_copy(update={"target": second.indicators[5].target})
    status = status_table(second, changed, 2025, 2024, "0018", RULES)
    texts = [f.text for f in summary.key_findings(status, second, PARAMS, changed)]
    assert len(texts) == 5
    assert not any(t.startswith("För två indikatorer") for t in texts)


def test_no_gap_finding_without_a_common_year(data):
    changed = {**data, "utbildning": pd.DataFrame(rows("utbildning", "0018", {2021: 40.0, 2024: 41.0})
                                                  + rows("utbildning", "0000", {2021: 45.0, 2023: 47.5}))}
    status = status_table(CATALOGUE, changed, 2025, 2024, "0018", RULES)
    gap = next(t for t in findings(status, changed) if t.startswith("Störst skillnad"))
    # Utbildning's latest years differ (2024/2023); syssgrad's 1,0 pp is the largest left.
    assert "sysselsättningsgrad, 80,0 procent i Örebro län mot 81,0 procent i riket (2024), " \
           "1,0 procentenheter lägre" in gap


def test_no_findings_when_nothing_is_assessed_or_missing():
    assert summary.findings_markdown([]) == "Ingen indikator kunde bedömas med den statistik som finns."


def box_lines(status, indicator_id):
    return summary.assessment_box(status, CATALOGUE.get(indicator_id), "0018").splitlines()


def test_assessment_box_collapses_groups_and_skips_riket_groups(status):
    lines = box_lines(status, "syssgrad")
    assert lines[:2] == ["**Målbedömning**", ""]
    items = lines[2:]
    assert [line.split(": ", 1)[0] for line in items] == [
        "- Örebro län", "- Örebro län, kvinnor", "- Riket", "- Örebro län, män och skillnad kvinnor–män"]
    assert items[0].startswith(f"- Örebro län: {GREEN}. Sysselsättningsgrad ökade med 0,67 procentenheter")
    assert items[-1] == (f"- Örebro län, män och skillnad kvinnor–män: {UNKNOWN} "
                         "(för få jämförbara år sedan basåret, se bilaga A).")
    # Riket's kvinnor and män are assessable, but belong in the tables, not the verdict list.
    assert not any(line.startswith("- Riket,") for line in items)
    # The five-year horizon: 2019 is before the data, so it starts 2021 as well, and the label says so
    # instead of claiming five years.
    assert "Kortare sikt, 2021–2024: " + GREEN in items[0]
    assert "Senaste fem åren" not in items[0]


def test_assessment_box_short_horizon_follows_the_params(status):
    text = summary.assessment_box(status, CATALOGUE.get("syssgrad"), "0018", short_years=3)
    assert "Senaste tre åren (2021–2024): " in text and "fem" not in text


def test_assessment_box_total_without_data_and_peer_comparison(status):
    lines = box_lines(status, "unga")
    assert lines[2:] == [f"- Örebro län: {UNKNOWN}. Data saknas.", f"- Riket: {UNKNOWN}. Data saknas."]
    # The comparison with the jämförbara län has its own line with its reason, never "totalt".
    lines = box_lines(status, "nyforetag")
    peer = [line for line in lines if "jämförbara län" in line]
    assert len(peer) == 1
    assert peer[0].startswith(f"- Örebro län jämfört med jämförbara län (medelvärde): {UNKNOWN}. "
                              "Data saknas. Saknas för: Jönköpings län")
    assert not any("totalt" in line for line in lines)


def test_indicator_heading():
    heading = summary.indicator_heading(CATALOGUE.get("utslapp"))
    assert heading.splitlines() == [
        "## Utsläpp", "", "Om utsläpp.", "",
        "*Målsatt indikator i RUS. Mål: −60 procent till 2030 jämfört med 2005. Enhet: ton CO2-ekv.*"]
    assert summary.indicator_heading(CATALOGUE.get("unga")).endswith(
        "*Kompletterande indikator. Mål: ska minska. Enhet: procent.*")


def test_legend_names_every_class_with_symbol_and_words():
    legend = summary.legend_markdown()
    for label in ("✔ Målet nått", "● I takt med målet", "◐ Rätt håll men för långsamt", "✖ Fel håll",
                  "● Rätt håll", "◆ Oförändrat", "? Kan inte bedömas"):
        assert label in legend


def test_no_gap_finding_when_the_shares_equal_riket(data):
    same = {key: frame for key, frame in data.items()}
    for key in ("syssgrad", "utbildning", "arbetsloshet"):
        frame = data[key][data[key].region_code == "0018"]
        same[key] = pd.concat([frame, frame.assign(region_code="0000")])
    status = status_table(CATALOGUE, same, 2025, 2024, "0018", RULES)
    assert not any(t.startswith("Störst skillnad") for t in findings(status, same))

"""The summary: läget per kraftsamling, key findings, changes, gaps, overview tables, verdicts.

Expected classes and numbers are worked out by hand in the comments (base year 2021 from
params/bedomning.yml, data cut-off 2024).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from rus_analysis.assessment.status_table import status_table
from rus_analysis.config.catalogue import Catalogue
from rus_analysis.config.report_params import ReportParams
from rus_analysis.report import overview as message
from rus_analysis.report import summary, verdicts
from rus_analysis.report.markup import unescape
from support import unit_thresholds

RULES = unit_thresholds()
PARAMS = ReportParams.model_validate({"rapportar": 2025, "data_till_och_med": 2024,
                                      "kraftsamlingar": ["arbete", "klimat"]})
GREEN = '[■]{style="color:#1E7E50"} Rätt håll'
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
        {"id": "arbete", "title": "Arbete", "goal": "Fler i arbete."},
        {"id": "klimat", "title": "Klimat", "goal": "Lägre utsläpp."},
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
    markdown = unescape(summary.status_overview(status, CATALOGUE, kraftsamling, PARAMS, data, **options))
    return markdown, {row[0]: row[1:] for row in table_rows(markdown)}


def test_overview_rows_have_unit_region_class_and_latest_values(status, data):
    markdown, rows_by_title = overview(status, data)
    assert list(rows_by_title) == ["Sysselsättningsgrad, procent", "Eftergymnasial utbildning, procent",
                                   "Arbetslöshet (AKU), procent",
                                   "Förvärvsarbetande utrikes födda, procent",
                                   "Unga som varken arbetar eller studerar, procent"]
    assert rows_by_title["Sysselsättningsgrad, procent"] == [GREEN, "80,0 (2024)", "81,0 (2024)"]
    # The 2025 value (9,9) is after the data cut-off: the latest value shown is 2024's.
    assert rows_by_title["Arbetslöshet (AKU), procent"] == [RED, "7,5 (2024)", "7,0 (2024)"]
    assert "9,9" not in markdown and "2025" not in markdown
    # Labelled, so Quarto keeps (and numbers) the caption; labels are unique per kraftsamling.
    assert markdown.endswith("\n\n: Arbete: bedömning och senaste värde (år) {#tbl-bedomning-arbete}")
    # A short header: four columns, one line each.
    assert "| Indikator och enhet | Bedömning | Örebro län | Riket |" in markdown


def test_overview_missing_and_group_only_indicators(status, data):
    _, rows_by_title = overview(status, data)
    assert rows_by_title["Unga som varken arbetar eller studerar, procent"] == [
        UNKNOWN, "Data saknas", "Data saknas"]
    # Groups only in the region, assessed per group.
    assert rows_by_title["Förvärvsarbetande utrikes födda, procent"] == [
        "Olika per grupp", "Per grupp", "Data saknas"]


def test_overview_latest_value_even_when_not_assessable(status, data):
    _, rows_by_title = overview(status, data, "klimat")
    assert rows_by_title["Nystartade företag (målsatt), per 1 000 invånare"] == [
        UNKNOWN, "9,5 (2023)", "11,4 (2020)"]
    assert rows_by_title["Utsläpp (målsatt), ton CO2-ekv"] == [SLOW, "70 (2024)", "900 (2024)"]


def test_overview_caption_and_unknown_kraftsamling(status, data):
    markdown, _ = overview(status, data, "klimat", caption="Klimat i korthet")
    assert markdown.endswith(": Klimat i korthet {#tbl-bedomning-klimat}")
    with pytest.raises(KeyError, match="Kraftsamlingen 'okand' finns inte"):
        overview(status, data, "okand")


def test_no_empty_table_cells(status, data):
    texts = [overview(status, data, k)[0] for k in ("arbete", "klimat")]
    texts += [t.markdown() for i in CATALOGUE.indicators
              if (t := verdicts.verdict_table(status, i, "0018")) is not None]
    texts.append(unescape(message.standing_table(status, CATALOGUE, PARAMS)))
    for text in texts:
        for line in text.splitlines():
            if line.startswith("|"):
                assert "||" not in line.replace(" ", ""), line
                assert all(cell.strip() for cell in line.strip().strip("|").split("|")), line


# --- the message first -----------------------------------------------------------------------

def test_standing_counts_each_indicator_once_per_kraftsamling(status, data):
    table = unescape(message.standing_table(status, CATALOGUE, PARAMS))
    rows_by_name = {row[0]: row[1:] for row in table_rows(table)}
    header = table.splitlines()[0]
    # "Olika per grupp" only when an indicator's groups go different ways.
    assert header == ("| Kraftsamling | Rätt håll | För långsamt | Fel håll | "
                      "Kan inte bedömas | Indikatorer |")
    # Arbete: syssgrad, utbildning rätt; arbetslöshet fel; vistelse only per group, both rising
    # (one class for all groups, so it counts as that class); unga without data.
    assert rows_by_name["Arbete"] == ["3", "0", "1", "1", "5"]
    # Klimat: utsläpp för långsamt, energi fel, nyföretag cannot be assessed.
    assert rows_by_name["Klimat"] == ["0", "1", "1", "1", "3"]
    assert rows_by_name["Alla"] == ["3", "1", "2", "2", "8"]
    lead = message.standing_lead(status, CATALOGUE, PARAMS, data)
    assert lead.startswith("Rapporten följer åtta indikatorer för Örebro län. Bedömt från basåret: "
                           "tre går åt rätt håll, en går åt rätt håll men för långsamt, två går åt "
                           "fel håll och två kan inte bedömas.")
    assert lead.endswith("Av de två som inte kan bedömas saknar en statistik för Örebro län, och en "
                         "har för få år med jämförbar statistik sedan basåret.")


def test_targeted_indicators_without_statistics_are_named_with_why(data):
    changed = {**data, "nyforetag": data["unga"]}
    catalogue = CATALOGUE.model_copy(deep=True)
    index = next(n for n, i in enumerate(catalogue.indicators) if i.id == "nyforetag")
    catalogue.indicators[index] = catalogue.indicators[index].model_copy(update={
        "missing_reason": "Befolkningen per län fanns inte i underlaget, så måttet kunde inte räknas."})
    text = unescape(message.missing_targeted(catalogue, PARAMS, changed))
    assert text.startswith("En av strategins två målsatta indikatorer (de som strategin sätter mål "
                           "för) saknar statistik i årets rapport:")
    assert "- Nystartade företag: befolkningen per län fanns inte i underlaget. Statistiken " \
           "publiceras av SCB." in text
    assert message.missing_targeted(CATALOGUE, PARAMS, data) is None


def test_key_findings_put_targets_first_then_wrong_way_then_gaps(status, data):
    texts = [f.text for f in message.key_findings(status, CATALOGUE, PARAMS, data)]
    # Utsläpp 100 → 70 since 2005: −30 %, too slow for −60 % by 2030.
    assert texts[0] == ("Utsläpp har minskat med 30 procent sedan 2005 och går åt rätt håll, men "
                        "för långsamt för att nå målet till 2030.")
    assert texts[1] == "Arbetslöshet (AKU) har ökat sedan 2021, vilket är fel håll."
    assert texts[2] == "Energianvändning har ökat sedan 2021, vilket är fel håll."
    assert texts[-1] == ("Störst skillnad mot riket: eftergymnasial utbildning är 6,5 procentenheter "
                         "lägre i Örebro län än i riket (41,0 mot 47,5 procent 2024).")
    assert 3 <= len(texts) <= 5


def test_no_gap_to_riket_without_a_common_year_or_a_difference(data):
    changed = {**data, "utbildning": pd.DataFrame(rows("utbildning", "0018", {2021: 40.0, 2024: 41.0})
                                                  + rows("utbildning", "0000", {2021: 45.0, 2023: 47.5}))}
    status = status_table(CATALOGUE, changed, 2025, 2024, "0018", RULES)
    gap = message._largest_gap_to_riket(status, CATALOGUE.indicators, "0018")
    # Utbildning's latest years differ (2024/2023); syssgrad's 1,0 pp is the largest left.
    assert gap.text.startswith("Störst skillnad mot riket: sysselsättningsgrad är 1,0 procentenheter lägre")
    same = dict(data)
    for key in ("syssgrad", "utbildning", "arbetsloshet"):
        frame = data[key][data[key].region_code == "0018"]
        same[key] = pd.concat([frame, frame.assign(region_code="0000")])
    status = status_table(CATALOGUE, same, 2025, 2024, "0018", RULES)
    assert message._largest_gap_to_riket(status, CATALOGUE.indicators, "0018") is None


def test_changes_since_the_previous_report_use_its_own_cut_off(status, data):
    previous_params = ReportParams.model_validate({"rapportar": 2024, "data_till_och_med": 2023,
                                                   "kraftsamlingar": ["arbete", "klimat"]})
    previous = status_table(CATALOGUE, data, 2024, 2023, "0018", RULES)
    text = unescape(message.changes_since(status, previous, CATALOGUE, PARAMS, previous_params))
    assert text.startswith("Jämfört med rapporten 2024 (statistik till och med 2023), bedömd på samma "
                           "underlag:")
    # With data to 2023 only the 2021 values are there for most: they could not be assessed then.
    assert "- Bedömningen har ändrats för" in text
    assert "Sysselsättningsgrad: rätt håll (förra året: kan inte bedömas)" in text
    assert "- Ny statistik finns för" in text and "2024 för sysselsättningsgrad" in text
    assert unescape(message.changes_since(status, None, CATALOGUE, PARAMS, None)).startswith(
        "Det finns ingen rapport för 2024 att jämföra med")


def test_summary_markdown_has_the_four_parts_in_order(status, data):
    text = unescape(message.summary_markdown(status, CATALOGUE, PARAMS, data))
    order = [text.index(h) for h in ("## Läget i korthet", "## De viktigaste iakttagelserna",
                                     "## Sedan förra årets rapport")]
    assert order == sorted(order)


# --- verdicts -------------------------------------------------------------------------------------

def verdict(status, indicator_id, **options):
    row = status[(status.indicator == indicator_id) & (status.region_code == "0018")
                 & (status.sex == "T") & (status.group == "totalt") & (status.comparison == "")].iloc[0]
    return verdicts.verdict_sentence(row, CATALOGUE.get(indicator_id), **options)


def test_verdict_sentences_are_plain(status):
    assert verdict(status, "syssgrad") == "Sysselsättningsgrad har ökat sedan 2021 och går åt rätt håll."
    assert verdict(status, "arbetsloshet") == "Arbetslöshet (AKU) har ökat sedan 2021, vilket är fel håll."
    assert verdict(status, "utslapp", with_amount=True).startswith(
        "Utsläpp har minskat med 30 procent sedan 2005 och går åt rätt håll, men för långsamt")
    assert verdict(status, "nyforetag") == (
        "Nystartade företag kan inte bedömas: det finns för få år med jämförbar statistik från 2021.")


def test_verdict_says_so_when_the_horizons_disagree():
    row = pd.Series({"status": "RATT_HALL", "base_year": 2021, "latest_year": 2024,
                     "actual_change": -0.3, "measure": "procentenheter per år",
                     "short_term_status": "FEL_HALL", "short_term_base_year": 2019,
                     "short_term_latest_year": 2024, "short_term_actual_change": 0.4,
                     "short_term_measure": "procentenheter per år", "sentence": ""})
    text = verdicts.verdict_sentence(row, CATALOGUE.get("arbetsloshet"), "arbetslösheten")
    assert text == ("Arbetslösheten har minskat sedan 2021 och går åt rätt håll. Mellan 2019 och "
                    "2024 gick utvecklingen däremot åt fel håll.")
    slower = row.copy()
    slower.update({"short_term_status": "RATT_HALL", "short_term_base_year": 2022, "short_term_actual_change": -0.1})
    assert verdicts.verdict_sentence(slower, CATALOGUE.get("arbetsloshet"), "arbetslösheten") == (
        "Arbetslösheten har minskat sedan 2021 och går åt rätt håll, men långsammare de senaste åren.")
    old = row.copy()
    old.update({"short_term_status": "RATT_HALL", "short_term_base_year": 2021})
    assert verdicts.verdict_sentence(old, CATALOGUE.get("arbetsloshet"), "arbetslösheten",
                                     data_cutoff=2027).endswith(
        "Den senaste statistiken gäller 2024.")


def test_verdict_table_rates_both_horizons_and_drops_an_empty_horizon(status):
    # Syssgrad: data 2021 and 2024 only, so "the last five years" is 2021–2024 as well: one horizon.
    text = unescape(verdicts.verdict_table(status, CATALOGUE.get("syssgrad"), "0018").markdown())
    assert text.splitlines()[0] == "| Område | Per år 2021–2024 (procentenheter) | Bedömning |"
    assert "| Örebro län | +0,67 | " + GREEN in text
    assert "| Riket | +0,67 |" in text
    # Utsläpp: since 2005 and 2019–2024 are different periods: both, the years in the header.
    text = unescape(verdicts.verdict_table(status, CATALOGUE.get("utslapp"), "0018").markdown())
    assert text.splitlines()[0].startswith("| Område | Per år 2005–2024 (procent) | Bedömning | Per år 20")
    assert verdicts.verdict_table(status, CATALOGUE.get("unga"), "0018") is None


def test_groups_in_natural_order(status):
    rows = verdicts.verdict_rows(status, CATALOGUE.get("vistelse"), "0018")
    assert list(rows["group_label"]) == ["vistelsetid 0–1 år", "vistelsetid 10– år"] or \
        list(rows["group_label"])[:2] == ["vistelsetid 0–1 år", "vistelsetid 10– år"]
    frame = pd.DataFrame({"group_label": ["vistelsetid 10– år", "vistelsetid 2–3 år", "totalt",
                                          "vistelsetid 0–1 år", "skillnad kvinnor–män"],
                          "sex": ["T", "T", "T", "T", ""], "comparison": [""] * 5})
    assert list(verdicts.natural_order(frame)["group_label"]) == [
        "totalt", "vistelsetid 0–1 år", "vistelsetid 2–3 år", "vistelsetid 10– år",
        "skillnad kvinnor–män"]


def test_indicator_heading():
    heading = unescape(summary.indicator_heading(CATALOGUE.get("utslapp")))
    assert heading.splitlines() == [
        "## Utsläpp", "", "Om utsläpp.", "",
        "*Målsatt indikator i RUS. Mål: −60 procent till 2030 jämfört med 2005. Enhet: ton CO2-ekv.*"]
    assert unescape(summary.indicator_heading(CATALOGUE.get("unga"))).endswith(
        "*Kompletterande indikator. Mål: ska minska. Enhet: procent.*")


def test_legend_names_every_class_with_its_own_symbol():
    legend = unescape(summary.legend_markdown())
    for label in ("✔ Målet nått", "● I takt med målet", "◐ Rätt håll men för långsamt", "✖ Fel håll",
                  "■ Rätt håll", "◆ Oförändrat", "? Kan inte bedömas"):
        assert label in legend


def test_verdict_table_header_period_on_a_tie_is_the_first_rows(status):
    """Two rows, two short periods: the header takes the first row's period (the region's, in
    the report's order) and the other row says its own; never a set's order, which varied
    between runs."""
    rows = verdicts.verdict_rows(status, CATALOGUE.get("utslapp"), "0018").copy()
    region, riket = rows.index[0], rows.index[-1]
    rows = rows.loc[[region, riket]]
    for column in ("short_term_status", "short_term_actual_change", "short_term_measure"):
        rows.loc[riket, column] = rows.loc[region, column]
    rows.loc[region, ["short_term_base_year", "short_term_latest_year"]] = (2021, 2023)
    rows.loc[riket, ["short_term_base_year", "short_term_latest_year"]] = (2021, 2024)
    # verdict_table puts the rows in the report's order itself, whatever order they come in.
    for order in ([region, riket], [riket, region]):
        text = unescape(verdicts.verdict_table(rows.loc[order], CATALOGUE.get("utslapp"), "0018").markdown())
        assert "| Per år 2021–2023 (procent) |" in text.splitlines()[0], text
        assert "| Riket | −0,55 |" in text and "−4,4 (2021–2024)" in text

import math
import re

import pandas as pd
import pytest

from rus_analysis.report import narrative


def test_increase_sentence_matches_report_style():
    text = narrative.change_sentence("Andelen", 2014, 21.2, 2024, 22.0, "procent")
    assert text == "Andelen ökade från 21,2 till 22,0 procent mellan 2014 och 2024."


def test_decrease_sentence():
    text = narrative.change_sentence("Andelen", 2014, 22.0, 2024, 21.2, "procent")
    assert text == "Andelen minskade från 22,0 till 21,2 procent mellan 2014 och 2024."


def test_unchanged_when_the_displayed_numbers_are_equal():
    # 21,96 and 22,04 both show as 22,0: saying "ökade från 22,0 till 22,0" would be wrong.
    text = narrative.change_sentence("Andelen", 2020, 21.96, 2024, 22.04, "procent")
    assert text == "Andelen var oförändrad, 22,0 procent, både 2020 och 2024."


@pytest.mark.parametrize("subject,genus,word", [
    ("Andelen", "utrum", "oförändrad"),
    ("Antalet", "neutrum", "oförändrat"),
    ("Utsläppen", "plural", "oförändrade"),
])
def test_unchanged_agrees_with_the_subject(subject, genus, word):
    text = narrative.change_sentence(subject, 2020, 5.0, 2024, 5.0, "procent", genus=genus)
    assert text.startswith(f"{subject} var {word},")


def test_change_with_amount_uses_points_for_percentages_and_percent_otherwise():
    share = narrative.change_sentence("Andelen", 2014, 21.2, 2024, 22.0, "procent", with_amount=True)
    assert share.endswith("en ökning med 0,8 procentenheter.")
    tonnes = narrative.change_sentence("Utsläppen", 2005, 1000.0, 2024, 700.0, "ton CO2-ekv",
                                       decimals=0, genus="plural", with_amount=True)
    assert "från 1\u00a0000 till 700 ton CO2-ekvivalenter mellan 2005 och 2024" in tonnes
    assert tonnes.endswith("en minskning med 30 procent.")


def test_missing_value_is_refused_not_described():
    with pytest.raises(ValueError, match="saknas"):
        narrative.change_sentence("Andelen", 2014, math.nan, 2024, 22.0, "procent")


def test_difference_to_riket_in_percentage_points():
    assert (narrative.difference_sentence("Örebro län", 78.6, "riket", 79.9, "procent")
            == "Örebro län ligger 1,3 procentenheter under riket.")
    assert (narrative.difference_sentence("Örebro län", 81.0, "riket", 79.9, "procent", year=2024)
            == "Örebro län ligger 1,1 procentenheter över riket (2024).")


def test_difference_equal_and_singular_unit():
    assert (narrative.difference_sentence("Örebro län", 80.04, "riket", 80.0, "procent")
            == "Örebro län ligger på samma nivå som riket.")
    singular = narrative.difference_sentence("Örebro län", 80, "riket", 79, "procent", decimals=0)
    assert singular == "Örebro län ligger 1 procentenhet över riket."
    # Decimal numbers take the plural in Swedish, even 1,0.
    assert "1,0 procentenheter" in narrative.difference_sentence("Örebro län", 80, "riket", 79,
                                                                 "procent")


def test_difference_in_tonnes_keeps_the_unit():
    text = narrative.difference_sentence("Örebro län", 1500, "Värmlands län", 2000, "ton CO2-ekv",
                                         decimals=0)
    assert text == "Örebro län ligger 500 ton CO2-ekvivalenter under Värmlands län."


def test_extremes_and_ties():
    values = {"Örebro": 82.1, "Kumla": 82.1, "Ljusnarsberg": 70.2, "Nora": 75.0,
              "Laxå": math.nan}
    text = narrative.extremes_sentence(values, "procent")
    assert text == ("Högst var värdet i Kumla och Örebro (82,1 procent) "
                    "och lägst i Ljusnarsberg (70,2 procent).")


def test_counts_are_written_as_words():
    values = {f"K{i}": v for i, v in enumerate([81, 82, 83, 84, 85, 70, 71, 72, 73, 74, 75, 76])}
    assert (narrative.count_sentence(values, 80.0, "riket")
            == "I fem av tolv kommuner var värdet högre än i riket.")
    assert (narrative.count_sentence(values, 90.0, "riket")
            == "I ingen av de tolv kommunerna var värdet högre än i riket.")
    assert (narrative.count_sentence(values, 60.0, "riket")
            == "I samtliga tolv kommuner var värdet högre än i riket.")
    one = {"A": 81, "B": 70, "C": 71}
    assert narrative.count_sentence(one, 80, "riket") == "I en av tre kommuner var värdet högre än i riket."


def test_number_words():
    assert narrative.number_word(1, "neutrum") == "ett"
    assert narrative.number_word(12) == "tolv"
    assert narrative.number_word(290) == "290"


def test_from_frame():
    frame = pd.DataFrame({
        "indicator": "x", "region_code": ["0018", "0018", "0000", "0000"],
        "region_name": ["Örebro län", "Örebro län", "Riket", "Riket"], "year": [2014, 2024] * 2,
        "sex": "T", "group": "totalt", "value": [21.2, 22.0, 23.0, 23.3], "unit": "procent",
        "status": "",
    })
    assert (narrative.series_change(frame, "0018", "Andelen i Örebro län")
            == "Andelen i Örebro län ökade från 21,2 till 22,0 procent mellan 2014 och 2024.")
    assert (narrative.region_difference(frame, "0018")
            == "Örebro län ligger 1,3 procentenheter under riket (2024).")
    with pytest.raises(ValueError, match="minst två"):
        narrative.series_change(frame, "0018", "Andelen", since=2020)


def test_kommun_summary_names_extremes_and_counts():
    codes = ["1814", "1860", "1880"]
    frame = pd.DataFrame({
        "indicator": "x", "region_code": [*codes, "0000", "1880"],
        "region_name": ["Lekeberg", "Laxå", "Örebro", "Riket", "Örebro"],
        "year": [2024, 2024, 2024, 2024, 2023], "sex": "T", "group": "totalt",
        "value": [87.3, 79.9, 79.2, 80.9, 99.0], "unit": "procent", "status": "",
    })
    assert narrative.kommun_summary(frame, measure="sysselsättningsgraden") == (
        "Högst var sysselsättningsgraden 2024 i Lekeberg (87,3 procent) och lägst i Örebro "
        "(79,2 procent). I en av tre kommuner var sysselsättningsgraden högre än i riket.")


def test_leading_place_inverts_verb_and_subject():
    assert (narrative.change_sentence("andelen", 2014, 21.2, 2024, 22.0, "procent",
                                      place="I Örebro län")
            == "I Örebro län ökade andelen från 21,2 till 22,0 procent mellan 2014 och 2024.")
    assert (narrative.change_sentence("antalet", 2014, 5, 2024, 5, "antal", decimals=0,
                                      genus="neutrum", place="I riket")
            == "I riket var antalet oförändrat, 5, både 2014 och 2024.")


def test_a_number_never_runs_into_a_year_and_counts_name_what_they_count():
    unit = narrative.reader_unit("antal", "Nystartade företag, antal")
    assert unit == "nystartade företag"
    text = narrative.change_sentence("antalet", 2010, 1550, 2021, 1865, unit, decimals=0)
    assert text == "Antalet ökade från 1\u00a0550 till 1\u00a0865 nystartade företag mellan 2010 och 2021."
    assert not re.search(r"\d \d{4}\b", text.replace("\u00a0", "_"))


def test_a_rate_per_thousand_is_not_called_antal():
    unit = narrative.reader_unit("antal per 1 000 invånare 15–64 år",
                                 "Nystartade företag per 1 000 invånare 15–64 år (närmevärde)")
    assert unit == "nystartade företag per 1 000 invånare 15–64 år"
    assert narrative.with_unit(8.7, unit) == "8,7 nystartade företag per 1 000 invånare 15–64 år"
    assert narrative.reader_unit("antal per 1 000 invånare") == "per 1 000 invånare"
    assert narrative.reader_unit("procent", "Andel") == "procent"


def test_difference_is_computed_on_unrounded_values_and_rounded_once():
    # Rounded first, 84,02 − 79,99 would give 4,03; the exact difference 4,022 rounds to 4,02.
    assert "4,02 procentenheter över" in narrative.difference_sentence(
        "Kumla", 84.016, "riket", 79.994, "procent", decimals=2)
    # 80,04 and 79,98 both show as 80,0, but the difference (0,06) shows as 0,1: rounded once.
    assert "0,1 procentenheter över" in narrative.difference_sentence("Örebro län", 80.04, "riket", 79.98,
                                                                      "procent")

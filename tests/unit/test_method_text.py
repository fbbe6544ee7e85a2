"""The method chapter states the rules with the values in params/bedomning.yml."""

from __future__ import annotations

import re

from rus_analysis.assessment import ProgressClass, Thresholds
from rus_analysis.report.markup import unescape
from rus_analysis.report.method_appendix import REFERENCES, method_chapter
from support import unit_thresholds


def changed(**changes) -> Thresholds:
    data = unit_thresholds().model_dump(by_alias=True)
    for key, value in changes.items():
        data[key] = {**data[key], **value} if isinstance(value, dict) else value
    return Thresholds.model_validate(data)


def test_states_the_values_from_the_params_file():
    text = unescape(method_chapter(unit_thresholds()))
    assert text.startswith("## Så bedöms utvecklingen")
    for phrase in [
        "Kvoten är minst 0,95: ”I takt med målet”.",
        "minst 0,5 procent per år",
        "(för andelar 0,25 procentenheter per år)",
        "C = 1 − x^4,44",
        "annars 2021",
        "de senaste 5 åren",
        "Minst 2 år med värden",
        "Anger målet inget målår används 2030.",
        "Takten är minst 95 procent av den takt som behövs",
    ]:
        assert phrase in text, phrase
    # Worked example in the text: 0.25 · (1 − 0.8^4.44) = 0.25 · 0.6289 = 0.157 → "0,16".
    assert "En andel på 80 procent som ska öka\n  får gränsen 0,16 procentenheter per år" in text


def test_text_follows_changed_params():
    text = unescape(method_chapter(changed(basar=2019, kort_horisont_ar=3, mal={"i_takt_kvot": 0.9},
                                           riktning={"ratt_hall_procent_per_ar": 1.0})))
    assert "annars 2019" in text
    assert "de senaste 3 åren" in text
    assert "Kvoten är minst 0,9: ”I takt med målet”." in text
    assert "Takten är minst 90 procent" in text
    assert "”Rätt håll” när förändringen i önskad riktning är minst 1 procent per år" in text


def test_legend_has_symbol_and_words_for_every_class_in_use():
    text = unescape(method_chapter(unit_thresholds()))
    table = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line][1:]
    shown = {tuple(cell.strip() for cell in line.strip("|").split("|"))[:2] for line in table}
    expected = {(c.symbol, c.words) for c in ProgressClass if c is not ProgressClass.MYCKET_FOR_LANGSAMT}
    assert shown == expected
    assert all(cell.strip() for line in table for cell in line.strip("|").split("|"))  # no empty cells
    assert "den delningen används inte" in text


def test_split_class_appears_when_switched_on():
    text = unescape(method_chapter(changed(mal={"dela_for_langsamt": True})))
    assert "| ◔ | Rätt håll men mycket för långsamt |" in text
    assert "Klassen delas vid 0,6" in text


def test_references_and_heading_level():
    text = unescape(method_chapter(unit_thresholds(), heading_level=1))
    assert text.startswith("# Så bedöms utvecklingen")
    assert "\n## Källor till metoden\n" in text
    for reference in REFERENCES:
        assert reference in text
    assert "Statistics Canada" in text and "Eurostat" in text and "Destatis" in text


def test_peers_are_named_from_geography():
    text = unescape(method_chapter(unit_thresholds(), peers=("0006", "0017")))
    assert "(Jönköpings län och Värmlands län)" in text
    # No unfilled placeholders (the one brace pair is the legend table's label).
    assert not re.search(r"\{|\}", text.replace("{#tbl-bedomningarna}", ""))

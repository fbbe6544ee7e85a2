"""Reading downloaded files exactly: encodings, numbers, SCB symbols, PC-Axis, identity and units."""

from __future__ import annotations

import math

import pytest

from rus_analysis.config.catalogue import Indicator
from rus_analysis.ingest.decoding import ExportFormatError, decide_decimal, decode, parse_value, wrong_format
from rus_analysis.ingest.identity import Evidence, IdentityError, check_identity, declared_unit, unit_conversion
from rus_analysis.ingest.px import parse_px, px_rows


@pytest.mark.parametrize("raw, encoding", [
    ("Örebro län;1".encode(), "UTF-8"),
    (b"\xef\xbb\xbf" + "Örebro län;1".encode(), "UTF-8 med BOM"),
    ("Örebro län;1".encode("cp1252"), "Windows-1252 (latin-1)"),
    ("Örebro län\t1".encode("utf-16"), "UTF-16 (Excels Unicode-text)"),
    ("Örebro län\t1".encode("utf-16-le"), "UTF-16 utan BOM"),
])
def test_every_encoding_analysts_save_reads_the_same_text(raw, encoding):
    decoded = decode(raw)
    assert decoded.text.replace("\t", ";") == "Örebro län;1" and decoded.encoding == encoding


@pytest.mark.parametrize("raw, words", [(b"", "tom"), (b"%PDF-1.4", "PDF"), (b"PK\x03\x04xl/", "xlsx"),
                                        (b"ab\x00cd\x00\x00\x00\x01\x02", "nollbyte")])
def test_non_text_is_refused_in_swedish(raw, words):
    with pytest.raises(ExportFormatError, match=words):
        decode(raw)


@pytest.mark.parametrize("tokens, delimiter, expected", [
    (["391 365,840", "12 245,963"], ";", "komma"),
    (["391\u00a0365,84"], ";", "komma"),
    (["391365.84", "12245.963"], ";", "punkt"),
    (["391,365.84"], ";", "punkt"),
    (["391.365,84"], ";", "komma"),
    (["9,067782"], ";", "komma"),
    (["47.1"], ",", "punkt"),
    (["12245963"], ";", "komma"),  # integers: either reading gives the same value
    (["12.345"], ",", "punkt"),  # comma-separated file: the point is the decimal
])
def test_decimal_separator_is_decided_from_the_whole_file(tokens, delimiter, expected):
    assert decide_decimal(tokens, delimiter) == expected


@pytest.mark.parametrize("tokens", [["364,287", "11,942"], ["12.345"]])
def test_numbers_that_read_two_ways_are_refused_unless_told(tokens):
    with pytest.raises(ExportFormatError, match="faktor 1 000"):
        decide_decimal(tokens, ";")
    assert decide_decimal(tokens, ";", "punkt") == "punkt"


def test_mixed_separators_are_refused():
    with pytest.raises(ExportFormatError, match="både komma och punkt"):
        decide_decimal(["1,5", "2.25"], ";")


@pytest.mark.parametrize("raw, value, symbol", [
    ("..", math.nan, ".."), (".", math.nan, "."), ("...", math.nan, "..."), ("…", math.nan, "…"),
    ("-", 0.0, "-"), ("", math.nan, ""), ("12 245,963", 12245.963, ""), ("−3,5", -3.5, ""), (7, 7.0, ""),
])
def test_scb_legend_symbols(raw, value, symbol):
    got, sym = parse_value(raw, "komma")
    assert (math.isnan(got) and math.isnan(value)) or got == value
    assert sym == symbol


@pytest.mark.parametrize("raw", ["inf", "nan", "1e999", float("inf"), "x", "12,3,4"])
def test_non_numbers_are_refused(raw):
    with pytest.raises(ExportFormatError):
        parse_value(raw, "komma")


PX = ('CHARSET="ANSI";\nMATRIX="T1";\nTITLE="Slutanvändning (GWh)";\nUNITS="GWh";\nSTUB="region","kön";\n'
      'HEADING="år";\nVALUES("region")="Riket";\nVALUES("kön")="män","kvinnor";\nVALUES("år")="2020","2021";\n'
      'CODES("region")="00";\nDATA=\n1.5 ".."\n"-" 4;\n')


def test_px_cells_in_row_major_order_with_codes_and_symbols():
    px = parse_px(PX)
    rows = px_rows(px)
    assert [(r["kön#text"], r["år"], r["cell"]) for r in rows] == [
        ("män", "2020", "1.5"), ("män", "2021", ".."), ("kvinnor", "2020", "-"), ("kvinnor", "2021", "4")]
    assert rows[0]["region"] == "00" and px.first("UNITS") == "GWh"


@pytest.mark.parametrize("broken, words", [(PX.replace(' 4;', ';'), "3 celler men dimensionerna ger 4"),
                                           (PX.replace('VALUES("kön")="män","kvinnor";\n', ''), "saknar VALUES"),
                                           (PX[:-3], "avkortad")])
def test_broken_px_is_refused(broken, words):
    with pytest.raises(ExportFormatError, match=words):
        parse_px(broken)


def test_px_answer_is_wrong_format_not_truncated():
    assert "fel format" in wrong_format(PX.encode("cp1252"))
    assert wrong_format(b'{"class": "dataset"') is None


def indicator(**changes) -> Indicator:
    base = {"id": "energi", "title": "Slutlig energianvändning", "description": "Användning av energi i GWh",
            "unit": "GWh", "kraftsamling": "k", "targeted": False,
            "source": {"agency": "SCB", "table": "SCB EN0203"}, "direction": "ned"}
    return Indicator.model_validate({**base, **changes})


def test_identity_by_title_words_by_ids_and_refusal():
    assert check_identity(Evidence(set(), set(), set(), ["Slutanvändning (MWh) efter region"], None),
                          indicator())[0]
    assert check_identity(Evidence(set(), set(), {"EN0203A1"}, [], None), indicator())[0]
    verified, notes = check_identity(Evidence(set(), set(), set(), [], None), indicator())
    assert not verified and "kunde inte kontrolleras" in notes[0]
    with pytest.raises(IdentityError, match="Andel med eftergymnasial utbildning"):
        check_identity(Evidence(set(), set(), set(), ["Andel med eftergymnasial utbildning, procent"], None),
                       indicator())
    with pytest.raises(IdentityError, match="Kolada N02797"):
        check_identity(Evidence({"N02797"}, set(), set(), [], None), indicator())


@pytest.mark.parametrize("texts, unit, declared", [
    (["Slutanvändning (MWh) efter region"], None, "MWh"),
    ([], "GWh", "GWh"),
    (["Andel (procent) 2022"], None, "procent"),
    (["Invånare 0-19 år, andel (%)"], None, "procent"),
    (["Eftergymnasial utbildning, andel"], None, "andel"),
    (["Andel förvärvsarbetande efter region"], None, None),  # 'Andel' opening a title is not a unit
    (["MWh per mnkr BRP"], None, None),
])
def test_declared_unit(texts, unit, declared):
    assert declared_unit(Evidence(set(), set(), set(), texts, unit)) == declared


def test_unit_conversions_and_refusal_naming_both():
    assert unit_conversion("MWh", indicator())[0] == pytest.approx(1e-3)
    assert unit_conversion("TWh", indicator())[0] == 1000
    assert unit_conversion("GWh", indicator()) == (1.0, None)
    assert unit_conversion("andel", indicator(unit="procent"))[0] == 100
    with pytest.raises(IdentityError, match="enheten procent.*enheten GWh"):
        unit_conversion("procent", indicator())

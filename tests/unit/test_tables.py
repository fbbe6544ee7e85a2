import math

import pandas as pd
import pypandoc
import pytest

from rus_analysis.config.catalogue import Indicator
from rus_analysis.config.geography import OREBRO_KOMMUNER, OREBRO_LAN, REGION_NAMES, RIKET
from rus_analysis.report import tables
from rus_analysis.report.markup import unescape
from rus_analysis.report.missing import MissingData


def tidy(rows, unit="procent"):
    records = []
    for row in rows:
        region, year, value, *rest = row
        sex, group, status = (list(rest) + ["T", "totalt", ""][len(rest):])[:3]
        records.append({"indicator": "syss", "region_code": region,
                        "region_name": REGION_NAMES.get(region, region), "year": year, "sex": sex,
                        "group": group, "value": value, "unit": unit, "status": status})
    return pd.DataFrame(records)


INDICATOR = Indicator(id="syss", title="Sysselsättningsgrad 20–64 år", description="Test.",
                      unit="procent", kraftsamling="k", targeted=False, direction="upp",
                      source={"agency": "SCB", "table": "SCB AM0210"})

FRAME = tidy([
    (OREBRO_LAN, 2020, 78.1), (OREBRO_LAN, 2024, math.nan, "T", "totalt", "sekretess"),
    (RIKET, 2020, 79.0), (RIKET, 2024, 1234.5), ("0006", 2024, 82.7),
])


def body_cells(markdown):
    """The cells of a pipe table, header and body, without the alignment row."""
    rows = [line for line in unescape(markdown).splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for i, row in enumerate(rows) if i != 1]


def test_year_table_has_swedish_numbers_and_no_empty_cells():
    table = tables.year_table(FRAME, INDICATOR)
    text = unescape(table.markdown())
    cells = body_cells(text)
    assert cells[0] == ["Region", "2020", "2024"]
    assert cells[1] == ["Örebro län", "78,1", "–"]
    assert cells[2] == ["Riket", "79,0", "1\u00a0234,5"]
    assert cells[3] == ["Jönköpings län", "–", "82,7"]
    assert all(cell for row in cells for cell in row)
    # Two reasons for the dashes: confidentiality, and a year the source file does not hold (which says
    # nothing about whether the statistics were published).
    assert "– = uppgift saknas (finns inte i underlaget; sekretess)." in text
    assert ": Sysselsättningsgrad 20–64 år, procent, 2020–2024 {#tbl-syss-ar}" in text
    assert "Källa: SCB, AM0210." in text


def test_numbers_are_right_aligned():
    rule = tables.year_table(FRAME, INDICATOR).markdown().splitlines()[1]
    columns = rule.strip("|").split("|")
    assert columns[0].startswith(":") and not columns[0].endswith(":")
    assert all(c.endswith(":") and not c.startswith(":") for c in columns[1:])


def test_many_years_become_rows():
    frame = tidy([(OREBRO_LAN, year, 70.0 + year - 2010) for year in range(2010, 2025)])
    table = tables.year_table(frame, INDICATOR)
    cells = body_cells(table.markdown())
    assert cells[0] == ["År", "Örebro län"]
    assert cells[1] == ["2010", "70,0"] and len(cells) == 16
    assert body_cells(tables.year_table(frame, INDICATOR, years_as="columns").markdown())[0][-1] == "2024"


def test_empty_cells_are_refused():
    with pytest.raises(ValueError, match="Tom cell.*–"):
        tables.markdown_table(["Region", "2024"], [["Örebro län", ""]], ["left", "right"])
    with pytest.raises(ValueError, match="olika antal kolumner"):
        tables.markdown_table(["Region", "2024"], [["Örebro län"]], ["left", "right"])


def test_pipes_in_cells_are_escaped():
    text = tables.markdown_table(["A", "B"], [["x | y", "1"]], ["left", "right"])
    assert "x \\| y" in text


def test_kommun_table_sorted_with_difference_to_riket():
    rows = [(code, 2024, 70.0 + i) for i, code in enumerate(OREBRO_KOMMUNER) if code != "1860"]
    rows += [("1860", 2024, math.nan, "T", "totalt", "sekretess"), (OREBRO_LAN, 2024, 78.0),
             (RIKET, 2024, 80.5)]
    cells = body_cells(tables.kommun_table(tidy(rows), INDICATOR).markdown())
    assert cells[0] == ["Kommun", "2024", "Skillnad mot riket (procentenheter)"]
    assert cells[1] == ["Lindesberg", "81,0", "+0,5"]
    assert cells[2] == ["Nora", "80,0", "\u22120,5"]
    assert cells[12] == ["Laxå", "–", "–"]
    assert cells[13] == ["Örebro län", "78,0", "\u22122,5"]
    assert cells[14] == ["Riket", "80,5", "0,0"]


def test_group_table_with_gap_rows():
    frame = tidy([(OREBRO_LAN, 2024, 84.0, "T", "inrikes födda"), (OREBRO_LAN, 2024, 69.2, "T", "utrikes födda")])
    cells = body_cells(tables.group_table(frame, INDICATOR, by="fodelseregion",
                                          regions=[OREBRO_LAN]).markdown())
    assert cells[1:] == [["Örebro län, inrikes födda", "84,0"], ["Örebro län, utrikes födda", "69,2"],
                         ["Örebro län, skillnad (procentenheter)", "14,8"]]


def test_no_values_gives_data_saknas():
    assert isinstance(tables.year_table(FRAME.iloc[0:0], INDICATOR), MissingData)
    assert isinstance(tables.group_table(FRAME, INDICATOR, by="kon"), MissingData)
    with pytest.raises(ValueError, match="Okänd uppdelning"):
        tables.group_table(FRAME, INDICATOR, by="alder")


def test_table_survives_pandoc_to_typst_and_html():
    text = tables.year_table(FRAME, INDICATOR).markdown()
    html = pypandoc.convert_text(text, "html", format="markdown")
    assert "<caption>Sysselsättningsgrad 20–64 år, procent, 2020–2024</caption>" in html
    for cell in ["78,1", "–", "1\u00a0234,5", "82,7"]:
        assert f'<td style="text-align: right;">{cell}</td>' in html
    typ = pypandoc.convert_text(text, "typst", format="markdown")
    assert "align: (left,right,right,)" in typ
    assert "[Örebro län], [78,1], [--]," in typ
    assert "[Riket], [79,0], [1~234,5]," in typ
    assert "caption: [Sysselsättningsgrad 20--64 år, procent, 2020--2024]" in typ
    assert "<tbl-syss-ar>" in typ


def test_empty_unit_in_data_falls_back_to_catalogue():
    from rus_analysis.config.catalogue import Indicator
    from rus_analysis.report.rows import unit_of

    indicator = Indicator.model_validate({
        "id": "x", "title": "X", "description": "d", "unit": "procent", "kraftsamling": "k",
        "targeted": False, "source": {"agency": "SCB", "table": "T"}, "direction": "upp"})
    frame = pd.DataFrame({"unit": ["", None]})
    assert unit_of(frame, indicator) == "procent"
    assert unit_of(pd.DataFrame({"unit": ["ton"]}), indicator) == "ton"


def test_legend_tells_a_year_missing_from_the_extract_from_one_the_source_did_not_publish():
    frame = tidy([(OREBRO_LAN, 2020, 78.1), (OREBRO_LAN, 2021, math.nan, "T", "totalt", "saknas"),
                  (OREBRO_LAN, 2022, 79.0), (RIKET, 2022, 80.0)])
    text = unescape(tables.year_table(frame, INDICATOR).markdown())
    # Riket 2020 and 2021: no row at all (the file lacks them); Örebro län 2021: the source marked it missing.
    assert "– = uppgift saknas (finns inte i underlaget; inte publicerad av källan)." in text


def test_kommun_difference_to_riket_is_computed_unrounded_and_rounded_once():
    indicator = INDICATOR.model_copy(update={"decimals": 2})
    frame = tidy([("1881", 2024, 84.016), (RIKET, 2024, 79.994), ("1880", 2024, 80.0)])
    cells = body_cells(tables.kommun_table(frame, indicator).markdown())
    kumla = next(row for row in cells if row[0] == "Kumla")
    assert kumla[-1] == "+4,02"  # not 84,02 − 79,99 = 4,03

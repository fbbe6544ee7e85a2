"""rus jamfor's comparison of two status tables: what counts as a change for a reviewer."""

from __future__ import annotations

import pandas as pd

from rus_analysis.build.review import KEY, STATUS_COLUMNS, changes_markdown, compare_status


def table(*rows: dict) -> pd.DataFrame:
    base = {"indicator": "syss", "region_code": "0018", "sex": "T", "group": "totalt", "comparison": "",
            "horizon": "lang", "status": "RATT_HALL", "words": "Rätt håll", "base_year": 2020,
            "latest_year": 2024, "latest_value": 80.6, "measure": "", "rate": 0.3, "required_rate": None,
            "ratio": None}
    frame = pd.DataFrame([base | r for r in rows], columns=STATUS_COLUMNS)
    for column in ("base_year", "latest_year"):
        frame[column] = frame[column].astype("Int64")
    return frame.sort_values(KEY).reset_index(drop=True)


def test_identical_tables_have_no_changes():
    changes = compare_status(table({}), table({}), "A", "B")
    assert changes.empty
    assert "Inga bedömningar" in changes_markdown(changes, {"0018": "Örebro län"})


def test_verdict_change_is_listed_with_both_words():
    changes = compare_status(table({}), table({"words": "Fel håll", "status": "FEL_HALL"}), "A", "B",
                             {"syss": "Sysselsättningsgrad"})
    assert [(c["before"], c["after"]) for c in changes.verdicts] == [("Rätt håll", "Fel håll")]
    text = changes_markdown(changes, {"0018": "Örebro län"})
    assert "| Sysselsättningsgrad | Örebro län | totalt | sedan basåret | Rätt håll | Fel håll |" in text


def test_value_change_below_printed_rounding_is_not_a_change():
    assert compare_status(table({}), table({"latest_value": 80.6004}), "A", "B").values == []
    changes = compare_status(table({}), table({"latest_value": 80.7}), "A", "B")
    assert [(c["before"], c["after"]) for c in changes.values] == [(80.6, 80.7)]
    assert "| 2024 | 80,6 | 80,7 |" in changes_markdown(changes, {})


def test_later_latest_year_is_new_data_not_a_value_change():
    changes = compare_status(table({}), table({"latest_year": 2025, "latest_value": 81.0}), "A", "B")
    assert changes.values == [] and [(c["before"], c["after"]) for c in changes.gained] == [(2024, 2025)]


def test_row_without_data_after_is_lost_data():
    changes = compare_status(table({}), table({"latest_year": None, "latest_value": None,
                                                "words": "Kan inte bedömas"}), "A", "B")
    assert [(c["before"], c["after"]) for c in changes.lost] == [(2024, None)]
    assert [c["after"] for c in changes.verdicts] == ["Kan inte bedömas"]


def test_pipes_in_titles_do_not_break_the_markdown_table():
    changes = compare_status(table({}), table({"words": "Fel håll"}), "A", "B", {"syss": "a | b"})
    assert "a \\| b" in changes_markdown(changes, {})

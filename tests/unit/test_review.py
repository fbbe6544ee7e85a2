"""rus jamfor's comparison of two status tables: what counts as a change for a reviewer."""

from __future__ import annotations

import pandas as pd

from rus_analysis.build.review import (
    STATUS_COLUMNS,
    _typed,
    changes_markdown,
    commentary_changes,
    compare_status,
    decimals_of,
    long_form,
    titles_of,
)

HEAD = "| Indikator | Område | Grupp | Horisont | Före | Efter |"


def table(*rows: dict) -> pd.DataFrame:
    base = {"indicator": "syss", "region_code": "0018", "sex": "T", "group": "totalt", "comparison": "",
            "horizon": "lang", "title": "Sysselsättningsgrad", "region_name": "Örebro län",
            "group_label": "totalt", "status": "RATT_HALL", "words": "Rätt håll", "base_year": 2020,
            "base_value": 78.0, "latest_year": 2024, "latest_value": 80.6, "decimals": 1, "row": 0}
    return _typed(pd.DataFrame([base | r for r in rows], columns=STATUS_COLUMNS))


def test_identical_tables_have_no_changes():
    changes = compare_status(table({}, {"horizon": "kort"}), table({}, {"horizon": "kort"}), "A", "B")
    assert changes.empty
    assert changes_markdown(changes) == ("## Jämförelse: A → B\n\n"
                                         "Inga bedömningar, värden, dataår eller kommentarer har ändrats.\n")


def test_verdict_change_is_listed_by_title_with_both_words():
    changes = compare_status(table({}), table({"words": "Fel håll", "status": "FEL_HALL"}), "A", "B")
    assert [(c["before"], c["after"]) for c in changes.verdicts] == [("Rätt håll", "Fel håll")]
    lines = changes_markdown(changes).splitlines()
    assert lines[2] == ("1 ändrad bedömning, 0 ändrade värden, 0 serier med nya data, 0 serier med färre data, "
                        "0 ändrade kommentarer.")
    assert lines[4:8] == ["### Ändrade bedömningar", "", HEAD, "|---|---|---|---|---|---|"]
    assert lines[8] == "| Sysselsättningsgrad | Örebro län | totalt | sedan basåret | Rätt håll | Fel håll |"
    assert "syss" not in "\n".join(lines)  # the id is not shown where a title exists


def test_value_change_below_the_printed_rounding_is_not_a_change():
    assert compare_status(table({}), table({"latest_value": 80.6004}), "A", "B").values == []
    changes = compare_status(table({}), table({"latest_value": 80.7}), "A", "B")
    assert [(c["year"], c["before"], c["after"]) for c in changes.values] == [(2024, 80.6, 80.7)]
    assert "| Sysselsättningsgrad | Örebro län | totalt | 2024 | 80,6 | 80,7 |" in changes_markdown(changes)
    # Emissions are printed without decimals: 12 345,4 and 12 345,2 both read "12 345".
    tons = {"decimals": 0, "latest_value": 12345.4}
    assert compare_status(table(tons), table(tons | {"latest_value": 12345.2}), "A", "B").values == []
    moved = compare_status(table(tons), table(tons | {"latest_value": 12346.0}), "A", "B")
    assert "| 2024 | 12\u00a0345 | 12\u00a0346 |" in changes_markdown(moved)


def test_a_revised_base_year_value_is_a_value_change():
    changes = compare_status(table({}), table({"base_value": 77.0}), "A", "B")
    assert [(c["year"], c["before"], c["after"]) for c in changes.values] == [(2020, 78.0, 77.0)]


def test_the_short_horizon_repeats_values_and_is_not_counted_twice():
    both = table({}, {"horizon": "kort", "base_year": 2021})
    changes = compare_status(both, table({"latest_value": 81.0}, {"horizon": "kort", "base_year": 2021,
                                                                   "latest_value": 81.0}), "A", "B")
    assert len(changes.values) == 1


def test_later_latest_year_is_new_data_not_a_value_change():
    changes = compare_status(table({}), table({"latest_year": 2025, "latest_value": 81.0}), "A", "B")
    assert changes.values == [] and [(c["before"], c["after"]) for c in changes.gained] == [(2024, 2025)]
    text = changes_markdown(changes)
    assert "| Indikator | Område | Grupp | Senaste år före | Senaste år efter |\n|---|---|---|---:|---:|" in text
    assert "| Sysselsättningsgrad | Örebro län | totalt | 2024 | 2025 |" in text


def test_row_without_data_after_is_lost_data_and_a_verdict_change():
    changes = compare_status(table({}), table({"latest_year": None, "latest_value": None, "base_year": None,
                                                "base_value": None, "words": "Kan inte bedömas"}), "A", "B")
    assert [(c["before"], c["after"]) for c in changes.lost] == [(2024, None)]
    assert [c["after"] for c in changes.verdicts] == ["Kan inte bedömas"]
    assert "| Sysselsättningsgrad | Örebro län | totalt | 2024 | – |" in changes_markdown(changes)


def test_a_row_on_one_side_only_counts_when_it_has_data():
    extra = {"sex": "K", "group_label": "kvinnor"}
    changes = compare_status(table({}), table({}, extra), "A", "B")
    assert [(c["group"], c["before"], c["after"]) for c in changes.gained] == [("kvinnor", None, 2024)]
    empty = extra | {"latest_year": None, "latest_value": None, "words": "Kan inte bedömas"}
    assert compare_status(table({}), table({}, empty), "A", "B").empty


def test_peer_comparison_is_named_in_the_group_column():
    peer = {"comparison": "jämförbara län (medelvärde)"}
    changes = compare_status(table(peer), table(peer | {"words": "Fel håll"}), "A", "B")
    assert changes.verdicts[0]["group"] == "jämförbara län (medelvärde)"


def test_pipes_in_titles_do_not_break_the_markdown_table():
    changes = compare_status(table({}), table({"words": "Fel håll", "title": "a | b"}), "A", "B")
    assert "| a \\| b | Örebro län |" in changes_markdown(changes)


def raw_status(**extra) -> pd.DataFrame:
    """One row of a report's status table (assessment.status_table), as a revision writes it."""
    row = {"indicator": "syss", "title": "Sysselsättningsgrad", "region_code": "0018", "region_name": "Örebro län",
           "sex": "T", "group": "totalt", "group_label": "totalt", "comparison": "", "status": "RATT_HALL",
           "words": "Rätt håll", "base_year": 2020, "base_value": 78.0, "latest_year": 2024,
           "latest_value": 80.6, "short_term_status": "FEL_HALL", "short_term_words": "Fel håll",
           "short_term_base_year": 2019, "short_term_latest_year": 2024, "short_term_latest_value": 80.6}
    return pd.DataFrame([row | extra])


def test_long_form_has_both_horizons_with_the_reports_decimals():
    frame = long_form(raw_status(), {"syss": 2})
    assert list(frame["horizon"]) == ["kort", "lang"]  # sorted by KEY
    short, long = frame.iloc[0], frame.iloc[1]
    assert (long["words"], long["base_year"], long["base_value"]) == ("Rätt håll", 2020, 78.0)
    assert (short["words"], short["base_year"], pd.isna(short["base_value"])) == ("Fel håll", 2019, True)
    assert set(frame["decimals"]) == {2} and set(frame["row"]) == {0}


def test_an_older_revisions_table_from_csv_without_short_term_columns(tmp_path):
    old = raw_status().drop(columns=["short_term_latest_value", "short_term_base_year"])
    old.to_csv(tmp_path / "s.csv", index=False)
    frame = long_form(pd.read_csv(tmp_path / "s.csv", dtype=str, keep_default_na=False), {})
    short = frame[frame["horizon"] == "kort"].iloc[0]
    assert pd.isna(short["base_year"]) and pd.isna(short["latest_value"]) and short["latest_year"] == 2024
    assert set(frame["decimals"]) == {1}  # the catalogue's default
    assert frame.dtypes["latest_value"] == "float64" and str(frame.dtypes["latest_year"]) == "Int64"


def test_decimals_come_from_the_catalogue_read_leniently(tmp_path):
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "indikatorer.yml").write_text(
        "indicators:\n  - {id: a, decimals: 0}\n  - {id: b}\n  - {id: c, decimals: tre}\n", encoding="utf-8")
    assert decimals_of(tmp_path) == {"a": 0, "b": 1}


def comment(root, year, name, body, fingerprint="sha256:1"):
    folder = root / "kommentarer" / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_text(f"---\nid: {name}\nrapportar: {year}\ndata-fingerprint: {fingerprint}\n"
                                       f"---\n\n{body}\n", encoding="utf-8")


def test_commentary_is_compared_on_what_a_reader_sees(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    comment(a, 2025, "syss", "Sysselsättningen ökade.")
    comment(b, 2025, "syss", "Sysselsättningen ökade.", fingerprint="sha256:2")  # new data only
    comment(a, 2025, "uvas", "Färre unga står utanför.")
    comment(b, 2025, "uvas", "Färre unga står utanför, särskilt kvinnor.")
    comment(b, 2025, "ny", "<!-- skriv här -->")  # an empty template shows nothing
    comment(b, 2025, "barn_och_unga", "Kapitlets analys.")
    comment(a, 2025, "gammal", "Borttagen text.")
    titles = {"uvas": "Unga som varken arbetar eller studerar", "barn_och_unga": "Barn och unga"}
    assert commentary_changes(a, 2025, b, 2025, titles) == [
        ("Barn och unga (barn_och_unga)", "ny"),
        ("Unga som varken arbetar eller studerar (uvas)", "ändrad"),
        ("gammal", "borttagen"),
    ]


def test_titles_come_from_the_catalogue_read_leniently(tmp_path):
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "indikatorer.yml").write_text(
        "kraftsamlingar:\n  - {id: barn_och_unga, title: Barn och unga}\n"
        "indicators:\n  - {id: uvas, title: Unga, okand_nyckel: 1}\n", encoding="utf-8")
    assert titles_of(tmp_path) == {"barn_och_unga": "Barn och unga", "uvas": "Unga"}
    assert titles_of(tmp_path / "saknas") == {}


def test_changes_follow_the_reports_order_long_horizon_first():
    rows = [{"indicator": "b", "row": 0, "horizon": "kort"}, {"indicator": "b", "row": 0},
            {"indicator": "a", "row": 1}]
    changes = compare_status(table(*rows), table(*(r | {"words": "Fel håll"} for r in rows)), "A", "B")
    assert [(c["title"], c["horizon"]) for c in changes.verdicts] == [
        ("Sysselsättningsgrad", "sedan basåret"), ("Sysselsättningsgrad", "senaste åren"),
        ("Sysselsättningsgrad", "sedan basåret")]
    titled = [r | {"title": r["indicator"]} for r in rows]
    changes = compare_status(table(*titled), table(*(r | {"words": "Fel håll"} for r in titled)), "A", "B")
    assert [c["title"] for c in changes.verdicts] == ["b", "b", "a"]

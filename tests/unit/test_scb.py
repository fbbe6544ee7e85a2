from __future__ import annotations

import copy
import json
import math

import pytest
import responses

from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.ingest.api.http import HttpClient, HttpError, SourceError, make_session
from rus_analysis.ingest.api.scb import ScbClient, parse_jsonstat2, parse_v1
from support import FIXTURES, SHARED_SOURCES

SAMPLES = SHARED_SOURCES / "api-response-samples"
V2 = json.loads((FIXTURES / "api" / "scb_v2_TAB3200_fodelseregion_jsonstat2.json").read_text(encoding="utf-8"))
V1 = json.loads((FIXTURES / "api" / "scb_v1_bas_total.json").read_text(encoding="utf-8"))
V2_URL = "https://statistikdatabasen.scb.se/api/v2/tables/TAB3200/data?lang=sv&outputFormat=json-stat2"
V1_URL = "https://api.scb.se/OV0104/v1/doris/sv/ssd/AM/AM0210/AM0210A/TestTabell"


@pytest.fixture
def catalogue():
    return load_catalogue(FIXTURES / "catalogue" / "indikatorer.yml")


@pytest.fixture
def scb():
    return ScbClient(HttpClient(make_session(None), sleep=lambda s: None))


def test_jsonstat2_cells_are_row_major_over_id():
    cells, facts = parse_jsonstat2(V2)
    assert len(cells) == 20
    first_utrikes = cells.iloc[5]
    assert (first_utrikes.Region, first_utrikes.Fodelseregion, first_utrikes.Tid) == ("00", "utrikes", "2020")
    assert first_utrikes.value == 65.0
    assert facts["table"] == "TAB3200" and facts["units"] == {"syssgrad": "procent"}


def test_jsonstat2_sparse_values_and_status_symbols():
    doc = copy.deepcopy(V2)
    doc["value"] = {str(i): v for i, v in enumerate(V2["value"]) if i != 3}
    doc["status"] = {"3": ".."}
    cells, _ = parse_jsonstat2(doc)
    assert math.isnan(cells.value[3]) and cells.symbol[3] == ".."


@pytest.mark.parametrize("change, words", [
    (lambda d: d.update(value=d["value"][:-1]), "ofullständigt svar: 19 värden men tabellen har 20 celler"),
    (lambda d: d.pop("dimension"), "'dimension' saknas"),
    (lambda d: d.update({"class": "collection"}), "'class' ska vara 'dataset'"),
    (lambda d: d["size"].__setitem__(0, 3), "dimensionen 'Region' har 2 kategorier men storleken 3"),
    (lambda d: d["value"].__setitem__(0, "83,8"), "'83,8' är inte ett tal"),
])
def test_jsonstat2_malformed_answers_are_refused(change, words):
    doc = copy.deepcopy(V2)
    change(doc)
    with pytest.raises(SourceError, match=words):
        parse_jsonstat2(doc)


def test_v1_values_are_strings_and_dots_are_missing():
    doc = copy.deepcopy(V1)
    doc["data"][1]["values"] = [".."]
    cells, facts = parse_v1(doc)
    assert list(cells.columns) == ["Region", "Tid", "ContentsCode", "value", "symbol"]
    assert cells.value[0] == 79.0 and math.isnan(cells.value[1]) and cells.symbol[1] == ".."
    assert facts["updated"] == "2025-11-20T07:00:00Z"
    doc["data"][2]["values"] = ["nio"]
    with pytest.raises(SourceError, match="'nio' är varken ett tal"):
        parse_v1(doc)
    doc["data"][2]["values"] = []
    with pytest.raises(SourceError, match="fel antal"):
        parse_v1(doc)


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/sources finns inte bredvid repot")
def test_parsers_read_the_recorded_scb_answers():
    """The real recorded responses (read in place, never copied) parse with the same code."""
    v2 = json.loads((SAMPLES / "scb_pxwebapi_v2_TAB638_data_POST_jsonstat2.json").read_text(encoding="utf-8"))
    cells, facts = parse_jsonstat2(v2)
    assert cells.iloc[0].to_dict() == {"Region": "00", "Civilstand": "OG", "Alder": "0", "Kon": "1",
                                       "ContentsCode": "BE0101N1", "Tid": "2024", "value": 50937.0, "symbol": ""}
    assert facts["units"] == {"BE0101N1": "antal personer"}
    v1_file = SAMPLES / "scb_pxwebapi_v1_BE0101A_BefolkningNy_POST_json_b51455.json"
    v1 = json.loads(v1_file.read_text(encoding="utf-8"))
    cells, _ = parse_v1(v1)
    population = cells[cells.ContentsCode == "BE0101N1"].set_index("Tid").value
    assert population["2010"] == 9415570 and population["2012"] == 9555893


@responses.activate
def test_fetch_posts_the_selection_and_maps_groups(scb, catalogue):
    indicator = catalogue.get("sysselsattning_fodelseregion")
    responses.post(V2_URL, json=V2)
    rows, origin = scb.fetch(indicator.queries[0], indicator)
    body = json.loads(responses.calls[0].request.body)
    assert body == {"selection": [
        {"variableCode": "Region", "valueCodes": ["00", "18"]},
        {"variableCode": "Tid", "valueCodes": ["2020", "2021", "2022", "2023", "2024"]},
        {"variableCode": "Fodelseregion", "valueCodes": ["inrikes", "utrikes"]},  # the mapped groups
        {"variableCode": "ContentsCode", "valueCodes": ["syssgrad"]},
    ]}
    assert len(rows) == 20
    assert set(rows.group) == {"inrikes födda", "utrikes födda"}
    cell = rows[(rows.region_code == "0018") & (rows.year == 2024) & (rows.group == "utrikes födda")].iloc[0]
    assert (cell.value, cell.sex, cell.unit, cell.region_name) == (69.2, "T", "procent", "Örebro län")
    assert origin["api"] == "SCB PxWebApi 2.0" and origin["table_updated"] == "2025-11-20T07:00:00Z"


@responses.activate
def test_falls_back_to_v1_when_v2_fails(scb, catalogue):
    indicator = catalogue.get("sysselsattning_total")
    responses.post(V2_URL, status=404, body="Table not found")
    responses.post(V1_URL, json=V1)
    rows, origin = scb.fetch(indicator.queries[0], indicator)
    body = json.loads(responses.calls[1].request.body)
    assert body["response"] == {"format": "json"}
    assert body["query"][0] == {"code": "Region", "selection": {"filter": "item", "values": ["00", "18"]}}
    assert len(rows) == 10 and rows.set_index(["region_code", "year"]).value[("0000", 2020)] == 79.0
    assert origin["api"].startswith("SCB PxWebApi v1")


@responses.activate
def test_both_apis_failing_names_both(scb, catalogue):
    indicator = catalogue.get("sysselsattning_total")
    responses.post(V2_URL, status=400, body="bad selection")
    responses.post(V1_URL, status=400, body="bad query")
    with pytest.raises(HttpError, match="PxWebApi 2.0: .*HTTP 400.*PxWebApi v1: .*HTTP 400"):
        scb.fetch(indicator.queries[0], indicator)


@responses.activate
def test_malformed_v2_answer_does_not_fall_back(scb, catalogue):
    indicator = catalogue.get("sysselsattning_total")
    responses.post(V2_URL, body='{"class": "dataset", "id": ["Region"')
    with pytest.raises(SourceError, match="inte giltig JSON"):
        scb.fetch(indicator.queries[0], indicator)
    assert len(responses.calls) == 1


@pytest.mark.parametrize("change, words", [
    (lambda d: d["dimension"]["Region"]["category"].update(index={"00": 0, "99": 1}), "regionkod i svaret: 99"),
    (lambda d: (d["id"].__setitem__(0, "Lan"), d["dimension"].__setitem__("Lan", d["dimension"].pop("Region"))),
     "dimensionen 'Region' \\(region\\) saknas i svaret"),
    (lambda d: d["dimension"]["Tid"]["category"].update(
        index={"2020M01": 0, "2021": 1, "2022": 2, "2023": 3, "2024": 4}), "2020M01 är inte ett år"),
    (lambda d: d["dimension"]["Fodelseregion"]["category"].update(index={"inrikes": 0, "okand": 1}),
     "'okand' i dimensionen 'Fodelseregion'"),
])
def test_answers_that_cannot_be_mapped_are_refused(scb, catalogue, change, words):
    indicator = catalogue.get("sysselsattning_fodelseregion")
    doc = copy.deepcopy(V2)
    change(doc)
    with responses.RequestsMock() as mock:
        mock.post(V2_URL, json=doc)
        with pytest.raises(SourceError, match=words):
            scb.fetch(indicator.queries[0], indicator)


@responses.activate
def test_a_dimension_with_several_values_must_be_selected(scb, catalogue):
    indicator = catalogue.get("sysselsattning_total")  # no group dimension: Fodelseregion is ambiguous
    responses.post(V2_URL, json=V2)
    with pytest.raises(SourceError, match="'Fodelseregion' har flera värden"):
        scb.fetch(indicator.queries[0], indicator)


@responses.activate
def test_table_metadata(scb):
    meta = {k: V2[k] for k in ("version", "class", "label", "id", "size", "dimension")}
    responses.get("https://statistikdatabasen.scb.se/api/v2/tables/TAB3200/metadata?lang=sv", json=meta)
    assert list(scb.metadata("TAB3200")["dimension"]) == ["Region", "Fodelseregion", "ContentsCode", "Tid"]

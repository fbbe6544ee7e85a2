from __future__ import annotations

import copy
import json
import math

import pytest
import responses

from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.ingest.api.http import HttpClient, SourceError, make_session
from rus_analysis.ingest.api.kolada import KoladaClient, records_to_cells
from support import FIXTURES

PAGE1 = json.loads((FIXTURES / "api" / "kolada_v3_N02904_page1.json").read_text(encoding="utf-8"))
PAGE2 = json.loads((FIXTURES / "api" / "kolada_v3_N02904_page2.json").read_text(encoding="utf-8"))
DATA_URL = "https://api.kolada.se/v3/data/kpi/N02904/municipality/0000,0018/year/2017,2018,2019"


@pytest.fixture
def indicator():
    return load_catalogue(FIXTURES / "catalogue" / "indikatorer.yml").get("barn_ekonomiskt_utsatta")


@pytest.fixture
def kolada():
    return KoladaClient(HttpClient(make_session(None), sleep=lambda s: None))


def serve(page1: dict, page2: dict) -> None:
    responses.get(DATA_URL, json=page1, match=[responses.matchers.query_param_matcher({"per_page": "5000"})])
    responses.get(PAGE1["next_url"], json=page2)


@responses.activate
def test_fetch_follows_next_url_and_maps_to_snapshot_rows(kolada, indicator):
    serve(PAGE1, PAGE2)
    rows, origin = kolada.fetch(indicator.queries[0], indicator)
    assert len(responses.calls) == 2
    assert len(rows) == 6
    orebro = rows[(rows.region_code == "0018") & (rows.year == 2019)].iloc[0]
    assert orebro.value == pytest.approx(10.94048)
    assert (orebro.region_name, orebro.sex, orebro.group, orebro.unit, orebro.status) == (
        "Örebro län", "T", "totalt", "procent", "")
    assert origin["url"] == DATA_URL and origin["table"] == "Kolada N02904" and origin["records"] == 6


@responses.activate
def test_value_without_number_keeps_its_status_and_never_becomes_zero(kolada, indicator):
    page2 = copy.deepcopy(PAGE2)
    page2["values"][0]["values"][0].update(value=None, status="Missing")
    serve(PAGE1, page2)
    rows, _ = kolada.fetch(indicator.queries[0], indicator)
    cell = rows[(rows.region_code == "0018") & (rows.year == 2017)].iloc[0]
    assert math.isnan(cell.value) and cell.status == "saknas"
    assert (rows.value == 0).sum() == 0


@responses.activate
def test_unknown_region_code_is_refused(kolada, indicator):
    page2 = copy.deepcopy(PAGE2)
    page2["values"][0]["municipality"] = "1980"  # Västerås: not a region the project keeps
    serve(PAGE1, page2)
    with pytest.raises(SourceError, match="okänd eller oväntad regionkod i svaret: 1980"):
        kolada.fetch(indicator.queries[0], indicator)


@responses.activate
def test_partial_answer_is_refused(kolada, indicator):
    page2 = copy.deepcopy(PAGE2)
    page2["values"] = page2["values"][:2]  # count still says 3
    serve(PAGE1, page2)
    with pytest.raises(SourceError, match="ofullständigt svar från Kolada"):
        kolada.fetch(indicator.queries[0], indicator)


@responses.activate
def test_total_count_over_pages_is_accepted(kolada, indicator):
    page1, page2 = copy.deepcopy(PAGE1), copy.deepcopy(PAGE2)
    page1["count"] = page2["count"] = 6
    serve(page1, page2)
    rows, _ = kolada.fetch(indicator.queries[0], indicator)
    assert len(rows) == 6


@responses.activate
def test_schema_change_is_named(kolada, indicator):
    page1 = copy.deepcopy(PAGE1)
    page1["data"] = page1.pop("values")
    serve(page1, PAGE2)
    with pytest.raises(SourceError, match="inte den väntade formen: 'values' saknas"):
        kolada.fetch(indicator.queries[0], indicator)


@responses.activate
def test_kpi_metadata(kolada):
    meta = {"id": "N02904", "title": "Invånare 0-19 år i ekonomiskt utsatta hushåll, andel (%)",
            "is_divided_by_gender": False, "municipality_type": "A"}
    responses.get("https://api.kolada.se/v3/kpi/N02904", json={"count": 1, "values": [meta]})
    assert kolada.kpi("N02904")["title"].startswith("Invånare 0-19 år")
    responses.get("https://api.kolada.se/v3/kpi/N99999", json={"count": 0, "values": []})
    with pytest.raises(SourceError, match="känner inte KPI 'N99999'"):
        kolada.kpi("N99999")


def test_records_must_belong_to_the_requested_kpi():
    with pytest.raises(SourceError, match="gäller KPI 'N02904', inte 'N17464'"):
        records_to_cells(PAGE1["values"], "N17464")


def test_text_values_that_are_not_numbers_are_refused():
    records = copy.deepcopy(PAGE1["values"])
    records[0]["values"][0]["value"] = "n/a"
    with pytest.raises(SourceError, match="'n/a' är inte ett tal"):
        records_to_cells(records, "N02904")


@responses.activate
def test_long_year_lists_are_split_into_requests_of_25_years(kolada, indicator):
    query = indicator.queries[0].model_copy(update={"years": list(range(1990, 2020))})
    first = "https://api.kolada.se/v3/data/kpi/N02904/municipality/0000,0018/year/" + ",".join(
        map(str, range(1990, 2015)))
    second = "https://api.kolada.se/v3/data/kpi/N02904/municipality/0000,0018/year/" + ",".join(
        map(str, range(2015, 2020)))
    responses.get(first, json={"count": 0, "values": [], "next_url": None})
    responses.get(second, json={**PAGE1, "next_url": None})
    rows, origin = kolada.fetch(query, indicator)
    assert len(responses.calls) == 2 and len(rows) == 3
    assert origin["url"] == f"{first} ; {second}"


@responses.activate
def test_many_regions_are_asked_for_in_blocks_of_twenty(kolada, indicator):
    """riket + 21 län + 12 kommuner = 34 ids: two calls, none with more than 20 ids."""
    import re

    from rus_analysis.config.geography import LAN, OREBRO_KOMMUNER, RIKET

    query = indicator.queries[0].model_copy(update={"regions": ["riket", "lan", "orebro_kommuner"], "years": [2019]})
    responses.get(re.compile(r"https://api\.kolada\.se/v3/data/kpi/N02904/municipality/.*"),
                  json={"count": 0, "values": [], "next_url": None})
    kolada.fetch(query, indicator)
    asked = [call.request.url.split("/municipality/")[1].split("/year/")[0].split(",") for call in responses.calls]
    assert len(asked) == 2 and max(len(ids) for ids in asked) <= 20
    assert sorted(sum(asked, [])) == sorted([RIKET, *LAN, *OREBRO_KOMMUNER])

"""``update_snapshot``: all-or-nothing updates from Kolada and SCB, with provenance."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
import requests
import responses

from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.config.geography import REGION_NAMES
from rus_analysis.ingest.api.http import HttpClient, make_session
from rus_analysis.ingest.api.update import UpdateError
from rus_analysis.snapshot.refresh import update_snapshot
from rus_analysis.snapshot.store import DTYPES, read_provenance, read_series, write_series
from support import FIXTURES, provenance

API = FIXTURES / "api"
PAGE1 = json.loads((API / "kolada_v3_N02904_page1.json").read_text(encoding="utf-8"))
PAGE2 = json.loads((API / "kolada_v3_N02904_page2.json").read_text(encoding="utf-8"))
V2 = json.loads((API / "scb_v2_TAB3200_fodelseregion_jsonstat2.json").read_text(encoding="utf-8"))
KOLADA_URL = "https://api.kolada.se/v3/data/kpi/N02904/municipality/0000,0018/year/2017,2018,2019"
SCB_URL = "https://statistikdatabasen.scb.se/api/v2/tables/TAB3200/data?lang=sv&outputFormat=json-stat2"
NOW = dt.datetime(2025, 11, 24, 9, 30, tzinfo=dt.UTC)
SELECTED = ["barn_ekonomiskt_utsatta", "sysselsattning_fodelseregion"]


@pytest.fixture
def catalogue():
    return load_catalogue(FIXTURES / "catalogue" / "indikatorer.yml")


@pytest.fixture
def data_dir(tmp_path):
    """A snapshot with an older N02904 series (riket 2017 only) and an unrelated SCB KRE series."""
    data = tmp_path / "data"
    old = pd.DataFrame([dict(indicator="barn_ekonomiskt_utsatta", region_code="0000", region_name="Riket",
                             year=2017, sex="T", group="totalt", value=9.159548, unit="procent", status="")])
    write_series(data, "barn_ekonomiskt_utsatta", old.astype(DTYPES), provenance("barn_ekonomiskt_utsatta"))
    energy = pd.DataFrame([dict(indicator="energianvandning", region_code=code, region_name=REGION_NAMES[code],
                                year=2009, sex="T", group="totalt", value=value, unit="GWh", status="")
                           for code, value in (("0000", 379929.77), ("0018", 13168.95))])
    write_series(data, "energianvandning", energy.astype(DTYPES), provenance("energianvandning"))
    return data


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def http(cache_dir: Path | None = None) -> HttpClient:
    return HttpClient(make_session(cache_dir), sleep=lambda s: None)


def serve(page1=PAGE1, page2=PAGE2, scb=V2) -> None:
    responses.get(KOLADA_URL, json=page1)
    responses.get(PAGE1["next_url"], json=page2)
    responses.post(SCB_URL, json=scb)


@responses.activate
def test_update_writes_series_and_provenance_and_leaves_others_alone(data_dir, catalogue):
    serve()
    before = files(data_dir)
    result = update_snapshot(data_dir, catalogue, SELECTED, http=http(), now=NOW)
    assert result.updated == SELECTED and result.rows == {"barn_ekonomiskt_utsatta": 6,
                                                          "sysselsattning_fodelseregion": 20}
    after = files(data_dir)
    assert after["series/energianvandning.csv"] == before["series/energianvandning.csv"]
    series = read_series(data_dir, "barn_ekonomiskt_utsatta")
    assert len(series) == 6 and set(series.region_code) == {"0000", "0018"}
    provenance = read_provenance(data_dir, "sysselsattning_fodelseregion")
    assert provenance.retrieved == "2025-11-24T09:30:00+00:00"
    assert provenance.agency == "SCB" and provenance.table == "TAB3200"
    assert provenance.sources[0].kind == "api" and provenance.sources[0].url == SCB_URL
    assert provenance.sources[0].selection["Region"] == ["00", "18"]
    assert provenance.release == "TAB3200: uppdaterad 2025-11-20T07:00:00Z"
    assert provenance.transformations
    kolada = read_provenance(data_dir, "barn_ekonomiskt_utsatta")
    assert kolada.sources[0].api == "Kolada API v3" and kolada.sources[0].url == KOLADA_URL
    assert not [p for p in data_dir.iterdir() if p.name.startswith(".series")]  # no staging left


def _timeout(page1, page2, scb):
    return requests.exceptions.ReadTimeout("läsning"), page2, scb


def _truncated(page1, page2, scb):
    return page1, json.dumps(page2)[:200], scb


def _partial(page1, page2, scb):
    page2["values"] = page2["values"][:1]
    return page1, page2, scb


def _schema_change(page1, page2, scb):
    for record in page2["values"]:
        record["municipality_id"] = record.pop("municipality")
    return page1, page2, scb


def _unknown_region(page1, page2, scb):
    page2["values"][1]["municipality"] = "0099"
    return page1, page2, scb


def _duplicate(page1, page2, scb):
    page2["values"][2] = copy.deepcopy(page1["values"][0])
    return page1, page2, scb


def _out_of_range(page1, page2, scb):
    scb["value"][7] = 169.2
    return page1, page2, scb


@pytest.mark.parametrize("damage, words", [
    (_timeout, "barn_ekonomiskt_utsatta, fråga 1 \\(Kolada N02904\\): .*inget svar inom tidsgränsen"),
    (_truncated, "barn_ekonomiskt_utsatta, fråga 1 \\(Kolada N02904\\): svaret från .* är inte giltig JSON"),
    (_partial, "barn_ekonomiskt_utsatta, fråga 1 \\(Kolada N02904\\): ofullständigt svar"),
    (_schema_change, "barn_ekonomiskt_utsatta, fråga 1 \\(Kolada N02904\\): .*inte den väntade formen"),
    (_unknown_region, "barn_ekonomiskt_utsatta, fråga 1 \\(Kolada N02904\\): okänd eller oväntad regionkod.*0099"),
    (_duplicate, "barn_ekonomiskt_utsatta: det hämtade klarar inte kontrollen \\(fråga 1 \\(Kolada N02904\\)\\)"
                 ":\n.*förekommer mer än en gång: barn_ekonomiskt_utsatta / 0000 / 2017"),
    (_out_of_range, "sysselsattning_fodelseregion: det hämtade klarar inte kontrollen \\(fråga 1 \\(SCB TAB3200\\)\\)"
                    ":\n.*mellan 0 och 100: 169,2"),
])
@responses.activate
def test_any_failure_leaves_the_snapshot_byte_identical(data_dir, catalogue, damage, words):
    page1, page2, scb = damage(copy.deepcopy(PAGE1), copy.deepcopy(PAGE2), copy.deepcopy(V2))
    responses.get(KOLADA_URL, body=page1) if isinstance(page1, Exception) else responses.get(KOLADA_URL, json=page1)
    responses.get(PAGE1["next_url"], **({"body": page2} if isinstance(page2, str) else {"json": page2}))
    responses.post(SCB_URL, json=scb)
    before = files(data_dir)
    with pytest.raises(UpdateError, match=f"(?s){words}"):
        update_snapshot(data_dir, catalogue, SELECTED, http=http(), now=NOW)
    assert files(data_dir) == before
    assert not [p for p in data_dir.parent.iterdir() if p.name.startswith(".data")]


@responses.activate
def test_http_errors_name_the_indicator_and_query(data_dir, catalogue):
    responses.get(KOLADA_URL, json=PAGE1)
    responses.get(PAGE1["next_url"], json=PAGE2)
    responses.post(SCB_URL, status=500)
    before = files(data_dir)
    with pytest.raises(UpdateError, match="sysselsattning_fodelseregion, fråga 1 \\(SCB TAB3200\\): .*HTTP 500"):
        update_snapshot(data_dir, catalogue, SELECTED, http=http(), now=NOW)
    assert files(data_dir) == before


@responses.activate
def test_second_run_uses_the_cache_and_makes_no_network_call(data_dir, catalogue, tmp_path):
    serve()
    update_snapshot(data_dir, catalogue, SELECTED, http=http(tmp_path / "cache"), now=NOW)
    calls = len(responses.calls)
    assert calls == 3
    update_snapshot(data_dir, catalogue, SELECTED, http=http(tmp_path / "cache"), now=NOW)
    assert len(responses.calls) == calls


def test_unknown_indicator_or_one_without_queries(data_dir, catalogue):
    with pytest.raises(UpdateError, match="'finns_inte' finns inte i katalogen"):
        update_snapshot(data_dir, catalogue, ["finns_inte"], http=http())
    with pytest.raises(UpdateError, match="energianvandning har inga frågor"):
        update_snapshot(data_dir, catalogue, ["energianvandning"], http=http())


@responses.activate
def test_without_names_every_indicator_with_queries_is_fetched(data_dir, catalogue):
    wanted = {"barn_ekonomiskt_utsatta", "energianvandning"}
    subset = catalogue.model_copy(update={"indicators": [i for i in catalogue.indicators if i.id in wanted]})
    serve()
    result = update_snapshot(data_dir, subset, http=http(), now=NOW)
    assert result.updated == ["barn_ekonomiskt_utsatta"] and result.skipped == ["energianvandning"]

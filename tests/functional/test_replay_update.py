"""``rus data uppdatera`` end to end against the local replay server (tests/replay.py).

The server answers every Kolada and SCB query in params/indikatorer.yml with the values the file
importers put in the snapshot. Fetching them through the API clients must give back exactly the
same snapshot files; faults (429 with Retry-After, 5xx, a cut connection, broken JSON) are
retried or refused as the HTTP layer promises, and a refused update leaves data/ untouched.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from replay import Fault, Replay, ReplayServer
from typer.testing import CliRunner

from rus_analysis.cli.data import data_app
from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.config.settings import api_urls
from rus_analysis.errors import ConfigError
from rus_analysis.ingest.api.http import HttpClient, make_session
from rus_analysis.snapshot.refresh import update_snapshot
from rus_analysis.snapshot.store import read_series, series_path
from support import PROJECT, copy_project

CATALOGUE = load_catalogue(PROJECT / "params" / "indikatorer.yml")
WITH_QUERIES = [i.id for i in CATALOGUE.indicators if i.queries]
runner = CliRunner()


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    copy_project(PROJECT, tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def replay() -> Replay:
    frames = {i: read_series(PROJECT / "data", i) for i in WITH_QUERIES}
    return Replay(CATALOGUE, {i: f for i, f in frames.items() if not f.empty})


def _snapshot_texts(data_dir: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((data_dir / "series").glob("*.csv"))}


def test_base_urls_come_from_the_environment():
    assert api_urls({}).kolada == "https://api.kolada.se/v3"
    urls = api_urls({"RUS_KOLADA_URL": "http://127.0.0.1:9/kolada/v3/", "RUS_SCB_URL": "http://127.0.0.1:9/scb"})
    assert (urls.kolada, urls.scb) == ("http://127.0.0.1:9/kolada/v3", "http://127.0.0.1:9/scb")
    with pytest.raises(ConfigError, match="RUS_SCB_URL"):
        api_urls({"RUS_SCB_URL": "statistikdatabasen.scb.se"})


@pytest.mark.langsam  # a full data build of its own (or two): in the full suite, not the 60-second one
def test_uppdatera_against_the_replay_server_gives_exactly_the_file_importers_snapshot(project, replay,
                                                                                       monkeypatch):
    before = _snapshot_texts(project / "data")
    with ReplayServer(replay) as server:
        for name, value in server.environment().items():
            monkeypatch.setenv(name, value)
        result = runner.invoke(data_app, ["uppdatera", "--utan-cache"])
    assert result.exit_code == 0, result.output
    after = _snapshot_texts(project / "data")
    assert after == before  # every CSV byte for byte, including the ones uppdatera rewrote
    with_data = [i for i in WITH_QUERIES if series_path(PROJECT / "data", i).is_file()]
    output = " ".join(result.output.split())
    for indicator_id in with_data:
        assert indicator_id in output  # it was fetched and written, not skipped
    # Queries with nothing behind them (Kolada has no values in the snapshot) are said, not written.
    without = [i for i in WITH_QUERIES if i not in with_data]
    assert without and all(i in output for i in without)
    assert not any(series_path(project / "data", i).is_file() for i in without)
    # Every request went to the loopback server, Kolada paged with next_url, SCB was asked by POST.
    assert server.requests and all(r.split(" ", 1)[1].startswith("/") for r in server.requests)
    assert any("page=2" in r for r in server.requests)
    assert any(r.startswith("POST /scb/api/v2/tables/TAB3200/data") for r in server.requests)
    provenance = (project / "data" / "series" / "sysselsattningsgrad_bas.provenance.yml").read_text(encoding="utf-8")
    assert "127.0.0.1" in provenance  # the fetched series say where they came from


def _client(waits: list[float]) -> HttpClient:
    return HttpClient(make_session(None), sleep=waits.append, backoff=0.01)


@pytest.mark.parametrize("kind", ["429", "503", "truncate"])
def test_transient_faults_are_retried_and_the_result_is_unchanged(project, replay, monkeypatch, kind):
    before = _snapshot_texts(project / "data")
    waits: list[float] = []
    with ReplayServer(replay) as server:
        for name, value in server.environment().items():
            monkeypatch.setenv(name, value)
        server.faults += [Fault(kind, "/kolada/v3/data/kpi/N15424", retry_after="7"),
                          Fault(kind, "/scb/api/v2/tables/TAB3138")]
        update_snapshot(project / "data", CATALOGUE, ["behorighet_yrkesprogram_skolkommun", "brp_per_invanare"],
                        http=_client(waits), now=dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
        assert not server.faults  # both faults were served, and retried past
    assert _snapshot_texts(project / "data") == before
    if kind == "429":
        assert 7.0 in waits  # Retry-After is obeyed (the wait is recorded, not slept, in the test)


def test_a_broken_answer_is_refused_and_data_stays_untouched(project, replay, monkeypatch):
    before = {p.name: p.read_bytes() for p in (project / "data" / "series").iterdir()}
    with ReplayServer(replay) as server:
        for name, value in server.environment().items():
            monkeypatch.setenv(name, value)
        server.faults.append(Fault("broken-json", "/kolada/v3/data/kpi/N66077"))
        result = runner.invoke(data_app, ["uppdatera", "--utan-cache", "--indikator", "barn_lag_ekonomisk_standard"])
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "barn_lag_ekonomisk_standard" in output and "N66077" in output and "inte giltig JSON" in output
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in (project / "data" / "series").iterdir()} == before


def test_the_replay_server_listens_on_loopback_only(replay):
    with ReplayServer(replay, max_requests=3) as server:
        assert server.httpd.server_address[0] == "127.0.0.1" and server.port > 0
        assert server.kolada_url.startswith("http://127.0.0.1:")

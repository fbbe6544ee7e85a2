"""The HTTP layer: retries, backoff, Retry-After, timeouts, the SCB rate limiter and the disk cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
import responses

from rus_analysis.ingest.api.http import HttpClient, HttpError, RateLimiter, SourceError, make_session
from support import FIXTURES as _FIXTURES

FIXTURES = _FIXTURES / "api"
KOLADA_URL = "https://api.kolada.se/v3/kpi/N02904"
SCB_URL = "https://statistikdatabasen.scb.se/api/v2/tables/TAB3200/data"
BODY = json.loads((FIXTURES / "kolada_v3_N02904_page2.json").read_text(encoding="utf-8"))


class FakeClock:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


def client(clock: FakeClock, cache_dir: Path | None = None, **kwargs) -> HttpClient:
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    return HttpClient(make_session(cache_dir, scb_limiter=limiter), sleep=clock.sleep, **kwargs)


@responses.activate
def test_retries_transient_errors_with_exponential_backoff(clock):
    responses.get(KOLADA_URL, status=500)
    responses.get(KOLADA_URL, status=503)
    responses.get(KOLADA_URL, json=BODY)
    assert client(clock).get_json(KOLADA_URL) == BODY
    assert clock.sleeps == [1.0, 2.0]
    assert len(responses.calls) == 3


@responses.activate
def test_429_waits_as_long_as_retry_after_says(clock):
    responses.get(KOLADA_URL, status=429, headers={"Retry-After": "7"})
    responses.get(KOLADA_URL, json=BODY)
    assert client(clock).get_json(KOLADA_URL) == BODY
    assert clock.sleeps == [7.0]


@responses.activate
def test_gives_up_after_the_last_attempt_with_a_swedish_message(clock):
    responses.get(KOLADA_URL, status=500)
    with pytest.raises(HttpError, match="misslyckades efter 4 försök: HTTP 500"):
        client(clock).get_json(KOLADA_URL)
    assert len(responses.calls) == 4
    assert clock.sleeps == [1.0, 2.0, 4.0]


@responses.activate
def test_timeouts_are_retried_then_reported(clock):
    responses.get(KOLADA_URL, body=requests.exceptions.ReadTimeout("läsning"))
    with pytest.raises(HttpError, match="inget svar inom tidsgränsen"):
        client(clock, attempts=2).get_json(KOLADA_URL)
    assert len(responses.calls) == 2


@responses.activate
def test_every_request_has_a_timeout(clock):
    responses.get(KOLADA_URL, json=BODY)
    client(clock).get_json(KOLADA_URL)
    assert responses.calls[0].request.req_kwargs["timeout"] == (10, 60)


@responses.activate
def test_client_errors_are_not_retried(clock):
    responses.get(KOLADA_URL, status=404, body="Not found")
    with pytest.raises(HttpError, match="HTTP 404"):
        client(clock).get_json(KOLADA_URL)
    assert len(responses.calls) == 1


@responses.activate
def test_truncated_json_is_an_error_and_never_cached(clock, tmp_path):
    text = json.dumps(BODY)
    responses.get(KOLADA_URL, body=text[: len(text) // 2])
    responses.get(KOLADA_URL, json=BODY)
    http = client(clock, cache_dir=tmp_path)
    with pytest.raises(SourceError, match="inte giltig JSON"):
        http.get_json(KOLADA_URL)
    assert http.get_json(KOLADA_URL) == BODY  # fetched again, not the broken cached answer
    assert len(responses.calls) == 2


@responses.activate
def test_second_run_is_answered_from_the_disk_cache(clock, tmp_path):
    responses.get(KOLADA_URL, json=BODY)
    responses.post(SCB_URL, json={"class": "dataset"})
    first = client(clock, cache_dir=tmp_path)
    first.get_json(KOLADA_URL)
    first.post_json(SCB_URL, {"selection": []})
    second = client(clock, cache_dir=tmp_path)  # a new run: new session, same cache folder
    assert second.get_json(KOLADA_URL) == BODY
    assert second.post_json(SCB_URL, {"selection": []}) == {"class": "dataset"}
    assert len(responses.calls) == 2
    second.post_json(SCB_URL, {"selection": [{"variableCode": "Tid", "valueCodes": ["2024"]}]})
    assert len(responses.calls) == 3  # another body is another request


def test_rate_limiter_allows_30_calls_per_10_seconds(clock):
    limiter = RateLimiter(calls=30, period=10.0, clock=clock, sleep=clock.sleep)
    for _ in range(30):
        limiter.acquire()
    assert clock.sleeps == []
    limiter.acquire()
    assert clock.sleeps == [10.0]
    clock.now = 25.0
    limiter.acquire()
    assert clock.sleeps == [10.0]  # the window has moved on


def test_rate_limiter_sliding_window(clock):
    limiter = RateLimiter(calls=2, period=10.0, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    clock.now = 4.0
    limiter.acquire()
    limiter.acquire()  # must wait until the first call leaves the window at t=10
    assert clock.sleeps == [6.0]


@responses.activate
def test_scb_requests_pass_the_limiter_and_cache_hits_do_not(clock, tmp_path):
    responses.post(SCB_URL, json={"class": "dataset"})
    limiter = RateLimiter(calls=2, period=10.0, clock=clock, sleep=clock.sleep)
    http = HttpClient(make_session(tmp_path, scb_limiter=limiter), sleep=clock.sleep)
    for year in ("2022", "2023", "2024"):
        http.post_json(SCB_URL, {"selection": [{"variableCode": "Tid", "valueCodes": [year]}]})
    assert clock.sleeps == [10.0]
    for year in ("2022", "2023", "2024"):  # all cached now: no waiting
        http.post_json(SCB_URL, {"selection": [{"variableCode": "Tid", "valueCodes": [year]}]})
    assert clock.sleeps == [10.0]
    assert len(responses.calls) == 3

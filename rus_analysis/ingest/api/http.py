"""HTTP for the statistics APIs: timeouts, retries with backoff, SCB's rate limit and a disk cache.

A second run with the same requests is answered from ``.cache/http`` without any network call;
only complete JSON answers with status 200 are cached, so a truncated body is never reused.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

import requests
import requests_cache
from requests.adapters import HTTPAdapter

from rus_analysis.config.settings import api_urls
from rus_analysis.errors import IngestError
from rus_analysis.ingest.decoding import wrong_format

DEFAULT_CACHE = Path(".cache/http")
DEFAULT_EXPIRY = dt.timedelta(days=1)
TIMEOUT = (10, 60)  # seconds to connect, seconds between bytes
TRANSIENT_STATUS = {429, 500, 502, 503, 504}
SCB_HOSTS = ("https://api.scb.se/", "https://statistikdatabasen.scb.se/")
SCB_CALLS, SCB_PERIOD = 30, 10.0  # SCB allows 30 calls per 10 seconds per IP address
USER_AGENT = "rus-analysis (Region Örebro län, uppföljning av RUS)"


class SourceError(IngestError):
    """A request to a statistics API failed or returned something unusable. Swedish message."""


class HttpError(SourceError):
    """The request itself failed (no answer, or an HTTP error status), as opposed to a bad answer."""


class RateLimiter:
    """At most ``calls`` acquisitions in any window of ``period`` seconds (sliding window)."""

    def __init__(self, calls: int = SCB_CALLS, period: float = SCB_PERIOD,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self.calls, self.period = calls, period
        self._clock, self._sleep = clock, sleep
        self._stamps: deque[float] = deque()

    def acquire(self) -> None:
        """Wait (sleep) until one more call fits in the sliding window, then record it."""
        while True:
            now = self._clock()
            while self._stamps and self._stamps[0] <= now - self.period:
                self._stamps.popleft()
            if len(self._stamps) < self.calls:
                self._stamps.append(now)
                return
            self._sleep(self._stamps[0] + self.period - now)


class _LimitedAdapter(HTTPAdapter):
    """Counts only real network calls: requests-cache answers hits before reaching the adapter."""

    def __init__(self, limiter: RateLimiter):
        super().__init__()
        self.limiter = limiter

    def send(self, request, *args, **kwargs):  # noqa: ANN001 - requests' signature
        self.limiter.acquire()
        return super().send(request, *args, **kwargs)


def _complete_json(response: requests.Response) -> bool:
    try:
        json.loads(response.content)
    except ValueError:
        return False
    return True


def make_session(cache_dir: Path | None = DEFAULT_CACHE, expire_after: dt.timedelta = DEFAULT_EXPIRY,
                 scb_limiter: RateLimiter | None = None) -> requests.Session:
    """A session with SCB's rate limit and, unless ``cache_dir`` is None, a sqlite cache on disk."""
    if cache_dir is None:
        session = requests.Session()
    else:
        cache_dir.mkdir(parents=True, exist_ok=True)
        session = requests_cache.CachedSession(
            str(cache_dir / "svar"), backend="sqlite", expire_after=expire_after,
            allowable_methods=("GET", "POST"), allowable_codes=(200,), filter_fn=_complete_json,
        )
    adapter = _LimitedAdapter(scb_limiter or RateLimiter())
    urls = api_urls()  # SCB's limit also holds for an address set with RUS_SCB_URL / RUS_SCB_V1_URL
    for prefix in dict.fromkeys([*SCB_HOSTS, f"{urls.scb}/", f"{urls.scb_v1}/"]):
        session.mount(prefix, adapter)
    session.headers["User-Agent"] = USER_AGENT
    session.headers["Accept"] = "application/json"
    return session


def _retry_after(response: requests.Response) -> float | None:
    header = response.headers.get("Retry-After")
    if not header:
        return None
    if header.strip().isdigit():
        return float(header.strip())
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - dt.datetime.now(when.tzinfo or dt.UTC)).total_seconds())


class HttpClient:
    """JSON over HTTP with a timeout on every request and retries for transient failures."""

    def __init__(self, session: requests.Session | None = None, attempts: int = 4, backoff: float = 1.0,
                 max_wait: float = 60.0, timeout: tuple[float, float] = TIMEOUT,
                 sleep: Callable[[float], None] = time.sleep):
        self.session = session if session is not None else make_session()
        self.attempts, self.backoff, self.max_wait, self.timeout = attempts, backoff, max_wait, timeout
        self._sleep = sleep

    def get_json(self, url: str, params: dict | None = None) -> object:
        """GET ``url`` with retries and backoff; the parsed JSON answer.

        Raises HttpError (no answer, or an error status after the retries) or SourceError (the answer is
        not valid JSON), both with Swedish messages.
        """
        return self._json(self._request("GET", url, params=params))

    def post_json(self, url: str, body: dict) -> object:
        """POST ``body`` as JSON to ``url``; as ``get_json`` (retries, errors)."""
        return self._json(self._request("POST", url, json=body))

    def _request(self, method: str, url: str, **kwargs) -> requests.Response:
        for attempt in range(1, self.attempts + 1):
            wait = min(self.max_wait, self.backoff * 2 ** (attempt - 1))
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except requests.Timeout:
                problem = f"inget svar inom tidsgränsen ({self.timeout[1]:g} sekunder)"
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                problem = f"förbindelsen bröts eller kunde inte upprättas ({type(exc).__name__})"
            else:
                if response.status_code not in TRANSIENT_STATUS:
                    if response.status_code >= 400:
                        raise HttpError(f"{url} svarade med HTTP {response.status_code}: "
                                          f"{response.text[:200].strip() or response.reason}")
                    return response
                problem = f"HTTP {response.status_code}"
                retry_after = _retry_after(response)
                if retry_after is not None:
                    wait = min(self.max_wait, retry_after)
            if attempt == self.attempts:
                raise HttpError(f"{url} misslyckades efter {self.attempts} försök: {problem}. "
                                  "Försök igen senare eller kontrollera nätverket.")
            self._sleep(wait)
        raise AssertionError("unreachable")

    @staticmethod
    def _json(response: requests.Response) -> object:
        try:
            return json.loads(response.content)
        except ValueError as exc:
            wrong = wrong_format(response.content, "JSON(-stat2)")
            if wrong:
                raise SourceError(f"{response.url}: {wrong} (HTTP {response.status_code}); svaret är inte "
                                  "avkortat men kan inte läsas. Kontrollera frågans outputFormat") from None
            raise SourceError(f"svaret från {response.url} är inte giltig JSON (avbrutet eller trasigt svar: "
                              f"{exc})") from exc

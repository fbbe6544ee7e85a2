"""A local replay server for Kolada API v3 and SCB PxWebApi 2.0: test fixture only.

Every answer is built from values that already are in the project's snapshot (``data/series``,
written by the file importers from ``../shared/sources``): no figure is made up. The shapes are
the documented ones the clients parse: Kolada v3 ``{count, values[{kpi, municipality, period,
values[{gender, count, status, value}]}], next_url}`` paged by ``next_url``; SCB JSON-stat 2.0
(``id``, ``size``, ``dimension.*.category.index/label``, row-major ``value``, sparse ``status``),
as in ``../shared/sources/api-response-samples/``. Kolada's real status vocabulary is not
documented anywhere we could find; a withheld value is replayed with status ``sekretess``.

Safety: binds 127.0.0.1 on an ephemeral port only, answers at most ``max_requests`` requests in a
loop that polls a stop flag, and is stopped when the ``with`` block ends. Faults can be queued:
``429`` (with Retry-After), ``500``/``503``, ``truncate`` (a body cut short of its Content-Length,
which the client sees as a broken connection) and ``broken-json`` (a complete response whose JSON
is cut off).
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from itertools import product
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from rus_analysis.config.catalogue import Catalogue, Indicator, Query
from rus_analysis.config.geography import from_scb_code, to_scb_code
from rus_analysis.ingest.tidy import resolve_regions

LOOPBACK = "127.0.0.1"
SCB_SEX = {"T": "1+2", "K": "2", "M": "1"}
COMMENT = ("Test fixture from tests/replay.py: values from the project's snapshot (file importers, "
           "../shared/sources); not a recorded answer.")


@dataclass
class Fault:
    kind: str  # "429", "500", "503", "truncate" or "broken-json"
    match: str = ""  # only requests whose path contains this
    retry_after: str = "1"


@dataclass
class Replay:
    """Answers for every Kolada and SCB query in a catalogue, from the snapshot's frames."""

    catalogue: Catalogue
    frames: Mapping[str, pd.DataFrame]
    page_size: int = 25  # Kolada records per page, whatever per_page asks: forces next_url paging
    kolada: dict[str, list[tuple[Query, pd.DataFrame]]] = field(default_factory=dict)
    scb: dict[str, list[tuple[Query, Indicator, pd.DataFrame]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for indicator in self.catalogue.indicators:
            frame = self.frames.get(indicator.id)
            for query in indicator.queries:
                rows = pd.DataFrame() if frame is None else frame[
                    frame["region_code"].isin(resolve_regions(query.regions))]
                if query.api == "kolada":
                    rows = rows[rows["group"] == query.group] if len(rows) else rows
                    self.kolada.setdefault(query.id, []).append((query, rows))
                else:
                    self.scb.setdefault(query.id, []).append((query, indicator, rows))

    # --- Kolada v3 -----------------------------------------------------------------------------

    def kolada_records(self, kpi: str, municipalities: list[str], years: list[int]) -> list[dict]:
        records = []
        for _, rows in self.kolada.get(kpi, []):
            if rows.empty:
                continue
            chosen = rows[rows["region_code"].isin(municipalities)]
            if years:
                chosen = chosen[chosen["year"].isin(years)]
            for (code, year), cell in chosen.groupby(["region_code", "year"], sort=True):
                values = []
                for row in cell.sort_values("sex").itertuples(index=False):
                    missing = isinstance(row.value, float) and math.isnan(row.value)
                    values.append({"gender": row.sex, "count": 1,
                                   "status": "sekretess" if row.status == "sekretess" else "",
                                   "value": None if missing else float(row.value)})
                records.append({"kpi": kpi, "municipality": str(code), "period": int(year), "values": values})
        return records

    def kolada_answer(self, path: str, query: dict[str, list[str]], base: str) -> dict:
        parts = path.split("/")
        # .../data/kpi/{kpi}/municipality/{ids}[/year/{years}]
        start = parts.index("data")
        kpi, municipalities = parts[start + 2], parts[start + 4].split(",")
        years = [int(y) for y in parts[start + 6].split(",")] if len(parts) > start + 6 else []
        records = self.kolada_records(kpi, municipalities, years)
        per_page = min(int((query.get("per_page") or ["5000"])[0]), self.page_size)
        page = int((query.get("page") or ["1"])[0])
        chunk = records[(page - 1) * per_page: page * per_page]
        more = page * per_page < len(records)
        next_url = f"{base}{path}?page={page + 1}&per_page={per_page}" if more else None
        return {"_comment": COMMENT, "count": len(records), "values": chunk, "next_url": next_url}

    # --- SCB PxWebApi 2.0 ------------------------------------------------------------------------

    def scb_answer(self, table: str, body: dict) -> dict:
        chosen = {s["variableCode"]: s["valueCodes"] for s in body.get("selection", [])}
        entries = self.scb.get(table)
        if not entries:
            raise LookupError(f"no query for table {table}")
        query, indicator, rows = entries[0]
        regions = chosen.get(query.region_dimension, ["*"])
        if regions != ["*"]:
            rows = rows[rows["region_code"].isin([from_scb_code(c) if len(c) == 2 else c for c in regions])]
        years = chosen.get(query.time_dimension, ["*"])
        if years != ["*"]:
            rows = rows[rows["year"].astype(str).isin(years)]
        group_codes = {}
        for code, label in query.groups.items():
            group_codes.setdefault(label, code)
        dims: list[tuple[str, list[str], dict]] = []  # (id, codes, row key → code)
        rows = rows.assign(_region=rows["region_code"].map(to_scb_code), _year=rows["year"].astype(str),
                           _sex=rows["sex"].map(SCB_SEX), _group=rows["group"].map(group_codes))
        dims.append((query.region_dimension, list(dict.fromkeys(rows["_region"])), "_region"))
        if query.sex_dimension:
            dims.append((query.sex_dimension, list(dict.fromkeys(rows.sort_values("sex")["_sex"])), "_sex"))
        if query.group_dimension:
            dims.append((query.group_dimension, list(dict.fromkeys(rows["_group"])), "_group"))
        for name, codes in query.selection.items():
            dims.append((name, list(codes), None))
        dims.append(("ContentsCode", ["REPLAY"], None))
        dims.append((query.time_dimension, sorted(set(rows["_year"])), "_year"))
        by_key = {tuple(r[c] for _, _, c in dims if c): r for r in rows.to_dict("records")}
        values, status = [], {}
        for index, combo in enumerate(product(*(codes for _, codes, _ in dims))):
            key = tuple(code for (_, _, column), code in zip(dims, combo, strict=True) if column)
            row = by_key.get(key)
            if row is None:
                raise LookupError(f"{table}: the snapshot has no cell for {key}; a replay would invent one")
            missing = isinstance(row["value"], float) and math.isnan(row["value"])
            values.append(None if missing else float(row["value"]))
            if missing:
                status[str(index)] = ".."
        dimension = {
            name: {"label": name, "category": {"index": {c: i for i, c in enumerate(codes)},
                                               "label": {c: c for c in codes},
                                               **({"unit": {"REPLAY": {"base": indicator.unit, "decimals": 1}}}
                                                  if name == "ContentsCode" else {})}}
            for name, codes, _ in dims}
        answer = {"class": "dataset", "version": "2.0", "label": f"{indicator.title} ({COMMENT})",
                  "source": "SCB (replay)", "updated": "2026-01-01T00:00:00Z",
                  "id": [name for name, _, _ in dims], "size": [len(codes) for _, codes, _ in dims],
                  "dimension": dimension, "value": values, "extension": {"px": {"tableid": table}}}
        if status:
            answer["status"] = status
        return answer


class ReplayServer:
    """``with ReplayServer(replay) as server:`` serves on ``server.base`` until the block ends."""

    def __init__(self, replay: Replay, max_requests: int = 5000):
        self.replay, self.max_requests = replay, max_requests
        self.faults: list[Fault] = []
        self.requests: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet in test output
                pass

            def do_GET(self) -> None:
                server._answer(self, None)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                server._answer(self, json.loads(self.rfile.read(length) or b"{}"))

        self.httpd = HTTPServer((LOOPBACK, 0), Handler)
        self.httpd.timeout = 0.1
        host, self.port = self.httpd.server_address[:2]
        assert host == LOOPBACK, host
        self.base = f"http://{LOOPBACK}:{self.port}"
        self.kolada_url = f"{self.base}/kolada/v3"
        self.scb_url = f"{self.base}/scb/api/v2"
        self.scb_v1_url = f"{self.base}/scb/v1"
        self._thread = threading.Thread(target=self._serve, name="replay-server", daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set() and len(self.requests) < self.max_requests:
            self.httpd.handle_request()

    def __enter__(self) -> ReplayServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.httpd.server_close()

    def environment(self) -> dict[str, str]:
        return {"RUS_KOLADA_URL": self.kolada_url, "RUS_SCB_URL": self.scb_url, "RUS_SCB_V1_URL": self.scb_v1_url}

    def _fault_for(self, path: str) -> Fault | None:
        with self._lock:
            for index, fault in enumerate(self.faults):
                if fault.match in path:
                    return self.faults.pop(index)
        return None

    def _answer(self, handler: BaseHTTPRequestHandler, body: dict | None) -> None:
        self.requests.append(f"{handler.command} {handler.path}")
        parts = urlsplit(handler.path)
        fault = self._fault_for(handler.path)
        if fault is not None and fault.kind in ("429", "500", "503"):
            handler.send_response(int(fault.kind))
            if fault.kind == "429":
                handler.send_header("Retry-After", fault.retry_after)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        try:
            if parts.path.startswith("/kolada/v3/data/"):
                answer = self.replay.kolada_answer(parts.path, parse_qs(parts.query), self.base)
            elif parts.path.startswith("/scb/api/v2/tables/") and parts.path.endswith("/data") and body is not None:
                answer = self.replay.scb_answer(parts.path.split("/")[-2], body)
            else:
                raise LookupError(parts.path)
        except LookupError as exc:
            payload = json.dumps({"error": str(exc)}).encode()
            handler.send_response(404)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
            return
        payload = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        if fault is not None and fault.kind == "truncate":
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload[: len(payload) // 2])  # the connection closes mid-body
            return
        if fault is not None and fault.kind == "broken-json":
            payload = payload[: len(payload) // 2]
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

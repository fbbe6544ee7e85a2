"""A small strict reader for PC-Axis (``.px``) files as PxWeb and PxWebApi write them.

Why not ``pyaxis`` (PyPI)? Checked on the case file ``pxweb-px/energi_pxweb.px``: it reads it, but
it configures the root logger at import (``logging.basicConfig(level=INFO)``), folds SCB's
``".."`` and ``"-"`` into one NaN (the legend's distinction is lost) and raises a bare pandas
``ValueError`` on a truncated DATA block. The format is small (keyword=value; lines, quoted
strings, a DATA block in row-major order over STUB then HEADING), so this module reads it and
refuses anything it cannot read exactly: an unknown structure, a missing VALUES list, or a
DATA block with more or fewer cells than the dimensions promise.

Reference: Statistics Sweden, "PX file format specification" (2013), keywords CHARSET,
CODEPAGE, STUB, HEADING, VALUES, CODES, UNITS, CONTENTS, TITLE, MATRIX, DATA.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from rus_analysis.ingest.decoding import ExportFormatError

_KEY = re.compile(r'^\s*(?P<key>[A-Za-z][A-Za-z0-9-]*)(?:\[(?P<lang>[^\]]+)\])?(?:\("(?P<sub>[^"]*)"\))?\s*=\s*',
                  re.S)


@dataclass
class PxFile:
    """The parts of a PX file the importer needs. Cells are in row-major order (stub, then heading)."""

    keywords: dict[str, list[str]] = field(default_factory=dict)  # KEYWORD or KEYWORD(sub) → values
    dimensions: list[str] = field(default_factory=list)  # stub, then heading
    values: dict[str, list[str]] = field(default_factory=dict)
    codes: dict[str, list[str]] = field(default_factory=dict)
    cells: list[str] = field(default_factory=list)  # raw tokens, quotes removed

    def first(self, key: str) -> str | None:
        """The first value of keyword ``key`` (e.g. ``"TITLE"``, ``"UNITS"``), or None if absent."""
        found = self.keywords.get(key)
        return found[0] if found else None


def codepage(raw: bytes) -> str:
    """The codec a PX file declares (CODEPAGE, else CHARSET="ANSI" → cp1252); default UTF-8."""
    head = raw[:4000].decode("latin-1")
    match = re.search(r'CODEPAGE\s*=\s*"([^"]+)"', head)
    if match:
        name = match.group(1).strip().lower()
        return {"iso-8859-1": "cp1252", "latin1": "cp1252", "windows-1252": "cp1252"}.get(name, name)
    if re.search(r'CHARSET\s*=\s*"ANSI"', head):
        return "cp1252"
    return "utf-8"


def _split_statements(text: str) -> list[str]:
    """Statements up to each ``;`` outside quotes."""
    statements, current, quoted = [], [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            statements.append("".join(current))
            current = []
        else:
            current.append(char)
    if quoted:
        raise ExportFormatError("PX-filen har ett citattecken som aldrig avslutas (är filen avkortad?)")
    if "".join(current).strip():
        raise ExportFormatError("PX-filen slutar mitt i ett nyckelord utan ';' (är filen avkortad?)")
    return statements


def _strings(value: str) -> list[str]:
    """``"a","b"`` → ['a', 'b']; ``"a"`` newline ``"b"`` (one string continued) → ['ab']; bare → [value]."""
    value = value.strip()
    if not value.startswith('"'):
        return [value]
    items: list[str] = []
    end = None
    for match in re.finditer(r'"([^"]*)"', value):
        gap = value[end:match.start()] if end is not None else ""
        if end is not None and "," not in gap:
            items[-1] += match.group(1)
        else:
            items.append(match.group(1))
        end = match.end()
    return items


def parse_px(text: str) -> PxFile:
    """Parse the text of a PX file; raises ExportFormatError (Swedish) for anything it cannot read."""
    px = PxFile()
    data_raw = None
    for statement in _split_statements(text):
        if not statement.strip():
            continue
        match = _KEY.match(statement)
        if not match:
            raise ExportFormatError(f"PX-filen har en rad som inte är 'NYCKELORD=värde;': {statement.strip()[:60]!r}")
        key, sub, value = match.group("key").upper(), match.group("sub"), statement[match.end():]
        if match.group("lang"):
            continue  # other languages: the file's default language is used
        if key == "DATA":
            data_raw = value
            continue
        px.keywords[f"{key}({sub})" if sub is not None else key] = _strings(value)
    if data_raw is None:
        raise ExportFormatError("PX-filen saknar DATA (är filen avkortad?)")
    stub, heading = px.keywords.get("STUB", []), px.keywords.get("HEADING", [])
    px.dimensions = [*stub, *heading]
    if not px.dimensions:
        raise ExportFormatError("PX-filen saknar STUB och HEADING")
    for name in px.dimensions:
        if f"VALUES({name})" not in px.keywords:
            raise ExportFormatError(f"PX-filen saknar VALUES för dimensionen {name!r}")
        px.values[name] = px.keywords[f"VALUES({name})"]
        codes = px.keywords.get(f"CODES({name})")
        if codes is not None and len(codes) != len(px.values[name]):
            raise ExportFormatError(f"PX-filen har {len(codes)} koder men {len(px.values[name])} värden för {name!r}")
        px.codes[name] = codes or px.values[name]
    tokens = re.findall(r'"[^"]*"|[^\s",]+', data_raw)
    px.cells = [t.strip('"') for t in tokens]
    expected = 1
    for name in px.dimensions:
        expected *= len(px.values[name])
    if len(px.cells) != expected:
        raise ExportFormatError(f"PX-filens DATA har {len(px.cells)} celler men dimensionerna ger {expected} "
                                "(ofullständig eller avkortad fil)")
    return px


def px_rows(px: PxFile) -> list[dict[str, str]]:
    """One dict per cell: each dimension's code and label (``<dim>`` and ``<dim>#text``) and ``cell``."""
    rows = []
    combos = itertools.product(*[range(len(px.values[d])) for d in px.dimensions])
    for combo, cell in zip(combos, px.cells, strict=False):
        row = {}
        for name, index in zip(px.dimensions, combo, strict=True):
            row[name] = px.codes[name][index]
            row[f"{name}#text"] = px.values[name][index]
        row["cell"] = cell
        rows.append(row)
    return rows

"""Reading the bytes of a downloaded file: its kind, its text encoding, its numbers and SCB's symbols.

Analysts download from SCB's Statistikdatabasen and Kolada with whatever their browser and Excel
produce: UTF-8 with or without BOM, Windows-1252/latin-1, Excel's "Unicode text" (UTF-16 with a
BOM and tabs), `;` with decimal comma, thousands separated by (no-break) spaces. Everything here
either reads such a file exactly or raises ``ExportFormatError`` with a Swedish message saying
what is wrong; nothing guesses a number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rus_analysis.errors import IngestError

# SCB's legend (teckenförklaring) in Statistikdatabasen and its PX files.
SCB_LEGEND = {
    "..": "uppgift inte tillgänglig eller för osäker för att anges",
    ".": "uppgift kan inte förekomma",
    "...": "uppgift inte meningsfull",
    "…": "uppgift inte meningsfull",
    "-": "inget finns att redovisa (noll)",
    "–": "inget finns att redovisa (noll)",
}
MISSING_SYMBOLS = {"..", ".", "...", "…"}  # value missing: stored empty with status 'saknas'
NIL_SYMBOLS = {"-", "–"}  # SCB: "inget finns att redovisa", i.e. the value is zero
THIN_SPACES = ("\u00a0", "\u202f", "\u2009", " ")
Decimal = Literal["komma", "punkt"]


class ExportFormatError(IngestError):
    """A downloaded file cannot be read exactly. Swedish message; the caller adds the file name."""


@dataclass(frozen=True)
class Decoded:
    """A file's text and how it was read (``encoding`` is a Swedish description for the summary)."""

    text: str
    encoding: str


def sniff_kind(raw: bytes) -> str:
    """``xlsx``, ``zip``, ``pdf``, ``xls``, ``binary`` or ``text`` from the first bytes."""
    if raw.startswith(b"PK\x03\x04"):
        return "xlsx" if b"[Content_Types].xml" in raw[:4096] or b"xl/" in raw else "zip"
    if raw.startswith(b"%PDF"):
        return "pdf"
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if raw.startswith((b"\x1f\x8b", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BZh", b"7z\xbc\xaf")):
        return "binary"
    return "text"


def _utf16_without_bom(raw: bytes) -> str | None:
    sample = raw[:2000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd_nuls = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _control_characters(text: str) -> list[str]:
    return sorted({c for c in text if (ord(c) < 32 and c not in "\t\r\n\f") or 0x7f <= ord(c) < 0xa0})


def decode(raw: bytes) -> Decoded:
    """The text of a downloaded text file, in the encoding it was saved with.

    BOMs decide first (UTF-8, UTF-16 LE/BE), then UTF-16 without BOM (from NUL bytes), then strict
    UTF-8, then Windows-1252 (a superset of latin-1's printable characters). Raises
    ExportFormatError for an empty or binary file, or one whose encoding cannot be decided.
    """
    if not raw.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ExportFormatError("filen är tom")
    kind = sniff_kind(raw)
    if kind != "text":
        raise ExportFormatError(f"filen är inte en textfil utan {_KIND_WORDS[kind]}")
    if raw.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", "UTF-8 med BOM")]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [("utf-16", "UTF-16 (Excels Unicode-text)")]
    elif (utf16 := _utf16_without_bom(raw)) is not None:
        candidates = [(utf16, "UTF-16 utan BOM")]
    else:
        if b"\x00" in raw:
            raise ExportFormatError("filen innehåller nollbyte och är troligen binär, inte text")
        candidates = [("utf-8", "UTF-8"), ("cp1252", "Windows-1252 (latin-1)")]
    for codec, words in candidates:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        text = text.lstrip("\ufeff")
        bad = _control_characters(text)
        if bad:
            shown = ", ".join(f"U+{ord(c):04X}" for c in bad[:4])
            raise ExportFormatError(f"filen innehåller styrtecken ({shown}) när den läses som {words}; "
                                    "teckenkodningen går inte att avgöra eller filen är inte text. Spara om "
                                    "den som CSV (UTF-8) och försök igen")
        return Decoded(text, words)
    raise ExportFormatError("teckenkodningen går inte att avgöra (varken UTF-8, UTF-16 eller Windows-1252); "
                            "spara om filen som CSV (UTF-8) och försök igen")


_KIND_WORDS = {
    "xlsx": "en Excel-arbetsbok (xlsx); byt filändelsen till .xlsx",
    "zip": "ett zip-arkiv; packa upp det först",
    "pdf": "en PDF; ladda ned tabellen som CSV, xlsx, PX eller JSON-stat2 i stället",
    "xls": "en äldre Excel-fil (xls); spara den som xlsx eller CSV",
    "binary": "en binärfil (bild eller komprimerad fil)",
}


def kind_words(kind: str) -> str:
    """Swedish words for a non-text kind from ``sniff_kind``."""
    return _KIND_WORDS.get(kind, kind)


# --- numbers ----------------------------------------------------------------------------------

_GROUPED_SPACE = re.compile(r"^[+-]?\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?$")


def _strip(text: str) -> str:
    return str(text).strip().strip('"').strip().replace("\u2212", "-")


def is_symbol(text: str) -> bool:
    """True for one of SCB's legend symbols (``..``, ``.``, ``...``, ``-`` …) or an empty cell."""
    return _strip(text) in SCB_LEGEND or _strip(text) == ""


def _evidence(token: str) -> set[str]:
    """Which decimal separators a number token allows: {'punkt'}, {'komma'}, both, or none."""
    if _GROUPED_SPACE.match(token):
        body = re.sub(r"[ \u00a0\u202f\u2009]", "", token)
        return {"komma"} if "," in body else {"punkt"} if "." in body else {"komma", "punkt"}
    digits = token.lstrip("+-")
    if "," in digits and "." in digits:
        return {"punkt"} if digits.rfind(".") > digits.rfind(",") else {"komma"}
    for sep, other in ((",", "punkt"), (".", "komma")):
        if sep in digits:
            parts = digits.split(sep)
            if len(parts) > 2:  # 1,234,567: the separator groups thousands
                return {other}
            if len(parts[1]) != 3 or parts[0] in ("", "0") or len(parts[0]) > 3:
                return {"komma" if sep == "," else "punkt"}
            return {"komma", "punkt"}  # 12,345 or 12.345: either reading is possible
    return {"komma", "punkt"}


def ambiguous_tokens(tokens: Iterable[str]) -> list[str]:
    """Tokens whose value depends on the decimal separator (``364,287`` or ``12.345``)."""
    return [t for t in tokens if ("," in t or "." in t) and _evidence(t) == {"komma", "punkt"}
            and not _GROUPED_SPACE.match(t)]


def decide_decimal(tokens: Iterable[str], delimiter: str | None, given: Decimal | None = None) -> Decimal:
    """The file's decimal separator, from every number cell in it.

    Evidence comes from tokens that allow only one reading (``9,067782``, ``391,365.84``,
    ``12 245,963``). Mixed evidence is refused. Without evidence, a file whose numbers all read
    the same either way is fine; a comma-separated file with dotted numbers uses the point;
    anything else (``364,287`` in a `;` file) is refused as ambiguous unless ``given``.
    """
    tokens = [_strip(t) for t in tokens if not is_symbol(t)]
    if given is not None:
        return given
    allowed = {"komma", "punkt"}
    witnesses: dict[str, str] = {}
    for token in tokens:
        evidence = _evidence(token)
        if len(evidence) == 1:
            witnesses.setdefault(next(iter(evidence)), token)
        allowed &= evidence
    if not allowed:
        raise ExportFormatError(
            f"talen använder både komma och punkt som decimaltecken (t.ex. {witnesses.get('komma')!r} och "
            f"{witnesses.get('punkt')!r}); exportera tabellen på nytt med ett och samma format")
    if len(allowed) == 1:
        return next(iter(allowed))
    unclear = ambiguous_tokens(tokens)
    if not unclear:
        return "komma"  # integers only: the separator does not matter
    if delimiter == "," and all("," not in t for t in unclear):
        return "punkt"
    shown = ", ".join(repr(t) for t in unclear[:4])
    raise ExportFormatError(
        f"talen {shown} kan läsas på två sätt: med decimalkomma/decimalpunkt eller med tusentalsavgränsare "
        "(de skulle skilja en faktor 1 000). Ange --decimaltecken komma eller --decimaltecken punkt, "
        "eller exportera med svenskt talformat (decimalkomma, mellanslag mellan tusental)")


def parse_value(raw: object, decimal: Decimal) -> tuple[float, str]:
    """(value, symbol) of one cell: a number, or NaN with the SCB symbol; ``-`` (nil) is 0 with symbol.

    Raises ExportFormatError naming the cell when it is neither a number nor a legend symbol, and
    for inf/NaN, which no statistics agency publishes.
    """
    if isinstance(raw, bool):
        raise ExportFormatError(f"cellen {raw!r} är inte ett tal")
    if isinstance(raw, (int, float)):
        if not math.isfinite(raw):
            raise ExportFormatError(f"cellen {raw!r} är inte ett ändligt tal")
        return float(raw), ""
    if raw is None:
        return math.nan, ""
    token = _strip(str(raw))
    if token == "":
        return math.nan, ""
    if token in MISSING_SYMBOLS:
        return math.nan, token
    if token in NIL_SYMBOLS:
        return 0.0, "-"
    body = re.sub(r"[ \u00a0\u202f\u2009]", "", token) if _GROUPED_SPACE.match(token) else token
    thousands, point = (".", ",") if decimal == "komma" else (",", ".")
    body = body.replace(thousands, "").replace(point, ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", body):
        raise ExportFormatError(f"cellen {str(raw)!r} är varken ett tal eller ett av SCB:s tecken "
                                f"({', '.join(repr(s) for s in ('..', '.', '-'))})")
    value = float(body)
    if not math.isfinite(value):
        raise ExportFormatError(f"cellen {str(raw)!r} är inte ett ändligt tal")
    return value, ""


def wrong_format(body: bytes, expected: str = "JSON") -> str | None:
    """A Swedish sentence when an answer that should be ``expected`` is another known format, else None.

    PxWebApi has answered HTTP 200 with a PX file where JSON-stat2 was asked for
    (PxTools/PxWebApi#102); that answer is complete, only in the wrong format, and must not be
    reported as truncated.
    """
    head = body[:400].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith((b"CHARSET", b"AXIS-VERSION", b"LANGUAGE", b"CODEPAGE", b"MATRIX")):
        return f"svaret var i fel format: en PC-Axis-fil (PX) i stället för {expected}"
    if head[:15].lower().startswith((b"<!doctype html", b"<html")):
        return f"svaret var i fel format: en HTML-sida i stället för {expected}"
    if head.startswith(b"<?xml"):
        return f"svaret var i fel format: XML i stället för {expected}"
    kind = sniff_kind(body)
    if kind in ("xlsx", "zip", "pdf", "xls", "binary"):
        return f"svaret var i fel format: {kind_words(kind).split(';')[0]} i stället för {expected}"
    return None

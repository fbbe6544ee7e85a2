"""Swedish number formatting: decimal comma, (narrow no-break) space as thousands separator.

In config/ because it is a house rule every phase follows, not presentation logic of the report:
the assessment's sentences, the report, and the CLI's messages from ingest and snapshot all print
numbers the Swedish way (``24,8``, ``4 500``, ``−3,2``). See docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import math

# A no-break space keeps "4 500" on one line in PDF and HTML alike.
THOUSANDS_SEPARATOR = "\u00a0"
MISSING = "–"


def format_number(value: float | int | None, decimals: int = 1) -> str:
    """Format a number the Swedish way: ``24,8``, ``4 500``, ``−3,2``.

    Missing values (None or NaN) become an en dash. Negative numbers use the
    typographic minus sign, as Swedish print style recommends.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    text = f"{abs(value):,.{decimals}f}"
    text = text.replace(",", "_").replace(".", ",").replace("_", THOUSANDS_SEPARATOR)
    if round(value, decimals) < 0:
        text = "\u2212" + text
    return text


def format_percent(value: float | None, decimals: int = 1) -> str:
    """``24,8 procent``: the unit written out, as klarspråk prefers in running text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return f"{format_number(value, decimals)} procent"


def format_signed(value: float | None, decimals: int = 1) -> str:
    """A change with an explicit sign: ``+1,2`` or ``−0,4``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    text = format_number(value, decimals)
    return text if text.startswith("\u2212") or round(value, decimals) == 0 else "+" + text


def message_number(value: float | int) -> str:
    """A value read from a file, as a message quotes it: every digit it has, decimal comma and
    typographic minus, no thousands space (it may be a year): ``0``, ``0,5``, ``−12``, ``2031``.
    Never ``0.0`` or ``-12.0``."""
    if isinstance(value, float):
        if math.isnan(value):
            return MISSING
        if value.is_integer():
            value = int(value)
    return str(value).replace(".", ",").replace("-", "\u2212")

"""File and anchor names for figures and tables (``#fig-…``, ``#tbl-…``, ``figurer/<name>.svg``)."""

from __future__ import annotations

import re


def slug(text: str) -> str:
    """A file and anchor name: ``Örebro län 2024`` → ``orebro-lan-2024``."""
    table = str.maketrans("åäöéüÅÄÖÉÜ", "aaoeuaaoeu")
    return re.sub(r"[^a-z0-9]+", "-", text.translate(table).lower()).strip("-") or "figur"

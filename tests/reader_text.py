"""What a reader must never see in the public report, as checks shared by the tests.

Tool words: commands, file paths, file types, the catalogue's internal ids, column names and the
project's own jargon ("ögonblicksbild", "källfilerna"), repository hosting. Repeated phrases:
"per sektor per sektor", "antal, antal", "Källa: MUCF, MUCF".
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from rus_analysis.report.typography import repeated_phrases

TOOL_PATTERNS = [
    r"\brus (data|report|kommentar|notebooks)\b", r"\bdata/", r"\bparams/", r"\.yml\b", r"\.csv\b",
    r"ögonblicksbild", r"källfil", r"github", r"\bkolumnen\b", r"\bcommit\b", r"`",
]


def catalogue_ids(project: Path) -> list[str]:
    """The catalogue's snake_case ids (indicators and kraftsamlingar)."""
    catalogue = yaml.safe_load((project / "params" / "indikatorer.yml").read_text(encoding="utf-8"))
    ids = [i["id"] for i in catalogue["indicators"]] + [k["id"] for k in catalogue["kraftsamlingar"]]
    return [i for i in ids if "_" in i]


def tool_words(text: str, ids: list[str]) -> list[str]:
    """Every tool word found in ``text`` (empty when the text is clean)."""
    found = []
    lower = text.lower()
    for pattern in TOOL_PATTERNS:
        found += [m.group(0) for m in re.finditer(pattern, lower)]
    found += [i for i in ids if re.search(rf"\b{re.escape(i)}\b", text)]
    return found


def repeated(text: str) -> list[str]:
    return repeated_phrases(text)

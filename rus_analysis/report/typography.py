"""Swedish typography for generated text: no-break spaces, no doubled words, tidy labels.

Applied to everything the package generates (sentences, captions, table cells, chart titles),
never to the analysts' own Markdown. Rules, from Språkrådet's *Svenska skrivregler*:

- a number's digit groups stay on one line: ``1 000`` (no-break space, U+00A0);
- a number stays with its unit or its ``år``: ``20–64 år``, ``22,0 procent``, ``4 500 ton``;
- an abbreviation is followed by a space: ``inkl. avlopp``, not ``inkl.avlopp``;
- a phrase is not said twice: ``Utsläpp per sektor`` + ``per sektor`` is said once.
"""

from __future__ import annotations

import re

from rus_analysis.report.markup import keep_kind

NBSP = "\u00a0"

# Words that belong to the number before them (units and "år").
_UNIT_WORDS = (
    "år", "procent", "procentenheter", "procentenhet", "ton", "kronor", "krona", "kr", "GWh",
    "MWh", "kWh", "mnkr", "invånare", "personer", "företag", "kommuner", "län", "gånger",
)
_DIGIT_GROUPS = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_NUMBER_UNIT = re.compile(r"(?<=\d) (?=(?:" + "|".join(_UNIT_WORDS) + r")\b)")
_ABBREVIATION = re.compile(r"\b(inkl|exkl|bl\.a|t\.ex|s\.k|ca|resp)\.(?=[^\s.,;:)\]])")
_REPEAT = re.compile(r"\b(?P<phrase>[^\W\d_]+(?:[ ,]+[^\W\d_]+){0,3})(?:,? )(?P=phrase)\b",
                     re.IGNORECASE)


def tidy(text: str) -> str:
    """No-break spaces inside numbers and between a number and its unit; ``inkl. avlopp``.

    ``tidy("1 000 invånare 20–64 år")`` → ``1\\u00a0000\\u00a0invånare 20–64\\u00a0år``.
    Years stay as they are (``2024``); a space between two years is left alone only because
    years have four digits, never three.
    """
    changed = _ABBREVIATION.sub(lambda m: m.group(0) + " ", text)
    changed = _DIGIT_GROUPS.sub(NBSP, changed)
    return keep_kind(text, _NUMBER_UNIT.sub(NBSP, changed))  # Markdown stays Markdown


def label(text: str) -> str:
    """A category label from the data (a sector, a group): ``Avfall (inkl.avlopp)`` becomes
    ``Avfall (inkl. avlopp)``; nothing else changes."""
    return _ABBREVIATION.sub(lambda m: m.group(0) + " ", str(text))


def _words(text: str) -> list[str]:
    return re.sub(r"[\s\u00a0]+", " ", text).strip().split(" ")


def join_phrase(title: str, phrase: str) -> str:
    """``title`` followed by ``phrase``, without saying the words they share twice.

    ``join_phrase("Utsläpp per sektor", "per sektor")`` → ``Utsläpp per sektor``;
    ``join_phrase("… efter vistelsetid", "efter vistelsetid i Sverige")`` →
    ``… efter vistelsetid i Sverige``.
    """
    phrase = phrase.strip()
    if not phrase:
        return title
    head, tail = _words(title), _words(phrase)
    lower_head = [w.lower() for w in head]
    lower_tail = [w.lower() for w in tail]
    for overlap in range(min(len(head), len(tail)), 0, -1):
        if lower_head[-overlap:] == lower_tail[:overlap]:
            rest = " ".join(tail[overlap:])
            return f"{title.rstrip()} {rest}".rstrip() if rest else title.rstrip()
    if " ".join(lower_tail) in " ".join(lower_head):
        return title.rstrip()
    return f"{title.rstrip()} {phrase}"


def caption(*parts: str) -> str:
    """Caption parts joined with commas, leaving out a part the previous ones already end with.

    ``caption("Nystartade företag, antal", "antal", "2010–2021")`` →
    ``Nystartade företag, antal, 2010–2021``.
    """
    text = ""
    for part in parts:
        part = (part or "").strip()
        if not part:
            continue
        if text and _words(text)[-len(_words(part)):] == _words(part):
            continue
        text = f"{text}, {part}" if text else part
    return text


def repeated_phrases(text: str) -> list[str]:
    """Phrases of one to four words said twice in a row (``per sektor per sektor``,
    ``antal, antal``, ``MUCF, MUCF``): what a reader sees as a slip. For tests and checks."""
    found = []
    for line in text.splitlines():  # a heading and the paragraph under it are not one phrase
        plain = re.sub(r"[\s\u00a0]+", " ", line)
        found += [m.group(0) for m in _REPEAT.finditer(plain)]
    return found

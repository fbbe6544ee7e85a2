"""Swedish for argparse's own texts, for the helper scripts in ``scripts/``.

The ``rus`` command is typer (:mod:`rus_analysis.cli.swedish`); the scripts use the standard
library's argparse, whose headings, help option and error messages go through its module-level
``gettext`` calls (``argparse._`` and ``argparse.ngettext``, Python 3.11–3.13). :func:`argument_parser`
routes those two names through :data:`TEXTS` (English message id → Swedish), so ``--help`` and a
wrong argument read in Swedish. A text missing from the table stays English, so a new Python
version can never hide an error.
"""

from __future__ import annotations

import argparse

TEXTS = {
    "usage: ": "Användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "show program's version number and exit": "visa versionen och avsluta",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "okända argument: %s",
    "the following arguments are required: %s": "de här argumenten saknas: %s",
    "one of the arguments %s is required": "ett av argumenten %s behövs",
    "not allowed with argument %s": "går inte ihop med argumentet %s",
    "expected one argument": "ett värde behövs",
    "expected at most one argument": "högst ett värde",
    "expected at least one argument": "minst ett värde behövs",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "invalid %(type)s value: %(value)r": "ogiltigt värde (%(type)s): %(value)r",
    "ambiguous option: %(option)s could match %(matches)s":
        "flaggan %(option)s är tvetydig, den kan vara %(matches)s",
    "ignored explicit argument %r": "värdet %r tas inte emot",
    "can't open '%(filename)s': %(error)s": "kan inte öppna '%(filename)s': %(error)s",
}
PLURAL_TEXTS = {
    ("expected %s argument", "expected %s arguments"): ("%s värde behövs", "%s värden behövs"),
}


def _gettext(message: str) -> str:
    return TEXTS.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    swedish = PLURAL_TEXTS.get((singular, plural))
    if swedish:
        return swedish[0] if n == 1 else swedish[1]
    return singular if n == 1 else plural


def argument_parser(description: str, **kwargs) -> argparse.ArgumentParser:
    """An ``argparse.ArgumentParser`` whose own texts (headings, ``-h``, errors) are Swedish.

    ``description`` and every argument's ``help`` are the caller's, in Swedish. Errors exit 2
    with ``<prog>: fel: …`` on stderr, as argparse does."""
    argparse._ = _gettext
    argparse.ngettext = _ngettext
    return argparse.ArgumentParser(description=description, **kwargs)


def positive_count(text: str) -> int:
    """An argparse ``type`` for a count of runs: a whole number of at least 1 (Swedish message)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} är inget heltal större än 0")
    return value

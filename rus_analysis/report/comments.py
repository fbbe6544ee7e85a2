"""The analysts' own words: ``kommentarer/<år>/<id>.md`` per indicator and per kraftsamling.

A comment is the analyst's Markdown, shown under the heading "Analys" after the generated facts.
It is trusted text and is not escaped (it is their Markdown: emphasis, lists and links work), but
nothing in it may run or inject output-format code, so these are refused with a Swedish message
naming the file and line:

- raw blocks and raw inline code for a format (```` ```{=typst} ````, ```` `…`{=html} ````);
- executable chunks (```` ```{python} ````, ```` `{python} …` ````) and Quarto shortcodes
  (``{{< include … >}}``);
- HTML tags (``<script>``, ``<div …>``); HTML comments ``<!-- … -->`` are allowed and never shown;
- code of any kind, also code that would only be shown: fenced blocks (```` ``` ```` or ``~~~``),
  indented code blocks and `` `inline code` `` (kommentarer/README.md: a comment is prose).

Also refused: a footnote nobody refers to, one written twice, and a reference to a footnote
that is not there.
When shown (:meth:`Comment.markdown`), footnote labels are made the comment's own
(:func:`own_footnotes`), a note in a link's text moves after the link (:func:`notes_after_links`)
and a bare web address becomes a link (:func:`link_bare_addresses`).

In the report a comment sits in a ``.rus-kommentar`` div under an unnumbered "Analys" heading:
its own headings are unnumbered too, and the renderers' filters give its uncaptioned tables no
table number (``_extensions/rus/typst-text.lua`` for typst on both paths,
``build/templates/rapport-html.lua`` for the built-in HTML), so it never shifts the report's
own numbering.

Each file starts with a front matter recording the data it was written against::

    ---
    id: sysselsattningsgrad_bas
    rapportar: 2025
    data-fingerprint: sha256:3f2a…
    ---

``rus kommentar ny <id>`` writes it; when the data change afterwards, ``rus rapport`` warns in the
terminal (never in the report) that the comment may need a new look.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from rus_analysis.config.catalogue import Catalogue
from rus_analysis.config.yaml_files import yaml_error_text
from rus_analysis.errors import ConfigError
from rus_analysis.report.markup import READER_FORMAT, Markdown, authored

COMMENTS_DIR = "kommentarer"
FINGERPRINT_KEY = "data-fingerprint"
HEADING = "Analys"
# The fence is longer than any an analyst would write, so theirs cannot close it.
_OPEN_DIV = Markdown(":::::::::::: {.rus-kommentar}\n")
_CLOSE_DIV = Markdown("\n\n::::::::::::\n")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
# A footnote's label: ``[^1]``, ``[^källa]`` (pandoc: no spaces, no brackets).
_LABEL_NAME = r"[^\]\s]+"
_REFUSED = [
    (re.compile(r"^\s*(`{3,}|~{3,})\s*\{\s*=", re.M), "ett råblock för ett utdataformat ({=…})"),
    (re.compile(r"`[^`\n]*`\{\s*=", re.M), "råkod för ett utdataformat (`…`{=…})"),
    (re.compile(r"^\s*(`{3,}|~{3,})\s*\{\s*[A-Za-z]", re.M), "ett kodblock som körs ({python} e.d.)"),
    (re.compile(r"`\{\s*[A-Za-z]+\s*\}"), "inline-kod som körs (`{python} …`)"),
    (re.compile(r"\{\{<"), "en Quarto-kortkod ({{< … >}})"),
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])[^>]*>"), "en HTML-tagg"),
    (re.compile(r"^[ \t]*(?:[-*+>][ \t]+|\d+[.)][ \t]+)*(`{3,}|~{3,})", re.M),
     "ett kodblock (``` eller ~~~)"),
    # A code span: backticks closed later in the same paragraph (a blank line ends it).
    (re.compile(r"(`+)(?:(?!\n[ \t]*\n).)+?\1", re.S), "kod inom bakåtfnuttar (`…`)"),
    # An image would be read from the build folder (typst: "file not found", half English); a
    # comment's charts and pictures belong in the notebook.
    (re.compile(r"!\[[^\]\n]*\]\s*[(\[]"), "en bild (![…](…))"),
    # A link runs in a reader's browser: only web and mail addresses and the report's own headings
    # (#…), in the inline, <…> and [id]: forms. A relative path would point into the build folder
    # or a reader's disk. A footnote ([^1]: …) is no link definition.
    # (Possessive *+ and ?+: the spaces before the target may not be given back to the check.)
    (re.compile(r"\]\(\s*+<?+\s*+(?!https?://|mailto:|#)"
                r"|<(?!https?:|mailto:)[A-Za-z][A-Za-z0-9+.-]*:"
                r"|^[ \t]{0,3}\[(?!\^" + _LABEL_NAME + r"\]:)[^\]\n]+\]:[ \t]*+<?+(?!https?://|mailto:|#)",
                re.M | re.I),
     "en länk som inte är en webbadress (https://…), en e-postadress (mailto:…) eller en rubrik i "
     "rapporten (#…), till exempel javascript: eller en sökväg till en fil"),
]
_INDENTED_CODE = "ett indraget kodblock (rader med fyra mellanslag eller en tabb först)"


@dataclass(frozen=True)
class Comment:
    """One analyst comment: its file, the front matter and the Markdown body."""

    path: Path
    meta: dict
    body: str

    @property
    def visible(self) -> bool:
        """Whether anything would show: a new file holds only an HTML comment."""
        return bool(_HTML_COMMENT.sub("", self.body).strip())

    def markdown(self, level: int = 3) -> Markdown:
        """``### Analys`` and the analyst's Markdown (authored markup, not escaped) in a
        ``.rus-kommentar`` div, its headings shifted below "Analys" and unnumbered."""
        body = _HTML_COMMENT.sub("", self.body).strip()
        body = link_bare_addresses(own_footnotes(notes_after_links(body), self.path.stem))
        body = unnumbered_headings(shift_headings(body, level + 1))
        return (Markdown("#") * level + Markdown(" ") + HEADING + Markdown(" {.unnumbered}\n\n")
                + _OPEN_DIV + authored(body) + _CLOSE_DIV)

    def _repr_markdown_(self) -> Markdown:
        return self.markdown()


def comments_dir(project_root: Path, year: int) -> Path:
    """``<project>/kommentarer/<year>/``: the analysts' comments for one report year."""
    return Path(project_root) / COMMENTS_DIR / str(year)


def comment_path(project_root: Path, year: int, item_id: str) -> Path:
    """``<project>/kommentarer/<year>/<id>.md``: the comment on one indicator or kraftsamling."""
    return comments_dir(project_root, year) / f"{item_id}.md"


_SETEXT = re.compile(r"(?:\A|(?<=\n\n))(?P<text>[^\n#|:>\s-][^\n]*)\n[ \t]{0,3}(?P<rule>=+|-+)[ \t]*(?=\n|\Z)")


def atx_headings(markdown: str) -> str:
    """Underlined (setext) headings (``Rubrik`` over ``=====`` or ``-----``) written as ``#``
    headings, so :func:`shift_headings` sees every heading."""
    return _SETEXT.sub(lambda m: ("# " if m.group("rule")[0] == "=" else "## ") + m.group("text").strip(),
                       markdown)


def unnumbered_headings(markdown: str) -> str:
    """Every ``#`` heading marked ``.unnumbered`` (added to its ``{…}`` attributes if it has them):
    a comment's headings never take a section number ("4.0.1") in the PDF or the HTML."""
    def mark(m: re.Match) -> str:
        text = m.group(2).rstrip()
        attributes = re.search(r"\{([^{}]*)\}\s*$", text)
        if attributes:
            if ".unnumbered" in attributes.group(1).split():
                return m.group(0)
            return f"{m.group(1)} {text[:attributes.start()]}{{{attributes.group(1).strip()} .unnumbered}}"
        return f"{m.group(1)} {text} {{.unnumbered}}"
    return re.sub(r"^(#{1,6})[ \t]+(.*)$", mark, markdown, flags=re.M)


def shift_headings(markdown: str, lowest: int) -> str:
    """The analyst's headings (``#`` or underlined) start at ``lowest``, so they sit under
    "Analys", and go down one level at a time: a skipped level ("#" then "###") would break the
    PDF's heading structure (PDF/UA-1 refuses a jump from level 4 to 6), so it is closed up."""
    markdown = atx_headings(markdown)
    levels = [len(m.group(1)) for m in re.finditer(r"^(#{1,6})\s", markdown, re.M)]
    if not levels:
        return markdown
    top = min(levels)
    previous = lowest - 1

    def level(m: re.Match) -> str:
        nonlocal previous
        previous = min(6, len(m.group(1)) - top + lowest, previous + 1)
        return "#" * previous

    return re.sub(r"^(#{1,6})(?=\s)", level, markdown, flags=re.M)


def check_markdown(text: str, path: Path, first_line: int = 1) -> None:
    """Refuse what could run code or inject raw typst/HTML (see the module docstring).

    ``first_line`` is the file's line number of ``text``'s first line (after a front matter),
    so the message names the line as the analyst's editor shows it."""
    visible = _HTML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    for pattern, what in _REFUSED:
        found = pattern.search(visible)
        if found:
            line = visible.count("\n", 0, found.start()) + first_line
            raise _refusal(path, line, what)
    line = _indented_code_line(visible)
    if line is not None:
        raise _refusal(path, line + first_line - 1, _INDENTED_CODE)
    _check_footnotes(visible, path, first_line)


# A definition starts its line, also inside a quote or a list item (after "> ", "- ", "1. ").
_FOOTNOTE_DEFINITION = re.compile(r"^(?:[ \t]*(?:>|[-*+]|\d+[.)])(?=[ \t]))*[ \t]*(\[\^(" + _LABEL_NAME + r")\]):",
                                  re.M)
_FOOTNOTE_LABEL = re.compile(r"(?<!\\)\[\^(" + _LABEL_NAME + r")\]")  # not an escaped \[^1]


@dataclass(frozen=True)
class _Label:
    label: str
    start: int  # offset of "[^" in the text


def _check_footnotes(text: str, path: Path, first_line: int) -> None:
    """Every footnote is referred to, written once, and every reference has its footnote: pandoc
    drops a footnote nobody refers to without a word, shows only the last of two with one label
    (the other's references show its text) and prints a reference without one as ``[^1]``."""
    definitions = [_Label(m.group(2), m.start(1)) for m in _FOOTNOTE_DEFINITION.finditer(text)]
    starts = {d.start for d in definitions}
    defined = {d.label: d for d in reversed(definitions)}  # the first of each label
    referred: dict[str, _Label] = {}
    for m in _FOOTNOTE_LABEL.finditer(text):
        if m.start() not in starts:
            referred.setdefault(m.group(1), _Label(m.group(1), m.start()))
    lone = ([(d, f"har fotnoten [^{d.label}] en gång till (första gången på rad "
                 f"{text.count(chr(10), 0, defined[d.label].start) + first_line}); bara den sista "
                 "skulle synas. Ge den ena ett annat namn, till exempel [^2], i noten och i hänvisningen")
             for d in definitions if defined[d.label] is not d]
            + [(d, f"har fotnoten [^{label}] men ingen hänvisning till den, så den skulle inte synas "
                 f"i rapporten. Skriv [^{label}] i texten där noten hör hemma, eller ta bort fotnoten")
             for label, d in defined.items() if label not in referred]
            + [(r, f"hänvisar till fotnoten [^{label}], som inte finns. Skriv fotnoten på en egen "
                   f"rad, till exempel \"[^{label}]: Källa: SCB.\", eller ta bort hänvisningen")
               for label, r in referred.items() if label not in defined])
    if lone:
        found, what = min(lone, key=lambda item: item[0].start)
        line = text.count("\n", 0, found.start) + first_line
        raise ConfigError(f"Kommentaren {path} (rad {line}) {what}, och bygg igen.")


_NOTE_IN_LINK_TEXT = re.compile(r"\[((?:[^\[\]\n]|\[\^" + _LABEL_NAME + r"\])*?)\]\(([^)\n]*)\)")


def notes_after_links(markdown: str) -> str:
    """A footnote reference inside a link's text moved after the link:
    ``[SCB:s tabell[^1]](https://…)`` → ``[SCB:s tabell](https://…)[^1]``. In the HTML the note's
    own link would sit inside the other link, which a browser cuts short."""
    def move(m: re.Match) -> str:
        notes = _FOOTNOTE_LABEL.findall(m.group(1))
        if not notes:
            return m.group(0)
        text = _FOOTNOTE_LABEL.sub("", m.group(1))
        return f"[{text}]({m.group(2)})" + "".join(f"[^{label}]" for label in notes)
    return _NOTE_IN_LINK_TEXT.sub(move, markdown)


def own_footnotes(markdown: str, prefix: str) -> str:
    """Footnote labels made the comment's own (``[^1]`` → ``[^<prefix>-1]``): the report is one
    document, and pandoc gives every ``[^1]`` the text of the last ``[^1]:`` in it, so two
    comments with a note ``[^1]`` would otherwise both show the second one's text."""
    return _FOOTNOTE_LABEL.sub(lambda m: f"[^{prefix}-{m.group(1)}]", markdown)


_BARE_ADDRESS = re.compile(
    r"(?P<keep>\[[^\[\]\n]*\]\([^)\n]*\)"  # an inline link, its text and target
    r"|<[^<>\s]+>"                         # an autolink <https://…>
    r"|^[ \t]{0,3}\[[^\]\n]+\]:.*$"        # a reference definition line
    r"|\{[^{}\n]*\}"                       # attributes {#id .class}
    r"|\[\^" + _LABEL_NAME + r"\])"     # a footnote label
    r"|(?P<url>(?:https?://|mailto:)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"])", re.M)


def link_bare_addresses(markdown: str) -> str:
    """The analyst's prose with every bare web or mail address an autolink ``<https://…>``: so
    ``*`` or ``_`` in it is no emphasis, and it is a link in both outputs. Links, attributes and
    footnote labels are left as they are. (An overlong word is broken by the typst template,
    ``_extensions/rus/typst-template.typ``, for all text, not only comments.)"""
    def link(m: re.Match) -> str:
        if m.group("url"):
            url, after = m.group("url"), ""
            # "*Läs på https://scb.se/a*": a closing * or _ is emphasis, not the address's, when
            # the paragraph opened it before the address.
            paragraph = m.string[m.string.rfind("\n\n", 0, m.start()) + 1:m.start()]
            bare = url.rstrip("*_")
            if bare != url and set(url[len(bare):]) <= set(paragraph):
                url, after = bare, url[len(bare):]
            return f"<{url}>{after}"
        return m.group(0)
    return _BARE_ADDRESS.sub(link, markdown)


def _refusal(path: Path, line: int, what: str) -> ConfigError:
    return ConfigError(
        f"Kommentaren {path} (rad {line}) innehåller {what}. En kommentar är ren Markdown: "
        "rubriker, stycken, listor, fetstil, kursiv, länkar och tabeller går bra, men kod (även "
        "kod som bara skulle visas), HTML och råa typst- eller HTML-block tas inte med i "
        "rapporten. Ta bort det och bygg igen.")


def _indented_code_line(text: str) -> int | None:
    """The 1-based line of the first indented code block pandoc would read in ``text``, or None.

    pandoc (the report's reader) decides: a list item's indented continuation is no code block,
    and only pandoc knows where a list ends. The line is the first indented line holding the
    block's first line."""
    if not re.search(r"^(?: {4}|\t)", text, re.M):
        return None
    import pypandoc  # a dependency of the renderer; only needed when something is indented

    tree = json.loads(pypandoc.convert_text(text, "json", format=READER_FORMAT))
    first = _first_code_block(tree["blocks"])
    if first is None:
        return None
    wanted = first.splitlines()[0].strip() if first.strip() else ""
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(r"(?: {4}|\t)", line) and wanted in line:
            return number
    return 1


def _first_code_block(node) -> str | None:
    if isinstance(node, dict):
        if node.get("t") == "CodeBlock":
            return node["c"][1]
        return _first_code_block(node.get("c"))
    if isinstance(node, list):
        for child in node:
            found = _first_code_block(child)
            if found is not None:
                return found
    return None


def read_comment(path: Path) -> Comment:
    """Read and check one comment file. Raises ConfigError (Swedish) on unsafe content or a
    broken front matter."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"Kommentaren {path} är inte sparad som UTF-8. Spara om den som UTF-8.") from exc
    meta: dict = {}
    first_line = 1
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            meta = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"Kommentaren {path} har ett trasigt huvud (front matter mellan ---), "
                              f"{yaml_error_text(exc, first_line=2)}.") from exc
        if not isinstance(meta, dict):
            raise ConfigError(f"Kommentaren {path}: huvudet mellan --- ska vara nyckel: värde.")
        first_line += text.count("\n", 0, match.end())
        text = text[match.end():]
    check_markdown(text, path, first_line)
    return Comment(path, meta, text)


def find_comment(project_root: Path, year: int, item_id: str) -> Comment | None:
    """The comment for an indicator or kraftsamling, or None when there is none (or it is empty)."""
    path = comment_path(project_root, year, item_id)
    if not path.is_file():
        return None
    comment = read_comment(path)
    return comment if comment.visible else None


# --- fingerprints --------------------------------------------------------------------------

def _series_files(data_dir: Path, indicator_ids: list[str]) -> list[Path]:
    return [Path(data_dir) / "series" / f"{i}.csv" for i in sorted(indicator_ids)]


def fingerprint(data_dir: Path, indicator_ids: list[str]) -> str:
    """``sha256:…`` over the named series' data files (a missing file counts as missing)."""
    digest = hashlib.sha256()
    for path in _series_files(data_dir, indicator_ids):
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"<saknas>")
    return f"sha256:{digest.hexdigest()}"


def indicators_for(catalogue: Catalogue, item_id: str) -> list[str]:
    """The series a comment is about: the indicator itself, or a kraftsamling's indicators."""
    if any(k.id == item_id for k in catalogue.kraftsamlingar):
        return [i.id for i in catalogue.for_kraftsamling(item_id)]
    catalogue.get(item_id)  # KeyError for an unknown id
    return [item_id]


def new_comment(project_root: Path, year: int, item_id: str, catalogue: Catalogue,
                data_dir: Path | None = None) -> Path:
    """Create ``kommentarer/<år>/<id>.md`` with the data fingerprint; never overwrites."""
    known = [k.id for k in catalogue.kraftsamlingar] + [i.id for i in catalogue.indicators]
    if item_id not in known:
        raise ConfigError(f"{item_id!r} är varken en indikator eller en kraftsamling i "
                          f"params/indikatorer.yml. Kända id:n: {', '.join(known)}.")
    path = comment_path(project_root, year, item_id)
    if path.exists():
        raise ConfigError(f"Kommentaren {path} finns redan. Öppna den och skriv vidare i den.")
    data_dir = Path(data_dir) if data_dir is not None else Path(project_root) / "data"
    meta = {"id": item_id, "rapportar": year,
            FINGERPRINT_KEY: fingerprint(data_dir, indicators_for(catalogue, item_id))}
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
    title = next((k.title for k in catalogue.kraftsamlingar if k.id == item_id), None) or \
        catalogue.get(item_id).title
    text = (f"---\n{header}\n---\n\n"
            f"<!-- Analys av {title} i rapporten {year}. Skriv i Markdown under den här raden;\n"
            "     texten visas under rubriken \"Analys\" efter diagrammen och tabellerna.\n"
            "     Till exempel: vad driver förändringen, och vad gör partnerskapet åt den?\n"
            "     Raden data-fingerprint ovan visar vilka data texten skrevs mot: bygget varnar\n"
            "     när data har ändrats sedan dess. Ta bort den här kommentaren när du vill. -->\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite
        handle.write(text)
    return path


def stale_comments(project_root: Path, year: int, catalogue: Catalogue,
                   data_dir: Path | None = None) -> list[str]:
    """Swedish warnings for the terminal: comments whose data changed since they were written,
    comments for unknown ids, and comments without a fingerprint. Never shown in the report."""
    folder = comments_dir(project_root, year)
    if not folder.is_dir():
        return []
    data_dir = Path(data_dir) if data_dir is not None else Path(project_root) / "data"
    warnings = []
    for path in sorted(folder.glob("*.md")):
        try:
            comment = read_comment(path)
            ids = indicators_for(catalogue, path.stem)
        except KeyError:
            warnings.append(f"Kommentaren {path} hör inte till någon indikator eller kraftsamling "
                            "och visas inte.")
            continue
        recorded = comment.meta.get(FINGERPRINT_KEY)
        if not recorded:
            warnings.append(f"Kommentaren {path} saknar {FINGERPRINT_KEY}; det går inte att se "
                            "vilka data den skrevs mot.")
        elif recorded != fingerprint(data_dir, ids):
            warnings.append(f"Data har ändrats sedan kommentaren {path} skrevs. Läs igenom den och "
                            f"uppdatera {FINGERPRINT_KEY} (eller skapa den på nytt) när den stämmer.")
    return warnings


def refresh_fingerprint(project_root: Path, year: int, item_id: str, catalogue: Catalogue,
                        data_dir: Path | None = None) -> Path:
    """Record that a comment has been read against today's data: rewrite its fingerprint only."""
    path = comment_path(project_root, year, item_id)
    if not path.is_file():
        raise ConfigError(f"Kommentaren {path} finns inte. Skapa den med: rus kommentar ny {item_id}")
    comment = read_comment(path)
    data_dir = Path(data_dir) if data_dir is not None else Path(project_root) / "data"
    meta = {**comment.meta, FINGERPRINT_KEY: fingerprint(data_dir, indicators_for(catalogue, item_id))}
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
    body = comment.body if comment.body.startswith("\n") else "\n" + comment.body
    temporary = path.with_suffix(".md.tmp")
    temporary.write_text(f"---\n{header}\n---\n{body}", encoding="utf-8")
    temporary.replace(path)
    return path

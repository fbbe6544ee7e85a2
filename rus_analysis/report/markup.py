"""Text into Pandoc Markdown: the one place where words from data become report markup.

Everything the report says is Pandoc Markdown, read by pandoc (built-in renderer) or by Quarto's
reader, and written to HTML and typst. Text that comes from data, provenance, the catalogue
(``params/indikatorer.yml``) or the year's params is *text*: ``@analysgruppen`` is not a
citation, ``*`` not emphasis, ``$`` not math, ``<img …>`` not HTML, ```#read(…)`{=typst}`` not typst
code, ``//`` not a comment. This module makes that hold by construction:

- :func:`escape` turns any text into Markdown that pandoc reads back as exactly that text (a
  run of ``Str``/``Space`` inlines, nothing else): ASCII punctuation is backslash-escaped,
  ``( ) [ ]`` and spaces other than " " become character references. The same escaped form is
  right in running text, headings, table cells, ``: caption`` lines, image descriptions ``![…]``,
  double-quoted attribute values
  (``fig-alt="…"``) and YAML metadata strings. Whitespace runs become one space (a text is one
  line, so it can never start a block), and control characters are dropped.
- :class:`Markdown` is a ``str`` that *is* markup, written by the package's own code. It combines
  like ``markupsafe.Markup``: ``Markdown("**Mål.** {}").format(goal)``, ``md + text``,
  ``Markdown("\\n").join(parts)`` escape every part that is not already ``Markdown``.
- :func:`rus_analysis.report.display.show` publishes a ``Markdown`` as it is and escapes any
  other ``str``: a plain string in a notebook is shown as the words it holds.

How to write report text (for every module that produces Markdown)::

    from rus_analysis.report.markup import Markdown, escape

    Markdown("## {}\\n\\n{}").format(indicator.title, indicator.description)   # data escaped
    Markdown("- **Källa:** ") + record["agency"]                             # escaped
    escape(sentence)                                                         # a plain sentence

Never ``Markdown(f"…{data}…")``: an f-string is formatted before ``Markdown`` sees it, so the
data would pass as markup (``tests/unit/test_markup.py`` rejects any ``Markdown(...)`` call on
something other than a string literal, outside this module). The other helpers:

- :func:`link_target` for an image or link path (``![…](<path>)``), spaces and ``Ö`` included;
- :func:`link` for a web address from the catalogue (a link only for http(s));
- :func:`identifier` for an anchor (``{#fig-…}``, ``{#tbl-…}``), which pandoc reads unescaped;
- :func:`authored` for Markdown an analyst wrote as Markdown (commentary files);
- :func:`unescape` to read generated Markdown's words back (tests, text checks).

Properties (tested with hypothesis against pandoc's own reader, with pandoc's default Markdown
extensions and with the built-in renderer's restricted reader, :data:`READER_FORMAT`):
``pandoc -f markdown`` of ``escape(s)`` is one paragraph of ``Str``/``Space`` whose text equals
:func:`normalise_space` ``(s)``; the same holds inside a double-quoted attribute value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any, SupportsIndex

__all__ = ["Markdown", "READER_FORMAT", "authored", "escape", "keep_kind", "link", "link_target", "markdown_or_text",
           "identifier", "normalise_space", "read_link_target", "unescape"]

# Pandoc's Markdown reader with the extensions that turn text into something active switched off:
# a second line of defence behind escape() for the built-in renderer (Quarto has its own reader
# defaults, so escape() must hold on its own). What the report's own Markdown uses stays on:
# pipe tables and their captions, fenced divs (callouts), bracketed spans (status colours),
# attributes on images and headings, implicit figures.
READER_FORMAT = "markdown" + "".join(f"-{extension}" for extension in (
    "raw_html",                # <img onerror=…>, <script>
    "raw_attribute",           # `…`{=typst}, ```{=html}
    "raw_tex",                 # \input{…}
    "citations",               # @name → a citation typst cannot resolve
    "tex_math_dollars",        # $…$
    "tex_math_single_backslash",
    "tex_math_double_backslash",
    "latex_macros",
    "native_divs",             # <div> → Div (needs raw HTML anyway)
    "native_spans",
    "yaml_metadata_block",     # a --- block could set header-includes
    "pandoc_title_block",      # % title at the start of the document
    "autolink_bare_uris",
    "emoji",
))

# ASCII punctuation, and every space other than " " (no-break spaces and the like: pandoc's
# attribute parser stops at a value that starts with one).
_ACTIVE = re.compile(r"[!-/:-@\[-`{-~]|[^\S ]")
# Brackets and parentheses as character references, not backslash escapes: with the
# tex_math_single_backslash extension (off in pandoc, on in some readers) ``\(…\)`` and
# ``\[…\]`` would be math.
_REFERENCES = {"(": "&#40;", ")": "&#41;", "[": "&#91;", "]": "&#93;"}
# What pandoc's Markdown reader treats as a line break or blank: folded into one space.
_SPACE = re.compile("[\t\n\v\f\r \x85\u2028\u2029]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def normalise_space(text: str) -> str:
    """The text as :func:`escape` keeps it: ASCII whitespace and line/paragraph separators
    folded into single spaces, stripped at both ends; control characters (Unicode category
    ``Cc``) and byte order marks (U+FEFF, which pandoc's reader drops) dropped; lone surrogates
    replaced by U+FFFD. Other characters, including no-break and narrow no-break spaces
    (``4 500``), are kept exactly."""
    text = _SURROGATE.sub("\ufffd", str(text)).replace("\ufeff", "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or _SPACE.match(ch))
    return _SPACE.sub(" ", text).strip(" ")


def escape(text: Any) -> Markdown:
    """Markdown that reads back as exactly ``normalise_space(str(text))``: every ASCII punctuation
    character is backslash-escaped (pandoc's ``all_symbols_escapable``, on by default and in
    Quarto), except ``( ) [ ]`` and spaces other than " " (``4 500``), which become character
    references (``&#40;``, ``&#160;``). Safe in running text, headings, table cells (``|`` is escaped), captions,
    ``![…]`` and ``"…"`` attribute values. A :class:`Markdown` value is returned unchanged.
    Example: ``escape("Frågor: @analysgruppen")`` is ``Frågor\\: \\@analysgruppen``.

    Other ``str`` methods (``replace``, slicing, ``strip`` with characters) return a plain
    ``str``, which is escaped again when combined: trim or edit the text *before* escaping it.
    """
    if isinstance(text, Markdown):
        return text
    return Markdown(_ACTIVE.sub(_escape_one, normalise_space(text)))


def _escape_one(match: re.Match) -> str:
    char = match.group(0)
    if char.isspace():
        return f"&#{ord(char)};"
    return _REFERENCES.get(char) or "\\" + char


def link_target(path: str) -> Markdown:
    """An image or link destination, ``<…>`` with the path escaped like text: spaces,
    parentheses and non-ASCII letters are kept (pandoc's reader percent-encodes spaces in the
    URL it records, as in ``file%20name.png``; the renderers decode them; spaces at the very
    ends of the path are trimmed by pandoc). Raises ``ValueError``
    for a path with a line break or control character, which no file should have."""
    path = str(path)
    if any(unicodedata.category(ch) == "Cc" for ch in path) or _SURROGATE.search(path):
        raise ValueError(f"Sökvägen {path!r} innehåller styrtecken.")
    return Markdown("<" + _ACTIVE.sub(_escape_one, path) + ">")


_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|&#(\d+);")


def unescape(markdown: str) -> str:
    """Undo :func:`escape`'s escapes (``\\*`` → ``*``, ``&#40;`` → ``(``), leaving any other
    markup as it is: the words of generated Markdown, for tests and text checks."""
    return _UNESCAPE.sub(lambda m: m.group(1) or chr(int(m.group(2))), str(markdown))


def read_link_target(target: str) -> str:
    """The path back from :func:`link_target`'s ``<…>`` (or a bare destination, returned as it is)."""
    if not (target.startswith("<") and target.endswith(">")):
        return target
    return unescape(target[1:-1])


def keep_kind(original: str, changed: str) -> str:
    """``changed`` as the same kind of string as ``original``: Markdown stays Markdown.

    Only for edits that insert spaces or turn a space into a no-break space
    (:func:`rus_analysis.report.typography.tidy`): such an edit cannot split an escape (an escape
    never contains a space) nor make a character active."""
    return Markdown(changed) if isinstance(original, Markdown) else changed


_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.-]*")


def identifier(name: str) -> Markdown:
    """An anchor name for ``{#…}`` (``fig-syss-tidsserie``), which pandoc reads unescaped: only
    ASCII letters, digits and ``_ : . -`` are allowed (what :func:`~rus_analysis.report.anchors.slug`
    makes). Raises ``ValueError`` for anything else."""
    if not _IDENTIFIER.fullmatch(str(name)):
        raise ValueError(f"{name!r} kan inte vara ett ankarnamn (bara a–z, 0–9, _ : . -).")
    return Markdown(str(name))


_SCHEMES = ("https://", "http://")


def link(url: str, text: str | None = None) -> Markdown:
    """A link to a web page from data or the catalogue: ``[text](<url>)`` when ``url`` is an
    http(s) address without spaces, else the escaped text alone (a ``javascript:`` or ``file:``
    address never becomes a link). ``text`` defaults to the address itself."""
    url = str(url).strip()
    label = url if text is None else text
    if not url.lower().startswith(_SCHEMES) or any(ch.isspace() or unicodedata.category(ch) == "Cc"
                                                   for ch in url):
        return escape(label)
    return Markdown("[{}]({})").format(label, link_target(url))


def authored(text: str) -> Markdown:
    """Markdown an analyst wrote as Markdown in the project (a commentary file, a notebook's own
    cell), to be shown as markup. Never for text from data, provenance, the catalogue or params:
    those are text (:func:`escape`). The built-in renderer still reads it without raw HTML, raw
    typst, citations or math (:data:`READER_FORMAT`)."""
    return Markdown(str(text))


def markdown_or_text(value: Any) -> Markdown:
    """``value`` itself when it is :class:`Markdown`, else the escaped text of ``str(value)``."""
    return value if isinstance(value, Markdown) else escape(value)


class Markdown(str):
    """Pandoc Markdown written by the package's code: markup, shown as it is.

    Anything combined with it that is not ``Markdown`` is escaped first (see the module
    docstring), so data can only ever enter as text. Construct it from string *literals* only.
    """

    __slots__ = ()

    def __add__(self, other: Any) -> Markdown:
        return Markdown(str.__add__(self, markdown_or_text(other)))

    def __radd__(self, other: Any) -> Markdown:
        return Markdown(str.__add__(markdown_or_text(other), self))

    def __mul__(self, count: SupportsIndex) -> Markdown:
        return Markdown(str.__mul__(self, count))

    def join(self, parts: Iterable[Any]) -> Markdown:  # type: ignore[override]
        """Join the parts with this Markdown between them; plain-text parts are escaped, Markdown kept."""
        return Markdown(str.join(self, (markdown_or_text(p) for p in parts)))

    def format(self, *args: Any, **kwargs: Any) -> Markdown:  # type: ignore[override]
        """``str.format`` where plain-text arguments are escaped and Markdown arguments kept."""
        return Markdown(str.format(self, *(markdown_or_text(a) for a in args),
                                   **{k: markdown_or_text(v) for k, v in kwargs.items()}))

    def strip(self, chars: str | None = None) -> str:  # type: ignore[override]
        """Whitespace stripped stays Markdown (an escape never ends in whitespace); stripping
        other characters could cut an escape in half, so that gives a plain ``str``."""
        return Markdown(str.strip(self)) if chars is None else str.strip(self, chars)

    def rstrip(self, chars: str | None = None) -> str:  # type: ignore[override]
        """As ``strip``, on the right only."""
        return Markdown(str.rstrip(self)) if chars is None else str.rstrip(self, chars)

    def lstrip(self, chars: str | None = None) -> str:  # type: ignore[override]
        """As ``strip``, on the left only."""
        return Markdown(str.lstrip(self)) if chars is None else str.lstrip(self, chars)

    def __repr__(self) -> str:
        return f"Markdown({str.__repr__(self)})"

"""The one escaping function: any text, once escaped, is read back by pandoc as exactly that text.

Checked against pandoc's own Markdown reader (pypandoc's pinned pandoc, JSON output) with three
reader settings: pandoc's defaults, the built-in renderer's restricted reader, and a liberal
reader with every optional extension that could turn words into something else (as a stand-in for
readers with other defaults, such as Quarto's).
"""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import pypandoc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rus_analysis
from rus_analysis.report.markup import (
    READER_FORMAT,
    Markdown,
    escape,
    identifier,
    link,
    link_target,
    normalise_space,
    read_link_target,
    unescape,
)
from support import examples

LIBERAL = "markdown" + "".join(f"+{e}" for e in (
    "abbreviations", "alerts", "autolink_bare_uris", "emoji", "mark", "short_subsuperscripts",
    "tex_math_double_backslash", "tex_math_single_backslash", "wikilinks_title_after_pipe",
    "lists_without_preceding_blankline", "markdown_attribute",
))
READERS = {"pandoc-standard": "markdown", "inbyggd": READER_FORMAT, "liberal": LIBERAL}

HOSTILE = [
    "@analysgruppen",
    "Frågor: @analysgruppen.",
    '2025-11-20 <img src=x onerror="alert(document.domain)"> `#read("/etc/hostname")`{=typst} '
    '`#read("../hemlig.txt")`{=typst}',
    "<script>alert(1)</script>",
    "[klicka](javascript:alert(1))",
    "![](/etc/hostname)",
    "#read(\"/etc/hostname\")",
    "$x^2$ och \\(y\\) och \\[z\\]",
    "*fet* _kursiv_ **x** __y__ ~~z~~ ~sub~ ^sup^ ==mark==",
    "C:\\Users\\analytiker\\data.csv \\",
    "kvoten // se https://www.statistikdatabasen.scb.se/pxweb/sv/ssd/START__NR__NR0105/, statistik@example.se",
    "# Rubrik", "## Rubrik ##", "- punkt", "+ punkt", "* punkt", "1. första", "1) första",
    "A. stor", "iv. romersk", "(@) exempel", "> citat", ": definition", "| a | b |",
    "---", "***", "___", "% titel", "::: {.callout}", "```", "~~~", "    indrag",
    "[^1] fotnot ^[inline]", "{{< include /etc/passwd >}}", "{{{< meta title >}}}",
    "<!-- kommentar -->", "&lt;b&gt; &amp; &#64;", "x\\\ny", "rad ett\nrad två\n\nstycke två",
    "'enkla' \"dubbla\" -- --- ... Mr. Smith e.g. x", ":smile: [[Wiki]] [@ref] {#id .class}",
    "\\input{/etc/passwd} \\include{x} \\newcommand{\\x}{y}", "http://x.se <http://y.se> <a@b.se>",
    "4\u00a0500 och 1\u202f244 472", "tab\there", "\x00nul\x07bell\x1b[31m", "\u2028sep\u2029",
    "- [ ] uppgift", "Term\n:   definition", "x | y", "a\\|b", "\\", "`", "``x``", "<", "&",
]

PUNCTUATION = st.sampled_from(list(string.punctuation + " \n\t\\"))
TEXT = st.text(alphabet=st.one_of(PUNCTUATION, st.characters()), max_size=40)


def _inline_text(inlines: list[dict]) -> str:
    """The text of a run that must be only Str and Space; anything else fails."""
    parts = []
    for inline in inlines:
        if inline["t"] == "Str":
            parts.append(inline["c"])
        elif inline["t"] == "Space":
            parts.append(" ")
        else:
            raise AssertionError(f"not plain text: {json.dumps(inline, ensure_ascii=False)[:200]}")
    return "".join(parts)


def _document(texts: list[str]) -> str:
    """Each text in every place the report puts text: a paragraph, a heading, a table cell and
    caption, a figure caption and its fig-alt attribute."""
    blocks = []
    for text in texts:
        t = escape(text)
        blocks += [
            t,
            f"## {t}",
            f"| {t} | x |\n|---|---|\n| {t} | y |\n\n: {t}",
            f'![{t}](media/fig.png){{fig-alt="{t}" alt="{t}"}}',
        ]
    return "\n\n".join(blocks) + "\n"


def _read_back(texts: list[str], reader: str) -> list[str]:
    """What pandoc read, in the order :func:`_document` wrote it (four places per text)."""
    ast_json = json.loads(pypandoc.convert_text(_document(texts), "json", format=reader))
    assert ast_json["meta"] == {}, "escaped text must never become metadata"
    found = []
    for block in ast_json["blocks"]:
        kind, content = block["t"], block.get("c")
        if kind == "Para":
            found.append(_inline_text(content))
        elif kind == "Header":
            found.append(_inline_text(content[2]))
        elif kind == "Table":
            caption = content[1][1]
            head_cell = content[3][1][0][1][0][4]
            body_cell = content[4][0][3][0][1][0][4]
            for cell in (head_cell, body_cell):
                assert len(cell) == 1 and cell[0]["t"] == "Plain", cell
                found.append(_inline_text(cell[0]["c"]))
            assert len(caption) == 1, caption
            found.append(_inline_text(caption[0]["c"]))
        elif kind == "Figure":
            caption = content[1][1]
            assert len(caption) == 1, caption
            image = content[2][0]["c"][0]
            assert image["t"] == "Image", image
            # pandoc reads the alt attribute as the image's description (HTML alt=).
            found += [_inline_text(caption[0]["c"]), _inline_text(image["c"][1]),
                      dict(image["c"][0][2])["fig-alt"]]
        else:
            raise AssertionError(f"unexpected block {kind}: {json.dumps(block, ensure_ascii=False)[:300]}")
    return found


def _expected(texts: list[str]) -> list[str]:
    out = []
    for text in texts:
        t = normalise_space(text)
        out += [t, t, t, t, t, t, t, t]  # para, heading, 2 cells, caption, figure caption, 2 attrs
    return out


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_hostile_texts_read_back_literally(reader):
    texts = [t for t in HOSTILE if normalise_space(t)]
    assert _read_back(texts, reader) == _expected(texts)


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(TEXT.filter(lambda t: normalise_space(t) != ""), min_size=1, max_size=8))
def test_any_text_reads_back_as_itself(reader, texts):
    assert _read_back(texts, reader) == _expected(texts)


def test_normalise_space_keeps_no_break_spaces_and_folds_line_breaks():
    assert normalise_space(" 4\u00a0500\n\n och\t1\u202f000 \u2028") == "4\u00a0500 och 1\u202f000"
    assert normalise_space("a\x00b\x1bc") == "abc"
    assert normalise_space("\ud800x") == "\ufffdx"
    assert normalise_space("\ufeffa\ufeffb") == "ab"  # a byte order mark, as hypothesis found


def test_markdown_combines_by_escaping_what_is_not_markdown():
    title = "*Viktigt* @alla"
    assert Markdown("## {}").format(title) == "## \\*Viktigt\\* \\@alla"
    assert Markdown("**Källa:** ") + "SCB_" == "**Källa:** SCB\\_"
    assert "<b>" + Markdown("**x**") == "\\<b\\>**x**"
    assert Markdown(", ").join(["a*", Markdown("*b*")]) == "a\\*, *b*"
    assert Markdown("{x}").format(x=Markdown("**ok**")) == "**ok**"
    assert isinstance(Markdown("a") + "b", Markdown)
    assert escape(Markdown("**x**")) == "**x**"


PATH_CHARACTERS = st.characters(blacklist_categories=("Cc", "Cs"))


@settings(max_examples=examples(30), deadline=None)
@given(paths=st.lists(st.text(alphabet=PATH_CHARACTERS, min_size=1, max_size=30).filter(
    lambda p: p.strip() == p), min_size=1, max_size=6))
def test_link_target_is_read_back_as_the_path(paths):
    """An image path with spaces, brackets or non-ASCII letters reaches pandoc as that path
    (percent-encoded where pandoc encodes, which the renderers decode). Pandoc trims spaces at
    the ends of a destination; the build's paths never start or end with one."""
    from urllib.parse import unquote

    document = "\n\n".join(f'![x]({link_target(p)}){{fig-alt="x"}}' for p in paths)
    blocks = json.loads(pypandoc.convert_text(document, "json", format=READER_FORMAT))["blocks"]
    sources = [block["c"][2][0]["c"][0]["c"][2][0] for block in blocks]
    assert [unquote(s) for s in sources] == [unquote(p) for p in paths]
    assert [read_link_target(link_target(p)) for p in paths] == paths


def test_unescape_gives_back_the_words():
    text = 'Frågor: @analysgruppen (se [a]) 4\u00a0500 *x* \\'
    assert unescape(escape(text)) == text
    assert unescape(Markdown("**Data saknas:** ") + text) == "**Data saknas:** " + text


def test_identifier_and_link():
    assert identifier("fig-syss-2024") == "fig-syss-2024"
    with pytest.raises(ValueError):
        identifier("x} onclick=alert(1) {")
    assert link("https://www.scb.se/") == "[https\\:\\/\\/www\\.scb\\.se\\/](<https\\:\\/\\/www\\.scb\\.se\\/>)"
    for unsafe in ("javascript:alert(1)", "file:///etc/hostname", "https://x.se/a b", "data:text/html,<b>"):
        assert link(unsafe) == escape(unsafe)


def _markdown_calls_with_formatted_text(tree: ast.AST) -> list[int]:
    """Lines where ``Markdown(...)`` is given an f-string, a ``%``/``+`` expression or a
    ``.format`` call: text formatted *before* it is marked as markup."""
    lines = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Markdown"
                and node.args):
            argument = node.args[0]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                continue
            lines.append(node.lineno)
    return lines


def test_markdown_is_only_made_from_string_literals():
    """The one way data could pass as markup is ``Markdown(f"…{data}…")``; the package never
    does it (markup.py itself builds Markdown from escaped text)."""
    package = Path(rus_analysis.__file__).parent
    offenders = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "markup.py":
            continue
        for line in _markdown_calls_with_formatted_text(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{path.relative_to(package)}:{line}")
    assert offenders == []

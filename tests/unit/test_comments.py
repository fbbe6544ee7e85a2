"""The analysts' own words: kommentarer/<år>/<id>.md (rus_analysis.report.comments)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rus_analysis.config.catalogue import load_catalogue
from rus_analysis.errors import ConfigError
from rus_analysis.report import comments
from rus_analysis.report.notebook_template import chapter_notebook, write_chapter_notebook
from support import PROJECT


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(PROJECT / "params" / "indikatorer.yml")


@pytest.fixture
def project(tmp_path):
    (tmp_path / "data" / "series").mkdir(parents=True)
    for name in ("sysselsattningsgrad_bas.csv", "eftergymnasial_utbildning.csv"):
        shutil.copy(PROJECT / "data" / "series" / name, tmp_path / "data" / "series" / name)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, what", [
    ("```{=typst}\n#set page(fill: red)\n```\n", "råblock"),
    ("Se `<b>x</b>`{=html} här.\n", "råkod"),
    ("~~~{=html}\n<script>alert(1)</script>\n~~~\n", "råblock"),
    ("```{python}\nimport os\n```\n", "körs"),
    ("Värdet är `{python} 1+1`.\n", "körs"),
    ("{{< include ../hemlig.md >}}\n", "kortkod"),
    ("Text <script>alert(1)</script>\n", "HTML-tagg"),
    ("<div style='color:red'>röd</div>\n", "HTML-tagg"),
    # Code that would only be shown is refused too (kommentarer/README.md; F14).
    ("```\nett kodblock\n```\n", "kodblock"),
    ("~~~ python\nprint(1)\n~~~\n", "kodblock"),
    ("- en punkt\n\n  ```\n  kod i en lista\n  ```\n", "kodblock"),
    ("Kolumnen `andel_procent` är i procent.\n", "bakåtfnuttar"),
    ("Två ``a`b`` bakåtfnuttar.\n", "bakåtfnuttar"),
    ("Stycket:\n\n    indragen kod\n", "indraget kodblock"),
    # An image is read from the build folder; a link may run in the reader's browser (new-user trial B5, B6).
    ("Se ![diagram](saknas.png) här.\n", "en bild"),
    ("![diagram][ref]\n", "en bild"),
    ("Klicka [här](javascript:alert(1)).\n", "länk som inte är en webb"),
    ("Klicka [här]( JavaScript:alert(1)).\n", "länk som inte är en webb"),
    ("Klicka <javascript:alert(1)>.\n", "länk som inte är en webb"),
    ("[ref]: data:text/html;base64,PHNjcmlwdD4=\n\nSe [ref].\n", "länk som inte är en webb"),
    ("[fil](file:///etc/passwd)\n", "länk som inte är en webb"),
])
def test_code_and_raw_blocks_are_refused_with_file_and_line(tmp_path, text, what):
    path = write(tmp_path / "k.md", "---\nid: x\n---\n\nFörsta stycket.\n\n" + text)
    with pytest.raises(ConfigError, match=rf"Kommentaren .*k\.md \(rad \d+\) innehåller .*{what}"):
        comments.read_comment(path)


def test_the_line_is_the_files_own_line_after_a_header(tmp_path):
    header = "---\nid: x\nrapportar: 2025\ndata-fingerprint: sha256:abc\n---\n"  # lines 1-5
    body = "".join(f"Rad {n}.\n" for n in range(6, 17)) + "Här <b>fet</b> text.\n"  # the tag on line 17
    path = write(tmp_path / "k.md", header + body)
    assert (header + body).splitlines()[16] == "Här <b>fet</b> text."
    with pytest.raises(ConfigError, match=r"\(rad 17\) innehåller en HTML-tagg"):
        comments.read_comment(path)


def test_the_line_without_a_header_counts_from_one(tmp_path):
    path = write(tmp_path / "k.md", "Första.\n\n<i>x</i>\n")
    with pytest.raises(ConfigError, match=r"\(rad 3\)"):
        comments.read_comment(path)


def test_code_is_refused_on_its_own_line(tmp_path):
    path = write(tmp_path / "k.md", "---\nid: x\n---\n\nFörsta.\n\n- punkt\n\n    fortsättning\n\n"
                 "Text.\n\n    kod\n")
    with pytest.raises(ConfigError, match=r"\(rad 13\) innehåller ett indraget kodblock"):
        comments.read_comment(path)
    with pytest.raises(ConfigError, match=r"\(rad 7\) innehåller kod inom bakåtfnuttar"):
        comments.read_comment(write(tmp_path / "k.md", "---\nid: x\n---\n\nFörsta.\n\nSe `x` här.\n"))


def test_a_lone_backtick_and_a_list_continuation_are_no_code(tmp_path):
    text = "Ett ` ensamt tecken.\n\nNytt stycke ` igen.\n\n- punkt\n\n    fortsättning av punkten\n"
    assert "fortsättning av punkten" in str(comments.read_comment(write(tmp_path / "k.md", text)).markdown())


def test_comment_headings_never_skip_a_level(tmp_path):
    text = "## Först\n\nText.\n\n#### Djupt\n\nText.\n\n## Sedan\n"
    shown = str(comments.read_comment(write(tmp_path / "k.md", text)).markdown(level=3))
    assert "\n#### Först {.unnumbered}" in shown and "\n##### Djupt {.unnumbered}" in shown
    assert "\n#### Sedan {.unnumbered}" in shown


def test_comment_headings_are_shifted_and_unnumbered(tmp_path):
    text = "Rubrik\n======\n\nText.\n\nUnder\n-----\n\n## Med id {#id}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    shown = str(comments.read_comment(write(tmp_path / "k.md", text)).markdown(level=3))
    assert "#### Rubrik {.unnumbered}" in shown and "##### Under {.unnumbered}" in shown
    assert "##### Med id {#id .unnumbered}" in shown and "======" not in shown
    assert "{.rus-kommentar}" in shown and "| 1 | 2 |" in shown


def test_ordinary_markdown_is_kept_as_written(tmp_path):
    text = ("# Vad driver ökningen?\n\nSysselsättningen ökar *särskilt* bland **utrikes födda**; se "
            "<https://www.scb.se> och [Kolada](https://www.kolada.se).\n\n- en punkt\n- 1 000 till\n\n"
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            "<!-- en anteckning som aldrig syns -->\n")
    comment = comments.read_comment(write(tmp_path / "k.md", text))
    shown = comment.markdown(level=3)
    assert shown.startswith("### Analys {.unnumbered}\n\n")
    assert "#### Vad driver ökningen? {.unnumbered}" in shown
    # The analyst's Markdown is not escaped or retypeset (no no-break spaces added).
    assert "*särskilt* bland **utrikes födda**" in shown and "- 1 000 till" in shown
    assert "<https://www.scb.se>" in shown and "anteckning" not in shown


def test_an_empty_new_comment_shows_nothing(project, catalogue):
    path = comments.new_comment(project, 2025, "sysselsattningsgrad_bas", catalogue)
    assert path == project / "kommentarer" / "2025" / "sysselsattningsgrad_bas.md"
    assert comments.find_comment(project, 2025, "sysselsattningsgrad_bas") is None
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\nid: sysselsattningsgrad_bas\nrapportar: 2025\ndata-fingerprint: sha256:")
    with pytest.raises(ConfigError, match="finns redan"):
        comments.new_comment(project, 2025, "sysselsattningsgrad_bas", catalogue)
    with pytest.raises(ConfigError, match="varken en indikator eller en kraftsamling"):
        comments.new_comment(project, 2025, "okand", catalogue)


def test_changed_data_warns_until_the_fingerprint_is_refreshed(project, catalogue):
    path = comments.new_comment(project, 2025, "sysselsattningsgrad_bas", catalogue)
    comments.new_comment(project, 2025, "okad_inkludering", catalogue)
    path.write_text(path.read_text(encoding="utf-8") + "\nSysselsättningen ökar.\n", encoding="utf-8")
    assert comments.stale_comments(project, 2025, catalogue) == []
    series = project / "data" / "series" / "sysselsattningsgrad_bas.csv"
    series.write_text(series.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    warnings = comments.stale_comments(project, 2025, catalogue)
    # Both the indicator's and its kraftsamling's comment were written against that series.
    assert len(warnings) == 2 and all("Data har ändrats sedan kommentaren" in w for w in warnings)
    comments.refresh_fingerprint(project, 2025, "sysselsattningsgrad_bas", catalogue)
    assert len(comments.stale_comments(project, 2025, catalogue)) == 1
    assert "Sysselsättningen ökar." in path.read_text(encoding="utf-8")
    write(project / "kommentarer" / "2025" / "finns_inte.md", "Text.\n")
    assert any("hör inte till någon indikator" in w for w in comments.stale_comments(project, 2025, catalogue))


def test_chapter_notebook_has_one_cell_per_indicator_in_catalogue_order(catalogue, tmp_path):
    notebook = chapter_notebook(catalogue, "barn_och_unga", 2025)
    calls = [c.source for c in notebook.cells if c.source.startswith("report.show_indicator(")]
    assert calls == [f'report.show_indicator("{i.id}")' for i in catalogue.for_kraftsamling("barn_och_unga")]
    assert notebook.cells[0].metadata["tags"] == ["parameters"]
    path = write_chapter_notebook(catalogue, "barn_och_unga", 2025, tmp_path)
    with pytest.raises(ConfigError, match="finns redan"):
        write_chapter_notebook(catalogue, "barn_och_unga", 2025, tmp_path)
    with pytest.raises(ConfigError, match="Kraftsamlingen 'kompetens' finns inte"):
        chapter_notebook(catalogue, "kompetens", 2025)
    assert path.read_text(encoding="utf-8") == (tmp_path / "barn_och_unga.ipynb").read_text(encoding="utf-8")


def test_committed_chapter_notebooks_are_the_generated_ones(catalogue):
    """The chapters in notebooks/ start as the generator writes them: one call per indicator."""
    import nbformat

    for kraftsamling in catalogue.kraftsamlingar:
        notebook = nbformat.read(PROJECT / "notebooks" / f"{kraftsamling.id}.ipynb", as_version=4)
        calls = [c.source for c in notebook.cells if "show_indicator" in c.source]
        assert calls == [f'report.show_indicator("{i.id}")'
                         for i in catalogue.for_kraftsamling(kraftsamling.id)]


@pytest.mark.parametrize("text", [
    "Se [SCB](https://www.scb.se/) och <https://www.scb.se/a> eller [mejla](mailto:analys@regionorebrolan.se).",
    "[ref]: https://www.scb.se/\n\nSe [SCB][ref].",
    "Se [SCB]( https://www.scb.se/ ) och [SCB]( <https://www.scb.se/> ).",
    "Klockan 12:30 gick [tillbaka](#analys). Kvoten 3:2 och < 5 procent: en bra siffra.",
])
def test_web_and_mail_links_and_ordinary_colons_are_fine(tmp_path, text):
    path = write(tmp_path / "k.md", "---\nid: x\n---\n\n" + text + "\n")
    assert comments.read_comment(path).body.strip().startswith(text.split("\n")[0][:10])


@pytest.mark.parametrize("text, line, what", [
    ("Stycke.\n\n[^1]: En not ingen hänvisar till.\n", 7, "ingen hänvisning"),
    ("Stycke med not.[^källa]\n", 5, "som inte finns"),
    ("Stycke.[^1]\n\n[^2]: Fel nummer.\n", 5, "som inte finns"),  # the first fault in the file
    ("Ett.[^1] Två.[^1]\n\n[^1]: Första.\n\n[^1]: Andra.\n", 9, r"en gång till \(första gången på rad 7\)"),
])
def test_a_lone_footnote_or_reference_is_refused_with_file_and_line(tmp_path, text, line, what):
    path = write(tmp_path / "k.md", "---\nid: x\n---\n\n" + text)
    with pytest.raises(ConfigError, match=rf"k\.md \(rad {line}\).*{what}"):
        comments.read_comment(path)


def test_footnotes_with_their_references_are_kept_and_made_the_comments_own(tmp_path):
    path = write(tmp_path / "arbetsloshet.md", "Text.[^1] Mer.[^a]\n\n[^1]: Ett.\n[^a]: Två.\n")
    shown = comments.read_comment(path).markdown(3)
    assert "[^arbetsloshet-1]" in shown and "[^arbetsloshet-1]: Ett." in shown
    assert "[^arbetsloshet-a]: Två." in shown and "[^1]" not in shown


@pytest.mark.parametrize("text, shown", [
    ("Se https://example.org/a_b*c* nu.", "Se <https://example.org/a_b*c*> nu."),
    ("(se https://www.scb.se/a.html).", "(se <https://www.scb.se/a.html>)."),
    ("*https://x.se* och mailto:a@b.se, klart", "*<https://x.se>* och <mailto:a@b.se>, klart"),
    ("*Läs mer på https://www.scb.se/a* och **Källa: https://scb.se/b**",
     "*Läs mer på <https://www.scb.se/a>* och **Källa: <https://scb.se/b>**"),
    ("_Se\nhttps://scb.se/a_ nu", "_Se\n<https://scb.se/a>_ nu"),
    ("[se https://scb.se](https://scb.se) och <https://a.se>", "[se https://scb.se](https://scb.se) och <https://a.se>"),
    ("[id]: https://a.se/x_y*z*", "[id]: https://a.se/x_y*z*"),
    ("Spårvagnsaktiebolagsskensmutsskjutarefackförening", "Spårvagnsaktiebolagsskensmutsskjutarefackförening"),
    ("x" * 90, "x" * 90),
    ("## R {#" + "b" * 70 + "}", "## R {#" + "b" * 70 + "}"),
])
def test_link_bare_addresses_links_bare_addresses_and_nothing_else(text, shown):
    assert comments.link_bare_addresses(text) == shown


@pytest.mark.parametrize("text", [
    "Enligt SCB[^2]: andelen steg.\n\n[^2]: Källa: SCB.\n",  # a reference before a colon
    "Ett escapat \\[^1] är text.\n",
    "- Punkt.[^1]\n\n    [^1]: Noten i listan.\n",
    "> Citat.[^1]\n>\n> [^1]: Noten i citatet.\n",
    "Text.[^1]\n\n[^1]: Source: SCB, not a link.\n",
])
def test_footnotes_pandoc_reads_are_accepted(tmp_path, text):
    assert comments.read_comment(write(tmp_path / "k.md", text)).visible


@pytest.mark.parametrize("text", [
    "Se [filen](../../../etc/hostname).\n",
    "Se [sidan](sida.html).\n",
    "Se [sidan][s].\n\n[s]: rapport.pdf\n",
    "Text[^ 1].\n\n[^ 1]: not\n",
])
def test_a_link_to_a_file_or_path_is_refused(tmp_path, text):
    with pytest.raises(ConfigError, match="rubrik i rapporten"):
        comments.read_comment(write(tmp_path / "k.md", text))


@pytest.mark.parametrize("text, shown", [
    ("Se [SCB:s tabell[^tab]](https://www.scb.se/) nu.", "Se [SCB:s tabell](https://www.scb.se/)[^tab] nu."),
    ("[a[^1] b[^2]](https://a.se)", "[a b](https://a.se)[^1][^2]"),
    ("[SCB](https://www.scb.se/)[^1] och [^2]", "[SCB](https://www.scb.se/)[^1] och [^2]"),
])
def test_a_note_in_a_links_text_moves_after_the_link(text, shown):
    assert comments.notes_after_links(text) == shown

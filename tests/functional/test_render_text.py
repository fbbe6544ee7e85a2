"""Text means what it says in both outputs of the built-in renderer, from any folder.

The report's own elements (headings, tables, captions, figures, "Data saknas" boxes) are filled
with hostile text and rendered to PDF and HTML in a folder whose path has spaces, non-ASCII
letters and a long name. The PDF and the HTML must show every text literally, the HTML must hold
no active element, and typst must read nothing outside the build folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest
from pypdf import PdfReader

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from html_check import active_elements, html_text  # noqa: E402

from rus_analysis.build.render.builtin import TitlePage, compile_typst, render_html, render_pdf  # noqa: E402
from rus_analysis.build.render.extension import extension_dir  # noqa: E402
from rus_analysis.build.render.markdown import RenderError  # noqa: E402
from rus_analysis.report.display import figure_markdown  # noqa: E402
from rus_analysis.report.markup import Markdown, escape  # noqa: E402
from rus_analysis.report.missing import MissingData  # noqa: E402
from rus_analysis.report.tables import Table  # noqa: E402
from support import CASES, PROJECT  # noqa: E402

EXTENSION = extension_dir(PROJECT)

SECRET = "HEMLIGT-7f3a9c-innehåll"
# What an escape printed as text looks like (a text escaped twice): "\@", "\:", "&#40;" …
# No hostile text below has a backslash right before one of these characters.
LEFTOVER_ESCAPE = re.compile(r"\\[@:#*<>\[\]|`$]|&#\d+;")

HOSTILE = [
    "Frågor: @analysgruppen.",
    '2025-11-20 <img src=x onerror="alert(document.domain)"> `#read("/etc/hostname")`{=typst} '
    '`#read("../hemlig.txt")`{=typst}',
    "<script>alert(1)</script> <a href=\"javascript:alert(2)\">länk</a>",
    "[klicka](javascript:alert(3)) ![bild](/etc/hostname)",
    "#read(\"../hemlig.txt\") #include \"/etc/hostname\" #let x = 1",
    "Kostnad $5 och $x^2$, 100 % <säkert>",
    "*stjärna* _understreck_ **fet** ~~struken~~ ^upp^ ~ned~",
    "C:\\Användare\\analytiker\\fil.csv och \\\\server\\delning\\",
    "kvoten // se SCB:s statistikdatabas (https://www.statistikdatabasen.scb.se/pxweb/sv/ssd/START__NR__NR0105/), "
    "frågor till statistik@example.se",
    "`rus data uppdatera` {{< include /etc/hostname >}} <!-- dold --> &lt;b&gt; &amp;",
    "12. Inte en lista / inte en term = inte en rubrik + inte en punkt",
    '"Citat" \'enkla\' -- --- ... /* kommentar */ <etikett> @ref[1]',
]
TITLE = 'Uppföljning @analysgruppen #1 $x$ <i>*_\\ "citat" [a](b) // 100 %'
AUTHOR = "Region Örebro län & <Analys> @team_1 #2"


def _words(text: str) -> str:
    """Text without any whitespace: line breaks in a PDF fall where the layout puts them."""
    return "".join(text.split())


def pdf_text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """A document with every hostile text in every kind of place, rendered from a folder like
    a synced work drive's, with a secret file beside the build folder."""
    base = tmp_path_factory.mktemp("rendering")
    root = base / "OneDrive - Region Örebro län" / ("RUS uppföljning 2025 " + "långt mappnamn " * 10).strip()
    build = root / "_build" / "2025"
    figures = build / "notebooks" / "figurer med mellanslag (å)"
    figures.mkdir(parents=True)
    (build / "hemlig.txt").parent.mkdir(parents=True, exist_ok=True)
    (build.parent / "hemlig.txt").write_text(SECRET, encoding="utf-8")
    (root / "hemlig.txt").write_text(SECRET, encoding="utf-8")

    figure, axes = plt.subplots(figsize=(3, 2))
    axes.plot([1, 2, 3], [2, 1, 3])
    figure.savefig(figures / "linje diagram.png")
    plt.close(figure)

    parts = [Markdown("# Kapitel {}").format(HOSTILE[0])]
    for n, text in enumerate(HOSTILE):
        parts.append(Markdown("## {}").format(text))
        parts.append(escape(text))
        parts.append(Table(caption=text, header=["Text", "Värde"], rows=[[text, "1"]],
                           align=["left", "right"], notes=[text], source=text, label=f"t{n}",
                           source_url="https://www.scb.se/" if n % 2 else None).markdown())
        parts.append(MissingData(title=text, source=text, published=text, detail=text).markdown())
    relative = (figures / "linje diagram.png").relative_to(build).as_posix()
    parts.append(figure_markdown(relative, HOSTILE[1], HOSTILE[2], label="hostile"))
    markdown = build / "rapport.md"
    markdown.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    title = TitlePage(TITLE, "Uppföljningsrapport 2025 <b>", AUTHOR, "Statistik till och med 2024 @x")
    pdf, html = build / "rapport.pdf", build / "rapport.html"
    render_pdf(markdown, pdf, title, EXTENSION)
    render_html(markdown, html, title)
    return pdf, html


def test_pdf_shows_every_text_literally(rendered):
    pdf, _ = rendered
    text = _words(pdf_text(pdf))
    missing = [t for t in HOSTILE if _words(t) not in text]
    assert missing == []
    # No escape of ours shows (a text escaped twice would print "\\@" or "&#40;").
    assert LEFTOVER_ESCAPE.findall(pdf_text(pdf)) == []
    assert _words(TITLE) in text and _words(AUTHOR) in text


def test_pdf_reads_nothing_outside_the_build_folder(rendered):
    pdf, _ = rendered
    text = pdf_text(pdf)
    assert SECRET not in text
    hostname = Path("/etc/hostname").read_text(encoding="utf-8").strip() if Path("/etc/hostname").is_file() else ""
    if len(hostname) >= 6:  # a short name could occur in the text by chance
        assert hostname not in text


def test_pdf_title_and_author_are_the_params_text(rendered):
    pdf, _ = rendered
    metadata = PdfReader(pdf).metadata
    # The Title is the report title and the title page's subtitle (report year), as written.
    assert (metadata.title, metadata.author) == (f"{TITLE} – Uppföljningsrapport 2025 <b>", AUTHOR)


def test_html_has_no_active_element_and_shows_every_text(rendered):
    _, html_file = rendered
    html = html_file.read_text(encoding="utf-8")
    assert active_elements(html) == []
    text = _words(html_text(html))
    assert [t for t in HOSTILE if _words(t) not in text] == []
    assert LEFTOVER_ESCAPE.findall(html_text(html)) == []
    assert _words(TITLE) in text and _words(AUTHOR) in text
    assert SECRET not in html


def test_html_embeds_the_image_from_a_folder_with_spaces(rendered):
    _, html_file = rendered
    html = html_file.read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == 1


@pytest.mark.parametrize("call", ['#read("../hemlig.txt")', '#read("/etc/hostname")',
                                  '#read("/etc/passwd")', '#image("../hemlig.png")'])
def test_typst_cannot_read_outside_the_build_folder(tmp_path, call):
    project = tmp_path / "projekt"
    build = project / "_build"
    build.mkdir(parents=True)
    (project / "hemlig.txt").write_text(SECRET, encoding="utf-8")
    figure, axes = plt.subplots(figsize=(1, 1))
    figure.savefig(project / "hemlig.png")
    plt.close(figure)
    (build / "inne.txt").write_text("inne", encoding="utf-8")
    source = build / "rapport.typ"
    header = '#set document(title: "T")\n#set text(lang: "sv")\n'
    source.write_text(header + '#read("inne.txt")\n', encoding="utf-8")
    compile_typst(source, build / "inne.pdf")  # inside the build folder: fine
    source.write_text(header + call + "\n", encoding="utf-8")
    with pytest.raises(RenderError):
        compile_typst(source, build / "rapport.pdf")
    assert not (build / "rapport.pdf").exists()


def test_case_at_sign_in_authored_markdown_is_no_citation(tmp_path):
    """typst-citering-at: even Markdown that was never escaped makes no citation (reader without
    citations), so typst never asks for a bibliography."""
    markdown = tmp_path / "minsta.md"
    markdown.write_text((CASES / "typst-citering-at" / "minsta_markdown.md").read_text(encoding="utf-8"),
                        encoding="utf-8")
    pdf = tmp_path / "minsta.pdf"
    render_pdf(markdown, pdf, TitlePage("T", "U", "Region Örebro län", "2025"), EXTENSION)
    assert "Frågor: @analysgruppen." in pdf_text(pdf)


def test_case_image_in_folder_with_space(tmp_path):
    """sokvag-mellanslag: the image lives in "mapp med mellanslag/"; both renderers find it."""
    build = tmp_path / "RUS uppföljning 2025"
    (build / "mapp med mellanslag").mkdir(parents=True)
    figure, axes = plt.subplots(figsize=(2, 1))
    axes.plot([0, 1], [0, 1])
    figure.savefig(build / "mapp med mellanslag" / "fig.png")
    plt.close(figure)
    markdown = build / "bild.md"
    markdown.write_text((CASES / "sokvag-mellanslag" / "bild_i_mapp_med_mellanslag.md").read_text(encoding="utf-8"),
                        encoding="utf-8")
    title = TitlePage("T", "U", "Region Örebro län", "2025")
    render_pdf(markdown, build / "bild.pdf", title, EXTENSION)
    render_html(markdown, build / "bild.html", title)
    assert sum(len(page.images) for page in PdfReader(build / "bild.pdf").pages) == 1
    assert 'src="data:image/png;base64,' in (build / "bild.html").read_text(encoding="utf-8")


def test_quarto_path_shows_every_text_literally(rendered):
    """The same document compiled as Quarto compiles it (Quarto's reader, Quarto-like filters and
    the filters _extension.yml lists): "12." stays text, "..." stays three full stops."""
    from quarto_emulation import render_like_quarto

    pdf, _ = rendered
    # Text only: the figure's path is the built-in renderer's concern (tested above).
    markdown = "\n\n".join(block for block in (pdf.parent / "rapport.md").read_text(encoding="utf-8").split("\n\n")
                             if not block.lstrip().startswith("!["))
    title = TitlePage(TITLE, "Uppföljningsrapport 2025", AUTHOR, "Statistik till och med 2024")
    quarto_pdf = render_like_quarto(markdown, title, pdf.parent)
    text = _words(pdf_text(quarto_pdf))
    assert [t for t in HOSTILE if _words(t) not in text] == []
    assert LEFTOVER_ESCAPE.findall(pdf_text(quarto_pdf)) == []


def test_pdf_and_html_rendered_at_once_leave_the_working_directory_alone(tmp_path, monkeypatch):
    """The build renders the PDF beside the HTML in two threads. pandoc runs in the build folder
    without this process changing its own working directory (pypandoc's ``cworkdir`` did, and two
    calls at once left the process in the build folder: once that folder was removed, no kernel
    could start and every later build in the process failed)."""
    import os
    import threading

    build = tmp_path / "bygge"
    build.mkdir()
    markdown = build / "rapport.md"
    markdown.write_text("# Kapitel\n\nText med 24,8 procent.\n", encoding="utf-8")
    title = TitlePage("T", "U", "Region Örebro län", "2025")
    here = os.getcwd()
    changes: list[str] = []
    real_chdir = os.chdir

    def chdir(path):
        changes.append(str(path))
        real_chdir(path)

    monkeypatch.setattr(os, "chdir", chdir)
    threads = [threading.Thread(target=render_pdf, args=(markdown, build / "r.pdf", title, EXTENSION)),
               threading.Thread(target=render_html, args=(markdown, build / "r.html", title))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert changes == [] and os.getcwd() == here
    assert (build / "r.pdf").read_bytes().startswith(b"%PDF") and "24,8 procent" in (build / "r.html").read_text(
        encoding="utf-8")


def test_a_pandoc_failure_is_a_swedish_render_error(tmp_path):
    from rus_analysis.build.render.builtin import run_pandoc

    markdown = tmp_path / "rapport.md"
    markdown.write_text("# Kapitel\n", encoding="utf-8")
    with pytest.raises(RenderError, match="pandoc kunde inte göra om rapport.md till html5: .*finns-inte.lua"):
        run_pandoc(markdown, "html5", tmp_path / "r.html", ["--lua-filter=finns-inte.lua"], tmp_path)

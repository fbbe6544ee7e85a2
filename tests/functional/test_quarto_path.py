"""Our Quarto orchestration, tested with a fake ``quarto`` placed first on PATH.

Quarto cannot be installed on this machine, so nothing here checks Quarto's own rendering
(what the report looks like when Quarto makes it). These tests check what OUR code does around
Quarto: choosing the engine, the year's ``_quarto.yml`` and notebooks in the build folder, the
``quarto render`` calls, and publishing the results atomically. The fake records its arguments
and working folder, and writes what Quarto's documentation says a book render writes into the
requested ``--output-dir``: ``index.html`` plus one page per chapter and the referenced images
for HTML, ``<book.output-file>.pdf`` for the typst format.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from rus_analysis.build import pipeline
from rus_analysis.build.pipeline import build_report, choose_engine
from rus_analysis.build.render.book import read_book, select_chapters
from rus_analysis.build.render.builtin import TitlePage
from rus_analysis.build.render.markdown import IMAGE, RenderError
from rus_analysis.build.render.quarto import MIN_VERSION, failure_message, prepare_notebook, quarto_config
from rus_analysis.report.markup import read_link_target
from support import E2E_YEAR as YEAR
from support import copy_project

FAKE_QUARTO = """#!{python}
import json, os, shutil, sys
from pathlib import Path

import yaml

args = sys.argv[1:]
with open(os.environ["FAKE_QUARTO_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps({{"args": args, "cwd": os.getcwd()}}) + "\\n")
if args == ["--version"]:
    print(os.environ.get("FAKE_QUARTO_VERSION", "1.9.18"))
    sys.exit(0)
assert args[0] == "render" and "--to" in args and "--output-dir" in args, args
fmt = args[args.index("--to") + 1]
if os.environ.get("FAKE_QUARTO_FAIL") == fmt:
    # What Quarto prints: its pandoc settings first, the cause last.
    print("\\n".join(f"  setting-{{i}}: value" for i in range(40)), file=sys.stderr)
    print("error: PDF/UA-1 error: invalid document structure", file=sys.stderr)
    print("ERROR: Typst compilation failed", file=sys.stderr)
    sys.exit(1)
config = yaml.safe_load(Path("_quarto.yml").read_text(encoding="utf-8"))
assert config["project"]["type"] == "book"
book = config["book"]
out = Path(args[args.index("--output-dir") + 1])
out.mkdir(parents=True, exist_ok=True)
if fmt == "html":
    # An HTML book is a website: index.html, a page per chapter, referenced images copied along.
    (out / "index.html").write_text("<html lang='sv'>" + book["title"] + "</html>", encoding="utf-8")
    for chapter in book["chapters"][1:] + book.get("appendices", []):
        page = out / Path(chapter).with_suffix(".html")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("<html></html>", encoding="utf-8")
    if Path("notebooks/figurer").is_dir():
        shutil.copytree("notebooks/figurer", out / "notebooks" / "figurer", dirs_exist_ok=True)
elif fmt.endswith("-typst"):
    # A format extension <name>-typst is read from the project's _extensions/<name>.
    name = fmt[: -len("-typst")]
    assert Path("_extensions", name, "_extension.yml").is_file(), "extension missing"
    assert fmt in config["format"], config["format"]
    # A book's single-file output: <output-dir>/<book.output-file>.pdf.
    (out / (book["output-file"] + ".pdf")).write_bytes(b"%PDF-1.7\\n% fake quarto\\n")
"""


class FakeQuarto:
    def __init__(self, folder: Path):
        self.bin = folder / "bin"
        self.bin.mkdir(parents=True)
        self.log = folder / "quarto-calls.jsonl"
        self.log.touch()
        script = self.bin / "quarto"
        script.write_text(FAKE_QUARTO.format(python=sys.executable), encoding="utf-8")
        script.chmod(0o755)

    def calls(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]



@pytest.fixture(scope="module")
def fake(tmp_path_factory):
    quarto = FakeQuarto(tmp_path_factory.mktemp("fake-quarto"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PATH", f"{quarto.bin}{os.pathsep}{os.environ['PATH']}")
        mp.setenv("FAKE_QUARTO_LOG", str(quarto.log))
        mp.delenv("FAKE_QUARTO_FAIL", raising=False)
        mp.delenv("FAKE_QUARTO_VERSION", raising=False)
        yield quarto


@pytest.fixture(scope="module")
def built(fake, tmp_path_factory, built_report):
    """The Quarto engine on a copy of the session's built project (tests/conftest.py): its executed
    chapters are unchanged inputs, so only the rendering runs, as after any built-in build."""
    source, _ = built_report
    root = shutil.copytree(source, tmp_path_factory.mktemp("projekt") / "kopia")
    first = len(fake.calls())
    result = build_report(root, YEAR, engine="quarto")
    calls = fake.calls()[first:]
    # The executed chapters, kept for the failure test (which need not run papermill again).
    executed = tmp_path_factory.mktemp("korda")
    shutil.copytree(root / "_build" / str(YEAR) / "notebooks", executed / "notebooks")
    shutil.copy2(root / "_build" / str(YEAR) / "index.qmd", executed / "index.qmd")
    return root, result, executed, calls


def test_auto_picks_quarto_when_on_path(fake):
    assert choose_engine("auto") == "quarto"
    assert choose_engine("quarto") == "quarto"


def test_too_old_quarto_is_refused_in_swedish(fake, monkeypatch):
    monkeypatch.setenv("FAKE_QUARTO_VERSION", "1.8.25")
    needed = ".".join(map(str, MIN_VERSION))
    with pytest.raises(RenderError, match=f"Quarto 1.8.25 är för gammal.*{re.escape(needed)}.*--motor inbyggd"):
        choose_engine("quarto")
    assert choose_engine("auto") == "inbyggd"


def test_quarto_engine_without_quarto_is_a_swedish_error(tmp_path, monkeypatch, project_root):
    monkeypatch.setenv("PATH", str(tmp_path))  # a folder without quarto
    with pytest.raises(RenderError, match="Quarto finns inte på PATH.*--motor inbyggd"):
        choose_engine("quarto")
    assert choose_engine("auto") == "inbyggd"
    (tmp_path / "projekt").mkdir()
    root = copy_project(project_root, tmp_path / "projekt")
    with pytest.raises(RenderError, match="Quarto finns inte på PATH"):
        build_report(root, 2024, engine="quarto")
    assert not (root / "_output").exists() and not (root / "_build").exists()


def test_year_config_has_title_page_chapters_and_output_file(project_root):
    book = select_chapters(read_book(project_root / "_quarto.yml"), ["gron_omstallning"],
                           ["okad_inkludering", "barn_och_unga", "gron_omstallning"])
    title = TitlePage("Uppföljning av RUS", "Uppföljningsrapport 2025", "Region Örebro län",
                      "Statistik till och med 2024", dt.date(2025, 6, 12))
    config = quarto_config(book, title, "uppfoljningsrapport-2025")
    assert config["book"]["title"] == "Uppföljning av RUS"
    assert config["book"]["subtitle"] == "Uppföljningsrapport 2025"
    assert config["book"]["author"] == "Region Örebro län"
    # Quarto parses book.date as a date: the ISO publication date, printed "12 juni 2025".
    assert config["book"]["date"] == "2025-06-12" and config["date-format"] == "D MMMM YYYY"
    assert config["rus-statistik"] == "Statistik till och med 2024"  # read by typst-show.typ
    assert config["book"]["output-file"] == "uppfoljningsrapport-2025"
    assert config["book"]["chapters"] == ["index.qmd", "notebooks/sammanfattning.ipynb",
                                          "notebooks/gron_omstallning.ipynb"]
    assert config["book"]["appendices"] == ["notebooks/metod.ipynb", "notebooks/kallor.ipynb"]
    assert book.config["book"]["title"] == "Uppföljning av den regionala utvecklingsstrategin"  # untouched


def test_prepare_notebook_leaves_markdown_cells_only(tmp_path):
    """No code cell is left, so Quarto wraps no heading in a cell div (HTML page TOC)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    cell = nbformat.v4.new_code_cell("report.show_indicators('x')")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="debug\n"),
        nbformat.v4.new_output("display_data", data={"text/markdown": "## Rubrik", "text/plain": "## Rubrik"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "<Figure>"}, execution_count=1),
        nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "fig"},
                               metadata={"alt": "Alt"}),
        nbformat.v4.new_output("display_data", data={"text/markdown": "Text.\n\n\n"}),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Kapitel"), cell, nbformat.v4.new_code_cell("x = 1")]
    path = tmp_path / "notebooks" / "kapitel.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    prepare_notebook(path, path.parent / "figurer")
    cells = nbformat.read(path, as_version=4).cells
    assert [c.cell_type for c in cells] == ["markdown", "markdown"]
    assert cells[0].source == "# Kapitel"
    assert cells[1].source == ('## Rubrik\n\n![Alt](<figurer\\/kapitel\\-1\\-3\\.png>){fig-alt="Alt"}\n\nText.')
    assert (path.parent / "figurer" / "kapitel-1-3.png").is_file()
    assert "debug" not in path.read_text(encoding="utf-8")


def test_failure_message_leads_with_quartos_cause(tmp_path):
    output = "\n".join([*(f"  pandoc-setting-{i}: x" for i in range(40)),
                        "ERROR: error: PDF/UA-1 error: invalid document structure",
                        "    ┌─ uppfoljningsrapport-2025.typ:120:1", "",
                        "ERROR: Typst compilation failed"])
    message = failure_message("rus-typst", 1, output, tmp_path / "quarto.log")
    first, *rest = message.splitlines()
    assert first == "Quarto kunde inte skapa PDF-rapporten (typst) (felkod 1). Orsak enligt Quarto:"
    assert rest[0].strip() == "ERROR: error: PDF/UA-1 error: invalid document structure"
    assert rest[-2].strip() == "ERROR: Typst compilation failed"
    assert rest[-1] == f"Hela Quartos utskrift finns i {tmp_path / 'quarto.log'}."
    assert "pandoc-setting" not in message


@pytest.mark.e2e
def test_build_folder_is_a_quarto_book_for_the_year(built):
    root, _, _, _ = built
    build = root / "_build" / str(YEAR)
    config = yaml.safe_load((build / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["project"]["type"] == "book" and config["lang"] == "sv-SE"
    assert config["book"]["title"] == "Uppföljning av den regionala utvecklingsstrategin"
    assert config["book"]["subtitle"] == f"Uppföljningsrapport {YEAR}"
    assert config["rus-statistik"] == f"Statistik till och med {YEAR - 1}"
    assert config["book"]["author"] == "Region Örebro län"
    assert config["book"]["output-file"] == f"uppfoljningsrapport-{YEAR}"
    assert config["book"]["chapters"] == [
        "index.qmd", "notebooks/sammanfattning.ipynb", "notebooks/okad_inkludering.ipynb",
        "notebooks/barn_och_unga.ipynb", "notebooks/gron_omstallning.ipynb"]
    assert config["book"]["appendices"] == ["notebooks/metod.ipynb", "notebooks/kallor.ipynb"]
    assert config["execute"] == {"enabled": False, "echo": False, "warning": False, "output": "asis"}
    assert config["format"]["rus-typst"]["font-paths"] == ["fonts"]
    # The format extension travels with the year's _quarto.yml.
    for name in ("_extension.yml", "typst-template.typ", "typst-show.typ", "rus.lua"):
        assert (build / "_extensions" / "rus" / name).is_file(), name
    assert (build / "fonts" / "DejaVuSans.ttf").is_file()
    assert (build / "index.qmd").is_file()


@pytest.mark.e2e
def test_build_notebooks_are_ready_for_quarto(built):
    root, _, _, _ = built
    notebooks = sorted((root / "_build" / str(YEAR) / "notebooks").glob("*.ipynb"))
    assert [p.stem for p in notebooks] == ["barn_och_unga", "gron_omstallning", "kallor", "metod",
                                           "okad_inkludering", "sammanfattning"]
    images = 0
    headings = 0
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        # Markdown cells only: no cell div around the chapter's headings, nothing to execute.
        assert {cell.cell_type for cell in nb.cells} == {"markdown"}, path.name
        assert "papermill" not in nb.metadata
        text = "\n\n".join(cell.source for cell in nb.cells)
        assert "report_year" not in text and "open_report" not in text  # no code, no parameters
        headings += len(re.findall(r"^#{1,3} ", text, re.MULTILINE))
        # Quarto resolves image paths against the notebook's folder.
        for target in IMAGE.findall(text):
            link = read_link_target(target[1])
            assert not Path(link).is_absolute(), link
            assert (path.parent / link).is_file(), link
            images += 1
    assert headings > 20
    assert images > 0


@pytest.mark.e2e
def test_quarto_renders_html_and_typst_from_the_build_folder(built):
    root, _, _, calls = built
    assert calls[0]["args"] == ["--version"]
    renders = [call for call in calls if call["args"][:1] == ["render"]]
    assert [r["args"] for r in renders] == [
        ["render", "--to", "html", "--output-dir", "_quarto_html"],
        ["render", "--to", "rus-typst", "--output-dir", "_quarto_pdf"],
    ]
    assert {Path(r["cwd"]).resolve() for r in renders} == {(root / "_build" / str(YEAR)).resolve()}


@pytest.mark.e2e
def test_outputs_land_in_the_year_folder(built):
    root, result, _, _ = built
    out = root / "_output" / str(YEAR)
    assert result.engine == "quarto" and not result.skipped
    assert result.pdf == out / f"uppfoljningsrapport-{YEAR}.pdf"
    assert result.pdf.read_bytes().startswith(b"%PDF")
    assert result.html == out / "html" / "index.html" and result.html.is_file()
    assert (out / "html" / "notebooks" / "gron_omstallning.html").is_file()
    assert any((out / "html" / "notebooks" / "figurer").glob("*.svg"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == "quarto" and manifest["year"] == YEAR
    assert sorted(p.name for p in (root / "_output").iterdir()) == [str(YEAR)]  # no staging left


@pytest.mark.e2e
def test_failing_quarto_keeps_previous_report(built, monkeypatch):
    root, _, executed, _ = built
    out = root / "_output" / str(YEAR)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def reuse_executed(project, book, params, build_dir, workers, *args, **kwargs):
        shutil.copytree(executed, build_dir, dirs_exist_ok=True)
        return {}

    monkeypatch.setattr(pipeline, "execute_chapters", reuse_executed)
    monkeypatch.setenv("FAKE_QUARTO_FAIL", "rus-typst")
    with pytest.raises(RenderError, match=r"Quarto kunde inte skapa PDF-rapporten \(typst\) \(felkod 1\)") as error:
        build_report(root, YEAR, engine="quarto", force=True)
    message = str(error.value)
    assert message.splitlines()[1].strip() == "error: PDF/UA-1 error: invalid document structure"
    assert "setting-0" not in message  # Quarto's settings dump stays in the log
    log = root / "_build" / str(YEAR) / "quarto.log"
    assert f"Hela Quartos utskrift finns i {log}." in message
    assert "setting-0: value" in log.read_text(encoding="utf-8")
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in (root / "_output").iterdir()) == [str(YEAR)]

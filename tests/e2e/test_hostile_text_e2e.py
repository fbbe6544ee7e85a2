"""A whole report built from hostile text, in a project folder like a synced work drive's.

The project is copied to ``…/OneDrive - Region Örebro län/RUS uppföljning 2025 <long name>/``
with a secret file beside it. The case files ``import-filer/min_injection.json`` and
``js_injection.json`` (markup and typst ``#read`` in a JSON-stat2 ``updated`` field) are imported
with ``rus data importera``; the same kinds of text go into the catalogue and the year's params.
The built-in renderer then builds the report, and:

- the HTML holds no active element from the data (no script, no event handler, no javascript: URL,
  no image that is not embedded);
- the PDF holds neither the machine's host name nor the secret file's content;
- every hostile text appears literally, as text, in the PDF and the HTML;
- the PDF's Title and Author are the params' ``titel`` and ``utgivare`` exactly.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from html_check import active_elements, html_text
from pypdf import PdfReader

from rus_analysis.build.pipeline import build_report
from support import CASES, PROJECT, copy_project

# Its own full build from hostile inputs: in the full suite (bygg.py test), not the 60-second one.
pytestmark = [pytest.mark.e2e, pytest.mark.langsam]

SECRET = "HEMLIGT-e2e-5b1d-innehåll"
IMPORTS = {  # case file → the indicator whose series it is (its values are that series')
    "min_injection.json": "eftergymnasial_utbildning",
    "js_injection.json": "sysselsattningsgrad_bas",
}
TITLE = 'Uppföljning @analysgruppen #titel $x$ <i>*kursiv*</i> _u_ \\ "citat" [a](b) // 100 %'
AUTHOR = "Region Örebro län & <Analys> @team_1 #2"
CATALOGUE_TEXTS = {
    # where in params/indikatorer.yml → the text put there
    ("kraftsamling", "gron_omstallning", "goal"):
        'Målet <script>alert("mål")</script> och `#read("../hemlig.txt")`{=typst} gäller.',
    ("indicator", "nystartade_foretag_per_1000", "published"):
        "Frågor: @analysgruppen. Kvoten // se SCB:s statistikdatabas "
        "(https://www.statistikdatabasen.scb.se/pxweb/sv/ssd/START__NR__NR0105/), frågor till "
        "statistik@example.se.",
    ("indicator", "nystartade_foretag_per_1000", "missing_reason"):
        "Saknas: *inte fet* _inte kursiv_ #inte-rubrik $inte-matte$ <b>inte-html</b> C:\\mapp\\fil",
    ("indicator", "vaxthusgaser_totalt", "description"):
        "Utsläpp [länk](javascript:alert(1)) ![bild](/etc/hostname) {{< include /etc/hostname >}} "
        "<!-- dold --> &lt;b&gt; 12. inte en lista.",
}


def _words(text: str) -> str:
    return "".join(text.split())


def _updated(case_file: str) -> str:
    return json.loads((CASES / "import-filer" / case_file).read_text(encoding="utf-8"))["updated"]


def _import(root: Path, case_file: str, indicator: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).with_name("rus")), "data", "importera",
         str(CASES / "import-filer" / case_file), "--indikator", indicator,
         "--data", str(root / "data"), "--params", str(root / "params")],
        capture_output=True, text=True, cwd=root)


def _hostile_catalogue(root: Path, extra_description: str | None) -> None:
    path = root / "params" / "indikatorer.yml"
    catalogue = yaml.safe_load(path.read_text(encoding="utf-8"))
    for (kind, item_id, field), text in CATALOGUE_TEXTS.items():
        items = catalogue["kraftsamlingar" if kind == "kraftsamling" else "indicators"]
        next(item for item in items if item["id"] == item_id)[field] = text
    if extra_description:  # an import refused for other reasons: the same text via the catalogue
        indicator = next(i for i in catalogue["indicators"] if i["id"] == IMPORTS["js_injection.json"])
        indicator["description"] = extra_description
    path.write_text(yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    params = root / "params" / "2025.yml"
    year = yaml.safe_load(params.read_text(encoding="utf-8"))
    year.update(titel=TITLE, utgivare=AUTHOR)
    params.write_text(yaml.safe_dump(year, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    drive = tmp_path_factory.mktemp("drive") / "OneDrive - Region Örebro län"
    root = drive / ("RUS uppföljning 2025 " + "med ett långt mappnamn " * 6).strip()
    root.mkdir(parents=True)
    copy_project(PROJECT, root)
    (root.parent / "hemlig.txt").write_text(SECRET, encoding="utf-8")
    imports = {name: _import(root, name, indicator) for name, indicator in IMPORTS.items()}
    refused = imports["js_injection.json"].returncode != 0
    _hostile_catalogue(root, _updated("js_injection.json") if refused else None)
    result = build_report(root, 2025, engine="inbyggd")
    pdf = "\n".join(page.extract_text() for page in PdfReader(result.pdf).pages)
    html = result.html.read_text(encoding="utf-8")
    return {"root": root, "result": result, "imports": imports, "pdf": pdf, "html": html}


def _texts(built) -> list[str]:
    texts = list(CATALOGUE_TEXTS.values()) + [_updated("js_injection.json")]
    if built["imports"]["min_injection.json"].returncode == 0:
        texts.append(_updated("min_injection.json"))
    return texts


def test_the_path_has_spaces_non_ascii_letters_and_length(built):
    root = built["root"]
    assert " " in str(root) and "Ö" in str(root) and len(str(root)) > 180
    assert built["result"].pdf.is_file() and built["result"].html.is_file()


def test_html_has_no_active_element(built):
    assert active_elements(built["html"]) == []


def test_pdf_reads_nothing_outside_the_project(built):
    assert SECRET not in built["pdf"] and SECRET not in built["html"]
    hostname = Path("/etc/hostname").read_text(encoding="utf-8").strip() if Path("/etc/hostname").is_file() else ""
    if len(hostname) >= 6:  # a short name could be a word of the report by chance
        assert hostname not in built["pdf"]


def test_hostile_texts_appear_literally_in_pdf_and_html(built):
    pdf, html = _words(built["pdf"]), _words(html_text(built["html"]))
    texts = _texts(built)
    assert [t for t in texts if _words(t) not in pdf] == []
    assert [t for t in texts if _words(t) not in html] == []


def test_pdf_metadata_is_the_params_text(built):
    metadata = PdfReader(built["result"].pdf).metadata
    # The Title is the params title and the report year, as on the title page (issue 11).
    assert (metadata.title, metadata.author) == (f"{TITLE} – Uppföljningsrapport 2025", AUTHOR)
    assert _words(TITLE) in _words(built["pdf"]) and _words(TITLE) in _words(html_text(built["html"]))


def test_min_injection_is_imported_and_inert(built):
    """Through the importer: the file's `updated` text is recorded and printed as text."""
    run = built["imports"]["min_injection.json"]
    assert run.returncode == 0, run.stdout + run.stderr
    text = _words(_updated("min_injection.json"))
    assert text in _words(built["pdf"]) and text in _words(html_text(built["html"]))


def test_js_injection_through_the_importer(built):
    """Enabled by itself once the importer accepts js_injection.json (today it is refused for a
    reason unrelated to escaping: TAB3200's sex dimension is not in the file); its text then
    comes through the importer instead of the catalogue."""
    run = built["imports"]["js_injection.json"]
    if run.returncode != 0:
        pytest.skip(f"rus data importera vägrar filen: {(run.stdout + run.stderr).strip()[:200]}")
    text = _words(_updated("js_injection.json"))
    assert text in _words(built["pdf"]) and text in _words(html_text(built["html"]))
